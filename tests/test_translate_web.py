"""Translations in the page (chips, the switch, removing one), the API and the CLI."""

import json
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from tests.conftest import marked
from tests.test_cli import run
from tests.test_web import assert_inert


def page(client, **args) -> BeautifulSoup:
    response = client.get("/", query_string=args)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def chips(soup: BeautifulSoup) -> dict[str, str]:
    """Each translation chip's word -> its text."""
    return {
        c.select_one(".word").text: " ".join(c.text.split())
        for c in soup.select('p.expansions .chip[data-kind="translation"]')
    }


def test_an_english_query_lists_its_chinese_translation_with_reading_and_gloss(client):
    soup = page(client, q="Ministry of Foreign Affairs salary")
    shown = chips(soup)
    assert shown["工资"].startswith("工资 gōngzī salary")
    hits = {a["href"] for a in soup.select("ol.hits a")}
    assert any("9f4c2b8e" in h or "e2a7c9d4" in h for h in hits)  # Chinese documents found


def test_trojan_finds_the_chinese_document(client):
    soup = page(client, q="trojan")
    assert chips(soup).keys() == {"木马"}
    assert "mùmǎ" in chips(soup)["木马"]
    paths = [a["href"] for a in soup.select("ol.hits h3 a")]
    assert any("4b7e2c91" in p for p in paths)


def test_a_chip_removes_its_translation_and_keeps_the_rest_of_the_search(client):
    soup = page(client, q="hospital", country="TH")
    drop = soup.select_one('.chip[data-kind="translation"] a.drop')["href"]
    args = parse_qs(urlsplit(drop).query)
    assert args == {"q": ["hospital"], "country": ["TH"], "drop": ["医院"]}
    dropped = page(client, **{k: v for k, v in args.items()})
    assert chips(dropped) == {}
    restore = dropped.select_one("a.restore")
    assert restore.text.strip().endswith("医院")
    assert parse_qs(urlsplit(restore["href"]).query) == {"q": ["hospital"], "country": ["TH"]}
    total = int(soup.select_one(".total").text)
    assert int(dropped.select_one(".total").text) < total


def test_the_switch_turns_translation_off_and_on(client):
    soup = page(client, q="hospital")
    off = soup.select_one("a.translate-off")["href"]
    assert parse_qs(urlsplit(off).query) == {"q": ["hospital"], "translate": ["0"]}
    plain = page(client, q="hospital", translate="0")
    assert chips(plain) == {} and plain.select_one("p.expansions") is None
    assert int(plain.select_one(".total").text) < int(soup.select_one(".total").text)
    on = plain.select_one("a.translate-on")["href"]
    assert parse_qs(urlsplit(on).query) == {"q": ["hospital"]}


def test_the_search_box_keeps_the_switch(client):
    soup = page(client, q="hospital", translate="0", drop="医院")
    hidden = {i["name"]: i["value"] for i in soup.select("form.searchbox input[type=hidden]")}
    assert hidden["translate"] == "0" and hidden["drop"] == "医院"


def test_the_api_lists_the_translations_that_ran(client):
    data = client.get("/api/search", query_string={"q": "telecom operator"}).get_json()
    (translation,) = [e for e in data["expansions"] if e["kind"] == "translation"]
    assert translation["typed"] == "telecom operator"
    assert translation["searched"] == ["运营商"]
    assert translation["translations"][0]["reading"] == "yùnyíngshāng"
    off = client.get("/api/search", query_string={"q": "telecom operator", "translate": "0"})
    assert off.get_json()["expansions"] == []
    assert off.get_json()["total"] < data["total"]


def test_a_hostile_query_next_to_a_translated_word_stays_inert(client):
    response = client.get("/", query_string={"q": 'server "<script>alert(1)</script>"'})
    body = response.get_data(as_text=True)
    assert_inert(body)
    assert "服务器" in chips(BeautifulSoup(body, "html.parser"))


def test_the_footer_credits_cc_cedict(client):
    for ui in ("en", "zh"):
        footer = page(client, ui=ui).select_one("footer")
        assert (
            "CC-CEDICT" in footer.text and "CC BY-SA 4.0" in footer.text and "MDBG" in footer.text
        )


def test_the_document_page_keeps_the_switch(client):
    path = "/doc/docs/4b7e2c91-6a3d-4f58-8e10-d2c6a9b5f374.md"
    page = client.get(path, query_string={"q": "trojan"}).get_data(as_text=True)
    assert "木马" in marked(page)
    plain = client.get(path, query_string={"q": "trojan", "translate": "0"})
    assert "<mark>" not in plain.get_data(as_text=True)


def test_cli_json_lists_translations_and_no_translate_turns_them_off(runner, sample_index):
    out = run(runner, "search", "trojan", "--index", sample_index, "--json").output
    data = json.loads(out)
    assert [e["searched"] for e in data["expansions"]] == [["木马"]]
    assert data["expansions"][0]["translations"][0]["word"] == "木马"
    off = json.loads(
        run(runner, "search", "trojan", "--index", sample_index, "--json", "--no-translate").output
    )
    assert off["expansions"] == [] and off["total"] < data["total"]
    dropped = run(runner, "search", "trojan", "--index", sample_index, "--json", "--drop", "木马")
    assert json.loads(dropped.output)["total"] == off["total"]


def test_cli_text_says_what_was_also_searched(runner, sample_index):
    out = run(runner, "search", "telecom operator", "--index", sample_index).output
    assert "also searched telecom operator as: 运营商 yùnyíngshāng" in out
    off = run(runner, "search", "telecom operator", "--index", sample_index, "--no-translate")
    assert "also searched" not in off.output
