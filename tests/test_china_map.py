"""The China map figure: stable trace layout, inset, no-data vs zero, selection, offline."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest

from layouts.figures import china_map as cm
from layouts.figures.classes import classify
from layouts.figures.geo_assets import (
    TOPOJSON_DIR,
    geojson_url,
    load_dashline,
    load_geojson,
    topojson_file_url,
)

CDN_HOSTS = ("cdn.plot.ly", "jsdelivr", "unpkg", "cdnjs", "plot.ly/un")


def _frames(level: str = "province", n_values: int = 20):
    feats = load_geojson(level)["features"]
    names = {f["id"]: f["properties"]["name_zh"] for f in feats}
    codes = [f["id"] for f in feats]
    values = pd.DataFrame({"adcode": codes[:n_values]})
    values["z"] = [float(i % 5) for i in range(n_values)]  # includes zeros: filtered to zero
    values["name"] = values["adcode"].map(names)
    nodata = pd.DataFrame({"adcode": codes[n_values:]})
    nodata["name"] = nodata["adcode"].map(names)
    return values, nodata


def _figure(geojson=None, **kw) -> go.Figure:
    values, nodata = _frames()
    return cm.china_map(
        values,
        level="province",
        geojson=geojson if geojson is not None else geojson_url("province"),
        dashline=load_dashline(),
        no_data_adcodes=nodata,
        **kw,
    )


def test_z_values_live_in_traces_0_and_1_with_the_same_locations():
    values, _ = _frames()
    fig = _figure()
    assert cm.z_trace_indices(fig) == list(cm.Z_TRACES) == [0, 1]
    main, inset = (fig.data[i] for i in cm.Z_TRACES)
    assert main.geo == "geo" and inset.geo == "geo2"
    assert list(main.locations) == values["adcode"].tolist()
    # the inset draws the regions reaching into its window, with the same values
    shown = values[values["adcode"].isin(cm.inset_adcodes("province")[0])]
    assert list(inset.locations) == shown["adcode"].tolist()
    assert 0 < len(shown) < len(values)
    # z is the legend class of each value (0 = "0 under these filters"), not the value
    classes = classify(values["z"].to_numpy())
    assert list(main.z) == classes.of(values["z"].to_numpy()).tolist()
    assert list(inset.z) == classes.of(shown["z"].to_numpy()).tolist()
    assert main.featureidkey == "properties.adcode"
    # one shared colour axis, so patching z alone keeps main map and inset consistent
    assert main.coloraxis == inset.coloraxis == "coloraxis"


def test_the_inset_window_holds_the_south_and_the_sea_and_no_other_region():
    provinces, known = cm.inset_adcodes("province")
    south = {"440000", "450000", "460000", "350000", "710000", "810000", "820000"}
    assert south <= provinces  # Guangdong, Guangxi, Hainan, Fujian, Taiwan, Hong Kong, Macau
    assert not {"110000", "650000", "230000", "540000"} & provinces  # north, far west
    cities, _ = cm.inset_adcodes("city")
    assert {"460300", "460200", "440300", "350200"} <= cities  # Sansha, Sanya, Shenzhen, Xiamen
    assert not {"110100", "510100", "650100"} & cities  # Beijing, Chengdu, Urumqi
    # a region the layer does not know is kept in the inset, never dropped
    assert cm.inset_rows(["110000", "999999", "460000"], "province") == [1, 2]
    assert "999999" not in known


def test_patched_z_is_the_figures_z_in_both_traces():
    values, _ = _frames()
    fig = _figure()
    classes = classify(values["z"].to_numpy())
    paths = cm.z_paths(classes.of(values["z"].to_numpy()).tolist(), values["adcode"], "province")
    for (_, i, _), z in paths.items():
        assert list(fig.data[i].z) == z


def test_trace_order_is_stable_whatever_the_options():
    uids = [t.uid for t in _figure().data]
    assert len(uids) == cm.N_TRACES == 17  # callers add their layers from index N_TRACES
    assert uids == [t.uid for t in _figure(selected=["440000"], inset=False).data]
    assert uids[cm.DASHLINE_TRACE] == "dashline"
    assert uids[cm.NODATA_LEGEND_TRACE] == "nodata-legend"
    assert [uids[i] for i in cm.SELECTED_TRACES] == ["selected-main", "selected-inset"]
    assert [uids[i] for i in cm.CLASS_LEGEND_TRACES][0] == "class-legend-0"
    assert uids[cm.ZERO_LEGEND_TRACE] == "zero-legend"
    assert uids[cm.LABEL_TRACE] == "labels" and uids[cm.NEIGHBOUR_TRACE] == "neighbours"


def test_south_china_sea_inset_is_a_fixed_geo2_with_the_dash_line():
    fig = _figure()
    geo2 = fig.layout.geo2
    assert geo2.fitbounds is False and fig.layout.geo.fitbounds is False
    assert geo2.domain.x[0] >= 0.5 and geo2.domain.y[1] <= 0.6  # lower right
    # above the legend strip: a phone's legend is taller (measured in test_edges_browser.py)
    assert geo2.domain.y[0] > cm.LEGEND_STRIP
    assert geo2.lonaxis.range[0] <= 108 and geo2.lonaxis.range[1] >= 120
    assert geo2.lataxis.range[0] <= 4 and geo2.lataxis.range[1] >= 21  # Hainan to 曾母暗沙
    assert geo2.showframe
    dash = fig.data[cm.DASHLINE_TRACE]
    assert dash.type == "scattergeo" and dash.geo == "geo2" and dash.mode == "lines"
    assert sum(v is None for v in dash.lon) == 10  # ten separate dashes
    label = fig.data[cm.INSET_LABEL_TRACE]
    assert label.geo == "geo2" and list(label.text) == ["南海诸岛"]
    # the main map is conic and framed on China, not auto-fitted
    assert fig.layout.geo.projection.type == "conic equal area"
    assert list(fig.layout.geo.lonaxis.range) == [73, 136]


def test_no_record_is_grey_and_distinct_from_filtered_to_zero():
    values, nodata = _frames()
    fig = _figure()
    nd = fig.data[cm.NODATA_TRACES[0]]
    assert list(nd.locations) == nodata["adcode"].tolist()
    assert not set(nd.locations) & set(fig.data[0].locations)
    greys = {c for _, c in nd.colorscale}
    assert greys == {cm.NO_RECORD} and nd.showscale is False
    zero_colour = fig.layout.coloraxis.colorscale[0][1]
    assert zero_colour.lower() != cm.NO_RECORD.lower()
    assert fig.layout.coloraxis.cmin == -0.5 and fig.layout.coloraxis.showscale is False
    # hover and legend say which is which
    assert all("无政策记录" in t for t in nd.text)
    zero_rows = [t for t, z in zip(fig.data[0].text, fig.data[0].z, strict=True) if z == 0]
    assert zero_rows and all("筛选后为 0" in t for t in zero_rows)
    legend = fig.data[cm.NODATA_LEGEND_TRACE]
    assert legend.showlegend and legend.name == "无政策记录"
    assert legend.marker.color == cm.NO_RECORD
    zero = fig.data[cm.ZERO_LEGEND_TRACE]
    assert zero.showlegend and zero.name == "筛选后为 0" and zero.marker.color == zero_colour
    # the stepped legend: one swatch per class, whole numbers, colours as drawn
    shown = [fig.data[i] for i in cm.CLASS_LEGEND_TRACES if fig.data[i].showlegend]
    classes = classify(values["z"].to_numpy())
    assert [t.name for t in shown] == list(classes.labels) == ["1", "2", "3", "4"]
    scale = fig.layout.coloraxis.colorscale
    for k, trace in enumerate(shown, start=1):
        drawn = [c for pos, c in scale if k / (len(shown) + 1) <= pos <= (k + 1) / (len(shown) + 1)]
        assert trace.marker.color in drawn


def test_english_labels():
    fig = _figure(lang="en")
    assert list(fig.data[cm.INSET_LABEL_TRACE].text) == ["South China<br>Sea Islands"]
    assert fig.data[cm.NODATA_LEGEND_TRACE].name == "No recorded policy"


def test_prebuilt_hover_text_is_used_as_is():
    values, _ = _frames()
    values["hover"] = "<b>" + values["name"] + "</b> Guangdong? " + values["z"].astype(str)
    fig = cm.china_map(
        values, level="province", geojson="/assets/geo/provinces.geojson", dashline=None
    )
    assert list(fig.data[0].text) == values["hover"].tolist()


def _named(lang: str = "zh", fallback: str | None = None, **frames) -> go.Figure:
    return cm.china_map(
        frames["values"],
        level="city",
        geojson=geojson_url("city"),
        dashline=load_dashline(),
        no_data_adcodes=frames.get("nodata", ()),
        lang=lang,
        layer_names=True,
        hover_fallback=fallback,
    )


def test_names_from_the_layer_are_one_template_per_trace_not_a_name_per_region():
    """``layer_names``: plotly.js fills each region's names in from the layer the browser holds
    (issue 24: the city map sent "<b>唐山市</b> Tangshan<br>无政策记录" for each of 343 cities)."""
    values, nodata = _frames("city", 30)
    values["hover"] = [f"政策数: {z:g}" for z in values["z"]]
    for lang, names, none in (
        ("zh", "<b>%{properties.name_zh}</b> %{properties.name_en}", "无政策记录"),
        ("en", "<b>%{properties.name_en}</b> %{properties.name_zh}", "No recorded policy"),
    ):
        fig = _named(lang, values=values.drop(columns="name"), nodata=nodata[["adcode"]])
        main, inset = (fig.data[i] for i in cm.Z_TRACES)
        assert main.hovertemplate == names + "<br>%{text}<extra></extra>"
        assert list(main.text) == values["hover"].tolist() and main.customdata is None
        assert inset.hovertemplate == main.hovertemplate  # the inset says what the main map says
        rows = cm.inset_rows(values["adcode"].tolist(), "city")
        assert list(inset.text) == [values["hover"].tolist()[i] for i in rows]
        for grey in (fig.data[i] for i in cm.NODATA_TRACES):
            assert grey.hovertemplate == f"{names}<br>{none}<extra></extra>", lang
            assert grey.text is None and grey.customdata is None
        blob = fig.to_json()
        assert not [n for n in nodata["name"] if n in blob]  # no region's name travels
    # grey regions that say different things (no population figure: their counts) keep a line each
    nodata["hover"] = [f"政策数: {i} · 无参考数据" for i in range(len(nodata))]
    grey = _named(values=values, nodata=nodata).data[cm.NODATA_TRACES[0]]
    assert grey.hovertemplate.endswith("<br>%{text}<extra></extra>")
    assert list(grey.text) == nodata["hover"].tolist()


def test_a_line_most_regions_share_travels_once_as_the_hover_fallback():
    """The first-adoption map's "never": regions saying it carry an empty ``customdata`` entry;
    plotly.js shows the trace's ``hovertemplatefallback`` for them (checked in Chromium by
    tests/browser/test_map_hover_browser.py)."""
    values, _ = _frames("city", 40)
    never = "从未 (筛选条件下无政策)"
    values["hover"] = [f"首项政策: 2020-0{i % 9 + 1}" if i % 4 == 0 else never for i in range(40)]
    main = _named(fallback=never, values=values).data[0]
    assert main.hovertemplate.endswith("<br>%{customdata[0]}<extra></extra>")
    assert main.hovertemplatefallback == never and main.text is None
    shown = [entry[0] if len(entry) else main.hovertemplatefallback for entry in main.customdata]
    assert shown == values["hover"].tolist()
    assert never not in json.dumps(list(map(list, main.customdata)), ensure_ascii=False)
    with pytest.raises(ValueError, match="layer_names"):
        cm.china_map(values, level="city", geojson="", dashline=None, hover_fallback=never)


def test_selection_outlines_and_dims_the_rest():
    fig = _figure(selected=["440000", "110000"])
    sel = fig.data[cm.SELECTED_TRACES[0]]
    assert sorted(sel.locations) == ["110000", "440000"]
    assert min(sel.marker.line.width) >= 2 and sel.hoverinfo == "skip"
    main = fig.data[0]
    kept = [main.locations[i] for i in main.selectedpoints]
    assert sorted(kept) == ["110000", "440000"]
    assert main.unselected.marker.opacity < 0.5
    assert list(fig.data[cm.NODATA_TRACES[0]].selectedpoints) == []  # all dimmed
    # nothing selected: nothing dimmed
    assert _figure().data[0].selectedpoints is None


@pytest.mark.slow
def test_a_province_on_the_city_map_is_outlined_by_its_own_border():
    """Its cities are shown in full (``selected``), the outline is the province layer's shape,
    once; a city picked with it is outlined as a city, thinner."""
    layer = load_geojson("city")
    cities = [f["id"] for f in layer["features"] if f["id"].startswith("44")]
    values = pd.DataFrame({"adcode": [f["id"] for f in layer["features"]], "z": 1.0})
    fig = cm.china_map(
        values,
        level="city",
        geojson=layer,
        dashline=load_dashline(),
        selected=[*cities, "330100"],
        outlined=["440000", "330100"],
    )
    main = fig.data[cm.SELECTED_TRACES[0]]
    assert list(main.locations) == ["440000", "330100"]
    province = next(f for f in load_geojson("province")["features"] if f["id"] == "440000")
    assert main.geojson["features"][0]["geometry"] == province["geometry"]
    width = dict(zip(main.locations, main.marker.line.width, strict=True))
    on_province_map = min(
        _figure(selected=["440000"]).data[cm.SELECTED_TRACES[0]].marker.line.width
    )
    assert width["330100"] < width["440000"] < on_province_map
    assert list(fig.data[cm.SELECTED_TRACES[1]].locations) == ["440000"]  # the inset: Guangdong
    shown = {fig.data[0].locations[i] for i in fig.data[0].selectedpoints}
    assert shown == {*cities, "330100"}  # the province's cities in full, not dimmed


def test_url_geojson_keeps_the_figure_small_and_off_any_cdn():
    values, nodata = _frames("city", 300)
    fig = cm.china_map(
        values,
        level="city",
        geojson=geojson_url("city"),
        dashline=load_dashline(),
        no_data_adcodes=nodata,
    )
    blob = fig.to_json()
    assert len(blob) < 150_000  # geometry is fetched by the browser, never in the response
    assert fig.data[0].geojson == "/assets/geo/cities.geojson"
    for host in CDN_HOSTS:
        assert host not in blob


@pytest.mark.slow
def test_inline_geojson_is_cut_per_trace():
    gj = load_geojson("province")
    fig = _figure(geojson=gj, selected=["440000"])
    assert len(fig.data[0].geojson["features"]) == len(fig.data[0].locations)
    assert [f["id"] for f in fig.data[cm.SELECTED_TRACES[0]].geojson["features"]] == ["440000"]
    for host in CDN_HOSTS:
        assert host not in fig.to_json()


def test_local_topojson_is_a_real_world_110m_topology():
    data = json.loads((TOPOJSON_DIR / "world_110m.json").read_text())
    assert data["type"] == "Topology"
    assert {"land", "countries", "coastlines"} <= set(data["objects"])
    assert topojson_file_url().startswith("file://") and topojson_file_url().endswith("/")
    fig = _figure()
    # plotly.js asks for <topojsonURL>/<scope>_<resolution>m.json: it must be the file we ship
    name = f"{fig.layout.geo.scope}_{fig.layout.geo.resolution}m.json"
    assert (TOPOJSON_DIR / name).exists()


@pytest.mark.export
@pytest.mark.skipif(shutil.which("chromium") is None, reason="system Chromium not installed")
def test_exports_offline_with_kaleido(tmp_path):
    import plotly.io as pio

    pio.defaults.topojson = topojson_file_url()
    fig = _figure(geojson=load_geojson("province"), title="测试 Test")
    png = pio.to_image(fig, format="png", width=800, height=600)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
