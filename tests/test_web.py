"""The Flask app through its test client, over a real index."""

import re

import pytest
from bs4 import BeautifulSoup

from search_web import create_app


def test_search_page_shows_hits_facets_and_time(client):
    page = client.get("/?q=安洵").get_data(as_text=True)
    assert 'class="total"' in page and " ms" in page
    assert "<mark>" in page
    for facet in ("country", "target_type", "lang", "filetype"):
        assert f'data-facet="{facet}"' in page


def test_pinyin_query_highlights_chinese_in_results(client):
    page = client.get("/?q=anxun").get_data(as_text=True)
    assert "<mark>安洵</mark>" in page


def test_facet_links_toggle_and_exclude_and_live_in_the_url(client):
    page = client.get("/?q=").get_data(as_text=True)
    link = re.search(r'href="(/\?[^"]*country=IN[^"]*)"', page)
    assert link, "no link selecting India"
    selected = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert 'class="selected"' in selected
    toggled_off = re.search(
        r'<li class="selected">\s*<a class="toggle" href="([^"]*)"', selected
    ).group(1)
    assert "country=IN" not in toggled_off
    exclude = (
        re.search(r'href="(/\?[^"]*not_country=IN[^"]*)"', page).group(1).replace("&amp;", "&")
    )
    excluded = client.get(exclude).get_data(as_text=True)
    assert "not " in excluded and "✕" in excluded


def test_query_keeps_filters_in_hidden_fields(client):
    page = client.get("/?q=安洵&country=IN").get_data(as_text=True)
    assert '<input type="hidden" name="country" value="IN">' in page


def test_document_page_marks_terms_and_shows_metadata(client):
    api = client.get("/api/search?q=yinhang").get_json()
    path = api["hits"][0]["path"]
    page = client.get(f"/doc/{path}?q=yinhang").get_data(as_text=True)
    assert "<mark>银行</mark>" in page or "<mark>銀行</mark>" in page
    for label in ("encoding", "sha256", "language", "countries", "target types"):
        assert label in page


def test_api_matches_the_cli_shape(client):
    data = client.get("/api/search?q=India&limit=5").get_json()
    assert set(data) == {"total", "hits", "facets", "cut_short"}
    assert len(data["hits"]) <= 5


@pytest.mark.parametrize(
    "q", ['"unbalanced', "country:Atlantis", "(((", "title:", "*", "a AND", "NOT"]
)
def test_malformed_queries_never_500(client, q):
    for url in ("/", "/api/search"):
        response = client.get(url, query_string={"q": q})
        assert response.status_code in (200, 400)


def test_unknown_country_message(client):
    response = client.get("/?q=x&country=Atlantis")
    assert response.status_code == 400
    assert "unknown country" in response.get_data(as_text=True)


def assert_inert(page: str) -> None:
    """Only our own static script; no event-handler attribute, no javascript: link."""
    soup = BeautifulSoup(page, "html.parser")
    assert [s.get("src") for s in soup.find_all("script")] == ["/static/keys.js"]
    assert all(not s.string for s in soup.find_all("script"))
    for tag in soup.find_all(True):
        assert not any(attr.lower().startswith("on") for attr in tag.attrs), tag
        for attr in ("href", "src", "action"):
            assert not str(tag.get(attr, "")).strip().lower().startswith("javascript:"), tag


def test_hostile_documents_are_escaped_and_csp_forbids_scripts(client, sample_texts):
    hostile = [p for p, t in sample_texts.items() if "<script" in t or "onerror" in t]
    assert hostile, "corpus_sample should hold hostile markup as text"
    response = client.get("/?q=alert")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert_inert(response.get_data(as_text=True))
    for path in hostile:
        assert_inert(client.get(f"/doc/{path}?q=alert").get_data(as_text=True))


def test_unknown_document_is_404(client):
    assert client.get("/doc/no/such/file.md").status_code == 404


def test_failures_page_lists_unindexed_files(client):
    page = client.get("/failures").get_data(as_text=True)
    assert "empty" in page


def test_missing_index_is_a_message_not_a_crash(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/?q=x")
    assert response.status_code == 400 and "leaksearch index" in response.get_data(as_text=True)
