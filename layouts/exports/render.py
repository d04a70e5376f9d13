"""Server-side images of a figure: PNG, SVG and PDF bytes through kaleido and the system Chromium.

Fully offline: the figure must carry its GeoJSON inline
(``viewmodel.views(..., inline_geojson=True)``),
plotly's base topojson comes from ``assets/topojson`` (``plotly.io.defaults.topojson`` = a
``file://`` URL), plotly.js from the plotly package, and MathJax is switched off (its default is a
CDN). One kaleido server (one headless Chromium) is started per process and kept warm.

Sizes are print sizes: ``width``/``height`` are CSS pixels (96 per inch, the unit plotly lays out
in) and ``scale`` multiplies them, so A4 landscape at 300 dpi is 1123x794 CSS px at scale 300/96
= 3508x2480 image pixels. SVG and PDF keep text as text (plotly's default).
"""

from __future__ import annotations

import copy
import io
import os
import threading
import time
import warnings

import plotly.graph_objects as go
import plotly.io as pio

from layouts.charts import SIZES, PageSize
from layouts.figures import style
from layouts.figures.geo_assets import topojson_file_url

__all__ = ["IMAGE_FORMATS", "SIZES", "ExportError", "PageSize", "merge_pdfs", "timed", "to_bytes"]

#: What kaleido draws; which of them the Download menu offers is ``layouts.exports.formats``.
IMAGE_FORMATS: tuple[str, ...] = ("png", "jpeg", "webp", "svg", "pdf")
_lock = threading.Lock()
_started_pid: int | None = None


class ExportError(RuntimeError):
    """An image could not be made; the message is one line, fit for the user."""


def _ensure_server() -> None:
    """One warm kaleido server (headless Chromium) per process; restarted after a fork."""
    global _started_pid
    import kaleido

    pio.defaults.topojson = topojson_file_url()
    pio.defaults.mathjax = None
    with _lock:
        if _started_pid == os.getpid():
            return
        # kaleido waits up to its timeout for a browser it cannot find: say so at once
        path = os.environ.get("BROWSER_PATH")
        if path and not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise ExportError(f"Chromium cannot start: no browser at {path}")
        kaleido.start_sync_server(n=1, timeout=120, mathjax=False, silence_warnings=True)
        _started_pid = os.getpid()


def stop() -> None:
    """Stop this process's kaleido server (tests; scripts exit anyway)."""
    global _started_pid
    import kaleido

    with _lock:
        if _started_pid == os.getpid():
            kaleido.stop_sync_server(silence_warnings=True)
        _started_pid = None


def to_bytes(
    fig: go.Figure | dict,
    fmt: str,
    size: str | PageSize = "a4",
) -> bytes:
    """``fig`` as PNG/SVG/PDF bytes at a print size (``SIZES`` key or a ``PageSize``).

    PNG is rendered at the size's dpi; SVG and PDF at the same layout size (scale 1: vectors)."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"unknown format {fmt!r} ({', '.join(IMAGE_FORMATS)})")
    page = SIZES[size] if isinstance(size, str) else size
    width, height = page.css
    meta = fig.layout.meta if isinstance(fig, go.Figure) else fig.get("layout", {}).get("meta")
    if isinstance(meta, dict) and meta.get("fit_height"):  # a chart sized to its content
        height = min(height, int(meta["fit_height"]))
    scale = page.scale if fmt == "png" else 1.0
    _ensure_server()
    try:
        with warnings.catch_warnings():
            # plotly passes kopts it cannot use once a server runs; nothing to act on.
            warnings.simplefilter("ignore", UserWarning)
            data = pio.to_image(
                print_ready(fig),
                format=fmt,
                width=width,
                height=height,
                scale=scale,
                validate=False,
            )
    except Exception as exc:  # kaleido/Chromium errors: one line for the user
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ExportError(f"image export failed ({fmt}): {first[:200]}") from exc
    return with_dpi(data, page.dpi) if fmt == "png" else data


def with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with its resolution in the file (a ``pHYs`` chunk), so a word processor places a
    300 dpi A4 image at A4 size. Pillow rewrites the file; the pixels are unchanged."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(dpi, dpi), compress_level=6)
    return out.getvalue()


def print_ready(fig: go.Figure | dict) -> dict:
    """A copy of ``fig`` laid out for paper: the source line gets its own strip under the axis
    labels (on screen it sits close to them), nothing interactive is drawn."""
    d = copy.deepcopy(fig.to_dict() if isinstance(fig, go.Figure) else fig)
    layout = d.setdefault("layout", {})
    margin = layout.setdefault("margin", {})
    bottom = int(margin.get("b", 56)) + 18
    margin["b"] = bottom
    annotations = layout.get("annotations") or []
    if len(annotations) > style.SOURCE_INDEX:
        source = annotations[style.SOURCE_INDEX]
        if source.get("yref") == "paper" and source.get("y") == 0:
            source["yshift"] = -bottom + 6
    for note in annotations:  # what the chart leaves out (``style.add_notes``) stays above it
        if note.get("name") == "left-out":
            note["yshift"] = -bottom + 6 + 14
    layout.pop("dragmode", None)
    return d


def merge_pdfs(pages: list[bytes]) -> bytes:
    """One PDF holding every page of ``pages`` in order."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for data in pages:
        writer.append(io.BytesIO(data))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def timed(fig: go.Figure | dict, fmt: str, size: str | PageSize = "a4") -> tuple[bytes, float]:
    """``to_bytes`` and the seconds it took."""
    t0 = time.perf_counter()
    data = to_bytes(fig, fmt, size)
    return data, time.perf_counter() - t0
