"""Turn one user event (a control's new value, a click on a chart, a chip) into the next state.

Pure: no Dash import, so each rule is unit-tested. ``trigger`` is the id of the component that
fired (a string, or a dict for pattern-matching ids) and ``value`` what it reported. Each rule is
a small function in ``RULES``; the categorical dimensions' controls and charts come from the
registry (``layouts.ids``), so a new dimension needs no rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from data import periods
from data.measures import GDP_YEARS
from data.state import BAR_ORDERS, CLASSES, FREQS, MAP_LEVELS, MEASURES, ViewState
from geodata.gazetteer import is_province
from layouts import ids

DATE_START, DATE_END = "f-date-start", "f-date-end"  # the two ends of ids.F_DATE
Rule = Callable[[ViewState, Any], ViewState]


def _clicked(click: dict | None, key: str) -> str | None:
    try:
        value = click["points"][0][key]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) else None


def _date(value: Any) -> str | None:
    if not value:
        return None
    return str(value)[:10]


def _on(value: Any) -> bool:
    return "on" in (value or ())


def _chip(state: ViewState, trigger: dict) -> ViewState:
    dim, val = trigger.get("dim"), trigger.get("value") or None
    if dim == "drill":
        return replace(state, drill=None, map_level="province")
    try:
        return state.without(str(dim), val)
    except ValueError:  # a chip id the page never makes
        return state


def _text(state: ViewState, value: Any) -> ViewState:
    text = "".join(ch for ch in str(value or "") if ch.isprintable())[:200].strip()
    return replace(state, text=text)


def _one_of(field: str, allowed: tuple) -> Rule:
    """A control whose value must be one of ``allowed`` (anything else changes nothing)."""

    def rule(state: ViewState, value: Any) -> ViewState:
        if value not in allowed:
            return state
        changes: dict[str, Any] = {field: value}
        if field == "map_level":
            changes["drill"] = None
        return replace(state, **changes)

    return rule


def _map_click(state: ViewState, value: Any) -> ViewState:
    adcode = _clicked(value, "location")
    return state.toggled("region", adcode) if adcode else state


def _bar_click(dim: str) -> Rule:
    def rule(state: ViewState, value: Any) -> ViewState:
        code = _clicked(value, "customdata")
        return state.toggled(dim, code) if code else state

    return rule


def _picks(dim: str) -> Rule:
    return lambda state, value: state.with_picked(dim, [str(v) for v in (value or ())])


def _values(value: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in (value or ())))


def _drill(state: ViewState, _value: Any) -> ViewState:
    provinces = [a for a in state.region if is_province(a)]
    if len(provinces) != 1:
        return state
    rest = tuple(a for a in state.region if a != provinces[0])
    return replace(state, drill=provinces[0], region=rest, map_level="city")


def _back(state: ViewState, _value: Any) -> ViewState:
    region = state.region if not state.drill else tuple(sorted({*state.region, state.drill}))
    region = tuple(a for a in region if is_province(a))
    return replace(state, drill=None, map_level="province", region=region)


def _brushed(state: ViewState, selected: dict | None) -> ViewState:
    """A drag across the timeline selects its date range (plotly's ``selectedData.range.x``),
    snapped to the whole periods of the timeline's step; it replaces the slider's period."""
    try:
        lo, hi = selected["range"]["x"]  # type: ignore[index]
        date_from, date_to = periods.snap(str(lo), str(hi), state.freq)  # whole bars
    except (KeyError, TypeError, ValueError):
        return state
    return replace(state, date_from=date_from, date_to=date_to, period=None)


def _freq(state: ViewState, value: Any) -> ViewState:
    """A new timeline step: the slider's period becomes the one of the new step holding it."""
    freq = value if value in FREQS else "year"
    return replace(state, freq=freq, freq_from="url", period=periods.convert(state.period, freq))


RULES: dict[str, Rule] = {
    ids.F_REGION: lambda s, v: replace(s, region=_values(v)),
    ids.PILOT_FIELD: lambda s, v: replace(s, pilot_field=_values(v)),
    **{control: _picks(dim) for control, dim in ids.FILTER_CONTROLS.items()},
    DATE_START: lambda s, v: replace(s, date_from=_date(v), period=None),
    DATE_END: lambda s, v: replace(s, date_to=_date(v), period=None),
    ids.F_TEXT: _text,
    ids.F_WR: lambda s, v: replace(s, work_reports=_on(v)),
    ids.MAP_LEVEL: _one_of("map_level", MAP_LEVELS),
    ids.MEASURE: _one_of("measure", MEASURES),
    ids.GDP_YEAR: _one_of("gdp_year", GDP_YEARS),
    ids.FREQ: _freq,
    ids.PERIOD: lambda s, v: replace(s, period=periods.from_value(v, s.freq)),
    ids.CUMULATIVE: lambda s, v: replace(s, cumulative=_on(v)),
    ids.PILOTS: lambda s, v: replace(s, pilots=_on(v)),
    ids.MAP: _map_click,
    ids.RANKED: _bar_click("region"),
    ids.CLASSES: _one_of("classes", CLASSES),
    ids.BAR_ORDER: _one_of("order", BAR_ORDERS),
    **{chart: _bar_click(dim) for chart, dim in ids.BREAKDOWNS.items()},
    ids.TIMELINE: _brushed,
    ids.CLEAR_ALL: lambda s, v: replace(s.cleared(), drill=None, map_level=s.map_level),
    ids.DRILL_BTN: _drill,
    ids.BACK_BTN: _back,
    ids.LANG_TOGGLE: lambda s, v: replace(s, lang="en" if s.lang == "zh" else "zh"),
    ids.COMPARE: lambda s, v: replace(s, compare=_on(v)) if _strings(v) else s,
}


def _strings(value: Any) -> bool:
    """A checklist's value (a list of strings), not another property of the control."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _own_rule(trigger: str, slots: Mapping[str, str] | None) -> Rule | None:
    """The rule of a slot of a table's own dimension (``slots``: slot id -> dimension id): a
    click on its bar or a change of its filter, as a bundled dimension's."""
    dim = (slots or {}).get(trigger)
    if dim is None:
        return None
    return _bar_click(dim) if trigger in ids.OWN_CHARTS else _picks(dim)


def apply(
    state: ViewState,
    trigger: str | dict | None,
    value: Any,
    slots: Mapping[str, str] | None = None,
) -> ViewState:
    """The state after ``trigger`` reported ``value``. An action leaving fewer than two regions
    to compare also turns compare mode off (the switch is disabled then, so it could not be).
    ``slots``: which dimension each slot of the table's own dimensions holds (a slot not
    filled changes nothing)."""
    if isinstance(trigger, dict):
        new = _chip(state, trigger) if trigger.get("type") == ids.CHIP else state
    else:
        rule = RULES.get(trigger or "") or _own_rule(str(trigger), slots)
        new = rule(state, value) if rule else state
    return replace(new, compare=False) if new.compare and not new.comparing() else new
