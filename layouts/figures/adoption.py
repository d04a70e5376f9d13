"""Diffusion figures (pure: plotly and pandas, no Dash): the first-adoption map, the adoption curve
and the band that marks the current period on a time axis.

The first-adoption map is ``china_map`` coloured by *class*: 0 = never (no policy under the
filters), 1..K = the periods of the table at the view's step (years, quarters, months, weeks or
days), each its own colour on a stepped scale with one legend entry per period, and, when some first
dates are known less finely than the step, one last class for them ("dated to the month only",
in a colour of its own). The classes are the table's periods whatever the filters, so a filter
change is a patch of ``z`` and the hover texts.

The adoption curve is the empirical cumulative curve: a step at each actual first date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from layouts.figures import china_map, style
from layouts.figures import classes as classes_mod

YEAR_SCALE = "Viridis"  # early adopters dark, late ones light; readable in grey and by most
CURVE_COLORS = ("#1c6e8c", "#d9822b", "#7a5195", "#2f9e44", "#c2255c", "#5c7cfa")
BAND_NAME = "current-period"
LEGEND_STRIP = 0.11  # share of the first-adoption map's height kept for its year legend


def year_colors(n: int) -> list[str]:
    """``n`` colours along the year scale, first year darkest."""
    if n <= 1:
        return pc.sample_colorscale(YEAR_SCALE, [0.0])
    return pc.sample_colorscale(YEAR_SCALE, [i / (n - 1) for i in range(n)])


COARSE_COLOR = "#c8b08a"  # first dates known less finely than the step: not on the year scale


def class_scale(n_years: int, coarse: bool = False) -> list[list]:
    """A stepped colour scale for classes 0..n_years (0 = never: the no-record grey), and one
    more for first dates known less finely than the step when ``coarse``. Written short (it
    travels with every new step: 60 months were 5.2 KB): edges to 6 decimals (class ``i`` is
    drawn at the middle of its band, ``1 / k`` wide), colours as ``#rrggbb``."""
    colors = [style.NO_RECORD, *year_colors(n_years), *([COARSE_COLOR] if coarse else [])]
    k = len(colors)
    scale: list[list] = []
    for i, color in enumerate(colors):
        scale += [[round(i / k, 6), _hex(color)], [round((i + 1) / k, 6), _hex(color)]]
    return scale


def _hex(color: str) -> str:
    """``rgb(68, 1, 84)`` as ``#440154``: the same colour in 7 characters (any other form as is)."""
    found = re.fullmatch(r"rgb\((\d+), ?(\d+), ?(\d+)\)", color)
    return "#{:02x}{:02x}{:02x}".format(*map(int, found.groups())) if found else color


def year_class(years: Iterable[int], table_years: Sequence[int]) -> list[int]:
    """Class of each region: 0 for never (year 0), else 1 + the year's place in the table's."""
    place = {y: i + 1 for i, y in enumerate(table_years)}
    return [place.get(int(y), 0) for y in years]


def period_class(keys: Iterable[str], periods: Sequence[str]) -> list[int]:
    """Class of each region from its first period's key: 0 for never (""), 1 + the period's place
    in ``periods``, ``len(periods) + 1`` for any other key (a date coarser than the step)."""
    place = {p: i + 1 for i, p in enumerate(periods)}
    return [0 if not k else place.get(k, len(periods) + 1) for k in keys]


def _tick_labels(labels: Sequence[str], most: int = 12) -> list[str]:
    """Every label when they fit, else every n-th (the others blank: the swatches stay)."""
    every = max(1, -(-len(labels) // most))
    return [x if i % every == 0 else "" for i, x in enumerate(labels)]


def first_adoption_map(
    values: pd.DataFrame,
    class_labels: Sequence[str],
    *,
    level: str,
    geojson: str | dict,
    dashline: dict | None,
    never: str,
    legend_title: str,
    coarse: str | None = None,
    selected: Sequence[str] = (),
    outlined: Sequence[str] | None = None,
    inset: bool = True,
    lang: str = "zh",
    never_hover: str | None = None,
) -> go.Figure:
    """``values``: every region of the map with ``adcode``, ``cls`` (0 = never, 1..K the period
    of ``class_labels``, K + 1 = ``coarse``: a first date known less finely than the step) and
    ``hover``: the lines under the region's names, which the layer carries (``china_map``'s
    ``layer_names``). ``never_hover``: the line of a region with no policy, sent once (the
    hover's fallback). One legend class per period."""
    vals = values.assign(z=values["cls"])
    fig = china_map.china_map(
        vals,
        level=level,
        geojson=geojson,
        dashline=dashline,
        colorbar_title=legend_title,
        selected=selected,
        outlined=outlined,
        inset=inset,
        lang=lang,
        showscale=False,  # a period per class: the colour bar below, not the map's count legend
        layer_names=True,
        hover_fallback=never_hover,
    )
    k = len(class_labels)
    # the classes as they are (china_map cuts counts)
    codes = vals["adcode"].astype(str).tolist()
    for path, z in china_map.z_paths(vals["z"].tolist(), codes, level).items():
        fig.data[path[1]].z = z
    # the legend gets a strip of its own under the map: one class per period needs the width
    fig.layout.geo.domain = {"x": [0.0, 1.0], "y": [LEGEND_STRIP, 1.0]}
    fig.layout.geo2.domain = {"x": [0.8, 1.0], "y": [LEGEND_STRIP, 0.5]}
    ticks = _ticks(class_labels, never, coarse)
    fig.update_layout(
        coloraxis={
            "colorscale": class_scale(k, coarse=bool(coarse)),
            "cmin": -0.5,
            "cmax": len(ticks) - 0.5,
            "showscale": True,
            "colorbar": {
                "orientation": "h",
                "tickvals": list(range(len(ticks))),
                "ticktext": ticks,
                "tickfont": {"size": 10},
                "x": 0.0,
                "xanchor": "left",
                "y": 0.0,
                "yanchor": "bottom",
                "len": 0.75,
                "thickness": 12,
                "ticks": "",
                "title": {"text": legend_title, "side": "top"},
            },
        }
    )
    return fig


def _ticks(class_labels: Sequence[str], never: str, coarse: str | None) -> list[str]:
    return [never, *_tick_labels(class_labels), *([coarse] if coarse else [])]


def first_adoption_step_updates(
    values: pd.DataFrame,
    class_labels: Sequence[str],
    *,
    never: str,
    legend_title: str,
    coarse: str | None,
    lang: str,
) -> dict[tuple, object]:
    """What a new timeline step alters besides each region's class (``first_adoption_map``'s
    values): the classes' colour bar and legend names, so a step change is a patch."""
    ticks = _ticks(class_labels, never, coarse)
    out: dict[tuple, object] = {("data", i, "name"): legend_title for i in china_map.Z_TRACES}
    # china_map's stepped legend of the class numbers (hidden here: the colour bar says them)
    cls = classes_mod.classify(values["cls"].to_numpy(dtype=float))
    text = china_map.TEXT.get(lang, china_map.TEXT["en"])
    swatches = china_map.class_legends(cls, text, False, False)
    for i, trace in zip(china_map.CLASS_LEGEND_TRACES, swatches, strict=False):
        out[("data", i, "name")] = trace.name
    axis = ("layout", "coloraxis")
    out[(*axis, "colorscale")] = class_scale(len(class_labels), coarse=bool(coarse))
    out[(*axis, "cmax")] = len(ticks) - 0.5
    out[(*axis, "colorbar", "tickvals")] = list(range(len(ticks)))
    out[(*axis, "colorbar", "ticktext")] = ticks
    out[(*axis, "colorbar", "title", "text")] = legend_title
    out[("layout", "legend", "title", "text")] = legend_title
    return out


def first_adoption_updates(
    values: pd.DataFrame, level: str, never_hover: str | None = None
) -> dict[tuple, object]:
    """What a filter change alters: each region's class and its hover line (regions of
    ``level``; as ``first_adoption_map`` of the same ``never_hover`` sends them)."""
    codes = values["adcode"].astype(str).tolist()
    out: dict[tuple, object] = dict(china_map.z_paths(values["cls"].tolist(), codes, level))
    hover = values["hover"].tolist()
    if never_hover is None:  # the inset says what the main map says
        out.update(china_map.z_paths(hover, codes, level, "text"))
    else:
        lines = china_map.fallback_data(hover, never_hover)
        out.update(china_map.z_paths(lines, codes, level, "customdata"))
    return out


def period_band(start: pd.Timestamp, end: pd.Timestamp, label: str) -> dict:
    """A shaded band over one period of a date axis, labelled (the slider's current period)."""
    return {
        "type": "rect",
        "name": BAND_NAME,
        "xref": "x",
        "yref": "paper",
        "x0": start.isoformat(),
        "x1": end.isoformat(),
        "y0": 0,
        "y1": 1,
        "fillcolor": style.ACCENT,
        "opacity": 0.14,
        "line": {"width": 0},
        "layer": "below",
        "label": {
            "text": label,
            "textposition": "top center",
            "font": {"size": 11, "color": style.INK},
        },
    }


def curve_traces(
    curves: Sequence[tuple[str, pd.DataFrame]], *, regions: int, unit: str, coarse_note: str = ""
) -> list[go.Scatter]:
    """One step line per (name, curve frame) of ``data.diffusion.adoption_curve``: a step at each
    actual first date (``attrs["steps"]``), from 0 before the first to the total after the last,
    held to the end of the curve's last period."""
    traces = []
    for i, (name, frame) in enumerate(curves):
        steps = frame.attrs.get("steps")
        if steps is None or not len(frame):
            steps = pd.DataFrame({"date": [], "new": [], "adopted": [], "coarse": []})
        start = frame["start"].iloc[0] if len(frame) else None
        end = frame["end"].iloc[-1] if len(frame) else None
        x = [start, *steps["date"], end]
        y = [0, *steps["adopted"], int(steps["adopted"].iloc[-1]) if len(steps) else 0]
        hover = [f"0 {unit}".strip()]
        for d, new, a, c in zip(
            steps["date"], steps["new"], steps["adopted"], steps["coarse"], strict=True
        ):
            share = a / regions * 100 if regions else 0.0
            note = f" ({c}: {coarse_note})" if c and coarse_note else ""
            hover.append(f"{d:%Y-%m-%d}: +{new}{note} → {a} {unit} ({share:.0f}%)")
        hover.append(hover[-1])
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                name=name,
                mode="lines",
                line={
                    "color": CURVE_COLORS[i % len(CURVE_COLORS)],
                    "width": 2.5 if i == 0 else 1.8,
                    "shape": "hv",
                    "dash": "solid" if i == 0 else "dot",
                },
                text=hover,
                hovertemplate="%{text}<extra>%{fullData.name}</extra>",
            )
        )
    return traces


def adoption_curve_figure(
    curves: Sequence[tuple[str, pd.DataFrame]],
    *,
    regions: int,
    unit: str,
    y_title: str,
    share_title: str,
    shapes: Sequence[dict] = (),
    coarse_note: str = "",
) -> go.Figure:
    """Regions with at least one policy over time: the count on the left axis, the share of all
    ``regions`` on the right one (the two axes drawn to the same scale)."""
    fig = go.Figure(curve_traces(curves, regions=regions, unit=unit, coarse_note=coarse_note))
    top = max(1, regions) * 1.04
    # an invisible trace on the share axis, so plotly draws it (same scale as the count axis)
    fig.add_scatter(x=[], y=[], yaxis="y2", showlegend=False, hoverinfo="skip")
    fig.update_layout(
        xaxis={"type": "date", "showgrid": False, "fixedrange": True},
        yaxis={
            "title": y_title,
            "range": [0, top],
            "gridcolor": style.GRID,
            "fixedrange": True,
            "tickformat": ",d",
            "dtick": style.count_dtick(regions),
        },
        yaxis2={
            "title": share_title,
            "overlaying": "y",
            "side": "right",
            "range": [0, top / max(1, regions) * 100],
            "showgrid": False,
            "fixedrange": True,
            "ticksuffix": "%",
            "dtick": 25,
        },
        legend={
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        hovermode="x unified",
        shapes=list(shapes),
        showlegend=len(curves) > 1,
        dragmode=False,
    )
    return fig
