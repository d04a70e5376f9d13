"""The map through the periods, as figures: the period label of an animation frame and the
small multiples (one small map per year, for print). Pure: no Dash, no rendering
(``layouts.figures.gif`` renders the frames and assembles the GIF).

The frames come from ``layouts.spread.frame_figures``: each is the policy map of one period with
title, filters, source and a large period label in the picture itself, so any single frame of the
GIF still says what it shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from layouts.figures import china_map, style

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


def _tile_traces(values: pd.DataFrame, geojson: dict, dashline: go.Scattergeo, geo: str) -> list:
    """A tile: regions with records on the shared colour axis, the rest grey, the ten-dash line."""
    grey = values["status"].isin(("no_record", "no_reference"))
    shown, none = values[~grey], values[grey]
    common = {"geo": geo, "featureidkey": "properties.adcode", "hoverinfo": "skip"}
    line = {"line": {"color": "white", "width": 0.3}}
    return [
        go.Choropleth(
            geojson=_features(geojson, set(shown["adcode"])),
            locations=shown["adcode"].tolist(),
            z=shown["z"].fillna(0).tolist(),
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


def small_multiples(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    geojson: dict,
    dashline: dict | None,
    colorbar_title: str,
    cols: int = 4,
) -> go.Figure:
    """A grid of small maps, one per (label, values) panel (``values``: ``adcode``, ``z``,
    ``status`` as ``data.query.region_counts``), on one colour scale with one colour bar."""
    n = len(panels)
    cols = min(cols, max(1, n))
    rows = max(1, math.ceil(n / cols))
    fig = go.Figure()
    layout: dict = {}
    top = max([float(v["z"].max()) for _, v in panels if len(v)] + [1.0])
    annotations = []
    for i, (label, values) in enumerate(panels):
        r, c = divmod(i, cols)
        x = [c / cols + 0.005, (c + 1) / cols - 0.005]
        y = [1 - (r + 1) / rows + 0.01, 1 - r / rows - 0.05]
        geo = "geo" if i == 0 else f"geo{i + 1}"
        layout[geo] = _tile_geo(x, y)
        dash = china_map._dashline_trace(dashline, True)
        for trace in _tile_traces(values, geojson, dash, geo):
            fig.add_trace(trace)
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
                "font": {"size": 14, "color": style.INK},
            }
        )
    fig.update_layout(
        **layout,
        annotations=annotations,
        showlegend=False,
        coloraxis={
            "colorscale": style.SEQUENTIAL,
            "cmin": 0,
            "cmax": top,
            "showscale": True,
            "colorbar": _bottom_colorbar(colorbar_title),
        },
    )
    return fig


def _bottom_colorbar(title: str) -> dict:
    return {
        "title": {"text": title, "side": "top"},
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": -0.01,
        "yanchor": "top",
        "len": 0.4,
        "thickness": 12,
    }
