"""Research workflow on corpus_sample: dates, indicators, batch counts, export, interface."""

import csv
import datetime as dt
import io
import json

import pytest

from indexer.classify.indicators import find_indicators
from indexer.cli import main
from indexer.search.export import batch_counts, export_rows, to_csv, to_jsonl
from indexer.search.filters import Filters
from indexer.search.search import search

MESSAGES = {"kind": ("message",)}
DOCS = {"kind": ("document",)}


def test_date_filter_keeps_messages_inside_the_range(sample_index):
    everything = search(sample_index, "", Filters(include=MESSAGES))
    start, end = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    inside = search(
        sample_index, "", Filters(include=MESSAGES, date_from=start, date_to=end), pagelen=100
    )
    assert 0 < inside.total < everything.total
    assert all(start.isoformat() <= h.date[:10] <= end.isoformat() for h in inside.hits)


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sort_by_date(sample_index, sort):
    hits = search(sample_index, "", Filters(include=MESSAGES), pagelen=100, sort=sort).hits
    dates = [h.date for h in hits if h.date]
    assert dates and dates == sorted(dates, reverse=sort == "-date")


def test_timeline_counts_the_result_set(sample_index):
    r = search(sample_index, "", Filters(include=MESSAGES))
    assert r.timeline and sum(n for _, n in r.timeline) == r.total
    months = [m for m, _ in r.timeline]
    assert months == sorted(months)


def _containing(sample_texts, field: str, value: str) -> set[str]:
    return {p for p, t in sample_texts.items() if value in getattr(find_indicators(t), field)}


@pytest.mark.parametrize("field", ["ip", "email", "amount"])
def test_indicator_queries_return_exactly_the_documents_that_contain_them(
    sample_index, sample_texts, field
):
    facet = search(sample_index, "", Filters(include=DOCS)).facets[field]
    assert facet, f"no {field} in corpus_sample"
    for value, n in facet.items():
        hits = search(sample_index, f'{field}:"{value}"', Filters(include=DOCS), pagelen=100).hits
        assert len(hits) == n
        # sample_texts holds the corpus files themselves, not the members of archives.
        found = {h.path for h in hits if "!/" not in h.path}
        assert found == _containing(sample_texts, field, value)


def test_domain_query_matches_subdomains(sample_index, sample_texts):
    parents = {}
    for text in sample_texts.values():
        for d in find_indicators(text).domain:
            if d.count(".") >= 2:
                parents.setdefault(d.split(".", 1)[1], set()).add(d)
    parent, subs = next(iter(sorted(parents.items())))
    hits = search(sample_index, f"domain:{parent}", Filters(include=DOCS), pagelen=100).hits
    found = {h.path for h in hits if "!/" not in h.path}
    expected = {
        p for p, t in sample_texts.items() if set(find_indicators(t).domain) & (subs | {parent})
    }
    assert found == expected


def test_batch_counts_equal_single_query_totals(sample_index):
    terms = ["anxun", "印度", "India", "yinhang", "ip:192.0.2.44", "country:Atlantis", ""]
    rows = batch_counts(sample_index, terms)
    assert len(rows) == 6
    for row in rows:
        if row.term == "country:Atlantis":
            assert row.documents is row.messages is None and "unknown country" in row.error
        else:
            # Documents as the web page counts them (a chat log once), and messages apart.
            assert row.documents == search(sample_index, row.term, group=True).total
            messages = Filters(include=MESSAGES)
            assert row.messages == search(sample_index, row.term, messages).total


def test_batch_cli_csv(runner, sample_index, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("安洵\nIndia\n", encoding="utf-8")
    out = runner.invoke(main, ["batch", str(terms), "--index", str(sample_index), "--csv"]).output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["term"] for r in rows] == ["安洵", "India"]
    assert int(rows[1]["documents"]) == search(sample_index, "India", group=True).total
    assert (
        int(rows[1]["messages"]) == search(sample_index, "India", Filters(include=MESSAGES)).total
    )


def test_exports_parse_back_to_the_same_hits(sample_index):
    expected = list(export_rows(sample_index, "银行"))
    assert len(expected) == search(sample_index, "银行").total
    assert [json.loads(line) for line in to_jsonl(expected)] == expected
    parsed = list(csv.DictReader(io.StringIO("".join(to_csv(expected, bom=False)))))
    assert [r["path"] for r in parsed] == [e["path"] for e in expected]
    assert [r["message_index"] for r in parsed] == [
        "" if e["message_index"] is None else str(e["message_index"]) for e in expected
    ]
    assert [r["country"] for r in parsed] == ["; ".join(e["country"]) for e in expected]


def test_cli_export_formats(runner, sample_index):
    out = runner.invoke(
        main, ["search", "银行", "--index", str(sample_index), "--format", "jsonl"]
    ).output
    assert len(out.splitlines()) == search(sample_index, "银行").total


def test_web_timeline_export_and_batch(client, sample_index):
    page = client.get("/?q=&kind=message").get_data(as_text=True)
    assert "<svg" in page and "<rect" in page
    exported = client.get("/export.csv?q=银行")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    # The export lists every matching document and message; the page groups messages by log.
    exported_rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(exported_rows) == search(sample_index, "银行").total > search_total(client, "银行")
    batch = client.post("/batch", data={"terms": "安洵\nIndia"}).get_data(as_text=True)
    assert "安洵" in batch and "leaksearch-batch" not in batch
    csv_text = client.get("/batch.csv?terms=安洵").get_data(as_text=True)
    assert csv_text.startswith("term,documents,messages,error")


def search_total(client, q: str) -> int:
    return client.get("/api/search", query_string={"q": q}).get_json()["total"]


def test_interface_language_switch_is_remembered(client):
    zh = client.get("/?q=India&ui=zh")
    assert "搜索" in zh.get_data(as_text=True) and "ui=zh" in zh.headers["Set-Cookie"]
    again = client.get("/?q=India").get_data(as_text=True)  # the test client keeps cookies
    assert "国家/地区" in again


def test_opensearch_and_slash_shortcut(client):
    xml = client.get("/opensearch.xml")
    assert xml.mimetype == "application/opensearchdescription+xml"
    assert "{searchTerms}" in xml.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "opensearch.xml" in page and "keys.js" in page
    with client.get("/static/keys.js") as script:
        assert 'event.key === "/"' in script.get_data(as_text=True)


def test_bad_date_is_a_message(client):
    response = client.get("/?q=x&from=2021-13-01")
    assert response.status_code == 400 and "not a date" in response.get_data(as_text=True)
