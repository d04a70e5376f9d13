"""The download menu (one chart or the whole view, as PNG/SVG/PDF at print sizes; the report pack)
and the presentation-mode toggle. Component trees only; ``callbacks.exports`` wires them."""

from __future__ import annotations

from collections.abc import Mapping

from dash import dcc, html

from layouts import ids
from layouts.charts import CHARTS, SEQUENCES, SIZES, VIEW, Chart
from layouts.exports.formats import FORMATS
from layouts.i18n import t


def _both(zh: str, en: str) -> list[html.Span]:
    return [html.Span(zh, className="l-zh"), html.Span(en, className="l-en")]


def _format_options() -> list[dict]:
    """Images, the chart as offline HTML, and the data behind it (CSV; the map as GIS files): the
    export format registry (``layouts.exports.formats``), in its order."""
    return [
        {
            "label": f.label.en if f.label.en == f.label.zh else _both(f.label.zh, f.label.en),
            "value": f.ext,
        }
        for f in FORMATS
    ]


def _size_options() -> list[dict]:
    """The print sizes (``SIZES``), named in the page's language."""
    sizes = [SIZES[k] for k in ("a4", "16x9")]
    return [{"label": _both(s.label_zh or s.label, s.label), "value": s.key} for s in sizes]


def _edit_fields() -> list:
    """The title (the generated one as placeholder) and a note, carried into the export."""
    return [
        _label(t("dl_title", "zh"), t("dl_title", "en"), ids.DL_TITLE),
        dcc.Input(id=ids.DL_TITLE, type="text", maxLength=200, className="dl-text"),
        _label(t("dl_note", "zh"), t("dl_note", "en"), ids.DL_NOTE),
        dcc.Textarea(id=ids.DL_NOTE, maxLength=300, rows=2, className="dl-text"),
    ]


def _label(zh: str, en: str, control: str) -> html.Label:
    """A visible label that names ``control`` (``assets/a11y.js`` reads its id)."""
    return html.Label(_both(zh, en), id=ids.label_of(control), className="field-label")


def chart_options(charts: Mapping[str, Chart] = CHARTS) -> list[dict]:
    """The Download menu's choices: the whole view, each chart of the table (``charts_for``),
    the map through the periods."""
    return [
        {"label": _both(c.name.zh, c.name.en), "value": c.id, "search": f"{c.name.zh} {c.name.en}"}
        for c in (VIEW, *charts.values(), *SEQUENCES.values())
    ]


def export_menu() -> html.Details:
    """A drop-down panel in the header: what to download, in which format and size."""
    return html.Details(
        [
            html.Summary(_both("下载", "Download"), className="button"),
            html.Div(
                [
                    _label("图表", "Chart", ids.DL_CHART),
                    dcc.Dropdown(
                        id=ids.DL_CHART,
                        options=chart_options(),
                        value="map",
                        clearable=False,
                        searchable=False,
                    ),
                    _label("格式", "Format", ids.DL_FORMAT),
                    dcc.RadioItems(
                        id=ids.DL_FORMAT,
                        options=_format_options(),
                        value="png",
                        inline=True,
                        className="segmented",
                    ),
                    *_edit_fields(),
                    _label("尺寸", "Size", ids.DL_SIZE),
                    dcc.RadioItems(
                        id=ids.DL_SIZE,
                        options=_size_options(),
                        value="a4",
                        inline=True,
                        className="segmented small",
                    ),
                    html.Div(
                        [
                            html.Button(
                                _both("下载图表", "Download chart"),
                                id=ids.DL_GO,
                                className="button primary",
                            ),
                            html.Button(
                                _both("报告包（zip）", "Report pack (zip)"),
                                id=ids.PACK_GO,
                                className="button primary",
                                title=(
                                    "SVG + PNG of every chart, PDF, HTML, the data behind each "
                                    "chart (CSV, GeoPackage, GeoJSON), CSV + XLSX, CITATION.txt"
                                ),
                            ),
                        ],
                        className="export-buttons",
                    ),
                    html.Div(
                        _both("正在生成图像…", "Rendering…"),
                        id=ids.DL_BUSY,
                        className="note",
                        hidden=True,
                    ),
                    html.Div(id=ids.DL_STATUS, className="note", role="status"),
                    html.Progress(id=ids.PACK_PROGRESS, max="1", value="0", hidden=True),
                    html.Div(id=ids.PACK_STATUS, className="note", role="status"),
                    html.Div(id=ids.EXPORT_NOTICE, className="note warn", role="alert"),
                    *_data_links(),
                    dcc.Download(id=ids.DL_FILE),
                    dcc.Download(id=ids.PACK_FILE),
                ],
                className="export-panel",
            ),
        ],
        id=ids.EXPORT_MENU,
        className="export-menu",
    )


def _data_links() -> list:
    """Links to the view's data (the data API: docs/API.md) and the code to embed the chosen
    chart; their addresses follow the view in the browser (``callbacks.service.data_routes``)."""

    def link(zh: str, en: str, control: str) -> html.A:
        return html.A(_both(zh, en), id=control, href="data.csv", target="_blank", rel="noopener")

    return [
        html.Div(
            [
                html.Span(_both("数据链接：", "Data links:"), className="dl-links-label"),
                link("政策 CSV", "policies CSV", ids.DL_LINK_CSV),
                link("政策 JSON", "policies JSON", ids.DL_LINK_JSON),
                link("图表数据 CSV", "chart data CSV", ids.DL_LINK_CHART),
                link("图表 PNG", "chart PNG", ids.DL_LINK_PNG),
            ],
            className="dl-links note",
        ),
        _label("嵌入代码（iframe）", "Embed code (iframe)", ids.DL_EMBED_CODE),
        dcc.Textarea(id=ids.DL_EMBED_CODE, readOnly=True, rows=3, className="dl-text dl-code"),
    ]


def presentation_toggle() -> html.Button:
    """Toggles presentation mode (controls hidden, larger type, plain background); Esc leaves it."""
    return html.Button(
        _both("演示模式", "Presentation"),
        id=ids.PRESENT_TOGGLE,
        className="button present-toggle",
        title="Presentation mode / 演示模式 (Esc)",
    )
