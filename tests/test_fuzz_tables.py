"""Fuzz: seeded hostile tables (CSV and XLSX bytes) through the loader and the ``--check`` report.

Hypothesis draws the tables (``derandomize=True``: the same cases on every run, no database).
For each: no exception, exit code 0/1/2, every record of the file accounted for (a row of the
frame, or lines named by a problem), and every problem names a line, a field and the value.
URL and callback-payload fuzzing is not here (those files are being restructured).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import data.read
from data.check import exit_code, human_report, report_dict
from data.load import LoadResult, load_table
from data.read import read_raw
from tests.accounting import assert_rows_accounted

HEADERS = [
    ["标题", "省份", "城市", "日期", "金额", "激励方式"],
    ["title", "province", "city", "date", "amount", "incentives"],
    ["政策名称", "地区", "发布日期", "资金"],
    ["標題", "省份", "發布日期", "金額"],
    ["编号", "标题", "省", "市", "区县", "层级", "来源"],
]
CELLS = [
    "", " ", "广东省", "深圳市", "南山区", "北京市朝阳区", "山东省青岛市市北区", "廣東省", "ShanXi",
    "北戴河新区", "市辖区", "Guangdong", "火星", "2020-04-08", "二〇二〇年四月", "2021-Q2",
    "2021年第二季度", "10/10/2020", "03/04/2020", "2020-13-45", "1亿5千万元", "五百万元",
    "3 million yuan", "9" * 400, "-5", "USD 5", "补贴;税收优惠", "=1+1", "+cmd", "@SUM(A1)",
    "\x00", "a\x00b", "\x07bell", "\u202eRTL", "😀", "x" * 3000, '"', '""', 'a"b', "a,b", "a;b",
    "a\tb", "a\nb", "a\r\nb", "\r", "\ufeff", "ｆｕｌｌ", "区块链发展政策", "Blockchain plan",
    "national", "省级", "1e309", "NaN", "None", "null", "TRUE", "0", "-0",
]  # fmt: skip
_SPANS = re.compile(r"spans lines (\d+)–(\d+)")


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    header = list(draw(st.sampled_from(HEADERS)))
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
    n = draw(st.integers(min_value=1, max_value=12))
    rows = [draw(st.lists(cell, min_size=1, max_size=len(header) + 2)) for _ in range(n)]
    return [header, *rows]


def _check(path: Path) -> tuple[object, int]:
    """The loader and the --check report (human and JSON) of one file; never raises."""
    res = load_table(path)
    code = exit_code(res)
    assert code in (0, 1, 2)
    json.dumps(report_dict(res), ensure_ascii=False)
    if res.fatal is None:
        human_report(res)
    else:
        assert code == 2 and "\n" not in res.fatal.strip()
    return res, code


@contextlib.contextmanager
def _fast_path_for_any_size() -> Iterator[None]:
    """Arrow's CSV path (``data.read._read_fast``) for files of any size, not only large ones."""
    before, data.read.FAST_MIN_BYTES = data.read.FAST_MIN_BYTES, 0
    try:
        yield
    finally:
        data.read.FAST_MIN_BYTES = before


def _same_through_the_fast_path(path: Path, res: LoadResult) -> None:
    """The file read through Arrow's path (where it takes it) loads exactly as by hand."""
    with _fast_path_for_any_size():
        fast = load_table(path)
    assert (fast.fatal, fast.notes, fast.accounting) == (res.fatal, res.notes, res.accounting)
    assert fast.problems == res.problems
    pd.testing.assert_frame_equal(fast.frame, res.frame)


def _problems_name_line_field_value(res) -> None:  # noqa: ANN001
    rows = set(res.frame["row"].tolist())
    for p in res.problems:
        assert isinstance(p.row, int) and p.row in rows, p
        assert isinstance(p.field, str) and p.field, p
        assert isinstance(p.value, str), p
        assert p.severity in ("error", "warning") and p.reason


def _spanned(res) -> int:  # noqa: ANN001
    """Physical lines beyond the first taken by records a problem says span several lines."""
    texts = [p.reason for p in res.problems] + list(res.notes)  # notes: at or above the header
    return sum(int(b) - int(a) for t in texts for a, b in _SPANS.findall(t))


pytestmark = pytest.mark.slow  # hundreds of generated files per test (`make quick` leaves it out)

FUZZ = settings(
    max_examples=450,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(
    table=tables(),
    delim=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"]),
)
def test_well_formed_csv(tmp_path_factory, table, delim, encoding) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim, lineterminator="\n").writerows(table)
    path = tmp_path_factory.mktemp("f") / "t.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    res, _ = _check(path)
    _same_through_the_fast_path(path, res)
    if res.fatal is not None:
        return
    _problems_name_line_field_value(res)
    written = path.read_bytes().decode(encoding).removeprefix("\ufeff")
    assert_rows_accounted(res, written)
    # the records as Python's csv module reads the text (a bare \r that the writer left
    # unquoted is a line break to every reader); all-empty records hold nothing
    reference = list(csv.reader(io.StringIO(written, newline=""), delimiter=delim))
    records = [r for r in reference[1:] if any(c != "" for c in r)]
    assert len(res.frame) == len(records)
    if res.encoding.split()[0] == {"utf-8-sig": "utf-8"}.get(encoding, encoding):
        _values_read_back(path, reference)  # (a few bytes of Big5 can pass for GBK: not here)


def _values_read_back(path: Path, reference: list[list[str]]) -> None:
    """Every cell of the file reads back as written (no wrong value), below the header the reader
    chose, empty records aside."""
    raw = read_raw(str(path))
    width = raw.frame.shape[1]
    below = [r for r in reference[raw.header_line :] if any(c != "" for c in r)]
    got = raw.frame.to_numpy(dtype=object).tolist()
    assert got == [r + [""] * (width - len(r)) for r in below]


@FUZZ
@given(table=tables(), quotes=st.lists(st.integers(0, 200), max_size=3))
def test_broken_csv_loses_no_line(tmp_path_factory, table, quotes) -> None:
    """Cells joined without quoting, stray quotes inserted: every physical line is a row or is
    named by a problem that says which lines it spans."""
    lines = [",".join(c.replace("\n", " ").replace("\r", " ") for c in r) for r in table]
    text = "\n".join(lines) + "\n"
    for q in quotes:
        i = min(q, len(text) - 1)
        text = text[:i] + '"' + text[i:]
    path = tmp_path_factory.mktemp("b") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    res, _ = _check(path)
    _same_through_the_fast_path(path, res)
    if res.fatal is not None:
        return
    _problems_name_line_field_value(res)
    assert_rows_accounted(res, text)
    found = [int(m) for n in res.notes for m in re.findall(r"header found on line (\d+)", n)]
    physical = text.split("\n")[(found[0] if found else 1) : -1]
    holding = [ln for ln in physical if re.sub(r'[,"\s]', "", ln)]
    assert len(res.frame) + _spanned(res) >= len(holding)
    assert len(res.frame) <= len(physical)


@settings(FUZZ, max_examples=100)
@given(table=tables())
def test_xlsx(tmp_path_factory, table) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in table:
        ws.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", c) for c in r])
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    wb.save(path)
    res, _ = _check(path)
    if res.fatal is None:
        _problems_name_line_field_value(res)
        cleaned = [[re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", c) for c in r] for r in table]
        assert len(res.frame) == len([r for r in cleaned[1:] if any(c != "" for c in r)])


# --- issue 25: quote positions, line-ending mixes and field counts the tables above lack -------

LINE_ENDS = ["\n", "\r\n", "\r"]


@st.composite
def odd_files(draw: st.DrawFn) -> str:
    """A table written with mixed line ends, rows of 0 to width + 6 fields, quoted cells with
    line breaks, and stray quotes where a field starts or ends, after a delimiter and spaces,
    inside a multi-line record or on the last line (with or without a final line end)."""
    header = list(draw(st.sampled_from(HEADERS)))
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=8))
    n = draw(st.integers(min_value=1, max_value=10))
    widths = st.integers(min_value=0, max_value=len(header) + 6)
    rows = [header] + [draw(st.lists(cell, min_size=w, max_size=w)) for w in
                       draw(st.lists(widths, min_size=n, max_size=n))]  # fmt: skip
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    lines = []
    for r in rows:
        buf = io.StringIO()
        csv.writer(buf, quoting=quoting, lineterminator="").writerow(r)
        lines.append(buf.getvalue())
    for _ in range(draw(st.integers(0, 3))):  # a stray quote in a structural position
        i = draw(st.integers(1, len(lines) - 1))
        line, where = lines[i], draw(st.sampled_from(["start", "end", "after", "inside", "cell"]))
        cuts = [k + 1 for k, ch in enumerate(line) if ch == ","] or [0]
        if where == "start":
            lines[i] = '"' + line
        elif where == "end":
            lines[i] = line + '"'
        elif where == "after":
            k = draw(st.sampled_from(cuts))
            lines[i] = line[:k] + draw(st.sampled_from(["", " ", "  "])) + '"' + line[k:]
        elif where == "inside":
            lines[i] = line + ',"two\nlines' + draw(st.sampled_from(['"', "", '" "']))
        else:
            k = draw(st.integers(0, len(line)))
            lines[i] = line[:k] + '"' + line[k:]
    ends = [draw(st.sampled_from(LINE_ENDS)) for _ in lines]
    text = "".join(ln + e for ln, e in zip(lines, ends, strict=True))
    return text if draw(st.booleans()) else text.rstrip("\r\n")


@FUZZ
@given(text=odd_files())
def test_odd_files_lose_no_record(tmp_path_factory, text) -> None:
    """Every physical line is a row, a record the notes name, or a line a problem says a record
    spans: records in the file = rows read + rows reported."""
    path = tmp_path_factory.mktemp("o") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    res, _ = _check(path)
    _same_through_the_fast_path(path, res)
    if res.fatal is not None:
        return
    _problems_name_line_field_value(res)
    assert_rows_accounted(res, text)
