"""The compare switch beside the filter chips: split the timeline and breakdowns by region.

Its value and its one option (label, enabled or not) are set from the URL like every control
(``callbacks.url_sync.CONTROLS``): with fewer than two regions selected the option is disabled and
its label says why (it is always there, so people find it before they select).
"""

from __future__ import annotations

from dash import dcc, html

from data.state import ViewState
from layouts import ids
from layouts.i18n import t


def checklist() -> dcc.Checklist:
    """The switch (``page`` names it and places it in the chip row), disabled until the URL
    callback sets its option for the view."""
    label = [html.Span(t("compare", lang), className=f"l-{lang}") for lang in ("zh", "en")]
    first = [{"label": label, "value": "on", "disabled": True}]
    return dcc.Checklist(id=ids.COMPARE, options=first, value=[], className="compare-toggle")


def options(state: ViewState) -> list[dict]:
    """The switch's option for ``state``: plain text in the page's language (equal states give
    equal options, so the URL callback sends them only when they change)."""
    can = len(state.compared()) >= 2
    label = t("compare", state.lang) + ("" if can else t("compare_need_two", state.lang))
    return [{"label": label, "value": "on", "disabled": not can}]


def value(state: ViewState) -> list[str]:
    return ["on"] if state.compare else []
