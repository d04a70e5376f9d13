"""Breakdown bars of a categorical dimension (``data.dimensions``); a click on a bar filters.

Bars are sorted by value (largest on top) unless the schema order is asked for. A "nothing
stated" category (``Category.none_code``) is kept apart: not a bar, so it never sets the scale, but
a line under the chart ("104 more state no incentive") that a patch updates.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.dimensions import Category, category
from layouts.figures import captions, style

NOTE_INDEX = 2  # layout.annotations[NOTE_INDEX]: the "kept apart" line


def bar_colors(frame: pd.DataFrame) -> list[str]:
    if not frame["selected"].any():
        return [style.ACCENT] * len(frame)
    return [style.ACCENT if s else style.ACCENT_LIGHT for s in frame["selected"]]


def arrange(
    frame: pd.DataFrame, dimension: str | Category, order: str, drop_zero: bool = False
) -> tuple:
    """(the bars in drawing order, the count kept apart). ``order``: "value" or "schema";
    ``drop_zero`` (exports): only categories the rows have."""
    none = category(dimension).none_code
    apart = int(frame.loc[frame["code"] == none, "count"].sum()) if none else 0
    bars = frame[frame["code"] != none] if none else frame
    if drop_zero:
        bars = bars[bars["count"] > 0]
    if order == "value":
        bars = bars.sort_values("count", ascending=False, kind="stable")
    return bars.reset_index(drop=True), apart


def _labels(frame: pd.DataFrame, dimension: str | Category, lang: str) -> list[str]:
    return [captions.plain(category(dimension).label(c, lang)) for c in frame["code"]]


def breakdown_figure(
    frame: pd.DataFrame,
    *,
    dimension: str | Category,
    lang: str,
    title: str,
    subtitle: str,
    source: str,
    order: str = "schema",
    apart_text: str = "",
    empty: str = "",
    drop_zero: bool = False,
) -> go.Figure:
    """``frame`` from ``data.query.breakdown``: code, count, selected. ``customdata`` holds the
    code a click toggles. ``apart_text``: the line for the kept-apart count (``{n}`` filled)."""
    bars, apart = arrange(frame, dimension, order, drop_zero)
    labels = _labels(bars, dimension, lang)
    fig = go.Figure(
        go.Bar(
            x=bars["count"].tolist(),
            y=labels,
            orientation="h",
            customdata=bars["code"].tolist(),
            marker={"color": bar_colors(bars)},
            texttemplate="%{x}",  # each bar's count, from x (not a second copy a patch resends)
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    # every label of the vocabulary: the left margin does not move when the order does
    all_labels = _labels(frame, dimension, lang)
    fig.update_layout(
        # A fixed left margin from the labels' length: plotly's automargin re-lays the chart out
        # on every update, which costs the browser more than the redraw itself.
        yaxis={
            "autorange": "reversed",
            "fixedrange": True,
            "automargin": False,
            "ticklabelstandoff": 6,
        },
        xaxis=style.value_axis(bars["count"].max() if len(bars) else 0),
        height=max(220, 130 + 24 * len(frame)),
        bargap=0.25,
    )
    total = int(frame["count"].sum())
    style.frame(
        fig,
        title,
        subtitle,
        source,
        bottom=56,
        empty=None if total else empty,
        empty_text=empty,
        title_px=style.NARROW,
    )
    fig.add_annotation(
        text=apart_text.format(n=apart) if apart else " ",
        visible=bool(apart),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-36,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 11, "color": style.MUTED},
    )
    fig.update_layout(margin={"l": label_margin(all_labels), "r": 30})
    # the source line and the kept-apart line from the chart's left edge, not the bars': after
    # long English labels they ran past the right edge of a narrow card, cutting the data's date
    style.source_at_edge(fig)
    fig.layout.annotations[NOTE_INDEX].xshift = fig.layout.annotations[style.SOURCE_INDEX].xshift
    if drop_zero and bars.empty:  # an export with no bar: the message alone, no bare axes
        fig.update_layout(xaxis_visible=False, yaxis_visible=False)
    return fig


def label_margin(labels: list[str]) -> int:
    """Pixels the longest category label needs at 12 px (CJK characters are about twice as
    wide as Latin ones)."""
    widest = max(
        (sum(12 if ord(ch) > 0x2E80 else 6.6 for ch in label) for label in labels), default=0
    )
    return int(widest) + 22


def breakdown_updates(
    frame: pd.DataFrame,
    subtitle: str,
    *,
    dimension: str | Category,
    lang: str,
    order: str = "schema",
    apart_text: str = "",
) -> dict[tuple, object]:
    """Paths into the figure that change with the filters (for a Dash ``Patch``)."""
    bars, apart = arrange(frame, dimension, order)
    counts = bars["count"].tolist()
    return {
        ("data", 0, "x"): counts,
        ("data", 0, "y"): _labels(bars, dimension, lang),
        ("data", 0, "customdata"): bars["code"].tolist(),
        ("data", 0, "marker", "color"): bar_colors(bars),
        ("layout", "xaxis", "dtick"): style.count_dtick(max(counts, default=0)),
        ("layout", "annotations", style.EMPTY_INDEX, "visible"): not int(frame["count"].sum()),
        ("layout", "annotations", NOTE_INDEX, "text"): apart_text.format(n=apart) if apart else " ",
        ("layout", "annotations", NOTE_INDEX, "visible"): bool(apart),
        ("layout", "title", "subtitle", "text"): subtitle,
    }
