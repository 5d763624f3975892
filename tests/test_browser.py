"""The web UI in a real browser: Debian's Chromium driven by Playwright over the sample index."""

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import DOM_AUDIT, Tab, serving
from tests.ui_text import english_left

CJK = re.compile(r"[\u4e00-\u9fff]+")
MANY = "邮箱"  # a query with more than a page of hits (chat logs grouped), India among them


@pytest.fixture(scope="module")
def server(sample_index) -> Iterator[str]:
    """The app the `tab` fixture (conftest.py) opens pages of."""
    with serving(sample_index) as url:
        yield url


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def total(page: Page) -> int:
    return int(page.locator(".summary .total").inner_text())


def follow(page: Page, link: Locator, arrived: Callable[[dict[str, list[str]]], bool]) -> None:
    """Click a link and wait until the new page's query string shows the change."""
    link.click()
    page.wait_for_url(lambda url: arrived(query_of(url)))


def search(tab: Tab, query: str) -> int:
    """Type a query into the header's search box and press Enter; returns the total shown."""
    tab.page.goto("/")
    box = tab.page.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    tab.page.wait_for_url(lambda url: query_of(url).get("q") == [query])
    tab.snap("search")
    return total(tab.page)


def hit_countries(page: Page) -> list[set[str]]:
    tags = "h => [...h.querySelectorAll('.path .tag:not(.type)')].map(t => t.dataset.code)"
    return [set(c) for c in page.locator("ol.hits > li.hit").evaluate_all(f"hs => hs.map({tags})")]


def hit_links(page: Page) -> list[str]:
    """The documents the hits link to (their links also carry the search's state)."""
    links = page.locator("ol.hits > li.hit h3 a").evaluate_all("as => as.map(a => a.href)")
    return [urlsplit(link).path + "#" + urlsplit(link).fragment for link in links]


def test_search_from_the_box_lists_results_with_a_total(tab):
    found = search(tab, "HiveMail")
    assert found > 1
    expect(tab.page.locator(".summary")).to_contain_text(f"{found} results")
    expect(tab.page.locator("ol.hits > li.hit")).to_have_count(min(found, 10))
    expect(tab.page.locator("ol.hits mark").first).to_have_text(re.compile("hivemail", re.I))


def test_facet_select_exclude_and_remove(tab):
    page = tab.page
    country = page.locator('section.facet[data-facet="country"]')
    everything = search(tab, "外交部")
    follow(page, country.locator('a.toggle[data-value="IN"]'), lambda q: q.get("country") == ["IN"])
    tab.snap("selected")
    expect(country.locator("li.selected a.toggle")).to_have_text("☑ India")
    in_india = total(page)
    # 外交部 is named in notes on several countries: selecting one must drop hits.
    assert 0 < in_india < everything
    assert all("IN" in tags for tags in hit_countries(page))

    pakistan = country.locator("li", has=page.locator('a.toggle[data-value="PK"]'))
    follow(page, pakistan.locator("a.exclude"), lambda q: q.get("not_country") == ["PK"])
    tab.snap("excluded")
    expect(country.locator("li.excluded")).to_have_text("✕ not Pakistan")
    assert total(page) < in_india
    countries = hit_countries(page)
    assert countries and all("IN" in tags and "PK" not in tags for tags in countries)

    follow(page, country.locator("li.selected a.toggle"), lambda q: "country" not in q)
    follow(page, country.locator("li.excluded a.toggle"), lambda q: "not_country" not in q)
    tab.snap("removed")
    expect(country.locator("li.selected, li.excluded")).to_have_count(0)
    assert total(page) == everything


def test_paging_forward_and_back(tab):
    page = tab.page
    pages = -(-search(tab, MANY) // 10)
    assert pages > 1
    first = hit_links(page)
    expect(page.locator(".summary")).to_contain_text(f"page 1 of {pages}")
    follow(page, page.locator("nav.pages a[rel=next]"), lambda q: q.get("page") == ["2"])
    tab.snap("page2")
    expect(page.locator(".summary")).to_contain_text(f"page 2 of {pages}")
    second = hit_links(page)
    assert second and not set(second) & set(first)
    follow(page, page.locator("nav.pages a[rel=prev]"), lambda q: q.get("page") == ["1"])
    tab.snap("page1")
    assert hit_links(page) == first


def test_document_from_a_hit_marks_the_query(tab):
    page = tab.page
    search(tab, "India")
    hit = page.locator("li.hit", has_text="notes/analyst_note_01_south_asia.txt")
    hit.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/doc/notes/analyst_note_01_south_asia\.txt\?q=India$"))
    tab.snap("document")
    expect(page.locator("dl.meta dd").first).to_have_text("notes/analyst_note_01_south_asia.txt")
    marks = page.locator("pre.text mark")
    expect(marks.first).to_be_visible()
    # The query names the country in any language, so 印度 is marked as well as India.
    assert {m.lower() for m in marks.all_inner_texts()} <= {"india", "印度"}
    page.get_by_role("link", name="back to results").click()
    page.wait_for_url(lambda url: query_of(url).get("q") == ["India"])
    expect(page.locator("ol.hits > li.hit").first).to_be_visible()


def test_pinyin_query_marks_chinese_characters(tab):
    search(tab, "anxun")
    marked = tab.page.locator(".snippet mark, table.context mark").all_inner_texts()
    chinese = [m for m in marked if CJK.fullmatch(m)]
    assert chinese and all(m.startswith("安洵") for m in chinese), marked


@pytest.mark.parametrize(
    ("query", "path"),
    [("alert", "web/hivemail_login.html"), ("Xingyuan", "web/about_xingyuan.html")],
)
def test_hostile_documents_are_inert(tab, server, query, path):
    page = tab.page
    search(tab, query)
    audits = [page.evaluate(DOM_AUDIT)]
    page.locator("li.hit", has_text=path).locator("h3 a").click()
    page.wait_for_url(f"**/doc/{path}?q={query}")
    tab.snap("document")
    audits.append(page.evaluate(DOM_AUDIT))
    for audit in audits:
        assert audit["scripts"] == [["/static/keys.js", ""]]
        assert audit["handlers"] == [] and audit["embedded"] == 0
        assert audit["canary"] is None
    if path.endswith("hivemail_login.html"):
        # The payloads are on screen as text: escaped, not parsed.
        expect(page.locator("pre.text")).to_contain_text("user=<script>alert(1)</script>")
    assert not tab.dialogs and not tab.page_errors
    # Nothing was fetched from elsewhere (hook.js) nor from the payload's <img src=x>.
    assert all(url.startswith(server + "/") for url in tab.requests), tab.requests
    assert not any(urlsplit(url).path.endswith("/x") for url in tab.requests)
    for response in tab.navigations:
        csp = response.header_value("content-security-policy") or ""
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, response.url
    # A blocked-by-CSP report is the policy working; any other console error is ours.
    others = [e for e in tab.console_errors if "Content Security Policy" not in e]
    assert not others, others


def test_slash_key_focuses_the_search_box(tab):
    page = tab.page
    page.goto("/?q=India")
    box = page.get_by_role("searchbox")
    expect(box).not_to_be_focused()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    tab.snap("focused")
    # The slash is swallowed and the old query selected, so typing replaces it...
    assert box.evaluate("b => [b.value, b.selectionStart, b.selectionEnd]") == ["India", 0, 5]
    # ...while a slash typed inside the box is just text.
    page.keyboard.type("a/b")
    expect(box).to_have_value("a/b")


def test_chinese_interface_switch(tab):
    page = tab.page
    search(tab, MANY)
    follow(page, page.locator("nav.links a.ui"), lambda q: q.get("ui") == ["zh"])
    tab.snap("zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("header button[type=submit]")).to_have_text("搜索")
    expect(page.locator('section.facet[data-facet="country"] h2')).to_have_text("国家/地区")
    expect(page.locator('a.toggle[data-value="IN"]')).to_have_text("☐ 印度")
    expect(page.locator(".summary")).to_contain_text("条结果")
    expect(page.locator("nav.pages a[rel=next]")).to_have_text("下一页 →")
    # The cookie keeps the choice on a page opened without ?ui=: the document's back link.
    page.locator("li.hit.document h3 a").first.click()
    page.wait_for_url("**/doc/**")
    tab.snap("zh-document")
    back = page.locator("article.document p a").first
    expect(back).to_have_text("← 返回结果")
    follow(page, page.locator("nav.links a.ui"), lambda q: q.get("ui") == ["en"])
    expect(back).to_have_text("← back to results")


def test_facet_page_filter_and_select(tab):
    page = tab.page
    search(tab, "India")
    more = page.locator('section.facet[data-facet="domain"] li.more a')
    more.click()
    page.wait_for_url("**/facet/domain?**")
    tab.snap("facet-page")
    rows = page.locator("table.facet-values tbody tr")
    everything = rows.count()
    assert everything > 1
    value = rows.nth(everything - 1).locator("a.toggle").get_attribute("data-value")
    box = page.get_by_role("searchbox", name="Filter values")
    box.fill(value)
    box.press("Enter")
    page.wait_for_url(lambda url: query_of(url).get("value") == [value])
    tab.snap("facet-filtered")
    assert 1 <= rows.count() < everything
    follow(page, page.locator(f'a.toggle[data-value="{value}"]'), lambda q: "domain" in q)
    tab.snap("facet-selected")
    assert query_of(page.url) == {"q": ["India"], "domain": [value]}
    expect(page.locator('section.facet[data-facet="domain"] li.selected a.toggle')).to_have_count(1)
    assert total(page) >= 1


def test_chinese_interface_has_no_english_label(tab, sample_index):
    page = tab.page
    for url in ("/?q=India&ui=zh", "/?q=anxun&kind=message", "/facet/country?q=India", "/failures"):
        page.goto(url)
        tab.snap("zh-" + (re.sub(r"\W+", "-", urlsplit(url).path).strip("-") or "search"))
        assert english_left(page.content(), sample_index) == [], url
