"""Reconciling unplaced names in the browser: a table in the GIS convention uploaded through the
page lists its unplaced names grouped; picking a candidate for one name and applying places every
row with that name, the choice is downloadable as an aliases CSV, and the link reproduces it in a
fresh browser session. Screenshots of the section at 1440 and 390 px go to docs/img/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import harness as h

pytestmark = [pytest.mark.browser]
TABLE = Path(__file__).resolve().parents[1] / "fixtures" / "reconcile_en.csv"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "img"


def _upload(page, path: Path) -> None:
    if not page.is_visible("#upload-drop"):
        page.click("#upload-card > summary")
    with page.expect_file_chooser() as chooser:
        page.click("#upload-drop")
    chooser.value.set_files(str(path))


def _table_id(url: str) -> str | None:
    return (parse_qs(urlparse(url).query).get("data") or [None])[0]


def _names(page) -> list[str]:
    return page.locator("#reconcile-list .reconcile-name").all_inner_texts()


def _shoot(page, name: str) -> None:
    if os.environ.get("POLICY_ATLAS_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.locator("#reconcile").screenshot(path=str(DOCS / name))


def test_a_pick_places_every_row_of_the_name_and_the_link_keeps_it(page, app_url, browser):
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    _upload(page, TABLE)
    page.wait_for_function("() => new URLSearchParams(location.search).get('data')")
    h.wait_idle(page)
    first = _table_id(page.url)
    page.wait_for_selector("#reconcile:not([hidden])")
    assert page.inner_text("#reconcile-summary") == "3 names not placed — choose a place for each"
    page.click("#reconcile-summary")
    assert _names(page) == ["Xiangfan City Hall", "Statewide", "Gulou"]
    row = page.locator(".reconcile-row").nth(0)
    assert "3 rows" in row.inner_text() and "lines 8, 9, 10" in row.inner_text()
    assert "7 rows have problems" in page.inner_text("#upload-banner")

    row.locator(".reconcile-pick").click()
    page.keyboard.type("襄阳")
    h.wait_idle(page)  # the search's answer is in: the list no longer changes under the click
    page.wait_for_function(
        "() => document.querySelector('.dash-dropdown-content')"
        "?.innerText.includes('襄阳市 (湖北省)')"
    )
    page.locator(".dash-dropdown-content").get_by_text("襄阳市 (湖北省)").click()
    assert "襄阳市" in row.locator(".reconcile-pick").inner_text()
    _shoot(page, "reconcile.png")
    page.click("#reconcile-apply")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('data') !== '{first}'")
    h.wait_idle(page)
    page.wait_for_function(
        "() => !document.querySelector('#reconcile-list').innerText.includes('Xiangfan')"
    )
    second = _table_id(page.url)
    if not page.is_visible("#reconcile-list"):
        page.click("#reconcile-summary")
    assert second and second != first
    assert _names(page) == ["Statewide", "Gulou"]
    assert "Names placed as you chose: 1." in page.inner_text("#reconcile-applied")
    assert "4 rows have problems" in page.inner_text("#upload-banner")  # 8, 9, 10 placed
    _shoot(page, "reconcile-applied.png")

    report = page.request.get(f"{app_url}/upload/{second}/problems.csv").text()
    assert not re.search(r"^(8|9|10),", report, re.M) and re.search(r"^11,", report, re.M)
    href = page.get_attribute("#reconcile-csv", "href")
    aliases = page.request.get(f"{app_url}/{href}").text().lstrip("\ufeff")
    assert aliases.splitlines() == [
        "name,field,adcode,name_zh", "Xiangfan City Hall,city,420600,襄阳市",
    ]  # fmt: skip

    # the link, in a fresh session: the same table, read with the same choice
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="en-US")
    fresh = context.new_page()
    try:
        fresh.goto(page.url)
        h.wait_ready(fresh)
        fresh.wait_for_selector("#reconcile:not([hidden])")
        assert fresh.inner_text("#reconcile-summary").startswith("2 names not placed")
        assert fresh.locator("#reconcile-list .reconcile-name").all_text_contents() == [
            "Statewide", "Gulou",
        ]  # fmt: skip
        assert "Names placed as you chose: 1." in fresh.text_content("#reconcile-applied")
        assert "4 rows have problems" in fresh.inner_text("#upload-banner")
    finally:
        context.close()
    assert not page.watch.errors and not page.watch.foreign


def test_the_section_at_390_px(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(app_url + "/?lang=en")
        h.wait_ready(page)
        _upload(page, TABLE)
        page.wait_for_selector("#reconcile:not([hidden])", timeout=30000)
        h.wait_idle(page)
        page.click("#reconcile-summary")
        box = page.locator("#reconcile").bounding_box()
        assert box and box["width"] <= 390  # no sideways scrolling
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        _shoot(page, "reconcile-390.png")
    finally:
        context.close()
