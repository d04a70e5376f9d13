"""Shared look of every chart: fonts, colours, and the frame that makes an image self-explaining.

``frame`` puts the title, the filters in words (as the subtitle) and the source line (as the first
annotation) into the figure itself, so a camera-button PNG or a server export carries them. The
positions are fixed, so a callback can patch the texts without rebuilding the figure.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import plotly.io as pio

FONT_FAMILY = (
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
)
INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1c6e8c"  # selected bars, cumulative line
ACCENT_LIGHT = "#a9cfdc"  # not selected while something else is
GRID = "#e4e7eb"
# Sequential scale for counts; its lightest step is "filtered to zero", distinct from the
# neutral grey of "no recorded policy".
SEQUENTIAL = [
    [0.0, "#eef5d3"],
    [0.15, "#cfe8c6"],
    [0.35, "#8fcdb9"],
    [0.6, "#41a6b8"],
    [0.8, "#1c6e8c"],
    [1.0, "#0b3c5d"],
]
NO_RECORD = "#d5d8dc"
ZERO = str(SEQUENTIAL[0][1])  # "0 under these filters"

# The look every figure shares, defined once as the default template (``pio.templates.default``):
# a figure carries it in ``layout.template``, so the page, the camera button and kaleido's exports
# draw the same. Only what these charts use (bar, scatter, choropleth, scattergeo on cartesian
# axes and geo subplots), with plotly's own "plotly" template's values where we relied on them
# (axes without visible grid unless a chart sets one, bar outlines, colorbars): 0.8 KB in each
# whole figure instead of that template's 6.5 KB (3-D, polar, ternary, carpet, table, ...).
_AXIS = {
    "gridcolor": "white",
    "linecolor": "white",
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": "white",
    "automargin": True,
    "zerolinewidth": 2,
}
_COLORBAR = {"outlinewidth": 0, "ticks": ""}
TEMPLATE = go.layout.Template(
    layout={
        "autotypenumbers": "strict",  # a year written as text stays a category
        "font": {"family": FONT_FAMILY, "color": INK, "size": 12},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "coloraxis": {"colorbar": _COLORBAR},
        "geo": {
            "bgcolor": "white",
            "landcolor": "#E5ECF6",
            "subunitcolor": "white",
            "showland": True,
            "showlakes": True,
            "lakecolor": "white",
        },
        "shapedefaults": {"line": {"color": "#2a3f5f"}},
        "annotationdefaults": {"arrowcolor": "#2a3f5f", "arrowhead": 0, "arrowwidth": 1},
    },
    data={
        "bar": [go.Bar(marker={"line": {"color": "#E5ECF6", "width": 0.5}})],
        "choropleth": [go.Choropleth(colorbar=_COLORBAR)],
    },
)
pio.templates["policy-atlas"] = TEMPLATE
pio.templates.default = "policy-atlas"

TITLE_Y = 1.0  # the title hangs from the top edge (``pad``), however many lines it has
SOURCE_INDEX = 0  # layout.annotations[SOURCE_INDEX] is the source line
EMPTY_INDEX = 1  # layout.annotations[EMPTY_INDEX]: "No policy matches these filters" (hidden)


def count_dtick(max_value: float) -> int:
    """Whole-number tick step giving about five ticks (policy counts are integers)."""
    step = max(1.0, float(max_value) / 5)
    magnitude = 10 ** int(math.floor(math.log10(step)))
    for m in (1, 2, 5, 10):
        if m * magnitude >= step:
            return int(m * magnitude)
    return int(10 * magnitude)


# px a title may take before it wraps: on screen it must fit a phone (about 340 px of chart);
# an export is re-wrapped at PRINT (``rewrap``)
WIDE, NARROW, PRINT = 340, 340, 980
#: the ranking beside the map at 1440 px is 316 px wide and its mode-bar takes its last 64
BESIDE = 240
TOP = 74  # top margin for a one-line title and the filters line


def text_px(text: str, size: float = 16) -> float:
    return sum(size if ord(ch) > 0x2E80 else 0.55 * size for ch in text)


def headline(title: str, max_px: float = WIDE) -> tuple[str, int]:
    """The title wrapped so each line fits ``max_px`` (at clause breaks "，" / ", ", and between
    words when one clause is too long), and the top margin it needs (20 px per extra line)."""
    if text_px(title) <= max_px or "<br>" in title:
        return title, TOP + 20 * title.count("<br>")
    sep = "，" if "，" in title else ", "
    pieces: list[str] = []  # each piece carries the separator that follows it
    clauses = title.split(sep)
    for i, clause in enumerate(clauses):
        tail = sep if i < len(clauses) - 1 else ""
        if text_px(clause) > max_px and " " in clause:
            words = clause.split(" ")
            pieces += [w + " " for w in words[:-1]] + [words[-1] + tail]
        else:
            pieces.append(clause + tail)
    lines, current = [], ""
    for piece in pieces:
        if current and text_px(current + piece) > max_px:
            lines.append(current.rstrip())
            current = piece
        else:
            current += piece
    lines.append(current.rstrip())
    return "<br>".join(lines), TOP + 20 * (len(lines) - 1)


def rewrap(fig: go.Figure, max_px: float = PRINT) -> None:
    """Re-wrap a figure's title for a wider canvas (an export page)."""
    text = str(fig.layout.title.text or "")
    text = text.replace("，<br>", "，").replace(",<br>", ", ").replace("<br>", " ")
    fig.layout.title.text, fig.layout.margin.t = headline(text, max_px)


def headline_patch(title: str, max_px: float = WIDE) -> dict[tuple, object]:
    """The paths a new title changes (for a Dash ``Patch``)."""
    text, top = headline(title, max_px)
    return {("layout", "title", "text"): text, ("layout", "margin", "t"): top}


def value_axis(max_value: float, counts: bool = True) -> dict:
    """The value axis of a horizontal bar chart: light grid, fixed, from zero; whole-number ticks
    for counts (a rate keeps plotly's own ticks)."""
    return {
        "gridcolor": GRID,
        "fixedrange": True,
        "rangemode": "tozero",
        "tickformat": ",d" if counts else None,
        "dtick": count_dtick(max_value) if counts else None,
    }


def frame(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    *,
    bottom: int = 56,
    empty: str | None = None,
    empty_text: str = "",
    title_px: float = WIDE,
) -> go.Figure:
    """Title, filters (subtitle) and source line inside the figure; consistent fonts and margins.
    The "nothing matches" message sits in the middle (``EMPTY_INDEX``), shown when ``empty`` is
    given (its text) and otherwise hidden with ``empty_text``, so a patch can show it."""
    title, top = headline(title, title_px)
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": MUTED}},
            "x": 0.01,
            "xanchor": "left",
            "y": TITLE_Y,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 12},
            "font": {"size": 16, "color": INK},
        },
        margin={"t": top, "b": bottom, "l": 10, "r": 10},
    )
    annotations = list(fig.layout.annotations or ())
    annotations.insert(
        SOURCE_INDEX,
        go.layout.Annotation(
            text=source,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-bottom + 6,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 10, "color": MUTED},
        ),
    )
    annotations.insert(
        EMPTY_INDEX,
        go.layout.Annotation(
            text=empty or empty_text or " ",
            visible=empty is not None,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            bgcolor="rgba(255,255,255,0.9)",
            font={"size": 16, "color": INK},
        ),
    )
    # replaced whole: ``update_layout`` merges a list into the annotations by position, so a
    # figure that had some (the small multiples' period labels) would lose the inserted ones
    fig.layout.annotations = annotations
    return fig


def source_at_edge(fig: go.Figure, edge: int = 6) -> go.Figure:
    """The source line (and the notes, added after) from the figure's left edge, under the title,
    not from the plot's: a wide left margin (axis titles) would push it past the right edge of
    a phone's 360 px."""
    left = int(fig.layout.margin.l or 0)
    fig.layout.annotations[SOURCE_INDEX].xshift = edge - left
    return fig


NOTE_LINE_PX = 15  # height of one line of the notes above the source line


def add_notes(fig: go.Figure, lines: list[str], *, keep: bool = False) -> go.Figure:
    """What the chart leaves out ("3 undated, not counted"), printed above its source line (an
    annotation of its own, after the others: the source stays one line, indices do not move); the
    bottom margin grows by a line per note so nothing moves over the plot. ``keep``: the
    annotation is added even with no line (hidden), so a patch can fill it (``notes_patch``)."""
    if not lines and not keep:
        return fig
    bottom = int(fig.layout.margin.b or 0)
    fig.add_annotation(
        text=" ",
        xref="paper",
        yref="paper",
        x=fig.layout.annotations[SOURCE_INDEX].x,
        y=0,
        xshift=fig.layout.annotations[SOURCE_INDEX].xshift or 0,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 10, "color": MUTED},
        name="left-out",
    )
    paths = notes_patch(lines, bottom, len(fig.layout.annotations) - 1)
    fig.layout.margin.b = paths.pop(("layout", "margin", "b"))
    for (*_, index, key), value in paths.items():
        fig.layout.annotations[index][key] = value
    return fig


def notes_of(fig: go.Figure) -> dict[tuple, object]:
    """The paths ``add_notes`` set in ``fig``: a patch that gives another figure its notes."""
    found = [i for i, a in enumerate(fig.layout.annotations) if a.name == "left-out"]
    if not found:
        return {}
    note = fig.layout.annotations[found[0]]
    out: dict[tuple, object] = {
        ("layout", "margin", "b"): fig.layout.margin.b,
        ("layout", "annotations", SOURCE_INDEX, "yshift"): fig.layout.annotations[
            SOURCE_INDEX
        ].yshift,
    }
    for key in ("yshift", "text", "visible"):
        out[("layout", "annotations", found[0], key)] = note[key]
    return out


def notes_patch(lines: list[str], bottom: int, index: int) -> dict[tuple, object]:
    """The paths that set the notes of a figure (annotation ``index``, added by ``add_notes``;
    ``bottom`` its margin without notes), for a Dash ``Patch``."""
    grown = bottom + NOTE_LINE_PX * len(lines)
    shift = -grown + 6
    return {
        ("layout", "margin", "b"): grown,
        ("layout", "annotations", SOURCE_INDEX, "yshift"): shift,
        ("layout", "annotations", index, "yshift"): shift + 14,
        ("layout", "annotations", index, "text"): "<br>".join(f"<i>{x}</i>" for x in lines) or " ",
        ("layout", "annotations", index, "visible"): bool(lines),
    }
