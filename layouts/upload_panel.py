"""Your own table: the upload card, the banner that stays until dismissed, the check report.

The file goes up by ``assets/upload.js`` (an XMLHttpRequest to the ``upload`` route, with
progress), never through a Dash callback; links are relative so the app works under a URL prefix.
"""

from __future__ import annotations

import json
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from data.check import GROUPS, CheckReport
from layouts import ids, reconcile_panel
from layouts.bilingual import L
from layouts.i18n import CATALOGUES, t

ACCEPT = ".csv,.tsv,.txt,.xlsx,.parquet"


def _templates() -> html.Span:
    links = []
    for lang in ("zh", "en"):
        for ext in ("csv", "xlsx"):
            links.append(
                html.A(
                    [*L(f"upload_template_{lang}"), f" .{ext}"],
                    href=f"upload/template.{ext}?lang={lang}",
                    download=f"policy-atlas-template-{lang}.{ext}",
                    className="template-link",
                )
            )
    return html.Span([*L("upload_template"), *links], className="upload-templates")


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
            html.Summary(L("upload")),
            # assets/upload.js adds the <input type=file> (Dash has no file input but dcc.Upload,
            # which sends the file base64 through a callback: no progress, a third larger).
            html.Div(
                html.Span(L("upload_hint", mb=max_mb)),
                id=ids.UPLOAD_DROP,
                className="upload-drop",
                role="button",
                tabIndex="0",
                **_data_attributes(max_mb),
            ),
            dcc.Checklist(
                id=ids.UPLOAD_GCJ02,
                options=[{"label": L("upload_gcj02"), "value": "gcj02"}],
                value=[],
                className="upload-gcj02",
            ),
            html.Progress(id=ids.UPLOAD_PROGRESS, max="100", value="0", hidden=True),
            html.Div(id=ids.UPLOAD_STATUS, className="upload-status", role="status"),
            # the parse as a job (callbacks/upload.parse_job): its progress, a way to stop it.
            # No ``data=None``: a memory store given null sets it again at mount (its backstore
            # holds undefined), which fires the job's callback on every page load.
            dcc.Store(id=ids.UPLOAD_JOB),
            dcc.Store(id=ids.UPLOAD_JOB_END),
            dcc.Store(id=ids.UPLOAD_OWNER, storage_type="local"),
            html.Div(id=ids.UPLOAD_JOB_STATUS, className="upload-status", role="status"),
            html.Button(
                L("upload_job_cancel"), id=ids.UPLOAD_CANCEL, className="link-button", hidden=True
            ),
            html.Div(id=ids.UPLOAD_MAPPING, className="upload-mapping"),
            _templates(),
            html.P(L("upload_private"), className="upload-private"),
        ],
        id=ids.UPLOAD_CARD,
        className="card upload-card",
    )


def report_panel() -> html.Div:
    """The banner (problems, rows not placed or undated) and the check report below it."""
    return html.Div(
        [
            dcc.Store(id=ids.UPLOAD_DISMISSED, storage_type="session", data=[]),
            dcc.Store(id=ids.UPLOAD_GROUP, data=None),
            html.Div(
                [
                    html.Span(id=ids.UPLOAD_TABLE),
                    html.Button(
                        L("upload_remove"),
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
                        L("upload_dismiss"), id=ids.UPLOAD_DISMISS, className="link-button"
                    ),  # fmt: skip
                ],
                id=ids.UPLOAD_BANNER_BOX,
                className="upload-banner",
                role="status",
                hidden=True,
            ),
            reconcile_panel.section(),
            html.Details(
                id=ids.UPLOAD_COLUMNS, className="card column-panel", open=True, hidden=True
            ),
            html.Details(
                [
                    html.Summary(id=ids.UPLOAD_PROBLEMS_TITLE),
                    html.Div(
                        [
                            html.Span(id=ids.UPLOAD_FILTER_NOTE),
                            html.Button(
                                L("upload_show_all"),
                                id=ids.UPLOAD_SHOW_ALL,
                                className="link-button",
                            ),
                        ],
                        id=ids.UPLOAD_FILTER_BOX,
                        className="upload-filter",
                        role="status",
                        hidden=True,
                    ),
                    html.Div(
                        [
                            html.A(
                                L("upload_problems_csv"),
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


def _see(text: str, group: str) -> html.A:
    """A link to the check report; ``assets/upload.js`` opens it, and the report shows only
    ``group``'s rows ("unplaced", "undated"; "all": every problem)."""
    return html.A(
        text,
        id={"type": ids.UPLOAD_SEE, "group": group},
        href="#" + ids.UPLOAD_PROBLEMS,
        className="upload-see",
    )


def banner(report: CheckReport, lang: str) -> list:
    """The banner's text: rows with problems, not placed, undated (links to the report, the last
    two filtered to those rows)."""
    if not report.problems and not report.unplaced and not report.undated:
        return [t("upload_banner_ok", lang)]
    text: list = [_see(t("upload_banner", lang, n=report.rows_with_problems), "all")]
    for group in GROUPS:
        n = getattr(report, group)
        if n:
            text += [" · ", _see(t(f"upload_{group}", lang, n=n), group)]
    return text


def filter_note(report: CheckReport, group: str | None, lang: str) -> str:
    """What the report shows when filtered to a group of rows ("" when it shows every problem)."""
    if not report.filters(group):
        return ""
    return t(f"upload_only_{group}", lang, n=len(report.lines[str(group)]))


def gone(lang: str, bundled_href: str, why: str = "missing", days: int = 0) -> list:
    """The table a link names is gone (``why``: "removed", "expired", "missing"): say so; the
    default table is one click away, never shown in its place."""
    return [
        html.Span(t(f"gone_{why}", lang, days=days) + " ", className=f"upload-gone gone-{why}"),
        dcc.Link(t("upload_open_bundled", lang), href=bundled_href, className="upload-bundled"),
    ]


def unreachable(lang: str, link_href: str, bundled_href: str) -> list:
    """The store did not answer: the table may exist, so say only that it cannot be reached now;
    "try again" reloads the link, and the default table is one click away."""
    return [
        html.Span(t("upload_unreachable", lang) + " "),
        html.A(t("upload_retry", lang), href=link_href, className="upload-retry"),
        " · ",
        dcc.Link(t("upload_open_bundled", lang), href=bundled_href, className="upload-bundled"),
    ]


# --- the column panel (w/roles): each column's role and why, changeable; applies at once -------
#: the roles a column can be given, in the dropdown's order ("" = not used, kept as it is)
ROLES = (
    "", "title", "date", "province", "city", "district", "place", "issuer", "policy_type",
    "stance", "incentives", "amount", "sectors", "summary", "source", "policy_id", "level",
    "lon", "lat",
)  # fmt: skip
DATE_ORDERS = ("", "mdy", "dmy", "ymd")


def _attributes(values: dict[str, str]) -> Any:
    """``data-*`` / ``aria-*`` attributes (Dash's stubs do not type them)."""
    return values


def _role_select(column: str, role: str, lang: str) -> html.Select:
    options = [
        html.Option(t(f"role_{r or 'none'}", lang), value=r, selected=r == role) for r in ROLES
    ]
    return html.Select(
        options,
        className="role-select",
        title=column,
        **_attributes(
            {
                "data-column": column,
                "data-initial": role,
                "aria-label": t("colpanel_role_of", lang, column=column),
            }
        ),  # fmt: skip
    )


def _choices(options: dict, lang: str) -> html.Div:
    """Date order, the whole-province marker and the topic: each applies when changed."""
    order = options.get("date_order") or ""
    return html.Div(
        [
            html.Label(
                [
                    t("colpanel_date_order", lang) + " ",
                    html.Select(
                        [
                            html.Option(
                                t(f"order_{o or 'infer'}", lang), value=o, selected=o == order
                            )
                            for o in DATE_ORDERS
                        ],  # fmt: skip
                        name="date_order",
                        **_attributes({"data-initial": order}),
                    ),
                ]
            ),
            html.Label(
                [
                    t("colpanel_whole", lang) + " ",
                    dcc.Input(
                        type="text",
                        name="whole_marker",
                        value=options.get("whole_marker") or "",
                        placeholder="All / 全省",
                        maxLength=200,
                        style={"width": "9em"},
                    ),  # fmt: skip
                ]
            ),
            html.Label(
                [
                    t("colpanel_topic", lang) + " ",
                    dcc.Input(
                        type="text",
                        name="topic",
                        value=options.get("topic") or "",
                        placeholder=t("colpanel_topic_hint", lang),
                        maxLength=200,
                        style={"width": "14em"},
                    ),
                ]
            ),  # fmt: skip
        ],
        className="colpanel-choices",
    )


def column_panel(meta: dict, lang: str) -> list:
    """The column panel of a stored table (``meta``: its record): one screen, a column each —
    its header, the role the loader gave it (a dropdown), why, and the first rows as written.
    ``assets/upload.js`` sends every change at once (``upload/<id>/reread``)."""
    roles = [r for r in meta.get("roles", []) if isinstance(r, dict)]
    preview = meta.get("preview") or []
    options = meta.get("options") or {}
    head = html.Tr([html.Th(r["column"], scope="col") for r in roles])
    picks = html.Tr([html.Td(_role_select(r["column"], r.get("field", ""), lang)) for r in roles])
    why = html.Tr([html.Td(r.get("reason", ""), className="role-why") for r in roles])
    body = [html.Tr([html.Td(str(v)) for v in row[: len(roles)]]) for row in preview]
    return [
        html.Summary(t("colpanel_title", lang)),
        html.P(t("colpanel_hint", lang), className="colpanel-hint"),
        _choices(options, lang),
        html.Div(className="colpanel-status", role="status"),
        html.Div(
            html.Table(
                [html.Thead([head, picks, why]), html.Tbody(body)], className="colpanel-table"
            ),  # fmt: skip
            className="colpanel-scroll",
            tabIndex="0",
        ),
    ]


# --- w/jobs: the parse job's progress (callbacks/upload.parse_job) ---------------------------
def job_progress(report: dict | None, seconds: float) -> list:
    """What the page shows while an upload is parsed: the stage and rows read so far
    (``data.progress``), the file's size and the time taken, in both languages."""
    if not report:
        return [*L("upload_job_waiting", s=f"{seconds:.0f}"), html.Progress(className="job")]
    stage = str(report.get("stage", "reading"))
    rows = f"{int(report.get('rows', 0)):,}"
    mb = f"{int(report.get('bytes', 0)) / 1048576:.1f}"
    words = L(f"upload_job_{stage}", rows=rows, mb=mb, s=f"{seconds:.0f}")
    return [*words, html.Progress(className="job")]  # indeterminate: rows to come are unknown
