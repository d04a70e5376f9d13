"""Timeline: policies per period as bars, the running total on its own panel below; drag to
select dates.

Two panels sharing the time axis, each with its own y axis and title, so no gridline belongs to two
scales; no legend (the axis titles say what each panel is, so no swatch can disagree with what is
drawn).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data import periods
from layouts.figures import style
from layouts.i18n import t

BAR, LINE = 0, 1  # trace indices (stable, so a callback can patch y and colours)
NOTES = 2  # layout.annotations[NOTES]: what the bars leave out (after the source and empty ones)
BOTTOM = 56  # the bottom margin without notes
BARS_DOMAIN = [0.34, 1.0]
LINE_DOMAIN = [0.0, 0.27]


def bar_colors(frame: pd.DataFrame) -> list[str]:
    """Selected periods in the accent colour; when a date filter is active the rest are light."""
    if not frame["selected"].any():
        return [style.ACCENT] * len(frame)
    return [style.ACCENT if s else style.ACCENT_LIGHT for s in frame["selected"]]


#: each step's bar width for plotly's ``xperiod`` (months as "M…", weeks and days in ms)
XPERIOD: dict[str, str | int] = {
    "year": "M12",
    "quarter": "M3",
    "month": "M1",
    "week": 7 * 86_400_000,
    "day": 86_400_000,
}


def hover_labels(frame: pd.DataFrame, freq: str) -> list[str]:
    if freq in ("week", "day"):  # 2020-W05, 2020-01-27 (as the URL writes them)
        return [periods.label_of(p.start_time.date(), freq) for p in frame["period"]]
    fmt = {"year": "%Y", "quarter": "%Y Q%q", "month": "%Y-%m"}[freq]
    return [p.strftime(fmt) for p in frame["period"]]


def starts(frame: pd.DataFrame) -> list[str]:
    """Each period's first day as a date ("2019-01-01": 10 characters, not a timestamp's 19)."""
    return pd.to_datetime(frame["start"]).dt.strftime("%Y-%m-%d").tolist()


def period_end(frame: pd.DataFrame) -> list[str]:
    """The day after the last period (its end, where its bar ends), or nothing for no periods."""
    if not len(frame):
        return []
    return [(frame["period"].iloc[-1] + 1).start_time.strftime("%Y-%m-%d")]


def running_x(frame: pd.DataFrame) -> list[str]:
    """The running total's points: each period's start and the last period's end, so the last
    level spans the whole last period (a step drawn flat to the right has nothing to draw to
    after the last start)."""
    return starts(frame) + period_end(frame)


def running_y(frame: pd.DataFrame) -> list[int]:
    """The running total at each of ``running_x``: the last total repeated at the end."""
    totals = frame["cumulative"].astype(int).tolist()
    return totals + totals[-1:]


def running_labels(labels: list[str]) -> list[str]:
    """The hover labels of ``running_x``: the end point is the last period's."""
    return labels + labels[-1:]


def _count_title(lang: str, freq: str) -> str:
    per = t(freq, lang)
    return (
        f"{t('count', lang)}（每{per}）"
        if lang == "zh"
        else f"{t('count', lang)} per {per.lower()}"
    )


#: the time axes' tick settings a step sets (None: plotly's own, as a figure without them)
_TICKS = ("dtick", "tickformat", "ticklabelmode")


def _ticks(freq: str) -> dict[str, str]:
    """Years read as years (not "Jan 2020, Jul 2020" when few periods are shown), centred on
    them; the other steps plotly's own date ticks."""
    return {"dtick": "M12", "tickformat": "%Y", "ticklabelmode": "period"} if freq == "year" else {}


def _axes(frame: pd.DataFrame, lang: str, freq: str) -> dict:
    count_title = _count_title(lang, freq)
    ticks = _ticks(freq)
    return {
        # the years are named once, under the lower panel
        "xaxis": {
            "type": "date",
            "showgrid": False,
            "fixedrange": True,
            "anchor": "y",
            "showticklabels": False,
            **ticks,
        },
        "xaxis2": {
            "type": "date",
            "showgrid": False,
            "fixedrange": True,
            "matches": "x",
            "anchor": "y2",
            **ticks,
        },
        "yaxis": {
            "title": {"text": count_title, "font": {"size": 11}},
            "domain": BARS_DOMAIN,
            "gridcolor": style.GRID,
            "fixedrange": True,
            "tickformat": ",d",
            "dtick": style.count_dtick(frame["count"].max() if len(frame) else 0),
            "rangemode": "tozero",
        },
        "yaxis2": {
            "title": {"text": t("cumulative", lang), "font": {"size": 11}},
            "domain": LINE_DOMAIN,
            "anchor": "x2",
            "gridcolor": style.GRID,
            "fixedrange": True,
            "rangemode": "tozero",
            "tickformat": ",d",
            "nticks": 3,
        },
    }


def timeline_figure(
    frame: pd.DataFrame,
    *,
    freq: str,
    lang: str,
    title: str,
    subtitle: str,
    source: str,
    empty: str = "",
    notes: list[str] | None = None,
) -> go.Figure:
    """``frame`` from ``data.query.timeline``: period, start, count, cumulative, selected.
    ``notes``: the rows no bar draws (undated, dated less finely than the step), said above the
    source line."""
    labels = hover_labels(frame, freq)
    fig = go.Figure()
    fig.add_bar(
        x=starts(frame),
        y=frame["count"],
        name=t("count", lang),
        marker={"color": bar_colors(frame)},
        customdata=labels,
        hovertemplate="%{customdata}: %{y}<extra></extra>",
        xperiod=XPERIOD[freq],
        xperiodalignment="middle",  # the bar fills its period (start would centre it on Jan 1)
    )
    fig.add_scatter(
        x=running_x(frame),
        y=running_y(frame),
        name=t("cumulative", lang),
        xaxis="x2",
        yaxis="y2",
        mode="lines",
        line={"color": style.INK, "width": 1.5, "shape": "hv"},
        fill="tozeroy",
        fillcolor="rgba(31,41,51,0.06)",
        customdata=running_labels(labels),
        hovertemplate="%{customdata} " + t("cumulative", lang) + ": %{y}<extra></extra>",
    )
    fig.update_layout(
        dragmode="select",
        selectdirection="h",
        bargap=0.15,
        showlegend=False,
        hovermode="x unified",
        **_axes(frame, lang, freq),
    )
    total = int(frame["count"].sum()) if len(frame) else 0
    style.frame(
        fig,
        title,
        subtitle,
        source,
        bottom=BOTTOM,
        empty=None if total else empty,
        empty_text=empty,
    )
    fig.update_layout(margin={"l": 56, "r": 20})
    style.source_at_edge(fig)
    return style.add_notes(fig, notes or [], keep=True)


def step_updates(frame: pd.DataFrame, freq: str, lang: str) -> dict[tuple, object]:
    """What a new step (``freq``) changes: the periods (bars and running total), their hover
    labels, the bars' width, the count axis's title and the time axes' ticks. Paths into the
    figure, for a Dash ``Patch`` (the callback sends only the paths whose value changed)."""
    start = starts(frame)
    labels = hover_labels(frame, freq)
    out: dict[tuple, object] = {
        ("data", BAR, "x"): start,
        ("data", BAR, "customdata"): labels,
        ("data", BAR, "xperiod"): XPERIOD[freq],
        ("data", LINE, "x"): running_x(frame),
        ("data", LINE, "customdata"): running_labels(labels),
        ("layout", "yaxis", "title", "text"): _count_title(lang, freq),
    }
    ticks = _ticks(freq)
    for axis in ("xaxis", "xaxis2"):
        for key in _TICKS:
            out[("layout", axis, key)] = ticks.get(key)
    return out


def timeline_updates(
    frame: pd.DataFrame, subtitle: str, notes: list[str] | None = None
) -> dict[tuple, object]:
    """What changes when only the filters change: bar heights and colours, the running total, the
    subtitle and the notes. Paths into the figure, for a Dash ``Patch``."""
    return style.notes_patch(notes or [], BOTTOM, NOTES) | {
        ("data", BAR, "y"): frame["count"].tolist(),
        ("data", BAR, "marker", "color"): bar_colors(frame),
        ("data", LINE, "y"): running_y(frame),
        ("layout", "yaxis", "dtick"): style.count_dtick(frame["count"].max() if len(frame) else 0),
        ("layout", "annotations", style.EMPTY_INDEX, "visible"): not int(frame["count"].sum()),
        ("layout", "title", "subtitle", "text"): subtitle,
    }
