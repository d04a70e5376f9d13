"""How many times the page asks the server: a province click is one round trip (the views, and the
grid's first rows when the grid is in view; off the screen it asks for them when it comes into
view), a shared link paints with no callback at all, export texts
wait for the Download menu, and the grid's other blocks (a column sort) still come from the
server."""

from __future__ import annotations

import json
import re

import pytest

from data import query, table
from data.loaders import load_dataset
from data.state import ViewState
from tests.browser import harness as h

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


class Calls:
    """The page's callback requests (POST ``_dash-update-component``), by their outputs."""

    def __init__(self, page) -> None:
        self.outputs: list[str] = []
        page.on("request", self._seen)

    def _seen(self, request) -> None:
        if "_dash-update-component" in request.url:
            self.outputs.append(json.loads(request.post_data or "{}").get("output", "")[:80])

    def since(self, mark: int) -> list[str]:
        return self.outputs[mark:]


def summary_count(page) -> int:
    return int(re.match(r"\s*([\d,]+)", page.inner_text("#summary")).group(1).replace(",", ""))


def table_total(page) -> int:
    page.wait_for_function(  # "1 to 25 of more" while a block is on its way
        "() => /\\d$/.test(document.querySelector("
        "'#table .ag-paging-row-summary-panel').innerText.trim())"
    )
    return int(page.inner_text("#table .ag-paging-row-summary-panel").split()[-1])


def grid_dates(page) -> list[str]:
    """The date column of the rows the grid shows, in row order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#table .ag-center-cols-container .ag-row')]
          .sort((a, b) => +a.getAttribute('row-index') - +b.getAttribute('row-index'))
          .map(r => r.querySelector('[col-id=date]').innerText.trim())"""
    )


def server_titles(ds, state: ViewState) -> list[str]:
    rows, _ = table.block(ds.index, state, ds.name_of, end=100)
    return [str(r["title_zh"] or "").strip() for r in rows]


def server_dates(ds, state: ViewState, sort: list | None = None, n: int = 25) -> list[str]:
    rows, _ = table.block(ds.index, state, ds.name_of, end=n, sort_model=sort)
    return [str(r["date"] or "").strip() for r in rows]


def grid_titles(page) -> list[str]:
    """The titles in the grid's rows as the page holds them (empty while a block is loading)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#table .ag-center-cols-container .ag-row')]
          .map(r => (r.querySelector('[col-id=title_zh]') || {}).textContent || '')
          .filter(t => t.trim())"""
    )


def grid_near(page) -> None:
    """Wait until assets/lazy_grid.js has said where the grid is (the page's first report)."""
    page.wait_for_function("() => window.paGrid && window.paGrid.near() !== null")


def test_a_province_click_is_one_round_trip_and_the_grid_off_screen_gets_its_rows_in_view(
    page, app_url, ds
):
    calls = Calls(page)
    page.goto(app_url + "/")
    h.wait_ready(page)
    grid_near(page)
    assert table_total(page) == ds.rows
    everyone = set(grid_titles(page))
    mark = len(calls.outputs)
    with page.expect_response(lambda r: "_dash-update-component" in r.url) as answer:
        h.click_region(page, "440000")
    page.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(page, settle_ms=600)  # time for any request chained behind the answer
    gd = ViewState(region=("440000",))
    assert summary_count(page) == query.summary(ds.index, gd)["policies"] == 20
    assert "广东省" in page.inner_text("#chips")
    # the grid is below the screen: no rows came with the views, none were asked for, and the
    # grid holds no row of the view before (it never shows stale rows)
    first = answer.value.json()["response"]["grid-first"]["data"]
    assert first == {"search": "?region=440000"}
    made = calls.since(mark)
    assert len(made) == 1, made
    assert not set(grid_titles(page)) - set(server_titles(ds, gd))
    page.locator("#table").scroll_into_view_if_needed()  # in view: the rows of this view
    assert table_total(page) == 20
    page.wait_for_function("() => document.querySelectorAll('#table [col-id=title_zh]').length > 5")
    shown = grid_titles(page)
    assert shown and set(shown) <= set(server_titles(ds, gd)) and set(shown) != everyone
    assert [o for o in calls.since(mark) if "getRowsResponse" in o]  # asked when in view
    assert page.watch.errors == []


def test_the_back_button_with_the_grid_in_view_brings_its_rows_in_the_same_answer(
    page, app_url, ds
):
    calls = Calls(page)
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    h.click_region(page, "110000")  # the grid below the screen: no rows yet
    page.wait_for_url(re.compile(r"region=110000"))
    h.wait_idle(page)
    page.locator("#table").scroll_into_view_if_needed()
    page.wait_for_function("() => window.paGrid && window.paGrid.near() === true")
    both = ViewState(region=("110000", "440000"))
    assert table_total(page) == query.summary(ds.index, both)["policies"]
    mark = len(calls.outputs)
    with page.expect_response(lambda r: "_dash-update-component" in r.url) as answer:
        page.go_back()  # to Guangdong alone, the grid on the screen
    page.wait_for_function("() => !location.search.includes('110000')")
    h.wait_idle(page, settle_ms=600)
    first = answer.value.json()["response"]["grid-first"]["data"]
    assert first["search"] == "?region=440000" and len(first["rows"]) == 20
    assert table_total(page) == 20
    page.wait_for_function("() => document.querySelectorAll('#table [col-id=title_zh]').length > 5")
    gd = server_titles(ds, ViewState(region=("440000",)))
    assert set(grid_titles(page)) <= set(gd)
    made = calls.since(mark)
    assert len(made) == 1 and not [o for o in made if "getRowsResponse" in o], made
    assert page.watch.errors == []


def test_a_shared_link_paints_without_a_callback(page, app_url, ds):
    calls = Calls(page)
    with page.expect_response(lambda r: r.url.endswith("_dash-layout")) as layout:
        page.goto(app_url + "/?region=440000&lang=en")
    text = layout.value.text()
    # the map's figure is in the page Dash receives: Guangdong's view, in English
    assert '"uid":"values-main"' in text.replace(" ", "")
    assert "Guangdong" in text
    h.wait_ready(page)
    assert calls.outputs == []  # no callback before (or after) the first paint
    assert summary_count(page) == 20 and "policies" in page.inner_text("#summary")
    assert table_total(page) == 20
    assert "Guangdong" in page.inner_text("#chips")
    assert "Guangdong" in page.inner_text("#f-region")  # the filter bar says so too
    # the first interaction patches the page it was given
    mark = len(calls.outputs)
    page.click("#chips .chip")
    page.wait_for_function("() => !location.search.includes('region')")
    h.wait_idle(page)
    assert len(calls.since(mark)) == 1  # the grid, below the screen, asks when it comes in view
    page.locator("#table").scroll_into_view_if_needed()
    assert summary_count(page) == ds.rows and table_total(page) == ds.rows
    assert page.watch.errors == [] and page.watch.foreign == []


def camera_name(page) -> str:
    return page.evaluate(
        "() => document.querySelector('#map .js-plotly-plot')._context"
        ".toImageButtonOptions.filename"
    )


def test_export_texts_are_made_when_the_download_menu_opens(page, app_url):
    calls = Calls(page)
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    assert camera_name(page) == "policy-map_guangdong"  # the first page has them
    assert page.get_attribute("#dl-title", "placeholder").startswith("广东省")
    h.click_region(page, "110000")
    page.wait_for_url(re.compile(r"region=110000"))
    h.wait_idle(page, settle_ms=500)
    assert not [o for o in calls.outputs if "placeholder" in o or "config" in o]
    page.click("#export-menu > summary")
    page.wait_for_function(
        "() => document.getElementById('dl-title').placeholder.startsWith('北京市、广东省')"
    )
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot')._context"
        ".toImageButtonOptions.filename.includes('beijing')"
    )
    assert page.watch.errors == []


def shows(page, expected: list[str]) -> bool:
    """The grid shows ``expected``'s first rows (it draws only the rows that fit in its height)."""
    shown = grid_dates(page)
    return len(shown) >= min(15, len(expected)) and shown == expected[: len(shown)]


def test_a_sorted_grid_keeps_its_sort_through_a_province_click(page, app_url, ds):
    page.goto(app_url + "/")
    h.wait_ready(page)
    newest = server_dates(ds, ViewState())
    assert shows(page, newest)  # the default order (newest first), from the first page
    ascending = [{"colId": "date", "sort": "asc"}]
    oldest = server_dates(ds, ViewState(), ascending)
    assert oldest != newest
    page.click("#table .ag-header-cell[col-id=date] .ag-header-cell-label")  # a sort: the server
    page.wait_for_function("(d) => { const c = document.querySelector("
                           "'#table .ag-row[row-index=\"0\"] [col-id=date]');"
                           " return c && c.innerText.trim() === d; }", arg=oldest[0])  # fmt: skip
    assert shows(page, oldest)
    page.evaluate("() => window.scrollTo(0, 0)")  # back up to the map
    h.next_frames(page)
    h.click_region(page, "440000")
    page.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(page, settle_ms=500)
    page.locator("#table").scroll_into_view_if_needed()  # its rows are asked for in view
    assert table_total(page) == 20
    gd = server_dates(ds, ViewState(region=("440000",)), ascending)
    page.wait_for_function("(d) => { const c = document.querySelector("
                           "'#table .ag-row[row-index=\"0\"] [col-id=date]');"
                           " return c && c.innerText.trim() === d; }", arg=gd[0])  # fmt: skip
    assert shows(page, gd)  # still oldest first, Guangdong's rows
    assert page.watch.errors == []
