"""File -> raw table of strings: format sniffing, encodings, delimiters, the header row.

`read_raw(path, sheet=None)` returns every cell as text exactly as the file holds it (Excel dates as
ISO dates, whole numbers without ".0"), with `lines` giving each row's line number as a spreadsheet
shows it (header = line 1 when the header is the first line). Raises `ReadError` with one clear line
when the file cannot be used as a table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_HEADER_SCAN = 10  # rows searched for the header (title lines above it are skipped)


class ReadError(Exception):
    """The file cannot be used as a table; the message is one line for the user."""


@dataclass
class RawTable:
    frame: pd.DataFrame  # all columns str dtype, "" for empty cells; column names as in the file
    lines: np.ndarray  # spreadsheet line number of each row
    header_line: int
    format: str  # csv | xlsx | parquet
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def sniff_format(head: bytes, path: str) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    ext = os.path.splitext(path)[1].lower()
    if ext in (".xlsx", ".xlsm") and not head:
        return "xlsx"
    return "text"


def read_raw(path: str, sheet: str | None = None) -> RawTable:
    if not os.path.exists(path):
        raise ReadError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ReadError(f"{path}: is a folder, not a file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise ReadError(f"{path}: the file is empty")
    kind = sniff_format(head, path)
    if kind == "xls":
        raise ReadError(f"{path}: old Excel .xls format is not supported; save it as .xlsx or CSV")
    if kind == "xlsx":
        grid, sheet_name, sheets = _read_xlsx(path, sheet)
        return _with_header(grid, "xlsx", path, sheet=sheet_name, sheets=sheets)
    table = _read_parquet(path) if kind == "parquet" else _read_text(path)
    if sheet is not None:
        table.notes.append(f"sheet {sheet!r} ignored: only Excel files have sheets")
    return table


# --- text -------------------------------------------------------------------------------------

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (covers GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    for enc in _ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        name = "utf-8 (BOM)" if enc == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else enc
        if enc == "utf-8-sig" and name == "utf-8-sig":
            name = "utf-8"
        if enc == "gb18030":
            name = "gb18030 (GBK)"
        return text, name
    raise ReadError("the file is neither UTF-8 nor GBK/GB18030 text, nor Excel, nor Parquet")


_CTRL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    bad = len(_CTRL.findall(sample))
    return bad > max(8, len(sample) // 100)


def sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the first lines most consistently."""
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", (-1, 0)
    for cand in (",", ";", "\t", "|"):
        try:
            rows = list(csv.reader(lines, delimiter=cand))
        except csv.Error:
            continue
        counts = [len(r) for r in rows]
        width = counts[0]
        if width < 2:
            continue
        consistent = sum(1 for c in counts if c == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = cand, score
    return best


def _read_text(path: str) -> RawTable:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text, encoding = decode(data)
    except ReadError as exc:
        raise ReadError(f"{path}: {exc}") from None
    if _looks_binary(text):
        raise ReadError(f"{path}: not a table (binary content that is not Excel or Parquet)")
    if not text.strip():
        raise ReadError(f"{path}: the file holds no table (only blank lines)")
    delim = sniff_delimiter(text)
    notes: list[str] = []
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except pd.errors.ParserError:
        grid, ragged = _read_ragged(text, delim)
        notes.append(
            f"{len(ragged)} line(s) have more fields than the header; extra fields are kept in "
            f"columns extra_1, extra_2…: lines {', '.join(map(str, ragged[:20]))}"
            + ("…" if len(ragged) > 20 else "")
        )
    except (pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise ReadError(f"{path}: not a readable table ({_one_line(exc)})") from None
    grid = grid.fillna("")
    table = _with_header(grid, "csv", path, encoding=encoding, delimiter=delim)
    table.notes[:0] = notes
    return table


def _read_ragged(text: str, delim: str) -> tuple[pd.DataFrame, list[int]]:
    """Slow path: rows of varying width, padded; returns the grid and the ragged line numbers."""
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    width = max((len(r) for r in rows[:MAX_HEADER_SCAN]), default=0)
    ragged = [i + 1 for i, r in enumerate(rows) if len(r) > width]
    full = max(len(r) for r in rows)
    padded = [r + [""] * (full - len(r)) for r in rows]
    return pd.DataFrame(padded, dtype="str"), ragged


def _one_line(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return msg[-1] if msg else type(exc).__name__


# --- Excel ------------------------------------------------------------------------------------


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0):
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


def _read_xlsx(path: str, sheet: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    import warnings
    import zipfile

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ReadError(f"{path}: not a readable Excel workbook ({_one_line(exc)})") from None
    except Exception as exc:  # openpyxl raises assorted errors on corrupt files
        raise ReadError(f"{path}: not a readable Excel workbook ({_one_line(exc)})") from None
    try:
        sheets = list(wb.sheetnames)
        if not sheets:
            raise ReadError(f"{path}: the workbook has no sheets")
        if sheet is None:
            name = sheets[0]
        elif sheet in sheets:
            name = sheet
        else:
            lower = {s.lower().strip(): s for s in sheets}
            if sheet.lower().strip() in lower:
                name = lower[sheet.lower().strip()]
            elif sheet.isdigit() and 1 <= int(sheet) <= len(sheets):
                name = sheets[int(sheet) - 1]
            else:
                raise ReadError(
                    f"{path}: no sheet named {sheet!r}; the sheets are: " + ", ".join(sheets)
                )
        ws = wb[name]
        rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    # drop trailing empty rows (Excel often reports formatted but empty rows)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ReadError(f"{path}: sheet {name!r} is empty")
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype="str")
    return grid, name, sheets


# --- Parquet ----------------------------------------------------------------------------------


def _read_parquet(path: str) -> RawTable:
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types on corrupt files
        raise ReadError(f"{path}: not a readable Parquet file ({_one_line(exc)})") from None
    if df.shape[1] == 0:
        raise ReadError(f"{path}: the Parquet file has no columns")
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            txt = s.dt.strftime("%Y-%m-%d").where(
                s.isna() | (s.dt.normalize() == s), s.astype("str")
            )
        elif pd.api.types.is_float_dtype(s):
            txt = s.map(_cell_text, na_action="ignore")
        elif pd.api.types.is_string_dtype(s) or pd.api.types.is_numeric_dtype(s):
            txt = s.astype("str")
        else:
            txt = s.map(_cell_text, na_action="ignore")
        out[str(col)] = txt.astype("str").fillna("").where(s.notna(), "")
    frame = pd.DataFrame(out)
    lines = np.arange(2, len(frame) + 2)
    return RawTable(frame=frame, lines=lines, header_line=1, format="parquet")


# --- header -----------------------------------------------------------------------------------


def _with_header(
    grid: pd.DataFrame,
    fmt: str,
    path: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    sheets: list[str] | None = None,
) -> RawTable:
    from data.columns import header_score

    grid = grid.astype("str").fillna("")
    nonempty = grid.ne("").any(axis=1).to_numpy()
    if not nonempty.any():
        raise ReadError(f"{path}: the file holds no table (no non-empty cells)")
    candidates = np.flatnonzero(nonempty)[:MAX_HEADER_SCAN]
    scores = [header_score(grid.iloc[i].tolist()) for i in candidates]
    best = int(np.argmax(scores))
    h = int(candidates[best]) if scores[best] > 0 else int(candidates[0])
    notes = []
    if h > 0 and scores[best] > 0:
        notes.append(f"header found on line {h + 1}; lines above it skipped")
    names = _unique_names(grid.iloc[h].tolist())
    body = grid.iloc[h + 1 :]
    body.columns = names
    lines = np.arange(h + 2, h + 2 + len(body))
    # drop fully empty rows (blank lines) but keep line numbers of the rest
    keep = body.ne("").any(axis=1).to_numpy()
    body = body.loc[keep].reset_index(drop=True)
    lines = lines[keep]
    return RawTable(
        frame=body,
        lines=lines,
        header_line=h + 1,
        format=fmt,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        sheets=sheets or [],
        notes=notes,
    )


def _unique_names(names: list[str]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        n = str(n).replace("\ufeff", "").strip() or f"column_{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n}_{seen[n]}"
        else:
            seen[n] = 1
        out.append(n)
    return out
