"""URL <-> controls. The URL is the state: a control or chart event writes the query string; a
query string (a shared link, the back button) sets the controls. One callback holds both
directions because Dash allows a cycle only inside a single callback."""

from __future__ import annotations

from typing import Any

from dash import ALL, Input, Output, State, callback, ctx, no_update

from callbacks import events
from callbacks.context import guarded
from data import periods
from data.state import ViewState, encode_query, parse_query
from layouts import compare_switch, ids
from layouts.measure_menu import shown_measure

#: (component id, property) of every control the URL sets, and its value for a state.
CONTROLS: dict[tuple[str, str], Any] = {
    (ids.F_DATE, "start_date"): lambda s: s.date_from,
    (ids.F_DATE, "end_date"): lambda s: s.date_to,
    (ids.F_REGION, "value"): lambda s: list(s.region),
    **{
        (control, "value"): (lambda d: lambda s: list(s.picked(d)))(dim)
        for control, dim in ids.FILTER_CONTROLS.items()
    },
    (ids.F_TEXT, "value"): lambda s: s.text,
    (ids.F_WR, "value"): lambda s: ["on"] if s.work_reports else [],
    (ids.MAP_LEVEL, "value"): lambda s: "city" if s.drill else s.map_level,
    # the measure the map shows: a link may ask for one the map's level does not allow
    (ids.MEASURE, "value"): shown_measure,
    (ids.GDP_YEAR, "value"): lambda s: s.gdp_year,
    (ids.PILOTS, "value"): lambda s: ["on"] if s.pilots else [],
    (ids.PILOT_FIELD, "value"): lambda s: list(s.pilot_field),
    (ids.FREQ, "value"): lambda s: s.freq,
    (ids.PERIOD, "value"): lambda s: periods.to_value(s.period),
    (ids.CUMULATIVE, "value"): lambda s: ["on"] if s.cumulative else [],
    (ids.CLASSES, "value"): lambda s: s.classes,
    (ids.BAR_ORDER, "value"): lambda s: s.order,
    (ids.COMPARE, "value"): compare_switch.value,
    (ids.COMPARE, "options"): compare_switch.options,  # disabled, and why, below two regions
}
#: Chart and button events that change the state (``callbacks.events`` says how).
CLICKS = [
    (ids.MAP, "clickData"),
    (ids.RANKED, "clickData"),
    (ids.TIMELINE, "selectedData"),
    *[(chart, "clickData") for chart in ids.BREAKDOWNS],
    (ids.CLEAR_ALL, "n_clicks"),
    (ids.DRILL_BTN, "n_clicks"),
    (ids.BACK_BTN, "n_clicks"),
    (ids.LANG_TOGGLE, "n_clicks"),
]


def control_values(state: ViewState) -> list:
    """The controls' values for a state, in ``CONTROLS`` order."""
    return [value(state) for value in CONTROLS.values()]


@callback(
    Output(ids.URL, "search"),
    *[Output(c, p) for c, p in CONTROLS],
    Input(ids.URL, "search"),
    *[Input(c, p) for c, p in CONTROLS],
    *[Input(c, p) for c, p in CLICKS],
    Input({"type": ids.CHIP, "dim": ALL, "value": ALL}, "n_clicks"),
    State(ids.URL, "search"),
)
@guarded
def sync_state(search: str | None, *args: Any) -> list:
    state = parse_query(search)
    trigger = ctx.triggered_id
    if trigger is None or trigger == ids.URL:
        return [no_update, *control_values(state)]
    prop = ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1]
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        return [no_update] * (1 + len(CONTROLS))  # a chip was just drawn, not clicked
    if trigger == ids.F_DATE:
        trigger = events.DATE_START if prop == "start_date" else events.DATE_END
    new = events.apply(state, trigger, ctx.triggered[0]["value"])
    query = encode_query(new)
    if query == encode_query(state):
        return [no_update] * (1 + len(CONTROLS))
    # Only controls whose value changed are sent: re-rendering the others costs the browser time.
    changed = [
        value if value != before else no_update
        for value, before in zip(control_values(new), control_values(state), strict=True)
    ]
    return [query or "?", *changed]
