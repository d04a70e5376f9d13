"""One policy's every field, as display text in one language (the grid's detail panel).

Pure: the dataset's frame and a row number in, an ordered mapping of field to text out. The grid
shows a line per policy; the panel shows everything, titles and summary in full.
"""

from __future__ import annotations

import pandas as pd

from data import schema
from data.columns import own_header, passthrough
from data.table import NameOf, display_frame

#: The fields the panel lists, in order (the grid's display columns and the full texts).
FIELDS: tuple[str, ...] = (
    "title_zh", "title_en", "date", "place", "level", "issuer", "type", "stance",
    "incentives", "sectors", "amount", "work_report", "summary", "source", "placed", "problems",
)  # fmt: skip


#: key prefix of a passed-through input column in ``policy_details`` ("input:notes")
INPUT = "input:"


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def policy_details(frame: pd.DataFrame, row: int, lang: str, name_of: NameOf) -> dict[str, str]:
    """Every field of the policy on spreadsheet line ``row`` (empty when there is no such row)."""
    one = frame.loc[frame["row"] == row]
    if one.empty:
        return {}
    shown = display_frame(one, lang, name_of).iloc[0]
    raw = one.iloc[0]
    sectors = raw["sectors"] if isinstance(raw["sectors"], list | tuple) else ()
    amount = shown["amount"]
    summary_own = _text(raw.get("summary_zh") if lang == "zh" else raw.get("summary_en"))
    out = {
        "title_zh": _text(raw["title_zh"]),
        "title_en": _text(raw["title_en"]),
        "date": _text(shown["date"]),
        "place": _text(shown["place"]),
        "level": _text(shown["level"]),
        "issuer": _text(shown["issuer"]),
        "type": _text(shown["type"]),
        "stance": _text(shown["stance"]),
        "incentives": _text(shown["incentives"]),
        "sectors": "、".join(schema.label(schema.SECTORS, c, lang) for c in sectors),
        "amount": "" if pd.isna(amount) else f"{amount:,.0f}",
        "work_report": "yes" if bool(raw["is_work_report"]) else "",
        "summary": summary_own or _text(raw.get("summary_en")) or _text(raw.get("summary_zh")),
        "source": _text(raw["source"]),
        "placed": _text(shown["placed"]),
        "problems": _text(raw.get("problems")),
    }
    fields = {k: out[k] for k in FIELDS}
    for name in passthrough(frame):  # the user's own columns, under their own headers
        fields[INPUT + own_header(name)] = _text(raw[name])
    return fields
