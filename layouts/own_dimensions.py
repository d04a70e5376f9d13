"""The page's per-table parts of the dimension registry (``Dataset.dimensions``).

The page is static (Dash layouts are), so it holds every bundled dimension's chart and filter and
``ids.OWN_CHARTS`` / ``ids.OWN_FILTERS`` slots for a table's own columns. When the table changes,
``slots(ds)`` says which of them show and fills the slots (label, options); the interaction
callback sends it in the same response as the views (``callbacks.interaction``), so a table with
its own dimensions costs no extra round trip. Hidden parts are never drawn: a table without
incentives shows no wall of zeros.
"""

from __future__ import annotations

from typing import Any

from dash import html

from data.dataset import Dataset
from data.dimensions import OTHER, OTHER_LABEL, Category
from layouts import ids
from layouts.charts import charts_for
from layouts.export_menu import chart_options

#: (component id, property) of every part ``slots`` sets.
PARTS: tuple[tuple[str, str], ...] = (
    *((ids.card(chart), "hidden") for chart in ids.BREAKDOWNS),
    *((ids.field_of(control), "hidden") for control in ids.FILTER_CONTROLS),
    *((ids.card(chart), "hidden") for chart in ids.OWN_CHARTS),
    *((ids.field_of(control), "hidden") for control in ids.OWN_FILTERS),
    *((ids.label_of(control), "children") for control in ids.OWN_FILTERS),
    *((control, "options") for control in ids.OWN_FILTERS),
    (ids.DL_CHART, "options"),  # the Download menu offers the table's charts
)


def options(ds: Dataset, c: Category) -> list[dict]:
    """A dimension's filter options: the values the table holds, as written (a marked column of
    many values: its top values and "other" in both languages)."""
    out = []
    for value in ds.index.categories[c.id].values.tolist():
        label: Any = value
        if c.top and value == OTHER:
            label = [
                html.Span(OTHER_LABEL.zh, className="l-zh"),
                html.Span(OTHER_LABEL.en, className="l-en"),
            ]
        out.append({"label": label, "value": value, "search": str(value)})
    return out


def slots(ds: Dataset) -> dict[tuple[str, str], Any]:
    """Each part of ``PARTS`` for the table ``ds``: the bundled dimensions it has are shown, its
    own ones fill the slots in order, the rest are hidden."""
    charts = ids.charts_of(ds.dimensions)
    filters = ids.filters_of(ds.dimensions)
    out: dict[tuple[str, str], Any] = {}
    for chart in (*ids.BREAKDOWNS, *ids.OWN_CHARTS):
        out[(ids.card(chart), "hidden")] = chart not in charts
    for control in (*ids.FILTER_CONTROLS, *ids.OWN_FILTERS):
        out[(ids.field_of(control), "hidden")] = control not in filters
    for control in ids.OWN_FILTERS:
        c = ds.dimension.get(filters.get(control, ""))
        out[(ids.label_of(control), "children")] = c.name.en if c else ""
        out[(control, "options")] = options(ds, c) if c else []
    out[(ids.DL_CHART, "options")] = chart_options(charts_for(ds.dimensions))
    return out
