"""A long chat log in a browser: one grouped hit, its page by windows, n / p between matches."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from indexer.search.chatlog import WINDOW
from tests.browser import Tab, serving
from tests.conftest import LONG_LOG
from tests.test_browser import query_of

LONG = "long/chat/0.md"
MARKED = list(range(0, LONG_LOG, 97))  # chatgen puts 批次N号 in every 97th message


@pytest.fixture(scope="module")
def server(long_log_index) -> Iterator[str]:
    with serving(long_log_index) as url:
        yield url


def at(url: str) -> int | None:
    values = query_of(url).get("at")
    return int(values[0]) if values else None


def current_row(tab: Tab) -> int:
    return int(tab.page.locator("table.log tr.current").get_attribute("id").removeprefix("m-"))


def test_a_log_is_one_hit_whose_show_all_opens_its_matches(tab):
    page = tab.page
    page.goto("/?q=批次")
    tab.snap("grouped")
    expect(page.locator(".summary .total")).to_have_text("1")
    hit = page.locator("ol.hits > li.hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".message-count")).to_have_text(str(len(MARKED)))
    expect(hit.locator("table.context tr")).to_have_count(3)
    expect(hit.locator("table.context mark").first).to_have_text("批次")
    hit.locator("a.show-all").click()
    page.wait_for_url(re.compile(rf"/doc/{re.escape(LONG)}\?"))
    tab.snap("show-all")
    expect(page.locator("table.log tr[id]")).to_have_count(2 * WINDOW + 1)
    expect(page.locator(".match-position")).to_have_text(f"match 1 / {len(MARKED)}")
    assert current_row(tab) == 0
    assert query_of(page.url)["q"] == ["批次"]


def test_next_and_previous_match_by_link_and_by_n_and_p(tab):
    page = tab.page
    page.goto(f"/doc/{LONG}?q=批次")
    page.locator("a.next-match").click()
    page.wait_for_url(lambda url: at(url) == MARKED[1])
    tab.snap("next-link")
    assert current_row(tab) == MARKED[1]
    expect(page.locator("table.log tr.current mark")).to_have_text("批次")
    page.keyboard.press("n")
    page.wait_for_url(lambda url: at(url) == MARKED[2])
    expect(page.locator(".match-position")).to_have_text(f"match 3 / {len(MARKED)}")
    expect(page.locator("table.log tr.current")).to_be_in_viewport()
    tab.snap("n-key")
    page.keyboard.press("p")
    page.wait_for_url(lambda url: at(url) == MARKED[1])
    page.locator("a.previous-match").click()
    page.wait_for_url(lambda url: at(url) == MARKED[0])
    tab.snap("back-to-first")
    expect(page.locator("a.previous-match")).to_have_count(0)
    assert query_of(page.url)["q"] == ["批次"]
    # Typed into the search box, n is a letter, not a jump.
    box = page.get_by_role("searchbox")
    box.fill("")
    page.keyboard.press("n")
    expect(box).to_have_value("n")
    assert at(page.url) == MARKED[0]


def test_a_log_without_a_query_pages_by_n_and_p(tab):
    page = tab.page
    page.goto(f"/doc/{LONG}")
    rows = 2 * WINDOW + 1
    expect(page.locator("table.log tr[id]").first).to_have_attribute("id", "m-0")
    page.keyboard.press("n")
    page.wait_for_url(lambda url: at(url) is not None)
    tab.snap("later")
    expect(page.locator("table.log tr[id]").first).to_have_attribute("id", f"m-{rows}")
    page.keyboard.press("p")
    page.wait_for_url(lambda url: at(url) is not None and at(url) < rows)
    expect(page.locator("table.log tr[id]").first).to_have_attribute("id", "m-0")
