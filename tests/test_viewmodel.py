"""What the page shows for a view: self-explaining figures, patches that fit, small payloads."""

import base64
import copy
import json

import numpy as np
import plotly
import plotly.graph_objects as go
import pytest

from callbacks.views import to_patch
from data import measures
from data.measures import MEASURE
from data.state import ViewState
from layouts import (
    choices,
    present_common,
    present_grid,
    present_map,
    present_texts,
    viewmodel,
)
from layouts.figures import china_map


def _length(value) -> int:
    """Length of a figure array, plain or as plotly's base64 typed array."""
    if isinstance(value, dict) and "bdata" in value:
        return len(np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]))
    return len(value)


def _get(fig: dict, path: tuple):
    node = fig
    for key in path:
        node = node[key]
    return node


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_carries_title_filters_and_source(ds, lang):
    state = ViewState.of(region=("440000",), incentive=("subsidy",), lang=lang)
    v = viewmodel.views(ds, state, full=True)
    for name, fig in v.figures.items():
        layout = fig.to_plotly_json()["layout"]
        assert layout["title"]["text"], name
        sub = layout["title"]["subtitle"]["text"]
        assert ("广东省" if lang == "zh" else "Guangdong") in sub, name
        assert ("补贴" if lang == "zh" else "subsidy") in sub, name
        texts = " ".join(a["text"] for a in layout["annotations"])
        assert "Policy Atlas" in texts and ds.as_of in texts and "181" in texts, name


def test_patches_address_paths_that_exist_in_the_full_figure(ds):
    base = ViewState(map_level="province")
    full = {k: f.to_plotly_json() for k, f in viewmodel.views(ds, base, full=True).figures.items()}
    later = viewmodel.views(ds, ViewState.of(region=("440000",), stance=("support",)), full=False)
    assert set(later.updates) == set(full)
    for name, updates in later.updates.items():
        patched = copy.deepcopy(full[name])
        for path, value in updates.items():
            current = _get(patched, path[:-1])  # the parent must exist
            if isinstance(current, list):  # an index into an array of the full figure
                assert isinstance(path[-1], int) and path[-1] < len(current), (name, path)
            else:
                assert isinstance(current, dict), (name, path)
            current[path[-1]] = value
            is_map = name in ("map", "adoption-map")
            fixed_length = not is_map or path[1] in china_map.Z_TRACES  # outline traces vary
            if fixed_length and isinstance(value, list) and path[-1] in ("z", "x", "y"):
                assert len(value) == _length(_get(full[name], path)), (name, path)
        # a key the full figure lacks is only allowed where plotly knows it (layout.shapes when a
        # band is drawn): plotly's validation refuses any other path
        go.Figure(patched)


def test_figures_and_patches_carry_no_geometry_and_no_cdn(ds):
    v = viewmodel.views(ds, ViewState(map_level="city"), full=True)
    text = json.dumps(v.figures["map"], cls=plotly.utils.PlotlyJSONEncoder)
    assert '"geojson": "/assets/geo/cities.geojson"' in text
    assert "cdn.plot.ly" not in text and "jsdelivr" not in text and "unpkg" not in text
    assert len(text) < 200_000
    patch = viewmodel.views(ds, ViewState(map_level="city", region=("440300",)), full=False)
    body = json.dumps(
        to_patch(patch.updates["map"]).to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder
    )
    assert "coordinates" not in body and len(body) < 60_000


def test_map_hover_names_both_languages_and_says_no_record(ds):
    frame = present_map.map_frame(ds, ViewState()).set_index("adcode")
    assert "政策数: 20" in frame.loc["440000", "hover"]
    assert "无政策记录" in frame.loc["230000", "hover"]
    zero = present_map.map_frame(ds, ViewState.of(stance=("restrict",))).set_index("adcode")
    assert "筛选后为零" in zero.loc["440000", "hover"]
    # the names, both languages, the page's first: the layer's, filled in by the browser
    for lang, first, second in (("zh", "name_zh", "name_en"), ("en", "name_en", "name_zh")):
        fig = viewmodel.views(ds, ViewState(lang=lang), full=True).figures["map"]
        names = f"<b>%{{properties.{first}}}</b> %{{properties.{second}}}"
        for trace in fig.data[: china_map.NODATA_TRACES[1] + 1]:
            assert trace.hovertemplate.startswith(names), (lang, trace.uid)


def test_national_rows_are_counted_beside_the_map(ds):
    lines = present_texts.beside_lines(ds, ViewState(lang="en"))
    assert "National policies (no region): 35" in lines[0]


def test_chips_name_each_active_filter(ds):
    state = ViewState(region=("440000",), date_from="2019-01-01", text="链", lang="zh")
    labels = [label for _, _, label in present_texts.chip_items(ds, state)]
    assert labels[0] == "广东省" and any("2019-01-01" in x for x in labels)
    assert any("链" in x for x in labels)


def test_place_choices_list_every_province_then_cities_with_their_province(ds):
    places = choices.place_choices(ds)
    codes = [c[0] for c in places]
    assert len(set(codes)) == len(codes)
    assert codes[:34] == sorted(codes[:34]) and "440000" in codes[:34]
    sz = next(c for c in places if c[0] == "440300")
    assert sz[1] == "深圳市（广东省）" and sz[2] == "Shenzhen, Guangdong"
    assert len(places) >= 34 + 360


def test_pilot_field_filter_limits_markers_and_pilot_table(ds):
    fields = {code for code, _, _ in choices.pilot_field_choices(ds)}
    assert {"comprehensive-multi-field", "blockchain-health"} <= fields
    state = ViewState(pilots=True, pilot_field=("blockchain-health",), lang="en")
    rows = present_grid.pilot_rows(ds, state)
    assert rows and all("health" in r["field"] for r in rows)
    fig = viewmodel.views(ds, state, full=True).figures["map"]
    pilots = next(t for t in fig.data if t.uid == "pilots")
    assert (
        0
        < len(pilots.lon)
        == len(present_common.visible_pilots(ds, state).dropna(subset=["lon", "lat"]))
    )
    everything = viewmodel.views(ds, ViewState(pilots=True), full=True).figures["map"]
    assert len(next(t for t in everything.data if t.uid == "pilots").lon) > len(pilots.lon)


def test_user_text_reaches_figures_as_text_not_markup(ds):
    state = ViewState(text='<a href="https://evil.example">click</a>', lang="en")
    v = viewmodel.views(ds, state, full=True)
    for fig in v.figures.values():
        sub = fig.layout.title.subtitle.text
        assert "<a " not in sub and "&lt;a href" in sub


def test_amounts_read_in_their_unit():
    assert present_texts.amount_text(5000, "zh") == "5,000 元"
    assert present_texts.amount_text(5000, "en") == "5,000 yuan"
    assert present_texts.amount_text(17_500_000, "zh") == "1,750 万元"
    assert present_texts.amount_text(2.5e8, "en") == "250.0 million yuan"


def test_a_region_without_a_reference_figure_is_grey_not_zero(ds):
    from data.dataset import Dataset

    frame = ds.frame.copy()
    hk = frame.index[frame["province_adcode"] == "440000"][:2]
    frame["province_adcode"] = frame["province_adcode"].astype("str")  # categorical: new values
    frame.loc[hk, "province_adcode"] = "810000"  # rows "in Hong Kong": no GDP figure exists
    other = Dataset(frame=frame, pilots=ds.pilots, label="t", as_of="2026-01-01")
    asked = ViewState(measure="per_gdp", lang="en")
    values = present_map.map_frame(other, asked).set_index("adcode")
    assert values.loc["810000", "status"] == "no_reference"
    assert "no population or GDP figure" in values.loc["810000", "hover"]
    fig = viewmodel.views(other, ViewState(measure="per_gdp"), full=True).figures["map"]
    grey = next(t for t in fig.data if t.uid == "nodata-main")
    assert "810000" in grey.locations


def test_the_map_frame_carries_its_typed_measure_and_statuses_of_one_vocabulary(ds):
    """The measure the map shows travels with its frame (id, whole numbers or a rate, its
    format), and every region's status is one of ``data.measures``' words."""
    rate = present_map.map_frame(ds, ViewState(measure="per_pop"))
    assert rate.attrs["measure"].id == "per_pop" and not rate.attrs["measure"].integer
    # a city map has no population figures: it shows counts, and says so in whole numbers
    city = present_map.map_frame(ds, ViewState(measure="per_pop", map_level="city"))
    assert city.attrs["measure"].id == "count" and city.attrs["measure"].integer
    assert city.attrs["measure"].format(1234.0) == "1,234"
    assert MEASURE["share"].format(12.345) == "12.3%"
    words = {measures.NO_RECORD, measures.ZERO, measures.VALUE, measures.NO_REFERENCE}
    assert set(rate["status"]) <= words and set(city["status"]) <= words
    assert set(measures.GREY) == {measures.NO_RECORD, measures.NO_REFERENCE}
