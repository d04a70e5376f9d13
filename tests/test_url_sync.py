"""The URL <-> controls callback: what a click or a control writes into the address bar, and what a
link sets the controls to. Called as Dash calls it (a callback context naming the trigger)."""

from __future__ import annotations

from contextvars import copy_context
from typing import Any

import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import url_sync
from callbacks.url_sync import CLICKS, CONTROLS, control_values, sync_state
from data.dimensions import CATEGORIES
from data.state import ViewState, encode_query, parse_query
from layouts import ids

N_INPUTS = 1 + len(CONTROLS) + len(CLICKS) + 1  # url, controls, clicks, chips (then State url)


def fire(search: str, prop_id: str, value: Any) -> list:
    """Run ``sync_state`` with ``prop_id`` ("map.clickData") as the trigger."""

    def run() -> list:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}]))
        return sync_state(search, *([None] * (N_INPUTS - 1)), search)

    return copy_context().run(run)


def test_a_link_sets_every_control_and_writes_no_url():
    search = "?region=440000&incentive=subsidy&sector=finance&from=2019-01-01&q=链&map=city"
    out = fire(search, "url.search", search)
    assert out[0] is no_update
    values = dict(zip(CONTROLS, out[1:], strict=True))
    assert values[(ids.F_REGION, "value")] == ["440000"]
    assert values[(ids.filter_control("incentive"), "value")] == ["subsidy"]
    assert values[(ids.filter_control("sector"), "value")] == ["finance"]
    assert values[(ids.F_DATE, "start_date")] == "2019-01-01"
    assert values[(ids.F_TEXT, "value")] == "链"
    assert values[(ids.MAP_LEVEL, "value")] == "city"


def test_a_map_click_writes_the_url_and_sends_only_the_changed_control():
    out = fire("", "map.clickData", {"points": [{"location": "440000"}]})
    assert parse_query(out[0]).region == ("440000",)
    changed = {key for key, value in zip(CONTROLS, out[1:], strict=True) if value is not no_update}
    assert changed == {(ids.F_REGION, "value")}


@pytest.mark.parametrize("dim", [c.id for c in CATEGORIES])
def test_every_breakdown_click_and_every_filter_control_filters_its_dimension(dim):
    code = next(iter(c for c in CATEGORIES if c.id == dim)).order[0]
    out = fire("", f"{ids.breakdown(dim)}.clickData", {"points": [{"customdata": code}]})
    assert parse_query(out[0]).picked(dim) == (code,)
    out = fire("", f"{ids.filter_control(dim)}.value", [code])
    assert parse_query(out[0]).picked(dim) == (code,)


def test_the_two_date_ends_and_a_chip():
    out = fire("", "f-date.end_date", "2021-06-30T00:00:00")
    assert parse_query(out[0]).date_to == "2021-06-30"
    chip = '{"dim":"region","type":"chip","value":"440000"}.n_clicks'
    out = fire("?region=110000,440000", chip, 1)
    assert parse_query(out[0]).region == ("110000",)


def test_a_chip_that_was_only_drawn_or_an_event_that_changes_nothing_writes_nothing():
    chip = '{"dim":"region","type":"chip","value":"440000"}.n_clicks'
    assert fire("?region=440000", chip, 0) == [no_update] * (1 + len(CONTROLS))
    assert fire("", "map.clickData", None) == [no_update] * (1 + len(CONTROLS))


def test_every_control_reporting_the_value_a_link_gave_it_leaves_the_view_unchanged():
    """The URL -> control mapping (``CONTROLS``) and the control -> state rules
    (``callbacks.events``) agree, for every control."""
    state = ViewState.of(
        region=("440000",),
        date_from="2019-01-01",
        date_to="2021-12-31",
        text="区块链",
        work_reports=False,
        measure="per_gdp",
        gdp_year=2023,
        pilots=True,
        pilot_field=("finance",),
        freq="quarter",
        **{c.id: (c.order[0],) for c in CATEGORIES},
    )
    search = encode_query(state)
    for (component, prop), value in zip(CONTROLS, control_values(state), strict=True):
        out = fire(search, f"{component}.{prop}", value)
        assert out[0] is no_update, (component, prop, out[0])


def test_controls_and_clicks_cover_every_categorical_dimension():
    controls = {c for c, _ in url_sync.CONTROLS}
    clicks = {c for c, _ in url_sync.CLICKS}
    for c in CATEGORIES:
        assert ids.filter_control(c.id) in controls and ids.breakdown(c.id) in clicks
