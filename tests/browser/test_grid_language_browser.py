"""The policy table's pager follows the page's language: after the language switch it read
"每页行数：", "1 至 25 / 181", "页 1 / 8" until a reload (AG Grid reads its texts once, when it
builds a part; assets/grid_text.js rebuilds the pager on a switch)."""

from __future__ import annotations

import re

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

PAGER = "#table .ag-paging-panel"


def pager_text(page) -> str:
    """The pager as a reader sees it (scrolled into view: off the screen the grid asks for no
    rows and its counts read "more")."""
    page.locator("#table").scroll_into_view_if_needed()
    page.wait_for_function(
        "s => /\\d\\s*$/.test((document.querySelector(s + ' .ag-paging-row-summary-panel')"
        " || {}).innerText || '')",
        arg=PAGER,
    )
    return " ".join(page.inner_text(PAGER).split())


def test_the_pager_follows_a_language_switch(page, app_url):
    page.goto(app_url + "/")
    h.wait_ready(page)
    before = pager_text(page)
    assert "每页行数" in before and "至" in before, before
    page.click("#lang-toggle")
    page.wait_for_url(re.compile(r"lang=en"))
    h.wait_idle(page)
    # the state a reader waits for: the pager in English
    page.wait_for_function("s => /Page Size/.test(document.querySelector(s).innerText)", arg=PAGER)
    after = pager_text(page)
    assert "Page Size:" in after and re.search(r"\b1 to 25 of 181\b", after), after
    assert re.search(r"\bPage 1 of 8\b", after), after
    assert not re.search(r"[\u4e00-\u9fff]", after), after  # no Chinese left in it
    # and back: the pager follows the other way too, and still pages
    page.click("#lang-toggle")
    page.wait_for_function("() => !location.search.includes('lang=en')")
    page.wait_for_function("s => /每页行数/.test(document.querySelector(s).innerText)", arg=PAGER)
    page.locator(f"{PAGER} .ag-paging-button").nth(2).click()  # first, previous, next, last
    page.wait_for_function("s => /26 至 50/.test(document.querySelector(s).innerText)", arg=PAGER)
    assert page.watch.errors == []
