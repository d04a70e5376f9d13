"""``python -m tests.tools.boundary_images OUTDIR``: PNG maps of the boundary layers, offline.

Writes ``provinces.png`` and ``cities.png`` (each with the South China Sea inset) through kaleido
and the system Chromium. Offline needs two things: the geometry inline (a dict, not an URL), and
``plotly.io.defaults.topojson`` pointing at the local ``assets/topojson`` folder, or plotly.js
asks its CDN for ``world_110m.json`` and kaleido fails.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
import plotly.io as pio

from layouts.figures.china_map import china_map
from layouts.figures.geo_assets import load_dashline, load_geojson, topojson_file_url

# Six distinguishable muted colours; neighbours rarely share one when cycling over adcodes.
PALETTE = ["#8fb9a8", "#f1d1a1", "#b8c5e0", "#e6b3b3", "#c9ddb0", "#d6c1e0"]
WIDTH, HEIGHT = 1100, 820


def _categorical_scale(n: int) -> list[list[object]]:
    scale: list[list[object]] = []
    for i in range(n):
        colour = PALETTE[i % len(PALETTE)]
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def layer_frame(level: str) -> pd.DataFrame:
    """One row per feature: z = a colour class so the tiling is visible; hover = names."""
    features = load_geojson(level)["features"]  # type: ignore[arg-type]
    rows = []
    for f in features:
        p = f["properties"]
        key = p["adcode"] if level == "province" else p["province_adcode"]
        rows.append({"adcode": p["adcode"], "name": p["name_zh"], "key": key})
    frame = pd.DataFrame(rows)
    keys = sorted(frame["key"].unique())
    frame["z"] = [float(keys.index(k) % len(PALETTE)) for k in frame["key"]]
    return frame


def render(outdir: Path) -> dict[str, float]:
    """Render both layers into ``outdir``; returns seconds per file."""
    pio.defaults.topojson = topojson_file_url()
    outdir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    n = len(PALETTE)
    for level, name, title in (
        ("province", "provinces.png", "省级行政区 Provincial-level units (34)"),
        ("city", "cities.png", "地级行政区 City-level units (370)"),
    ):
        frame = layer_frame(level)
        fig = china_map(
            frame,
            level=level,  # type: ignore[arg-type]
            geojson=load_geojson(level),  # type: ignore[arg-type]
            dashline=load_dashline(),
            title=title,
            colorscale=_categorical_scale(n),
            zmax=float(n - 1),
            showscale=False,
        )
        fig.update_layout(coloraxis={"cmin": -0.5, "cmax": n - 0.5})
        t0 = time.perf_counter()
        pio.write_image(fig, outdir / name, width=WIDTH, height=HEIGHT, scale=1)
        timings[name] = time.perf_counter() - t0
        print(f"{outdir / name}: {timings[name]:.1f} s")
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for provinces.png and cities.png")
    render(parser.parse_args(argv).outdir)


if __name__ == "__main__":
    main()
