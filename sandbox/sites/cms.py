"""What every simulated CMS (NFCMS, TRS, Hanweb) builds its catalogue with: China Standard Time,
ids that grow with the publish time, when a report comes out, the page of a notice, a page's
Content-Type, and a report's entry in the manifest."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol, TypeVar

from sandbox.corpus import ReportSpec
from sandbox.document import Document, Para
from sandbox.http import HTML_NO_CHARSET, HTML_UTF8
from sandbox.sites.base import ManifestPart

CST = timezone(timedelta(hours=8), "CST")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def new_year_anchors(ids: dict[int, int]) -> list[tuple[datetime, int]]:
    """{year: id of a post made on 1 January of that year} as (moment, id) anchors."""
    return [(datetime(year, 1, 1, tzinfo=CST), post_id) for year, post_id in ids.items()]


def html_type(no_charset: bool) -> str:
    """A page's Content-Type: some say no charset (portals.md §8; only the <meta> says utf-8)."""
    return HTML_NO_CHARSET if no_charset else HTML_UTF8


def id_on_curve(anchors: list[tuple[datetime, int]], moment: datetime) -> int:
    """The id a post created at `moment` gets, interpolated between (moment, id) anchors."""
    times = [t for t, _ in anchors]
    i = min(max(bisect.bisect_right(times, moment), 1), len(anchors) - 1)
    (t0, id0), (t1, id1) = anchors[i - 1], anchors[i]
    share = (moment - t0) / (t1 - t0)
    return int(id0 + share * (id1 - id0))


def publish_moment(year: int, month: int, rng: random.Random) -> datetime:
    """A working-hours moment of `month`: the day, then hour, minute and second drawn from rng."""
    clock = (rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
    return datetime(year, month, *clock, tzinfo=CST)


def notice(title: str, lead: str, office: str) -> Document:
    """A non-report post: one sentence (`lead`, with `{title}` in it) and the issuing office."""
    return Document(title, [Para(lead.format(title=title)), Para(office)])


def report_truth(
    portal: str,
    url: str,
    aliases: list[str],
    title: str,
    spec: ReportSpec,
    published_at: str,
    document: Document,
    attachments: list[dict],
    *,
    column: str,
    reachable: bool = True,
    **more: object,
) -> dict:
    """A report's manifest entry; `column` is the URL of the list that lists it, `reachable`
    False when no documented means leads to it (a list that continues by script); `more` are
    a portal's own fields, placed before attachments."""
    return {
        "portal": portal,
        "url": url,
        "aliases": aliases,
        "title": title,
        "unit": spec.unit.full,
        "year": spec.year,
        "published_at": published_at,
        "template": spec.template,
        "text": document.truth_text(),
        "headings": document.headings(),
        "column": column,
        "reachable": reachable,
        "figures": spec.document.figures(),  # the report's numbers, wherever it shows them
        **more,
        "attachments": attachments,
    }


class Listed(Protocol):
    missing: bool  # listed, but the page answers 404


L = TypeVar("L", bound=Listed)


def listed_manifest(
    listed: Iterable[L],
    url: Callable[[L], str],
    truth: Callable[[L], dict | None],
) -> ManifestPart:
    """Every listed item sorted into the manifest: 404s by URL, then `truth(item)`, which is
    None for a post that is not a report."""
    part = ManifestPart()
    for item in listed:
        if item.missing:
            part.missing.append(url(item))
        elif (entry := truth(item)) is None:
            part.nonreports.append(url(item))
        else:
            part.reports.append(entry)
    return part
