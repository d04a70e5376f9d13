"""Issue 12: what users really write is read, and nothing is lost or changed without a problem."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data import parse
from data.check import run_check
from data.load import load_table
from data.read import ReadError, read_raw

REPO = Path(__file__).resolve().parent.parent
HEADER = "标题,省份,日期\n"


def _csv(tmp_path: Path, text: str, name: str = "t.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_unterminated_quote_is_reported_where_it_opened_and_rows_are_kept(tmp_path) -> None:
    rows = [f"政策{i},广东,2020-0{i}-01" for i in range(1, 8)]
    rows[2] = '"政策3 with an open quote,广东,2020-03-01'
    p = _csv(tmp_path, HEADER + "\n".join(rows) + "\n")
    res = load_table(p)
    assert len(res.frame) == 7  # nothing merged
    assert res.frame["row"].tolist() == [2, 3, 4, 5, 6, 7, 8]
    errors = [q for q in res.problems if q.severity == "error"]
    assert [(q.row, q.field) for q in errors] == [(4, "标题")]
    assert "never closed" in errors[0].reason and "line 4" in errors[0].reason
    assert errors[0].value.startswith('"政策3')
    out = io.StringIO()
    assert run_check(str(p), out=out) == 1
    assert "7 rows read" in out.getvalue() and "No problems" not in out.getvalue()


def test_quote_closed_lines_later_with_wrong_width_is_split_back(tmp_path) -> None:
    text = HEADER + '甲,广东,2020\n"乙,广东,2021\n丙,广东,2022\n丁",广东,2023,x\n戊,广东,2024\n'
    res = load_table(_csv(tmp_path, text))
    assert res.frame["title_zh"].tolist()[0] == "甲"
    assert len(res.frame) == 5
    assert any(q.row == 3 and q.severity == "error" for q in res.problems)


def test_a_cell_with_line_breaks_is_one_row_and_a_warning(tmp_path) -> None:
    res = load_table(_csv(tmp_path, HEADER + '"两\n行",广东,2020\n乙,广东,2021\n'))
    assert res.frame["title_zh"].tolist() == ["两\n行", "乙"]
    (w,) = [q for q in res.problems if "spans lines" in q.reason]
    assert (w.row, w.field, w.severity) == (2, "标题", "warning")


TRAD = "發布日期,標題,省份\n" + (
    "2020-01-01,區塊鏈產業發展若干措施,廣東省\n2021-03-01,關於促進區塊鏈技術應用,臺灣\n" * 3
)


def test_big5_is_detected_and_named_and_traditional_names_resolve(tmp_path) -> None:
    res = load_table(_csv(tmp_path, TRAD, encoding="big5"))
    assert res.fatal is None
    assert res.encoding.startswith("big5")
    assert res.columns["date"] == "發布日期" and res.columns["province"] == "省份"
    assert res.frame["province_adcode"].tolist() == ["440000", "710000"] * 3
    assert not [p for p in res.problems if p.severity == "error"]
    assert res.frame["province_zh"].iloc[0] == "廣東省"  # kept as written
    assert any("big5" in n for n in res.notes)


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("cp1252", "cp1252")],
)
def test_other_encodings_are_named(tmp_path, encoding, shown) -> None:
    text = "title,province,date\nCafé “blockchain” plan,Guangdong,2020-01-01\n" * 5
    res = load_table(_csv(tmp_path, text, encoding=encoding))
    assert res.fatal is None, res.fatal
    assert res.encoding.startswith(shown)
    assert res.frame["title_en"].iloc[0] == "Café “blockchain” plan"


def test_undecodable_text_names_what_was_tried(tmp_path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"title,date\n" + b"\x81\xff\xfe\x81" * 40 + b"\n")
    res = load_table(p)
    assert res.fatal and ("not text" in res.fatal or "not a table" in res.fatal)


@pytest.mark.parametrize("where", [0, 50])
def test_nul_byte_is_a_warning_wherever_it_is(tmp_path, where) -> None:
    rows = [f"政策{i},广东,2020" for i in range(60)]
    rows[where] = f"政策\x00{where},广东,2020"
    res = load_table(_csv(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert res.fatal is None and len(res.frame) == 60
    (w,) = [q for q in res.problems if "control" in q.reason]
    assert (w.row, w.field, w.severity) == (where + 2, "标题", "warning")


def test_file_size_limit(tmp_path, monkeypatch) -> None:
    p = _csv(tmp_path, HEADER + "政策,广东,2020\n" * 2000)
    res = load_table(p, max_bytes=1000)
    assert res.fatal and "limit is" in res.fatal and "POLICY_ATLAS_MAX_FILE_MB" in res.fatal
    monkeypatch.setenv("POLICY_ATLAS_MAX_FILE_MB", "1")
    assert load_table(p).fatal is None


def test_row_limit(tmp_path, monkeypatch) -> None:
    p = _csv(tmp_path, HEADER + "政策,广东,2020\n" * 50)
    assert "more than 20 rows" in load_table(p, max_rows=20).fatal
    monkeypatch.setenv("POLICY_ATLAS_MAX_ROWS", "10")
    res = load_table(p)
    assert res.fatal and "POLICY_ATLAS_MAX_ROWS" in res.fatal
    out = io.StringIO()
    assert run_check(str(p), out=out, max_rows=100) == 0


def test_row_limit_xlsx_and_parquet(tmp_path) -> None:
    df = pd.DataFrame({"标题": ["政策"] * 30, "省份": ["广东"] * 30})
    df.to_excel(tmp_path / "t.xlsx", index=False)
    df.to_parquet(tmp_path / "t.parquet")
    for name in ("t.xlsx", "t.parquet"):
        assert "more than 10 rows" in load_table(tmp_path / name, max_rows=10).fatal


def test_parquet_duplicate_columns_get_a_clear_note(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pa.table([pa.array(["政策"]), pa.array(["广东"]), pa.array(["深圳"])],
                 names=["标题", "省份", "省份"])  # fmt: skip
    pq.write_table(t, tmp_path / "d.parquet")
    res = load_table(tmp_path / "d.parquet")
    assert res.fatal is None
    assert any("duplicate column names '省份'" in n for n in res.notes)
    assert "省份_2" in res.frame.columns


def test_amounts_and_dates_in_a_table(tmp_path) -> None:
    text = (
        "标题,省份,日期,金额\n"
        "A,广东,二〇二〇年四月,1亿5千万元\n"
        "B,广东,2021年第二季度,五百万元\n"
        "C,广东,2020年04月08日 10:00,3 million yuan\n"
        f"D,广东,10/10/2020,{'9' * 400}\n"
    )
    res = load_table(_csv(tmp_path, text))
    f = res.frame
    assert f["amount_cny"].tolist()[:3] == [150_000_000, 5_000_000, 3_000_000]
    assert pd.isna(f["amount_cny"].iloc[3])
    assert f["date_precision"].tolist() == ["month", "quarter", "day", "day"]
    (err,) = [q for q in res.problems if q.severity == "error"]
    assert (err.row, err.field, err.value) == (5, "金额", "9" * 400)
    out = io.StringIO()
    run_check(str(_csv(tmp_path, text)), out=out)
    assert not re.search(r"\binf\b", out.getvalue())


@pytest.mark.parametrize("header", ["地区", "所在地", "location", "region"])
def test_single_place_column(tmp_path, header) -> None:
    text = (
        f"标题,{header},日期\n"
        "A,北京市朝阳区,2020\n"
        "B,山东省青岛市市北区,2020\n"
        "C,东乡族自治县,2020\n"
        "D,贵州省贵阳市贵阳国家高新技术产业开发区,2020\n"
        "E,火星,2020\n"
    )
    res = load_table(_csv(tmp_path, text))
    f = res.frame
    assert f["district_adcode"].tolist()[:3] == ["110105", "370203", "622926"]
    assert (f["city_adcode"].iloc[3], f["placed"].iloc[3]) == ("520100", "city")
    assert f["district_zh"].iloc[0] == "朝阳区" and f[header].iloc[0] == "北京市朝阳区"
    probs = {(q.row, q.field, q.severity) for q in res.problems}
    assert probs == {(5, header, "warning"), (6, header, "error")}
    assert f["placed"].iloc[4] == "unplaced" and f["province_zh"].iloc[4] == "火星"


def test_json_check_into_head_has_no_traceback(tmp_path) -> None:
    p = _csv(tmp_path, HEADER + "".join(f"政策{i},火星,2020\n" for i in range(3000)))
    proc = subprocess.run(
        f"{sys.executable} app.py --data {p} --check --json | head -c 50",
        shell=True, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.stdout.startswith("{")
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_json_report_lists_reader_problems(tmp_path) -> None:
    p = _csv(tmp_path, HEADER + '甲,广东,2020\n"乙,广东,2021\n')
    out = io.StringIO()
    assert run_check(str(p), as_json=True, out=out) == 1
    report = json.loads(out.getvalue())
    assert report["rows"] == 2
    assert any(q["row"] == 3 and "never closed" in q["reason"] for q in report["problems"])


def test_read_raw_limit_is_a_read_error(tmp_path) -> None:
    with pytest.raises(ReadError, match="limit"):
        read_raw(str(_csv(tmp_path, HEADER + "a,b,c\n" * 100)), max_bytes=10)


@pytest.mark.parametrize(
    ("text", "encoding", "shown"),
    [
        ("title,province,date\nRévolution numérique,Guangdong,2020\n", "cp1252", "cp1252"),
        ("标题,省份,日期\n区块链,广东,2020\n", "gb18030", "gb18030"),
        ("標題,省份,日期\n區塊鏈,廣東,2020\n", "big5", "big5"),
    ],
)
def test_short_files_get_the_right_encoding(tmp_path, text, encoding, shown) -> None:
    res = load_table(_csv(tmp_path, text, encoding=encoding))
    assert res.fatal is None and res.encoding.startswith(shown)
    assert res.frame.iloc[0][["title_zh", "title_en"]].dropna().tolist() == [
        text.split("\n")[1].split(",")[0]
    ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_plain_ascii_utf16_without_bom(tmp_path, encoding) -> None:
    res = load_table(_csv(tmp_path, "title,province\nPlan,Guangdong\n", encoding=encoding))
    assert res.fatal is None and res.encoding.startswith(encoding)
    assert res.frame["province_adcode"].tolist() == ["440000"]


def test_chinese_utf16_without_bom(tmp_path) -> None:
    text = "标题,省份,日期\n" + "关于促进区块链产业发展的若干措施,广东省,2020年4月\n" * 3
    res = load_table(_csv(tmp_path, text, encoding="utf-16-le"))
    assert res.fatal is None and res.encoding.startswith("utf-16-le")
    assert res.frame["province_adcode"].tolist() == ["440000"] * 3


def test_large_csv_is_streamed_not_held_as_text(tmp_path) -> None:
    """Python-heap peak while reading stays under the file's size (Arrow holds the cells; the
    hand reader keeps at most one chunk of rows as str): the whole text read first, as str,
    would need more than the file's size (two bytes a character for Chinese text)."""
    import tracemalloc

    def peak(rows: int) -> tuple[int, int]:
        p = _csv(tmp_path, HEADER + "区块链政策文件,广东省,2020-04-08\n" * rows, name=f"{rows}.csv")
        tracemalloc.start()
        table = read_raw(str(p))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(table.frame) == rows
        return top, p.stat().st_size

    for rows in (60_000, 240_000):
        top, size = peak(rows)
        assert top < size, (rows, top, size)


# --- issue 25 item 2: a quote that never closes, in new positions; rows accounted for ----------

QUOTE_VARIANTS = {
    "first field": ('甲,广东,2020\n"乙,广东,2021\n丙,广东,2022\n丁,广东,2023\n', 3, "标题"),
    "last field": ('甲,广东,2020\n乙,广东,"2021\n丙,广东,2022\n丁,广东,2023\n', 3, "日期"),
    "after a delimiter and spaces": ('甲,广东,2020\n乙,  "广东,2021\n丙,广东,2022\n', None, "省份"),
    # split back into its lines, each read as written (the cell with a line break too)
    "inside a multi-line record": (
        '甲,广东,2020\n"乙\n行",广东,"2021\n丙,广东,2022\n',
        (3, 4),
        "标题",
    ),
    "at the last line": ('甲,广东,2020\n乙,广东,2021\n"丙,广东,2022\n', 4, "标题"),
    "at the last line, no line end": ('甲,广东,2020\n乙,广东,"2021', 3, "日期"),
    "a lone quote on the last line": ('甲,广东,2020\n乙,广东,2021\n"\n', 4, "标题"),
    "closed mid-value": ('甲,广东,2020\n"乙"x,广东,2021\n丙,广东,2022\n', 3, "标题"),
    "doubled before text": ('甲,广东,2020\n""乙,广东,2021\n丙,广东,2022\n', 3, "标题"),
    "\\r line ends": ('甲,广东,2020\r"乙,广东,2021\r丙,广东,2022\r', 3, "标题"),
    "mixed line ends": ('甲,广东,2020\r\n"乙,广东,2021\r丙,广东,2022\n丁,广东,2023\r\n', 3, "标题"),
}


@pytest.mark.parametrize("case", list(QUOTE_VARIANTS))
def test_quote_never_closed_loses_no_row(tmp_path, case) -> None:
    from tests.accounting import assert_rows_accounted, physical_lines

    body, row, field = QUOTE_VARIANTS[case]
    text = HEADER + body
    res = load_table(_csv(tmp_path, text))
    assert_rows_accounted(res, text)
    assert len(res.frame) == physical_lines(text) - 1  # every line a row: nothing swallowed
    quote = [q for q in res.problems if q.severity == "error" and "quote" in q.reason]
    if row is None:  # not an opening quote to CSV: the value as written, no record merged
        assert not quote and '"' in res.frame["province_zh"].iloc[1]
        return
    rows = row if isinstance(row, tuple) else (row,)
    assert [(q.row, q.field) for q in quote] == [(r, field) for r in rows]
    assert '"' in quote[0].value  # the value as written, quote included


def test_a_misquoted_value_is_kept_as_written(tmp_path) -> None:
    res = load_table(_csv(tmp_path, HEADER + '甲,广东,2020\n"乙"x,广东,2021\n'))
    assert res.frame["title_zh"].tolist() == ["甲", '"乙"x']


def test_empty_rows_are_said_and_counted(tmp_path) -> None:
    text = HEADER + "甲,广东,2020\n,,\n\n乙,广东,2021\n"
    res = load_table(_csv(tmp_path, text))
    assert len(res.frame) == 2
    assert any("2 empty row(s) skipped (no text in any field): 3, 4" in n for n in res.notes)
    assert res.accounting == {
        "records": 5, "rows": 2, "skipped": {"header": 1, "empty": 2}, "continued": 0,
    }  # fmt: skip


def test_a_lost_row_fails_loudly_rather_than_silently(tmp_path) -> None:
    """The loader's own check: a row the reader lost (simulated) ends in a fatal message naming
    the record, never in a smaller table."""
    from data.load import build

    p = _csv(tmp_path, HEADER + "甲,广东,2020\n乙,广东,2021\n丙,广东,2022\n")
    table = read_raw(str(p))
    assert build(table, str(p)).fatal is None
    table.frame, table.lines = table.frame.drop(index=1).reset_index(drop=True), table.lines[[0, 2]]
    res = build(table, str(p))
    assert res.fatal and "4 records but 2 rows were read" in res.fatal and ": 3)" in res.fatal


def test_every_format_is_accounted(tmp_path) -> None:
    from tests.accounting import assert_rows_accounted

    df = pd.DataFrame({"标题": ["甲", "", "丙"], "省份": ["广东", "", "广东"]})
    df.to_excel(tmp_path / "t.xlsx", index=False)
    df.to_parquet(tmp_path / "t.parquet")
    xlsx, parquet = load_table(tmp_path / "t.xlsx"), load_table(tmp_path / "t.parquet")
    assert_rows_accounted(xlsx)
    assert xlsx.accounting["skipped"] == {"header": 1, "empty": 1} and len(xlsx.frame) == 2
    assert_rows_accounted(parquet)
    assert parquet.accounting == {"records": 4, "rows": 3, "skipped": {"header": 1},
                                  "continued": 0}  # fmt: skip


# --- issue 20 item 3 / issue 25 item 1 in a table ------------------------------------------------


def _bundled_as_mdy(tmp_path: Path) -> tuple[Path, list[str]]:
    """The bundled rows dated to the day, restated with MM/DD/YYYY dates (the US convention of GIS
    exports); the facts are data/policies.csv's."""
    df = pd.read_csv(REPO / "data" / "policies.csv", dtype=str, keep_default_na=False)
    df = df[df["date_issued"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")]
    iso = df["date_issued"].tolist()
    df["date_issued"] = [f"{d[5:7]}/{d[8:10]}/{d[:4]}" for d in iso]
    path = tmp_path / "mdy.csv"
    df.to_csv(path, index=False)
    return path, iso


def test_a_month_first_column_is_dated_by_its_own_evidence(tmp_path) -> None:
    path, iso = _bundled_as_mdy(tmp_path)
    written = pd.read_csv(path, dtype=str)["date_issued"]
    before = sum(1 for v in written if "ambiguous" in (parse.parse_date(v)[2] or ""))
    res = load_table(path)
    assert before > 0
    assert [f"{d:%Y-%m-%d}" for d in res.frame["date"]] == iso
    assert not [q for q in res.problems if q.field == "date_issued" and q.severity == "error"]
    assert any(n.startswith("dates read as month/day/year:") for n in res.notes)


def test_mixed_order_evidence_is_a_problem_naming_rows(tmp_path) -> None:
    text = HEADER + "甲,广东,01/23/2020\n乙,广东,03/04/2020\n丙,广东,23/01/2020\n"
    res = load_table(_csv(tmp_path, text))
    (err,) = [q for q in res.problems if q.field == "日期"]
    assert err.row == 3 and "rows 2" in err.reason and "rows 4" in err.reason
    assert "--date-order mdy|dmy" in err.reason


def test_ranges_keep_their_end_and_amounts_their_groups(tmp_path) -> None:
    text = (
        "标题,省份,日期,金额\n"
        "甲,广东,2020-01-23 to 2020-03-13,1 000 000\n"
        "乙,广东,2020年1月23日至3月13日,3 500 000元\n"
        "丙,广东,2020-01-23T10:00:00+08:00,1 500万元\n"
        '丁,广东,2020-10-00,"1,5亿"\n'
    )
    res = load_table(_csv(tmp_path, text))
    f = res.frame
    assert f["date_end"].tolist()[:2] == [pd.Timestamp("2020-03-13")] * 2
    assert pd.isna(f["date_end"].iloc[2]) and f["date"].iloc[2] == pd.Timestamp("2020-01-23")
    assert f["amount_cny"].tolist()[:3] == [1_000_000, 3_500_000, 15_000_000]
    assert pd.isna(f["date"].iloc[3]) and pd.isna(f["amount_cny"].iloc[3])
    errs = {q.field: q for q in res.problems if q.row == 5 and q.severity == "error"}
    assert "day 0 does not exist" in errs["日期"].reason
    assert errs["金额"].suggestion == "1.5亿 = 150,000,000 yuan or 15亿 = 1,500,000,000 yuan"


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2020-04-03"), ("mdy", "2020-03-04")])
def test_the_date_order_chosen_reaches_the_date_step(tmp_path, order, expected) -> None:
    from data.read_options import ReadOptions

    p = _csv(tmp_path, HEADER + "甲,广东,03/04/2020\n")
    assert [q.field for q in load_table(p).problems if q.severity == "error"] == ["日期"]
    res = load_table(p, options=ReadOptions(date_order=order))
    assert res.frame["date"].iloc[0] == pd.Timestamp(expected)
    assert not [q for q in res.problems if q.severity == "error"]
    assert any("(as chosen)" in n for n in res.notes)


def test_a_large_plain_file_reads_through_arrow_exactly_as_by_hand(tmp_path, monkeypatch) -> None:
    """Issue 24: a file with no quote character and even lines goes through Arrow's CSV reader;
    its rows, line numbers, notes and problems are the hand reader's."""
    import data.read

    rows = [f"政策{i},广东省,2020-0{i % 9 + 1}-01" for i in range(40_000)]
    rows[7] = ",,"  # an empty row, still named
    p = _csv(tmp_path, HEADER + "\r\n".join(rows) + "\n")
    assert p.stat().st_size > data.read.FAST_MIN_BYTES
    fast = read_raw(str(p))
    monkeypatch.setattr(data.read, "FAST_MIN_BYTES", 1 << 40)
    hand = read_raw(str(p))
    pd.testing.assert_frame_equal(fast.frame, hand.frame)
    assert fast.lines.tolist() == hand.lines.tolist() and fast.notes == hand.notes
    assert fast.accounting == hand.accounting and fast.accounting.units == 40_001
    monkeypatch.setattr(data.read, "FAST_MIN_BYTES", 0)
    assert data.read._read_fast(str(p), ",", 10**6) is not None
    with_quote = _csv(tmp_path, HEADER + "\n".join(rows) + '\n"甲,广东,2020\n', name="q.csv")
    ragged = _csv(tmp_path, HEADER + "\n".join(rows) + "\n甲,广东\n", name="r.csv")
    for odd in (with_quote, ragged):  # a quote or a short line: only the hand reader
        assert data.read._read_fast(str(odd), ",", 10**6) is None


def test_lines_are_counted_alike_across_chunk_edges(tmp_path, monkeypatch) -> None:
    """The Arrow path's independent line count (\\r\\n split between two chunks is one line end)."""
    import random

    import data.read
    from tests.accounting import physical_lines

    rng = random.Random(7)
    for k in range(200):
        monkeypatch.setattr(data.read, "_SCAN_CHUNK", rng.randint(1, 7))
        pieces = ["a", ",", "\r", "\n", "\r\n"]
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        p = _csv(tmp_path, text, name=f"{k}.csv")
        assert data.read._line_count(str(p)) == physical_lines(text), repr(text)
