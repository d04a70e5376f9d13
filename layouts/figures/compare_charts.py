"""Compare-mode charts: one series per region instead of one merged series (``data.compare``).

The timeline draws one line per region (policies per period, markers at each period) over a panel
of running totals (steps); a breakdown draws grouped horizontal bars, one bar per region in each
category. Each region keeps its colour (and marker) in every chart, from a qualitative palette
that stays distinct for colour-blind readers (Okabe and Ito); the legend names the regions.

Compare charts are always drawn whole (never patched): the number of traces follows the regions.
Pure builders: frames in, ``go.Figure`` out, no Dash.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from layouts.figures import style
from layouts.figures.timeline import period_end, running_labels
from layouts.i18n import t

#: Okabe & Ito (2008), "Color Universal Design": distinct under the common colour-vision
#: deficiencies; yellow and black left out (too light on white, and black is the ink).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
#: A second cue besides colour: each region's markers have their own shape.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
LEGEND_ROW = 22  # px per row of the horizontal legend
#: The plot's width on a phone (390 px screen, the card's padding and the margins taken off).
PHONE_PLOT = {"timeline": 280, "screen": 350}
#: An exported chart's plot width and page height in CSS px (``layouts.charts.SIZES``: 720–800).
PRINT_PLOT, PRINT_HEIGHT = 900, 720
#: Up to this many regions each bar carries its count (more: the axis reads better than labels).
LABELLED = 3
_PERIOD_FORMAT = {"year": "%Y", "quarter": "%Y Q%q", "month": "%Y-%m"}
NOTE_INDEX = 2  # layout.annotations[NOTE_INDEX]: the line under the chart (overlaps, left out)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def legend_rows(names: Sequence[str], width_px: float = style.NARROW) -> int:
    """Rows the horizontal legend takes at ``width_px``: one when every entry fits side by side;
    otherwise plotly sets the entries in columns as wide as the widest one."""
    widths = [50 + sum(12 if ord(ch) > 0x2E80 else 6.6 for ch in name) for name in names]
    if not widths or sum(widths) <= width_px:
        return 1
    per_row = max(1, int(width_px // max(widths)))
    return -(-len(widths) // per_row)


def _legend(names: Sequence[str], width_px: float) -> tuple[dict, int]:
    """The legend at the top of the plot area, left-aligned with it, and the px it needs when
    the plot is ``width_px`` wide (a phone's: on a wider screen a few px stay free). It sits in
    the paper, not in the top margin, which titles re-wrapped for print reset."""
    rows = legend_rows(names, width_px)
    legend = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "top",  # inside the paper, over the room the axes leave (``_room``)
        "yref": "paper",
        "font": {"size": 12},
        "itemclick": "toggle",
        "itemdoubleclick": "toggleothers",
        "traceorder": "normal",
    }
    return legend, rows * LEGEND_ROW + 6


def _bottom(note: str, width_px: float) -> int:
    """The bottom margin: the source line, and the note's lines above it (wrapped to fit)."""
    if not note:
        return 56
    return 56 + 16 * (wrap(note, width_px).count("<br>") + 1)


def wrap(text: str, max_px: float = style.NARROW, size: float = 11) -> str:
    """``text`` broken into lines of at most ``max_px`` at ``size`` px: after spaces and Chinese
    punctuation, keeping the ``<br>`` already in it (no line is cut inside a word or a name)."""
    lines = []
    for paragraph in text.split("<br>"):
        pieces = re.findall(r"[^ ，、。；：]*[ ，、。；：]*", paragraph)
        line = ""
        for piece in (p for p in pieces if p):
            if line and style.text_px(line + piece.rstrip(), size) > max_px:
                lines.append(line.rstrip())
                line = ""
            line += piece
        lines.append(line.rstrip())
    return "<br>".join(lines)


def _note(fig: go.Figure, text: str, yshift: int, width_px: float) -> None:
    """The line under the chart (``NOTE_INDEX``): what a reader must know to read the series,
    wrapped to the plot's width on a phone (it starts at the plot's left edge)."""
    text = wrap(text, width_px)
    fig.add_annotation(
        text=text or " ",
        visible=bool(text),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=yshift,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 11, "color": style.MUTED},
    )


def _selected_band(fig: go.Figure, frame: pd.DataFrame, freq: str) -> None:
    """The periods the date filter keeps, as a light band across both panels."""
    chosen = frame[frame["selected"]]
    if chosen.empty:
        return
    step = {"year": "YS", "quarter": "QS", "month": "MS"}[freq]
    end = pd.date_range(chosen["start"].iloc[-1], periods=2, freq=step)[-1]
    fig.add_shape(
        type="rect",
        xref="x",
        yref="paper",
        x0=chosen["start"].iloc[0],
        x1=end,
        y0=0,
        y1=1,
        fillcolor=style.ACCENT_LIGHT,
        opacity=0.3,
        line={"width": 0},
        layer="below",
    )


def timeline_figure(
    frame: pd.DataFrame,
    regions: Sequence[str],
    names: Sequence[str],
    *,
    freq: str,
    lang: str,
    title: str,
    subtitle: str,
    source: str,
    note: str = "",
    empty: str = "",
    export: bool = False,
) -> go.Figure:
    """``frame`` from ``data.compare.Comparison.timeline`` (period, start, selected, a count
    column per region); ``names`` the legend's name of each region of ``regions``. ``export``:
    laid out for a print page (``PRINT_PLOT`` wide, ``PRINT_HEIGHT`` high) rather than a phone."""
    labels = [p.strftime(_PERIOD_FORMAT[freq]) for p in frame.get("period", [])]
    fig = go.Figure()
    for i, (r, name) in enumerate(zip(regions, names, strict=True)):
        counts = frame[r] if len(frame) else pd.Series([], dtype=int)
        common = {"x": frame.get("start", []), "name": name, "legendgroup": r, "customdata": labels}
        fig.add_scatter(
            y=counts,
            mode="lines+markers",
            line={"color": colour(i), "width": 2},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7, "color": colour(i)},
            xperiod={"year": "M12", "quarter": "M3", "month": "M1"}[freq],
            xperiodalignment="middle",
            hovertemplate="%{fullData.name}: %{y}<extra></extra>",
            **common,
        )
        totals = counts.cumsum().astype(int).tolist()
        fig.add_scatter(  # to the last period's end, so its total spans it (timeline.running_x)
            x=list(frame.get("start", [])) + [pd.Timestamp(e) for e in period_end(frame)],
            y=totals + totals[-1:],
            customdata=running_labels(labels),
            xaxis="x2",
            yaxis="y2",
            mode="lines",
            line={"color": colour(i), "width": 1.5, "shape": "hv"},
            showlegend=False,
            hovertemplate="%{fullData.name} " + t("cumulative", lang) + ": %{y}<extra></extra>",
            name=name,
            legendgroup=r,
        )
    peak = int(frame[list(regions)].to_numpy().max()) if len(frame) else 0
    axes = _axes(peak, lang, freq)
    legend, legend_px = _legend(names, PRINT_PLOT if export else PHONE_PLOT["timeline"])
    fig.update_layout(
        dragmode="select",
        selectdirection="h",
        hovermode="x unified",
        showlegend=True,
        legend=legend,
        **axes,
    )
    _selected_band(fig, frame, freq)
    total = int(frame[list(regions)].to_numpy().sum()) if len(frame) else 0
    note_px = PRINT_PLOT if export else PHONE_PLOT["timeline"]
    bottom = _bottom(note, note_px)
    style.frame(
        fig,
        title,
        subtitle,
        source,
        bottom=bottom,
        empty=None if total else empty,
        empty_text=empty,
    )
    _note(fig, note, -bottom + 22, note_px)
    top = fig.layout.margin.t
    # taller than the merged timeline's 320 px when the title, legend and note need it (the
    # page lets the graph grow: assets/style.css)
    height = max(320, top + legend_px + 200 + bottom)
    upper = 1 - _room(legend_px, (PRINT_HEIGHT if export else height) - top - bottom)
    fig.update_layout(margin={"l": 56, "r": 20}, height=height)
    fig.update_layout(yaxis_domain=[0.34 * upper, upper], yaxis2_domain=[0.0, 0.27 * upper])
    return fig


def _room(legend_px: int, plot_px: float) -> float:
    """The share of the plot area's height the legend takes at its top."""
    return min(0.5, legend_px / max(plot_px, 1.0))


def _axes(peak: int, lang: str, freq: str) -> dict:
    """Two panels on one time axis (as the merged timeline): per period above, running totals
    below; years read as years."""
    per = t(freq, lang)
    count = t("count", lang)
    count_title = f"{count}（每{per}）" if lang == "zh" else f"{count} per {per.lower()}"
    ticks = (
        {"dtick": "M12", "tickformat": "%Y", "ticklabelmode": "period"} if freq == "year" else {}
    )
    x = {"type": "date", "showgrid": False, "fixedrange": True, **ticks}
    y = {"gridcolor": style.GRID, "fixedrange": True, "rangemode": "tozero", "tickformat": ",d"}
    return {
        "xaxis": {**x, "anchor": "y", "showticklabels": False},
        "xaxis2": {**x, "matches": "x", "anchor": "y2"},
        "yaxis": {
            **y,
            "title": {"text": count_title, "font": {"size": 11}},
            "domain": [0.34, 1.0],
            "dtick": style.count_dtick(peak),
        },
        "yaxis2": {
            **y,
            "title": {"text": t("cumulative", lang), "font": {"size": 11}},
            "domain": [0.0, 0.27],
            "anchor": "x2",
            "nticks": 3,
        },
    }


def _bar_order(frame: pd.DataFrame, regions: Sequence[str], order: str) -> pd.DataFrame:
    if order != "value":
        return frame
    total = frame[list(regions)].sum(axis=1)
    return frame.assign(_total=total).sort_values("_total", ascending=False, kind="stable")


def breakdown_figure(
    frame: pd.DataFrame,
    regions: Sequence[str],
    names: Sequence[str],
    labels: dict[str, str],
    *,
    title: str,
    subtitle: str,
    source: str,
    order: str = "schema",
    note: str = "",
    empty: str = "",
    drop_zero: bool = False,
    export: bool = False,
) -> go.Figure:
    """Grouped horizontal bars: ``frame`` (code, selected, a count column per region) with the
    kept-apart category already removed; ``labels`` each code's label. A click on a bar gives its
    code (``customdata``), as on the merged chart; categories a filter picked are named in bold
    and, when some are picked, the others' bars are pale."""
    bars = frame[frame[list(regions)].sum(axis=1) > 0] if drop_zero else frame
    bars = _bar_order(bars, regions, order).reset_index(drop=True)
    fig = go.Figure(_bar_traces(bars, regions, names, labels))
    margin_left = _label_margin(list(labels.values()))
    plot_px = max(150, PHONE_PLOT["screen"] - margin_left - 30)  # the plot's width on a phone
    plot_px = PRINT_PLOT if export else plot_px
    legend, legend_px = _legend(names, plot_px)
    peak = int(bars[list(regions)].to_numpy().max()) if len(bars) else 0
    fig.update_layout(
        barmode="group",
        bargap=0.2,
        bargroupgap=0.05,
        showlegend=True,
        legend=legend,
        yaxis={"autorange": "reversed", "fixedrange": True, "automargin": False},
        xaxis=style.value_axis(peak),
    )
    bottom = _bottom(note, plot_px)
    style.frame(
        fig,
        title,
        subtitle,
        source,
        bottom=bottom,
        empty=None if peak else empty,
        empty_text=empty,
        title_px=style.NARROW,
    )
    _note(fig, note, -bottom + 22, plot_px)
    top = fig.layout.margin.t
    per_row = max(24, (12 if len(regions) <= LABELLED else 9) * len(regions) + 8)
    height = max(240, top + legend_px + per_row * max(len(bars), 1) + 24 + bottom)
    upper = 1 - _room(legend_px, (PRINT_HEIGHT if export else height) - top - bottom)
    fig.update_layout(margin={"l": margin_left, "r": 30}, height=height, yaxis_domain=[0, upper])
    return fig


def _bar_traces(
    bars: pd.DataFrame, regions: Sequence[str], names: Sequence[str], labels: dict[str, str]
) -> list[go.Bar]:
    """One bar trace per region over the categories of ``bars`` (in drawing order)."""
    ticks = [
        f"<b>{labels[c]}</b>" if s else labels[c]
        for c, s in zip(bars["code"], bars["selected"], strict=True)
    ]
    picked = bool(bars["selected"].any())
    opacity = [1.0 if s or not picked else 0.4 for s in bars["selected"]]
    labelled = len(regions) <= LABELLED
    return [
        go.Bar(
            x=bars[r].tolist(),
            y=ticks,
            orientation="h",
            name=name,
            customdata=bars["code"].tolist(),
            marker={"color": colour(i), "opacity": opacity},
            text=[v or "" for v in bars[r].tolist()] if labelled else None,
            textposition="outside",
            constraintext="none",  # the count at its bar's end, never shrunk to the bar
            textfont={"size": 10},
            cliponaxis=False,
            hovertemplate="%{y} · %{fullData.name}: %{x}<extra></extra>",
        )
        for i, (r, name) in enumerate(zip(regions, names, strict=True))
    ]


def _label_margin(labels: list[str]) -> int:
    """Pixels the longest category label needs (bold: a little wider)."""
    widest = max(
        (sum(12.5 if ord(ch) > 0x2E80 else 7.0 for ch in label) for label in labels), default=0
    )
    return int(math.ceil(widest)) + 22
