"""Tests of date and timestamp parsing: one row per written form, with the traps beside them."""

import datetime
import time
from pathlib import Path

import pytest

from indexer.classify.dates import DateSpan, find_dates, parse_timestamp

CORPUS = Path(__file__).parent.parent / "corpus_sample"
D = datetime.date
UTC = datetime.UTC
CST = datetime.timezone(datetime.timedelta(hours=8))


def spans(text: str) -> list[tuple[str, str, str]]:
    """Return (start, end, text) of each date found, ISO-formatted for readable rows."""
    return [(s.start.isoformat(), s.end.isoformat(), s.text) for s in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # days
        ("2021-05-12", [("2021-05-12", "2021-05-12", "2021-05-12")]),
        ("于2021/05/12上线", [("2021-05-12", "2021-05-12", "2021/05/12")]),
        ("2021.05.12", [("2021-05-12", "2021-05-12", "2021.05.12")]),
        ("2021/5/2", [("2021-05-02", "2021-05-02", "2021/5/2")]),
        ("2021年5月12日", [("2021-05-12", "2021-05-12", "2021年5月12日")]),
        ("2021 年 5 月 12 日", [("2021-05-12", "2021-05-12", "2021 年 5 月 12 日")]),  # OCR
        ("２０２１年５月１２日", [("2021-05-12", "2021-05-12", "2021年5月12日")]),  # full-width
        ("2021年05月12号", [("2021-05-12", "2021-05-12", "2021年05月12号")]),
        ("12 May 2021", [("2021-05-12", "2021-05-12", "12 May 2021")]),
        ("May 12, 2021", [("2021-05-12", "2021-05-12", "May 12, 2021")]),
        ("12th Sept. 2021", [("2021-09-12", "2021-09-12", "12th Sept. 2021")]),
        ("Wed, 12 May 2021 14:03:22 +0800", [("2021-05-12", "2021-05-12", "12 May 2021")]),
        ("2021-05-12T14:03:22+08:00", [("2021-05-12", "2021-05-12", "2021-05-12")]),
        ("2020年2月29日", [("2020-02-29", "2020-02-29", "2020年2月29日")]),  # leap day
        # months
        ("2021-05", [("2021-05-01", "2021-05-31", "2021-05")]),
        ("2021/05", [("2021-05-01", "2021-05-31", "2021/05")]),
        ("截至2022.06", [("2022-06-01", "2022-06-30", "2022.06")]),
        ("2021年5月", [("2021-05-01", "2021-05-31", "2021年5月")]),
        ("2021.02", [("2021-02-01", "2021-02-28", "2021.02")]),
        ("May 2021", [("2021-05-01", "2021-05-31", "May 2021")]),
        ("SEPTEMBER 2021", [("2021-09-01", "2021-09-30", "SEPTEMBER 2021")]),
        # ranges
        ("2021.04-2021.10", [("2021-04-01", "2021-10-31", "2021.04-2021.10")]),
        ("2021.04~2021.10", [("2021-04-01", "2021-10-31", "2021.04~2021.10")]),
        ("2021.04 - 2021.10", [("2021-04-01", "2021-10-31", "2021.04 - 2021.10")]),
        (r"2019\.09\-2020\.02", [("2019-09-01", "2020-02-29", "2019.09-2020.02")]),  # escaped
        ("2021-04至2021-10", [("2021-04-01", "2021-10-31", "2021-04至2021-10")]),
        ("2021年5月至8月", [("2021-05-01", "2021-08-31", "2021年5月至8月")]),
        ("2021年5月到2022年2月", [("2021-05-01", "2022-02-28", "2021年5月到2022年2月")]),
        ("2021年12月至3月", [("2021-12-01", "2022-03-31", "2021年12月至3月")]),  # next year
        ("2021年5月12日至15日", [("2021-05-12", "2021-05-15", "2021年5月12日至15日")]),
        ("2021-05-12至2021-06-01", [("2021-05-12", "2021-06-01", "2021-05-12至2021-06-01")]),
        ("May to August 2021", [("2021-05-01", "2021-08-31", "May to August 2021")]),
        ("May 2021 - Aug 2021", [("2021-05-01", "2021-08-31", "May 2021 - Aug 2021")]),
        # order of appearance, each span once
        (
            "2021年8月, 2021-05",
            [("2021-08-01", "2021-08-31", "2021年8月"), ("2021-05-01", "2021-05-31", "2021-05")],
        ),
        ("2021-05-12 和 2021年5月12日", [("2021-05-12", "2021-05-12", "2021-05-12")]),
        (
            "2021.10-2021.04",
            [("2021-10-01", "2021-10-31", "2021.10"), ("2021-04-01", "2021-04-30", "2021.04")],
        ),
        ("2021年5月至13月", [("2021-05-01", "2021-05-31", "2021年5月")]),  # bad end: no range
    ],
)
def test_find_dates(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2021年",  # a year alone
        "成立于2021",
        "20210512",  # 8 digits: an ID as often as a date
        "05/12/2021 和 12.05.2021",  # day/month order unknown
        "2021-13-01",
        "2021-02-30",
        "2021年13月",
        "2021-00",
        "1989-05-12",  # outside 1990..2035
        "2036-01-01",
        "192.0.2.1 和 198.51.100.23",
        "v2021.5.1 和 V2021.05",  # versions
        "1.2.2021.05",
        "2021-05-12.5",
        "CVE-2021-44228 和 CVE-2021-1234",
        "13800000000 和 021-2021-0512",  # phones
        "2021.05GB 和 2021.04 TB",  # sizes
        "2021.04元",  # money
        "you may 2021",  # the verb
        "Mayor 2021",
        "5月至8月",  # no year
        "12号楼",
        "http://example.com/2021/05/12/post",
    ],
)
def test_find_dates_rejects(text: str) -> None:
    assert find_dates(text) == ()


def test_target_list() -> None:
    """A real target-list table: every sample-period cell, escaped, becomes a span."""
    found = find_dates((CORPUS / "targets" / "south_asia_2021.md").read_text("utf-8"))
    assert found[0] == DateSpan(D(2019, 1, 1), D(2019, 3, 31), "2019.01-2019.03")
    assert DateSpan(D(2021, 4, 1), D(2021, 10, 31), "2021.04-2021.10") in found
    assert all(s.start.year >= 2019 for s in found)  # 5.49GB, 3TB, 780MB give nothing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-05-12 14:03:22", datetime.datetime(2021, 5, 12, 14, 3, 22)),
        ("2021/5/12 14:03", datetime.datetime(2021, 5, 12, 14, 3)),
        ("2021-05-12T14:03:22+08:00", datetime.datetime(2021, 5, 12, 14, 3, 22, tzinfo=CST)),
        ("2021-05-12T06:03:22Z", datetime.datetime(2021, 5, 12, 6, 3, 22, tzinfo=UTC)),
        ("2021-05-12 14:03:22.250", datetime.datetime(2021, 5, 12, 14, 3, 22, 250000)),
        (
            "2021-05-12T14:03:22-05:30",
            datetime.datetime(
                2021, 5, 12, 14, 3, 22, tzinfo=datetime.timezone(-datetime.timedelta(minutes=330))
            ),
        ),
        (
            "Wed, 12 May 2021 14:03:22 +0800",
            datetime.datetime(2021, 5, 12, 14, 3, 22, tzinfo=CST),
        ),
        ("2021年5月12日 14:03", datetime.datetime(2021, 5, 12, 14, 3)),
        (
            "Wed, 12 May 2021 14:03:22 +0800 (CST)",
            datetime.datetime(2021, 5, 12, 14, 3, 22, tzinfo=CST),
        ),
        ("12 May 2021 06:03:22 GMT", datetime.datetime(2021, 5, 12, 6, 3, 22, tzinfo=UTC)),
        ("2021年5月12日 14：03", datetime.datetime(2021, 5, 12, 14, 3)),  # full-width colon
        ("  2019-03-11 09:02:14 ", datetime.datetime(2019, 3, 11, 9, 2, 14)),
        ("2021-05-12", datetime.datetime(2021, 5, 12)),  # a date alone: midnight
        ("1620799402", datetime.datetime(2021, 5, 12, 6, 3, 22, tzinfo=UTC)),  # epoch
        ("1620799402000", datetime.datetime(2021, 5, 12, 6, 3, 22, tzinfo=UTC)),  # epoch ms
        ("", None),
        ("阿飞", None),
        ("garbage", None),
        ("12345", None),
        ("2021-02-30 10:00", None),
        ("2021-05-12 25:00", None),
        ("1970-01-01 00:00:00", None),  # a zero timestamp is no date
        ("Wed, 31 Feb 2021 14:03:22 +0800", None),
        ("2021-05-12 14:03 and more", None),
    ],
)
def test_parse_timestamp(value: str, expected: datetime.datetime | None) -> None:
    assert parse_timestamp(value) == expected


def test_chat_timestamps() -> None:
    """Every Time cell of a real chat log parses."""
    text = (CORPUS / "chat" / "0.md").read_text("utf-8")
    cells = [
        row.split("<td>")[1].split("</td>")[0] for row in text.splitlines()[2:] if "<td>" in row
    ]
    assert cells
    assert all(parse_timestamp(cell) for cell in cells)


@pytest.mark.parametrize(
    "text", ["1" * 100_000, "2021-" * 20_000, "2021年5月至" * 10_000, "May " * 25_000]
)
def test_no_catastrophic_backtracking(text: str) -> None:
    # CPU time, so a busy machine does not fail it: backtracking would take minutes, not seconds.
    start = time.process_time()
    find_dates(text)
    assert time.process_time() - start < 2.0
