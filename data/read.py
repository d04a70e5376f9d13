"""File -> raw table of strings: format sniffing, encodings, delimiters, the header row.

`read_raw(path, sheet=None)` returns every cell as text exactly as the file holds it (Excel dates as
ISO dates, whole numbers without ".0"), with `lines` giving each row's line number as a spreadsheet
shows it (header = line 1 when the header is the first line). Raises `ReadError` with one clear line
when the file cannot be used as a table.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import math
import os
import re
import sys
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from data import progress

MAX_HEADER_SCAN = 10  # rows searched for the header (title lines above it are skipped)
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long cell is a warning, not a crash


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
    problems: list[ReadProblem] = field(default_factory=list)  # per record, below the header
    accounting: Accounting | None = None  # what the file holds, counted as it was read


@dataclass
class Accounting:
    """What a file holds, counted by the reader independently of how records became rows, so the
    loader can check that every record is a row or is reported (``data.load``'s row accounting).

    ``units`` are the physical lines of a text file (a sheet's rows; a Parquet file's rows and its
    header); ``continued`` the records that run over several lines (record, first line, last line:
    each named by a problem or a note); ``skipped`` the records that are not rows (record, why:
    "header", "above the header", "empty"), each said in a note."""

    units: int
    continued: list[tuple[int, int, int]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.units - sum(last - first for _, first, last in self.continued)


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


def read_raw(
    path: str,
    sheet: str | None = None,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> RawTable:
    """The file as a table of strings. Limits: ``max_bytes`` and ``max_rows`` (else the environment
    variables POLICY_ATLAS_MAX_FILE_MB and POLICY_ATLAS_MAX_ROWS, else 512 MB and 2,000,000)."""
    max_bytes, max_rows = limits(max_bytes, max_rows)
    if not os.path.exists(path):
        raise ReadError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ReadError(f"{path}: is a folder, not a file")
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise ReadError(f"{path}: the file is empty")
    if size > max_bytes:
        raise ReadError(
            f"{path}: the file is {size / 2**20:,.1f} MB; the limit is {max_bytes / 2**20:,.1f} MB "
            "(raise it with POLICY_ATLAS_MAX_FILE_MB or max_bytes=)"
        )
    kind = sniff_format(head, path)
    if kind == "xls":
        raise ReadError(f"{path}: old Excel .xls format is not supported; save it as .xlsx or CSV")
    if kind == "xlsx":
        check_xlsx(path, max_rows)
        grid, sheet_name, sheets = _read_xlsx(path, sheet, max_rows)
        return cut_long_cells(_with_header(grid, "xlsx", path, sheet=sheet_name, sheets=sheets))
    table = _read_parquet(path, max_rows) if kind == "parquet" else _read_text(path, max_rows)
    if sheet is not None:
        table.notes.append(f"sheet {sheet!r} ignored: only Excel files have sheets")
    return cut_long_cells(table)


# --- limits -----------------------------------------------------------------------------------

DEFAULT_MAX_MB = 512  # env POLICY_ATLAS_MAX_FILE_MB
DEFAULT_MAX_ROWS = 2_000_000  # env POLICY_ATLAS_MAX_ROWS


def _env_int(name: str, default: int) -> int:
    """``data.config.limit``: checked at start-up, so a bad value is one line there."""
    from data.config import limit

    return limit(name)


def limits(max_bytes: int | None = None, max_rows: int | None = None) -> tuple[int, int]:
    """(largest file in bytes, most rows): the arguments, else the environment, else defaults."""
    mb = _env_int("POLICY_ATLAS_MAX_FILE_MB", DEFAULT_MAX_MB)
    return (
        max_bytes if max_bytes is not None else mb * 1024 * 1024,
        max_rows if max_rows is not None else _env_int("POLICY_ATLAS_MAX_ROWS", DEFAULT_MAX_ROWS),
    )


# --- bounds on what a file may expand to (w/abuse: issue 25) ------------------------------------

DEFAULT_MAX_COLUMNS = 1_000  # env POLICY_ATLAS_MAX_COLUMNS
DEFAULT_MAX_CELLS = 50_000_000  # env POLICY_ATLAS_MAX_CELLS (rows × columns)
DEFAULT_MAX_CELL_CHARS = 10_000  # env POLICY_ATLAS_MAX_CELL_CHARS: longer cells are cut
MAX_ZIP_RATIO = 200  # an XLSX part that expands more than this (and past 8 MB) is a bomb
MAX_XLSX_EXPANDED = 4 << 30  # all parts of an XLSX together, uncompressed
MAX_SHARED_STRINGS = 256 << 20  # sharedStrings.xml uncompressed (read whole into memory)


DEFAULT_MAX_TEXT_MB = 512  # env POLICY_ATLAS_MAX_TEXT_MB: all of a table's text, decoded


def max_text() -> int:
    """Most text (bytes, decoded) a table may hold: a file that expands beyond is refused."""
    return _env_int("POLICY_ATLAS_MAX_TEXT_MB", DEFAULT_MAX_TEXT_MB) << 20


def bounds() -> tuple[int, int, int]:
    """(most columns, most cells, longest cell in characters), from the environment."""
    return (
        _env_int("POLICY_ATLAS_MAX_COLUMNS", DEFAULT_MAX_COLUMNS),
        _env_int("POLICY_ATLAS_MAX_CELLS", DEFAULT_MAX_CELLS),
        _env_int("POLICY_ATLAS_MAX_CELL_CHARS", DEFAULT_MAX_CELL_CHARS),
    )


def _too_wide(path: str, columns: int, max_columns: int, at_least: bool = False) -> ReadError:
    return ReadError(
        f"{path}: {'at least ' if at_least else ''}{columns:,} columns; the limit is "
        f"{max_columns:,} "
        "(raise it with POLICY_ATLAS_MAX_COLUMNS)"
    )


def _too_many_cells(path: str, cells: int, max_cells: int) -> ReadError:
    return ReadError(
        f"{path}: more than {max_cells:,} cells ({cells:,}); the limit is {max_cells:,} "
        "(raise it with POLICY_ATLAS_MAX_CELLS)"
    )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension[^>]*\sref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_xlsx(path: str, max_rows: int) -> None:
    """Refuse an XLSX that would expand beyond the limits, from its zip directory and the first
    bytes of each sheet, before any parsing: parts that expand more than ``MAX_ZIP_RATIO`` times,
    shared strings over ``MAX_SHARED_STRINGS``, a declared size (``<dimension>``) over the
    column, row or cell limits."""
    import zipfile

    max_columns, max_cells, _ = bounds()
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_XLSX_EXPANDED:
                raise ReadError(f"{path}: expands to {total / 2**30:,.1f} GB when unpacked; "
                                f"the limit is {MAX_XLSX_EXPANDED / 2**30:g} GB")  # fmt: skip
            for i in infos:
                ratio = i.file_size / max(1, i.compress_size)
                if i.file_size > 8 << 20 and ratio > MAX_ZIP_RATIO:
                    raise ReadError(
                        f"{path}: part {i.filename} expands {ratio:,.0f} times "
                        f"({i.file_size / 2**20:,.0f} MB); not read (a zip bomb?)"
                    )
                if i.filename.lower().endswith("sharedstrings.xml") and (
                    i.file_size > MAX_SHARED_STRINGS
                ):
                    raise ReadError(f"{path}: its shared strings take {i.file_size / 2**20:,.0f} "
                                    f"MB; the limit is {MAX_SHARED_STRINGS >> 20} MB")  # fmt: skip
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"):
                    with z.open(i) as fh:
                        head = fh.read(4096)
                    _check_dimension(path, head, max_rows, max_columns, max_cells)
    except ReadError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(f"{path}: not a readable Excel workbook ({_one_line(exc)})") from None


def _check_dimension(path: str, head: bytes, max_rows: int, max_columns: int, cells: int) -> None:
    m = _DIMENSION.search(head)
    if not m:
        return  # no declared size: the streaming read counts as it goes
    last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    cols, rows = _column_number(last_col), int(last_row)
    if cols > max_columns:
        raise _too_wide(path, cols, max_columns)
    if rows > max_rows + MAX_HEADER_SCAN:
        raise _too_many_rows(path, max_rows)
    if rows * cols > cells:
        raise _too_many_cells(path, rows * cols, cells)


def cut_long_cells(table: RawTable) -> RawTable:
    """Cells longer than ``POLICY_ATLAS_MAX_CELL_CHARS`` are cut to it, each with a warning
    naming its line and column (the uploaded original keeps them whole)."""
    _, _, limit = bounds()
    for j, name in enumerate(table.frame.columns):
        col = table.frame[name]
        if _most_bytes(col) <= limit:
            continue  # no cell has more bytes, so none has more characters
        lengths = col.str.len()
        long = np.flatnonzero(lengths.fillna(0).to_numpy() > limit)
        if not len(long):
            continue
        for i in long[:1000]:
            n = int(lengths.iloc[i])
            table.problems.append(ReadProblem(
                int(table.lines[i]), j, str(col.iloc[i])[:200] + "…",
                f"a cell of {n:,} characters; cut to the first {limit:,} (the limit)", "warning",
            ))  # fmt: skip
        table.frame[name] = col.str.slice(0, limit)
    return table


def _arrow(col: pd.Series) -> pa.ChunkedArray | None:
    """A text column's Arrow data (no copy), None when it is not Arrow-backed text."""
    if not pd.api.types.is_string_dtype(col.dtype) or col.dtype == object:
        return None
    try:
        data = pa.array(col.array)  # pandas' own Arrow data, not copied
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if isinstance(data, pa.Array):
        data = pa.chunked_array([data])
    return data if pa.types.is_string(data.type) or pa.types.is_large_string(data.type) else None


def _most_bytes(col: pd.Series) -> float:
    """The most UTF-8 bytes in one cell of a text column (inf when not Arrow-backed text)."""
    import pyarrow.compute as pc

    data = _arrow(col)
    if data is None:
        return math.inf
    most = pc.max(pc.binary_length(data)).as_py() if len(data) else 0
    return float(most or 0)


def _filled(grid: pd.DataFrame) -> np.ndarray:
    """Rows with text in any cell (Arrow's lengths where the columns are Arrow text)."""
    import pyarrow.compute as pc

    out = np.zeros(len(grid), dtype=bool)
    for name in grid.columns:
        col = grid[name]
        data = _arrow(col)
        if data is None or data.null_count:
            out |= (col != "").to_numpy(dtype=bool, na_value=False)
        else:
            out |= pc.greater(pc.binary_length(data), 0).to_numpy(zero_copy_only=False)
    return out


def _too_many_rows(path: str, max_rows: int) -> ReadError:
    return ReadError(
        f"{path}: more than {max_rows:,} rows; the limit is {max_rows:,} "
        "(raise it with POLICY_ATLAS_MAX_ROWS or max_rows=)"
    )


# --- text -------------------------------------------------------------------------------------

SAMPLE_BYTES = 1 << 16  # bytes used to detect the encoding, the delimiter and binary content
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8 (BOM)"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32 (BOM)"),
    (b"\xff\xfe", "utf-16", "utf-16 (BOM)"),
    (b"\xfe\xff", "utf-16", "utf-16 (BOM)"),
)
# What charset-normalizer may choose among when the file is not UTF-8 (names as Python spells them)
_DETECT = ("gb18030", "big5", "utf_16_le", "utf_16_be", "cp1252")
_NAMES = {
    "utf-8": "utf-8",
    "gb18030": "gb18030 (GBK)",
    "big5": "big5 (detected)",
    "utf_16_le": "utf-16-le (no BOM, detected)",
    "utf_16_be": "utf-16-be (no BOM, detected)",
    "cp1252": "cp1252 (detected)",
}


def encodings(sample: bytes) -> list[tuple[str, str]]:
    """Encodings to try, best first: (Python codec, name shown to the user).

    A BOM decides; else UTF-16 without BOM when NUL bytes fall on one side; else UTF-8 when the
    sample is UTF-8; else charset-normalizer's pick among GB18030 (GBK), Big5 and cp1252, then the
    others.
    """
    for bom, codec, name in _BOMS:
        if sample.startswith(bom):
            return [(codec, name)]
    # UTF-16 without BOM when NUL bytes say so: ASCII delimiters, digits and line ends hold one
    # each, all in the odd bytes (little-endian, "t\0i\0") or all in the even ones (big-endian)
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if (odd + even) * 20 >= len(sample) and max(odd, even) >= 9 * min(odd, even):
        le = odd >= even
        first, second = ("utf_16_le", "utf_16_be") if le else ("utf_16_be", "utf_16_le")
        return [(c, _NAMES[c]) for c in (first, second, "utf-8", "gb18030")]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return [("utf-8", "utf-8"), ("gb18030", _NAMES["gb18030"])]
    except UnicodeDecodeError:
        pass
    cands = [c for c in _DETECT if not c.startswith("utf_16")]
    if sum(b > 0x7F for b in sample[:4096]) < 8:
        # too little for the detector: Chinese double-byte text has runs of high bytes, accented
        # Latin text (Café, Révolution) single ones
        if not re.search(rb"[\x80-\xff]{2}", sample):
            cands = ["cp1252", *(c for c in cands if c != "cp1252")]
        return [(c, _NAMES[c]) for c in cands]
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=cands).best()
    order = ([best.encoding] if best is not None and best.encoding in cands else []) + cands
    return [(c, _NAMES[c]) for c in dict.fromkeys(order)]


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes (a whole small file); returns (text, encoding name). Raises ReadError."""
    for codec, name in encodings(data[:SAMPLE_BYTES]):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise ReadError(_NOT_TEXT)


_NOT_TEXT = (
    "the file is not text in UTF-8, UTF-16, GBK/GB18030, Big5 or cp1252, nor Excel, nor Parquet"
)
_CTRL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    """Mostly control characters: not a table. A few (a NUL byte anywhere) are a warning later."""
    sample = text[:20000]
    bad = len(_CTRL.findall(sample))
    return bad > max(8, len(sample) // 100)


def _check_width(path: str, head: str, delim: str) -> None:
    """Refuse a text table wider than the column limit from its first lines, before scanning."""
    max_columns, _, _ = bounds()
    lines = head.splitlines()[:MAX_HEADER_SCAN]
    for i, line in enumerate(lines):
        if line.count(delim) + 1 > max_columns:
            fields = _plain_fields(line, delim)
            if len(fields) > max_columns:
                cut = i == len(lines) - 1 and len(head) >= SAMPLE_BYTES // 4  # the sample ends
                raise _too_wide(path, len(fields), max_columns, at_least=cut)


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


def _read_text(path: str, max_rows: int) -> RawTable:
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ReadError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    for codec, name in encodings(sample):  # noqa: B007 - name is used after the loop
        try:
            head = sample.decode(codec, errors="ignore")  # a cut last character is not an error
            if _looks_binary(head):
                raise ReadError(
                    f"{path}: not a table (binary content that is not Excel or Parquet)"
                )
            delim = sniff_delimiter(head)
            _check_width(path, head, delim)
            fast = _read_fast(path, delim, max_rows) if codec in ("utf-8", "utf-8-sig") else None
            if fast is not None:
                grid, lines, problems, ragged, acc = fast
                break
            with open(path, encoding=codec, newline="") as fh:
                grid, lines, problems, ragged, acc = _scan(fh, delim, max_rows, path)
        except UnicodeDecodeError:
            continue
        except UnicodeError:  # a UTF-16 file of odd length
            continue
        break
    else:
        raise ReadError(f"{path}: {_NOT_TEXT}")
    table = _with_header(
        grid, "csv", path, encoding=name, delimiter=delim, row_lines=lines, accounting=acc
    )
    if ragged:
        shown = ", ".join(map(str, ragged[:20])) + ("…" if len(ragged) > 20 else "")
        table.notes.insert(
            0,
            f"{len(ragged)} line(s) have more fields than the header; extra fields are kept in "
            f"columns column_N: lines {shown}",
        )
    if name.endswith("(detected)"):
        table.notes.append(f"encoding detected as {name.split()[0]}: check a few names")
    table.problems = [p for p in problems if p.line > table.header_line]
    table.notes.extend(
        f"line {p.line}: {p.reason}" for p in problems if p.line <= table.header_line
    )
    return table


FAST_MIN_BYTES = 1 << 20  # smaller text files are read by hand only (their cost does not matter)
_SCAN_CHUNK = 1 << 20  # a quote early in the file ends the scan after one chunk
#: Arrow's reader on one thread: on two busy cores as quick as several, and ~100 MB less at the
#: peak of a million rows (fewer blocks in flight; tests/bench/parse.py)
FAST_THREADS = False


def _line_count(path: str) -> int | None:
    """Physical lines of a file (\\r\\n, \\r or \\n end one), or None when it holds a quote
    character (then only the hand reader knows where its records end)."""
    ends, cr_before, last = 0, False, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            if b'"' in chunk:
                return None
            ends += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            ends -= cr_before and chunk.startswith(b"\n")  # a \r\n across two chunks
            cr_before, last = chunk.endswith(b"\r"), chunk[-1:]
    return ends + (0 if last in (b"\n", b"\r", b"") else 1)


def _plain_ends(path: str) -> bytes | None:
    """How a quote-free file ends its lines: b"\\n" when it holds no carriage return, b"\\r" when
    it does; None when it holds a quote character (then only the hand reader knows where its
    records end). One pass of byte searches, no counting."""
    cr = False
    with open(path, "rb") as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            if b'"' in chunk:
                return None
            cr = cr or b"\r" in chunk
    return b"\r" if cr else b"\n"


def _bytes_add_up(path: str, table: pa.Table) -> bool:
    """Every byte of a quote-free, \\n-ended file is a cell's, a delimiter or a line end, with
    one line end per row (the last may lack it) and the header's delimiters on every row: then
    Arrow's rows are exactly the file's lines (an independent check, without counting them)."""
    import pyarrow.compute as pc

    rows, width = table.num_rows, table.num_columns
    cells = sum(int(pc.sum(pc.binary_length(col)).as_py() or 0) for col in table.columns)
    with open(path, "rb") as fh:
        bom = 3 if fh.read(3) == b"\xef\xbb\xbf" else 0
        fh.seek(-1, os.SEEK_END)
        ends = rows - (fh.read(1) != b"\n")
    return bom + cells + rows * (width - 1) + ends == os.path.getsize(path)


#: Arrow's blocks read between two hand-backs of the parser's let-go buffers (``_arrow_csv``)
TRIM_BLOCKS = 32


def _arrow_csv(path: str, **options: Any) -> pa.Table:
    """``pyarrow.csv.read_csv(path, **options)``, block by block: every ``TRIM_BLOCKS`` blocks
    the buffers the parser let go are handed back to the system (read at once, they stayed
    until the table was built: ~180 MB over the table's own 480 MB at a million rows)."""
    import pyarrow.csv as pacsv

    reader = pacsv.open_csv(path, **options)
    batches = []
    for i, batch in enumerate(reader, start=1):
        batches.append(batch)
        if i % TRIM_BLOCKS == 0:
            pa.default_memory_pool().release_unused()
    table = pa.Table.from_batches(batches, schema=reader.schema)
    pa.default_memory_pool().release_unused()
    return table


def _read_fast(
    path: str, delim: str, max_rows: int
) -> tuple[pd.DataFrame, np.ndarray, list[ReadProblem], list[int], Accounting] | None:
    """The common file through Arrow's CSV reader (several times quicker than the hand reader):
    UTF-8, no quote character anywhere and every line with the header's number of fields, so each
    line is one record and line numbers are positions. None for any other file, and whenever
    Arrow's records are not exactly the file's lines (counted for a file with carriage returns,
    else every byte accounted for): the hand reader (``_scan``) reads it."""
    import pyarrow.csv as pacsv

    if os.path.getsize(path) < FAST_MIN_BYTES or (ends := _plain_ends(path)) is None:
        return None
    units = _line_count(path) if ends == b"\r" else None
    if units is not None and units > max_rows + MAX_HEADER_SCAN:
        raise _too_many_rows(path, max_rows)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        width = len(fh.readline().rstrip("\r\n").split(delim))
    try:
        table = _arrow_csv(
            path,
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, use_threads=FAST_THREADS
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                quote_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),  # fmt: skip
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.large_string() for i in range(width)},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError):
        return None  # ragged lines, not UTF-8 after all: the hand reader says what is wrong
    if table.num_columns != width:
        return None
    if units is None:
        units = table.num_rows if _bytes_add_up(path, table) else -1
    if table.num_rows != units:
        return None
    if units > max_rows + MAX_HEADER_SCAN:
        raise _too_many_rows(path, max_rows)
    frame = pd.DataFrame(
        {j: pd.Series(table.column(j), dtype="str") for j in range(width)}, copy=False
    )
    return frame, np.arange(1, units + 1), [], [], Accounting(units=units)


@dataclass(frozen=True)
class ReadProblem:
    """A problem found while splitting the file into records (before columns are known)."""

    line: int  # spreadsheet row (records counted from 1, blank lines included)
    column: int | None  # 0-based field index, None for the whole record
    value: str
    reason: str
    severity: str


class _Lines:
    """Physical lines of a text file for csv.reader, numbered, with push-back."""

    def __init__(self, fh: Iterator[str]) -> None:
        self.fh, self.no = fh, 0
        self.back: deque[tuple[int, str]] = deque()
        self.current: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.back:
            item = self.back.popleft()
        else:
            line = next(self.fh)  # at the end: StopIteration, the count unchanged
            self.no += 1
            item = (self.no, line)
        self.current.append(item)
        return item[1]


def _unterminated(text: str, delim: str) -> bool:
    try:
        list(csv.reader(io.StringIO(text), delimiter=delim, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _plain_fields(line: str, delim: str) -> list[str]:
    """A line split with quotes taken as plain characters (for a quote that never closes)."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delim, quoting=csv.QUOTE_NONE), [])


def _spanning(
    src: _Lines, fields: list[str], width: int, delim: str, record: int
) -> tuple[list[str], ReadProblem]:
    """A record over several physical lines: a quoted cell with line breaks (kept, a warning), or
    a quote that never closes or swallows whole lines (split back into lines, an error).

    Swallowed lines show as a line wholly inside the quote that holds a whole row's worth of
    fields on its own. A quote closed on the next line cannot be told from a cell with a line
    break: that is a warning naming both lines."""
    first, last = src.current[0][0], src.current[-1][0]
    text = "".join(line for _, line in src.current)
    width = width or len(_plain_fields(src.current[0][1], delim))  # the header itself
    middle = [line for _, line in src.current[1:-1] if '"' not in line]  # wholly inside quotes
    swallowed = width > 1 and any(len(_plain_fields(ln, delim)) >= width for ln in middle)
    if not _unterminated(text, delim) and not swallowed:
        reason = (
            f"a quoted value spans lines {first}–{last} of the file (a cell with line breaks); "
            "kept as one row — if a quote was left open, close it"
        )
        col = next((i for i, f in enumerate(fields) if "\n" in f or "\r" in f), None)
        value = fields[col] if col is not None else ""
        return fields, ReadProblem(record, col, value, reason, "warning")
    return _never_closed(src, delim, record)


def _never_closed(src: _Lines, delim: str, record: int) -> tuple[list[str], ReadProblem]:
    """The first line of the current record read with quotes as plain characters (a quote that
    never closes); the lines after it are read again, as rows."""
    first, last = src.current[0][0], src.current[-1][0]
    src.back.extendleft(reversed(src.current[1:]))  # read the following lines again, as rows
    del src.current[1:]
    plain = _plain_fields(src.current[0][1], delim)
    col = next((i for i, f in enumerate(plain) if '"' in f), None)
    lost = f"lines {first + 1}–{last}" if last > first else "the end of the line"
    reason = (
        f"a quote opened on line {first} of the file is never closed (it would swallow "
        f"{lost}); the quote is read as a plain character"
    )
    value = plain[col] if col is not None else src.current[0][1].rstrip("\r\n")
    return plain, ReadProblem(record, col, value, reason, "error")


def _misquoted(
    src: _Lines, delim: str, record: int, exc: csv.Error
) -> tuple[list[str], ReadProblem]:
    """A record csv cannot read strictly ("乙"x, ""乙, a quote open at the end of the file): its
    first line with quotes as plain characters, so every character stays as written."""
    if "unexpected end of data" in str(exc):
        return _never_closed(src, delim, record)
    src.back.extendleft(reversed(src.current[1:]))
    del src.current[1:]
    line = src.current[0][1]
    fields = _plain_fields(line, delim)
    col = next((i for i, f in enumerate(fields) if '"' in f), 0)
    reason = (
        f"a quote in this value does not open or close it ({exc}); read with quotes as plain "
        "characters, as written"
    )
    return fields, ReadProblem(record, col, fields[col] if fields else "", reason, "error")


def _scan(
    fh: Iterator[str], delim: str, max_rows: int, path: str
) -> tuple[pd.DataFrame, np.ndarray, list[ReadProblem], list[int], Accounting]:
    """Every record of a delimited text file as columns of strings (Arrow-backed, built in chunks
    so a large file needs about its own size in memory); nothing merged without a problem. Each
    physical line is counted as it is read, and each record's lines kept (``Accounting``)."""
    src = _Lines(fh)
    max_columns = bounds()[0]
    reader = csv.reader(src, delimiter=delim, strict=True)
    grid = _Columns()
    problems: list[ReadProblem] = []
    acc = Accounting(units=0)
    width = 0
    record = 0
    while True:
        src.current = []
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # strict: a stray quote, or one open at the end of the file
            if not src.current:
                break
            fields, problem = _misquoted(src, delim, record + 1, exc)
            problems.append(problem)
            reader = csv.reader(src, delimiter=delim, strict=True)
        record += 1
        if not record % 1000:
            progress.report("reading", record)
        if record > max_rows + MAX_HEADER_SCAN:
            raise _too_many_rows(path, max_rows)
        if len(fields) > max_columns:
            raise _too_wide(path, len(fields), max_columns)
        if len(src.current) > 1 or (fields and fields[-1].endswith(("\n", "\r"))):
            fields, problem = _spanning(src, fields, width, delim, record)
            problems.append(problem)
        if len(src.current) > 1:
            acc.continued.append((record, src.current[0][0], src.current[-1][0]))
        if not width and len(fields) > 1:
            width = len(fields)
        grid.add(fields)
    if not grid.any_text:
        raise ReadError(f"{path}: the file holds no table (only blank lines)")
    acc.units = src.no - len(src.back)
    frame = grid.frame()
    ragged = [i + 1 for i, n in enumerate(grid.widths) if width and n > width]
    return frame, np.arange(1, len(frame) + 1), problems, ragged, acc


class _Columns:
    """Rows appended one by one, kept as Arrow string columns in chunks."""

    CHUNK = 50_000

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.chunks: list[tuple[int, list[pa.Array]]] = []  # (rows, columns)
        self.widths = array("i")
        self.any_text = False

    def add(self, fields: list[str]) -> None:
        self.rows.append(fields)
        self.widths.append(len(fields))
        if not self.any_text:
            self.any_text = any(f.strip() for f in fields)
        if len(self.rows) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        cols = list(itertools.zip_longest(*self.rows, fillvalue=""))
        self.chunks.append((len(self.rows), [pa.array(c, type=pa.large_string()) for c in cols]))
        self.rows = []

    def frame(self) -> pd.DataFrame:
        self._flush()
        width = max((len(cols) for _, cols in self.chunks), default=0)
        out = {}
        for j in range(width):
            parts = [
                cols[j] if j < len(cols) else pa.array([""] * n, type=pa.large_string())
                for n, cols in self.chunks
            ]
            out[j] = pd.Series(pa.chunked_array(parts, type=pa.large_string()), dtype="str")
        return pd.DataFrame(out)


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


def _read_xlsx(path: str, sheet: str | None, max_rows: int) -> tuple[pd.DataFrame, str, list[str]]:
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
        grid = _stream_rows(wb[name], path, max_rows)
    finally:
        wb.close()
    if not grid.widths:
        raise ReadError(f"{path}: sheet {name!r} is empty")
    return grid.frame(), name, sheets


def _stream_rows(ws: object, path: str, max_rows: int) -> _Columns:
    """A sheet's rows, streamed (openpyxl read-only) into Arrow string columns, with the column
    and cell limits checked on each row; trailing empty rows (formatted, no value) dropped."""
    max_columns, max_cells, _ = bounds()
    grid, blank, cells, text, limit = _Columns(), 0, 0, 0, max_text()
    for r in ws.iter_rows(values_only=True):  # type: ignore[attr-defined]
        if len(r) > max_columns and any(v is not None for v in r[max_columns:]):
            raise _too_wide(path, len(r), max_columns)
        row = [_cell_text(v) for v in r[:max_columns]]
        while row and not row[-1]:
            row.pop()
        if not row:
            blank += 1  # kept only if a row with values follows (line numbers stay right)
            continue
        for _ in range(blank):
            grid.add([])
        blank = 0
        grid.add(row)
        if not len(grid.widths) & 255:
            progress.report("reading", len(grid.widths))
        cells += len(row)
        text += sum(map(len, row))
        if text > limit:
            raise ReadError(f"{path}: its cells hold more than {limit >> 20:,} MB of text; "
                            "not read (POLICY_ATLAS_MAX_TEXT_MB)")  # fmt: skip
        if len(grid.widths) > max_rows + MAX_HEADER_SCAN:
            raise _too_many_rows(path, max_rows)
        if cells > max_cells:
            raise _too_many_cells(path, cells, max_cells)
    return grid


# --- Parquet ----------------------------------------------------------------------------------


def _read_parquet(path: str, max_rows: int) -> RawTable:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = [str(n) for n in pf.schema_arrow.names]
        if pf.metadata.num_rows > max_rows:
            raise _too_many_rows(path, max_rows)
        check_parquet(pf, path)
        table = pf.read()
    except ReadError:
        raise
    except Exception as exc:  # pyarrow raises many types on corrupt files
        raise ReadError(f"{path}: not a readable Parquet file ({_one_line(exc)})") from None
    if not names:
        raise ReadError(f"{path}: the Parquet file has no columns")
    notes = []
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        notes.append(
            "duplicate column names " + ", ".join(map(repr, dup)) + ": the second is read as "
            "<name>_2 (and so on); rename them in the file to say which is which"
        )
    out = {}
    for name in _unique_names(names):
        # one column at a time, each dropped from the Arrow table once converted: the file's
        # columns and their text are not both held whole (a million rows: ~250 MB less at peak)
        col, table = table.column(0), table.remove_column(0)
        out[name] = _parquet_text(col.to_pandas())
        del col
    frame = pd.DataFrame(out, copy=False)
    lines = np.arange(2, len(frame) + 2)
    acc = Accounting(units=len(frame) + 1, skipped=[(1, "header")])  # the header: line 1
    return RawTable(
        frame=frame, lines=lines, header_line=1, format="parquet", notes=notes, accounting=acc
    )


def check_parquet(pf: Any, path: str) -> None:
    """Refuse a Parquet file that would expand beyond the limits, from its metadata (columns,
    cells, uncompressed sizes) and, for dictionary-encoded columns, from the dictionary and its
    indices alone (a file of a few KB can repeat a long value two million times)."""
    import pyarrow.parquet as pq

    max_columns, max_cells, _ = bounds()
    md, names = pf.metadata, pf.schema_arrow.names
    if md.num_columns > max_columns:
        raise _too_wide(path, md.num_columns, max_columns)
    if md.num_rows * md.num_columns > max_cells:
        raise _too_many_cells(path, md.num_rows * md.num_columns, max_cells)
    limit = max_text()
    expanded = sum(md.row_group(g).total_byte_size for g in range(md.num_row_groups))
    paths = {md.schema.column(j).path: j for j in range(md.num_columns)}
    coded = sorted(
        {
            n
            for g in range(md.num_row_groups)
            for j, n in enumerate(names)
            if j < md.row_group(g).num_columns
            and md.row_group(g).column(j).has_dictionary_page
            and n in paths
        }  # fmt: skip
    )
    if coded and expanded <= limit:
        dictionaries = pq.ParquetFile(path, read_dictionary=coded)
        for g in range(md.num_row_groups):
            for name in coded:
                expanded += _dictionary_text(dictionaries.read_row_group(g, columns=[name]))
                if expanded > limit:
                    break
            if expanded > limit:
                break
    if expanded > limit:
        raise ReadError(
            f"{path}: its columns expand to more than {limit >> 20:,} MB once decoded "
            "(a dictionary bomb?); not read (POLICY_ATLAS_MAX_TEXT_MB)"
        )


def _dictionary_text(table: pa.Table) -> int:
    """Bytes a dictionary-encoded text column takes once decoded, from its dictionary and
    indices (never decoded)."""
    import pyarrow.compute as pc

    total = 0
    for part in table.column(0).chunks:
        if pa.types.is_dictionary(part.type) and (
            pa.types.is_string(part.type.value_type) or pa.types.is_binary(part.type.value_type)
        ):
            lengths = pc.binary_length(part.dictionary).fill_null(0)
            taken = pc.take(lengths, part.indices.fill_null(0))
            total += int(pc.sum(taken).as_py() or 0)
    return total


def _parquet_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        txt = s.dt.strftime("%Y-%m-%d").where(s.isna() | (s.dt.normalize() == s), s.astype("str"))
    elif pd.api.types.is_float_dtype(s):
        txt = s.map(_cell_text, na_action="ignore")
    elif pd.api.types.is_string_dtype(s) or pd.api.types.is_numeric_dtype(s):
        txt = s.astype("str")
    else:
        txt = s.map(_cell_text, na_action="ignore")
    return txt.astype("str").fillna("").where(s.notna(), "")


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
    row_lines: np.ndarray | None = None,
    accounting: Accounting | None = None,
) -> RawTable:
    """Find the header among the first rows; the rows below it, with their spreadsheet lines."""
    from data.columns import header_score

    grid = grid.astype("str").fillna("")
    nonempty = _filled(grid)
    if not nonempty.any():
        raise ReadError(f"{path}: the file holds no table (no non-empty cells)")
    candidates = np.flatnonzero(nonempty)[:MAX_HEADER_SCAN]
    scores = [header_score(grid.iloc[i].tolist()) for i in candidates]
    best = int(np.argmax(scores))
    h = int(candidates[best]) if scores[best] > 0 else int(candidates[0])
    notes = []
    if h > 0:  # (blank lines above a header are said too: every record accounted for)
        notes.append(f"header found on line {h + 1}; lines above it skipped")
    names = _unique_names(grid.iloc[h].tolist())
    body = grid.iloc[h + 1 :]
    body.columns = names
    lines = np.arange(1, len(grid) + 1) if row_lines is None else np.asarray(row_lines)
    lines = lines[h + 1 :]
    # drop fully empty rows (blank lines) but keep line numbers of the rest
    keep = nonempty[h + 1 :]
    body = (body if keep.all() else body.loc[keep]).reset_index(drop=True)  # no copy when all
    empty = lines[~keep]
    lines = lines[keep]
    acc = accounting or Accounting(units=len(grid))
    acc.skipped = [(i + 1, "above the header") for i in range(h)] + [(h + 1, "header")]
    acc.skipped += [(int(n), "empty") for n in empty]
    if len(empty):
        shown = ", ".join(map(str, empty[:20])) + ("…" if len(empty) > 20 else "")
        notes.append(f"{len(empty)} empty row(s) skipped (no text in any field): {shown}")
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
        accounting=acc,
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
