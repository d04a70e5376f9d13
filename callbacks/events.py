"""Turn one user event (a control's new value, a click on a chart, a chip) into the next state.

Pure: no Dash import, so each rule is unit-tested. ``trigger`` is the id of the component that
fired (a string, or a dict for pattern-matching ids) and ``value`` what it reported.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from data.state import GDP_YEARS, MAP_LEVELS, MEASURES, ViewState

CONTROL_FIELDS = {
    "f-region": "region",
    "pilot-field": "pilot_field",
    "f-level": "level",
    "f-type": "type",
    "f-incentive": "incentive",
    "f-stance": "stance",
}
BREAKDOWN_GRAPHS = {
    "bd-incentive": "incentive",
    "bd-type": "type",
    "bd-level": "level",
    "bd-stance": "stance",
}


def _clicked(click: dict | None, key: str) -> str | None:
    try:
        value = click["points"][0][key]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) else None


def _date(value: Any) -> str | None:
    if not value:
        return None
    return str(value)[:10]


def apply(state: ViewState, trigger: str | dict | None, value: Any) -> ViewState:
    """The state after ``trigger`` reported ``value``."""
    if isinstance(trigger, dict):
        if trigger.get("type") == "chip":
            dim, val = trigger.get("dim"), trigger.get("value") or None
            if dim == "drill":
                return replace(state, drill=None, map_level="province")
            return state.without(dim, val)
        return state
    if trigger in CONTROL_FIELDS:
        return replace(state, **{CONTROL_FIELDS[trigger]: tuple(sorted(value or ()))})
    if trigger == "f-date-start":
        return replace(state, date_from=_date(value))
    if trigger == "f-date-end":
        return replace(state, date_to=_date(value))
    if trigger == "f-text":
        text = "".join(ch for ch in (value or "") if ch.isprintable())[:200].strip()
        return replace(state, text=text)
    if trigger == "f-wr":
        return replace(state, work_reports="on" in (value or ()))
    if trigger == "map-level" and value in MAP_LEVELS:
        return replace(state, map_level=value, drill=None)
    if trigger == "measure" and value in MEASURES:
        return replace(state, measure=value)
    if trigger == "gdp-year" and value in GDP_YEARS:
        return replace(state, gdp_year=value)
    if trigger == "freq":
        return replace(state, freq=value or "year")
    if trigger == "pilots":
        return replace(state, pilots="on" in (value or ()))
    if trigger == "map":
        adcode = _clicked(value, "location")
        return state.toggled("region", adcode) if adcode else state
    if trigger in BREAKDOWN_GRAPHS:
        code = _clicked(value, "customdata")
        return state.toggled(BREAKDOWN_GRAPHS[trigger], code) if code else state
    if trigger == "timeline":
        return _brushed(state, value)
    if trigger == "clear-all":
        return replace(state.cleared(), drill=None, map_level=state.map_level)
    if trigger == "drill-btn":
        provinces = [a for a in state.region if a.endswith("0000")]
        if len(provinces) == 1:
            rest = tuple(a for a in state.region if a != provinces[0])
            return replace(state, drill=provinces[0], region=rest, map_level="city")
        return state
    if trigger == "back-btn":
        region = state.region if not state.drill else tuple(sorted({*state.region, state.drill}))
        region = tuple(a for a in region if a.endswith("0000"))
        return replace(state, drill=None, map_level="province", region=region)
    if trigger == "lang-toggle":
        return replace(state, lang="en" if state.lang == "zh" else "zh")
    return state


def _brushed(state: ViewState, selected: dict | None) -> ViewState:
    """A drag across the timeline selects its date range (plotly's ``selectedData.range.x``)."""
    try:
        lo, hi = selected["range"]["x"]
    except (KeyError, TypeError, ValueError):
        return state
    return replace(state, date_from=str(lo)[:10], date_to=str(hi)[:10])
