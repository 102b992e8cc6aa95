"""What a link on a portal page leads to, decided from its text and its URL alone.

A portal's reports live in annual-report columns (年报 columns) that nobody can list in advance:
their ids and slugs differ per portal, units have their own, and new ones appear. Static CMSs
publish every channel of their tree, and channel pages list their sub-channels by name
(docs/portals.md §10.4), so the spider walks channel links from the home page down a bounded
depth and recognises, per link:

- a **report column** by its name (`区政府信息公开年报`, `政府信息公开工作年度报告`,
  `区政府部门年度报告`, `年报`) or by a slug of one (`zfxxgknb`, `qzfxxgknb`, `zfxxgkgzndbg`,
  `zfxxgkgznb`, `bmxxgkndbg`, `qzfndbg`, `nb`; docs/portals.md §2-§5);
- a **unit directory** by its structure: a channel whose sub-channels (the folders directly
  below it) are mostly named as units (…局, …委, …办公室, …街道办事处, …镇, …中心), wherever it
  sits (工作机构 `/gzjg/`, TRS `bm/`, `zj/`, `qzbm/`: §2, §5), or one named as such (部门信息公开,
  镇街); each child folder is a unit, and every column in a unit's folder is read as a list,
  the title classifier deciding what is a report (a unit may post its report in any of its
  columns: 规划总结, 公开目录 categories, §5);
- a **channel** worth walking: 政务公开 / 信息公开 / 公开目录 / 机构 / 部门 / 镇街 ..., by name or
  slug (`zwgk`, `xxgk`, `zfxxgk`, `gk`, `gkml`);
- anything else (news, services, other sites) is left alone.

Pure functions on strings: no Scrapy, no network; the spider (crawler/portal.py) does the walking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from crawler.titles import squash

# --- report columns -----------------------------------------------------------------------------
# 年报 / 年度报告 in a column's name; 工作报告 only with 信息公开 (政府工作报告 is another report).
_COLUMN_NAME_RE = re.compile(
    r"(?:信息公开|政务公开).{0,8}?(?:年报|年度报告|工作报告)|年报|年度报告"
)
# Columns with 年报 in their name that hold other reports (统计年报, 政府网站年度报表 ...).
_NOT_COLUMN_NAME_RE = re.compile(
    r"网站|报表|法治|统计|企业|财政|预算|决算|审计|社会责任|政府工作报告|指南"
)
# One path segment that names a report column (zfxxgknb, zfxxgkgzndbg, qzfndbg, nb ...).
_REPORT_SLUG_RE = re.compile(r"^(?:[a-z]*xxgk[a-z]*n(?:b|dbg)|[a-z]*ndbg|nb)$")

# --- channels and unit directories --------------------------------------------------------------
_CHANNEL_NAME_RE = re.compile(
    r"政务公开|信息公开|公开目录|主动公开|法定主动|工作机构|机构|部门|镇街|街道|乡镇|区直|市直|县直|单位"
)
_NOT_CHANNEL_NAME_RE = re.compile(
    r"指南|制度|申请|新闻|动态|要闻|图片|视频|专题|互动|留言|信箱|征集|调查|访谈|办事|服务|登录|注册"
    r"|搜索|English|无障碍|长者|地图|联系|繁體|解读|招聘|人事|公示|公告"
)
_CHANNEL_SLUGS = frozenset(
    {"zwgk", "xxgk", "zfxxgk", "gk", "gkml", "xxgkml", "zfxxgkml", "gzjg", "jgsz", "fdzdgknr"}
)
_UNIT_DIRECTORY_NAME_RE = re.compile(
    r"^(?:.{0,4}(?:工作机构|机构设置|部门|镇街|街道|乡镇)(?:信息公开)?)$"
)
# A unit's name: 鲤城区商务局, 金龙街道, 曲阜市教育局, 区政府办公室 ...
_UNIT_NAME_RE = re.compile(
    r"(?:局|委员会|管委会|委|办公室|办|办事处|街道|镇(?:人民政府)?|乡|中心|院|所|队|站|政府)$"
)
_YEAR_NAME_RE = re.compile(r"^(?:19|20)\d{2}(?:年度?)?$")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}")

# --- URLs ---------------------------------------------------------------------------------------
_INDEX_RE = re.compile(r"(?:index|default)\.s?html?$")
_PAGER_RE = re.compile(r"(?:index|list|default)_\d+\.s?html?$")
_FILE_RE = re.compile(
    r"\.(?:pdf|docx?|wps|xlsx?|et|ods|odt|zip|rar|7z|jpe?g|png|gif|bmp|mp4|swf)$", re.I
)
_NOT_PAGE_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")
_BREADCRUMB_LABELS = ("当前位置", "所在位置", "所在的位置", "现在的位置", "您的位置")


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    text: str  # the link's title or text, whitespace removed


def page_links(html: str | Selector, base_url: str) -> list[Link]:
    """Every `<a href>` of a page that could lead to another page, each URL once, in page order."""
    page = html if isinstance(html, Selector) else Selector(text=html or "<html></html>")
    seen: dict[str, Link] = {}
    for anchor in anchors(page):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_NOT_PAGE_SCHEMES):
            continue
        url = absolute(base_url, href)
        if url is None or url in seen:
            continue
        text = squash(anchor.get("title") or " ".join(texts_of(anchor)))
        seen[url] = Link(url, text)
    return list(seen.values())


# lxml's own elements and strings, through the XPaths parsel runs for css("a[href]") and
# css("::text"): what parsel gives, without a Selector (and an attribute dict) per anchor and per
# text node, on pages of hundreds of links.
_ANCHORS = HTMLTranslator().css_to_xpath("a[href]")
_TEXTS = HTMLTranslator().css_to_xpath("::text")


def anchors(page: Selector) -> list[Any]:
    """The page's `<a href>` elements (lxml), in page order: css("a[href]")."""
    return page.root.xpath(_ANCHORS, smart_strings=False)


def texts_of(element: Any) -> list[str]:
    """The element's text nodes, its own and its descendants': css("::text").getall()."""
    return element.xpath(_TEXTS, smart_strings=False)


def absolute(base_url: str, href: str) -> str | None:
    """`href` resolved against the page, fragment dropped; None for anything not http(s)."""
    url = resolve(base_url, href)
    return url if url is not None and is_web_url(url) else None


def is_web_url(url: str) -> bool:
    """http or https with a host name: something a crawler may fetch at all."""
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def resolve(base_url: str, href: str) -> str | None:
    """`href` resolved against the page, fragment dropped, whatever its scheme (`file:`,
    `javascript:` ...); None when it is empty or no URL at all. For links whose refusal must be
    counted (report entries, attachments, body images): the spider and the fetch policy say why
    they are not fetched, instead of their vanishing here."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        url = urldefrag(urljoin(base_url, href)).url
        urlsplit(url)
    except ValueError:
        return None
    return url or None


def names_report_column(text: str | None) -> bool:
    """'区政府信息公开年报', '政府信息公开工作年度报告', '区政府部门年度报告' -> True;
    '统计年报', '政府网站年度报表', '政府工作报告' -> False."""
    name = squash(text)
    if not name or len(name) > 30 or _YEAR_RE.search(name):  # a post's title, not a column's
        return False
    return bool(_COLUMN_NAME_RE.search(name)) and not _NOT_COLUMN_NAME_RE.search(name)


def report_slug_in(url: str) -> bool:
    """Does a segment of the URL's path name a report column?  `/zwgk/qzfxxgknb/bm/` -> True."""
    return any(_REPORT_SLUG_RE.match(seg) for seg in path_segments(url))


def path_segments(url: str) -> list[str]:
    path = urlsplit(url).path
    segments = [s.lower() for s in path.split("/") if s]
    if segments and "." in segments[-1]:
        segments = segments[:-1]  # a file name is not a folder
    return segments


def folder(url: str) -> str:
    """A column's key: its URL without `index.html` (`…/zj/index.html` -> `…/zj/`)."""
    return _INDEX_RE.sub("", url)


def is_pager(url: str) -> bool:
    return bool(_PAGER_RE.search(urlsplit(url).path))


def is_file(url: str) -> bool:
    return bool(_FILE_RE.search(urlsplit(url).path))


def is_under(url: str, parent: str) -> bool:
    """Strictly below `parent`'s folder, same host: `…/qzfxxgknb/bm/` is under `…/qzfxxgknb/`."""
    child, base = urlsplit(folder(url)), urlsplit(folder(parent))
    if child.hostname != base.hostname:
        return False
    base_path = base.path if base.path.endswith("/") else base.path.rsplit("/", 1)[0] + "/"
    return child.path.startswith(base_path) and child.path.rstrip("/") != base_path.rstrip("/")


def child_folder(url: str, parent: str) -> bool:
    """One folder directly below `parent`: `/zwgk/bm/swj/` under `/zwgk/bm/`."""
    if not is_under(url, parent):
        return False
    base_path = urlsplit(folder(parent)).path
    base_path = base_path if base_path.endswith("/") else base_path.rsplit("/", 1)[0] + "/"
    rest = urlsplit(folder(url)).path[len(base_path) :]
    return bool(re.fullmatch(r"[\w.-]+/?", rest)) and "." not in rest.rstrip("/")


def is_unit_directory(url: str, name: str | None = None) -> bool:
    """A channel named as a directory of units: 工作机构, 部门信息公开, 区直部门信息公开, 镇街."""
    return bool(name and _UNIT_DIRECTORY_NAME_RE.match(squash(name)))


def lists_units(links: list[Link], page_url: str) -> bool:
    """Is this page a directory of units by its structure?  Its sub-channels (links to folders
    directly below it) are named as units, more of them than not: `/zwgk/qzbm/` linking
    `./sfjb/ 鲤城区司法局` and `./nlsj/ 鲤城区农业农村和水利局` is one, whatever its slug."""
    children = {link.url: link.text for link in links if child_folder(link.url, page_url)}
    units = sum(names_unit(text) for text in children.values())
    return units > 0 and 2 * units > len(children)


def names_channel(text: str | None) -> bool:
    name = squash(text)
    if not name or len(name) > 20:
        return False
    return bool(_CHANNEL_NAME_RE.search(name)) and not _NOT_CHANNEL_NAME_RE.search(name)


def channel_slug(url: str) -> bool:
    segments = path_segments(url)
    return bool(segments) and segments[-1] in _CHANNEL_SLUGS


def names_unit(text: str | None) -> bool:
    """'鲤城区商务局', '金龙街道', '区政府办公室': the name of a unit that publishes reports."""
    name = squash(text)
    return (
        2 <= len(name) <= 24 and bool(_UNIT_NAME_RE.search(name)) and not names_channel_noise(name)
    )


def names_year(text: str | None) -> bool:
    return bool(_YEAR_NAME_RE.match(squash(text)))


def names_channel_noise(name: str) -> bool:
    return bool(_NOT_CHANNEL_NAME_RE.search(name))


def breadcrumb(page: Selector) -> str:
    """The page's 当前位置 line ('当前位置:首页>政务公开>区政府信息公开年报>镇街'), or ''."""
    element = _breadcrumb_element(page)
    return squash(element.xpath("string(.)").get()) if element is not None else ""


def breadcrumb_links(page: Selector, base_url: str) -> set[str]:
    """The absolute URLs the page's 当前位置 line links: the page's ancestors, not its children."""
    element = _breadcrumb_element(page)
    if element is None:
        return set()
    hrefs = element.xpath(".//a/@href").getall()
    return {url for url in (absolute(base_url, h.strip()) for h in hrefs) if url}


def _breadcrumb_element(page: Selector) -> Selector | None:
    for label in _BREADCRUMB_LABELS:
        for element in page.xpath(f"//body//*[text()[contains(., '{label}')]]"):
            if not element.xpath(".//a"):  # <span>当前位置：</span> beside the links
                element = element.xpath("..")[0]
            if len(squash(element.xpath("string(.)").get())) <= 200:
                return element
    return None


def breadcrumb_names_report_column(page: Selector) -> bool:
    """Some step of the page's breadcrumb is a report column: the page is that column or one of
    its sub-columns (…> 区政府信息公开年报 > 镇街)."""
    trail = breadcrumb(page)
    return any(names_report_column(step) for step in re.split(r"[>＞»→/]", trail)[1:])
