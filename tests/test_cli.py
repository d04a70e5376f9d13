"""app.py as a user runs it: --check reports, exit codes, --data on a file it cannot use."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_check_a_good_table_exits_0_and_counts_what_is_placed():
    out = run("--data", str(FIX / "messy_gbk.csv"), "--check")
    assert out.returncode == 0, out.stderr
    assert "12 rows read" in out.stdout and "Traceback" not in out.stderr


def test_check_json_names_each_faulty_row():
    out = run("--data", str(FIX / "broken.csv"), "--check", "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert {"rows", "mapped", "national", "problems"} <= set(report)
    assert all(
        {"row", "field", "value", "reason", "severity"} <= set(p) for p in report["problems"]
    )
    assert all(p["row"] >= 2 for p in report["problems"])  # spreadsheet lines, header = 1


def test_unusable_files_exit_2_with_one_clear_line():
    for name in ("garbage.bin", "empty.csv", "no_title.csv"):
        out = run("--data", str(FIX / name), "--check")
        assert out.returncode == 2, name
        assert "Traceback" not in out.stdout + out.stderr, name
    missing = run("--data", "/nonexistent/table.csv", "--check")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_starting_the_dashboard_on_an_unusable_file_says_why_and_exits_2():
    out = run("--data", str(FIX / "garbage.bin"), "--port", "0")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "garbage.bin" in out.stderr


def test_check_needs_data():
    out = run("--check")
    assert out.returncode == 2 and "--data" in out.stderr
