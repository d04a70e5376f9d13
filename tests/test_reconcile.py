"""Reconciling unplaced names: the grouped report, aliases (ReadOptions, CSV, --aliases)."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from data.aliases import aliases_csv, parse_aliases, read_aliases
from data.check import CheckReport, page_report
from data.load import load_table
from data.read_options import ReadOptions

TABLE = Path(__file__).parent / "fixtures" / "reconcile_en.csv"
PICKS = (("Gulou", "320106"), ("Statewide", "510000"), ("Xiangfan City Hall", "420600"))


def _groups(options: ReadOptions | None = None) -> list[dict]:
    return list(page_report(load_table(TABLE, options=options)).groups)


def test_unplaced_names_are_grouped_with_their_rows() -> None:
    groups = _groups()
    assert [(g["value"], g["rows"]) for g in groups] == [
        ("Xiangfan City Hall", 3), ("Statewide", 1), ("Gulou", 1),
    ]  # fmt: skip
    first = groups[0]
    assert first["lines"] == [8, 9, 10] and first["field"] == "city" and first["level"] == "city"
    assert "Xiangfan City Hall" in first["reason"]


def test_candidates_are_offered_never_applied() -> None:
    by_name = {g["value"]: g for g in _groups()}
    xiangfan = [code for code, _ in by_name["Xiangfan City Hall"]["candidates"]]
    assert xiangfan[0] == "420600"  # 襄阳市, formerly Xiangfan
    assert all(code.startswith("42") for code in xiangfan)  # inside Hubei, where the rows are
    gulou = [code for code, _ in by_name["Gulou"]["candidates"]]
    assert gulou[:2] == ["320106", "320302"]  # both 鼓楼区 of Jiangsu, the ambiguity's own
    labels = dict(by_name["Gulou"]["candidates"])
    assert labels["320106"].startswith("鼓楼区 (南京市)")
    assert "510000" in dict(by_name["Statewide"]["candidates"])  # the whole province


def test_groups_survive_the_record() -> None:
    report = page_report(load_table(TABLE))
    assert CheckReport.from_record(report.record()).groups == report.groups
    assert CheckReport.from_record({"problems": []}).groups == ()  # an older record


def test_a_pick_applies_to_every_row_with_that_name() -> None:
    res = load_table(TABLE, options=ReadOptions(aliases=PICKS))
    f = res.frame.set_index("row")
    assert list(f.loc[[8, 9, 10], "city_adcode"]) == ["420600"] * 3
    assert f.loc[11, "district_adcode"] == "320106" and f.loc[11, "city_adcode"] == "320100"
    assert f.loc[6, "province_adcode"] == "510000" and f.loc[6, "placed"] == "province"
    assert not [p for p in res.problems if p.severity == "error"]
    assert list(f.loc[[8, 6], "city_zh"]) == ["Xiangfan City Hall", "Statewide"]  # as written
    assert page_report(res).groups == ()
    assert "5 row(s) placed as you chose (aliases)" in res.notes


def test_the_users_whole_province_marker() -> None:
    res = load_table(TABLE, options=ReadOptions(whole_marker="statewide"))
    row = res.frame.set_index("row").loc[6]
    assert (row["province_adcode"], row["placed"]) == ("510000", "province")
    assert "Statewide" not in [g["value"] for g in page_report(res).groups]


def test_notes_are_warnings_naming_the_row() -> None:
    res = load_table(TABLE)
    notes = {p.row: p for p in res.problems if p.severity == "warning"}
    assert "邓州市 (南阳市)" in notes[4].reason and notes[4].field == "city"
    assert "台湾省" in notes[7].reason and notes[7].value == "Taipei"
    f = res.frame.set_index("row")
    assert f.loc[4, "district_adcode"] == "411381" and f.loc[7, "province_adcode"] == "710000"


def test_aliases_csv_round_trip() -> None:
    body = aliases_csv(PICKS, {"Gulou": "city"})
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "name,field,adcode,name_zh"
    assert "Gulou,city,320106,鼓楼区" in text and "Xiangfan City Hall,,420600,襄阳市" in text
    assert parse_aliases(text) == PICKS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,adcode\nX,999999\n", "line 2, name 'X': '999999' is not a known adcode"),
        ("name,adcode\nX,44\n", "is not a known adcode"),
        ("place,code\nX,440000\n", "no name or adcode column"),
        ("name,adcode\n,440000\n", "line 2: no name"),
    ],
)
def test_bad_aliases_say_where(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_aliases(text, "a.csv")


def _cli(*argv: str) -> tuple[int, str, str]:
    from app import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_check_lists_the_names_and_accepts_aliases(tmp_path: Path) -> None:
    code, out, _ = _cli("--data", str(TABLE), "--check")
    assert code == 1
    assert 'city "Xiangfan City Hall" — 3 rows' in out and "420600  襄阳市 (湖北省)" in out
    aliases = tmp_path / "aliases.csv"
    aliases.write_bytes(aliases_csv(PICKS))
    assert read_aliases(aliases) == PICKS
    code, out, _ = _cli("--data", str(TABLE), "--aliases", str(aliases), "--check")
    assert code == 0 and "Names not placed" not in out and "0 error(s)" in out


def test_cli_refuses_bad_aliases_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,adcode\nGulou,123\n", encoding="utf-8")
    code, out, err = _cli("--data", str(TABLE), "--aliases", str(bad), "--check")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "line 2" in err
    code, _, err = _cli("--aliases", str(bad), "--check")
    assert code == 2 and "need --data" in err


@pytest.mark.slow
def test_cli_export_with_aliases(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_bytes(aliases_csv(PICKS))
    code, out, err = _cli(
        "--data", str(TABLE), "--aliases", str(aliases), "--export", str(tmp_path / "pack")
    )
    assert code == 0, err
    assert "2 problems" in err  # the two notes (Dengzhou, Taipei); the three names are placed
    assert list((tmp_path / "pack").glob("*.zip"))


@pytest.mark.parametrize("text", ["😀", "!!!", "—", "😀😀 "])
def test_a_name_without_letters_gets_no_candidates_and_no_error(text):
    """Found by the table fuzzer: a place written as an emoji made the candidate list raise."""
    from geodata.resolver import search_places, suggest_places

    assert suggest_places(text) == [] and search_places(text) == []
