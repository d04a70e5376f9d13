"""The measure menu follows the map's level (wiring only; the rule is ``layouts.measure_menu``)."""

from __future__ import annotations

from dash import Input, Output, callback

from callbacks.context import guarded, view
from layouts import ids
from layouts.measure_menu import measure_note, measure_options


@callback(
    Output(ids.MEASURE, "options"),
    Output(ids.MEASURE_NOTE, "children"),
    Input(ids.URL, "search"),
)
@guarded
def measure_menu(search: str | None) -> tuple:
    state, _ds = view(search)
    return measure_options(state), measure_note(state)
