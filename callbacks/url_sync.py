"""URL <-> controls: the rules. The URL is the state: a control or chart event writes the query
string; a query string (a shared link, the back button) sets the controls. The callback that
applies them is ``callbacks.interaction`` (both directions and the views in one round trip)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dash import no_update

from callbacks import events
from data import diffusion, periods
from data.dataset import Dataset
from data.state import ViewState, encode_query
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
    (ids.MAP_LEVEL, "value"): lambda s: s.map_level_shown,
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
    # the slots of a table's own dimensions (``layouts.own_dimensions``)
    *[(chart, "clickData") for chart in ids.OWN_CHARTS],
]
#: The filters of a table's own dimensions: which dimension each slot holds depends on the
#: table (``own_slots``), so their values are set apart from ``CONTROLS``.
OWN_CONTROLS: tuple[tuple[str, str], ...] = tuple((c, "value") for c in ids.OWN_FILTERS)
#: Every control the interaction callback sets and listens to.
ALL_CONTROLS: tuple[tuple[str, str], ...] = (*CONTROLS, *OWN_CONTROLS)


def own_slots(ds: Dataset) -> dict[str, str]:
    """Slot id (chart or filter of ``ids.OWN_CHARTS`` / ``ids.OWN_FILTERS``) -> the dimension
    of the viewed table (``ds``) it holds."""
    dims = ds.dimensions
    both = {**ids.charts_of(dims), **ids.filters_of(dims)}
    return {k: v for k, v in both.items() if k in ids.OWN_CHARTS or k in ids.OWN_FILTERS}


def control_values(state: ViewState) -> list:
    """The controls' values for a state, in ``CONTROLS`` order."""
    return [value(state) for value in CONTROLS.values()]


def key(component: str, prop: str) -> str:
    """The name of a control or click in the interaction callback's grouped inputs/outputs."""
    return f"{component}.{prop}"


def controls_for(state: ViewState, before: ViewState | None = None) -> dict[str, Any]:
    """Each control's value for ``state``, by ``key``; with ``before``, only those that differ
    from ``before``'s (the others ``no_update``: re-rendering a control costs the browser time)."""
    new = control_values(state)
    old = control_values(before) if before is not None else [object()] * len(new)
    return {
        key(c, p): value if value != was else no_update
        for (c, p), value, was in zip(CONTROLS, new, old, strict=True)
    }


def _own_values(state: ViewState, slots: Mapping[str, str]) -> list:
    return [list(state.picked(slots[c])) if c in slots else [] for c, _ in OWN_CONTROLS]


def own_controls_for(
    state: ViewState, ds: Dataset, before: ViewState | None = None
) -> dict[str, Any]:
    """The filters of the table's own dimensions (``OWN_CONTROLS``) of ``ds``, the table
    ``state`` views, as ``controls_for``."""
    slots = own_slots(ds)
    new = _own_values(state, slots)
    old = _own_values(before, slots) if before is not None else [object()] * len(new)
    return {
        key(c, p): value if value != was else no_update
        for (c, p), value, was in zip(OWN_CONTROLS, new, old, strict=True)
    }


def after_event(state: ViewState, ds: Dataset, triggered: dict[str, Any]) -> ViewState | None:
    """The state after a control or chart event (``ctx.triggered[0]``: its ``prop_id`` and
    ``value``) on the view ``state`` (as its URL reads) of the table ``ds``, or None when the
    event changes nothing (a chip only drawn, a click on nothing)."""
    prop_id, value = triggered["prop_id"], triggered["value"]
    component, prop = prop_id.rsplit(".", 1)
    if component == ids.PERIOD:  # the slider's value means a period at the view's step
        state = diffusion.with_step(ds.index, state)
    trigger: Any = component
    if component.startswith("{"):  # a chip: {"dim":…,"type":"chip","value":…}
        if not value:
            return None  # a chip was just drawn, not clicked
        trigger = json.loads(component)
    elif component == ids.F_DATE:
        trigger = events.DATE_START if prop == "start_date" else events.DATE_END
    slots = own_slots(ds) if component in ids.OWN_CHARTS + ids.OWN_FILTERS else None
    new = events.apply(state, trigger, value, slots)
    return None if encode_query(new) == encode_query(state) else new
