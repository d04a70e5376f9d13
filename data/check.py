"""`python app.py --data FILE --check [--json]`: the validation report of a policy table.

Exit codes: 0 every row usable (warnings allowed), 1 some rows have errors, 2 the file cannot be
used. Every message is one line; no traceback reaches the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any, TextIO

from data.load import LoadResult, Problem, load_table

MAX_SHOWN = 200  # problems listed in the human report (the JSON report lists all)
MAX_VALUE = 120  # characters of a value shown


def show_value(value: str, limit: int = MAX_VALUE) -> str:
    """A value on one line: control characters escaped, long text cut with its length."""
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    if len(out) > limit:
        out = f"{out[:limit]}… ({len(value)} characters)"
    return out


def problem_line(p: Problem) -> str:
    value = f'"{show_value(p.value)}"' if p.value.strip() else "(empty)"
    line = f"  line {p.row}, {show_value(p.field, 40)} {value}: {p.severity}: {p.reason}"
    if p.suggestion and p.suggestion not in p.reason:
        line += f" — did you mean {show_value(p.suggestion, 60)}?"
    return line


def report_dict(res: LoadResult) -> dict[str, Any]:
    s = res.summary()
    return {
        "file": res.path,
        "format": res.format,
        "encoding": res.encoding,
        "delimiter": res.delimiter,
        "sheet": res.sheet,
        "usable": res.fatal is None,
        "fatal": res.fatal,
        "rows": s["rows"],
        "mapped": s["mapped"],
        "national": s["national"],
        "unplaced": s["unplaced"],
        "level_inferred": s["level_inferred"],
        "errors": s["errors"],
        "warnings": s["warnings"],
        "rows_with_errors": s["rows_with_errors"],
        "columns": res.columns,
        "passed_through": res.extras,
        "notes": res.notes,
        "problems": [{**p.as_dict(), "value": show_value(p.value, 500)} for p in res.problems],
    }


def exit_code(res: LoadResult) -> int:
    if res.fatal is not None:
        return 2
    return 1 if any(p.severity == "error" for p in res.problems) else 0


def human_report(res: LoadResult) -> list[str]:
    s = res.summary()
    what = res.format or "file"
    if res.format == "csv":
        delim = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(res.delimiter or "")
        what = f"CSV, {res.encoding}, {delim}-separated"
    elif res.format == "xlsx":
        what = f"Excel, sheet {res.sheet!r}"
    lines = [f"{res.path} ({what}): {s['rows']} rows read"]
    cols = ", ".join(f"{src} → {f}" for f, src in res.columns.items())
    lines.append(f"Columns: {show_value(cols, 400)}")
    if res.extras:
        lines.append("Passed through unchanged: " + show_value(", ".join(res.extras), 400))
    m = s["mapped"]
    lines.append(
        f"Placed on the map: {m['province']} at province level, {m['city']} at city level, "
        f"{m['district']} at district level (municipalities count as province and city)"
    )
    lines.append(f"National rows (no place): {s['national']}")
    lines.append(f"Unplaced rows (kept, marked unplaced): {s['unplaced']}")
    lines.extend(f"Note: {show_value(n, 300)}" for n in res.notes)
    if not res.problems:
        lines.append("No problems: every row is usable.")
        return lines
    lines.append(
        f"Problems: {s['errors']} error(s) on {s['rows_with_errors']} row(s), "
        f"{s['warnings']} warning(s)"
    )
    lines.extend(problem_line(p) for p in res.problems[:MAX_SHOWN])
    if len(res.problems) > MAX_SHOWN:
        lines.append(f"  … and {len(res.problems) - MAX_SHOWN} more (use --json to list all)")
    return lines


def _safe_out(out: TextIO) -> TextIO:
    reconf = getattr(out, "reconfigure", None)
    if reconf is not None:
        with contextlib.suppress(Exception):  # not every stream can be reconfigured
            reconf(errors="backslashreplace")
    return out


def run_check(
    path: str,
    sheet: str | None = None,
    as_json: bool = False,
    out: TextIO | None = None,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> int:
    """Load `path`, print the report to `out` (stdout), return the exit code (0, 1 or 2).

    A reader that stops early (``--check --json | head``) ends the output quietly, no traceback;
    the exit code still says what the file is.
    """
    out = _safe_out(out if out is not None else sys.stdout)
    try:
        res = load_table(path, sheet, max_bytes=max_bytes, max_rows=max_rows)
    except Exception as exc:  # last line of defence: one line, never a traceback
        msg = f"{path}: cannot be checked ({type(exc).__name__}: {exc})".splitlines()[0]
        zero = {"province": 0, "city": 0, "district": 0}
        report = {"file": path, "usable": False, "fatal": msg, "rows": 0, "mapped": zero,
                  "national": 0, "problems": []}  # fmt: skip
        _emit([json.dumps(report, ensure_ascii=False)] if as_json else [f"error: {msg}"], out)
        return 2
    if as_json:
        lines = [json.dumps(report_dict(res), ensure_ascii=False)]
    elif res.fatal is not None:
        lines = [f"error: {show_value(res.fatal, 400)}"]
    else:
        lines = human_report(res)
    _emit(lines, out)
    return exit_code(res)


def _emit(lines: list[str], out: TextIO) -> None:
    try:
        for line in lines:
            print(line, file=out)
        out.flush()
    except BrokenPipeError:
        # the reader has gone (| head): point stdout at devnull so the final flush is silent
        if out is sys.stdout:
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
