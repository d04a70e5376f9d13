"""The map's selection in an exported image (real kaleido): a province picked on the city map is
outlined once, along its own border, and its cities' colours stay visible; a city picked on the
city map is outlined as a city."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from data.loaders import load_dataset
from data.state import parse_query
from layouts.exports.report_pack import chart_file, figures

GUANGDONG_CITY_MAP = "?lang=en&region=440000&map=city"
INK = "rgb(17, 17, 17)"  # china_map.SELECTED_BORDER as the SVG writes it


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def _outlines(svg: bytes) -> list[tuple[str, float]]:
    """(path data, stroke width) of every selection outline drawn in the SVG."""
    out = []
    for tag in re.findall(r"<path [^>]*>", svg.decode()):
        style = re.search(r'style="([^"]*)"', tag)
        if style and f"stroke: {INK}" in style.group(1):
            width = re.search(r"stroke-width: ([\d.]+)px", style.group(1))
            out.append((re.search(r' d="([^"]*)"', tag).group(1), float(width.group(1))))
    return out


def _extent(d: str) -> tuple[float, float, float, float]:
    xy = np.array(re.findall(r"(-?[\d.]+),(-?[\d.]+)", d), dtype=float)
    return xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()


@pytest.mark.export
def test_a_province_on_the_city_map_is_outlined_once_along_its_border(ds):
    state = parse_query(GUANGDONG_CITY_MAP)
    _, svg = chart_file(ds, state, "map", "svg", "16x9")
    lines = _outlines(svg)
    # one outline on the map and one in the South China Sea inset, not one per city (21)
    assert len(lines) == 2, f"{len(lines)} outlines drawn"
    # the outline is the whole province: each of its cities lies inside it (map or inset)
    cities = _shown_cities(svg)
    assert len(cities) >= 21
    boxes = [_extent(d) for d, _ in lines]
    for d in cities:
        cx0, cy0, cx1, cy1 = _extent(d)
        assert any(
            x0 - 1 <= cx0 and cx1 <= x1 + 1 and y0 - 1 <= cy0 and cy1 <= y1 + 1
            for x0, y0, x1, y1 in boxes
        )
    # thinner than the province map's outline: a city map's regions are small
    _, province_svg = chart_file(ds, parse_query("?lang=en&region=440000"), "map", "svg", "16x9")
    assert max(w for _, w in lines) < min(w for _, w in _outlines(province_svg))


def _shown_cities(svg: bytes) -> list[str]:
    """Path data of the regions drawn undimmed (the selected province's cities, on the map and
    in the inset): the SVG's paths carry no adcode."""
    tags = re.findall(r'<path class="choroplethlocation"[^>]*>', svg.decode())
    shown = [t for t in tags if "stroke: rgb(255, 255, 255)" in t and "; opacity: 1;" in t]
    return [re.search(r' d="([^"]*)"', t).group(1) for t in shown]


@pytest.mark.export
def test_shenzhens_colour_shows_under_the_selection(ds):
    """In the PNG a reader sees Shenzhen's class colour (2–6 policies): the outline no longer
    covers the small cities of the selected province."""
    from PIL import Image

    state = parse_query(GUANGDONG_CITY_MAP)
    fig = figures(ds, state)["map"]
    values = fig.data[0]
    z = int(values.z[list(values.locations).index("440300")])
    colour = [c for _, c in fig.layout.coloraxis.colorscale][2 * z + 1]
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    _, png = chart_file(ds, state, "map", "png", "16x9")
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height = pixels.shape[0]
    above_legend = pixels[: int(height * 0.75)]  # the legend's swatch has the colour too
    # Shenzhen is small at 16x9: about 60 pixels of its colour (2 when the outlines covered it)
    seen = (np.abs(above_legend - rgb).max(axis=2) <= 8).sum()
    assert seen >= 30, f"Shenzhen's colour {colour} on {seen} pixels"


@pytest.mark.export
def test_a_city_on_the_city_map_is_outlined_as_a_city(ds):
    _, svg = chart_file(ds, parse_query("?lang=en&region=440300&map=city"), "map", "svg", "16x9")
    lines = _outlines(svg)
    assert len(lines) == 2  # Shenzhen on the map and in the inset
    x0, y0, x1, y1 = _extent(lines[0][0])
    _, gd = chart_file(ds, parse_query(GUANGDONG_CITY_MAP), "map", "svg", "16x9")
    g0, h0, g1, h1 = _extent(_outlines(gd)[0][0])  # the main map's, as Shenzhen's
    assert (x1 - x0) * (y1 - y0) < (g1 - g0) * (h1 - h0) / 20  # a city, not its province
