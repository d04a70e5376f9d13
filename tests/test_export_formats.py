"""The export format registry (layouts/exports/formats.py) and the chart registry's data tables
(layouts/charts.py ``Chart.table``), as a user of the Download menu meets them: every format the
menu offers gives a file for the charts it applies to and a clear refusal for the others; every
chart's numbers come from its own table function. No image rendering here (test_exports.py)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from data.state import parse_query
from layouts import export_menu, ids
from layouts.charts import VIEW, charts_for
from layouts.exports import chart_data, formats, report_pack

VIEW_QUERY = "?incentive=subsidy&lang=en"
DATA = ("csv", "gpkg", "geojson", "html")


def test_the_download_menu_offers_each_registered_format_once_in_order():
    values = [o["value"] for o in export_menu._format_options()]
    assert values == [f.ext for f in formats.FORMATS]
    assert len(set(values)) == len(values)


@pytest.mark.parametrize("fmt", DATA)
def test_each_data_format_gives_a_file_where_it_applies_and_refuses_elsewhere(bundled, fmt):
    state = bundled.restrict(parse_query(VIEW_QUERY))
    entry = formats.FORMAT[fmt]
    for chart in (*charts_for(bundled.dimensions), VIEW.id):
        if fmt == "html" and chart not in (ids.MAP, VIEW.id):
            continue  # every chart's HTML draws every figure: two are enough here
        if entry.applies(chart):
            name, body = report_pack.chart_file(bundled, state, chart, fmt)
            assert name.endswith(f".{fmt}") and len(body) > 100, (chart, fmt)
        else:
            with pytest.raises((ValueError, RuntimeError)) as refused:
                report_pack.chart_file(bundled, state, chart, fmt)
            said = str(refused.value)
            assert ("one PDF" in said) if chart == VIEW.id else ("map" in said), (chart, fmt)


def test_an_unknown_format_is_refused_with_the_formats_there_are(bundled):
    state = bundled.restrict(parse_query(VIEW_QUERY))
    with pytest.raises(ValueError, match="csv"):
        report_pack.chart_file(bundled, state, ids.TIMELINE, "bmp")


def test_each_chart_s_csv_is_its_own_table(bundled):
    """The CSV of every chart holds what its registry entry's table function gives (compare mode
    off), and the map's GeoJSON holds the same regions as its CSV."""
    state = bundled.restrict(parse_query(VIEW_QUERY))
    for chart, entry in charts_for(bundled.dimensions).items():
        assert entry.table is not None, chart
        _, body = report_pack.chart_file(bundled, state, chart, "csv")
        csv = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        expected = entry.table(bundled, state, chart)
        assert list(csv.columns) == list(expected.columns), chart
        assert len(csv) == len(expected), chart
    geo = chart_data.geojson(bundled, state)
    assert geo.count(b'"adcode"') == len(chart_data.chart_table(bundled, state, ids.MAP))


def test_each_chart_s_headline_names_what_it_counts(bundled):
    """The Download panel's generated title: the map's regions, the ranking, the time step, each
    breakdown's dimension; the diffusion charts and the whole view take the map's (as ever)."""
    state = bundled.restrict(parse_query(VIEW_QUERY))
    charts = charts_for(bundled.dimensions)
    titles = {c: report_pack.default_title(bundled, state, c) for c in charts}
    assert titles[ids.MAP].endswith("by province")
    assert "provinces ranked" in titles[ids.RANKED]
    assert titles[ids.TIMELINE].endswith("per year")
    for chart in (ids.ADOPTION_MAP, ids.ADOPTION_CURVE, VIEW.id):
        assert report_pack.default_title(bundled, state, chart) == titles[ids.MAP]
    breakdowns = [titles[c] for c, entry in charts.items() if entry.dimension]
    assert len(set(breakdowns)) == len(breakdowns) == len(bundled.dimensions)
    assert all(t.startswith("Blockchain policies offering subsidy, by ") for t in breakdowns)


def test_the_report_pack_s_data_files_come_through_the_registry(bundled):
    state = bundled.restrict(parse_query(VIEW_QUERY))
    members = report_pack.data_members(bundled, state, report_pack.figures(bundled, state))
    stems = {report_pack.chart_stem(bundled, state, c) for c in charts_for(bundled.dimensions)}
    assert {f"data/{s}.csv" for s in stems} <= set(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # each member is a file a zip can hold
        for name, body in members.items():
            z.writestr(name, body)
    assert len(zipfile.ZipFile(buf).namelist()) == len(members)


def test_the_print_sizes_are_named_in_both_languages():
    # a Chinese reader saw "A4 landscape · 300 dpi" in the Chinese menu
    for option in export_menu._size_options():
        spans = {s.className: s.children for s in option["label"]}
        assert set(spans) == {"l-zh", "l-en"}
    a4 = export_menu._size_options()[0]["label"]
    assert [s.children for s in a4] == ["A4 横向 · 300 dpi", "A4 landscape · 300 dpi"]
