"""The widgets' own texts follow the language: dropdown labels, placeholders, plotly's locale,
the date picker's first day of the week and the month it opens at (near the data). Sent by
``callbacks.interaction`` when the language changes, and drawn into the first page."""

from __future__ import annotations

from typing import Any

from dash import Output, Patch, no_update

from data.dataset import Dataset
from data.state import ViewState
from layouts import ids
from layouts.widget_text import (
    DROPDOWNS,
    PLACEHOLDERS,
    PLOTLY_LOCALE,
    dropdown_labels,
    opening_month,
    placeholders,
)

OUTPUTS = {
    "labels": {d: Output(d, "labels") for d in DROPDOWNS},
    "placeholders": {c: Output(c, "placeholder") for c in PLACEHOLDERS},
    "configs": {f: Output(f, "config", allow_duplicate=True) for f in ids.FIGURES},
    "month": Output(ids.F_DATE, "initial_visible_month"),
    "first_day": Output(ids.F_DATE, "first_day_of_week"),
    "shown": Output(ids.LANG_SHOWN, "data"),
}


def widget_texts(ds: Dataset, state: ViewState, shown: str | None) -> dict[str, Any]:
    """``OUTPUTS`` for the view's language; nothing when the widgets already show it
    (``shown``). The locale goes as a patch of each graph's config (only that key changes)."""
    lang = state.lang
    if shown == lang:
        return {
            k: ({kk: no_update for kk in v} if isinstance(v, dict) else no_update)
            for k, v in OUTPUTS.items()
        }
    configs = {}
    for figure in ids.FIGURES:
        patch = Patch()
        patch["locale"] = PLOTLY_LOCALE[lang]
        configs[figure] = patch
    return {
        "labels": dict.fromkeys(DROPDOWNS, dropdown_labels(lang)),
        "placeholders": placeholders(lang),
        "configs": configs,
        "month": opening_month(ds),
        "first_day": 1 if lang == "zh" else 0,
        "shown": lang,
    }


def locale(state: ViewState) -> str:
    """Plotly's locale for the view's language (the first page's graph configs)."""
    return PLOTLY_LOCALE[state.lang]
