"""The measure menu offers only what applies at the map's level, and says why when a link asks
for more (``?measure=per_pop&map=city``: the city map has no population or GDP figures)."""

from __future__ import annotations

from typing import Any

from dash import html

from data import measures
from data.state import ViewState
from layouts.i18n import t


def measure_options(state: ViewState) -> list[dict[str, Any]]:
    """The menu's options, those the map's level does not allow disabled."""
    level = state.map_level_shown
    return [
        {
            "label": [
                html.Span(m.name.zh, className="l-zh"),
                html.Span(m.name.en, className="l-en"),
            ],
            "value": m.id,
            "disabled": not m.allowed(level),
        }
        for m in measures.MEASURES
    ]


def shown_measure(state: ViewState) -> str:
    """The measure the map shows (what the menu should say)."""
    return measures.effective(state.measure, state.map_level_shown).id


def measure_note(state: ViewState) -> str:
    """Why the map shows another measure than the one asked for ("" when it shows it)."""
    shown = measures.effective(state.measure, state.map_level_shown)
    asked = measures.MEASURE.get(state.measure)
    if asked is None or asked.id == shown.id:
        return ""
    lang = state.lang
    return t(
        "measure_fallback",
        lang,
        asked=asked.name.zh if lang == "zh" else asked.name.en,
        shown=shown.name.zh if lang == "zh" else shown.name.en,
    )
