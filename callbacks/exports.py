"""Downloads and presentation mode: wiring only (the work is in ``layouts.exports.report_pack``).

Rendering takes seconds, so the two downloads are background callbacks (the page stays live and
shows progress); the manager is set up in ``app.py`` (diskcache, or Celery when ``REDIS_URL``).
Errors become one line under the buttons, never a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from dash import Input, Output, Patch, State, callback, clientside_callback, dcc, no_update

from callbacks.service.context import guarded, view
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids
from layouts.charts import charts_for
from layouts.exports import report_pack
from layouts.exports.render import ExportError
from layouts.i18n import t

CAMERA_SCALE = 3


def _message(exc: Exception, lang: str) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    prefix = "导出失败：" if lang == "zh" else "Export failed: "
    return prefix + text[:200]


def camera_options(ds: Dataset, state: ViewState, chart: str) -> dict[str, Any]:
    """What the camera button of ``chart`` saves: a PNG at 3x named after what it shows
    (``policy-map_guangdong…``)."""
    return {
        "format": "png",
        "scale": CAMERA_SCALE,
        "filename": report_pack.chart_stem(ds, state, chart),
    }


# The export texts are made when the Download menu is open, not on every interaction: opening it
# (or a new view while it is open) writes the view into ``EXPORT_VIEW``; the first page has them.
clientside_callback(
    """async function(n, search, described) {
        const nu = window.dash_clientside.no_update;
        await new Promise(function(r) { window.setTimeout(r, 0); });  // after the toggle
        const menu = document.getElementById('MENU');
        const here = (search && search !== '?') ? search : '';
        return (menu && menu.open && here !== described) ? here : nu;
    }""".replace("MENU", ids.EXPORT_MENU),
    Output(ids.EXPORT_VIEW, "data"),
    Input(ids.EXPORT_MENU, "n_clicks"),
    Input(ids.URL, "search"),
    State(ids.EXPORT_VIEW, "data"),
    prevent_initial_call=True,
)


@callback(
    *[Output(f, "config") for f in ids.FIGURES],
    Input(ids.EXPORT_VIEW, "data"),
    prevent_initial_call=True,
)
@guarded
def camera_names(search: str | None) -> list[Patch]:
    """The camera buttons' options for the view, as a patch of each graph's config (the graph
    keeps it for its next drawing; the clientside callback below applies it now)."""
    state, ds = view(search)
    charts = charts_for(ds.dimensions)
    out: list[Any] = []
    for chart in ids.FIGURES:
        if chart not in charts:  # a dimension this table has not: its chart is hidden
            out.append(no_update)
            continue
        patch = Patch()
        patch["toImageButtonOptions"] = camera_options(ds, state, chart)
        out.append(patch)
    return out


# A graph applies a new config when its figure next changes; the camera button reads plotly's
# own copy, so the new file name goes there at once (no redraw).
clientside_callback(
    """function(...configs) {
        const charts = CHARTS;
        configs.forEach(function(config, i) {
            const gd = document.querySelector('#' + charts[i] + ' .js-plotly-plot');
            if (gd && gd._context && config && config.toImageButtonOptions) {
                gd._context.toImageButtonOptions = config.toImageButtonOptions;
            }
        });
    }""".replace("CHARTS", json.dumps(list(ids.FIGURES))),
    *[Input(f, "config") for f in ids.FIGURES],
    prevent_initial_call=True,
)


@callback(
    Output(ids.DL_TITLE, "placeholder"),
    Input(ids.EXPORT_VIEW, "data"),
    Input(ids.DL_CHART, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
@guarded
def title_placeholder(_described: str | None, chart: str | None, search: str | None) -> str:
    """The generated title of the chosen chart, shown in the title field until replaced."""
    state, ds = view(search)
    return report_pack.default_title(ds, state, chart or ids.MAP)


@callback(
    Output(ids.DL_FILE, "data"),
    Output(ids.DL_STATUS, "children"),
    Input(ids.DL_GO, "n_clicks"),
    State(ids.DL_CHART, "value"),
    State(ids.DL_FORMAT, "value"),
    State(ids.DL_SIZE, "value"),
    State(ids.URL, "search"),
    State(ids.DL_TITLE, "value"),
    State(ids.DL_NOTE, "value"),
    background=True,
    running=[
        (Output(ids.DL_GO, "disabled"), True, False),
        (Output(ids.DL_BUSY, "hidden"), False, True),
    ],
    prevent_initial_call=True,
)
@guarded
def download_chart(
    n_clicks: int | None,
    chart: str,
    fmt: str,
    size: str | None,
    search: str | None,
    title: str | None,
    note: str | None,
) -> tuple:
    state, ds = view(search)
    if ds.gone:
        return no_update, _message(ValueError(t(f"gone_short_{ds.gone}", state.lang)), state.lang)
    if chart == "view" and fmt != "html":
        fmt = "pdf"
    edits = report_pack.Edits(title or "", note or "", chart)
    try:
        name, data = report_pack.chart_file(ds, state, chart, fmt, size or "a4", edits)
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        return no_update, _message(exc, state.lang)
    return dcc.send_bytes(data, name), name


@callback(
    Output(ids.PACK_FILE, "data"),
    Output(ids.PACK_STATUS, "children"),
    Input(ids.PACK_GO, "n_clicks"),
    State(ids.URL, "search"),
    State(ids.URL, "href"),
    State(ids.DL_CHART, "value"),
    State(ids.DL_TITLE, "value"),
    State(ids.DL_NOTE, "value"),
    background=True,
    running=[
        (Output(ids.PACK_GO, "disabled"), True, False),
        (Output(ids.PACK_PROGRESS, "hidden"), False, True),
    ],
    progress=[Output(ids.PACK_PROGRESS, "value"), Output(ids.PACK_PROGRESS, "max")],
    progress_default=["0", "1"],
    prevent_initial_call=True,
)
@guarded
def download_pack(
    set_progress: Any,
    n_clicks: int | None,
    search: str | None,
    href: str | None,
    chart: str | None,
    title: str | None,
    note: str | None,
) -> tuple:
    state, ds = view(search)
    if ds.gone:
        return no_update, _message(ValueError(t(f"gone_short_{ds.gone}", state.lang)), state.lang)

    def report(done: int, total: int, label: str) -> None:
        set_progress([str(done), str(total)])

    try:
        edits = report_pack.Edits(title or "", note or "", chart or ids.MAP)
        # ``href`` is the address the browser shows: the CITATION's URL is absolute
        result = report_pack.write_pack(ds, state, None, href, progress=report, edits=edits)
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        return no_update, _message(exc, state.lang)
    name = report_pack.pack_name(ds, state)
    size = f"{len(result.data) / 1e6:.1f} MB"
    return dcc.send_bytes(result.data, name), f"{name} · {size}"


clientside_callback(
    """
    function(n) {
        const body = document.body;
        // Text inside the charts grows with the page's (presentation mode is for a room).
        const fonts = function(on) {
            document.querySelectorAll('.js-plotly-plot').forEach(function(gd) {
                if (window.Plotly && gd.layout) {
                    window.Plotly.relayout(gd, {
                        'font.size': on ? 16 : 12,
                        'title.font.size': on ? 22 : 16,
                        'title.subtitle.font.size': on ? 15 : 12,
                    });
                }
            });
        };
        if (!window.__presentingKeys) {
            window.__presentingKeys = true;
            document.addEventListener('keydown', function(e) {
                if (e.key === 'Escape' && body.classList.contains('presenting')) {
                    body.classList.remove('presenting');
                    fonts(false);
                    window.dispatchEvent(new Event('resize'));
                }
            });
        }
        if (!n) { return window.dash_clientside.no_update; }
        const on = body.classList.toggle('presenting');
        fonts(on);
        window.setTimeout(function() { window.dispatchEvent(new Event('resize')); }, 50);
        return on ? 'button present-toggle on' : 'button present-toggle';
    }
    """,
    Output(ids.PRESENT_TOGGLE, "className"),
    Input(ids.PRESENT_TOGGLE, "n_clicks"),
)
