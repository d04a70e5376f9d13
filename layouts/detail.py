"""The detail panel of one policy (a click or Enter on a grid row): every field, the titles and
the summary in full, the source as a link, the row's problems if any."""

from __future__ import annotations

from typing import Any

from dash import html

from data.details import INPUT
from layouts import ids
from layouts.i18n import t

#: field of ``data.details.FIELDS`` -> its label's catalogue key
LABELS: dict[str, str] = {
    "title_zh": "col_title_zh", "title_en": "col_title_en", "date": "col_date",
    "place": "col_place", "level": "col_level", "issuer": "col_issuer", "type": "col_type",
    "stance": "col_stance", "incentives": "col_incentives", "sectors": "col_sectors",
    "amount": "col_amount", "work_report": "col_work_report", "summary": "col_summary",
    "source": "col_source", "placed": "col_status", "problems": "col_problems",
}  # fmt: skip


def _value(field: str, text: str, lang: str) -> Any:
    if field == "source" and text.startswith(("http://", "https://")):
        return html.A(text, href=text, target="_blank", rel="noopener noreferrer")
    if field == "work_report":
        return t("yes", lang)
    if field == "problems":
        return html.Ul([html.Li(p.strip()) for p in text.split(";") if p.strip()])
    return text


def detail_panel(fields: dict[str, str], lang: str) -> list[Any]:
    """The panel's body for one policy's fields (``data.details.policy_details``); its Close
    button is part of the page (``layouts.page``)."""
    if not fields:
        return []
    title = fields["title_zh" if lang == "zh" else "title_en"] or fields["title_zh"]
    rows: list[Any] = []
    for field, text in fields.items():
        if not text:
            continue
        label = t(LABELS[field], lang) if field in LABELS else field.removeprefix(INPUT)
        rows += [html.Dt(label), html.Dd(_value(field, text, lang))]
    return [html.H3(title, id=ids.DETAIL_TITLE), html.Dl(rows, className="detail-fields")]
