"""What every presenter of the views shares: the ``Views`` they fill, the texts that frame each
chart (headline from the filters, filters in words, source line, what an empty chart says), the
text of a table cell and the pilots a view shows.

Public and small: ``present_map``, ``present_charts``, ``present_texts``, ``present_grid``,
``spread`` (diffusion) and ``compare_view`` build on these; ``viewmodel`` assembles them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data.dataset import Dataset
from data.dimensions import Category
from data.state import ViewState
from layouts.figures import captions, titles
from layouts.i18n import t


@dataclass
class Views:
    figures: dict[str, go.Figure] = field(default_factory=dict)
    updates: dict[str, dict[tuple, object]] = field(default_factory=dict)
    texts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Frames:
    """What a view's charts share, queried once per view (``viewmodel.views``): the filters in
    words under each title, the map's, timeline's, breakdowns' (by dimension) and ranking's small
    frames; ``export``: drawn as filtered for a file; ``inline``: the map carries its geometry.
    A chart's builder and patch function (``layouts.charts.Chart``) read these and may query
    more of their own from the dataset."""

    sub: str
    map: pd.DataFrame
    timeline: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    ranked: pd.DataFrame
    export: bool = False
    inline: bool = False


def cell_text(value: object) -> str:
    """Text of a cell; "" for a missing value (None, NaN, pd.NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def subtitle(ds: Dataset, state: ViewState) -> str:
    return captions.describe_filters(state, state.lang, ds.name_of, ds.dimension)


def headline(ds: Dataset, state: ViewState, unit: str) -> str:
    """A chart's title from the filters (``titles.chart_title``) for this table: its own
    dimensions and its topic (neutral for an uploaded table)."""
    return titles.chart_title(state, unit, ds.name_of, dims=ds.dimension, topic=ds.title_topic)


def source_line(ds: Dataset, state: ViewState, short: bool = False) -> str:
    sourced = ds.every_row_sourced
    if ds.uploaded and short:  # a narrow chart: the file and its rows
        return t(
            "source_upload_short", state.lang, label=captions.plain(ds.label), rows=f"{ds.rows:,}"
        )
    if ds.uploaded:  # a user's table: their file, its rows and the day it was uploaded
        return t(
            "source_upload",
            state.lang,
            label=captions.plain(ds.label),
            rows=f"{ds.rows:,}",
            date=ds.as_of,
            sourced=t("sourced", state.lang) if sourced else "",
        )
    return captions.source_line(
        state.lang, ds.rows, ds.as_of, short=short, label=ds.label_in(state.lang), sourced=sourced
    )


#: charts that read dates: on a table with no dated row they say so
DATED_CHARTS = frozenset({"timeline", "adoption-map", "adoption-curve"})


def empty_text(
    ds: Dataset,
    state: ViewState,
    chart: str,
    rows: int = 0,
    dimension: Category | None = None,
) -> str:
    """What an empty chart says: why the whole table cannot fill it ("no row could be placed on
    the map — see the report"), else that no policy matches the filters. A breakdown of
    ``dimension`` counting ``rows`` matching policies (none of which states a value of it, or it
    would not be empty) says that instead ("None of the 5 matching policies states a sector")."""
    missing = ds.missing
    if missing == "placed":
        return t("empty_none_placed", state.lang)
    if missing == "dated" and chart in DATED_CHARTS:
        return t("empty_none_dated", state.lang)
    # its own filter picks values none of these states: the whole selection is empty
    if rows and dimension is not None and not state.active(dimension.id):
        return unstated_text(rows, dimension, state.lang)
    return t("empty_chart", state.lang)


def unstated_text(rows: int, dimension: Category, lang: str) -> str:
    """The words "None of the 5 matching policies states a sector" (a user's column: "a value for
    “Funding”")."""
    if lang == "zh":
        what = f"“{dimension.name.zh}”" if dimension.own else dimension.name.zh
    elif dimension.own:
        what = f"a value for “{dimension.name.en}”"
    else:
        name = dimension.name.en.lower()
        what = f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"
    if rows == 1:
        return t("empty_unstated_one", lang, what=what)
    return t("empty_unstated", lang, n=f"{rows:,}", what=what)


def visible_pilots(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """The pilots of the chosen fields (all when none is chosen)."""
    p = ds.pilots
    if state.pilot_field:
        p = p[p["field_code"].isin(state.pilot_field)]
    return p
