"""The README's pictures of policy diffusion, made the way the app's exports make them.

    python -m tests.tools.diffusion_images docs/img      (what `make diffusion-images` runs)

Writes the first-adoption map, the adoption curves of two incentives, three frames of the map
through the years (cumulative), the animated GIF and the small multiples, all of the bundled table.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from data.dataset import load_dataset
from data.state import ViewState
from layouts import report_pack, spread, viewmodel
from layouts.charts import CSS_DPI, MM_PER_INCH, PageSize
from layouts.figures import gif, render

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
    render.stop()
    for path in sorted(out.glob("*")):
        if path.stem.startswith(("first-adoption", "adoption", "diffusion-", "policy-map-")):
            print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
