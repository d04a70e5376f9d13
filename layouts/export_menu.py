"""The download menu (one chart or the whole view, as PNG/SVG/PDF at print sizes; the report pack)
and the presentation-mode toggle. Component trees only; ``callbacks.exports`` wires them."""

from __future__ import annotations

from dash import dcc, html

from layouts.figures import render
from layouts.report_pack import CHARTS

CHART_LABELS: dict[str, tuple[str, str]] = {
    "view": ("整个视图（PDF，每图一页）", "Whole view (PDF, one chart a page)"),
    "map": ("地图", "Map"),
    "timeline": ("发布时间", "Timeline"),
    "bd-incentive": ("按激励方式", "By incentive"),
    "bd-type": ("按政策类型", "By policy type"),
    "bd-level": ("按发布层级", "By issuing level"),
    "bd-stance": ("按政策取向", "By stance"),
}


def _both(zh: str, en: str) -> list[html.Span]:
    return [html.Span(zh, className="l-zh"), html.Span(en, className="l-en")]


def export_menu() -> html.Details:
    """A drop-down panel in the header: what to download, in which format and size."""
    chart_options = [
        {"label": _both(*CHART_LABELS[k]), "value": k, "search": " ".join(CHART_LABELS[k])}
        for k in ("view", *CHARTS)
    ]
    return html.Details(
        [
            html.Summary(_both("下载", "Download"), className="button"),
            html.Div(
                [
                    html.Label(_both("图表", "Chart"), className="field-label"),
                    dcc.Dropdown(
                        id="dl-chart",
                        options=chart_options,
                        value="map",
                        clearable=False,
                        searchable=False,
                    ),
                    html.Label(_both("格式", "Format"), className="field-label"),
                    dcc.RadioItems(
                        id="dl-format",
                        options=[
                            {"label": "PNG", "value": "png"},
                            {
                                "label": _both("SVG（文字可编辑）", "SVG (text as text)"),
                                "value": "svg",
                            },
                            {"label": "PDF", "value": "pdf"},
                        ],
                        value="png",
                        inline=True,
                        className="segmented",
                    ),
                    html.Label(_both("尺寸", "Size"), className="field-label"),
                    dcc.RadioItems(
                        id="dl-size",
                        options=[
                            {"label": render.SIZES[k].label, "value": k} for k in ("a4", "16x9")
                        ],
                        value="a4",
                        inline=True,
                        className="segmented small",
                    ),
                    html.Div(
                        [
                            html.Button(
                                _both("下载图表", "Download chart"),
                                id="dl-go",
                                className="button primary",
                            ),
                            html.Button(
                                _both("报告包（zip）", "Report pack (zip)"),
                                id="pack-go",
                                className="button primary",
                                title="SVG + PNG of every chart, PDF, CSV + XLSX, CITATION.txt",
                            ),
                        ],
                        className="export-buttons",
                    ),
                    html.Div(
                        _both("正在生成图像…", "Rendering…"),
                        id="dl-busy",
                        className="note",
                        hidden=True,
                    ),
                    html.Div(id="dl-status", className="note", role="status"),
                    html.Progress(id="pack-progress", max="1", value="0", hidden=True),
                    html.Div(id="pack-status", className="note", role="status"),
                    html.Div(id="export-notice", className="note warn", role="alert"),
                    dcc.Download(id="dl-file"),
                    dcc.Download(id="pack-file"),
                ],
                className="export-panel",
            ),
        ],
        id="export-menu",
        className="export-menu",
    )


def presentation_toggle() -> html.Button:
    """Toggles presentation mode (controls hidden, larger type, plain background); Esc leaves it."""
    return html.Button(
        _both("演示模式", "Presentation"),
        id="present-toggle",
        className="button present-toggle",
        title="Presentation mode / 演示模式 (Esc)",
    )
