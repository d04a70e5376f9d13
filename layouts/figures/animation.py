"""The map through the periods, as figures: the period label of an animation frame and the
small multiples (one small map per period, for print), both with the map's stepped legend. Pure:
no Dash, no rendering (``layouts.exports.gif`` renders the frames and assembles the GIF).

The frames come from ``layouts.spread.frame_figures``: each is the policy map of one period with
title, filters, source and a large period label in the picture itself, so any single frame of the
GIF still says what it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from data import measures
from data.measures import Measure
from layouts.figures import china_map, style
from layouts.figures import classes as classes_mod
from layouts.figures.classes import Classes

#: The South China Sea fits under the mainland in a small map (no inset needed at that size).
TILE_LON = (73.0, 136.0)
TILE_LAT = (3.0, 54.0)


def label_frame(fig: go.Figure, text: str) -> go.Figure:
    """The period in large type in the map's top-right corner (part of every frame)."""
    fig.add_annotation(
        text=f"<b>{text}</b>",
        xref="paper",
        yref="paper",
        x=0.99,
        y=0.99,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 30, "color": style.ACCENT},
        bgcolor="rgba(255,255,255,0.8)",
    )
    return fig


def _tile_geo(domain_x: list[float], domain_y: list[float]) -> dict:
    return {
        "domain": {"x": domain_x, "y": domain_y},
        "projection": {"type": "conic equal area", "parallels": [25, 47], "rotation": {"lon": 105}},
        "lonaxis": {"range": list(TILE_LON), "showgrid": False},
        "lataxis": {"range": list(TILE_LAT), "showgrid": False},
        "showland": False,  # at this size neighbouring land is clutter
        "showcountries": False,
        "showcoastlines": False,
        "showframe": False,
        "showocean": False,
        "showlakes": False,
        "bgcolor": "rgba(255,255,255,0)",
        "resolution": 110,
    }


def _features(geojson: dict, adcodes: set[str]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["adcode"] in adcodes],
    }


def _tile_traces(
    values: pd.DataFrame, geojson: dict, dashline: go.Scattergeo, geo: str, classes: Classes
) -> list:
    """A tile: regions with records coloured by their class on the shared stepped axis (0: the
    "0 under these filters" colour), the rest grey, the ten-dash line."""
    grey = values["status"].isin(measures.GREY)
    shown, none = values[~grey], values[grey]
    common = {"geo": geo, "featureidkey": "properties.adcode", "hoverinfo": "skip"}
    line = {"line": {"color": "white", "width": 0.3}}
    return [
        go.Choropleth(
            geojson=_features(geojson, set(shown["adcode"])),
            locations=shown["adcode"].tolist(),
            z=classes.of(shown["z"].fillna(0).to_numpy()).tolist(),
            coloraxis="coloraxis",
            marker=line,
            **common,
        ),
        go.Choropleth(
            geojson=_features(geojson, set(none["adcode"])),
            locations=none["adcode"].tolist(),
            z=[0] * len(none),
            colorscale=[[0, style.NO_RECORD], [1, style.NO_RECORD]],
            showscale=False,
            marker=line,
            **common,
        ),
        dashline.update(geo=geo),
    ]


def pooled_classes(frames: Sequence[pd.DataFrame], scheme: str, measure: Measure) -> Classes:
    """One set of legend classes for every period (map frames pooled), so a colour means the same
    in each small map and each GIF frame."""
    values = [f.loc[~f["status"].isin(measures.GREY), "z"] for f in frames]
    pooled = pd.concat(values) if values else pd.Series(dtype=float)
    return classes_mod.classify(
        pooled.to_numpy(dtype=float), scheme=scheme, integer=measure.integer
    )


def _legend(classes: Classes, lang: str, zero: bool, grey: bool) -> list[go.Scattergeo]:
    """The stepped legend of the map: its classes, "0 under these filters", "no recorded
    policy" (the same swatches as ``china_map``)."""
    text = china_map.TEXT.get(lang, china_map.TEXT["en"])
    swatches = china_map.class_legends(classes, text, True, zero)
    return [s for s in swatches if s.showlegend] + [china_map.nodata_legend(text, grey)]


def small_multiples(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    geojson: dict,
    dashline: dict | None,
    colorbar_title: str,
    classes: Classes,
    lang: str = "zh",
    cols: int | None = None,
) -> go.Figure:
    """A grid of small maps, one per (label, values) panel (``values``: ``adcode``, ``z``,
    ``status`` as ``data.query.region_counts``), on one stepped scale (``classes``, pooled over
    the panels) with the map's legend under them; each panel's period in large type."""
    n = len(panels)
    cols = min(cols or math.ceil(math.sqrt(n)) + (n in (3, 7, 8)), max(1, n))
    rows = max(1, math.ceil(n / cols))
    fig = go.Figure()
    layout: dict = {}
    annotations = []
    zero = grey = False
    for i, (label, values) in enumerate(panels):
        r, c = divmod(i, cols)
        x = [c / cols + 0.005, (c + 1) / cols - 0.005]
        y = [1 - (r + 1) / rows + 0.01, 1 - r / rows - 0.07]
        geo = "geo" if i == 0 else f"geo{i + 1}"
        layout[geo] = _tile_geo(x, y)
        dash = china_map.dashline_trace(dashline, True)
        for trace in _tile_traces(values, geojson, dash, geo, classes):
            fig.add_trace(trace)
        drawn = values[~values["status"].isin(measures.GREY)]
        zero |= bool((drawn["z"].fillna(0) <= 0).any())
        grey |= len(drawn) < len(values)
        annotations.append(
            {
                "text": f"<b>{label}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": sum(x) / 2,
                "y": y[1],
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 20, "color": style.ACCENT},
            }
        )
    for trace in _legend(classes, lang, zero, grey):
        fig.add_trace(trace)
    k = len(classes.uppers)
    fig.update_layout(
        **layout,
        annotations=annotations,
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "title": {"text": colorbar_title, "font": {"size": 12}},
            "font": {"size": 12},
            "itemclick": False,
            "traceorder": "normal",
        },
        coloraxis=china_map.coloraxis_of(classes_mod.colorscale(classes.colors), k),
    )
    return fig
