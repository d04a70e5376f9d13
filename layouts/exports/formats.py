"""The export formats, defined once: one :class:`Format` per kind of file a chart can be
downloaded as, the way datasette's output renderers are registered (an extension, a media type, a
renderer, and which charts it applies to: ``can_render``).

The Download menu lists ``FORMATS`` in this order (``layouts/export_menu.py``);
``report_pack.chart_file``, the data API and the embed picture render through them. A new
format is one entry here: its renderer gets a :class:`Request` (the dataset, the view, the
chart, the print size and the charts as exported, drawn only when the renderer asks for them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from data import export_tables
from data.dataset import Dataset
from data.schema import Label
from data.state import ViewState
from layouts import ids
from layouts.charts import VIEW
from layouts.exports import chart_data, render

#: What a format refuses for the whole view (``VIEW``): only PDF and HTML hold every chart.
VIEW_ONE_PDF = "the whole view is one PDF (one chart per page)"


@dataclass(frozen=True)
class Request:
    """What one download asks a renderer for: ``chart`` (a chart id, or ``VIEW.id``) of
    (``ds``, ``state``) at print size ``size``; ``figures()`` draws every chart as exported (the
    user's title and note applied), so a format that needs only the numbers draws none."""

    ds: Dataset
    state: ViewState
    chart: str
    size: str = "a4"
    figures: Callable[[], dict[str, go.Figure]] = dict


@dataclass(frozen=True)
class Format:
    """``ext`` (the file name's extension and the Download menu's value), ``media_type``,
    ``label`` (the menu's, zh/en), ``render`` (request and extension -> bytes) and ``applies``
    (chart id -> whether the format exists for that chart); ``refusal`` says why not."""

    ext: str
    media_type: str
    label: Label
    render: Callable[[Request, str], bytes]
    applies: Callable[[str], bool]
    refusal: str = VIEW_ONE_PDF

    def bytes_of(self, request: Request) -> bytes:
        """The file, or the format's refusal for a chart it does not apply to."""
        if not self.applies(request.chart):
            if request.chart == VIEW.id:
                raise render.ExportError(VIEW_ONE_PDF)
            raise ValueError(self.refusal.format(ext=self.ext))
        return self.render(request, self.ext)


# ------------------------------------------------------------------ which charts
def every_chart(chart: str) -> bool:
    """Each chart alone (not the whole view)."""
    return chart != VIEW.id


def every_chart_and_view(chart: str) -> bool:
    return True


def map_only(chart: str) -> bool:
    return chart == ids.MAP


# ------------------------------------------------------------------ renderers
def view_pdf(figs: dict[str, go.Figure], size: str = "a4") -> bytes:
    """All charts in one PDF, one page each, text kept as text."""
    return render.merge_pdfs([render.to_bytes(f, "pdf", size) for f in figs.values()])


def image(request: Request, ext: str) -> bytes:
    """PNG, SVG or PDF through kaleido at the request's print size (the whole view: one PDF)."""
    figs = request.figures()
    if request.chart == VIEW.id:
        return view_pdf(figs, request.size)
    return render.to_bytes(figs[request.chart], ext, request.size)


def page(request: Request, ext: str) -> bytes:
    """The chart (or every chart of the view), interactive, offline."""
    figs = request.figures()
    if request.chart == VIEW.id:
        return chart_data.view_html(figs)
    return chart_data.chart_html({request.chart: figs[request.chart]})


def numbers(request: Request, ext: str) -> bytes:
    """The numbers the chart draws (``chart_data.chart_table``) as CSV."""
    return export_tables.to_csv_bytes(
        chart_data.chart_table(request.ds, request.state, request.chart)
    )


def regions(request: Request, ext: str) -> bytes:
    """The map's regions with their values: GeoPackage or GeoJSON (WGS-84)."""
    geo = chart_data.geopackage if ext == "gpkg" else chart_data.geojson
    return geo(request.ds, request.state)


MAP_FORMAT = "{ext} is the map's format (regions with their values)"
FORMATS: tuple[Format, ...] = (
    Format("png", "image/png", Label("PNG", "PNG"), image, every_chart),
    Format(
        "svg", "image/svg+xml", Label("SVG (text as text)", "SVG（文字可编辑）"), image, every_chart
    ),
    Format("pdf", "application/pdf", Label("PDF", "PDF"), image, every_chart_and_view),
    Format(
        "html",
        "text/html; charset=utf-8",
        Label("HTML (interactive, offline)", "HTML（可交互，离线）"),
        page,
        every_chart_and_view,
    ),
    Format("csv", "text/csv; charset=utf-8", Label("Data CSV", "数据 CSV"), numbers, every_chart),
    Format(
        "gpkg",
        "application/geopackage+sqlite3",
        Label("GeoPackage (map)", "GeoPackage（地图）"),
        regions,
        map_only,
        MAP_FORMAT,
    ),
    Format(
        "geojson",
        "application/geo+json",
        Label("GeoJSON (map)", "GeoJSON（地图）"),
        regions,
        map_only,
        MAP_FORMAT,
    ),
)
FORMAT: dict[str, Format] = {f.ext: f for f in FORMATS}


def file_bytes(request: Request, ext: str) -> bytes:
    """The bytes of ``request`` as ``ext`` (``ValueError`` for a format that does not exist)."""
    entry = FORMAT.get(ext)
    if entry is None:
        raise ValueError(f"unknown format {ext!r}: one of {', '.join(FORMAT)}")
    return entry.bytes_of(request)
