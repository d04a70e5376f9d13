"""The interaction callback (``callbacks.interaction.interact``): what a click or a control
writes into the address bar, what a link sets the controls to, and that the views of the new
state come back in the same response. Called as Dash calls it (a callback context naming the
trigger, the grouped inputs and state)."""

from __future__ import annotations

from typing import Any

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate

from callbacks import grid, url_sync
from callbacks.service import context
from callbacks.url_sync import CONTROLS, control_values, key
from data import query
from data.dataset import DatasetStore
from data.dimensions import CATEGORIES
from data.state import ViewState, encode_query, parse_query
from layouts import ids
from tests.clicks import fire


@pytest.fixture(scope="module", autouse=True)
def served(bundled):
    context.serve(DatasetStore(bundled))


def changed_controls(out: dict) -> dict[tuple[str, str], Any]:
    by_key = {key(c, p): (c, p) for c, p in CONTROLS}
    return {by_key[k]: v for k, v in out["controls"].items() if v is not no_update}


def test_a_link_sets_every_control_writes_no_url_and_draws_its_view(bundled):
    search = "?region=440000&incentive=subsidy&sector=finance&from=2019-01-01&q=链&map=city"
    out = fire(search, "url.search", search)
    assert out["url"] is no_update
    values = changed_controls(out)
    assert len(values) == len(CONTROLS)  # every control, whatever it showed
    assert values[(ids.F_REGION, "value")] == ["440000"]
    assert values[(ids.filter_control("incentive"), "value")] == ["subsidy"]
    assert values[(ids.filter_control("sector"), "value")] == ["finance"]
    assert values[(ids.F_DATE, "start_date")] == "2019-01-01"
    assert values[(ids.F_TEXT, "value")] == "链"
    assert values[(ids.MAP_LEVEL, "value")] == "city"
    assert out["views"]["rendered_search"] == search
    assert out["grid_first"]["search"] == search
    assert (
        out["grid_first"]["rowCount"]
        == query.summary(bundled.index, parse_query(search))["policies"]
    )


def test_a_map_click_writes_the_url_sends_the_changed_control_and_the_views_at_once(bundled):
    first = fire("", "url.search", "")
    click = {"points": [{"location": "440000"}]}
    out = fire("", "map.clickData", click, rendered=first["views"]["rendered"])
    assert parse_query(out["url"]).region == ("440000",)
    assert set(changed_controls(out)) == {(ids.F_REGION, "value")}
    # the same response carries the views of the new URL: patches, the summary, the grid's rows
    views = out["views"]
    assert views["rendered_search"] == out["url"] == "?region=440000"
    assert views["summary"] != first["views"]["summary"]
    assert views["figures"]["bd-incentive"] is not no_update  # the bars, filtered to Guangdong
    assert out["grid_first"]["search"] == "?region=440000"
    assert out["grid_first"]["rowCount"] == 20 == len(grid.rows_of(out["grid_first"]))
    assert {r["row"] for r in grid.rows_of(out["grid_first"])} <= set(
        bundled.frame.loc[bundled.frame["province_adcode"] == "440000", "row"]
    )


@pytest.mark.parametrize("dim", [c.id for c in CATEGORIES])
def test_every_breakdown_click_and_every_filter_control_filters_its_dimension(dim):
    code = next(iter(c for c in CATEGORIES if c.id == dim)).order[0]
    out = fire("", f"{ids.breakdown(dim)}.clickData", {"points": [{"customdata": code}]})
    assert parse_query(out["url"]).picked(dim) == (code,)
    out = fire("", f"{ids.filter_control(dim)}.value", [code])
    assert parse_query(out["url"]).picked(dim) == (code,)


def test_the_two_date_ends_and_a_chip():
    out = fire("", "f-date.end_date", "2021-06-30T00:00:00")
    assert parse_query(out["url"]).date_to == "2021-06-30"
    chip = '{"dim":"region","type":"chip","value":"440000"}.n_clicks'
    out = fire("?region=110000,440000", chip, 1)
    assert parse_query(out["url"]).region == ("110000",)


def test_a_chip_that_was_only_drawn_or_an_event_that_changes_nothing_sends_nothing():
    chip = '{"dim":"region","type":"chip","value":"440000"}.n_clicks'
    with pytest.raises(PreventUpdate):
        fire("?region=440000", chip, 0)
    with pytest.raises(PreventUpdate):
        fire("", "map.clickData", None)


def test_the_language_switch_sends_the_widget_texts_once():
    out = fire("", "lang-toggle.n_clicks", 1)
    assert parse_query(out["url"]).lang == "en"
    assert out["widgets"]["shown"] == "en"
    assert out["widgets"]["placeholders"][ids.F_TEXT] == "title, issuer, place…"
    again = fire("?lang=en", "map.clickData", {"points": [{"location": "440000"}]}, shown="en")
    assert again["widgets"]["shown"] is no_update  # the widgets already speak English
    assert all(v is no_update for v in again["widgets"]["placeholders"].values())


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
        with pytest.raises(PreventUpdate):
            fire(search, f"{component}.{prop}", value)


def test_controls_and_clicks_cover_every_categorical_dimension():
    controls = {c for c, _ in url_sync.CONTROLS}
    clicks = {c for c, _ in url_sync.CLICKS}
    for c in CATEGORIES:
        assert ids.filter_control(c.id) in controls and ids.breakdown(c.id) in clicks
