"""Any similar table -> the canonical policy frame (docs/ARCHITECTURE.md) plus its problems.

`load_table(path, sheet=None)` never raises for bad input: a file that cannot be used gives
`LoadResult.fatal` (one line); every row is kept, rows with problems are marked (`problems`
column, `placed == "unplaced"`), and every parsed field keeps its raw text (`*_raw`). Unknown input
columns are passed through unchanged after the canonical ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import column_roles, parse, progress
from data.columns import ALIASES, GENERIC, ColumnMap, map_columns, mostly_chinese
from data.read import RawTable, ReadError, read_raw
from data.read_options import ReadOptions
from data.schema import CANONICAL_COLUMNS, EXTRA_COLUMNS

BUNDLED = Path(__file__).resolve().parent / "policies.csv"
_FIELD_NAMES = frozenset(ALIASES)
TEXT_COLUMNS = tuple(
    c
    for c in CANONICAL_COLUMNS + EXTRA_COLUMNS
    if c not in {"row", "date", "incentives", "amount_cny", "sectors", "is_work_report",
                 "level_inferred", "date_end"}
)  # fmt: skip
#: Text columns whose values repeat (a few levels, places, issuers, codes): held as pandas
#: categoricals (integer codes and each distinct value once), which at a million rows keeps the
#: table about half its size. Values, comparisons, sorting and exports read the same as text.
CATEGORICAL_COLUMNS = (
    "date_precision", "date_raw", "level", "province_zh", "city_zh", "district_zh",
    "province_adcode", "city_adcode", "district_adcode", "placed", "issuer_zh", "issuer_en",
    "policy_type", "stance", "source", "level_raw", "policy_type_raw", "stance_raw",
    "incentives_raw", "amount_raw", "sectors_raw",
)  # fmt: skip
MUNICIPALITY_CITIES = frozenset({"110100", "120100", "310100", "500100"})


@dataclass(frozen=True)
class Problem:
    row: int  # spreadsheet line number (header = 1)
    field: str  # the input column as headed in the file (or the canonical name)
    value: str
    reason: str
    severity: str  # "error" (row not fully usable) | "warning" (usable, but look at it)
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
            "suggestion": self.suggestion,
        }


@dataclass
class LoadResult:
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    fatal: str | None = None
    path: str = ""
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> input column
    extras: list[str] = field(default_factory=list)  # input columns passed through
    notes: list[str] = field(default_factory=list)
    options: ReadOptions = field(default_factory=ReadOptions)
    roles: list[dict[str, str]] = field(default_factory=list)  # per input column: its role, why
    preview: list[list[str]] = field(default_factory=list)  # the input's first rows, as written
    #: records in the file, rows read and records reported (``row_accounting``)
    accounting: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.fatal is None

    def summary(self) -> dict[str, Any]:
        f = self.frame
        errors = sum(1 for p in self.problems if p.severity == "error")
        rows_with_errors = len({p.row for p in self.problems if p.severity == "error"})
        if f.empty or "placed" not in f:
            zero = {"province": 0, "city": 0, "district": 0}
            return {"rows": len(f), "mapped": zero, "national": 0, "unplaced": 0,
                    "errors": errors, "warnings": len(self.problems) - errors,
                    "rows_with_errors": rows_with_errors, "level_inferred": 0}  # fmt: skip
        return {
            "rows": int(len(f)),
            "mapped": {
                "province": int(f["province_adcode"].notna().sum()),
                "city": int(f["city_adcode"].notna().sum()),
                "district": int(f["district_adcode"].notna().sum()),
            },
            "placed": {k: int(v) for k, v in f["placed"].value_counts().items()},
            "national": int((f["placed"] == "national").sum()),
            "unplaced": int((f["placed"] == "unplaced").sum()),
            "errors": errors,
            "warnings": len(self.problems) - errors,
            "rows_with_errors": rows_with_errors,
            "level_inferred": int(f["level_inferred"].sum()),
        }


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CANONICAL_COLUMNS + EXTRA_COLUMNS})


# --- place resolution -------------------------------------------------------------------------


def _resolver():
    try:
        from geodata.resolver import resolve
    except Exception:  # the resolver is optional at import time; placement then reports it
        return None
    return resolve


_NATIONAL_ZH = re.compile(
    r"^(国务院|中共中央|中央|全国|国家|中国|最高人民|工业和信息化部|工信部|财政部|商务部|科技部|科学技术部|"
    r"教育部|公安部|司法部|交通运输部|农业农村部|自然资源部|生态环境部|人力资源和社会保障部|民政部|"
    r"住房和城乡建设部|文化和旅游部|国家卫生健康委|海关总署|银保监会|证监会|银监会|保监会|外汇局)"
)
_NATIONAL_EN = re.compile(
    r"(state council|ministry|national|people's bank of china|central committee|supreme people|"
    r"cyberspace administration of china|china banking|china securities|\bpboc\b|\bmiit\b|"
    r"\bndrc\b|\bcac\b|state administration|general administration)",
    re.IGNORECASE,
)


def issuer_looks_national(zh: str, en: str) -> bool:
    return bool(_NATIONAL_ZH.match(zh.strip()) or _NATIONAL_EN.search(en))


_PLACE_KEYS = (
    "p", "c", "d", "level", "problem", "field", "suggestion", "candidates", "zone", "note",
    "candidate_adcodes",
)  # fmt: skip
_NOTHING = (None, None, None, None, None, None, None, (), False, None, ())


def _values(r: Any) -> tuple:
    return (
        r.province_adcode, r.city_adcode, r.district_adcode, r.level, r.problem, r.field,
        r.suggestion, tuple(r.candidates or ()), bool(r.zone), getattr(r, "note", None),
        tuple(getattr(r, "candidate_adcodes", ()) or ()),
    )  # fmt: skip


def alias_key(name: object) -> str:
    """How a name as written is matched against the user's aliases (spaces and case ignored)."""
    return " ".join(str(name).split()).casefold()


def _alias_names(field: str, code: str, cells: dict[str, str | None]) -> dict[str, str | None]:
    """The cells of a row whose ``field`` the user placed at ``code``: the official names of the
    unit and the units above it, so the resolver places the row there (names below it kept)."""
    from geodata.gazetteer import row

    r = row(code)
    if r is None:
        return cells
    out = dict(cells)
    prov = row(r["province_adcode"], "province")
    out["province"] = prov["name_zh"] if prov else None
    if r["level"] == "province":
        out["city"] = None if field in ("city", "district") else out["city"]
        out["district"] = None if field in ("city", "district") else out["district"]
    elif r["level"] == "city":
        out["city"] = r["name_zh"]
        out["district"] = None if field == "district" else out["district"]
    else:
        parent = row(r["parent_adcode"], "city") if r["parent_adcode"] else None
        out["city"] = parent["name_zh"] if parent else None
        out["district"] = r["name_zh"]
    return out


def _with_choices(
    cells: dict[str, str | None], marker: str | None, aliases: dict[str, str]
) -> dict[str, str | None]:
    """The user's whole-province marker read as "All"; the deepest aliased cell placed at its
    adcode (``ReadOptions.aliases``, the reconciliation's picks)."""
    from geodata.resolver import is_whole_marker

    out = dict(cells)
    if marker:
        for f in ("city", "district"):
            if out[f] and is_whole_marker(out[f], marker):
                out[f] = "All"
    for f in ("district", "city", "province"):
        code = aliases.get(alias_key(cells[f])) if cells[f] else None
        if code:
            return _alias_names(f, code, out)
    return out


def _resolve_single(
    place: pd.Series, notes: list[str], aliases: dict[str, str] | None = None
) -> dict[str, np.ndarray]:
    """Resolve a single place column (地区 / 所在地 / location), each distinct value once."""
    from geodata.resolver import resolve_place

    codes, uniques = pd.factorize(place.fillna("").str.strip(), sort=False)
    out = {k: np.empty(len(uniques), dtype=object) for k in _PLACE_KEYS}
    for i, text in enumerate(uniques):
        try:
            if aliases and text and alias_key(text) in aliases:
                cells = {"province": text, "city": None, "district": None}
                named = _alias_names("province", aliases[alias_key(text)], cells)
                text = "".join(v for v in named.values() if v)
            vals = _values(resolve_place(column_roles.code_name(text) or text or None))
        except Exception as exc:  # a resolver bug must not take the whole table down
            vals = _lookup_failed(exc)
        for k, v in zip(out, vals, strict=True):
            out[k][i] = v
    return {k: v[codes] if len(codes) else v[:0] for k, v in out.items()}


def _lookup_failed(exc: Exception) -> tuple[Any, ...]:
    """The place values of a row whose lookup raised: nothing placed, the error as its problem."""
    return (None, None, None, None, f"place lookup failed ({exc})", "province", None, (), False,
            None, ())  # fmt: skip


def _distinct_stripped(*columns: pd.Series) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Per row, the code of its tuple of stripped cells (missing = ""), and those tuples: each
    column factorised as written and only its distinct values stripped, so no stripped copy of
    a million cells is made."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    parts: list[np.ndarray] = []
    for col in columns:
        raw_codes, raw_uniques = pd.factorize(col, sort=False)
        text = np.array([str(u).strip() for u in raw_uniques] + [""], dtype=object)
        stripped, inverse = np.unique(text, return_inverse=True)
        key = key * (len(stripped) + 1) + inverse[raw_codes]  # code -1 (missing) -> the "" slot
        parts.append(stripped)
    codes, first = pd.factorize(key, sort=False)
    uniques = []
    for value in first:
        k, cells = int(value), []
        for stripped in reversed(parts):
            k, j = divmod(k, len(stripped) + 1)
            cells.append(str(stripped[j]))
        uniques.append(tuple(reversed(cells)))
    return np.asarray(codes), uniques


def resolve_places(
    prov: pd.Series,
    city: pd.Series,
    dist: pd.Series,
    notes: list[str],
    options: ReadOptions | None = None,
) -> dict[str, np.ndarray]:
    """Resolve each distinct (province, city, district) once; returns per-row arrays. The
    user's ``options`` (whole-province marker, aliases) apply before resolving."""
    options = options or ReadOptions()
    aliases = {alias_key(k): v for k, v in options.aliases}
    resolve = _resolver()
    codes, uniques = _distinct_stripped(prov, city, dist)
    n = len(uniques)
    out = {k: np.empty(n, dtype=object) for k in _PLACE_KEYS}
    if resolve is None and any(any(t) for t in uniques):
        notes.append("place resolver (geodata.resolver) not available: no row could be placed")
    chosen = np.zeros(n, dtype=bool)  # a name the user placed (an alias) is in the row
    for i, (p, c, d) in enumerate(uniques):
        vals: tuple[Any, ...]
        chosen[i] = bool(aliases) and any(alias_key(x) in aliases for x in (p, c, d) if x)
        if not (p or c or d) or resolve is None:
            vals = _NOTHING
        else:
            try:
                cells = {"province": p or None, "city": c or None, "district": d or None}
                if options.whole_marker or aliases:
                    cells = _with_choices(cells, options.whole_marker, aliases)
                vals = _values(resolve(cells["province"], cells["city"], cells["district"]))
            except Exception as exc:  # a resolver bug must not take the whole table down
                vals = _lookup_failed(exc)
        for k, v in zip(out, vals, strict=True):
            out[k][i] = v
    if chosen.any() and len(codes):
        notes.append(f"{int(chosen[codes].sum())} row(s) placed as you chose (aliases)")
    return {k: v[codes] if len(codes) else v[:0] for k, v in out.items()}


# --- loading ----------------------------------------------------------------------------------

_MISSING_TITLE = "no title column: name one 标题, 政策名称, 文件名称 or title"
_MISSING_WHERE_WHEN = (
    "no date or place column: name one 日期/发布日期/date or 省份/城市/province/city"
)


_CJK = r"[\u3400-\u9fff]"


def _col(raw: pd.DataFrame, cm: ColumnMap, f: str) -> pd.Series:
    empty = pd.Series("", index=raw.index, dtype="str")
    base, _, lang = f.rpartition("_")
    if lang in ("zh", "en") and base in cm.split:
        # one generic column (标题 / title) split by content, unless both languages have columns
        src = cm.split[base]
        zh_col, en_col = cm.fields.get(f"{base}_zh"), cm.fields.get(f"{base}_en")
        if zh_col is None or en_col is None or src in (zh_col, en_col):
            other = en_col if lang == "zh" else zh_col
            if other is None or other == src:
                vals = _text(raw[src])
                is_zh = vals.str.contains(_CJK, regex=True)
                return vals.where(is_zh if lang == "zh" else ~is_zh, "")
    if f in cm.fields:
        return _text(raw[cm.fields[f]])
    return empty


def _text(s: pd.Series) -> pd.Series:
    """A raw column as text: a compacted one (``_compact``) rebuilt by Arrow from its distinct
    values (pandas' own conversion goes through a Python object per cell: ~300 MB at 1 M rows)."""
    if not isinstance(s.dtype, pd.CategoricalDtype) or s.hasnans:
        return s.astype("str")
    import pyarrow as pa

    values = pa.array(s.cat.categories.astype("str").array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    text = values.take(pa.array(s.cat.codes.to_numpy()))
    return pd.Series(text, index=s.index, dtype="str", name=s.name)


def _blank(s: pd.Series) -> pd.Series:
    """Cells that are empty or only whitespace (what ``.str.strip() == ""`` says, without a
    stripped copy of every cell); a missing cell is not blank."""
    return (s == "") | s.str.isspace()


def _na_empty(s: pd.Series) -> pd.Series:
    """Blank cells as missing; the column itself (no copy) when none is blank. A compacted
    column (``_compact``, from :meth:`_Build.stored`) stays categorical, its blank values
    dropped from its categories: the same categorical ``_Out`` makes of the text, without a
    million cells of text in between."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        blank_values = _blank(pd.Series(s.cat.categories.astype("str").array, dtype="str"))
        return s.cat.remove_categories(s.cat.categories[blank_values.to_numpy()])
    blank = _blank(s)
    if not blank.any():
        return s.astype("str")
    return s.where(~blank, None).astype("str")


def _categorical(values: Any) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s
    return s.astype("str").astype("category")


class _Out(dict):
    """The output columns by name; the repeated-text ones (``CATEGORICAL_COLUMNS``) become
    categoricals as they are set, so they are not held as text beside the raw columns."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, _categorical(value) if key in CATEGORICAL_COLUMNS else value)


def load_table(
    path: str | Path,
    sheet: str | None = None,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    mapping: dict[str, str] | None = None,
    datum: str = "wgs84",
    options: ReadOptions | None = None,
) -> LoadResult:
    """Read any similar table (CSV/XLSX/Parquet) into the canonical frame, with its problems.

    ``max_bytes`` / ``max_rows`` limit what is read (see ``data.read.limits``); over a limit the
    result is ``fatal`` with a message naming the limit and how to raise it. ``mapping`` (field ->
    input column) is what a user said a column holds when its header was not recognised; ``datum``
    ("wgs84" or "gcj02") is the datum of longitude/latitude columns (``data.coords``).
    ``options`` (``data.read_options.ReadOptions``): the user's reading choices; ``mapping``, when
    given, is merged into ``options.columns``."""
    path = str(path)
    with _system_allocator():
        return _load(path, sheet, max_bytes, max_rows, mapping, datum, options)


@contextlib.contextmanager
def _system_allocator() -> Iterator[None]:
    """Arrow's buffers from malloc while a table is read and built: what the loader lets go (the
    raw text ``_compact`` replaces, the raw table at the end) goes back to the system
    (``release_memory``: malloc_trim) rather than staying in mimalloc's pool, where only Arrow
    could reuse it (measured at 1 M rows: the frame's RSS 929 → 490 MB, the peak 1,101 → 960)."""
    import pyarrow as pa

    with _POOL_LOCK:  # loads in several threads: the first sets it, the last puts it back
        if not _POOL["users"]:
            _POOL["before"] = pa.default_memory_pool()
            pa.set_memory_pool(pa.system_memory_pool())
        _POOL["users"] += 1
    try:
        yield
    finally:
        with _POOL_LOCK:
            _POOL["users"] -= 1
            if not _POOL["users"]:
                pa.set_memory_pool(_POOL["before"])


_POOL_LOCK = threading.Lock()
_POOL: dict[str, Any] = {"users": 0, "before": None}


def _load(
    path: str,
    sheet: str | None,
    max_bytes: int | None,
    max_rows: int | None,
    mapping: dict[str, str] | None,
    datum: str,
    options: ReadOptions | None,
) -> LoadResult:
    try:
        table = read_raw(path, sheet, max_bytes=max_bytes, max_rows=max_rows)
    except ReadError as exc:
        return LoadResult(frame=empty_frame(), fatal=str(exc), path=path)
    except MemoryError:  # over an upload's parse budget: data.bounded says so
        raise
    except Exception as exc:  # never a traceback for the user
        return LoadResult(frame=empty_frame(), fatal=f"{path}: cannot be read ({exc})", path=path)
    progress.report("checking", len(table.frame), force=True)
    result = build(table, path, mapping, datum, options=options)
    del table
    release_memory()
    return result


def release_memory() -> None:
    """Hand memory Arrow's allocator keeps for reuse back to the system: after a large table is
    built its raw columns are free, but mimalloc would keep their pages (~450 MB at 1 M rows)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    pa.system_memory_pool().release_unused()  # malloc_trim: the CSV reader's pages (data.read)


def merged_options(options: ReadOptions | None, mapping: dict[str, str] | None) -> ReadOptions:
    """``options`` with the older ``mapping=`` argument (field -> column) folded into its
    ``columns`` (the mapping wins where both name a field)."""
    options = options or ReadOptions()
    if not mapping:
        return options
    return options.with_columns({**options.column_map(), **mapping})


def _apply_mapping(cm: ColumnMap, raw: pd.DataFrame, mapping: dict[str, str] | None) -> None:
    """The user's choices (the column panel, ``--columns``, the mapping step): ``field ->
    column`` overrides the header and content match. A generic field (title, issuer, summary)
    goes to its _zh or _en column by content; a composed title ("policy+policy_description")
    becomes one column of the parts joined ("travel_ban_local: public transit suspended")."""
    columns = [str(c) for c in raw.columns]
    for f, col in (mapping or {}).items():
        parts = col.split(column_roles.JOIN) if col not in columns else [col]
        if not all(p in columns for p in parts):
            continue
        if len(parts) > 1:
            raw[col] = _composed(raw, parts)
        if f in GENERIC:
            sample = raw[parts[0]].head(200).astype("str").fillna("").tolist()
            f = f"{f}_zh" if mostly_chinese(sample) else f"{f}_en"
            for other in (f"{GENERIC[f[:-3]]}_zh", f"{GENERIC[f[:-3]]}_en"):
                cm.fields.pop(other, None)
            cm.split.pop(f[:-3], None)
        for other in [k for k, v in cm.fields.items() if v == col]:
            del cm.fields[other]
        if f in cm.fields and cm.fields[f] not in cm.extras and cm.fields[f] in columns:
            cm.extras.append(cm.fields[f])
        if col in cm.extras:
            cm.extras.remove(col)
        cm.fields[f] = col


def _let_go(cm: ColumnMap, col: str) -> None:
    """``col`` holds no field (the user said it is not used): passed through as it is."""
    for f in [k for k, v in cm.fields.items() if v == col]:
        del cm.fields[f]
    for g in [k for k, v in cm.split.items() if v == col]:
        del cm.split[g]
    if col not in cm.extras:
        cm.extras.append(col)


def _composed(raw: pd.DataFrame, parts: list[str]) -> pd.Series:
    """Parts of a composed title joined by ": ", empty parts left out."""
    out = pd.Series("", index=raw.index, dtype="str")
    for part in parts:
        s = raw[part].astype("str").fillna("").str.strip()
        out = out.where(s == "", out.where(out == "", out + ": ") + s)
    return out


def _missing_columns(raw: pd.DataFrame, options: ReadOptions) -> str | None:
    """A choice naming a column the table does not have: one line listing the columns."""
    columns = [str(c) for c in raw.columns]
    for f, col in options.columns:
        for part in col.split(column_roles.JOIN) if col not in columns else [col]:
            if part not in columns:
                found = ", ".join(columns[:50])
                return f"--columns {f}={col}: no column {part!r}; the columns are: {found}"
        joined = column_roles.JOIN in col and col not in columns
        if joined and f not in column_roles.JOINABLE and f != column_roles.UNUSED:
            return f"--columns {f}={col}: only a title or summary may join columns with +"
        if f not in column_roles.ROLE_CHOICES and f not in _FIELD_NAMES | {column_roles.UNUSED}:
            names = ", ".join(c for c in column_roles.ROLE_CHOICES if c)
            return f"--columns {f}={col}: {f!r} is not a role; the roles are: {names}"
    return None


def _nonsense_pick(profiles: dict[str, column_roles.Profile], options: ReadOptions) -> str | None:
    for f, col in options.columns:
        why = column_roles.check_pick(f, col, profiles.get(col))
        if why:
            return why
    return None


class _Build:
    """One table being built: the raw columns, the column map, the problems found so far."""

    def __init__(
        self,
        raw: pd.DataFrame,
        cm: ColumnMap,
        lines: np.ndarray,
        res: LoadResult,
        options: ReadOptions | None = None,
    ):
        self.raw, self.cm, self.lines, self.res = raw, cm, lines, res
        #: the user's reading choices (date order, whole-province marker, aliases, topic)
        self.options = options or ReadOptions()
        self.problems: list[Problem] = []
        self.out: dict[str, Any] = _Out(row=lines)
        self.written_levels: tuple[pd.Series, pd.Series, pd.Series] | None = None
        self.datum = "wgs84"
        self.reported = np.zeros(len(raw), dtype=bool)  # rows whose place problem is reported

    def header(self, f: str) -> str:
        return str(self.cm.fields.get(f, f))

    def col(self, f: str) -> pd.Series:
        return _col(self.raw, self.cm, f)

    def stored(self, f: str) -> pd.Series:
        """Field ``f`` as :meth:`col` reads it, but a compacted raw column (``_compact``) as it
        is stored, categorical (for an output column that is categorical too)."""
        base, _, lang = f.rpartition("_")
        name = self.cm.fields.get(f)
        if name is None or (lang in ("zh", "en") and base in self.cm.split):
            return self.col(f)
        s = self.raw[name]
        return s if isinstance(s.dtype, pd.CategoricalDtype) and not s.hasnans else self.col(f)

    def add(
        self,
        mask: np.ndarray | pd.Series,
        f: str,
        values: pd.Series,
        reasons: str | np.ndarray | pd.Series,
        sev: str,
        suggestions: np.ndarray | None = None,
    ) -> None:
        """A problem on every row of ``mask``: ``reasons`` one string or one per row."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(idx) == 0:
            return
        vals = values.iloc[idx].to_numpy(dtype=object)
        rs = np.asarray(reasons, dtype=object) if not isinstance(reasons, str) else None
        sg = np.asarray(suggestions, dtype=object) if suggestions is not None else None
        name = self.header(f)
        for k, i in enumerate(idx):
            self.problems.append(
                Problem(
                    int(self.lines[i]),
                    name,
                    "" if vals[k] is None else str(vals[k]),
                    str(reasons) if rs is None else str(rs[i]),
                    sev,
                    None if sg is None else sg[i],
                )  # fmt: skip
            )


def build(
    table: RawTable,
    path: str = "",
    mapping: dict[str, str] | None = None,
    datum: str = "wgs84",
    *,
    options: ReadOptions | None = None,
) -> LoadResult:
    """The canonical frame of a raw table (see the module docstring), with every problem."""
    options = merged_options(options, mapping)
    mapping = options.column_map()
    raw = table.frame
    res = LoadResult(
        frame=empty_frame(), path=path, format=table.format, encoding=table.encoding,
        delimiter=table.delimiter, sheet=table.sheet, sheets=table.sheets, notes=list(table.notes),
    )  # fmt: skip
    res.options = options
    res.preview = preview_rows(raw)
    cm, res.fatal = _column_map(raw, options, res)
    if res.fatal:
        return res
    res.columns, res.extras = dict(cm.fields), list(cm.extras)
    for col, f, used in cm.duplicates:
        if cm.fields.get(f) != used or col in cm.fields.values():
            continue  # content or the user gave one of them another role
        res.notes.append(
            f"column {col!r} also looks like {f} (already read from {used!r}); kept as is"
        )
    res.fatal = _unusable(raw, cm, path)
    if res.fatal:
        return res
    _compact(raw)
    release_memory()  # the raw text _compact let go, handed back before the steps allocate
    b = _Build(raw, cm, np.asarray(table.lines, dtype=np.int64), res, options)
    b.datum = datum
    _read_problems(b, table)
    _ids(b)
    _dates(b)
    has_place, places = _places_step(b)
    release_memory()  # each step's let-go text back to the system before the next allocates
    _levels(b, has_place, places)
    release_memory()
    _texts_and_codes(b)
    release_memory()
    _hostile(b)
    res.frame = _assemble(b)
    res.problems = b.problems
    res.fatal = row_accounting(table, res)
    return res


COMPACT_SAMPLE = 10_000  # rows that say whether a column's values repeat


def _compact(raw: pd.DataFrame) -> None:
    """The raw text columns whose values repeat (levels, places, issuers, codes …) held as
    categoricals, in place: each distinct value once, so a million rows' raw table is not kept
    whole as text beside the frame being built (the steps read a column back as the same text,
    ``_col``, one at a time). Mostly distinct columns (ids, titles) stay as they are."""
    for name in list(raw.columns):
        col = raw[name]
        if not isinstance(col.dtype, pd.StringDtype) or col.hasnans:
            continue
        head = col.iloc[:COMPACT_SAMPLE]
        if head.nunique() > len(head) // 2:
            continue
        compact = col.astype("category")
        if len(compact.cat.categories) <= len(col) // 4:
            raw[name] = compact
        del col, compact
        release_memory()  # this column's text back to the system before the next is encoded


PREVIEW_ROWS = 5


def preview_rows(raw: pd.DataFrame, n: int = PREVIEW_ROWS, width: int = 80) -> list[list[str]]:
    """The input's first ``n`` rows as written (cells cut at ``width`` characters): what the
    column panel shows under each column's role."""
    head = raw.head(n).astype("str").fillna("")
    return [[str(v)[:width] for v in values] for values in head.itertuples(index=False)]


def _column_map(
    raw: pd.DataFrame, options: ReadOptions, res: LoadResult
) -> tuple[ColumnMap, str | None]:
    """Headers, then content (``data.column_roles``), then the user's choices; ``res.roles``
    says which column got which role and why. A fatal line when a choice cannot be used."""
    sample = {c: raw[c].head(200).tolist() for c in raw.columns}
    cm = map_columns(list(raw.columns), sample)
    missing = _missing_columns(raw, options)
    if missing:
        return cm, missing
    profiles = column_roles.profile(raw)
    nonsense = _nonsense_pick(profiles, options)
    if nonsense:
        return cm, nonsense
    picked = options.column_map()
    unused = set(picked.pop(column_roles.UNUSED, "").split(column_roles.JOIN)) - {""}
    for col in unused:
        _let_go(cm, col)
    free = {c: p for c, p in profiles.items() if c not in unused}
    reasons = column_roles.assign(cm, free, frozenset(picked))
    _apply_mapping(cm, raw, picked)
    for col in unused:
        reasons[col] = ("", "your choice: not used (kept as it is)")
    for col in list(cm.fields.values()):
        if col not in raw.columns and column_roles.JOIN in col:
            raw[col] = _composed(raw, col.split(column_roles.JOIN))
    for f, col in picked.items():
        for part in col.split(column_roles.JOIN):
            reasons[part] = ("", f"your choice: {f}")
    order = {str(c): i for i, c in enumerate(raw.columns)}
    cm.extras.sort(key=lambda c: order.get(str(c), len(order)))
    res.roles = [r.as_dict() for r in column_roles.roles(cm, profiles, reasons)]
    return cm, None


_SPAN = re.compile(r"lines (\d+)–(\d+)")


def row_accounting(table: RawTable, res: LoadResult) -> str | None:
    """Records in the file = rows read + records reported, or what breaks it (one line).

    The reader counts what the file holds as it reads (``data.read.Accounting``); every record
    is a row of the frame or a record a note names (the header, lines above it, empty rows), and
    every record that runs over several lines is named, with its lines, by a problem or a note.
    Sets ``res.accounting``; a non-None answer is a bug to report, never a silent loss."""
    acc = table.accounting
    if acc is None:
        return None
    rows = res.frame["row"].to_numpy(dtype=np.int64)
    skipped = np.array([r for r, _ in acc.skipped], dtype=np.int64)
    records = acc.records
    kinds: dict[str, int] = {}
    for _, why in acc.skipped:
        kinds[why] = kinds.get(why, 0) + 1
    res.accounting = {"records": records, "rows": len(rows), "skipped": kinds,
                      "continued": len(acc.continued)}  # fmt: skip
    every = np.concatenate([rows, skipped])
    counts = np.bincount(np.clip(every, 0, records + 1), minlength=records + 2)
    missing = np.flatnonzero(counts[1 : records + 1] == 0) + 1
    twice = np.flatnonzero(counts[1 : records + 1] > 1) + 1
    named = {(p.row, *map(int, m)) for p in res.problems for m in _SPAN.findall(p.reason)}
    named |= {(int(n), *map(int, m)) for t in res.notes
              for n, *m in re.findall(r"line (\d+): .*?lines (\d+)–(\d+)", t)}  # fmt: skip
    unnamed = [r for r, a, b in acc.continued if (r, a, b) not in named]
    if not (len(missing) or len(twice) or counts[0] or counts[-1] or unnamed):
        return None
    shown = ", ".join(map(str, [*missing[:10], *twice[:10], *unnamed[:10]]))
    return (
        f"{res.path}: the file holds {records:,} records but {len(rows):,} rows were read and "
        f"{len(skipped):,} reported (records not accounted for: {shown or 'out of range'}); "
        "nothing was loaded rather than losing rows — please report this file"
    )


def _unusable(raw: pd.DataFrame, cm: ColumnMap, path: str) -> str | None:
    if not ({"title_zh", "title_en"} & cm.fields.keys()):
        found = ", ".join(repr(str(c))[1:-1][:80] for c in raw.columns[:50])
        return f"{path}: {_MISSING_TITLE}; columns found: {found}"
    if not ({"date", "province", "city", "district", "place"} & cm.fields.keys()) and not (
        {"lon", "lat"} <= cm.fields.keys()
    ):
        return f"{path}: {_MISSING_WHERE_WHEN}"
    if len(raw) == 0:
        return f"{path}: the table has a header but no rows"
    return None


def _read_problems(b: _Build, table: RawTable) -> None:
    """Problems the reader found in records (an open quote, a cell over several lines)."""
    names = list(b.raw.columns)
    for p in table.problems:
        field = names[p.column] if p.column is not None and p.column < len(names) else "(row)"
        b.problems.append(Problem(p.line, str(field), p.value, p.reason, p.severity))


def _ids(b: _Build) -> None:
    pid = b.col("policy_id")
    fallback = "L" + pd.Series(b.lines, index=b.raw.index).astype("str")
    if "policy_id" in b.cm.fields:
        dup = pid.duplicated(keep=False) & (pid.str.strip() != "")
        b.add(dup, "policy_id", pid, "the same id appears on several rows", "warning")
        pid = pid.where(pid.str.strip() != "", fallback)
    else:
        pid = fallback
    b.out["policy_id"] = pid.astype("str")


def _dates(b: _Build) -> None:
    date_raw = b.col("date")
    order = getattr(getattr(b, "options", None), "date_order", None)  # the user's choice
    d = parse.parse_date_column(date_raw, order, lines=b.lines)
    b.res.notes.extend(d.attrs.get("notes", []))
    b.add(d["date_error"].notna(), "date", date_raw, d["date_error"], "error")
    future = d["date"] > pd.Timestamp(dt.date.today())
    b.add(future, "date", date_raw, "date is in the future", "warning")
    b.out["date"] = d["date"]
    b.out["date_precision"] = d["date_precision"]
    b.out["date_raw"] = date_raw
    b.out["date_end"] = d["date_end"]  # the end of a range (2020-01-23 to 2020-03-13), else NaT


def _place_columns(b: _Build) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series | None]:
    """(province, city, district) as written; a single place column (地区 / location) when the
    table has no province, city or district column."""
    prov, city, dist = (b.col(f) for f in ("province", "city", "district"))
    if {"lon", "lat"} <= b.cm.fields.keys() and not (
        {"province", "city", "district", "place"} & b.cm.fields.keys()
    ):
        return (*_from_points(b), dist, None)
    if "place" in b.cm.fields and not ({"province", "city", "district"} & b.cm.fields.keys()):
        return prov, city, dist, b.col("place")
    if "place" in b.cm.fields:
        b.res.notes.append(
            f"column {b.cm.fields['place']!r} (a place) not used: the table has province, city "
            "or district columns; kept as is"
        )
    return prov, city, dist, None


def _from_points(b: _Build) -> tuple[pd.Series, pd.Series]:
    """(province, city) names of each row's point (``data.coords``); a point that cannot be
    placed is an error naming its line and its coordinates."""
    from data.coords import place_points

    lon, lat = b.col("lon"), b.col("lat")
    placed = place_points(lon, lat, b.datum)
    bad = placed.reason.notna().to_numpy()
    b.reported |= bad
    b.add(bad, "lon", lon.astype("str") + ", " + lat.astype("str"), placed.reason, "error")
    b.res.notes.append(f"places read from coordinates ({b.datum.upper()}) by point-in-polygon")
    return placed.province, placed.city


def _places_step(b: _Build) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    prov, city, dist, single = _place_columns(b)
    if single is not None:
        aliases = {alias_key(k): v for k, v in b.options.aliases}
        places = _resolve_single(single, b.res.notes, aliases)
        prov, city, dist = (_official(places[k], lvl) for k, lvl in
                            (("p", "province"), ("c", "city"), ("d", "district")))  # fmt: skip
        prov = prov.where(~pd.isna(places["p"]) | (single.str.strip() == ""), single)
        field_vals = {"province": single}
    else:
        places = resolve_places(prov, city, dist, b.res.notes, b.options)
        field_vals = {"province": prov, "city": city, "district": dist}
    if single is not None:
        has_place = (single.str.strip() != "").to_numpy()
    else:  # any of the three written (no joined copy of every row's place)
        has_place = np.zeros(len(prov), dtype=bool)
        for column in (prov, city, dist):
            has_place |= ~_blank(column).to_numpy()  # missing counts, as before
    bad = np.array([p is not None for p in places["problem"]], dtype=bool)
    zone = bad & places["zone"].astype(bool)  # placed one level up: a warning
    bad &= ~zone
    fname = "place" if single is not None else None
    for f, vals in field_vals.items():
        on = np.array([x == f for x in places["field"]], dtype=bool)
        b.add(zone & on, fname or f, vals, places["problem"], "warning")
        b.add(bad & on, fname or f, vals, places["problem"], "error", places["suggestion"])
    _place_notes(b, places, bad | zone, field_vals, fname)
    other = bad & np.array([x not in field_vals for x in places["field"]], dtype=bool)
    if other.any():
        written = single if single is not None else prov + city + dist
        b.add(other, fname or "province", written, places["problem"], "error",
              places["suggestion"])  # fmt: skip
    b.out["province_zh"], b.out["city_zh"], b.out["district_zh"] = (
        _na_empty(prov), _na_empty(city), _na_empty(dist),
    )  # fmt: skip
    for k, c in (("p", "province_adcode"), ("c", "city_adcode"), ("d", "district_adcode")):
        b.out[c] = pd.array(places[k], dtype="str")
    b.written_levels = (prov, city, dist)
    return has_place, places


def _place_notes(
    b: _Build,
    places: dict[str, np.ndarray],
    reported: np.ndarray,
    field_vals: dict[str, pd.Series],
    fname: str | None,
) -> None:
    """A row placed, but not as written (a county-level city in the city column, Taipei placed
    at Taiwan): a warning naming the field, from the resolver's note."""
    notes = places["note"]
    noted = np.array([n is not None for n in notes], dtype=bool) & ~reported
    if not noted.any():
        return
    first = np.array([str(n).split(" ", 1)[0] if n else "" for n in notes], dtype=object)
    for f, vals in field_vals.items():
        on = noted & ((first == f) if fname is None else np.ones(len(first), dtype=bool))
        if fname is None and f == "province":
            on |= noted & ~np.isin(first, list(field_vals))
        b.add(on, fname or f, vals, notes, "warning")
        if fname:
            break


def _official(codes: np.ndarray, level: str) -> pd.Series:
    from geodata.resolver import ps_name

    return pd.Series([ps_name(c, level) or "" for c in codes], dtype="str")


def _levels(b: _Build, has_place: np.ndarray, places: dict[str, np.ndarray]) -> None:
    """Level as given, else inferred; then where each row is placed."""
    level_raw = b.col("level")
    lv = parse.parse_simple_column(level_raw, parse.parse_level)
    b.add(lv["error"].notna(), "level", level_raw, lv["error"], "error")
    assert b.written_levels is not None
    prov, city, dist = b.written_levels
    idx = b.raw.index
    res_level = places["level"]
    named = np.full(len(res_level), None, dtype=object)  # the resolved place's level, as a level
    for place_level, level_name in (("province", "provincial"), ("city", "city"),
                                    ("district", "district")):  # fmt: skip
        named[res_level == place_level] = level_name
    municipal = np.fromiter((c in MUNICIPALITY_CITIES for c in places["c"]), bool, len(named))
    named[(res_level == "city") & municipal] = "provincial"
    inferred = pd.Series(named, index=idx, dtype=object)
    # a place that could not be resolved: the deepest level written
    written = pd.Series(None, index=idx, dtype=object)
    for depth, column in (("provincial", prov), ("city", city), ("district", dist)):
        written = written.mask(~_blank(column), depth)  # the deepest written wins
    inferred = inferred.where(inferred.notna(), written)
    issuer_zh, issuer_en = b.stored("issuer_zh"), b.stored("issuer_en")
    nat_codes, nat_uniques = _distinct_stripped(issuer_zh, issuer_en)
    nat = np.array([issuer_looks_national(zh, en) for zh, en in nat_uniques], dtype=bool)
    nat = nat[nat_codes] if len(nat_codes) else np.zeros(0, dtype=bool)
    inferred = inferred.where(has_place | ~nat, "national").fillna("unknown")
    level_missing = lv["value"].isna()
    level = lv["value"].where(~level_missing, inferred)
    b.out["level"] = level.astype("str")
    b.out["level_raw"] = level_raw
    b.out["level_inferred"] = level_missing.to_numpy()
    if level_missing.any():
        b.res.notes.append(
            f"level inferred for {int(level_missing.sum())} row(s) with no level given "
            "(from the place, or national when there is no place and the issuer is national)"
        )
    placed = pd.Series(places["level"], index=idx, dtype=object).fillna("unplaced")
    placed = placed.where(has_place | (level != "national"), "national")
    b.out["placed"] = placed.astype("str")
    no_place = ~has_place & (level != "national").to_numpy() & ~b.reported
    fields = [f for f in ("province", "city", "district", "place") if f in b.cm.fields]
    reason = "no place given and the row is not national: it cannot be placed on the map"
    b.add(no_place, fields[0] if fields else "province", prov, reason, "error")
    b.out["issuer_zh"], b.out["issuer_en"] = _na_empty(issuer_zh), _na_empty(issuer_en)


def _texts_and_codes(b: _Build) -> None:
    title_zh, title_en = b.col("title_zh"), b.col("title_en")
    no_title = _blank(title_zh) & _blank(title_en)  # (no stripped copy of every title)
    tf = "title_zh" if "title_zh" in b.cm.fields else "title_en"
    b.add(no_title, tf, title_zh, "no title", "error")
    b.out["title_zh"], b.out["title_en"] = _na_empty(title_zh), _na_empty(title_en)
    b.out["is_work_report"] = (
        title_en.str.contains("Government Work Report", case=False, regex=False)
        | title_zh.str.contains("政府工作报告", regex=False)
    ).to_numpy(dtype=bool)
    del title_zh, title_en, no_title  # (a copy _na_empty made leaves them: let go now)
    release_memory()
    for f, fn in (("policy_type", parse.parse_policy_type), ("stance", parse.parse_stance)):
        raw = b.col(f)
        parsed = parse.parse_simple_column(raw, fn)
        b.add(parsed["error"].notna(), f, raw, parsed["error"], "warning")
        b.out[f] = parsed["value"].astype("str")
        b.out[f"{f}_raw"] = raw
    inc_raw = b.col("incentives")
    inc = parse.parse_incentives_column(inc_raw)
    unknown = inc["incentives_unknown"].to_numpy(dtype=object)
    has_unknown = np.fromiter(map(len, unknown), bool, len(unknown))
    reasons = np.full(len(unknown), None, dtype=object)  # worded only where one is unknown
    reasons[has_unknown] = [
        "unknown incentive label(s) kept as written: " + ", ".join(u) for u in unknown[has_unknown]
    ]
    b.add(has_unknown, "incentives", inc_raw, reasons, "warning")
    incentives = inc["incentives"]
    if "incentives" in b.cm.fields:  # an empty cell in an incentive column: none stated, as in
        incentives = incentives.map(lambda v: v or ("none-stated",))  # the bundled table
    b.out["incentives"], b.out["incentives_raw"] = incentives, inc_raw
    amount_raw = b.col("amount")
    am = parse.parse_amount_column(amount_raw, b.cm.amount_unit)
    b.add(am["amount_error"].notna(), "amount", amount_raw, am["amount_error"], "error",
          am["amount_suggestion"].to_numpy(dtype=object))  # fmt: skip
    b.out["amount_cny"], b.out["amount_raw"] = am["amount_cny"].astype(float), amount_raw
    if b.cm.amount_unit != 1.0:
        b.res.notes.append(
            f"amounts without a unit read in the header's unit (×{b.cm.amount_unit:g})"
        )
    sectors_raw = b.col("sectors")
    b.out["sectors"], b.out["sectors_raw"] = parse.parse_sectors_column(sectors_raw), sectors_raw
    del inc, inc_raw, unknown, amount_raw, am, sectors_raw
    release_memory()  # the codes' let-go text back to the system before the summaries are read
    b.out["summary_en"] = _na_empty(b.col("summary_en"))
    b.out["summary_zh"] = _na_empty(b.col("summary_zh"))
    b.out["source"] = _na_empty(b.stored("source"))


def _hostile(b: _Build) -> None:
    """Formula-like, control-character or very long text in any column: warn, keep as written."""
    for col in list(b.cm.fields.values()) + b.cm.extras:
        vals, wv, idx = _warned(b.raw[col])
        for k, i in enumerate(idx):
            b.problems.append(Problem(int(b.lines[i]), str(col), str(vals[k]), wv[k], "warning"))


def _warned(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, warnings, rows) of the cells ``parse.text_warnings`` warns about; a compacted
    column (``_compact``) is checked once per distinct value, not as a million cells of text."""
    if isinstance(column.dtype, pd.CategoricalDtype) and not column.hasnans:
        distinct = pd.Series(column.cat.categories.astype("str").array, dtype="str")
        per_value = parse.text_warnings(distinct).to_numpy(dtype=object)
        codes = column.cat.codes.to_numpy()
        idx = np.flatnonzero(pd.notna(per_value)[codes])
        values = distinct.to_numpy(dtype=object)[codes[idx]]
        return values, per_value[codes[idx]], idx
    w = parse.text_warnings(column)
    idx = np.flatnonzero(w.notna().to_numpy())
    return column.iloc[idx].to_numpy(dtype=object), w.iloc[idx].to_numpy(dtype=object), idx


def _assemble(b: _Build) -> pd.DataFrame:
    """The frame in canonical column order, unknown columns passed through, problems per row."""
    out = b.out
    frame = pd.DataFrame(
        {k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else v) for k, v in out.items()},
        copy=False,  # the columns are new already; a copy would double the table in memory
    )
    for c in TEXT_COLUMNS:
        if c in CATEGORICAL_COLUMNS:
            frame[c] = _categorical(frame[c])
        elif c != "problems":
            frame[c] = frame[c].astype("str")
    frame["row"] = frame["row"].astype("int64")
    taken = set(frame.columns)
    passed = list(b.cm.extras)
    if "place" in b.cm.fields:
        passed.append(b.cm.fields["place"])  # the place as written, next to its split
    for col in passed:
        name = col if col not in taken else f"input_{col}"
        frame[name] = b.raw[col].to_numpy()
        frame[name] = frame[name].astype("str")
        taken.add(name)
    b.problems.sort(key=lambda p: (p.row, 0 if p.severity == "error" else 1))
    per_row: dict[int, list[str]] = {}
    for p in b.problems:
        per_row.setdefault(p.row, []).append(f"{p.field}: {p.reason}")
    if per_row:
        joined = pd.Series({r: "; ".join(v) for r, v in per_row.items()}, dtype="str")
        frame["problems"] = frame["row"].map(joined).astype("str")
    else:
        frame["problems"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    ordered = list(CANONICAL_COLUMNS + EXTRA_COLUMNS)
    return frame[ordered + [c for c in frame.columns if c not in ordered]]


@functools.lru_cache(maxsize=1)
def load_bundled() -> LoadResult:
    """The bundled table (data/policies.csv), loaded once per process. Treat it as read-only."""
    return load_table(BUNDLED)
