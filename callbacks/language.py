"""The widgets' own texts follow the language: dropdown labels, placeholders, plotly's locale,
the date picker's first day of the week and the month it opens at (near the data)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, Patch, State, callback
from dash.exceptions import PreventUpdate

from callbacks.context import guarded, view
from layouts import ids
from layouts.widget_text import (
    DROPDOWNS,
    PLACEHOLDERS,
    PLOTLY_LOCALE,
    dropdown_labels,
    opening_month,
    placeholders,
)


@callback(
    output={
        "labels": {d: Output(d, "labels") for d in DROPDOWNS},
        "placeholders": {c: Output(c, "placeholder") for c in PLACEHOLDERS},
        "configs": {f: Output(f, "config", allow_duplicate=True) for f in ids.FIGURES},
        "month": Output(ids.F_DATE, "initial_visible_month"),
        "first_day": Output(ids.F_DATE, "first_day_of_week"),
        "shown": Output(ids.LANG_SHOWN, "data"),
    },
    inputs={"search": Input(ids.URL, "search")},
    state={"shown": State(ids.LANG_SHOWN, "data")},
    prevent_initial_call="initial_duplicate",
)
@guarded
def widget_texts(search: str | None, shown: str | None) -> dict[str, Any]:
    state, ds = view(search)
    lang = state.lang
    if shown == lang:
        raise PreventUpdate
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
