"""Breakdown bars of a categorical dimension (``data.dimensions``); a click on a bar filters."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.dimensions import CATEGORY
from layouts.figures import captions, style


def bar_colors(frame: pd.DataFrame) -> list[str]:
    if not frame["selected"].any():
        return [style.ACCENT] * len(frame)
    return [style.ACCENT if s else style.ACCENT_LIGHT for s in frame["selected"]]


def breakdown_figure(
    frame: pd.DataFrame, *, dimension: str, lang: str, title: str, subtitle: str, source: str
) -> go.Figure:
    """``frame`` from ``data.query.breakdown``: code, count, selected. Bars top-down in vocab order;
    ``customdata`` holds the code a click toggles."""
    labels = [captions.plain(CATEGORY[dimension].label(c, lang)) for c in frame["code"]]
    fig = go.Figure(
        go.Bar(
            x=frame["count"],
            y=labels,
            orientation="h",
            customdata=frame["code"],
            marker={"color": bar_colors(frame)},
            text=frame["count"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        # A fixed left margin from the labels' length: plotly's automargin re-lays the chart out
        # on every update, which costs the browser more than the redraw itself.
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": False},
        xaxis={
            "gridcolor": style.GRID,
            "fixedrange": True,
            "rangemode": "tozero",
            "tickformat": ",d",
            "dtick": style.count_dtick(frame["count"].max() if len(frame) else 0),
        },
        height=max(220, 110 + 24 * len(frame)),
        bargap=0.25,
    )
    style.frame(fig, title, subtitle, source, bottom=40)
    fig.update_layout(margin={"l": label_margin(labels), "r": 30})
    return fig


def label_margin(labels: list[str]) -> int:
    """Pixels the longest category label needs at 12 px (CJK characters are about twice as
    wide as Latin ones)."""
    widest = max(
        (sum(12 if ord(ch) > 0x2E80 else 6.6 for ch in label) for label in labels), default=0
    )
    return int(widest) + 16


def breakdown_updates(frame: pd.DataFrame, subtitle: str) -> dict[tuple, object]:
    """Paths into the figure that change with the filters (for a Dash ``Patch``)."""
    counts = frame["count"].tolist()
    return {
        ("data", 0, "x"): counts,
        ("data", 0, "text"): counts,
        ("data", 0, "marker", "color"): bar_colors(frame),
        ("layout", "xaxis", "dtick"): style.count_dtick(max(counts, default=0)),
        ("layout", "title", "subtitle", "text"): subtitle,
    }
