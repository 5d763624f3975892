"""Chat logs: grouped hits with their matching messages, message hits, a log's page by windows."""

import csv
import io
import json
import re

import pytest

from indexer.cli import main
from indexer.extract.chat import find_messages
from indexer.search.chatlog import WINDOW
from indexer.search.export import batch_counts
from indexer.search.search import SHOWN, Filters, get_document, search
from search_web import create_app
from tests.conftest import CORPUS, LONG_LOG, marked

LONG = "long/chat/0.md"
MARKED = list(range(0, LONG_LOG, 97))  # chatgen puts 批次N号 in every 97th message
ROWS = 2 * WINDOW + 1

CHAT_TABLE = """<table>
<tr><th>Time</th><th>From</th><th>To</th><th>Message</th></tr>
<tr><td>2022-05-17 18:02:10</td><td>阿杰</td><td>wxid_a1</td><td>明天去演示</td></tr>
<tr><td>2022-05-17 18:03:00</td><td>wxid_a1</td><td>阿杰</td><td><img src="x/shot_1.png"></td></tr>
<tr><td>2022-05-17 18:04:00</td><td>wxid_a1</td><td>阿杰</td><td></td></tr>
</table>"""


def test_find_messages_keeps_every_row_in_order():
    messages = find_messages(CHAT_TABLE.encode("gb18030"), "0.md")
    assert [m.index for m in messages] == [0, 1, 2]
    assert (messages[0].time, messages[0].sender, messages[0].recipient) == (
        "2022-05-17 18:02:10",
        "阿杰",
        "wxid_a1",
    )
    assert messages[0].text == "明天去演示"
    assert "shot_1.png" in messages[1].text and messages[2].text == ""


def test_json_chat_exports_are_messages_too():
    records = [
        {"time": "t1", "from": "a", "to": "b", "message": "你好"},
        {"time": "t2", "from": "b", "to": "a", "message": "收到"},
    ]
    found = find_messages(json.dumps({"chat": records}, ensure_ascii=False).encode(), "x.json")
    assert [m.text for m in found] == ["你好", "收到"]


def test_files_without_chat_hold_no_messages():
    assert find_messages(b"<table><tr><td>a</td></tr></table>", "x.md") == ()
    assert find_messages(b"not json", "x.json") == ()


def test_message_hits_carry_sender_time_and_context(sample_index):
    results = search(sample_index, "银行", Filters(include={"kind": ("message",)}), pagelen=100)
    assert results.total > 0
    for hit in results.hits:
        assert hit.kind == "message" and hit.message["from"] and hit.message["time"]
        assert any(c["index"] == hit.message["index"] and c["hit"] for c in hit.context)
        assert 1 < len(hit.context) <= 7
        assert hit.path.startswith(("chat/", "data/"))


def test_every_message_of_the_sample_logs_is_indexed(sample_index):
    logs = [
        p
        for p in sorted(CORPUS.rglob("*"))
        if p.is_file() and find_messages(p.read_bytes(), p.name)
    ]
    expected = sum(len(find_messages(p.read_bytes(), p.name)) for p in logs)
    assert search(sample_index, "", Filters(include={"kind": ("message",)})).total == expected


def test_sender_facet_counts_match_the_logs(sample_index):
    counts = {}
    for p in sorted(CORPUS.rglob("*")):
        if p.is_file():
            for m in find_messages(p.read_bytes(), p.name):
                counts[m.sender] = counts.get(m.sender, 0) + 1
    facets = search(sample_index, "", Filters(include={"kind": ("message",)})).facets["sender"]
    assert facets == {k: v for k, v in counts.items() if k}
    name, n = next(iter(facets.items()))
    assert search(sample_index, "", Filters(include={"sender": (name,)})).total == n


def test_whole_log_stays_one_document_and_its_page_anchors_messages(sample_index, client):
    docs = search(sample_index, "银行", Filters(include={"kind": ("document",)}), pagelen=100)
    log = next(h for h in docs.hits if h.path.startswith("chat/"))
    doc = get_document(sample_index, log.path, "银行")
    assert doc.chat.rows and any(m["hit"] for m in doc.chat.rows)
    page = client.get(f"/doc/{log.path}?q=yinhang").get_data(as_text=True)
    assert f'id="m-{doc.chat.current}"' in page and "银行" in marked(page)


def test_cli_json_message_object(runner, sample_index):
    args = ["search", "银行", "--index", str(sample_index), "--json", "--limit", "50"]
    hits = json.loads(runner.invoke(main, [*args, "--kind", "message"]).output)["hits"]
    assert hits and all(set(h["message"]) == {"time", "from", "to", "index"} for h in hits)
    assert all(h["path"].startswith(("chat/", "data/")) for h in hits)
    grouped = json.loads(runner.invoke(main, args).output)["hits"]
    logs = [h for h in grouped if "messages" in h]
    assert logs and not any("message" in h for h in grouped)
    assert sum(h["messages"]["count"] for h in logs) == len(hits)


# --- grouped hits over a log of LONG_LOG messages --------------------------------------------


@pytest.fixture
def long_client(long_log_index):
    return create_app({"INDEX_DIR": str(long_log_index), "TESTING": True}).test_client()


def test_a_log_is_one_hit_with_its_matching_messages_under_it(long_log_index):
    results = search(long_log_index, "批次", group=True)
    assert results.total == 1 and len(results.hits) == 1
    log = results.hits[0]
    assert (log.path, log.kind, log.message_count) == (LONG, "document", len(MARKED))
    assert [m["index"] for m in log.messages] == MARKED[:SHOWN]
    assert all("<mark>批次</mark>" in m["html"] and m["from"] and m["time"] for m in log.messages)
    # Messages one by one are still there: as a filter, and in the library's default.
    only = search(long_log_index, "批次", Filters(include={"kind": ("message",)}), pagelen=100)
    assert only.total == len(MARKED) and {h.message["index"] for h in only.hits} == set(MARKED)
    assert search(long_log_index, "批次").total == len(MARKED) + 1


def test_grouped_totals_and_pages_count_logs_not_messages(long_log_index):
    # Every log of the index matches the empty query, with all of its messages.
    everything = search(long_log_index, "", group=True, pagelen=2)
    logs = {p.relative_to(CORPUS).as_posix() for p in (CORPUS / "chat").glob("*.md")} | {LONG}
    assert everything.total == len(logs) and everything.pages == -(-len(logs) // 2)
    seen = [
        h.path
        for page in range(1, everything.pages + 1)
        for h in search(long_log_index, "", group=True, page=page, pagelen=2).hits
    ]
    assert sorted(seen) == sorted(logs)
    long = next(
        h for h in search(long_log_index, "", group=True, pagelen=100).hits if h.path == LONG
    )
    assert long.message_count == LONG_LOG and [m["index"] for m in long.messages] == [0, 1, 2]
    assert everything.facets["kind"]["message"] > LONG_LOG  # facets still count every match


def test_grouped_hits_sort_by_their_oldest_or_newest_match(long_log_index):
    oldest = search(long_log_index, "", group=True, pagelen=100, sort="date").hits
    dates = [h.date for h in oldest]
    assert len(dates) > 1 and all(dates) and dates == sorted(dates)
    # Newest first goes by each log's latest matching message (here: its last one).
    newest = search(long_log_index, "", group=True, pagelen=100, sort="-date").hits
    last = [get_document(long_log_index, h.path, at=10**9).chat.rows[-1]["time"] for h in newest]
    assert last == sorted(last, reverse=True)


def test_api_adds_messages_to_the_log_hit_and_keeps_message_hits(long_client):
    data = long_client.get("/api/search", query_string={"q": "批次"}).get_json()
    assert data["total"] == 1
    messages = data["hits"][0]["messages"]
    assert messages["count"] == len(MARKED)
    assert [m["index"] for m in messages["first"]] == MARKED[:SHOWN]
    assert set(messages["first"][0]) == {"time", "from", "to", "index", "snippet"}
    assert "<mark>批次</mark>" in messages["first"][0]["snippet"]
    one_by_one = long_client.get(
        "/api/search", query_string={"q": "批次", "kind": "message", "limit": 100}
    ).get_json()
    assert one_by_one["total"] == len(MARKED) and all("message" in h for h in one_by_one["hits"])


def test_search_page_shows_the_log_once_with_a_count_and_show_all(long_client):
    page = long_client.get("/", query_string={"q": "批次"}).get_data(as_text=True)
    assert page.count('<li class="hit') == 1
    assert f'<span class="message-count">{len(MARKED)}</span>' in page
    assert page.count("<tr>") == SHOWN and marked(page).count("批次") == SHOWN
    show_all = re.search(r'class="show-all" href="([^"]+)"', page).group(1)
    assert show_all.startswith(f"/doc/{LONG}?") and "q=" in show_all


def test_batch_counts_documents_and_messages_apart(long_log_index, long_client, runner, tmp_path):
    [row] = batch_counts(long_log_index, ["批次"])
    assert (row.term, row.documents, row.messages) == ("批次", 1, len(MARKED))
    page = long_client.post("/batch", data={"terms": "批次"}).get_data(as_text=True)
    assert '<td class="count documents">1</td>' in page and f">{len(MARKED)}</a>" in page
    terms = tmp_path / "terms.txt"
    terms.write_text("批次\n", encoding="utf-8")
    out = runner.invoke(main, ["batch", str(terms), "--index", str(long_log_index), "--csv"])
    assert list(csv.DictReader(io.StringIO(out.output))) == [
        {"term": "批次", "documents": "1", "messages": str(len(MARKED)), "error": ""}
    ]


# --- a long log's page, a window at a time -----------------------------------------------


def rows_of(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="m-(\d+)"', page)]


def test_log_page_shows_a_window_around_the_first_match(long_client):
    response = long_client.get(f"/doc/{LONG}", query_string={"q": "批次"})
    page = response.get_data(as_text=True)
    assert len(response.get_data()) < 30_000  # the whole log was 1.4 MB
    assert rows_of(page) == list(range(ROWS))
    assert f"1 / {len(MARKED)}" in page
    assert 'class="previous-match"' not in page
    nxt = re.search(r'class="next-match" rel="next" data-key="n" href="([^"]+)"', page).group(1)
    assert "at=97" in nxt and "q=" in nxt and nxt.endswith("#m-97")


def test_next_and_previous_match_keep_the_search_state(long_client):
    state = {"q": "批次", "sort": "-date", "page": "3"}
    page = long_client.get(f"/doc/{LONG}", query_string={**state, "at": 97}).get_data(as_text=True)
    assert rows_of(page) == list(range(97 - WINDOW, 97 + WINDOW + 1))
    assert 'class="hit current"' in page and f"2 / {len(MARKED)}" in page
    links = dict(re.findall(r'class="(previous-match|next-match)"[^>]* href="([^"]+)"', page))
    assert "at=0" in links["previous-match"] and "at=194" in links["next-match"]
    for link in links.values():
        assert "sort=-date" in link and "page=3" in link and "q=" in link


def test_last_match_and_the_end_of_the_log(long_client):
    page = long_client.get(f"/doc/{LONG}", query_string={"q": "批次", "at": MARKED[-1]}).get_data(
        as_text=True
    )
    assert 'class="next-match"' not in page and f"{len(MARKED)} / {len(MARKED)}" in page
    end = long_client.get(f"/doc/{LONG}", query_string={"at": 10**9}).get_data(as_text=True)
    assert rows_of(end) == list(range(LONG_LOG - ROWS, LONG_LOG))
    assert 'class="later"' not in end


def test_log_page_without_a_query_pages_through_the_log(long_client):
    page = long_client.get(f"/doc/{LONG}").get_data(as_text=True)
    assert rows_of(page) == list(range(ROWS))
    later = re.search(r'class="later" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    second = long_client.get(later).get_data(as_text=True)
    assert rows_of(second) == list(range(ROWS, 2 * ROWS))
    earlier = re.search(r'class="earlier" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert rows_of(long_client.get(earlier).get_data(as_text=True)) == list(range(ROWS))


def test_a_common_word_marks_only_the_messages_shown(long_log_index):
    doc = get_document(long_log_index, LONG, "的")
    assert doc.matches > 1000 and len(doc.chat.rows) == ROWS
    # Not the log's whole text marked up: only the messages shown.
    assert str(doc.text_html) == "\n".join(str(m["html"]) for m in doc.chat.rows)
    assert doc.chat.rows[WINDOW if doc.chat.current >= WINDOW else doc.chat.current]["hit"]
