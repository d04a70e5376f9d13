"""`python app.py --data FILE --check [--json]`: the validation report of a policy table.

Exit codes: 0 every row usable (warnings allowed), 1 some rows have errors, 2 the file cannot be
used. Every message is one line; no traceback reaches the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

import pandas as pd

from data.load import LoadResult, Problem, load_table
from data.read_options import ReadOptions

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
        "unplaced_names": place_groups(res) if res.fatal is None else [],
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
    lines.extend(group_lines(place_groups(res)))
    return lines


def group_lines(groups: list[dict[str, Any]]) -> list[str]:
    """The unplaced names, once each, with their candidates and how to apply a choice."""
    if not groups:
        return []
    out = [f"Names not placed ({len(groups)}; choose a place for each in an aliases CSV "
           "and pass --aliases FILE):"]  # fmt: skip
    for g in groups:
        rows = f"{g['rows']} row" + ("s" if g["rows"] != 1 else "")
        out.append(f'  {show_value(g["field"], 40)} "{show_value(g["value"], 80)}" — {rows}')
        for code, label in g.get("candidates", ())[:MAX_CANDIDATES]:
            out.append(f"      {code}  {label}")
    return out


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
    options: ReadOptions | None = None,
) -> int:
    """Load `path`, print the report to `out` (stdout), return the exit code (0, 1 or 2).

    A reader that stops early (``--check --json | head``) ends the output quietly, no traceback;
    the exit code still says what the file is.
    """
    out = _safe_out(out if out is not None else sys.stdout)
    try:
        res = load_table(path, sheet, max_bytes=max_bytes, max_rows=max_rows, options=options)
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


# --- the check report a page shows (an uploaded table's, and the --data table's) ---------------
#: The groups of rows the banner counts; each link opens the report filtered to one of them.
GROUPS = ("unplaced", "undated")
REPORT_COLUMNS = ["row", "field", "value", "reason", "suggestion", "severity"]


@dataclass(frozen=True)
class CheckReport:
    """What the page shows of a table's check: every problem (and a line for each row counted as
    undated or not placed that no problem names, so each row the banner counts is in the report),
    how many rows are not placed or undated, and their lines (``lines[group]``).

    Made once from a :class:`LoadResult` (:func:`page_report`), kept with the table (an upload's
    record, ``Dataset.report``) and read back with :meth:`from_record`: one definition for the
    banner, the grid, the CSV and ``--check``'s counts."""

    problems: tuple[Problem, ...] = ()
    unplaced: int = 0
    undated: int = 0
    lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: the place names no rule could place, one entry per (column, name): see `place_groups`
    groups: tuple[dict[str, Any], ...] = ()

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})

    def rows(self, group: str | None = None) -> list[dict[str, Any]]:
        """The problems as grid rows; with ``group`` ("unplaced" or "undated"), only those on
        that group's lines."""
        keep = set(self.lines.get(group, ())) if group in GROUPS else None
        return [p.as_dict() for p in self.problems if keep is None or p.row in keep]

    def filters(self, group: str | None) -> bool:
        """Whether the report can be filtered to ``group`` (a record from before the lines were
        kept cannot: it shows every problem)."""
        return group in GROUPS and group in self.lines

    def csv(self, group: str | None = None) -> bytes:
        """The report as CSV (line, field, value, reason, suggestion, severity), UTF-8 with a BOM
        so that Excel opens it as UTF-8."""
        frame = pd.DataFrame(self.rows(group), columns=REPORT_COLUMNS)
        return frame.rename(columns={"row": "line"}).to_csv(index=False).encode("utf-8-sig")

    def record(self) -> dict[str, Any]:
        """The report as JSON-ready fields of a table's record."""
        return {
            "unplaced": self.unplaced,
            "undated": self.undated,
            "problems": [p.as_dict() for p in self.problems],
            "lines": {g: list(v) for g, v in self.lines.items()},
            "groups": [dict(g) for g in self.groups],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CheckReport:
        return cls(
            problems=tuple(Problem(**p) for p in record.get("problems", ())),
            unplaced=int(record.get("unplaced", 0)),
            undated=int(record.get("undated", 0)),
            lines={g: tuple(v) for g, v in (record.get("lines") or {}).items() if g in GROUPS},
            groups=tuple(g for g in record.get("groups") or () if isinstance(g, dict)),
        )


def page_report(res: LoadResult) -> CheckReport:
    """The check report of a loaded table (see :class:`CheckReport`)."""
    f = res.frame
    if f.empty or "row" not in f:
        return CheckReport(problems=tuple(res.problems))
    undated = [int(v) for v in f.loc[f["date"].isna(), "row"]] if "date" in f else []
    unplaced = [int(v) for v in f.loc[f["placed"] == "unplaced", "row"]] if "placed" in f else []
    named = {(p.row, p.field) for p in res.problems}
    lines_with = {p.row for p in res.problems}
    date_col = res.columns.get("date", "date")
    silent = [
        Problem(line, date_col, "", "no date: counted as undated", "warning")
        for line in undated
        if (line, date_col) not in named
    ]
    silent += [
        Problem(line, "place", "", "not placed on the map", "warning")
        for line in unplaced
        if line not in lines_with
    ]
    return CheckReport(
        problems=tuple(res.problems) + tuple(silent),
        unplaced=len(unplaced),
        undated=len(undated),
        lines={"unplaced": tuple(unplaced), "undated": tuple(undated)},
        groups=tuple(place_groups(res)),
    )


# --- reconciliation: the unplaced names, grouped ------------------------------------------------
PLACE_FIELDS = ("province", "city", "district", "place")
MAX_GROUPS = 200  # names listed for reconciliation (the report keeps every problem)
MAX_CANDIDATES = 6


def place_groups(res: LoadResult) -> list[dict[str, Any]]:
    """Every place name that stopped a row from being placed where it says, once per (column,
    name as written), most rows first: ``{"field": header, "level": province|city|district|place,
    "value", "rows": n, "lines": [...], "reason", "candidates": [[adcode, label], ...]}``.
    Candidates are the resolver's own (an ambiguity, a did-you-mean), then the nearest names
    inside the province the row is in. A pick applies to every row of the group."""
    headers = {res.columns[f]: f for f in PLACE_FIELDS if f in res.columns}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for p in res.problems:
        if p.severity != "error" or p.field not in headers or not p.value.strip():
            continue
        g = groups.setdefault((p.field, p.value.strip()), {
            "field": p.field, "level": headers[p.field], "value": p.value.strip(), "rows": 0,
            "lines": [], "reason": p.reason, "suggestion": p.suggestion,
        })  # fmt: skip
        g["rows"] += 1
        g["lines"].append(p.row)
    ordered = sorted(groups.values(), key=lambda g: (-g["rows"], g["lines"][0]))[:MAX_GROUPS]
    by_line = _rows_by_line(res.frame, {g["lines"][0] for g in ordered})
    for g in ordered:
        g["candidates"] = _candidates(g, by_line.get(g["lines"][0]))
    return ordered


def _rows_by_line(frame: pd.DataFrame, lines: set[int]) -> dict[int, dict[str, Any]]:
    """The place cells of the rows on ``lines`` (only those: a million rows are not copied)."""
    cols = ["row", "province_zh", "city_zh", "district_zh", "province_adcode"]
    if frame.empty or not lines or not set(cols) <= set(frame.columns):
        return {}
    part = frame.loc[frame["row"].isin(lines), cols]
    part = part.astype(object).where(part.notna(), None)
    return {int(r["row"]): {str(k): v for k, v in r.items()} for r in part.to_dict("records")}


def _candidates(group: dict[str, Any], row: dict[str, Any] | None) -> list[list[str]]:
    from geodata.resolver import place_label, resolve, resolve_place, suggest_places

    level = group["level"]
    if level == "place" or row is None:
        res = resolve_place(group["value"])
        province = None
    else:
        res = resolve(row["province_zh"], row["city_zh"], row["district_zh"])
        province = row["province_adcode"]
    codes = list(res.candidate_adcodes)
    if group.get("suggestion"):
        hit = resolve_place(group["suggestion"])
        codes += [c for c in (hit.district_adcode, hit.city_adcode, hit.province_adcode) if c][:1]
    level_for = "city" if level == "place" else level
    codes += suggest_places(group["value"], level_for, province, MAX_CANDIDATES - 1)
    codes += [province] if province else []  # the whole province ("Statewide")
    out = []
    for code in dict.fromkeys(codes):
        label = place_label(code)
        if label:
            out.append([code, label])
    return out[: MAX_CANDIDATES - 1] + out[-1:] if province and len(out) > MAX_CANDIDATES else out
