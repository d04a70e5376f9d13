"""Your own table: the upload card, the banner that stays until dismissed, the check report.

The file goes up by ``assets/upload.js`` (an XMLHttpRequest to the ``upload`` route, with
progress), never through a Dash callback; links are relative so the app works under a URL prefix.
"""

from __future__ import annotations

import json
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from layouts import ids
from layouts.i18n import CATALOGUES, t

ACCEPT = ".csv,.tsv,.txt,.xlsx,.parquet"


def _both(key: str, **fmt: object) -> list[html.Span]:
    return [
        html.Span(t(key, "zh", **fmt), className="l-zh"),
        html.Span(t(key, "en", **fmt), className="l-en"),
    ]


def _templates() -> html.Span:
    links = []
    for lang in ("zh", "en"):
        for ext in ("csv", "xlsx"):
            links.append(
                html.A(
                    [*_both(f"upload_template_{lang}"), f" .{ext}"],
                    href=f"upload/template.{ext}?lang={lang}",
                    download=f"policy-atlas-template-{lang}.{ext}",
                    className="template-link",
                )
            )
    return html.Span([*_both("upload_template"), *links], className="upload-templates")


def _script_strings() -> dict[str, str]:
    """The messages ``assets/upload.js`` shows, from the catalogues (``data-msg-zh``/``-en``)."""
    return {
        f"data-msg-{lang}": json.dumps(
            {k[3:]: v for k, v in cat.items() if k.startswith("js_")}, ensure_ascii=False
        )
        for lang, cat in CATALOGUES.items()
    }


def _data_attributes(max_mb: int) -> Any:
    """``data-*`` attributes of the drop zone (Dash's stubs do not type them)."""
    return {"data-accept": ACCEPT, "data-max-mb": str(max_mb), **_script_strings()}


def upload_card(max_mb: int) -> html.Details:
    """The upload card: a drop zone with a file picker, progress, messages, the mapping step."""
    return html.Details(
        [
            html.Summary(_both("upload")),
            # assets/upload.js adds the <input type=file> (Dash has no file input but dcc.Upload,
            # which sends the file base64 through a callback: no progress, a third larger).
            html.Div(
                html.Span(_both("upload_hint", mb=max_mb)),
                id=ids.UPLOAD_DROP,
                className="upload-drop",
                role="button",
                tabIndex="0",
                **_data_attributes(max_mb),
            ),
            dcc.Checklist(
                id=ids.UPLOAD_GCJ02,
                options=[{"label": _both("upload_gcj02"), "value": "gcj02"}],
                value=[],
                className="upload-gcj02",
            ),
            html.Progress(id=ids.UPLOAD_PROGRESS, max="100", value="0", hidden=True),
            html.Div(id=ids.UPLOAD_STATUS, className="upload-status", role="status"),
            html.Div(id=ids.UPLOAD_MAPPING, className="upload-mapping"),
            _templates(),
            html.P(_both("upload_private"), className="upload-private"),
        ],
        id=ids.UPLOAD_CARD,
        className="card upload-card",
    )


def report_panel() -> html.Div:
    """The banner (problems, rows not placed or undated) and the check report below it."""
    return html.Div(
        [
            dcc.Store(id=ids.UPLOAD_DISMISSED, storage_type="session", data=[]),
            html.Div(
                [
                    html.Span(id=ids.UPLOAD_TABLE),
                    html.Button(
                        _both("upload_remove"),
                        id=ids.UPLOAD_REMOVE,
                        className="link-button",
                        hidden=True,
                    ),  # fmt: skip
                ],
                className="upload-table",
            ),
            html.Div(
                [
                    html.Span(id=ids.UPLOAD_BANNER),
                    html.Button(
                        _both("upload_dismiss"), id=ids.UPLOAD_DISMISS, className="link-button"
                    ),  # fmt: skip
                ],
                id=ids.UPLOAD_BANNER_BOX,
                className="upload-banner",
                role="status",
                hidden=True,
            ),
            html.Details(
                [
                    html.Summary(id=ids.UPLOAD_PROBLEMS_TITLE),
                    html.Div(
                        [
                            html.A(
                                _both("upload_problems_csv"),
                                id=ids.UPLOAD_PROBLEMS_CSV,
                                href="",
                                className="button",
                            ),
                        ],
                        className="upload-actions",
                    ),
                    dag.AgGrid(
                        id=ids.UPLOAD_PROBLEMS_GRID,
                        rowData=[],
                        columnDefs=[],
                        defaultColDef={"sortable": True, "filter": True, "resizable": True},
                        dashGridOptions={"animateRows": False},
                        style={"height": "360px"},
                        className="ag-theme-quartz",
                    ),
                ],
                id=ids.UPLOAD_PROBLEMS,
                className="card upload-problems",
                hidden=True,
            ),
        ]
    )


def problem_columns(lang: str) -> list[dict]:
    return [
        {"field": "row", "headerName": t("col_line", lang), "width": 110, "sort": "asc"},
        {"field": "field", "headerName": t("col_field", lang), "width": 140},
        {"field": "value", "headerName": t("col_value", lang), "width": 220},
        {"field": "reason", "headerName": t("col_reason", lang), "flex": 1},
        {"field": "suggestion", "headerName": t("col_suggestion", lang), "width": 160},
        {"field": "severity", "headerName": t("col_severity", lang), "width": 100},
    ]


def _see(text: str) -> html.A:
    return html.A(text, href="#" + ids.UPLOAD_PROBLEMS, className="upload-see")


def banner(meta: dict, lang: str) -> list:
    """The banner's text: rows with problems, not placed, undated (links to the report)."""
    rows_with = len({p["row"] for p in meta.get("problems", ())})
    if not rows_with and not meta.get("unplaced") and not meta.get("undated"):
        text: list = [t("upload_banner_ok", lang)]
    else:
        text = [_see(t("upload_banner", lang, n=rows_with))]
        for key in ("unplaced", "undated"):
            if meta.get(key):
                text += [" · ", _see(t(f"upload_{key}", lang, n=meta[key]))]
    return text


def gone(lang: str, bundled_href: str) -> list:
    return [
        html.Span(t("upload_gone", lang) + " "),
        dcc.Link(t("upload_open_bundled", lang), href=bundled_href, className="upload-bundled"),
    ]
