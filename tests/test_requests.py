"""Requests the page never sends: odd links and malformed callback payloads change nothing, say what
they ignored and never raise (issue 12's list, then a seeded fuzz of URLs and payloads)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from dash.exceptions import PreventUpdate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callbacks import grid, interaction, url_sync, views
from callbacks.service import context
from data import table
from data.dataset import DatasetStore
from data.state import ViewState, encode_query, parse_query
from layouts import present_texts
from tests.clicks import fire


@pytest.fixture(scope="module", autouse=True)
def served(bundled):
    context.serve(DatasetStore(bundled))


def test_an_unknown_category_value_is_ignored_with_a_note_not_a_chip(bundled):
    state, ds = context.view("?incentive=bogus,subsidy")
    assert state.picked("incentive") == ("subsidy",)
    assert any("bogus" in n for n in state.notes)
    labels = [label for _, _, label in present_texts.chip_items(ds, state)]
    assert "bogus" not in " ".join(labels)


def test_fullwidth_digits_and_places_that_do_not_exist_are_ignored_with_a_note():
    state, _ = context.view("?region=４４００００,999999,440000&from=２０２０")
    assert state.region == ("440000",)
    joined = " ".join(state.notes)
    assert "４４００００" in joined and "999999" in joined and "２０２０" in joined
    assert state.date_from is None


def test_a_block_request_for_a_billion_rows_gets_one_block(bundled):
    rows, count = table.block(bundled.index, ViewState(), bundled.name_of, start=0, end=10**9)
    assert len(rows) == min(count, table.MAX_BLOCK)


def test_a_sort_on_a_column_the_grid_does_not_have_builds_nothing(bundled):
    table._views.clear()
    rows, _ = table.block(
        bundled.index, ViewState(), bundled.name_of, end=5, sort_model=[{"colId": "nope"}]
    )
    assert len(rows) == 5 and table._views.nbytes == 0


def test_the_view_cache_is_bounded_in_bytes(bundled):
    cache = table._ViewCache(max_bytes=200_000)
    for year in range(2015, 2026):
        state = parse_query(f"?from={year}")
        frame = table.display_frame(bundled.frame, state.lang, bundled.name_of)
        cache.put((year,), frame)
        assert cache.nbytes <= max(200_000, int(frame.memory_usage(deep=True).sum()))
    assert cache.get((2025,)) is not None and cache.get((2015,)) is None


# ----------------------------------------------------------------------------- callbacks
def _interact(prop_id: str, value: Any, search: str) -> dict:
    """The interaction callback with ``prop_id`` as its trigger, nothing drawn yet."""
    return fire(search, prop_id, value)


def test_a_bogus_chip_id_or_wrongly_typed_values_get_no_update_and_one_log_line(caplog):
    chip = json.dumps({"dim": "nope", "type": "chip", "value": "x"}) + ".n_clicks"
    with pytest.raises(PreventUpdate):  # a chip the page never makes: nothing
        _interact(chip, 1, "")
    with (
        caplog.at_level(logging.WARNING, logger="policy_atlas.callbacks"),
        pytest.raises(PreventUpdate),
    ):
        _interact("f-region.value", 12345, "")
    assert len(caplog.records) == 1 and "interact" in caplog.records[0].getMessage()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = ["region", "from", "to", "q", "wr", "map", "drill", "measure", "gdp", "freq", "lang",
        "pilots", "pf", "incentive", "type", "level", "stance", "sector", "period", "cum",
        "bogus"]  # fmt: skip
QUERY = st.lists(st.tuples(st.sampled_from(KEYS), st.text(max_size=16)), max_size=6).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs)
)
FAST = settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.mark.slow
@FAST
@given(QUERY)
def test_fuzz_any_link_opens_and_its_url_is_stable(search):
    state, _ = context.view(search)
    again = parse_query(encode_query(state))
    assert encode_query(again) == encode_query(state)


TRIGGERS = [f"{c}.{p}" for c, p in [*url_sync.CONTROLS, *url_sync.CLICKS]] + [
    json.dumps({"dim": "region", "type": "chip", "value": "440000"}) + ".n_clicks",
    "url.search",
]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(TRIGGERS), JSON, QUERY)
def test_fuzz_control_and_click_payloads_never_raise(trigger, value, search):
    try:
        out = _interact(trigger, value, search)
    except PreventUpdate:
        assert trigger != "url.search"  # any link draws a view (a malformed event may not)
        return
    assert set(out) == set(interaction.OUTPUTS)
    if out["url"] is not url_sync.no_update:
        assert isinstance(out["url"], str) and out["url"].startswith("?")
        assert out["views"]["rendered_search"] in (out["url"], "")  # the views of the new URL


@pytest.mark.slow
@settings(max_examples=250, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(["startRow", "endRow", "sortModel", "filterModel"]), JSON))
def test_fuzz_grid_block_requests_never_raise(request):
    try:
        out = grid.rows_block(request, "?region=440000", "")
    except PreventUpdate:
        return
    assert len(out["rowData"]) <= table.MAX_BLOCK


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True)
@given(QUERY, JSON)
def test_fuzz_views_requests_never_raise(search, rendered):
    try:
        out = views.render(search, rendered)
    except PreventUpdate:
        return
    assert set(out) == set(views.OUTPUTS)


# ----------------------------------------------------------------------------- only what changed
def _paths(patch: Any) -> set[str]:
    if patch is views.no_update:
        return set()
    ops = patch.to_plotly_json()["operations"]
    return {"/".join(map(str, op["location"])) for op in ops}


def test_a_patch_never_resends_what_the_browser_already_has():
    first = views.render("?incentive=subsidy", None)  # full figures
    second = views.render("?incentive=subsidy,fund", first["rendered"])
    assert "data/0/z" in _paths(second["figures"]["map"])  # nothing known yet: all sent
    # a click on Guangdong: the map's own values ignore its own filter (crossfilter), so its
    # counts are not sent again; the bars, filtered to Guangdong, are
    third = views.render("?incentive=fund,subsidy&region=440000", second["rendered"])
    assert "data/0/z" not in _paths(third["figures"]["map"])
    assert any(p.endswith("/x") for p in _paths(third["figures"]["bd-type"]))
    # the same view again: nothing at all to send
    again = views.render("?incentive=fund,subsidy&region=440000", third["rendered"])
    assert all(f is views.no_update for f in again["figures"].values())
