"""Channel trees (docs/portals.md §10.4, M): static CMSs publish every channel of their tree, so
the breadcrumb targets of a report column (`/zwgk/`, `/zwgk/bm/`, `/gzjg/`, `/gzjg/{unit}/` ...)
are pages that list their sub-channels by name, down from a home page whose navigation leads to
the 政务公开 / 信息公开 channels. Beside the report columns sit ordinary ones (news, notices).

A `Channel` is such a page as data; each portal's theme renders it with its own chrome.
`news_posts` makes the posts of an ordinary NFCMS column (their titles never name a report).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.document import Document, Para
from sandbox.sites.bodyhtml import BodyStyle
from sandbox.sites.cms import CST
from sandbox.sites.nfcms import Column, Post


@dataclass(frozen=True)
class Channel:
    path: str
    name: str
    crumbs: tuple[tuple[str, str], ...]  # (label, path) from 首页 down to this channel
    links: tuple[tuple[str, str], ...]  # (name, href) of its sub-channels and columns


def crumbs_to(*steps: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("首页", "/"), *steps)


NEWS_LEADS = (
    "{title}。会议强调，要坚持以人民为中心的发展思想，扎实推进各项重点工作落地见效。",
    "{title}。活动吸引了辖区群众踊跃参与，进一步提升了群众的获得感和满意度。",
    "{title}。下一步，将持续加强统筹协调，确保各项任务按时保质完成。",
)


def news_posts(
    column: Column,
    titles: tuple[str, ...],
    first_id: int,
    source: str,
    rng: random.Random,
    start: datetime = datetime(2025, 1, 6, 9, 0, tzinfo=CST),
) -> list[Post]:
    """Ordinary posts of a non-report column, newest first; ids below `first_id` + 1e4."""
    posts = []
    for i, title in enumerate(titles):
        published = start + timedelta(days=11 * i, hours=rng.randint(0, 8))
        lead = rng.choice(NEWS_LEADS).format(title=title)
        document = Document(title, [Para(lead), Para(f"（来源：{source}）")])
        post_id = first_id + 37 * i + rng.randint(0, 30)
        posts.append(
            Post(
                post_id,
                title,
                published,
                published,
                column,
                document,
                "news",
                source,
                source,
                BodyStyle.pick(rng),
            )
        )
    return sorted(posts, key=lambda p: (p.published, p.id), reverse=True)
