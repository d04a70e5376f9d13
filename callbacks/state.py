"""URL <-> controls. The URL is the state: a control or chart event writes the query string; a
query string (a shared link, the back button) sets the controls. One callback holds both
directions because Dash allows a cycle only inside a single callback."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, no_update

from callbacks import events
from data.state import encode_query, parse_query

CONTROLS = [
    ("f-date", "start_date"),
    ("f-date", "end_date"),
    ("f-region", "value"),
    ("f-level", "value"),
    ("f-type", "value"),
    ("f-incentive", "value"),
    ("f-stance", "value"),
    ("f-text", "value"),
    ("f-wr", "value"),
    ("map-level", "value"),
    ("measure", "value"),
    ("gdp-year", "value"),
    ("pilots", "value"),
    ("pilot-field", "value"),
    ("freq", "value"),
]
CLICKS = [
    ("map", "clickData"),
    ("timeline", "selectedData"),
    ("bd-incentive", "clickData"),
    ("bd-type", "clickData"),
    ("bd-level", "clickData"),
    ("bd-stance", "clickData"),
    ("clear-all", "n_clicks"),
    ("drill-btn", "n_clicks"),
    ("back-btn", "n_clicks"),
    ("lang-toggle", "n_clicks"),
]


def control_values(state) -> list:
    """The controls' values for a state, in ``CONTROLS`` order."""
    return [
        state.date_from,
        state.date_to,
        list(state.region),
        list(state.level),
        list(state.type),
        list(state.incentive),
        list(state.stance),
        state.text,
        ["on"] if state.work_reports else [],
        "city" if state.drill else state.map_level,
        state.measure,
        state.gdp_year,
        ["on"] if state.pilots else [],
        list(state.pilot_field),
        state.freq,
    ]


@callback(
    Output("url", "search"),
    *[Output(c, p) for c, p in CONTROLS],
    Input("url", "search"),
    *[Input(c, p) for c, p in CONTROLS],
    *[Input(c, p) for c, p in CLICKS],
    Input({"type": "chip", "dim": ALL, "value": ALL}, "n_clicks"),
    State("url", "search"),
)
def sync_state(search, *args):
    state = parse_query(search)
    trigger = ctx.triggered_id
    if trigger is None or trigger == "url":
        return [no_update, *control_values(state)]
    prop = ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1]
    if isinstance(trigger, dict) and not ctx.triggered[0]["value"]:
        return [no_update] * (1 + len(CONTROLS))  # a chip was just drawn, not clicked
    if trigger == "f-date":
        trigger = "f-date-start" if prop == "start_date" else "f-date-end"
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
