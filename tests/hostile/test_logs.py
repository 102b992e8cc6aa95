"""Log lines stay small: items are named by URL, and every record's values, message and
traceback are cut to LOG_VALUE_MAX (crawler/logformatter.py)."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from crawler.logformatter import CappedValues, LogValueCap, QuietItemsLogFormatter, cap
from tests.core.factories import ZHUCUN_URL, report
from tests.helpers import project_crawler
from tests.portals import ZcGovCnSpider


def formatted(record: logging.LogRecord, limit: int = 100) -> str:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(CappedValues(limit))
    assert handler.filter(record)
    return handler.format(record)


def record(msg: str, args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("x", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_a_failed_item_is_named_by_its_url_never_by_its_bytes() -> None:
    item = report(body=b"%PDF-1.4 " + b"\x00" * 5_000_000)
    formatter = QuietItemsLogFormatter()
    error = formatter.item_error(item, ValueError("x"), None)
    assert error["msg"] % error["args"] == f"Error processing {ZHUCUN_URL}"
    assert formatter.scraped(item, None)["args"] == {"url": ZHUCUN_URL}


def test_long_values_are_cut_and_say_by_how_much() -> None:
    line = formatted(record("dropping %s (%s) after %d tries", ("u" * 250, "reason", 3)))
    assert line == f"WARNING dropping {'u' * 100}… [150 more characters] (reason) after 3 tries"
    named = formatted(record("page %(url)s", ({"url": b"\x00" * 300},)), limit=20)
    assert named == "WARNING page b'\\x00\\x00\\x00\\x00\\x… [1183 more characters]"


def test_a_long_message_and_a_long_traceback_are_cut_too() -> None:
    assert formatted(record("x" * 1000, None)) == f"WARNING {'x' * 400}… [600 more characters]"
    try:
        raise ValueError("body " + "y" * 10_000)
    except ValueError:
        import sys

        line = formatted(record("failed", None, sys.exc_info()), limit=50)
    assert len(line) < 1200
    assert line.startswith("WARNING failed\n[")
    assert line.endswith("y" * 40)


def test_a_record_is_cut_once_and_a_mismatched_one_is_left_alone() -> None:
    same = record("%s", ("z" * 300,))
    first, second = formatted(same), formatted(same)
    assert first == second == f"WARNING {'z' * 100}… [200 more characters]"
    broken = record("%d apples", ("not a number",))
    handler = logging.StreamHandler()
    handler.addFilter(CappedValues(10))
    assert handler.filter(broken)
    assert broken.msg == "%d apples"


@given(st.text(max_size=3000), st.integers(min_value=1, max_value=500))
def test_cap_bounds_every_text(text: str, limit: int) -> None:
    out = cap(text, limit)
    assert out == text if len(text) <= limit else out.startswith(text[:limit])
    assert len(out) <= limit + 40


def test_the_extension_puts_the_filter_on_every_root_handler_once() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        crawler = project_crawler(ZcGovCnSpider, LOG_VALUE_MAX=77)
        LogValueCap(crawler)
        LogValueCap(crawler)
        caps = [f for f in handler.filters if isinstance(f, CappedValues)]
        assert [f.limit for f in caps] == [77]
    finally:
        root.removeHandler(handler)
