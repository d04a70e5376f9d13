"""The column panel (issue 20 item 2), in the browser, under gunicorn with two workers
(tests/browser/stack.py): the real Global Policy Lab table uploaded through the page, its roles
shown with their reasons, a role changed in its menu (the table read again from the stored file,
no new upload), a senseless pick refused with the previous reading kept, and the link of the new
reading reproducing it in a fresh browser session (whichever worker answers).

Also item 8: a table that places no row becomes the view, with its report and Remove button."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import harness as h
from tests.browser.test_upload_browser import fresh_page, upload

pytestmark = [pytest.mark.browser]
GPL = Path(__file__).resolve().parents[1] / "fixtures" / "gpl_covid_chn.csv"
ID = re.compile(r"data=([0-9a-f]{64})")


def _why(page, column: str) -> str:
    heads = page.locator("#upload-columns thead tr").nth(0).locator("th").all_inner_texts()
    return page.locator("#upload-columns td.role-why").nth(heads.index(column)).inner_text()


def _role(page, column: str) -> str:
    return page.locator(f'#upload-columns select[data-column="{column}"]').input_value()


def test_column_panel_changes_a_role_and_the_link_keeps_it(stack_page, stack, browser):
    page = stack_page
    page.goto(stack.url + "/?lang=en")
    h.wait_ready(page)
    upload(page, GPL)
    page.wait_for_url(ID, timeout=30_000)
    h.wait_idle(page)
    first = ID.search(page.url).group(1)
    page.wait_for_selector("#upload-columns .role-select")
    assert _role(page, "adm1_name") == "province" and _role(page, "adm2_name") == "city"
    assert _why(page, "adm1_name") == "168 of 168 values are provinces"
    assert _role(page, "adm0_name") == ""  # "CHN" on every row is not a title
    assert _role(page, "policy") == "title" and _role(page, "policy_description") == "title"
    assert "168 policies" in page.inner_text("#summary")

    # A pick that makes no sense: refused, said, and the reading shown stays.
    page.select_option('#upload-columns select[data-column="date_start"]', "province")
    page.wait_for_selector("#upload-columns .colpanel-status.error")
    said = page.inner_text("#upload-columns .colpanel-status")
    assert "cannot be the province" in said and "previous reading is kept" in said
    assert ID.search(page.url).group(1) == first
    assert _role(page, "date_start") == "date"

    # The title from the policy column alone: read again at once, a new link.
    page.select_option('#upload-columns select[data-column="policy_description"]', "")
    page.wait_for_function(f"() => !location.search.includes('{first}')", timeout=30_000)
    h.wait_idle(page)
    page.wait_for_function(
        """() => { const s = document.querySelector(
              '#upload-columns select[data-column="policy_description"]');
            return s && s.value === ''; }"""
    )
    assert _why(page, "policy_description") == "your choice: not used (kept as it is)"
    link = page.url

    # The link, in a fresh session: the same reading, whichever worker answers.
    for _ in range(2):
        context, other = fresh_page(browser, link)
        try:
            other.goto(link)
            h.wait_ready(other)
            other.wait_for_selector("#upload-columns .role-select")
            assert _role(other, "policy_description") == ""
            assert _role(other, "policy") == "title"
            assert "168" in other.inner_text("#summary")
        finally:
            context.close()


def test_a_table_that_places_no_row_is_shown_with_its_report(stack_page, stack, tmp_path):
    path = tmp_path / "nowhere.csv"
    path.write_text(
        "标题,省份,日期\n区块链发展意见一,火星省,2020-01-23\n区块链发展意见二,月球省,2020-02-01\n",
        encoding="utf-8",
    )
    page = stack_page
    page.goto(stack.url + "/?lang=en")
    h.wait_ready(page)
    bundled = page.inner_text("#summary")
    upload(page, path)
    page.wait_for_url(ID, timeout=30_000)
    h.wait_idle(page)
    assert page.inner_text("#summary") != bundled
    assert "nowhere.csv" in page.inner_text("#upload-table")
    assert page.is_visible("#upload-remove")
    assert "2 rows have problems" in page.inner_text("#upload-banner")
    page.wait_for_function(
        """() => [...document.querySelectorAll('#map .annotation-text')]
              .some(a => a.textContent.includes('No row could be placed on the map'))""",
        timeout=15_000,
    )
