"""The README's pictures of policy diffusion, made the way the app's exports make them.

    python -m tests.tools.diffusion_images docs/img      (what `make diffusion-images` runs)

Writes the first-adoption map, the adoption curves of two incentives, three frames of the map
through the years (cumulative), the animated GIF and the small multiples, all of the bundled table;
then a fast spread by week, of the SYNTHETIC six-week table (``tests/fixtures/fast_spread.csv``):
its first-adoption map by week, adoption curve, small multiples and GIF by week, and a screenshot
of the page playing it (the real app in Chromium).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from data.loaders import load_dataset
from data.state import ViewState
from layouts import spread, viewmodel
from layouts.charts import CSS_DPI, MM_PER_INCH, PageSize
from layouts.exports import gif, render, report_pack

README = PageSize("readme", "README", 1200 / CSS_DPI * MM_PER_INCH, 760 / CSS_DPI * MM_PER_INCH, 96)
FRAMES = ("2017", "2019", "2021")


def main(out_dir: str = "docs/img") -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ds = load_dataset()
    base = ViewState(lang="en")
    figs = viewmodel.views(ds, base, full=True, inline_geojson=True).figures
    (out / "first-adoption-map.png").write_bytes(
        render.to_bytes(figs["adoption-map"], "png", README)
    )
    compared = ViewState.of(lang="en", incentive=("subsidy", "cash-reward"), period="2020")
    curve = viewmodel.views(ds, compared, full=True, inline_geojson=True).figures["adoption-curve"]
    (out / "adoption-curve.png").write_bytes(render.to_bytes(curve, "png", README))
    cumulative = replace(base, cumulative=True)
    frames = dict(spread.frame_figures(ds, cumulative))
    for period in FRAMES:
        data = render.to_bytes(frames[period], "png", gif.GIF_PAGE)
        (out / f"diffusion-{period}.png").write_bytes(data)
    name, data = report_pack.sequence_file(ds, cumulative, "animation", "gif")
    (out / name).write_bytes(data)
    multiples = spread.multiples_figure(ds, cumulative)
    (out / "policy-map-by-year.png").write_bytes(render.to_bytes(multiples, "png", "web"))
    fast_spread(out)
    render.stop()
    fast_screenshot(out)
    for path in sorted(out.glob("*")):
        if path.stem.startswith(
            ("first-adoption", "adoption", "diffusion-", "policy-map-", "fast-")
        ):
            print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


def fast_spread(out: Path) -> None:
    """The six-week table by week (the step its dates pick): exports as the app makes them."""
    from data.state import parse_query
    from tests.fixtures import make_fast_spread

    ds = load_dataset(str(make_fast_spread.OUT), cache=False)
    state = ds.restrict(parse_query("?map=city&lang=en"))
    figs = viewmodel.views(ds, state, full=True, inline_geojson=True).figures
    for chart in ("adoption-map", "adoption-curve"):
        (out / f"fast-{chart}.png").write_bytes(render.to_bytes(figs[chart], "png", README))
    cumulative = replace(state, cumulative=True)
    multiples = spread.multiples_figure(ds, cumulative)
    (out / "fast-by-week.png").write_bytes(render.to_bytes(multiples, "png", "web"))
    _, data = report_pack.sequence_file(ds, cumulative, "animation", "gif")
    (out / "fast-by-week.gif").write_bytes(data)


def fast_screenshot(out: Path) -> None:
    """The page on the six-week table at 1440 px, stopped at week 5 (cumulative): the slider by
    week, the map, the first-adoption map by week and the curve's steps."""
    from playwright.sync_api import sync_playwright

    from tests.browser import harness
    from tests.fixtures import make_fast_spread

    with harness.running_app("--data", str(make_fast_spread.OUT)) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=harness.chromium_path(), args=harness.CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        page.goto(base + "/?map=city&lang=en&period=2020-W05&cum=1")
        harness.wait_ready(page)
        page.locator("#adoption-curve").scroll_into_view_if_needed()
        page.wait_for_selector("#adoption-curve .scatterlayer path", state="attached")
        page.evaluate("() => window.scrollTo(0, 0)")
        harness.wait_idle(page)
        page.screenshot(path=str(out / "fast-page-week.png"), full_page=False)
        browser.close()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
