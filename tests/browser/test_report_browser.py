"""The check report in the browser: a ``--data`` table's problems shown in the page as an
uploaded table's are (banner, grid, CSV), the banner's "not placed" / "undated" links opening the
report filtered to those rows, and an uploaded table's link while its store (a real
redis-server, started and stopped here) does not answer."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from data.check import page_report
from data.load import load_table
from tests.browser import harness as h
from tests.browser.axe import run_axe, serious

pytestmark = [pytest.mark.browser]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BROKEN = FIXTURES / "broken.csv"  # 11 problems, 1 row not placed, 2 undated


@pytest.fixture(scope="module")
def data_url():
    with h.running_app("--data", str(BROKEN)) as base:
        yield base


@pytest.fixture
def data_page(browser, data_url):
    context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
    pg = context.new_page()
    pg.watch = h.PageWatch(pg, data_url)
    yield pg
    context.close()


# The line numbers the problems grid shows, sorted; null while a row has no line number yet
GRID_LINES_JS = """() => {
  const cells = [...document.querySelectorAll(
    '#upload-problems-grid .ag-center-cols-container .ag-row [col-id=row]')];
  const texts = cells.map((c) => c.innerText.trim());
  return texts.every((t) => /^\\d+$/.test(t)) ? texts.map(Number).sort((a, b) => a - b) : null;
}"""


def assert_grid_lines(page, expected: list[int]) -> None:
    """The problems grid comes to show exactly the lines ``expected``. Its rows are replaced as
    its block arrives, so the test waits for that state instead of reading the grid while it
    changes (a read between two blocks once met an empty cell: ``int('')``)."""
    want = sorted(expected)
    try:
        page.wait_for_function(
            f"(want) => JSON.stringify(({GRID_LINES_JS})()) === JSON.stringify(want)",
            arg=want,
            timeout=15000,
        )
    except PlaywrightTimeout as exc:
        shown = page.evaluate(GRID_LINES_JS)
        raise AssertionError(f"the problems grid shows lines {shown}, not {want}") from exc


def test_a_data_tables_problems_are_shown_in_the_page(data_page, data_url):
    report = page_report(load_table(BROKEN))
    page = data_page
    page.goto(data_url + "/")
    h.wait_ready(page)
    banner = page.inner_text("#upload-banner")
    assert f"{report.rows_with_problems} 行有问题" in banner
    assert "1 行未能定位" in banner and "2 行日期不详" in banner
    assert "broken.csv" in page.inner_text("#upload-table")  # which table the page shows
    assert page.is_hidden("#upload-remove")  # the --data table is not the user's to remove
    page.click("#upload-banner .upload-see >> nth=0")
    assert page.get_attribute("#upload-problems", "open") is not None
    assert_grid_lines(page, [p.row for p in report.problems])
    assert page.is_hidden("#upload-filter-box")
    href = page.get_attribute("#upload-problems-csv", "href")
    with urllib.request.urlopen(f"{data_url}/{href}") as r:
        csv = r.read().decode("utf-8-sig").splitlines()
    assert csv[0].startswith("line,field,value,reason")
    assert len(csv) == 1 + len(report.problems)
    # dismissed, it stays closed for the session
    page.click("#upload-dismiss")
    page.wait_for_selector("#upload-banner-box", state="hidden")
    page.reload()
    h.wait_ready(page)
    assert page.is_hidden("#upload-banner-box")
    assert not page.watch.errors and not page.watch.foreign


@pytest.mark.parametrize(("group", "nth", "says"), [("undated", 2, "日期不详"),
                                                   ("unplaced", 1, "未能定位")])  # fmt: skip
def test_a_banner_link_opens_the_report_filtered_to_its_rows(data_page, data_url, group, nth, says):
    report = page_report(load_table(BROKEN))
    lines = set(report.lines[group])
    page = data_page
    page.goto(data_url + "/")
    h.wait_ready(page)
    link = page.locator("#upload-banner .upload-see").nth(nth)
    assert says in link.inner_text()
    link.click()
    assert page.get_attribute("#upload-problems", "open") is not None
    page.wait_for_selector("#upload-filter-box", state="visible")
    note = page.inner_text("#upload-filter-note")
    assert says in note and f"{len(lines)} 行" in note
    expected = sorted(p.row for p in report.problems if p.row in lines)
    assert_grid_lines(page, expected)
    found = serious(run_axe(page))  # the banner, the note and the grid: nothing for axe
    assert found == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in found]
    href = page.get_attribute("#upload-problems-csv", "href")
    assert href.endswith(f"?only={group}")
    with urllib.request.urlopen(f"{data_url}/{href}") as r:
        assert len(r.read().decode("utf-8-sig").splitlines()) == 1 + len(expected)
    # the way back to every problem
    page.click("#upload-show-all")
    assert_grid_lines(page, [p.row for p in report.problems])
    assert page.is_hidden("#upload-filter-box")
    assert not page.watch.errors


def _redis_server(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    import redis

    port = h.free_port()
    proc = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def test_an_uploads_link_while_the_store_is_down_says_try_again_later(browser, tmp_path):
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("no redis-server")
    proc, url = _redis_server(tmp_path)
    try:
        with h.running_app(env={"REDIS_URL": url}) as base:
            body = (FIXTURES / "zh_gbk.csv").read_bytes()
            with urllib.request.urlopen(f"{base}/upload/token") as r:
                token = json.load(r)["token"]
            req = urllib.request.Request(
                f"{base}/upload?name=mine.csv",
                data=body,
                method="POST",
                headers={"X-CSRF-Token": token},
            )
            with urllib.request.urlopen(req) as r:
                table_id = json.load(r)["id"]
            proc.terminate()  # the store goes down; the table was stored
            proc.wait(10)
            context = browser.new_context(viewport={"width": 1440, "height": 1400}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/?data={table_id}")
            h.wait_ready(page)
            page.wait_for_selector("#upload-banner-box", state="visible")
            banner = page.inner_text("#upload-banner")
            assert "暂时无法连接" in banner and "请稍后再试" in banner
            assert "已不在服务器上" not in banner and "删除" not in banner
            assert f"data={table_id}" in page.get_attribute(".upload-retry", "href")
            assert "181" not in page.inner_text("#summary")  # never another table meanwhile
            context.close()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(10)
