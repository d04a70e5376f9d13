"""The page's per-table parts of the dimension registry (``Dataset.dimensions``).

The page is static (Dash layouts are), so it holds every bundled dimension's chart and filter and
``ids.OWN_CHARTS`` / ``ids.OWN_FILTERS`` slots for a table's own columns. Which of them show is
one class list on the page's root (``root_classes``: ``hide-incentive``, ``own-1`` …; the rules
are in ``assets/style.css``), sent with the views; when the table changes, ``slots(ds)`` fills
the slots (label, options) and the Download menu, in the same response as the views
(``callbacks.interaction``): a table with its own dimensions costs no extra round trip, and a
click on the bundled table sends what it sent before. Hidden parts are never drawn: a table
without incentives shows no wall of zeros.
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


def root_classes(ds: Dataset) -> str:
    """The root's classes that show the table's dimensions: ``hide-<id>`` for each bundled one
    it has not, ``own-<i>`` for each slot it fills ("" for the bundled table: all five, no
    slot). ``assets/style.css`` hides the cards and filters accordingly."""
    have = {d.id for d in ds.dimensions}
    hide = [f"hide-{dim}" for dim in ids.BREAKDOWNS.values() if dim not in have]
    own = [f"own-{i}" for i, _ in enumerate((d for d in ds.dimensions if d.own), 1)]
    return " ".join(hide + own)


def slots(ds: Dataset) -> dict[tuple[str, str], Any]:
    """Each part of ``PARTS`` for the table ``ds``: its own dimensions fill the slots in order
    (a header as the label, its values as options), the Download menu offers its charts."""
    filters = ids.filters_of(ds.dimensions)
    out: dict[tuple[str, str], Any] = {}
    for control in ids.OWN_FILTERS:
        c = ds.dimension.get(filters.get(control, ""))
        out[(ids.label_of(control), "children")] = c.name.en if c else ""
        out[(control, "options")] = options(ds, c) if c else []
    out[(ids.DL_CHART, "options")] = chart_options(charts_for(ds.dimensions))
    return out
