"""The measure menu follows the map's level (wiring only; the rule is ``layouts.measure_menu``).
Sent by ``callbacks.interaction`` with the views, drawn into the first page."""

from __future__ import annotations

from typing import Any

from dash import Output

from data.state import ViewState
from layouts import ids
from layouts.measure_menu import measure_note, measure_options

OUTPUTS = {
    "options": Output(ids.MEASURE, "options"),
    "note": Output(ids.MEASURE_NOTE, "children"),
}


def measure_menu(state: ViewState) -> dict[str, Any]:
    """``OUTPUTS`` for a view."""
    return {"options": measure_options(state), "note": measure_note(state)}
