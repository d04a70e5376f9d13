"""A table's own dimensions (issue 20 item 6): the registry built per dataset.

Fixture ``tests/fixtures/own_dimensions.csv`` (made for these tests; placeholder titles, no
policy of the bundled table): the bundled English/Chinese headers the loader reads (title_zh,
title_en, province_zh, date_issued) plus three columns of its own — ``policy`` (6 kinds of
measure), ``office`` (60 values) and ``note`` (free text, one per row) — and no incentive, type,
stance or sector column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dash import no_update

from callbacks import events, url_sync
from callbacks.service import context
from data import query
from data.dataset import Dataset, DatasetStore
from data.dimensions import CATEGORIES, MAX_VALUES, OTHER, TOP_N, dimensions_of
from data.load import load_table
from data.state import ViewState, encode_query, parse_query
from layouts import (
    ids,
    own_dimensions,
    present_charts,
    present_common,
    present_map,
    present_texts,
    viewmodel,
)
from layouts.charts import CHARTS, charts_for
from layouts.exports import chart_data, report_pack
from tests.clicks import fire

FIXTURE = Path(__file__).parent / "fixtures" / "own_dimensions.csv"
TABLE_ID = "d" * 64
KINDS = {"subsidy", "tax relief", "loan guarantee", "training", "talent housing", "procurement"}


def _dataset(bundled: Dataset, **kw: Any) -> Dataset:
    frame = load_table(FIXTURE).frame
    return Dataset(
        frame=frame,
        pilots=bundled.pilots.iloc[0:0],
        label="own_dimensions.csv",
        as_of="2026-01-01",
        uploaded=True,
        **kw,
    )


@pytest.fixture(scope="module")
def own(bundled: Dataset) -> Dataset:
    return _dataset(bundled)


@pytest.fixture(scope="module", autouse=True)
def served(bundled: Dataset, own: Dataset):
    store = DatasetStore(bundled)
    store.add(TABLE_ID, own)
    context.serve(store)


def _state(search: str) -> ViewState:
    return context.view(f"?data={TABLE_ID}&{search.lstrip('?')}")[0]


# ------------------------------------------------------------------ the registry
def test_the_bundled_table_keeps_its_five_dimensions(bundled):
    assert bundled.dimensions == CATEGORIES
    # read from its columns: the same five (an upload's draw only the codes it states)
    assert [c.id for c in dimensions_of(bundled.frame)] == [c.id for c in CATEGORIES]
    assert charts_for(bundled.dimensions) == CHARTS
    assert own_dimensions.root_classes(bundled) == ""  # every bundled chart, no slot


def test_a_table_gets_its_own_column_and_not_the_dimensions_it_lacks(own):
    found = {d.id: d for d in own.dimensions}
    assert "policy" in found and found["policy"].own and found["policy"].column == "policy"
    assert found["policy"].distinct == len(KINDS)
    # no wall of zeros: the bundled dimensions it has no column for are not drawn
    assert not {"incentive", "type", "stance", "sector"} & set(found)
    # 60 offices and a free-text note are not categories (more than MAX_VALUES values)
    assert "office" not in found and "note" not in found
    assert found["policy"].chart_name.en == "By policy"
    # a bundled dimension it states (the level, inferred from its places) has no bar of zeros
    stated = set(own.frame["level"].astype(str)) - {"unknown"}
    assert set(found["level"].order) == stated and "national" not in stated


def test_a_marked_column_with_many_values_shows_its_top_values_and_other(bundled):
    marked = _dataset(bundled, marked=("office",))
    office = marked.dimension["office"]
    assert office.distinct == 60 > MAX_VALUES and len(office.top) == TOP_N
    frame = query.breakdown(marked.index, ViewState(data=TABLE_ID), "office")
    assert set(frame["code"]) == {*office.top, OTHER}
    assert frame["count"].sum() == marked.rows  # every row counted once
    note = present_charts.apart_text(office, "en").format(n=5)
    assert "40 other values" in note and f"the {TOP_N} most frequent" in note


# ------------------------------------------------------------------ state and query
def test_its_url_key_filters_the_rows_and_round_trips(own):
    state = _state("policy=subsidy")
    assert state.picked("policy") == ("subsidy",)
    assert parse_query(encode_query(state)) == state
    kept = query.selected_rows(own.index, state)
    assert len(kept) == int((own.frame["policy"] == "subsidy").sum()) > 0
    assert set(kept["policy"]) == {"subsidy"}
    counts = query.breakdown(own.index, state, "policy")
    assert set(counts["code"]) == KINDS
    assert counts.loc[counts["code"] == "subsidy", "selected"].item()
    # crossfilter: its own chart still shows the other kinds
    assert counts["count"].sum() == own.rows


def test_a_link_naming_a_column_the_table_has_not_is_ignored(bundled):
    state, ds = context.view("?policy=subsidy&incentive=bogus")
    assert ds is bundled and state.picks == ()
    assert any("incentive" in n for n in state.notes)  # a bundled key: said
    assert not any("policy" in n for n in state.notes)  # an unknown key: ignored as before


# ------------------------------------------------------------------ views
def test_views_draw_its_chart_in_a_slot_with_neutral_titles(own):
    for lang in ("zh", "en"):
        state = _state(f"policy=subsidy&lang={lang}")
        v = viewmodel.views(own, state, full=True)
        assert ids.OWN_CHARTS[0] in v.figures and ids.breakdown("incentive") not in v.figures
        fig = v.figures[ids.OWN_CHARTS[0]]
        assert set(fig.data[0].customdata) == KINDS
        titles = [f.layout.title.text for f in v.figures.values()]
        assert not any("区块链" in x or "lockchain" in x for x in titles)
    en = viewmodel.views(own, _state("lang=en"), full=True).figures
    assert en[ids.MAP].layout.title.text.startswith("Policies, by province")
    assert en[ids.OWN_CHARTS[0]].layout.title.text.startswith("Policies, by policy")
    zh = viewmodel.views(own, _state(""), full=True).figures
    assert zh[ids.MAP].layout.title.text.startswith("政策，按省份")


def test_a_topic_the_user_typed_names_the_policies(bundled):
    topical = _dataset(bundled, topic="energy")
    state = ViewState(data=TABLE_ID, lang="en")
    assert present_map.map_title(topical, state).startswith("Energy policies, by province")
    assert present_map.map_title(bundled, ViewState(lang="en")).startswith("Blockchain policies")


def test_chips_and_filters_in_words_name_its_values(own):
    state = _state("policy=training&lang=en")
    assert ("policy", "training", "training") in present_texts.chip_items(own, state)
    assert "training" in present_common.subtitle(own, state)
    # removing the chip removes the filter
    chip = {"type": ids.CHIP, "dim": "policy", "value": "training"}
    assert events.apply(state, chip, 1).picked("policy") == ()


def test_the_page_shows_its_slot_and_hides_the_missing_dimensions(own):
    classes = own_dimensions.root_classes(own).split()
    assert {"hide-incentive", "hide-type", "hide-stance", "hide-sector", "own-1"} == set(classes)
    css = (Path(__file__).parent.parent / "assets" / "style.css").read_text(encoding="utf-8")
    for chart, dim in ids.BREAKDOWNS.items():  # each class has its rule
        assert f".hide-{dim} #{ids.card(chart)}" in css
    for i, chart in enumerate(ids.OWN_CHARTS, 1):
        assert f"#root:not(.own-{i}) #{ids.card(chart)}" in css
    slots = own_dimensions.slots(own)
    assert slots[(ids.label_of(ids.OWN_FILTERS[0]), "children")] == "policy"
    options = slots[(ids.OWN_FILTERS[0], "options")]
    assert {o["value"] for o in options} == KINDS
    offered = {o["value"] for o in slots[(ids.DL_CHART, "options")]}
    assert ids.OWN_CHARTS[0] in offered and ids.breakdown("incentive") not in offered


# ------------------------------------------------------------------ clicks, one round trip


def test_a_click_on_its_bar_filters_and_sets_its_filter_in_the_same_response(own):
    search = f"?data={TABLE_ID}"
    click = {"points": [{"customdata": "tax relief"}]}
    out = fire(search, f"{ids.OWN_CHARTS[0]}.clickData", click)
    assert parse_query(out["url"]).picked("policy") == ("tax relief",)
    assert out["own_controls"][url_sync.key(ids.OWN_FILTERS[0], "value")] == ["tax relief"]
    summary = out["views"]["summary"]
    n = int((own.frame["policy"] == "tax relief").sum())
    assert str(n) in summary
    # the dropdown of its filter writes the same key
    out = fire(search, f"{ids.OWN_FILTERS[0]}.value", ["training", "procurement"])
    assert parse_query(out["url"]).picked("policy") == ("procurement", "training")
    # the slots are filled with the first view of the table, not with every click
    label = url_sync.key(ids.label_of(ids.OWN_FILTERS[0]), "children")
    assert out["dimensions"][label] == "policy"
    assert "own-1" in out["views"]["root_class"].split()
    again = fire(out["url"], "url.search", out["url"], table=f"{TABLE_ID}|zh")
    assert all(v is no_update for v in again["dimensions"].values())


# ------------------------------------------------------------------ exports
def test_its_chart_has_a_download_entry_a_file_name_and_its_numbers(own):
    state = _state("policy=subsidy")
    charts = charts_for(own.dimensions)
    assert charts[ids.OWN_CHARTS[0]].file_stem == "policies-by-policy"
    assert ids.breakdown("incentive") not in charts
    assert report_pack.chart_stem(own, state, ids.OWN_CHARTS[0]).startswith(
        "policies-by-policy_subsidy"
    )
    numbers = chart_data.chart_table(own, state, ids.OWN_CHARTS[0])
    counted = dict(zip(numbers["code"], numbers["count"], strict=True))
    assert set(counted) == KINDS  # every kind, counted as filtered (drawn as filtered)
    assert counted.pop("subsidy") == int((own.frame["policy"] == "subsidy").sum()) > 0
    assert not any(counted.values())


def test_a_real_tables_free_text_and_dates_are_no_breakdowns():
    """The Global Policy Lab's table: `policy` (3 kinds) is a breakdown; its description (40
    values, most written once), access date and end date are not (no chart of 40 sentences)."""
    from data.load import load_table

    frame = load_table(Path(__file__).parent / "fixtures" / "gpl_covid_chn.csv").frame
    own = [c.column for c in dimensions_of(frame) if c.own]
    assert own == ["policy"]
