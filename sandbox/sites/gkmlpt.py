"""Guangdong's 政府信息公开目录平台 (gkmlpt): a department's sub-site on a district portal
(docs/portals.md §1, §0.2, §10.3), reusable by every NFCMS portal of the sandbox.

Facts (H unless marked): the index `/{site}/gkmlpt/index` is a Vue shell whose `window._CONFIG`
holds `SID:'nnnnnn'` and the category `TREE`; the page's own script lists a category through
`GET /gkmlpt/api/all/{catId}?page={n}&sid={SID}` -> `{classify:{post_count}, articles:[{id, title,
document_number, publisher, identifier, date, created_at, url, post_url, attachment}]}`, 100 a
page, pages 0 and 1 the same; some sites answer the whole column on page 1 and 404 for page >= 2
(M, 肇庆). Posts are `/{site}/gkmlpt/content/{id//1e6}/{id//1e3}/post_{id}.html` with
`_CONFIG.DETAIL` and the 索引号/分类/发布机构/成文日期/名称/文号/发布日期/主题词 table.
The API also answers under the sub-site's own prefix (`/{site}/gkmlpt/api/...`), where the
reference world's shell script has always asked. The markup around the table is invented (L).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from sandbox.http import json_bytes
from sandbox.sites.nfcms import Post

PAGE_SIZE = 100
PAGED, WHOLE = "paged", "whole"  # 100 a page / the whole column on page 1, 404 after
API_ROOT = "/gkmlpt/api/all/"


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    children: tuple[Category, ...] = ()
    jump_url: str = ""

    def as_tree(self, parent: int = 0) -> dict:
        node: dict = {"id": self.id, "name": self.name, "parent": parent}
        if self.jump_url:
            node["jump_url"] = self.jump_url
        node["children"] = [c.as_tree(self.id) for c in self.children]
        return node


@dataclass(frozen=True)
class Plan:
    """One gkmlpt sub-site: where it lives, whose reports its 年报 category lists."""

    prefix: str  # "/gzbyjy/"
    publisher: str  # 广州市白云区教育局 (发布机构)
    unit: str  # the Unit.full whose reports the report category holds
    sid: str
    report_cat: int
    report_name: str = "政府信息公开年报"
    paging: str = WHOLE
    org_code: str = "11440111007501455G"  # 索引号 prefix (统一社会信用代码)
    other_cats: tuple[tuple[int, str], ...] = ()  # other leaf categories (empty lists)

    @property
    def base(self) -> str:
        return f"{self.prefix}gkmlpt/"

    @property
    def index_path(self) -> str:
        return f"{self.base}index"

    def content_path(self, post_id: int) -> str:
        return f"{self.base}content/{post_id // 1_000_000}/{post_id // 1_000}/post_{post_id}.html"

    def tree(self) -> list[dict]:
        """A 目录 tree as gkmlpt sites have it: a guide that jumps elsewhere, a branch of leaf
        categories, the 年报 category, 依申请公开 that jumps elsewhere."""
        leaves = tuple(Category(cid, name) for cid, name in self.other_cats)
        top = (
            Category(self.report_cat - 7, "政府信息公开指南", jump_url=f"{self.base}mguide"),
            Category(self.report_cat - 5, "法定主动公开内容", leaves),
            Category(self.report_cat, self.report_name),
            Category(self.report_cat + 3, "依申请公开", jump_url=f"{self.base}ysqgk"),
        )
        return [c.as_tree() for c in top]

    def leaf_ids(self) -> set[int]:
        return {self.report_cat, *(cid for cid, _ in self.other_cats)}


def api_request(path: str, query: dict[str, list[str]], plans: list[Plan]) -> tuple[Plan, int, int]:
    """(plan, category, page) an API URL names, or raise LookupError (-> 404)."""
    for plan in plans:
        for root in (API_ROOT, plan.base + "api/all/"):
            if path.startswith(root):
                cat = path.removeprefix(root)
                if query.get("sid", [""])[-1] != plan.sid or not cat.isdigit():
                    continue
                page = query.get("page", ["1"])[-1]
                if not page.isdigit() or int(cat) not in plan.leaf_ids():
                    raise LookupError(path)
                return plan, int(cat), int(page)
    raise LookupError(path)


def is_api(path: str, plans: list[Plan]) -> bool:
    return path.startswith(API_ROOT) or any(path.startswith(p.base + "api/") for p in plans)


def api_body(
    plan: Plan, cat: int, name: str, rows: list[tuple[Post, str]], page: int
) -> bytes | None:
    """One API answer; None where the site answers 404 (WHOLE sites, page >= 2)."""
    if plan.paging == WHOLE:
        if page >= 2:
            return None
        chosen = rows
    else:
        start = max(page - 1, 0) * PAGE_SIZE  # pages 0 and 1 are the same page
        chosen = rows[start : start + PAGE_SIZE]
    articles = [_article(plan, post, url) for post, url in chosen]
    data = {"classify": {"id": cat, "name": name, "post_count": len(rows)}, "articles": articles}
    return json_bytes(data)


def _article(plan: Plan, post: Post, url: str) -> dict:
    return {
        "id": post.id,
        "title": post.title,
        "document_number": "",
        "publisher": plan.publisher,
        "identifier": identifier(plan, post),
        "date": int(post.published.timestamp()),
        "created_at": post.published.strftime("%Y-%m-%d %H:%M:%S"),
        "url": url,
        "post_url": url,
        "attachment": [],
    }


def identifier(plan: Plan, post: Post) -> str:
    """索引号 as gkmlpt prints it: organisation code / year - serial."""
    return f"{plan.org_code}/{post.published.year}-{post.id % 100000:05d}"


def info_rows(plan: Plan, post: Post) -> dict[str, str]:
    return {
        "索引号": identifier(plan, post),
        "分类": plan.report_name,
        "发布机构": plan.publisher,
        "成文日期": post.date,
        "名称": post.title,
        "文号": "",
        "发布日期": post.date,
        "主题词": "",
    }


# -- pages ---------------------------------------------------------------------------------------
# The shell's list exists only after its script ran: without JavaScript the page holds no link
# to any post, only `_CONFIG` (SID, TREE) from which the documented API is called.

SHELL_SCRIPT = """
(function () {
  var cfg = window._CONFIG, cat = (location.hash || '').replace('#', '') || cfg.DEFAULT_CAT;
  var app = document.getElementById('app');
  var api = cfg.API + cat + '?page=1&sid=' + cfg.SID;
  fetch(api, {headers: {'X-Requested-With': 'XMLHttpRequest'}})
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var ul = document.createElement('ul');
      ul.className = 'gkmlpt-list';
      data.articles.forEach(function (a) {
        var li = document.createElement('li'), link = document.createElement('a');
        link.href = a.url; link.title = a.title; link.textContent = a.title;
        var num = document.createElement('span'), day = document.createElement('span');
        num.className = 'wh'; num.textContent = a.identifier;
        day.className = 'date'; day.textContent = a.created_at.substring(0, 10);
        li.appendChild(link); li.appendChild(num); li.appendChild(day); ul.appendChild(li);
      });
      var total = document.createElement('div');
      total.className = 'gkmlpt-total';
      total.textContent = '共' + data.classify.post_count + '条';
      app.innerHTML = '';
      app.appendChild(ul); app.appendChild(total);
    });
})();
"""


def config_literal(plan: Plan, api: str) -> str:
    """`window._CONFIG` as the platform writes it: a JS object literal, SID in single quotes."""
    tree = json.dumps(plan.tree(), ensure_ascii=False)
    return (
        f"window._CONFIG = {{SID:'{plan.sid}', TREE: {tree}, SERVICE_AREA_ID: 0, "
        f"BASE:'{plan.base}', API:'{api}', DEFAULT_CAT:'{plan.report_cat}'}};"
    )


PageFn = Callable[[str, str, str], str]  # (title, metas, content) -> a page of the portal theme


def shell_page(plan: Plan, page: PageFn, footer: str, api: str = API_ROOT) -> str:
    """The index shell; `footer` is the portal's (its 网站标识码 line, §0.1)."""
    content = (
        f'<div class="gkmlpt-header"><h1>{escape(plan.publisher)}政府信息公开</h1></div>\n'
        + '<div id="app"><div class="loading">加载中……</div></div>\n'
        + f"<script>{config_literal(plan, api)}</script>\n"
        + f"<script>{SHELL_SCRIPT}</script>\n"
        + footer
    )
    return page(f"{plan.publisher} - 政府信息公开", "", content)


def detail_page(
    plan: Plan, post: Post, body_html: str, metas: str, title: str, page: PageFn, footer: str
) -> str:
    """A gkmlpt post: the §0.1 meta tags, the 索引号/分类/发布机构… table, the body."""
    detail = json.dumps(
        {"id": post.id, "title": post.title, "content": body_html}, ensure_ascii=False
    )
    detail = detail.replace("</", "<\\/")  # no "</script>" inside the script
    rows = "".join(
        f"<tr><th>{escape(label)}：</th><td>{escape(value)}</td></tr>"
        for label, value in info_rows(plan, post).items()
    )
    content = (
        f'<div class="gkmlpt-header"><h1>{escape(plan.publisher)}政府信息公开</h1></div>\n'
        + f'<div class="gkmlpt-detail"><table class="gkmlpt-info">{rows}</table>\n'
        + f'<h1 class="gkmlpt-title">{escape(post.title)}</h1>\n'
        + f'<div class="article-content" id="zoomcon">\n{body_html}\n</div></div>\n'
        + "<script>window._CONFIG = window._CONFIG || {}; "
        + f"_CONFIG.DETAIL = {detail};</script>\n"
        + footer
    )
    return page(title, metas, content)
