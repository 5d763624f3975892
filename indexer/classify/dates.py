"""Dates and date ranges written in Chinese and English text, and chat/email timestamps.

Extracted: 2021-05-12, 2021/5/12, 2021.05.12, 2021年5月12日, 12 May 2021, May 12, 2021 (days);
2021-05, 2021/05, 2021.05, 2021年5月, May 2021 (months); two of them joined by -, ~, 至, 到, to
(ranges, e.g. 2021.04-2021.10, 2021年5月至8月, May to August 2021). Not extracted, as too
ambiguous: a year alone, 20210512, 05/12/2021, two-digit years and Chinese numerals (二〇二一年).
Years must lie in 1990..2035.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from indexer.classify.indicators import clean_text

FIRST_YEAR, LAST_YEAR = 1990, 2035


@dataclass(frozen=True)
class DateSpan:
    """A day, month or range of them: start..end inclusive, and the text as written.

    The text is as written but for markdown escapes and full-width forms, which are undone.
    """

    start: datetime.date
    end: datetime.date
    text: str


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MON = (  # any case here; a month name all in lower case is refused in _month
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![A-Za-z])\.?"
)
_Y = r"(?:19|20)[0-9]{2}"
_D = r"[0-9]{1,2}"
_TH = r"(?:st|nd|rd|th)?"
# A year-month is not the head of a day that failed to match (2021-05-12.5) nor of a version.
_YM_END = r"(?![0-9]|[./][0-9]|-[0-9]{1,2}(?![0-9]))"
# A year-month with a dot could be money or a size (2021.04元, 2021.05GB).
_NOT_UNIT = r"(?!\ ?(?:[KMGTPkmgtp]i?[Bb]?(?![A-Za-z])|%|元|万|亿|块))"
# Points: full dates (year and month known) and partial ones (only valid as a range's other end).
# Letters, digits, dots and slashes before a number mean a version, an IP or a path (v2021.5.1).
POINT_RE = re.compile(
    rf"""(?<![0-9A-Za-z_.¥$/])(?:
      (?P<y1>{_Y})(?P<sep>[-/.])(?P<m1>{_D})(?P=sep)(?P<d1>{_D})(?![0-9]|[./][0-9])
    | (?P<y2>{_Y})\ ?年\ ?(?P<m2>{_D})\ ?月(?:\ ?(?P<d2>{_D})\ ?[日号])?
    | (?P<y3>{_Y})(?:[-/]|\.(?=[0-9]{{2}}))(?P<m3>{_D}){_YM_END}{_NOT_UNIT}
    | (?P<d4>{_D}){_TH}\ (?P<m4>{_MON}),?\ (?P<y4>{_Y})
    | (?P<m5>{_MON})\ (?P<d5>{_D}){_TH},?\ (?P<y5>{_Y})
    | (?P<m6>{_MON}),?\ (?P<y6>{_Y})
    | (?P<m7>{_D})\ ?月(?:\ ?(?P<d7>{_D})\ ?[日号])?
    | (?P<d8>{_D})\ ?[日号]
    | (?P<m9>{_MON})
    )(?![0-9])""",
    re.X,
)
RANGE_JOIN_RE = re.compile(r"\s*(?:-|–|—|~|～|至|到|to|until|through)\s*")


class _Point(NamedTuple):
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None


def _month(value: str) -> int | None:
    # A month name in lower case is the verb or the word ("may"), not a date.
    return None if value.islower() else _MONTHS.index(value[:3].lower()) + 1


def _point(m: re.Match[str]) -> _Point | None:
    """Return the year, month and day a match names (None where unwritten), or None if bad."""
    g = {name[0]: value for name, value in m.groupdict().items() if value and name != "sep"}
    year, month, day = (g.get(k) for k in "ymd")
    number = int(month) if month and month.isdigit() else _month(month) if month else None
    if month and number is None:
        return None
    point = _Point(
        m.start(), m.end(), int(year) if year else None, number, int(day) if day else None
    )
    return point if point.year is None or _days(point) else None


def _days(p: _Point) -> tuple[datetime.date, datetime.date] | None:
    """Return the first and last day a point covers, None if it is not a valid date."""
    if p.year is None or p.month is None or not FIRST_YEAR <= p.year <= LAST_YEAR:
        return None
    if not 1 <= p.month <= 12:
        return None
    last = calendar.monthrange(p.year, p.month)[1]
    if p.day is None:
        return datetime.date(p.year, p.month, 1), datetime.date(p.year, p.month, last)
    if not 1 <= p.day <= last:
        return None
    return (datetime.date(p.year, p.month, p.day),) * 2


def _range(a: _Point, b: _Point) -> tuple[datetime.date, datetime.date] | None:
    """Return the span from a to b, each filling in what the other leaves unwritten."""
    year_a = a.year if a.year is not None else b.year
    month_b = b.month if b.month is not None else a.month
    first = _days(a._replace(year=year_a))
    for bump in (0, 1) if b.year is None else (0,):
        # 2021年12月至3月 runs into the next year.
        year_b = year_a + bump if year_a is not None and b.year is None else b.year
        last = _days(b._replace(year=year_b, month=month_b))
        if first and last and last[1] >= first[0]:
            return first[0], last[1]
    return None


def find_dates(text: str) -> tuple[DateSpan, ...]:
    """Return the dates and date ranges in a text, in order, each (start, end) once."""
    text = clean_text(text)
    points = [p for m in POINT_RE.finditer(text) if (p := _point(m))]
    found: dict[tuple[datetime.date, datetime.date], DateSpan] = {}
    i = 0
    while i < len(points):
        a = points[i]
        b = points[i + 1] if i + 1 < len(points) else None
        span = None
        if b and RANGE_JOIN_RE.fullmatch(text, a.end, b.start):
            span = _range(a, b)
        if span:
            found.setdefault(span, DateSpan(*span, text[a.start : b.end]))
            i += 2
            continue
        if days := _days(a):
            found.setdefault(days, DateSpan(*days, text[a.start : a.end]))
        i += 1
    return tuple(found.values())


_STAMP_RE = re.compile(
    r"(?P<y>[0-9]{4})[-/.年](?P<m>[0-9]{1,2})[-/.月](?P<d>[0-9]{1,2})日?"
    r"(?:(?:T|\s+)(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})"
    r"(?::(?P<S>[0-9]{2})(?:[.,](?P<f>[0-9]{1,6}))?)?)?"
    r"\s*(?P<tz>Z|[+-][0-9]{2}:?[0-9]{2})?"
)


def parse_timestamp(value: str) -> datetime.datetime | None:
    """Return the moment a chat or email timestamp names, or None if it is not one.

    Accepts ISO 8601 (T or space, optional seconds, fraction and offset), 2021/5/12 14:03,
    2021年5月12日 14:03, RFC 2822 (email Date headers) and Unix epochs of 10 or 13 digits.
    The result is timezone-aware when the value gives an offset (epochs are UTC), naive
    otherwise; a date alone is midnight. Years outside 1990..2035 give None.
    """
    value = clean_text(value).strip()
    stamp = None
    if m := _STAMP_RE.fullmatch(value):
        g = {k: int(v) for k, v in m.groupdict().items() if v and k != "tz"}
        # %z takes Z, +08:00 and +0800 alike.
        zone = datetime.datetime.strptime(m["tz"], "%z").tzinfo if m["tz"] else None
        micro = int(m["f"].ljust(6, "0")) if m["f"] else 0
        try:
            stamp = datetime.datetime(
                g["y"], g["m"], g["d"], g.get("H", 0), g.get("M", 0), g.get("S", 0), micro, zone
            )
        except ValueError:
            return None
    elif value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        stamp = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    elif any(c.isalpha() for c in value):
        try:
            stamp = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return stamp if stamp and FIRST_YEAR <= stamp.year <= LAST_YEAR else None
