"""Reading report fields (year, date, unit) from the text a page shows.

Each helper quotes the page text it expects; each returns None rather than guessing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

# The report-title classifier and whitespace squashing live in crawler/titles.py; they are
# re-exported here because validation and older callers read them from fields.
from crawler.titles import is_report_title, squash

__all__ = [
    "date_from_epoch",
    "is_report_title",
    "labelled",
    "normalize_unit",
    "parse_date",
    "squash",
    "year_in",
]
_BEIJING = timezone(timedelta(hours=8))

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九○Ｏ", "001234567890" + "0")
# Years in titles: "2017年", "2017年度", "二〇一七年".
_YEAR_RE = re.compile(r"((?:19|20)\d{2}|[二][〇零○Ｏ一二三四五六七八九]{3})\s*年")
# Dates as portals print them: "2018-03-15", "2018-03-15 10:20", "2019-02-01 08:53:08",
# "2018年3月15日", "2018/03/15".
_DATE_RE = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})日?"
    r"(?:[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


def year_in(text: str | None) -> int | None:
    """The first year a title names: '2017年广州市…年度报告' -> 2017, '二〇一八年…' -> 2018."""
    match = _YEAR_RE.search(squash(text))
    if not match:
        return None
    year = int(match.group(1).translate(_CN_DIGITS))
    return year if 1990 <= year <= 2100 else None


def parse_date(text: str | None) -> str | None:
    """Normalize a printed date to ISO: '2019-02-01 08:53:08' -> '2019-02-01T08:53:08',
    '2018-03-15 10:20' -> '2018-03-15T10:20', '2018年3月15日' -> '2018-03-15'."""
    match = _DATE_RE.search(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is None:
        return date
    time = f"{int(hour):02d}:{minute}" + (f":{second}" if second else "")
    return f"{date}T{time}"


def date_from_epoch(value: object) -> str | None:
    """Unix seconds (a list API's `publish_time`, gkmlpt's `date`) -> the day in Beijing time,
    as the portal prints it: 1772177009 -> '2026-02-27'.  None for anything implausible."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        seconds = float(value)
        moment = datetime.fromtimestamp(seconds, UTC).astimezone(_BEIJING)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.date().isoformat() if 1990 <= moment.year <= 2100 else None


def labelled(text: str, label: str) -> str | None:
    """The value after a label in page text: labelled('发布时间:2022-01-24 来源:棠景街', '来源')
    -> '棠景街'.  Labels may be spaced out ('索 引 号') and use either colon."""
    spaced = r"\s*".join(map(re.escape, label))
    match = re.search(spaced + r"\s*[:：]\s*([^\s:：]+)([:：]?)", text)
    # '来源: 字体大小:' is an empty label followed by the next one, not the value 字体大小
    return match.group(1) if match and not match.group(2) else None


def unit_from_title(title: str, city: str | None, district: str | None) -> str | None:
    """'2017年广州市增城区人民政府朱村街道办事处政府信息公开工作年度报告' -> '朱村街道办事处'."""
    text = re.sub(_YEAR_RE.pattern + "度?", "", squash(title), count=1)
    text = re.sub(r"(?:关于)?政府信息公开.*$", "", text)
    return normalize_unit(text, city, district) or None


# A street office or a town government, as named without its district.
_STREET_OR_TOWN = re.compile(
    r"[^局委办院室]{1,6}?(?:街道(?:办事处)?|镇(?:人民政府)?|乡(?:人民政府)?)"
)


def normalize_unit(name: str, city: str | None, district: str | None) -> str:
    """A unit by its own name: '广州市增城区人民政府朱村街道办事处' -> '朱村街道办事处',
    '广州市增城区小楼镇人民政府' -> '小楼镇人民政府', but '广州市增城区司法局' -> '增城区司法局'
    and '增城区人民政府办公室' stays: streets and towns are named without their district, a
    department keeps it (a bare 司法局 could be any district's)."""
    name = squash(name)
    if city and name.startswith(city):
        name = name[len(city) :]
    if district and name.startswith(district):
        rest = name[len(district) :]
        rest = rest.removeprefix("人民政府")
        if _STREET_OR_TOWN.fullmatch(rest):
            name = rest
    return name.strip("（）() ")
