"""Glossed Chinese on the document page and in snippets, through the Flask test client."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.analyse.fold import is_cjk
from indexer.index.build import build_index
from indexer.search.gloss_html import GLOSSED_CHARS, GLOSSED_ID
from search_web import create_app
from tests.hostile import PAYLOAD
from tests.ui_text import english_left

TAIWAN = "/doc/encoded/taiwan_notes_big5.txt"  # Traditional Chinese, read from Big5
LONG = 3 * GLOSSED_CHARS  # characters of the long document below


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def unglossed_chinese(element) -> str:
    """Han characters of an element's text that no word element holds."""
    loose = [s for s in element.find_all(string=True) if not s.find_parent(class_="w")]
    return "".join(ch for s in loose if s.parent.name != "rt" for ch in s if is_cjk(ch))


def gloss_of(soup: BeautifulSoup, word: str) -> str:
    return next(w["data-gloss"] for w in soup.select("span.w") if w.get_text() == word)


def test_every_chinese_word_of_a_document_is_glossed(client):
    soup = soup_of(client, TAIWAN)
    text = soup.select_one("pre.text")
    assert unglossed_chinese(text) == ""
    words = text.select("span.w")
    assert len(words) > 100 and all(w["tabindex"] == "0" for w in words)
    # Traditional text keeps its characters and gets CEDICT's entries for them.
    assert gloss_of(soup, "臺灣").startswith("táiwān\nTaiwan")
    assert gloss_of(soup, "外交部").startswith("wàijiāobù\nMinistry of Foreign Affairs")
    assert not text.find("rt")  # pinyin above the characters only when asked


def test_the_ruby_switch_puts_pinyin_over_every_character_and_back(client):
    soup = soup_of(client, TAIWAN + "?q=外交部")
    switch = soup.select_one("a.ruby-switch")
    assert parse_qs(urlsplit(switch["href"]).query) == {"q": ["外交部"], "ruby": ["1"]}
    ruby = soup_of(client, switch["href"])
    text = ruby.select_one("pre.text")
    han = [
        ch for s in text.find_all(string=True) if s.parent.name != "rt" for ch in s if is_cjk(ch)
    ]
    readings = [rt.get_text() for rt in text.find_all("rt")]
    assert len(readings) == len(han) and all(readings)
    assert "wài" in readings and "tái" in readings
    assert [m.get_text() for m in text.find_all("mark")] == ["外交部"]  # marks still whole
    back = ruby.select_one("a.ruby-switch")
    assert parse_qs(urlsplit(back["href"]).query) == {"q": ["外交部"]}


def test_a_chat_logs_messages_and_senders_are_glossed(client):
    soup = soup_of(client, "/doc/chat/0.md?q=安洵")
    table = soup.select_one("table.chat")
    assert unglossed_chinese(table) == ""
    assert table.select("td.who span.w")  # senders such as 阿飞 are read too
    assert [m.get_text() for m in table.find_all("mark")] == ["安洵"] * len(table("mark"))
    glossed_marks = [m for m in table.find_all("mark") if m.select("span.w")]
    assert glossed_marks and gloss_of(soup, "安洵").startswith("ānxún\n安 ān: ")


def test_snippets_are_glossed_and_the_api_is_not(client):
    soup = soup_of(client, "/?q=外交部")
    assert soup.select(".snippet span.w") or soup.select("table.context span.w")
    assert all(s.find_parent("a") is None for s in soup.select("span.w"))  # never inside a link
    api = client.get("/api/search?q=外交部").get_json()
    assert api["hits"] and not any("span" in h["snippet"] for h in api["hits"])


def test_the_chinese_interface_adds_only_data_to_a_glossed_page(client, sample_index):
    page = client.get(TAIWAN + "?ui=zh").get_data(as_text=True)
    assert 'class="w"' in page
    assert english_left(page, sample_index) == []


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """An index of Chinese documents carrying script payloads, and one long document."""
    corpus = tmp_path_factory.mktemp("gloss-corpus")
    # 尖括号's CEDICT sense is "angle brackets < >": data that must be escaped too.
    (corpus / "payload.txt").write_text(f"外交部的邮箱 {PAYLOAD} 尖括号\n", "utf-8")
    line = "第{}行：外交部的工作人员登录了邮箱。\n"
    lines, size = [], 0
    while size < LONG:
        lines.append(line.format(len(lines)))
        size += len(lines[-1])
    (corpus / "long.txt").write_text("".join(lines), "utf-8")
    index_dir = tmp_path_factory.mktemp("gloss-index")
    build_index(corpus, index_dir)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_payloads_and_senses_stay_text(hostile_client):
    page = hostile_client.get("/doc/payload.txt?ruby=1").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert [s.get("src") for s in soup.find_all("script")] == ["/static/keys.js"]
    assert not soup.find_all(["img", "svg", "iframe"]) and not soup.select("pre.text a")
    assert "<script>alert(1)</script>" in soup.select_one("pre.text").get_text()
    assert 'data-gloss="jiānkuòhào\nangle brackets &lt; &gt;"' in page
    assert gloss_of(soup, "尖括号") == "jiānkuòhào\nangle brackets < >"


def chars_before(element, pre) -> int:
    """Characters of the document's text before an element of its <pre>."""
    return sum(
        len(s) for s in element.find_all_previous(string=True) if s.find_parent("pre") is pre
    )


def test_a_long_document_is_glossed_a_part_at_a_time(hostile_client):
    soup = soup_of(hostile_client, "/doc/long.txt")
    text = soup.select_one("pre.text")
    part = soup.select_one(".glossed-part")
    assert part.get_text(" ", strip=True).startswith("words glossed in characters: 1–")
    assert not part.select("a.gloss-previous") and not text.find(id=GLOSSED_ID)
    words = text.select("span.w")
    assert words and unglossed_chinese(text)  # glossed at the start, plain further on
    assert sum(len(w.get_text()) for w in words) < GLOSSED_CHARS < LONG
    # The next part starts where this one ends, at a line start, and its link leads there.
    following = part.select_one("a.gloss-next")["href"]
    assert urlsplit(following).fragment == GLOSSED_ID
    at = int(parse_qs(urlsplit(following).query)["gloss"][0])
    assert GLOSSED_CHARS // 2 <= at <= GLOSSED_CHARS
    nxt = soup_of(hostile_client, following)
    anchor = nxt.find(id=GLOSSED_ID)
    assert chars_before(anchor, nxt.select_one("pre.text")) == at
    assert nxt.select_one("pre.text span.w").find_previous(id=GLOSSED_ID) is anchor
    assert nxt.select_one(".glossed-part a.gloss-previous")
    # A search lands on the part that starts at its first match's line.
    found = soup_of(hostile_client, "/doc/long.txt?q=1000")
    (mark,) = found.select("pre.text mark")
    assert mark.get_text() == "1000"
    assert mark.find_previous(class_="w").get_text() == "第"
    assert mark.find_previous(class_="w").find_previous(id=GLOSSED_ID)
    assert found.select_one("pre.text span.w").get_text() == "第"
