"""Timeline: policies per period as bars, the running total as a line; drag to select dates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from layouts.figures import style
from layouts.i18n import t

BAR, LINE = 0, 1  # trace indices (stable, so a callback can patch y and colours)


def bar_colors(frame: pd.DataFrame) -> list[str]:
    """Selected periods in the accent colour; when a date filter is active the rest are light."""
    if not frame["selected"].any():
        return [style.ACCENT] * len(frame)
    return [style.ACCENT if s else style.ACCENT_LIGHT for s in frame["selected"]]


def hover_labels(frame: pd.DataFrame, freq: str) -> list[str]:
    fmt = {"year": "%Y", "quarter": "%Y Q%q", "month": "%Y-%m"}[freq]
    return [p.strftime(fmt) for p in frame["period"]]


def timeline_figure(
    frame: pd.DataFrame, *, freq: str, lang: str, title: str, subtitle: str, source: str
) -> go.Figure:
    """``frame`` from ``data.query.timeline``: period, start, count, cumulative, selected."""
    labels = hover_labels(frame, freq)
    fig = go.Figure()
    fig.add_bar(
        x=frame["start"],
        y=frame["count"],
        name=t("count", lang),
        marker={"color": bar_colors(frame)},
        customdata=labels,
        hovertemplate="%{customdata}: %{y}<extra></extra>",
        xperiod={"year": "M12", "quarter": "M3", "month": "M1"}[freq],
        xperiodalignment="start",
    )
    fig.add_scatter(
        x=frame["start"],
        y=frame["cumulative"],
        name=t("cumulative", lang),
        yaxis="y2",
        mode="lines",
        line={"color": style.INK, "width": 1.5, "shape": "hv"},
        customdata=labels,
        hovertemplate="%{customdata} " + t("cumulative", lang) + ": %{y}<extra></extra>",
    )
    fig.update_layout(
        dragmode="select",
        selectdirection="h",
        bargap=0.15,
        showlegend=True,
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        xaxis={"type": "date", "showgrid": False, "fixedrange": True},
        yaxis={
            "title": t("count", lang),
            "gridcolor": style.GRID,
            "fixedrange": True,
            "tickformat": ",d",
            "dtick": style.count_dtick(frame["count"].max() if len(frame) else 0),
            "rangemode": "tozero",
        },
        yaxis2={
            "title": t("cumulative", lang),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "fixedrange": True,
            "rangemode": "tozero",
            "tickformat": ",d",
            "dtick": style.count_dtick(frame["cumulative"].max() if len(frame) else 0),
        },
        hovermode="x unified",
    )
    style.frame(fig, title, subtitle, source)
    fig.update_layout(margin={"l": 50, "r": 50})
    return fig


def timeline_updates(frame: pd.DataFrame, subtitle: str) -> dict[tuple, object]:
    """What changes when only the filters change: bar heights and colours, the running total and
    the subtitle. Paths into the figure, for a Dash ``Patch``."""
    return {
        ("data", BAR, "y"): frame["count"].tolist(),
        ("data", BAR, "marker", "color"): bar_colors(frame),
        ("data", LINE, "y"): frame["cumulative"].tolist(),
        ("layout", "yaxis", "dtick"): style.count_dtick(frame["count"].max() if len(frame) else 0),
        ("layout", "yaxis2", "dtick"): style.count_dtick(
            frame["cumulative"].max() if len(frame) else 0
        ),
        ("layout", "title", "subtitle", "text"): subtitle,
    }
