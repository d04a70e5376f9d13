"""The texts that Dash's and the libraries' widgets draw themselves (dropdown buttons and
notices, search placeholders, plotly's locale), in the page's language.

Static labels switch by CSS (both languages are in the page); these are component properties, so
``callbacks/language.py`` sets them when the language changes.
"""

from __future__ import annotations

import pandas as pd

from data.dataset import Dataset
from layouts import ids
from layouts.i18n import t

#: Every dropdown on the page (new dropdowns: add their id here).
DROPDOWNS: tuple[str, ...] = (
    ids.F_REGION, *ids.FILTER_CONTROLS, *ids.OWN_FILTERS, ids.MEASURE, ids.PILOT_FIELD,
    ids.DL_CHART,
)  # fmt: skip
#: Search boxes and their placeholder's catalogue key.
PLACEHOLDERS: dict[str, str] = {
    ids.F_TEXT: "search_placeholder",
    ids.TABLE_SEARCH: "table_search",
    ids.PILOT_FIELD: "pilot_field_placeholder",
}
#: plotly's locale per language (zh-CN is served from assets/vendor, registered by plotly).
PLOTLY_LOCALE = {"zh": "zh-CN", "en": "en"}
DROPDOWN_KEYS = (
    "select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
    "no_options_found",
)  # fmt: skip


def dropdown_labels(lang: str) -> dict[str, str]:
    """Dash 4 Dropdown's ``labels`` in ``lang``."""
    return {key: t(f"dd_{key}", lang) for key in DROPDOWN_KEYS}


def placeholders(lang: str) -> dict[str, str]:
    return {control: t(key, lang) for control, key in PLACEHOLDERS.items()}


def opening_month(ds: Dataset) -> str | None:
    """The month the date picker opens at: the newest policy's (not January 2000)."""
    latest = pd.to_datetime(ds.frame["date"], errors="coerce").max()
    return None if pd.isna(latest) else latest.strftime("%Y-%m-01")
