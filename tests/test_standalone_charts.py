"""Charts that stand alone in a report (issue #11): the exported files of a filtered view, read
back as a reader (or a GIS, or a browser with no network) would."""

from __future__ import annotations

import html
import io
import re
import struct
import zlib

import numpy as np
import pandas as pd
import pytest

from data.state import ViewState, parse_query
from layouts import chart_tables, ids, map_story, present_map, viewmodel
from layouts.charts import CHARTS
from layouts.exports import chart_data, formats, render, report_pack
from layouts.figures import classes, labels
from layouts.figures.classes import classify

# The journalist's question: cash rewards or subsidies, since 2020.
VIEW_EN = "?incentive=cash-reward,subsidy&from=2020&lang=en"
VIEW_ZH = "?incentive=cash-reward,subsidy&from=2020"


def svg_texts(svg: bytes) -> list[str]:
    """Every <text> element's words (its tspans joined), unescaped."""
    out = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), flags=re.S):
        out.append(html.unescape(re.sub(r"<[^>]+>", " ", body)).strip())
    return [t for t in out if t]


def legend_texts(svg: bytes) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<text class="legendtext"[^>]*>([^<]*)</text>', svg.decode())
    ]


def ytick_texts(svg: bytes) -> list[str]:
    """The y axis's tick labels, top to bottom as a reader sees them."""
    block = re.search(
        r'<g class="yaxislayer-above">((?:<g class="ytick">.*?</g>)*)</g>', svg.decode(), flags=re.S
    )
    assert block, "no y axis in the SVG"
    ticks = re.findall(r"<text([^>]*)>([^<]*)</text>", block.group(1))

    def top(attrs: str) -> float:  # the tick's vertical position on the page
        found = re.search(r"translate\([^,]*,\s*([-\d.]+)\)", attrs)
        return float(found.group(1)) if found else 0.0

    return [html.unescape(text) for attrs, text in sorted(ticks, key=lambda t: top(t[0]))]


@pytest.fixture(scope="module")
def exported(bundled):
    """SVGs of the filtered view in English and Chinese (one kaleido session)."""
    out = {}
    for view in (VIEW_EN, VIEW_ZH):
        state = parse_query(view)
        figs = report_pack.figures(bundled, state)
        for chart in (ids.MAP, ids.RANKED, ids.breakdown("incentive"), ids.TIMELINE):
            out[(view, chart)] = render.to_bytes(figs[chart], "svg")
    yield out
    render.stop()


# ----------------------------------------------------------------------------- exported SVGs
@pytest.mark.export
def test_titles_say_what_the_filters_select(exported):
    en = svg_texts(exported[(VIEW_EN, ids.MAP)])
    assert any("cash reward or subsidy" in t and "since 2020" in t for t in en), en[:5]
    assert any("by province" in t for t in en)
    zh = svg_texts(exported[(VIEW_ZH, ids.MAP)])
    assert any("以现金奖励或补贴支持区块链的政策" in t and "2020 年以来" in t for t in zh), zh[:5]
    assert not any(t == "政策分布" for t in zh)  # the generic title is gone
    ranked = svg_texts(exported[(VIEW_EN, ids.RANKED)])
    assert any("provinces ranked" in t for t in ranked)
    # and each image says it is drawn with exactly the filtered rows
    assert any("only the policies matching every filter" in t for t in en)


@pytest.mark.export
def test_count_map_legend_is_whole_number_classes_with_zero_and_no_record(exported, bundled):
    legend = legend_texts(exported[(VIEW_EN, ids.MAP)])
    special = {"0 under these filters", "No recorded policy"}
    steps = [t for t in legend if t not in special]
    assert steps and all(re.fullmatch(r"\d+(–\d+)?", s) for s in steps), legend
    assert special <= set(legend)
    table = chart_tables.map_table(bundled, parse_query(VIEW_EN))
    assert set(table.loc[table["count"] > 0, "class"]) <= set(steps)


@pytest.mark.export
def test_highlighted_regions_are_labelled_with_name_and_value(exported, bundled):
    texts = svg_texts(exported[(VIEW_EN, ids.MAP)])
    table = chart_tables.map_table(bundled, parse_query(VIEW_EN))
    shown = table[table["count"] > 0]
    assert 0 < len(shown) <= 10
    for name, count in zip(shown["name_en"], shown["count"], strict=True):
        assert any(t.startswith(name.split(" ")[0]) and t.endswith(str(count)) for t in texts), (
            name,
            texts,
        )
    zh = svg_texts(exported[(VIEW_ZH, ids.MAP)])
    assert any(t.startswith("广东") for t in zh)


@pytest.mark.export
def test_ranked_chart_order_equals_the_data(exported, bundled):
    table = chart_tables.ranked_table(bundled, parse_query(VIEW_EN))
    ticks = ytick_texts(exported[(VIEW_EN, ids.RANKED)])
    # each bar labelled with its rank, "=" when tied ("=1 Chongqing"), then its name
    expected = [
        f"{'=' if tied else ''}{rank}\u2002{name}"
        for rank, tied, name in zip(table["rank"], table["tied"], table["name_en"], strict=True)
    ]
    assert ticks == expected
    assert table["value"].is_monotonic_decreasing
    for (_, a), (_, b) in zip(table.iloc[:-1].iterrows(), table.iloc[1:].iterrows(), strict=True):
        assert a["value"] > b["value"] or a["name_en"] <= b["name_en"]  # ties by name


@pytest.mark.export
def test_incentive_chart_of_an_incentive_filter_has_no_none_stated_bar(exported):
    ticks = ytick_texts(exported[(VIEW_EN, ids.breakdown("incentive"))])
    assert "none stated" not in ticks and ticks
    assert "cash reward" in ticks and "subsidy" in ticks
    zh = ytick_texts(exported[(VIEW_ZH, ids.breakdown("incentive"))])
    assert "未提及" not in zh and "现金奖励" in zh


@pytest.mark.export
def test_timeline_export_shows_only_the_filtered_years(exported):
    texts = svg_texts(exported[(VIEW_EN, ids.TIMELINE)])
    years = {t for t in texts if re.fullmatch(r"20\d\d", t)}
    assert years and min(years) >= "2020", years
    assert not legend_texts(exported[(VIEW_EN, ids.TIMELINE)])  # panels titled, no swatches


# ----------------------------------------------------------------------------- data behind charts
def test_geopackage_has_one_feature_per_region_with_its_count(bundled, tmp_path):
    import geopandas as gpd

    state = parse_query(VIEW_EN)
    path = tmp_path / "map.gpkg"
    path.write_bytes(chart_data.geopackage(bundled, state))
    geo = gpd.read_file(path)
    table = chart_tables.map_table(bundled, state)
    assert geo.crs.to_epsg() == 4326
    assert len(geo) == len(table) == 34 and geo["adcode"].is_unique
    assert geo.geometry.notna().all() and geo.geometry.is_valid.all()
    counts = geo.set_index("adcode")["count"]
    assert counts.to_dict() == table.set_index("adcode")["count"].to_dict()
    assert counts.sum() > 0 and {"name_zh", "name_en", "value", "class"} <= set(geo.columns)
    gd = geo.set_index("adcode").loc["440000"]
    assert 109 < gd.geometry.centroid.x < 118 and 20 < gd.geometry.centroid.y < 26  # WGS-84
    gj = chart_data.geojson(bundled, state)
    assert len(gpd.read_file(io.BytesIO(gj))) == 34


def test_every_chart_has_its_numbers_as_csv(bundled):
    state = parse_query(VIEW_EN)
    for chart in (ids.MAP, ids.RANKED, ids.TIMELINE, *ids.BREAKDOWNS):
        data = formats.file_bytes(formats.Request(bundled, state, chart), "csv")
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"adcode": str})
        assert len(frame) > 0, chart
    mapped = chart_tables.map_table(bundled, state)
    assert list(mapped.columns) == [
        "adcode",
        "name_zh",
        "name_en",
        "count",
        "measure",
        "value",
        "class",
    ]
    total = int(mapped["count"].sum())
    ranked = chart_tables.ranked_table(bundled, state)
    assert int(ranked["count"].sum()) == total  # the ranking lists every region with a policy
    with pytest.raises(ValueError, match="map"):
        formats.file_bytes(formats.Request(bundled, state, ids.TIMELINE), "gpkg")


# ----------------------------------------------------------------------------- PNG, citation
def _phys(png: bytes) -> tuple[int, int, int]:
    pos = 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"pHYs":
            crc = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])[0]
            assert crc == zlib.crc32(kind + body)
            return struct.unpack(">IIB", body)
        pos += 12 + length
    raise AssertionError("no pHYs chunk")


def test_png_carries_its_dpi():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(buf, format="PNG")
    out = render.with_dpi(buf.getvalue(), 300)
    x, y, unit = _phys(out)
    assert unit == 1 and x == y == round(300 / 0.0254)  # pixels per metre
    with Image.open(io.BytesIO(out)) as image:
        assert image.size == (30, 20) and round(image.info["dpi"][0]) == 300


def test_citation_has_an_absolute_url_and_filters_once(bundled):
    import datetime as dt

    state = parse_query("?region=440000&from=2019&lang=en")
    url = report_pack.view_address(state, "https://atlas.example.org/app")
    assert url == "https://atlas.example.org/app/?region=440000&from=2019-01-01&lang=en"
    text = report_pack.citation_text(bundled, state, url, 10, dt.datetime(2026, 1, 2))
    assert "Filters: Filters:" not in text and "筛选：             筛选：" not in text
    assert "Filters:           Guangdong · from 2019-01-01" in text
    assert f"View (URL):        {url}" in text
    with pytest.raises(ValueError, match="absolute"):
        report_pack.view_address(state, "atlas/")
    assert report_pack.view_address(ViewState()).startswith("http://127.0.0.1:8050/")


def test_source_line_names_the_table_and_claims_sources_only_when_true(bundled):
    from data.dataset import Dataset

    exported = viewmodel.views(
        bundled, ViewState(lang="en"), full=True, export=True, inline_geojson=True
    )
    line = exported.figures[ids.MAP].layout.annotations[0].text
    assert bundled.label in line and "181 rows" in line and "each with its source" in line
    # on screen the short line (it fits a phone): the table and its rows still named
    fig = viewmodel.views(bundled, ViewState(lang="en"), full=True).figures[ids.MAP]
    line = fig.layout.annotations[0].text
    assert bundled.label in line and "181 rows" in line
    frame = bundled.frame.copy()
    frame["source"] = frame["source"].astype("str")  # a categorical column: new values as text
    frame.loc[frame.index[0], "source"] = ""
    other = Dataset(frame=frame, pilots=bundled.pilots, label="mine.xlsx", as_of="2026-01-01")
    assert not other.every_row_sourced
    line = viewmodel.views(other, ViewState(lang="en"), full=True).figures[ids.MAP]
    text = line.layout.annotations[0].text
    assert "mine.xlsx" in text and "each with its source" not in text


# ----------------------------------------------------------------------------- states, edits
def test_empty_result_says_so_on_every_chart(bundled):
    state = ViewState(text="no policy has this phrase zzz", lang="en")
    figs = viewmodel.views(bundled, state, full=True, export=True).figures
    for name, fig in figs.items():
        note = fig.layout.annotations[1]
        assert note.visible and note.text == "No policy matches these filters", name
    busy = viewmodel.views(bundled, ViewState(lang="en"), full=True).figures
    assert not any(f.layout.annotations[1].visible for f in busy.values())
    # on screen a filter change only flips the message on (a patch)
    patch = viewmodel.views(bundled, state, full=False).updates
    for name in (ids.MAP, ids.RANKED, ids.TIMELINE):
        assert patch[name][("layout", "annotations", 1, "visible")] is True, name
    for name in ids.charts_of(bundled.dimensions):  # a breakdown's text follows the filters
        assert patch[name][("layout", "annotations", 1, "text")] == (
            "No policy matches these filters"
        ), name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_breakdown_with_matches_but_no_bar_says_none_states_it(bundled, lang):
    """Five subsidies of 2019-2021 match, none names a sector: the sector chart said "No policy
    matches these filters", on the page and in an export, beside charts showing those five."""
    state = parse_query(f"?incentive=subsidy&from=2019-01-01&to=2021-12-31&lang={lang}")
    said = {
        "en": "None of the 5 matching policies states a sector",
        "zh": "符合筛选条件的政策共 5 项，均未提及应用领域",
    }[lang]
    sector = ids.breakdown("sector")
    for export in (False, True):
        fig = viewmodel.views(bundled, state, full=True, export=export).figures[sector]
        note = fig.layout.annotations[1]
        lines = note.text.split("<br>")  # broken where a line would overrun the card
        assert note.visible and re.sub(r"(?<=，) ", "", " ".join(lines)) == said, export
        assert all(len(line) <= 32 for line in lines), note.text
    # reached by a filter change (a patch): the same words, shown
    patch = viewmodel.views(bundled, state, full=False).updates[sector]
    assert patch[("layout", "annotations", 1, "visible")] is True
    assert patch[("layout", "annotations", 1, "text")] == note.text
    # a chart of a dimension the policies state keeps its bars and no message
    incentives = viewmodel.views(bundled, state, full=True).figures[ids.breakdown("incentive")]
    assert not incentives.layout.annotations[1].visible


def test_an_exported_breakdown_with_no_bar_shows_its_message_without_bare_axes(bundled):
    # subsidies of 2019-2021: five policies, none names a sector; the printed sector chart had
    # a numbered axis from -1 to 4 around the message, with no bar to read it by
    state = parse_query("?incentive=subsidy&from=2019-01-01&to=2021-12-31&lang=en")
    figs = viewmodel.views(bundled, state, full=True, export=True).figures
    sectors = figs[ids.breakdown("sector")]
    assert not sectors.data[0].y and sectors.layout.annotations[1].visible
    assert sectors.layout.xaxis.visible is False and sectors.layout.yaxis.visible is False
    incentives = figs[ids.breakdown("incentive")]  # a chart with bars keeps its axes
    assert incentives.data[0].y and incentives.layout.yaxis.visible is not False


def test_user_title_and_note_reach_the_export(bundled):
    state = parse_query(VIEW_EN)
    edits = report_pack.Edits("Cash for blockchain <b>", "Source: our own count", ids.MAP)
    figs = report_pack.figures(bundled, state, edits)
    assert figs[ids.MAP].layout.title.text == "Cash for blockchain &lt;b&gt;"
    assert figs[ids.RANKED].layout.title.text.startswith("Blockchain policies offering")
    for fig in figs.values():
        assert fig.layout.annotations[0].text.startswith("Source: our own count<br>")
    assert report_pack.default_title(bundled, state, ids.RANKED).endswith("since 2020")


def test_exports_are_drawn_as_filtered_while_the_screen_crossfilters(bundled):
    state = ViewState.of(incentive=("subsidy",), lang="en")
    screen = viewmodel.views(bundled, state, full=True).figures[ids.breakdown("incentive")]
    printed = viewmodel.views(bundled, state, full=True, export=True).figures
    bars = printed[ids.breakdown("incentive")].data[0]
    assert "subsidy" in bars.y and all(x > 0 for x in bars.x)
    assert len(screen.data[0].y) > len(bars.y)  # on screen every category stays clickable
    assert set(screen.data[0].marker.color) == {"#1c6e8c", "#a9cfdc"}  # crossfilter dimming
    assert set(bars.marker.color) == {"#1c6e8c"}
    assert printed[ids.MAP].data[0].selectedpoints is None


# ----------------------------------------------------------------------------- classes, labels
def test_classes_are_whole_numbers_for_counts_and_rounded_for_rates():
    counts = np.array([0, 0, 1, 1, 2, 3, 5, 8, 20, np.nan])
    for scheme in classes.SCHEMES:
        c = classify(counts, scheme=scheme)
        assert all(float(u).is_integer() for u in c.uppers) and c.uppers[-1] == 20
        assert all(re.fullmatch(r"\d+(–\d+)?", label) for label in c.labels)
        cls = c.of(counts)
        assert cls[0] == 0 and cls[-1] == -1 and cls[8] == len(c.uppers)
    rates = counts / 7.3
    c = classify(rates, integer=False)
    assert all(len(f"{u:g}".replace(".", "").lstrip("0")) <= 2 for u in c.uppers)
    assert c.uppers[-1] >= np.nanmax(rates)
    assert classify(np.array([0.0, np.nan])).labels == ()


def test_region_labels_do_not_overlap():
    state = ViewState(lang="en")
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "lon": rng.uniform(100, 122, 80),
            "lat": rng.uniform(22, 40, 80),
            "name": [f"Place{i}" for i in range(80)],
            "value": [str(i) for i in range(80)],
            "rank_by": np.arange(80, 0, -1).astype(float),
        }
    )
    placed = labels.place(frame, national=state.drill is None)
    assert 3 < len(placed) < 80
    assert placed["text"].iloc[0] == "Place0<br><b>0</b>"  # the largest value comes first
    x, y = labels._project(placed["lon"].to_numpy(), placed["lat"].to_numpy(), True)
    pts = np.c_[x, y]
    d = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)) + np.eye(len(pts)) * 1e9
    assert d.min() > 50_000  # metres apart in the projection: no two on top of each other
    assert len(labels.place(frame, national=True, top=5)) == 5


def test_city_map_labels_only_the_top_cities(bundled):
    values = present_map.map_frame(bundled, ViewState(map_level="city"))
    placed = map_story.region_labels(values, ViewState(map_level="city"))
    assert 0 < len(placed) <= labels.CITY_TOP
    assert placed["text"].iloc[0].startswith("北京")


def test_report_pack_holds_the_data_behind_each_chart(bundled):
    state = parse_query(VIEW_EN)
    members = report_pack.data_members(bundled, state, report_pack.figures(bundled, state))
    stem = "policy-map_2020-now_cash-reward-subsidy"
    assert {f"data/{stem}.csv", f"data/{stem}.gpkg", f"data/{stem}.geojson"} <= set(members)
    assert "data/policy-ranking_2020-now_cash-reward-subsidy.csv" in members
    page = members["charts/policy-atlas_2020-now_cash-reward-subsidy.html"]
    assert b"PlotlyGeoAssets" in page and not re.search(rb"<script[^>]+src=", page)
    assert page.count(b"Plotly.newPlot") == len(CHARTS)  # every chart, plotly.js inside once
