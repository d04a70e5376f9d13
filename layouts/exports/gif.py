"""The animated GIF of the map through the periods: frames rendered by kaleido
(``layouts.exports.render``), assembled with Pillow."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import plotly.graph_objects as go
from PIL import Image

from layouts.charts import CSS_DPI, GIF_CSS, GIF_MS_PER_FRAME, MM_PER_INCH, PageSize
from layouts.exports import render

GIF_PAGE = PageSize(
    "gif", "GIF", GIF_CSS[0] / CSS_DPI * MM_PER_INCH, GIF_CSS[1] / CSS_DPI * MM_PER_INCH, CSS_DPI
)
Progress = Callable[[int, int], None]


def gif_bytes(pngs: Sequence[bytes], ms_per_frame: int = GIF_MS_PER_FRAME) -> bytes:
    """An animated GIF of PNG frames (looping; the last frame held three times as long). One
    palette for all frames, made from all of them, so a colour does not shift between frames."""
    if not pngs:
        raise render.ExportError("no frames to animate: the table has no dated policy")
    frames = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    width, height = frames[0].size
    sheet = Image.new("RGB", (width, height * len(frames)))
    for i, frame in enumerate(frames):
        sheet.paste(frame, (0, height * i))
    palette = sheet.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    quantized = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    durations = [ms_per_frame] * (len(frames) - 1) + [ms_per_frame * 3]
    out = io.BytesIO()
    quantized[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=quantized[1:],
        duration=durations,
        loop=0,
        optimize=False,
    )
    return out.getvalue()


def render_gif(
    figures: Sequence[go.Figure],
    ms_per_frame: int = GIF_MS_PER_FRAME,
    progress: Progress | None = None,
) -> bytes:
    """Each figure rendered by kaleido at ``GIF_CSS`` pixels, assembled into one GIF."""
    pngs = []
    for i, fig in enumerate(figures):
        pngs.append(render.to_bytes(fig, "png", GIF_PAGE))
        if progress is not None:
            progress(i + 1, len(figures))
    return gif_bytes(pngs, ms_per_frame)
