"""Regions ranked by the map's measure: the chart beside the map (a click on a bar filters).

Bars are the regions with a value, largest first, in the map's class colours so the two charts
read as one; the regions the region filter selects get a dark outline (on screen; an export shows
only the selected regions anyway). At most ``TOP`` bars; a line under them says how many more and
how many regions have none ("24 provinces: 0"). Ties share a rank and are ordered by name: each
bar is labelled with its rank, "=1" when it shares it ("=1 Chongqing", "=1 Guangdong", "3 …").
An export is sized to its bars (``fit_to_bars``), not to a page of blank.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.measures import MEASURE
from geodata import gazetteer
from layouts.figures import captions, style
from layouts.figures.breakdown import label_margin
from layouts.figures.classes import Classes

TOP = 15
NOTE_INDEX = 2  # layout.annotations[NOTE_INDEX]: "n more not listed"


def ranked_frame(values: pd.DataFrame, classes: Classes) -> pd.DataFrame:
    """``values`` (the map frame: adcode, name, count, z, status, selected) -> the bars, largest
    first, ties by (English) name: adcode, name, count, z, rank (1 + how many are larger), tied,
    color, selected; ``attrs["more"]`` (regions with a value not listed) and ``attrs["zeros"]``
    (regions of the map with none)."""
    shown = values[(values["count"] > 0) & values["z"].notna() & (values["z"] > 0)].copy()
    shown["sort_name"] = [gazetteer.name_of(a, "en") or a for a in shown["adcode"]]
    shown = shown.sort_values(["z", "sort_name"], ascending=[False, True])
    z = shown["z"].round(9)
    shown["rank"] = z.rank(method="min", ascending=False).astype(int)
    shown["tied"] = z.duplicated(keep=False)
    out = shown.head(TOP).drop(columns="sort_name")
    cls = classes.of(out["z"].to_numpy())
    out["color"] = [classes.colors[c - 1] if c > 0 else style.ACCENT for c in cls]
    out.attrs["more"] = max(0, len(shown) - TOP)
    out.attrs["zeros"] = int((values["count"] <= 0).sum()) if "count" in values else 0
    return out.reset_index(drop=True)


def rank_label(rank: int, tied: bool, name: str) -> str:
    """A bar's label: its rank ("=" when shared) and the region."""
    return f"{'=' if tied else ''}{rank} {name}"


def value_text(z: float, measure: str) -> str:
    return MEASURE[measure].format(z)


def _arrays(frame: pd.DataFrame, measure: str) -> dict[str, list]:
    names = [
        rank_label(int(r), bool(t), captions.plain(n))
        for r, t, n in zip(frame["rank"], frame["tied"], frame["name"], strict=True)
    ]
    return {
        "x": frame["z"].astype(float).round(4).tolist(),
        "y": names,
        "customdata": frame["adcode"].tolist(),
        "text": [value_text(z, measure) for z in frame["z"]],
        "color": frame["color"].tolist(),
        "line": [1.6 if s else 0 for s in frame["selected"]],
    }


def ranked_figure(
    frame: pd.DataFrame,
    *,
    measure: str,
    axis_title: str,
    more: str,
    title: str,
    subtitle: str,
    source: str,
    empty: str,
) -> go.Figure:
    """The ranking as horizontal bars (``customdata``: the adcode a click toggles)."""
    a = _arrays(frame, measure)
    fig = go.Figure(
        go.Bar(
            x=a["x"],
            y=a["y"],
            orientation="h",
            customdata=a["customdata"],
            text=a["text"],
            textposition="outside",
            cliponaxis=False,
            marker={"color": a["color"], "line": {"color": style.INK, "width": a["line"]}},
            hovertemplate="%{y}: %{text}<extra>" + captions.plain(axis_title) + "</extra>",
        )
    )
    counts = measure == "count"
    fig.update_layout(
        # room for TOP bars whatever their number, so a bar keeps its thickness, and a slot
        # under them for the "n more · m at 0" line (it never sits on the last bar)
        yaxis={
            "range": [TOP + 0.5, -0.5],
            "fixedrange": True,
            "automargin": False,
            "ticklabelstandoff": 6,
        },
        xaxis=style.value_axis(max(a["x"], default=0), counts),
        height=110 + 22 * (TOP + 1),
        bargap=0.2,
    )
    style.frame(
        fig,
        title,
        subtitle,
        source,
        bottom=52,
        empty=empty if frame.empty else None,
        empty_text=empty,
        title_px=style.BESIDE,
    )
    # "n more not listed" under the shortest bars, inside the plot (never on the source line)
    fig.add_annotation(
        text=more,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=4,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font={"size": 10, "color": style.MUTED},
    )
    fig.update_layout(margin={"r": 40})
    for (*path, key), value in _left(a["y"]).items():  # margin.l, the source line's xshift
        node = fig
        for part in path:
            node = node[part]
        node[key] = value
    return fig


def _left(names: list[str]) -> dict[tuple, object]:
    """The left margin the labels need, and the source line's shift to the figure's left edge
    (the labels' margin would otherwise push it past the right edge of a narrow chart)."""
    left = label_margin([max([*names, "=10 北京市北京"], key=len)])
    return {
        ("layout", "margin", "l"): left,
        ("layout", "annotations", style.SOURCE_INDEX, "xshift"): -(left - 10),
    }


BAR_PX = 30  # an exported bar's slot (bar and gap), CSS pixels


def fit_to_bars(fig: go.Figure, bars: int) -> go.Figure:
    """An export sized to its bars: as many slots as bars (each ``BAR_PX``), the page as tall as
    they and the title, notes and source need (``layout.meta.fit_height``: the height drawn)."""
    n = max(1, bars) + 1  # and a slot under them for the "n more · m at 0" line
    fig.update_layout(yaxis={"range": [n - 0.5, -0.5]})
    margin = fig.layout.margin
    height = int((margin.t or 0) + (margin.b or 0) + 18 + 40 + BAR_PX * n)
    fig.update_layout(height=height, meta={"fit_height": height})
    return fig


def ranked_updates(frame: pd.DataFrame, measure: str, sub: str, more: str) -> dict[tuple, object]:
    """What a filter change alters (a Dash ``Patch``): the bars, the note, the subtitle."""
    a = _arrays(frame, measure)
    return {
        ("data", 0, "x"): a["x"],
        ("data", 0, "y"): a["y"],
        ("data", 0, "customdata"): a["customdata"],
        ("data", 0, "text"): a["text"],
        ("data", 0, "marker", "color"): a["color"],
        ("data", 0, "marker", "line", "width"): a["line"],
        ("layout", "xaxis", "dtick"): style.count_dtick(max(a["x"], default=0))
        if measure == "count"
        else None,
        ("layout", "annotations", style.EMPTY_INDEX, "visible"): frame.empty,
        ("layout", "annotations", NOTE_INDEX, "text"): more,
        ("layout", "title", "subtitle", "text"): sub,
        **_left(a["y"]),  # longer labels (a rank shared by ten regions) widen the margin
    }
