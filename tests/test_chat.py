"""Chat logs searched message by message: hits with sender, time and the messages around them."""

import json

from indexer.cli import main
from indexer.extract.chat import find_messages
from indexer.search import Filters, get_document, search
from tests.conftest import CORPUS

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
    assert doc.messages and any(m["hit"] for m in doc.messages)
    page = client.get(f"/doc/{log.path}?q=yinhang").get_data(as_text=True)
    assert 'id="m-0"' in page and "<mark>银行</mark>" in page


def test_cli_json_message_object(runner, sample_index):
    out = runner.invoke(
        main, ["search", "银行", "--index", str(sample_index), "--json", "--limit", "50"]
    )
    hits = json.loads(out.output)["hits"]
    messages = [h for h in hits if "message" in h]
    assert messages and set(messages[0]["message"]) == {"time", "from", "to", "index"}
    assert all(h["path"].startswith(("chat/", "data/")) for h in messages)
