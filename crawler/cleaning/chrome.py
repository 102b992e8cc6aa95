"""The chrome lexicon: what portal pages wrap around a report, as data.

Two layers, both data with one short function each:

- ``PRUNE_TAGS`` / ``PRUNE_CLASS_ID``: elements removed from the DOM before any text is read
  (scripts, widgets, navigation, footers).
- ``CHROME_PHRASES``: whole-line patterns for chrome that survives pruning because its markup is
  unknown (docs/portals.md §9: exact class names on by/zc/haizhu are L). A line is chrome only when the
  *whole line* is toolbar / breadcrumb / footer / metadata text, so a report sentence such as
  "推进网站无障碍改造" is never touched.

Every entry says where it is seen: a section of docs/portals.md (§N below), or a seed report
(tests/fixtures/cleaning/seeds/).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from crawler.cleaning.normalize import is_heading

# --- DOM pruning ---------------------------------------------------------------------------

PRUNE_TAGS = frozenset(
    {
        "script",  # stats beacons, aria.js (长者助手 bar, docs/portals.md §1), createPageHTML (§5)
        "style",
        "noscript",
        "template",
        "iframe",  # share widgets, embedded maps
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "svg",
        "canvas",
        "map",
        "button",
        "select",  # 部门网站 / 友情链接 drop-downs in footers
        "option",
        "textarea",
        "input",  # site search boxes
        "nav",
        "footer",  # HTML5 site footers (主办单位 / 网站标识码 / ICP备)
        "aside",
        "header",  # HTML5 site header; the title is read from <meta>/<h1> before pruning
        "link",
        "meta",
        "title",
        "head",
        "audio",
        "video",
    }
)

# class / id tokens (each whitespace-separated token is matched whole, case-insensitive) that
# mark widgets: share bars (zc 分享, haizhu 分享到), font-size switches (【字号】, 字体大小),
# breadcrumbs (当前位置 / 您当前所在的位置), related lists (相关新闻), pagers, footers.
PRUNE_CLASS_ID = re.compile(
    r"""(
        (bd|bds_)?share\w*|jiathis\w*|fenxiang|
        \w*breadcrumbs?|crumbs?|(cur|current)?position|location|dqwz|weizhi|
        \w*footer|foot|copyright|bottom|
        print(btn|bar|-?box)?|dayin|fontsize\w*|font-size\w*|zihao|
        \w*toolbar|topbar|top-bar|wza\w*|aria\w*|
        nav|navbar|menu|sidebar|side-bar|
        related\w*|xgxw|xglj|xgwz|xgfj|
        pager|pagination|page_div|page-div|
        qrcode|erweima|ewm|
        hidden|hide
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _is_widget(el: etree._Element) -> bool:
    if el.tag in PRUNE_TAGS or el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and _may_hide(style.lower()) and _HIDDEN_STYLE.search(style):
        return True
    classes, ident = el.get("class"), el.get("id")
    if not classes and not ident:
        return False
    return any(_widget_token(token) for token in f"{classes or ''} {ident or ''}".split())


def _may_hide(style: str) -> bool:
    # Exact pre-check for _HIDDEN_STYLE (most styles are Word's, without either word): the only
    # characters its case-insensitive match takes for n, o, d, e are the ASCII pairs, so a
    # match leaves "none" or "dden" in the lowered style.
    return "none" in style or "dden" in style


@lru_cache(maxsize=4096)
def _widget_token(token: str) -> bool:
    # Pages repeat their class names (Word's MsoNormal on every paragraph): match each once.
    return PRUNE_CLASS_ID.fullmatch(token) is not None


def prune(root: etree._Element) -> etree._Element:
    """Remove chrome elements (and comments) from ``root`` in place; tails are kept."""
    doomed = [
        el
        for el in root.iter()
        if el is not root and (not isinstance(el.tag, str) or _is_widget(el))
    ]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree() if hasattr(el, "drop_tree") else _drop_keep_tail(el)
    return root


def _drop_keep_tail(el: etree._Element) -> None:
    # Comments are not lxml.html elements and have no drop_tree(); keep the text after them.
    parent, tail = el.getparent(), el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --- Line lexicon ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChromePhrase:
    name: str  # the phrase a reader would notice, reported by chrome_left()
    pattern: re.Pattern[str]  # matched with .search() against one stripped line
    seen: str  # where it is seen


_TOOL = (
    r"打印(本页|此页|页面)?|关闭(本页|窗口|此页)?|收藏(本页)?|加入收藏|返回顶部|返回首页|返回|"
    r"分享(到|至)?|字号|字体|大|中|小|默认|繁体|简体|繁體|English|登录|注册|手机版|网站地图|"
    r"无障碍(浏览|阅读)?|长者助手|智能问答|首页|[-—]"
)
_SEP = r"[\s【】\[\]()（）|｜/·•:：,，]"


def _toolbar(word: str) -> re.Pattern[str]:
    """A short line made only of toolbar buttons (打印 关闭 分享 字号 大 中 小 ...) with ``word``."""
    # One alternation per character or button (no nested quantifiers): no catastrophic backtracking.
    return re.compile(rf"^(?=.{{0,80}}$)(?=.*{word})(?:{_SEP}|{_TOOL})+$")


def _line(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}"

CHROME_PHRASES: tuple[ChromePhrase, ...] = (
    ChromePhrase(
        "长者助手", _line(r"^(?=.{0,60}$).*长者(助手|模式)"), "zc, Nansha top bar (§3, §4)"
    ),
    ChromePhrase("无障碍", _toolbar("无障碍"), "zc '• 无障碍' (§3, seed 001), Nansha 无障碍浏览"),
    ChromePhrase("智能问答", _toolbar("智能问答"), "by detail pages, first line (§2)"),
    ChromePhrase("网站支持IPv6", _line(r"^(?=.{0,60}$).*网站支持\s*IPv6"), "Nansha top bar (§4)"),
    ChromePhrase(
        "【字号：大 中 小】",
        _line(r"^(?=.{0,80}$)[【\[]?\s*(浏览)?(字号|字体)\s*[:：]"),
        "zc '【字号: 分享' (seed 001), haizhu legacy '浏览字体:【[大] [中] [小]打印 关闭' (§4)",
    ),
    ChromePhrase(
        "字体大小", _line(r"^(?=.{0,80}$).*字体大小\s*[:：]"), "by '... 来源:棠景街 字体大小:' (§2)"
    ),
    ChromePhrase(
        "【字号：大 中 小】", _toolbar("[大中小].*[大中小]"), "zc font-size links '大 中 小' (§3)"
    ),
    ChromePhrase("分享", _toolbar("分享"), "zc '分享' (§3), haizhu '分享到:' (§4)"),
    ChromePhrase(
        "打印", _toolbar("打印"), "toolbars '【打印本页】【关闭窗口】', haizhu legacy (§4)"
    ),
    ChromePhrase(
        "关闭", _toolbar("关闭"), "toolbars '【关闭窗口】', haizhu legacy '打印 关闭' (§4)"
    ),
    ChromePhrase(
        "当前位置",
        _line(
            r"^(?=.{0,160}$)\s*(当前位置|您当前所在的位置|您现在的位置|您的位置|所在位置)\s*[:：]"
        ),
        "by '当前位置: 首页 > …' (§2), haizhu '您当前所在的位置:' (§4), Nansha (§4)",
    ),
    ChromePhrase(
        "首页 > 面包屑",
        _line(r"^(?=.{0,160}$)首页\s*[>›»＞/]"),
        "breadcrumbs whose label sat in a pruned element (§2-§4)",
    ),
    ChromePhrase(
        "发布时间 来源",
        _line(
            rf"^(?=.{{0,120}}$)((发布时间|发布日期|更新时间)\s*[:：]\s*{_DATE}|"
            r"(时间|日期)\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2})"
        ),
        "by '发布时间:2022-01-24 来源:…' (§2), haizhu '发布日期:2019-02-01 08:53:08' (§4), "
        "qzfz '时间:2026-02-03 11:48' (§5)",
    ),
    ChromePhrase(
        "日期 来源",
        _line(rf"^(?=.{{0,120}}$){_DATE}\s*[-/.月]\s*\d{{1,2}}\S*(\s+[\d:]+)?\s*来源\s*[:：]"),
        "zc '2018-03-15 来源: 本网' (§3, seed 001)",
    ),
    ChromePhrase(
        "日期行",
        _line(r"^(?=.{0,40}$)\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?(\s|[^\d:]|$)"),
        "a post's date line with its unit next to it ('2026-03-21增江街道办事处', zc redesign)",
    ),
    ChromePhrase(
        "来源 时间",
        _line(
            r"^(?=.{0,120}$)(信息)?来源\s*[:：](.{0,40}(时间|发布日期|日期)\s*[:：].*|\s*\S{0,30})$"
        ),
        "qzlc '来源:鲤城区科技局 时间:2023-01-10 09:04' (§5), Nansha '来源:珠江街发布日期:…'",
    ),
    ChromePhrase(
        "浏览量",
        _line(r"^(?=.{0,80}$).*(浏览量|浏览次数|访问量|点击数|点击量|阅读数|阅读量)\s*[:：]"),
        "haizhu '浏览量:-' (§4)",
    ),
    ChromePhrase(
        "相关附件 / 相关新闻",
        _line(
            r"^(相关附件|相关新闻|相关链接|相关文章|相关阅读|相关信息|相关稿件|相关文件)\s*[:：]?$"
        ),
        "zc page tail '相关附件' '相关新闻' (§3, seed 001)",
    ),
    ChromePhrase(
        "上一篇 / 下一篇",
        _line(r"^(上一篇|下一篇|上一条|下一条)\s*[:：]"),
        "article pagers on NFCMS and TRS themes",
    ),
    ChromePhrase(
        "主办单位",
        _line(
            r"^(?=.{0,200}$)(\W*(主办单位|主办|承办单位|承办|主管单位|技术支持|网站维护|维护单位)"
            r"\s*[:：]|.*(版权所有|Copyright|©))"
        ),
        "site footers of all five portals (§8)",
    ),
    ChromePhrase("网站标识码", _line(r"网站标识码\s*[:：]?\s*[\dA-Za-z]{6,}"), "footers (§0.1)"),
    ChromePhrase("ICP备", _line(r"ICP\s*备\s*\d+\s*号"), "footers '粤ICP备…号'"),
    ChromePhrase("公网安备", _line(r"公网安备\s*\d+\s*号"), "footers '粤公网安备 …号'"),
    ChromePhrase(
        "建议使用浏览器",
        _line(r"^(?=.{0,120}$).*建议使用.{0,40}(浏览器|分辨率)"),
        "footers ('建议使用IE8以上浏览器')",
    ),
    ChromePhrase(
        "索引号",
        _line(r"^(信息)?索\s*(引|取)\s*号\s*[:：]"),
        "qzlc TRS metadata list '索 引 号:QZ01304-3000-2023-00001' (§5), haizhu legacy 信息索取号 (§4)",
    ),
    ChromePhrase(
        "备注/文号 发布机构 公文生成日期",
        _line(
            r"^(备注\s*/\s*文号|发布机构|公文生成日期|生成日期|成文日期|发文日期|主题分类|"
            r"主\s*题\s*词|体裁分类|类目名称|所属主题|有\s*效\s*性|分\s*类|名\s*称|文\s*号)\s*[:：]"
        ),
        "qzlc metadata list (§5), gkmlpt 索引号/分类/发布机构/成文日期/名称/文号 table (§1)",
    ),
    ChromePhrase(
        "script",
        _line(r"^\s*(var\s+\w+\s*=|function\s*\w*\s*\(|document\.|window\.|\$\(|jQuery\()"),
        "inline scripts whose <script> tag was broken (createPageHTML, aria.start())",
    ),
)

# Lines after which a page holds only lists of other pages (attachments, related posts).
TAIL_MARKERS = re.compile(
    r"^(相关附件|相关新闻|相关链接|相关文章|相关阅读|相关信息|相关稿件|相关文件|上一篇|下一篇)"
)


@lru_cache(maxsize=8192)  # a page's lines are classified while scoring, then again when kept
def chrome_phrase(line: str) -> str | None:
    """The name of the lexicon entry ``line`` is made of, or None for report text."""
    flat = line.replace("\t", " ").strip()
    if not flat:
        return None
    for phrase in CHROME_PHRASES:
        if phrase.pattern.search(flat):
            return phrase.name
    return None


def chrome_left(text: str) -> list[str]:
    """One lexicon name per line of ``text`` that is chrome (empty for a clean report)."""
    return [name for line in text.split("\n") if (name := chrome_phrase(line))]


def strip_chrome(lines: Iterable[str]) -> list[str]:
    """Drop chrome lines, and everything after a trailing 相关附件/相关新闻 block."""
    lines = list(lines)
    kept = [line for line in lines if chrome_phrase(line) is None]
    return _cut_tail(kept, lines)


def _cut_tail(kept: list[str], original: list[str]) -> list[str]:
    # The marker lines themselves were dropped above; find where they were and cut there when
    # what follows is a list (short lines, no section heading) or less than what precedes: a
    # sidebar "相关新闻" placed before the report must not eat it.
    for index, line in enumerate(original):
        if TAIL_MARKERS.match(line.strip()):
            after = [x for x in original[index + 1 :] if chrome_phrase(x) is None]
            before = [x for x in original[:index] if chrome_phrase(x) is None]
            if any(is_heading(x) for x in after):
                continue
            if all(len(x) <= _LIST_ITEM for x in after) or _mass(after) < _mass(before):
                return kept[: len(before)]
    return kept


_LIST_ITEM = 60  # a related-post title or attachment name; report paragraphs run longer


def _mass(lines: list[str]) -> int:
    return sum(len(line) for line in lines)
