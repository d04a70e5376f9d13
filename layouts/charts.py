"""The charts of a view, defined once (id, the name its files start with, title, the numbers it
draws, what its headline counts, its figure builder and patch function), and the print sizes.

Adding a chart kind: a module with its builder and patch function (and its table function), and
one entry here; ``viewmodel.views`` draws and patches every chart of ``charts_for`` that has a
``figure``.

The page, the camera button's file names, the Download menu and the report pack loop over
``CHARTS``; ``layouts.exports.chart_data`` asks each chart's ``table`` for its numbers;
``layouts.exports.render`` renders at ``SIZES``; the export formats are
``layouts.exports.formats`` (this module is pure: no Dash, no rendering).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from data.dataset import Dataset
from data.dimensions import CATEGORIES, Category
from data.schema import Label
from data.state import ViewState
from layouts import chart_tables, ids, present_charts, present_map
from layouts.present_common import Frames

#: A chart's numbers: (dataset, view, chart id) -> the frame its CSV holds (``chart_tables``).
Table = Callable[[Dataset, ViewState, str], pd.DataFrame]
#: A chart's figure: (dataset, view, the view's shared frames and subtitle, chart id) -> figure.
Figure = Callable[[Dataset, ViewState, Frames, str], go.Figure]
#: What a filter change alters in it: the same arguments -> {path in the figure: new value}, the
#: values the builder would draw (``tests/test_redraw.py``), sent as a Dash ``Patch``.
Patch = Callable[[Dataset, ViewState, Frames, str], dict[tuple, object]]


def map_unit(state: ViewState, level: str) -> str:
    """The headline unit of a chart of the map's regions: the level shown."""
    return level


@dataclass(frozen=True)
class Chart:
    id: str
    file_stem: str
    name: Label
    #: the categorical dimension a breakdown chart counts (None for the map and the timeline)
    dimension: str | None = None
    #: the numbers the chart draws, as its CSV holds them (None: a choice made of other charts)
    table: Table | None = None
    #: what the chart's generated headline counts (``present_common.headline``'s unit), from
    #: the view and the map level shown; a breakdown's is its dimension
    unit: Callable[[ViewState, str], str] = map_unit
    #: its figure and its patch (None: drawn by a presenter of its own, as the diffusion views
    #: are by ``layouts.spread``, or no graph on the page)
    figure: Figure | None = None
    patch: Patch | None = None

    def headline_unit(self, state: ViewState, level: str) -> str:
        return self.dimension or self.unit(state, level)


_VIEWS: tuple[Chart, ...] = (
    Chart(
        ids.MAP,
        "policy-map",
        Label("Map", "地图"),
        table=chart_tables.map_table,
        figure=present_map.map_chart,
        patch=present_map.map_patch,
    ),
    Chart(
        ids.RANKED,
        "policy-ranking",
        Label("Regions ranked", "地区排名"),
        table=chart_tables.ranked_table,
        unit=lambda state, level: f"ranked-{level}",
        figure=present_charts.ranked_chart,
        patch=present_charts.ranked_patch,
    ),
    Chart(
        ids.TIMELINE,
        "policy-timeline",
        Label("Timeline", "发布时间"),
        table=chart_tables.timeline_table,
        unit=lambda state, level: state.freq,
        figure=present_charts.timeline_chart,
        patch=present_charts.timeline_patch,
    ),
    Chart(
        ids.ADOPTION_MAP,
        "first-adoption-map",
        Label("First-adoption map", "首次采纳地图"),
        table=chart_tables.adoption_table,
    ),
    Chart(
        ids.ADOPTION_CURVE,
        "adoption-curve",
        Label("Adoption curve", "采纳曲线"),
        table=chart_tables.adoption_table,
    ),
)


def charts_for(dimensions: Sequence[Category]) -> dict[str, Chart]:
    """The charts of a table with these dimensions (``Dataset.dimensions``): the map, ranking,
    timeline and diffusion views, then one breakdown per dimension (an own dimension's in its
    slot, ``ids.charts_of``), each with its file-name stem and name."""
    dims = {d.id: d for d in dimensions}
    out = {c.id: c for c in _VIEWS}
    for chart, dim in ids.charts_of(dimensions).items():
        d = dims[dim]
        out[chart] = Chart(
            chart,
            d.file_stem,
            d.chart_name,
            d.id,
            chart_tables.breakdown_table,
            figure=present_charts.breakdown_chart,
            patch=present_charts.breakdown_patch,
        )
    return out


#: The bundled table's charts (every table's charts: ``charts_for(Dataset.dimensions)``).
CHARTS: dict[str, Chart] = charts_for(CATEGORIES)
#: The whole view (every chart, one PDF page each) as a Download-menu choice.
VIEW = Chart(
    "view", "policy-atlas", Label("Whole view (PDF, one chart a page)", "整个视图（PDF，每图一页）")
)


#: The map through the periods: an animated GIF, and one small map per period for print (made
#: from the map, not graphs of their own on the page). The small multiples' file name says their
#: step: ``policy-map-by-week`` (``multiples_stem``).
ANIMATION = Chart(
    "animation",
    "policy-map-animation",
    Label("Map through the periods (animated GIF)", "逐期地图（GIF 动画）"),
)
MULTIPLES = Chart(
    "multiples",
    "policy-map-by-{step}",
    Label("Map by period (small multiples)", "逐期小地图（小多图）"),
)
SEQUENCES: dict[str, Chart] = {c.id: c for c in (ANIMATION, MULTIPLES)}


def multiples_stem(step: str) -> str:
    """The small multiples' file-name stem at the step of their panels (year … day)."""
    return MULTIPLES.file_stem.format(step=step)


#: GIF frames: 960 x 720 px (a slide's or a web page's width; GIF keeps 256 colours a frame).
GIF_CSS = (960, 720)
GIF_MS_PER_FRAME = 900


def name(chart: str, lang: str) -> str:
    entry = VIEW if chart == VIEW.id else SEQUENCES.get(chart) or CHARTS[chart]
    return entry.name.zh if lang == "zh" else entry.name.en


# ------------------------------------------------------------------ print sizes
CSS_DPI = 96
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PageSize:
    """A print size: ``width_mm`` x ``height_mm`` at ``dpi`` (PNG pixels = mm / 25.4 * dpi)."""

    key: str
    label: str
    width_mm: float
    height_mm: float
    dpi: int = 300
    label_zh: str = ""  # the label in the Chinese Download menu

    @property
    def css(self) -> tuple[int, int]:
        """Layout size in CSS pixels (what plotly lays the figure out in)."""
        return (
            round(self.width_mm / MM_PER_INCH * CSS_DPI),
            round(self.height_mm / MM_PER_INCH * CSS_DPI),
        )

    @property
    def pixels(self) -> tuple[int, int]:
        """PNG size in pixels at ``dpi``."""
        return (
            round(self.width_mm / MM_PER_INCH * self.dpi),
            round(self.height_mm / MM_PER_INCH * self.dpi),
        )

    @property
    def scale(self) -> float:
        return self.pixels[0] / self.css[0]


#: A4 landscape (3508 x 2480 px at 300 dpi) and 16:9 at the size of a widescreen slide
#: (13.333 x 7.5 in = 1280 x 720 CSS px: 4000 x 2250 px at 300 dpi); "web" for pages (2400 x 1600).
SIZES: dict[str, PageSize] = {
    "a4": PageSize("a4", "A4 landscape · 300 dpi", 297.0, 210.0, label_zh="A4 横向 · 300 dpi"),
    "16x9": PageSize("16x9", "16:9 · 300 dpi", 1280 / CSS_DPI * MM_PER_INCH, 190.5),
    "web": PageSize(
        "web",
        "Web · 2400 x 1600 px",
        1200 / CSS_DPI * MM_PER_INCH,
        800 / CSS_DPI * MM_PER_INCH,
        dpi=192,
    ),
}
