"""data.read's Arrow path (issue 24): the same rows, line numbers and messages as the hand reader.

A file with no quote character goes through Arrow's CSV reader; its rows must be the file's lines
(an independent check: every byte a cell's, a delimiter or a line end), so a bad value's message
names the line a spreadsheet shows, however many of Arrow's blocks the file spans.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import data.read
from data.load import load_table
from data.read import read_raw

HEADER = "标题,省份,日期\n"


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def _by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data.read, "FAST_MIN_BYTES", 1 << 40)


def test_a_bad_value_far_into_a_large_file_is_named_by_its_line(tmp_path, monkeypatch) -> None:
    """Over several of Arrow's 1 MB blocks: each bad date's problem names its spreadsheet line,
    field and value, exactly as the hand reader's does; empty rows are skipped and named."""
    rows = [f"政策{i},广东省,2020-0{i % 9 + 1}-01" for i in range(120_000)]
    bad = {5: "2020-13-45", 41_234: "去年", 83_001: "2020/02/30", 119_999: "99-99"}
    for i, value in bad.items():
        rows[i] = f"政策{i},广东省,{value}"
    rows[60_000] = ",,"  # an empty row
    p = _write(tmp_path, HEADER + "\n".join(rows) + "\n")
    assert p.stat().st_size > 3 * (1 << 20)  # more than three of Arrow's blocks
    assert data.read._read_fast(str(p), ",", 10**6) is not None  # Arrow takes it
    fast = load_table(p)
    errors = [q for q in fast.problems if q.field == "日期" and q.severity == "error"]
    assert [(q.row, q.value) for q in errors] == [(i + 2, v) for i, v in bad.items()]
    assert any("1 empty row(s) skipped" in n and "60002" in n for n in fast.notes)
    _by_hand(monkeypatch)
    hand = load_table(p)
    assert fast.problems == hand.problems and fast.notes == hand.notes
    assert fast.accounting == hand.accounting
    pd.testing.assert_frame_equal(fast.frame, hand.frame)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + HEADER + "甲,广东省,2020\n乙,,2021-01\n",  # a BOM
        HEADER + "甲,广东省,2020\n乙,,2021-01",  # no line end after the last line
        HEADER + "甲,广东省,2020\n,,\n\n乙,,2021\n",  # an empty row and a blank line
        HEADER + "甲,广东省,2020\n乙,,2021\n\n\n",  # blank lines at the end
        "标题\n甲\n\n乙\n\n",  # one column, blank lines between and after
        HEADER + "甲,广东省\n乙,,2021\n",  # a short line
        HEADER + "甲,广东省,2020,多\n乙,,2021\n",  # a long line
    ],
)
def test_arrow_and_the_hand_reader_read_plain_files_alike(tmp_path, monkeypatch, text) -> None:
    p = _write(tmp_path, text)
    monkeypatch.setattr(data.read, "FAST_MIN_BYTES", 0)
    fast = read_raw(str(p))
    _by_hand(monkeypatch)
    hand = read_raw(str(p))
    pd.testing.assert_frame_equal(fast.frame, hand.frame)
    assert fast.lines.tolist() == hand.lines.tolist()
    assert (fast.notes, fast.problems, fast.accounting) == (hand.notes, hand.problems,
                                                            hand.accounting)  # fmt: skip


def test_arrow_takes_plain_files_of_both_line_ends(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(data.read, "FAST_MIN_BYTES", 0)
    for end in ("\n", "\r\n"):
        p = _write(tmp_path, HEADER.replace("\n", end) + "甲,广东省,2020" + end, f"{len(end)}.csv")
        got = data.read._read_fast(str(p), ",", 10**6)
        assert got is not None and got[1].tolist() == [1, 2], end


def test_a_row_arrow_lost_does_not_add_up(tmp_path) -> None:
    """The byte check is what lets the Arrow path go without counting lines: a table one line
    short of the file (or with a line too many) fails it."""
    p = _write(tmp_path, HEADER + "甲,广东省,2020\n乙,,2021\n")
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        p, read_options=pacsv.ReadOptions(autogenerate_column_names=True),
        convert_options=pacsv.ConvertOptions(column_types={f"f{i}": pa.large_string()
                                                           for i in range(3)}),
    )  # fmt: skip
    assert data.read._bytes_add_up(str(p), table)
    assert not data.read._bytes_add_up(str(p), table.slice(0, 2))
    assert not data.read._bytes_add_up(str(p), pa.concat_tables([table, table.slice(0, 1)]))


def test_repeated_columns_held_compact_load_exactly_as_text(tmp_path, monkeypatch) -> None:
    """``data.load._compact`` holds repeated raw columns as categoricals while the table is
    built: the frame, every problem (line, field, value) and every note are what the text gives,
    hostile cells in a repeated column included."""
    import data.load

    header = "标题,省份,城市,日期,发文机关,层级,激励方式,备注\n"
    rows = []
    for i in range(3000):
        note = ["", "=HYPERLINK(1)", "ok\x07bell", "普通"][i % 4]
        city = ["深圳市", "广州市", "", "珠海"][i % 4]  # 珠海: a short name
        rows.append(f"政策{i},广东省,{city},2020-0{i % 9 + 1}-01,广东省人民政府,省级,"
                    f"补贴;奖励,{note}")  # fmt: skip
    rows[10] = "政策10,火星省,,2020-01-01,广东省人民政府,省级,补贴,=1+1"
    p = _write(tmp_path, header + "\n".join(rows) + "\n")
    raw = read_raw(str(p)).frame
    data.load._compact(raw)
    assert isinstance(raw["备注"].dtype, pd.CategoricalDtype)  # it is held compact
    assert not isinstance(raw["标题"].dtype, pd.CategoricalDtype)  # distinct titles: as text
    compact = load_table(p)
    monkeypatch.setattr(data.load, "_compact", lambda raw: None)
    text = load_table(p)
    assert compact.problems == text.problems and compact.notes == text.notes
    pd.testing.assert_frame_equal(compact.frame, text.frame)
    hostile = [(q.row, q.field, q.value) for q in compact.problems if "formula" in q.reason]
    assert (12, "备注", "=1+1") in hostile and (3, "备注", "=HYPERLINK(1)") in hostile
    assert any(q.row == 12 and q.field == "省份" and q.value == "火星省" for q in compact.problems)


def test_loads_in_threads_give_arrow_its_own_pool_back(tmp_path) -> None:
    """A load takes Arrow's buffers from malloc (``data.load._system_allocator``); when every
    load has ended, Arrow's default pool is the one the app had, whatever their order."""
    from concurrent.futures import ThreadPoolExecutor

    before = pa.default_memory_pool().backend_name
    p = _write(tmp_path, HEADER + "".join(f"政策{i},广东省,2020\n" for i in range(500)))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: load_table(p), range(8)))
    assert all(len(r.frame) == 500 and r.fatal is None for r in results)
    assert pa.default_memory_pool().backend_name == before
