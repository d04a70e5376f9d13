"""Server-side images of a figure: PNG, SVG and PDF bytes through kaleido and the system Chromium.

Fully offline: the figure must carry its GeoJSON inline
(``viewmodel.views(..., inline_geojson=True)``),
plotly's base topojson comes from ``assets/topojson`` (``plotly.io.defaults.topojson`` = a
``file://`` URL), plotly.js from the plotly package, and MathJax is switched off (its default is a
CDN). One kaleido renderer (one headless Chromium) is started per process and kept warm.

The renderer is our own event loop holding a ``kaleido.Kaleido``, not kaleido's sync server: that
server hands results back in the order they finish, not to the thread that asked (six threads
exporting at once got each other's images), and a Chromium that fails to start under load leaves
its callers waiting forever. Here each call gets its own future, bounded by
``POLICY_ATLAS_IMAGE_SECONDS``, and a renderer that died is started again on the next call.

Sizes are print sizes: ``width``/``height`` are CSS pixels (96 per inch, the unit plotly lays out
in) and ``scale`` multiplies them, so A4 landscape at 300 dpi is 1123x794 CSS px at scale 300/96
= 3508x2480 image pixels. SVG and PDF keep text as text (plotly's default).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import copy
import io
import os
import threading
import time
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from layouts.charts import SIZES, PageSize
from layouts.figures import style
from layouts.figures.geo_assets import topojson_file_url

__all__ = ["IMAGE_FORMATS", "SIZES", "ExportError", "PageSize", "merge_pdfs", "timed", "to_bytes"]

#: What kaleido draws; which of them the Download menu offers is ``layouts.exports.formats``.
IMAGE_FORMATS: tuple[str, ...] = ("png", "jpeg", "webp", "svg", "pdf")
_lock = threading.Lock()


def _seconds() -> float:
    """Seconds one image may take, Chromium's start included (``POLICY_ATLAS_IMAGE_SECONDS``)."""
    from data.config import load

    return load().image_seconds


class ExportError(RuntimeError):
    """An image could not be made; the message is one line, fit for the user."""


class _Renderer:
    """One headless Chromium behind an event loop on its own thread; ``call`` is thread-safe."""

    def __init__(self) -> None:
        import kaleido

        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.kaleido = kaleido.Kaleido(n=1, timeout=120, mathjax=False)
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()
        limit = _seconds()
        try:
            self._submit(self.kaleido.open()).result(timeout=limit)
        except Exception as exc:
            self.close()
            why = _first_line(exc)
            if isinstance(exc, concurrent.futures.TimeoutError):
                why = f"it did not answer within {limit:.0f} s"
            raise ExportError(f"Chromium did not start for image export: {why}") from exc

    def _submit(self, coro: Any) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.thread.is_alive() and not self.loop.is_closed()

    def call(self, fig: dict, opts: dict) -> bytes:
        future = self._submit(self.kaleido.calc_fig(fig, opts=opts, topojson=topojson_file_url()))
        limit = _seconds()
        try:
            return future.result(timeout=limit)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExportError(
                f"image export took longer than {limit:.0f} s and was stopped; try again"
            ) from None

    def close(self) -> None:
        if self.pid != os.getpid():  # a forked child: the loop's thread lives in the parent only
            return
        if self.thread.is_alive():
            with contextlib.suppress(Exception):  # closing a browser that is already gone
                self._submit(self.kaleido.close()).result(timeout=30)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)


_renderer: _Renderer | None = None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _ensure_server() -> _Renderer:
    """This process's warm renderer; started on first use, again after a fork or a crash."""
    global _renderer
    pio.defaults.topojson = topojson_file_url()
    pio.defaults.mathjax = None
    with _lock:
        if _renderer is not None and _renderer.alive():
            return _renderer
        # kaleido waits up to its timeout for a browser it cannot find: say so at once
        path = os.environ.get("BROWSER_PATH")
        if path and not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise ExportError(f"Chromium cannot start: no browser at {path}")
        _renderer = _Renderer()
        return _renderer


def _discard(renderer: _Renderer) -> None:
    """Forget a renderer that failed; its browser is closed in the background (it may hang)."""
    global _renderer
    with _lock:
        if _renderer is renderer:
            _renderer = None
    threading.Thread(target=renderer.close, name="kaleido-close", daemon=True).start()


def stop() -> None:
    """Stop this process's renderer (tests; scripts exit anyway)."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
        _renderer = None


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
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    data = _render(print_ready(fig), opts)
    return with_dpi(data, page.dpi) if fmt == "png" else data


def _render(fig: dict, opts: dict) -> bytes:
    """The image bytes; a Chromium that crashed is started afresh once, then the user is told."""
    for attempt in (1, 2):
        renderer = _ensure_server()
        try:
            return renderer.call(fig, opts)
        except ExportError:  # too slow: the browser is stuck, the next call gets a new one
            _discard(renderer)
            raise
        except Exception as exc:  # kaleido/Chromium errors: one line for the user
            _discard(renderer)
            if attempt == 2:
                why = _first_line(exc)
                raise ExportError(f"image export failed ({opts['format']}): {why}") from exc
    raise AssertionError("unreachable")


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
