"""Glosses in a real browser: Debian's Chromium shows a word's pinyin and senses on hover and on
keyboard focus, and pinyin over the characters with the ruby switch, with nothing from outside."""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import Tab, serving

DOCUMENT = "/doc/encoded/taiwan_notes_big5.txt?q=外交部"  # Traditional Chinese, read from Big5
# Reports each Content-Security-Policy violation where the test can read it.
CSP_WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"""
TOOLTIP = "w => getComputedStyle(w, '::after').content"


@pytest.fixture(scope="module")
def server(sample_index) -> Iterator[str]:
    """The app the `tab` fixture (conftest.py) opens pages of."""
    with serving(sample_index) as url:
        yield url


def open_page(tab: Tab, url: str) -> None:
    tab.page.add_init_script(CSP_WATCH)
    tab.page.goto(url)


def assert_nothing_from_outside(tab: Tab, server: str) -> None:
    assert all(url.startswith(server + "/") for url in tab.requests), tab.requests
    assert tab.page.evaluate("window.__csp") == []
    # (The browser's own request for /favicon.ico, a 404, is the one console error allowed.)
    assert not [e for e in tab.console_errors if "404" not in e], tab.console_errors
    for response in tab.navigations:
        csp = response.header_value("content-security-policy") or ""
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, response.url


def test_a_word_shows_its_pinyin_and_senses_on_hover(tab, server):
    page = tab.page
    open_page(tab, DOCUMENT)
    word = page.locator("pre.text span.w", has_text="臺灣").first
    assert word.evaluate(TOOLTIP) == "none"
    word.hover()
    tab.snap("hover")
    shown = word.evaluate(TOOLTIP)
    assert "táiwān" in shown and "Taiwan" in shown
    page.mouse.move(0, 0)
    expect(word).not_to_be_focused()
    assert word.evaluate(TOOLTIP) == "none"
    assert_nothing_from_outside(tab, server)


def test_a_word_shows_its_gloss_on_keyboard_focus(tab, server):
    page = tab.page
    open_page(tab, DOCUMENT)
    page.locator("a.ruby-switch").focus()
    page.keyboard.press("Tab")  # from the switch to the text's first word
    first = page.locator("pre.text span.w").first
    expect(first).to_be_focused()
    tab.snap("focus")
    gloss = first.get_attribute("data-gloss")
    assert first.evaluate(TOOLTIP) == '"' + gloss.replace("\n", "\\a ") + '"'
    page.keyboard.press("Tab")
    second = page.locator("pre.text span.w").nth(1)
    expect(second).to_be_focused()
    assert first.evaluate(TOOLTIP) == "none" and second.evaluate(TOOLTIP) != "none"
    assert_nothing_from_outside(tab, server)


def test_the_ruby_switch_shows_pinyin_above_the_characters(tab, server):
    page = tab.page
    open_page(tab, DOCUMENT)
    expect(page.locator("rt")).to_have_count(0)
    page.locator("a.ruby-switch").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("ruby") == ["1"])
    tab.snap("ruby")
    word = page.locator("pre.text mark span.w").first  # the query's word: 外交部
    readings = word.locator("rt")
    expect(readings).to_have_text(["wài", "jiāo", "bù"])
    expect(readings.first).to_be_visible()
    # Each syllable stands above its character: the reading's box ends where the base's begins.
    reading, base = readings.first.bounding_box(), word.bounding_box()
    assert reading["y"] + reading["height"] <= base["y"] + base["height"] / 2 + 1
    expect(page.locator("pre.text mark").first).to_have_text("外wài交jiāo部bù")  # still marked
    page.locator("a.ruby-switch").click()
    page.wait_for_url(lambda url: "ruby" not in parse_qs(urlsplit(url).query))
    expect(page.locator("rt")).to_have_count(0)
    assert_nothing_from_outside(tab, server)


def test_snippets_gloss_on_hover(tab, server):
    page = tab.page
    open_page(tab, "/?q=外交部")
    word = page.locator("ol.hits .snippet span.w, ol.hits table.context span.w").first
    word.hover()
    tab.snap("snippet-hover")
    assert word.evaluate(TOOLTIP) != "none"
    assert word.get_attribute("data-gloss").split("\n")[0] in word.evaluate(TOOLTIP)
    assert_nothing_from_outside(tab, server)
