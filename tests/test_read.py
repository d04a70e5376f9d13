"""data.read: formats, encodings, delimiters, header row, unusable files."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.read import ReadError, decode, read_raw, sniff_delimiter

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("zh_bom.csv", "utf-8 (BOM)", ","),
        ("zh_gbk.csv", "gb18030 (GBK)", ","),
        ("en_semicolon.csv", "utf-8", ";"),
        ("en_tab.tsv", "utf-8", "\t"),
        ("messy_gbk.csv", "gb18030 (GBK)", ","),
    ],
)
def test_csv_encodings_and_delimiters(name: str, encoding: str, delimiter: str) -> None:
    t = read_raw(str(FIX / name))
    assert t.format == "csv"
    assert t.encoding == encoding
    assert t.delimiter == delimiter
    assert t.header_line == 1
    assert list(t.lines) == list(range(2, 2 + len(t.frame)))
    assert all(str(t.frame[c].dtype) == "str" for c in t.frame.columns)


def test_gbk_and_bom_read_the_same_cells() -> None:
    a = read_raw(str(FIX / "zh_bom.csv")).frame
    b = read_raw(str(FIX / "zh_gbk.csv")).frame
    assert list(a.columns) == list(b.columns)
    assert a.columns[0] == "编号"  # the BOM is not part of the first header
    assert a.equals(b)


def test_xlsx_first_sheet_with_title_line_above_header() -> None:
    t = read_raw(str(FIX / "two_sheets.xlsx"))
    assert t.format == "xlsx" and t.sheet == "广东" and t.sheets == ["广东", "English"]
    assert t.header_line == 2
    assert list(t.lines) == [3, 4]
    assert t.frame.loc[0, "发布日期"] == "2017-12-08"  # an Excel date cell as an ISO date
    assert t.frame.loc[0, "金额"] == "5000000"  # a number without ".0"
    assert t.frame.loc[1, "金额"] == ""


def test_xlsx_named_sheet_and_missing_sheet() -> None:
    t = read_raw(str(FIX / "two_sheets.xlsx"), sheet="English")
    assert t.sheet == "English" and len(t.frame) == 3
    assert read_raw(str(FIX / "two_sheets.xlsx"), sheet="english").sheet == "English"
    with pytest.raises(ReadError, match="no sheet named 'Nope'; the sheets are: 广东, English"):
        read_raw(str(FIX / "two_sheets.xlsx"), sheet="Nope")


def test_parquet() -> None:
    t = read_raw(str(FIX / "policies.parquet"))
    assert t.format == "parquet"
    assert t.frame["date"].tolist() == ["2017-12-08", "2020-04-08"]
    assert t.frame["amount_cny"].tolist() == ["5000000", ""]
    assert t.frame["note"].tolist() == ["kept", ""]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("garbage.bin", "not a table|not text"),
        ("blank_lines.csv", "no table"),
        ("fake.xlsx", "not a readable Excel workbook"),
        ("does_not_exist.csv", "no such file"),
    ],
)
def test_unusable_files(name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_raw(str(FIX / name))


def test_blank_line_keeps_spreadsheet_line_numbers() -> None:
    t = read_raw(str(FIX / "broken.csv"))
    assert t.lines[0] == 3  # line 2 is blank


def test_multiline_cell_counts_as_one_spreadsheet_row(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text('标题,日期\n"two\nlines",2020\nB,2021\n', encoding="utf-8")
    t = read_raw(str(p))
    assert list(t.lines) == [2, 3]
    assert t.frame["标题"].tolist() == ["two\nlines", "B"]


def test_ragged_rows_are_kept(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text("标题,日期\nA,2020\nB,2021,extra\nC\n", encoding="utf-8")
    t = read_raw(str(p))
    assert t.frame["标题"].tolist() == ["A", "B", "C"]
    assert "extra" in t.frame.iloc[1].tolist()
    assert any("more fields than the header" in n for n in t.notes)


def test_sniff_and_decode() -> None:
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("a|b\n1|2\n") == "|"
    assert decode("标题".encode("gbk"))[0] == "标题"
    assert decode("\ufeff标题".encode())[1] == "utf-8 (BOM)"
    assert decode("标题".encode("utf-16"))[0] == "标题"
