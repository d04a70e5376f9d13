"""Downloads and presentation mode: wiring only (the work is in ``layouts.report_pack``).

Rendering takes seconds, so the two downloads are background callbacks (the page stays live and
shows progress); the manager is set up in ``app.py`` (diskcache, or Celery when ``REDIS_URL``).
Errors become one line under the buttons, never a traceback.
"""

from __future__ import annotations

from dash import Input, Output, Patch, State, callback, clientside_callback, dcc, no_update

from data.dataset import current
from data.state import parse_query
from layouts import report_pack
from layouts.figures.render import ExportError

FIGURES = list(report_pack.CHARTS)
CAMERA_SCALE = 3


def _message(exc: Exception, lang: str) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    prefix = "导出失败：" if lang == "zh" else "Export failed: "
    return prefix + text[:200]


@callback(
    *[Output(f, "config") for f in FIGURES],
    Input("url", "search"),
)
def camera_names(search: str | None) -> list[Patch]:
    """The camera button saves a PNG at 3x named after what it shows (``policy-map_guangdong…``);
    only the options change, as a patch of each graph's config."""
    ds, state = current(), parse_query(search)
    out = []
    for chart in FIGURES:
        patch = Patch()
        patch["toImageButtonOptions"] = {
            "format": "png",
            "scale": CAMERA_SCALE,
            "filename": report_pack.chart_stem(ds, state, chart),
        }
        out.append(patch)
    return out


@callback(
    Output("dl-file", "data"),
    Output("dl-status", "children"),
    Input("dl-go", "n_clicks"),
    State("dl-chart", "value"),
    State("dl-format", "value"),
    State("dl-size", "value"),
    State("url", "search"),
    background=True,
    running=[
        (Output("dl-go", "disabled"), True, False),
        (Output("dl-busy", "hidden"), False, True),
    ],
    prevent_initial_call=True,
)
def download_chart(n_clicks, chart, fmt, size, search):
    state = parse_query(search)
    if chart == "view":
        fmt = "pdf"
    try:
        name, data = report_pack.chart_file(current(), state, chart, fmt, size or "a4")
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        return no_update, _message(exc, state.lang)
    return dcc.send_bytes(data, name), name


@callback(
    Output("pack-file", "data"),
    Output("pack-status", "children"),
    Input("pack-go", "n_clicks"),
    State("url", "search"),
    State("url", "href"),
    background=True,
    running=[
        (Output("pack-go", "disabled"), True, False),
        (Output("pack-progress", "hidden"), False, True),
    ],
    progress=[Output("pack-progress", "value"), Output("pack-progress", "max")],
    progress_default=["0", "1"],
    prevent_initial_call=True,
)
def download_pack(set_progress, n_clicks, search, href):
    state = parse_query(search)
    ds = current()

    def report(done: int, total: int, label: str) -> None:
        set_progress([str(done), str(total)])

    try:
        result = report_pack.write_pack(ds, state, None, href or None, progress=report)
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        return no_update, _message(exc, state.lang)
    name = report_pack.pack_name(ds, state)
    size = f"{len(result.data) / 1e6:.1f} MB"
    return dcc.send_bytes(result.data, name), f"{name} · {size}"


clientside_callback(
    """
    function(n) {
        const body = document.body;
        if (!window.__presentingKeys) {
            window.__presentingKeys = true;
            document.addEventListener('keydown', function(e) {
                if (e.key === 'Escape' && body.classList.contains('presenting')) {
                    body.classList.remove('presenting');
                    window.dispatchEvent(new Event('resize'));
                }
            });
        }
        if (!n) { return window.dash_clientside.no_update; }
        const on = body.classList.toggle('presenting');
        window.setTimeout(function() { window.dispatchEvent(new Event('resize')); }, 50);
        return on ? 'button present-toggle on' : 'button present-toggle';
    }
    """,
    Output("present-toggle", "className"),
    Input("present-toggle", "n_clicks"),
)
