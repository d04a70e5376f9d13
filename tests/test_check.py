"""data.check: the human and JSON reports, exit codes, no traceback ever."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from data.check import run_check
from tests.fixtures.make_fixtures import BROKEN_FAULTS, BROKEN_WARNINGS

FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def check(path: Path | str, as_json: bool = False, sheet: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(str(path), sheet=sheet, as_json=as_json, out=out)
    return code, out.getvalue()


def test_bundled_is_clean() -> None:
    code, text = check(ROOT / "data" / "policies.csv")
    assert code == 0
    assert "181 rows read" in text
    assert "National rows (no place): 35" in text
    assert "Unplaced rows (kept, marked unplaced): 0" in text


def test_bundled_json() -> None:
    code, text = check(ROOT / "data" / "policies.csv", as_json=True)
    rep = json.loads(text)
    assert code == 0 and rep["rows"] == 181 and rep["national"] == 35
    assert rep["mapped"]["province"] == 146
    assert all(p["severity"] == "warning" for p in rep["problems"])


@pytest.mark.parametrize(
    "name", ["zh_bom.csv", "zh_gbk.csv", "en_semicolon.csv", "en_tab.tsv", "two_sheets.xlsx",
             "policies.parquet", "messy_gbk.csv"],
)  # fmt: skip
def test_good_fixtures_exit_0(name: str) -> None:
    code, text = check(FIX / name)
    assert code == 0, text


def test_named_sheet() -> None:
    assert check(FIX / "two_sheets.xlsx", sheet="English")[0] == 0
    code, text = check(FIX / "two_sheets.xlsx", sheet="Nope")
    assert code == 2 and "no sheet named 'Nope'" in text


def test_broken_fixture_names_each_fault_with_its_line() -> None:
    code, text = check(FIX / "broken.csv", as_json=True)
    rep = json.loads(text)
    assert code == 1
    assert rep["rows"] == 11
    errors = {(p["row"], p["field"]) for p in rep["problems"] if p["severity"] == "error"}
    assert errors == {(line, field) for line, field, _ in BROKEN_FAULTS}
    warnings = {(p["row"], p["field"]) for p in rep["problems"] if p["severity"] == "warning"}
    assert warnings == {(line, field) for line, field, _ in BROKEN_WARNINGS}
    for p in rep["problems"]:
        assert set(p) >= {"row", "field", "value", "reason", "severity"}
    guangzhuo = next(p for p in rep["problems"] if p["value"] == "Guangzhuo")
    assert guangzhuo["row"] == 3 and guangzhuo["suggestion"] == "Guangzhou"
    long = next(p for p in rep["problems"] if p["row"] == 13)
    assert len(long["value"]) < 1000  # a 10 kB value is cut in the report


def test_broken_human_report_is_one_line_per_problem() -> None:
    code, text = check(FIX / "broken.csv")
    assert code == 1
    assert 'line 3, 城市 "Guangzhuo": error:' in text and "did you mean Guangzhou?" in text
    assert 'line 4, 发布日期 "2020-13-45"' in text
    assert "\\x07" in text  # control characters shown escaped, the line stays one line
    assert text.count("did you mean Guangzhou") == 1
    for line in text.splitlines():
        assert len(line) < 1000


@pytest.mark.parametrize(
    "name", ["empty.csv", "garbage.bin", "blank_lines.csv", "header_only.csv", "no_title.csv",
             "fake.xlsx", "does_not_exist.csv"],
)  # fmt: skip
def test_unusable_files_exit_2(name: str) -> None:
    code, text = check(FIX / name)
    assert code == 2
    assert text.startswith("error: ") and text.count("\n") == 1
    code, text = check(FIX / name, as_json=True)
    rep = json.loads(text)
    assert code == 2 and rep["usable"] is False and rep["fatal"]
    assert rep["rows"] == 0 and rep["problems"] == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("messy_gbk.csv", 0), ("broken.csv", 1), ("garbage.bin", 2), ("empty.csv", 2)],
)
def test_subprocess_exit_codes_and_no_traceback(name: str, expected: int) -> None:
    code = f"import sys; from data.check import run_check; sys.exit(run_check({str(FIX / name)!r}))"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == expected, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.stderr.strip() == ""


def test_subprocess_json_on_ascii_terminal() -> None:
    code = (
        "import sys; from data.check import run_check; "
        f"sys.exit(run_check({str(FIX / 'broken.csv')!r}))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120,
        env={"PYTHONIOENCODING": "ascii", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 1
    assert b"Traceback" not in proc.stderr
