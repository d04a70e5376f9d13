"""Reconciling unplaced names in the page: one row per name no rule could place (how many rows,
which column, the lines), a dropdown of candidates that also searches the gazetteer, and one
button that reads the table again with the choices (``data.uploads.Uploads.with_aliases``). The
choices the table was read with are listed with their CSV (for ``--aliases FILE``)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from geodata.resolver import place_label
from layouts import ids
from layouts.bilingual import L
from layouts.i18n import t

MAX_SHOWN = 30  # names listed here (the check report lists every problem)


def section() -> html.Details:
    """The section's frame (filled by ``content`` when a table is shown): closed by default, so
    that nothing pushes the map out of the first screen; its summary counts the names."""
    return html.Details(
        [
            html.Summary(id=ids.RECONCILE_SUMMARY, className="reconcile-title"),
            html.P(L("reconcile_hint"), className="reconcile-hint"),
            dcc.Store(id=ids.RECONCILE_NAMES, data=[]),
            html.Div(id=ids.RECONCILE_LIST, className="reconcile-list"),
            html.Div(
                [
                    html.Button(L("reconcile_apply"), id=ids.RECONCILE_APPLY, className="button"),
                    html.Span(id=ids.RECONCILE_STATUS, role="status", className="reconcile-status"),
                ],
                className="reconcile-actions",
            ),
            html.Div(
                [
                    html.Span(id=ids.RECONCILE_APPLIED_TEXT),
                    " ",
                    html.A(
                        L("reconcile_csv"),
                        id=ids.RECONCILE_CSV,
                        href="",
                        download="aliases.csv",
                        className="button",
                    ),
                    " ",
                    html.Button(
                        L("reconcile_clear"), id=ids.RECONCILE_CLEAR, className="link-button"
                    ),
                ],
                id=ids.RECONCILE_APPLIED,
                className="reconcile-applied",
                hidden=True,
            ),
        ],
        id=ids.RECONCILE,
        className="card reconcile",
        hidden=True,
    )


def _row(i: int, group: dict[str, Any], lang: str) -> html.Div:
    lines = ", ".join(str(n) for n in group.get("lines", [])[:8])
    more = "…" if len(group.get("lines", [])) > 8 else ""
    options = [{"label": label, "value": code} for code, label in group.get("candidates", [])]
    rows_key = "reconcile_row" if group["rows"] == 1 else "reconcile_rows"
    return html.Div(
        [
            html.Div(
                [
                    html.Strong(group["value"], className="reconcile-name"),
                    html.Span(f"— {t(rows_key, lang, n=group['rows'])}"),
                    html.Span(
                        t("reconcile_where", lang, field=group["field"], lines=lines + more),
                        className="reconcile-where",
                    ),
                ],
                className="reconcile-label",
            ),
            dcc.Dropdown(
                id={"type": ids.RECONCILE_PICK, "index": i},
                options=options,
                placeholder=t("reconcile_pick", lang),
                searchable=True,
                clearable=True,
                className="reconcile-pick",
            ),
        ],
        className="reconcile-row",
    )


def content(
    groups: tuple[dict[str, Any], ...] | list[dict[str, Any]],
    aliases: list[tuple[str, str]],
    table_id: str,
    lang: str,
) -> dict[str, Any]:
    """The section for one table: ``reconcile_*`` outputs of ``callbacks.upload.PANEL``."""
    shown = list(groups)[:MAX_SHOWN]
    rows: list[Any] = [_row(i, g, lang) for i, g in enumerate(shown)]
    if len(groups) > MAX_SHOWN:
        rows.append(html.P(t("reconcile_more", lang, n=len(groups) - MAX_SHOWN)))
    names = [{"name": g["value"], "field": g["field"], "candidates": g.get("candidates", [])}
             for g in shown]  # fmt: skip
    summary = t("reconcile_summary", lang, n=len(groups)) if groups else t("reconcile", lang)
    return {
        "reconcile_summary": summary,
        "reconcile_hidden": not shown and not aliases,
        "reconcile_list": rows,
        "reconcile_names": names,
        "reconcile_applied_hidden": not aliases,
        "reconcile_applied_text": t("reconcile_applied", lang, n=len(aliases)) if aliases else "",
        "reconcile_csv": f"upload/{table_id}/aliases.csv" if aliases else "",
        "reconcile_status": "",
        "reconcile_apply_hidden": not shown,
    }


def empty() -> dict[str, Any]:
    return {
        "reconcile_summary": "", "reconcile_hidden": True, "reconcile_list": [],
        "reconcile_names": [],
        "reconcile_applied_hidden": True, "reconcile_applied_text": "", "reconcile_csv": "",
        "reconcile_status": "", "reconcile_apply_hidden": True,
    }  # fmt: skip


def search_options(
    candidates: list[list[str]], found: list[tuple[str, str]], value: str | None
) -> list[dict[str, str]]:
    """A dropdown's options: its candidates, then what the search found (the picked one kept)."""
    out = {code: label for code, label in candidates}
    for code, label in found:
        out.setdefault(code, label)
    if value and value not in out:  # picked from an earlier search: still named, not a code
        out[value] = place_label(value) or value
    return [{"label": label, "value": code} for code, label in out.items()]
