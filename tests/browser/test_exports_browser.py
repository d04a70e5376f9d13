"""In the page: the report-pack button yields a zip, a chart download yields an SVG, the camera
button is named after the view, presentation mode hides the controls.

The report pack and a chart run on the distributed stack (Redis + a Celery worker + gunicorn with
two workers, ``stack`` fixture), as a team deploys it; one chart runs on the development server's
diskcache jobs (``make dev``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from layouts.charts import CHARTS
from tests.browser import harness as h

pytestmark = [pytest.mark.browser, pytest.mark.export]


def test_report_pack_and_chart_download_on_the_celery_stack(stack_page, stack, tmp_path):
    page = stack_page
    page.goto(stack.url + "/?region=440000&from=2019-01-01&to=2021-12-31")
    h.wait_ready(page)
    config = page.wait_for_function(
        """() => {
          const g = document.querySelector('#map .js-plotly-plot');
          const o = g && g._context && g._context.toImageButtonOptions;
          return o && o.filename ? o : null;
        }"""
    ).json_value()
    assert config["filename"] == "policy-map_guangdong_2019-2021" and config["scale"] >= 2

    page.click("#export-menu > summary")
    with page.expect_download(timeout=180_000) as dl:
        page.click("#pack-go")
    download = dl.value
    assert download.suggested_filename == "policy-atlas_guangdong_2019-2021_report.zip"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        citation = zf.read("CITATION.txt").decode()
    assert "data/policies.csv" in names and "CITATION.txt" in names
    charts = [n for n in names if n.startswith("charts/")]
    # SVG + PNG of each chart, the view as PDF and HTML, the GIF and the small multiples (PNG, PDF)
    assert len(charts) == 2 * len(CHARTS) + 2 + 3
    assert "charts/policy-map-animation_guangdong_2019-2021.gif" in names
    assert f"View (URL):        {stack.url}/?region=440000" in citation  # absolute
    page.wait_for_function("() => document.getElementById('pack-status').textContent.length")

    page.click("#dl-format label:has-text('SVG')")
    # the generated title is offered; the user's own title and note go into the file
    placeholder = page.get_attribute("#dl-title", "placeholder") or ""
    assert placeholder.startswith("广东省区块链政策")
    page.fill("#dl-title", "广东的区块链政策")
    page.fill("#dl-note", "注：含区县级文件")
    page.locator("#dl-note").blur()
    with page.expect_download(timeout=120_000) as dl:
        page.click("#dl-go")
    assert dl.value.suggested_filename == "policy-map_guangdong_2019-2021.svg"
    dl.value.save_as(tmp_path / "map.svg")
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert ">广东的区块链政策<" in svg and "注：含区县级文件" in svg

    page.click("#dl-chart")  # the map through the periods, from the menu
    page.get_by_text("逐期地图（GIF 动画）").last.click()
    with page.expect_download(timeout=180_000) as dl:
        page.click("#dl-go")
    assert dl.value.suggested_filename == "policy-map-animation_guangdong_2019-2021.gif"
    gif = tmp_path / "animation.gif"
    dl.value.save_as(gif)
    assert gif.read_bytes()[:6] == b"GIF89a"
    assert not page.watch.foreign
    assert not page.inner_text("#export-notice").strip()
    # The jobs ran on the Celery worker (one log line each), whose Chromium stayed quiet.
    worker_log = stack.log("worker")
    assert worker_log.count(" success in ") >= 2, worker_log[-2000:]
    assert " INFO kaleido" not in worker_log and " INFO choreographer" not in worker_log


def test_chart_download_on_diskcache_jobs(page, app_url):
    page.goto(app_url + "/?region=440000")
    h.wait_ready(page)
    page.click("#export-menu > summary")
    page.click("#dl-format label:has-text('SVG')")
    with page.expect_download(timeout=120_000) as dl:
        page.click("#dl-go")
    assert dl.value.suggested_filename == "policy-map_guangdong.svg"
    assert b"<svg" in Path(dl.value.path()).read_bytes()[:4096]


def test_presentation_mode(page, app_url):
    page.goto(app_url + "/")
    h.wait_ready(page)
    assert page.is_visible(".filter-bar")
    page.click("#present-toggle")
    page.wait_for_function("() => document.body.classList.contains('presenting')")
    assert not page.is_visible(".filter-bar") and not page.is_visible("#export-menu")
    assert page.is_visible("#present-toggle")
    # out of every screenshot: transparent until hovered, and the charts' text grows
    page.mouse.move(5, 600)
    opacity = page.eval_on_selector("#present-toggle", "e => getComputedStyle(e).opacity")
    assert float(opacity) == 0
    size = page.evaluate(
        "() => document.querySelector('#timeline .js-plotly-plot').layout.font.size"
    )
    assert size > 12
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.body.classList.contains('presenting')")
    assert page.is_visible(".filter-bar")
