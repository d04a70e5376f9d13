"""Exports that never drop or mislabel what they show (issue 21), read from the SVG's text: the
measure drawn is the one the title names (a per-capita fallback is titled as counts, and the file
name says it), the rows a chart leaves out are counted in the image, tied ranks are marked, the
small multiples and the GIF frames carry title, stepped legend and source (no text outside the
canvas: ``tests/browser/test_export_canvas.py``, which lays the SVG out in Chromium)."""

from __future__ import annotations

import io
import re

import pytest

from data.loaders import load_dataset
from data.state import parse_query
from layouts import spread
from layouts.exports import render
from layouts.exports.report_pack import chart_file
from tests.fixtures import make_fast_spread as fixture

pytestmark = pytest.mark.export


@pytest.fixture(scope="module")
def bundled_ds():
    yield load_dataset()
    render.stop()


@pytest.fixture(scope="module")
def fast():
    return load_dataset(str(fixture.OUT), cache=False)


def texts(svg: bytes) -> list[str]:
    """Every piece of text the SVG draws (plain ``<text>`` and each ``<tspan>`` line)."""
    doc = svg.decode()
    return [t for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", doc) if t.strip()]


def canvas(svg: bytes) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"', svg.decode())
    assert m
    return float(m.group(1)), float(m.group(2))


@pytest.mark.slow
def test_per_capita_asked_counts_drawn_title_and_file_say_counts(bundled_ds):
    state = parse_query("?measure=per_pop&map=city&lang=en")
    name, svg = chart_file(bundled_ds, state, "map", "svg")
    assert name == "policy-map_count_cities.svg"  # not the province map's name
    title = next(t for t in texts(svg) if t.startswith("Blockchain policies"))
    assert "policy counts" in title and "per 10 million" in title  # the fallback, said
    name, svg = chart_file(bundled_ds, parse_query("?measure=per_pop&drill=510000"), "map", "svg")
    assert name == "policy-map_count_sichuan.svg" or name.startswith("policy-map_count")
    assert any("此处按政策数" in t for t in texts(svg))
    name, _ = chart_file(bundled_ds, parse_query("?measure=per_pop"), "map", "svg")
    assert name == "policy-map_per-pop.svg"  # drawn per capita: the file says so


@pytest.mark.slow
def test_undated_and_higher_level_rows_counted_in_the_image(bundled_ds):
    _, svg = chart_file(bundled_ds, parse_query("?from=2020-01-01"), "map", "svg")
    found = " ".join(texts(svg))
    undated = re.search(r"(\d+) 项日期不详，未计入", found)
    assert undated and int(undated.group(1)) > 0
    _, svg = chart_file(bundled_ds, parse_query("?drill=510000"), "map", "svg")
    found = " ".join(texts(svg))
    assert re.search(r"仅到省级、市级地图不显示：3 项", found)  # Sichuan's 3 province-level rows
    _, svg = chart_file(bundled_ds, parse_query("?from=2020-01-01"), "ranked", "svg")
    assert re.search(r"\d+ 项日期不详，未计入", " ".join(texts(svg)))


def test_tied_ranks_marked_zeros_summarised_and_sized_to_bars(bundled_ds):
    _, svg = chart_file(bundled_ds, parse_query("?from=2020-01-01&lang=en"), "ranked", "svg")
    labels = [t for t in texts(svg) if re.match(r"^=?\d+\u2002", t)]
    assert labels, "no rank labels"
    ranks = [(t.split("\u2002")[0], t.split("\u2002")[1]) for t in labels]
    tied = [r for r in ranks if r[0].startswith("=")]
    assert tied and len({r[0] for r in tied}) < len(tied)  # a rank shared by several
    for rank in {r[0] for r in tied}:  # ties in name order (the labels are drawn bottom-up)
        names = [n for r, n in ranks if r == rank]
        assert names == sorted(names) or names == sorted(names, reverse=True)
    assert any(re.search(r"\d+ provinces: 0", t) for t in texts(svg))
    _, one = chart_file(bundled_ds, parse_query("?from=2024-01-01"), "ranked", "svg")
    assert canvas(one)[1] < canvas(svg)[1] < 800  # sized to its bars, not a blank A4


def _legend_and_source(found: list[str], lang: str = "zh") -> None:
    assert "无政策记录" in found and "筛选后为 0" in found  # the stepped legend's keys
    assert any(t.startswith("数据：") for t in found)  # the source line


@pytest.mark.slow
def test_small_multiples_by_week_carry_title_legend_and_source(fast):
    state = fast.restrict(parse_query("?map=city"))
    _, svg = chart_file(fast, state, "multiples", "svg")
    found = texts(svg)
    assert "政策，按城市，每周一图" in found
    _legend_and_source(found)
    for label in ("1月20日–26日", "1月27日–2月2日", "2月3日–9日", "2月10日–16日"):
        assert label in found  # one small map a week, its period in large type


@pytest.mark.slow
def test_gif_frames_carry_title_legend_source_and_end_on_a_policy(fast):
    from PIL import Image, ImageSequence

    state = fast.restrict(parse_query("?map=city"))
    frames = spread.frame_figures(fast, state)
    assert [p for p, _ in frames] == ["2020-W04", "2020-W05", "2020-W06", "2020-W07"]
    for period, fig in frames:  # each frame rendered as the GIF renders it, read as SVG
        found = texts(render.to_bytes(fig, "svg", "a4"))
        assert "政策，按城市" in found
        _legend_and_source(found)
        assert any("周" in t and "月" in t for t in found), period  # the period, in the frame
    _, gif = chart_file(fast, state, "animation", "gif")
    images = list(ImageSequence.Iterator(Image.open(io.BytesIO(gif))))
    assert len(images) == 4  # the weeks with policies; no empty frame at the end


def test_the_city_map_and_the_province_map_of_a_place_download_under_different_names(bundled_ds):
    # a reader saving both maps of Guangdong kept only the second (both were policy-map_guangdong)
    from layouts.exports.report_pack import chart_stem

    names = {
        chart_stem(bundled_ds, parse_query(q), chart)
        for q in ("?region=440000", "?region=440000&map=city")
        for chart in ("map", "ranked")
    }
    assert names == {
        "policy-map_guangdong",
        "policy-map_cities_guangdong",
        "policy-ranking_guangdong",
        "policy-ranking_cities_guangdong",
    }
