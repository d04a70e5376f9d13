"""Which of the map's optional controls the view shows: the GDP year, the pilot fields and the
drill-down button (with its label)."""

from __future__ import annotations

from data import measures
from data.dataset import Dataset
from data.state import ViewState
from geodata import gazetteer
from layouts.i18n import t


def shown_controls(state: ViewState) -> dict[str, bool]:
    """Which optional map controls apply to the view: the GDP year (a per-GDP measure on a map
    that has GDP figures) and the pilot-field choice (pilots shown)."""
    level = state.map_level_shown
    measure = measures.effective(state.measure, level)
    return {"gdp_year": measure.divisor == "gdp", "pilot_field": state.pilots}


def drill_button(ds: Dataset, state: ViewState) -> str | None:
    """Label of the drill-down button, or None when it should be hidden (one province selected,
    province map)."""
    provinces = [a for a in state.region if gazetteer.is_province(a)]
    if state.drill or state.map_level_shown != "province" or len(provinces) != 1:
        return None
    return t("drill", state.lang, name=ds.name_of(provinces[0], state.lang))
