"""The measure menu follows the map's level (wiring only; the rule is ``layouts.measure_menu``).
Sent by ``callbacks.interaction`` with the views, drawn into the first page."""

from __future__ import annotations

from typing import Any

from dash import Output, no_update
from dash._utils import to_json

from data.state import ViewState
from layouts import ids
from layouts.measure_menu import measure_note, measure_options

OUTPUTS = {
    "options": Output(ids.MEASURE, "options"),
    "note": Output(ids.MEASURE_NOTE, "children"),
}


def measure_menu(state: ViewState, before: ViewState | None = None) -> dict[str, Any]:
    """``OUTPUTS`` for a view; with ``before`` (the view the page shows), only what differs
    from its menu (a filter click leaves the menu as it is: nothing sent)."""
    out = {"options": measure_options(state), "note": measure_note(state)}
    if before is None:
        return out
    was = {"options": measure_options(before), "note": measure_note(before)}
    return {k: no_update if to_json(v) == to_json(was[k]) else v for k, v in out.items()}
