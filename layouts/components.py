"""Small component trees the callbacks fill in: filter chips, notes beside the map."""

from __future__ import annotations

from dash import html

from layouts import ids
from layouts.i18n import t


def chips(items: list[tuple[str, str, str]]) -> list[html.Button]:
    """One removable chip per active filter value; its id tells the state callback what to drop."""
    return [
        html.Button(
            [html.Span(label, className="chip-label"), html.Span("×", className="chip-x")],
            id={"type": ids.CHIP, "dim": dim, "value": value},
            className="chip",
            title=label,
            n_clicks=0,
        )
        for dim, value, label in items
    ]


def beside(lines: list[str], undated: str) -> list[html.Div]:
    out = [html.Div(line) for line in lines]
    if undated:
        out.append(html.Div(undated))
    return out


def notes(messages: tuple[str, ...], lang: str) -> str:
    return t("url_notes", lang) + "; ".join(messages) if messages else ""
