"""The filtered policies as a spreadsheet: a tidy frame, safe CSV bytes and typed XLSX bytes (pure).

Safe for spreadsheets:
- CSV is UTF-8 with a byte-order mark, so Excel shows Chinese without an import dialog.
- A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is neutralised
  with a leading apostrophe (OWASP's CSV-injection rule): no formula runs when the file opens.
  Numbers stay numbers (a negative amount is a number, not text).
- XLSX: dates are real dates (shown at their stated precision: 2020, 2020-04, 2020-04-08), amounts
  are numbers, and every text cell is stored as a string (never as a formula), with Excel's quote
  prefix on the risky ones.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from data import schema
from data.columns import own_header, passthrough

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "quarter": "yyyy-mm", "year": "yyyy"}

#: Columns of the export, in order. Codes are kept next to readable labels so a reader can filter
#: either way; ``source`` (the citation of each row) is always there.
COLUMNS: tuple[str, ...] = (
    "policy_id",
    "date",
    "date_start",
    "date_precision",
    "title_zh",
    "title_en",
    "issuer_zh",
    "issuer_en",
    "level",
    "level_label",
    "province_zh",
    "city_zh",
    "district_zh",
    "province_adcode",
    "city_adcode",
    "district_adcode",
    "placed",
    "policy_type",
    "policy_type_label",
    "stance",
    "stance_label",
    "incentives",
    "incentives_label",
    "amount_cny",
    "sectors",
    "summary_en",
    "source",
    "is_work_report",
    "date_raw",
    "row",
)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _join(values: object, sep: str = ";") -> str:
    if isinstance(values, str):
        return values
    if values is None or not isinstance(values, Iterable):
        return ""
    return sep.join(str(v) for v in values)


def _date_text(date: object, precision: object) -> str:
    return schema.format_date(date, precision)


def export_frame(rows: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The canonical rows (``data.query.selected_rows``) as a tidy export frame (``COLUMNS``).

    ``date`` is the ISO date at its stated precision (text), ``date_start`` the first day of that
    period (a ``datetime64`` column, NaT when unknown); labels are in ``lang``."""

    def col(name: str) -> pd.Series:
        if name in rows:
            return rows[name]
        return pd.Series([None] * len(rows), index=rows.index, dtype=object)

    def labels(name: str, vocab: dict) -> list[str]:
        return [schema.label(vocab, v, lang) if _text(v) else "" for v in col(name)]

    dates = pd.to_datetime(col("date"), errors="coerce")
    out = pd.DataFrame(
        {
            "policy_id": [_text(v) for v in col("policy_id")],
            "date": [_date_text(d, p) for d, p in zip(dates, col("date_precision"), strict=True)],
            "date_start": dates.dt.normalize().to_numpy(),
            "date_precision": [_text(v) for v in col("date_precision")],
            "title_zh": [_text(v) for v in col("title_zh")],
            "title_en": [_text(v) for v in col("title_en")],
            "issuer_zh": [_text(v) for v in col("issuer_zh")],
            "issuer_en": [_text(v) for v in col("issuer_en")],
            "level": [_text(v) for v in col("level")],
            "level_label": labels("level", schema.LEVELS),
            "province_zh": [_text(v) for v in col("province_zh")],
            "city_zh": [_text(v) for v in col("city_zh")],
            "district_zh": [_text(v) for v in col("district_zh")],
            "province_adcode": [_text(v) for v in col("province_adcode")],
            "city_adcode": [_text(v) for v in col("city_adcode")],
            "district_adcode": [_text(v) for v in col("district_adcode")],
            "placed": [_text(v) for v in col("placed")],
            "policy_type": [_text(v) for v in col("policy_type")],
            "policy_type_label": labels("policy_type", schema.POLICY_TYPES),
            "stance": [_text(v) for v in col("stance")],
            "stance_label": labels("stance", schema.STANCES),
            "incentives": [_join(v) for v in col("incentives")],
            "incentives_label": [
                ("、" if lang == "zh" else "; ").join(
                    schema.label(schema.INCENTIVES, c, lang) for c in (v or ())
                )
                if not isinstance(v, str)
                else v
                for v in col("incentives")
            ],
            "amount_cny": pd.to_numeric(col("amount_cny"), errors="coerce").astype("float64"),
            "sectors": [_join(v) for v in col("sectors")],
            "summary_en": [_text(v) for v in col("summary_en")],
            "source": [_text(v) for v in col("source")],
            "is_work_report": [bool(v) if not pd.isna(v) else False for v in col("is_work_report")],
            "date_raw": [_text(v) for v in col("date_raw")],
            "row": pd.to_numeric(col("row"), errors="coerce").astype("Int64"),
        },
        columns=list(COLUMNS),
    )
    for name in passthrough(rows):  # the user's own columns, under their own headers
        own = own_header(name)
        header = own if own not in out.columns else f"input_{own}"
        out[header] = [_text(v) for v in rows[name]]
    return out.reset_index(drop=True)


def neutralise(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(RISKY_STARTS) else value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with BOM; risky text cells neutralised; dates ISO; numbers plain."""
    safe = frame.copy()
    for name in safe.columns:
        s = safe[name]
        if pd.api.types.is_datetime64_any_dtype(s):
            safe[name] = ["" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d") for v in s]
        elif pd.api.types.is_bool_dtype(s):
            safe[name] = ["true" if v else "false" for v in s]
        elif pd.api.types.is_numeric_dtype(s):
            continue  # numbers (also negative ones) stay numbers
        else:
            safe[name] = [neutralise(_text(v)) for v in s]
    text = safe.to_csv(index=False, lineterminator="\r\n", float_format="%.15g")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(
    frame: pd.DataFrame, precision: Iterable[str] | None = None, sheet: str = "policies"
) -> bytes:
    """An XLSX workbook: typed dates (``date`` and ``date_start`` as dates, ``date`` shown at its
    precision), numbers as numbers, every text cell a string (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    columns = list(frame.columns)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    precisions = (
        list(precision)
        if precision is not None
        else list(frame["date_precision"])
        if "date_precision" in frame
        else [""] * len(frame)
    )
    starts = frame.get("date_start", None)
    for i, record in enumerate(frame.itertuples(index=False)):
        r = i + 2
        for j, (name, value) in enumerate(zip(columns, record, strict=True)):
            cell = ws.cell(row=r, column=j + 1)
            if name == "date" and starts is not None:
                start = starts.iloc[i]
                if start is not None and not pd.isna(start):
                    cell.value = pd.Timestamp(start).to_pydatetime()
                    cell.number_format = XLSX_DATE_FORMATS.get(precisions[i], "yyyy-mm-dd")
                continue
            if isinstance(value, pd.Timestamp | np.datetime64):
                if not pd.isna(value):
                    cell.value = pd.Timestamp(value).to_pydatetime()
                    cell.number_format = "yyyy-mm-dd"
                continue
            if value is None or value is pd.NA:
                continue
            if isinstance(value, bool | np.bool_):
                cell.value = bool(value)
            elif isinstance(value, int | float | np.integer | np.floating):
                if isinstance(value, float | np.floating) and math.isnan(value):
                    continue
                cell.value = value.item() if hasattr(value, "item") else value
                if name == "amount_cny":
                    cell.number_format = "#,##0"
            else:
                text = str(value)
                if not text:
                    continue
                cell.value = text
                cell.data_type = "s"  # openpyxl would store "=..." as a formula
                if text.startswith(RISKY_STARTS):
                    cell.quotePrefix = True
    widths = {"title_zh": 40, "title_en": 50, "summary_en": 60, "source": 40, "issuer_zh": 24}
    for j, name in enumerate(columns):
        ws.column_dimensions[get_column_letter(j + 1)].width = widths.get(name, 14)
    ws.freeze_panes = "B2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
