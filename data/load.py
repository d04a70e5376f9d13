"""Any similar table -> the canonical policy frame (docs/ARCHITECTURE.md) plus its problems.

`load_table(path, sheet=None)` never raises for bad input: a file that cannot be used gives
`LoadResult.fatal` (one line); every row is kept, rows with problems are marked (`problems`
column, `placed == "unplaced"`), and every parsed field keeps its raw text (`*_raw`). Unknown input
columns are passed through unchanged after the canonical ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import parse
from data.columns import ColumnMap, map_columns
from data.read import RawTable, ReadError, read_raw
from data.schema import CANONICAL_COLUMNS, EXTRA_COLUMNS

BUNDLED = Path(__file__).resolve().parent / "policies.csv"
TEXT_COLUMNS = tuple(
    c
    for c in CANONICAL_COLUMNS + EXTRA_COLUMNS
    if c not in {"row", "date", "incentives", "amount_cny", "sectors", "is_work_report",
                 "level_inferred"}
)  # fmt: skip
ZONE_PATTERN = r"(?:开发区|高新区|新区|新城|园区|试验区|合作区|示范区)$"
ZONE_REASON = "a development zone or new area, not a county-level district: placed at its city"
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


def _resolve_places(prov: pd.Series, city: pd.Series, dist: pd.Series, notes: list[str]):
    """Resolve each distinct (province, city, district) once; returns per-row arrays."""
    resolve = _resolver()
    triples = pd.DataFrame({"p": prov.str.strip(), "c": city.str.strip(), "d": dist.str.strip()})
    triples = triples.fillna("")
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(triples), sort=False)
    n = len(uniques)
    out = {k: np.empty(n, dtype=object) for k in ("p", "c", "d", "level", "problem", "field",
                                                  "suggestion", "candidates")}  # fmt: skip
    if resolve is None and any(any(t) for t in uniques):
        notes.append("place resolver (geodata.resolver) not available: no row could be placed")
    for i, (p, c, d) in enumerate(uniques):
        if not (p or c or d) or resolve is None:
            vals = (None, None, None, None, None, None, None, ())
        else:
            try:
                r = resolve(p or None, c or None, d or None)
                vals = (
                    r.province_adcode, r.city_adcode, r.district_adcode, r.level, r.problem,
                    r.field, r.suggestion, tuple(r.candidates or ()),
                )  # fmt: skip
            except Exception as exc:  # a resolver bug must not take the whole table down
                vals = (None, None, None, None, f"place lookup failed ({exc})", "province",
                        None, ())  # fmt: skip
        for k, v in zip(out, vals, strict=True):
            out[k][i] = v
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
                vals = raw[src].astype("str")
                is_zh = vals.str.contains(_CJK, regex=True)
                return vals.where(is_zh if lang == "zh" else ~is_zh, "")
    if f in cm.fields:
        return raw[cm.fields[f]].astype("str")
    return empty


def _na_empty(s: pd.Series) -> pd.Series:
    return s.where(s.str.strip() != "", None).astype("str")


def load_table(path: str | Path, sheet: str | None = None) -> LoadResult:
    """Read any similar table (CSV/XLSX/Parquet) into the canonical frame, with its problems."""
    path = str(path)
    try:
        table = read_raw(path, sheet)
    except ReadError as exc:
        return LoadResult(frame=empty_frame(), fatal=str(exc), path=path)
    except Exception as exc:  # never a traceback for the user
        return LoadResult(frame=empty_frame(), fatal=f"{path}: cannot be read ({exc})", path=path)
    return build(table, path)


def build(table: RawTable, path: str = "") -> LoadResult:
    raw = table.frame
    res = LoadResult(
        frame=empty_frame(), path=path, format=table.format, encoding=table.encoding,
        delimiter=table.delimiter, sheet=table.sheet, sheets=table.sheets, notes=list(table.notes),
    )  # fmt: skip
    sample = {c: raw[c].head(200).tolist() for c in raw.columns}
    cm = map_columns(list(raw.columns), sample)
    res.columns, res.extras = dict(cm.fields), list(cm.extras)
    for col, f, used in cm.duplicates:
        res.notes.append(
            f"column {col!r} also looks like {f} (already read from {used!r}); kept as is"
        )
    if not ({"title_zh", "title_en"} & cm.fields.keys()):
        res.fatal = f"{path}: {_MISSING_TITLE}; columns found: " + ", ".join(map(str, raw.columns))
        return res
    if not ({"date", "province", "city", "district"} & cm.fields.keys()):
        res.fatal = f"{path}: {_MISSING_WHERE_WHEN}"
        return res
    if len(raw) == 0:
        res.fatal = f"{path}: the table has a header but no rows"
        return res

    lines = np.asarray(table.lines, dtype=np.int64)
    problems: list[Problem] = []

    def header(f: str) -> str:
        return str(cm.fields.get(f, f))

    def add(mask: np.ndarray | pd.Series, f: str, values: pd.Series, reasons, sev: str,
            suggestions=None) -> None:  # fmt: skip
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(idx) == 0:
            return
        vals = values.iloc[idx].to_numpy(dtype=object)
        rs = np.asarray(reasons, dtype=object) if not isinstance(reasons, str) else None
        sg = np.asarray(suggestions, dtype=object) if suggestions is not None else None
        name = header(f)
        for k, i in enumerate(idx):
            problems.append(
                Problem(
                    int(lines[i]),
                    name,
                    "" if vals[k] is None else str(vals[k]),
                    reasons if rs is None else str(rs[i]),
                    sev,
                    None if sg is None else sg[i],
                )  # fmt: skip
            )

    out: dict[str, Any] = {"row": lines}

    # ids
    pid = _col(raw, cm, "policy_id")
    if "policy_id" in cm.fields:
        dup = pid.duplicated(keep=False) & (pid.str.strip() != "")
        add(dup, "policy_id", pid, "the same id appears on several rows", "warning")
        pid = pid.where(pid.str.strip() != "", "L" + pd.Series(lines, index=raw.index).astype(str))
    else:
        pid = "L" + pd.Series(lines, index=raw.index).astype("str")
    out["policy_id"] = pid.astype("str")

    # dates
    date_raw = _col(raw, cm, "date")
    d = parse.parse_date_column(date_raw)
    err = d["date_error"].notna()
    add(err, "date", date_raw, d["date_error"], "error")
    future = d["date"] > pd.Timestamp(dt.date.today())
    add(future, "date", date_raw, "date is in the future", "warning")
    out["date"] = d["date"]
    out["date_precision"] = d["date_precision"]
    out["date_raw"] = date_raw

    # places
    prov, city, dist = (_col(raw, cm, f) for f in ("province", "city", "district"))
    places = _resolve_places(prov, city, dist, res.notes)
    has_place = (prov.str.strip() != "") | (city.str.strip() != "") | (dist.str.strip() != "")
    has_place = has_place.to_numpy()
    pr_field = places["field"]
    field_vals = {"province": prov, "city": city, "district": dist}
    bad = np.array([p is not None for p in places["problem"]], dtype=bool)
    # a development zone / new area written as the district: placed at its city, a warning
    zone = (
        bad
        & np.array([f == "district" for f in pr_field], dtype=bool)
        & dist.str.contains(ZONE_PATTERN, regex=True).to_numpy(dtype=bool)
        & np.array([c is not None for c in places["c"]], dtype=bool)
    )
    if zone.any():
        add(zone, "district", dist, ZONE_REASON, "warning")
        bad &= ~zone
    if bad.any():
        for fname, vals in field_vals.items():
            m = bad & np.array([f == fname for f in pr_field], dtype=bool)
            add(m, fname, vals, places["problem"], "error", places["suggestion"])
        other = bad & np.array([f not in field_vals for f in pr_field], dtype=bool)
        add(other, "province", prov + " / " + city + " / " + dist, places["problem"], "error",
            places["suggestion"])  # fmt: skip

    # level: as given, else inferred
    level_raw = _col(raw, cm, "level")
    lv = parse.parse_simple_column(level_raw, parse.parse_level)
    add(lv["error"].notna(), "level", level_raw, lv["error"], "error")
    issuer_zh, issuer_en = _col(raw, cm, "issuer_zh"), _col(raw, cm, "issuer_en")
    res_level = pd.Series(places["level"], index=raw.index, dtype=object)
    city_ad = pd.Series(places["c"], index=raw.index, dtype=object)
    inferred = res_level.map({"province": "provincial", "city": "city", "district": "district"})
    inferred = inferred.where(~((res_level == "city") & city_ad.isin(MUNICIPALITY_CITIES)),
                              "provincial")  # fmt: skip
    # a place that could not be resolved: the deepest level written
    written = np.where(dist.str.strip() != "", "district",
                       np.where(city.str.strip() != "", "city",
                                np.where(prov.str.strip() != "", "provincial", None)))  # fmt: skip
    inferred = inferred.where(inferred.notna(), pd.Series(written, index=raw.index))
    pairs = issuer_zh.str.strip() + "\x00" + issuer_en.str.strip()
    nat_codes, nat_uniques = pd.factorize(pairs, sort=False)
    nat = np.array([issuer_looks_national(*u.split("\x00", 1)) for u in nat_uniques], dtype=bool)
    nat = nat[nat_codes] if len(nat_codes) else np.zeros(0, dtype=bool)
    inferred = inferred.where(has_place | ~nat, "national").fillna("unknown")
    level_missing = lv["value"].isna()
    level = lv["value"].where(~level_missing, inferred)
    out["level"] = level.astype("str")
    level_inferred = level_missing.to_numpy()
    if level_inferred.any():
        res.notes.append(
            f"level inferred for {int(level_inferred.sum())} row(s) with no level given "
            "(from the place, or national when there is no place and the issuer is national)"
        )

    out["province_zh"] = _na_empty(prov)
    out["city_zh"] = _na_empty(city)
    out["district_zh"] = _na_empty(dist)
    out["province_adcode"] = pd.array(places["p"], dtype="str")
    out["city_adcode"] = pd.array(places["c"], dtype="str")
    out["district_adcode"] = pd.array(places["d"], dtype="str")

    placed = pd.Series(places["level"], index=raw.index, dtype=object).fillna("unplaced")
    placed = placed.where(has_place | (level != "national"), "national")
    out["placed"] = placed.astype("str")
    no_place = ~has_place & (level != "national").to_numpy()
    placed_fields = [f for f in ("province", "city", "district") if f in cm.fields]
    reason = "no place given and the row is not national: it cannot be placed on the map"
    add(no_place, placed_fields[0] if placed_fields else "province", prov, reason, "error")

    # texts
    out["issuer_zh"] = _na_empty(issuer_zh)
    out["issuer_en"] = _na_empty(issuer_en)
    title_zh, title_en = _col(raw, cm, "title_zh"), _col(raw, cm, "title_en")
    no_title = (title_zh.str.strip() == "") & (title_en.str.strip() == "")
    tf = "title_zh" if "title_zh" in cm.fields else "title_en"
    add(no_title, tf, title_zh, "no title", "error")
    out["title_zh"] = _na_empty(title_zh)
    out["title_en"] = _na_empty(title_en)

    ptype_raw = _col(raw, cm, "policy_type")
    pt = parse.parse_simple_column(ptype_raw, parse.parse_policy_type)
    add(pt["error"].notna(), "policy_type", ptype_raw, pt["error"], "warning")
    out["policy_type"] = pt["value"].astype("str")

    stance_raw = _col(raw, cm, "stance")
    st = parse.parse_simple_column(stance_raw, parse.parse_stance)
    add(st["error"].notna(), "stance", stance_raw, st["error"], "warning")
    out["stance"] = st["value"].astype("str")

    inc_raw = _col(raw, cm, "incentives")
    inc = parse.parse_incentives_column(inc_raw)
    unknown = inc["incentives_unknown"]
    has_unknown = unknown.map(len) > 0
    add(has_unknown, "incentives", inc_raw,
        unknown.map(lambda u: "unknown incentive label(s) kept as written: " + ", ".join(u)),
        "warning")  # fmt: skip
    out["incentives"] = inc["incentives"]

    amount_raw = _col(raw, cm, "amount")
    am = parse.parse_amount_column(amount_raw, cm.amount_unit)
    add(am["amount_error"].notna(), "amount", amount_raw, am["amount_error"], "error")
    out["amount_cny"] = am["amount_cny"].astype(float)
    if cm.amount_unit != 1.0:
        res.notes.append(f"amounts without a unit read in the header's unit (×{cm.amount_unit:g})")

    sectors_raw = _col(raw, cm, "sectors")
    out["sectors"] = parse.parse_sectors_column(sectors_raw)
    summary_en = _col(raw, cm, "summary_en")
    out["summary_en"] = _na_empty(summary_en)
    out["source"] = _na_empty(_col(raw, cm, "source"))
    out["is_work_report"] = (
        title_en.str.contains("Government Work Report", case=False, regex=False)
        | title_zh.str.contains("政府工作报告", regex=False)
    ).to_numpy(dtype=bool)

    out["summary_zh"] = _na_empty(_col(raw, cm, "summary_zh"))
    out["level_raw"] = level_raw
    out["level_inferred"] = level_inferred
    out["policy_type_raw"] = ptype_raw
    out["stance_raw"] = stance_raw
    out["incentives_raw"] = inc_raw
    out["amount_raw"] = amount_raw
    out["sectors_raw"] = sectors_raw

    # hostile text in any column: warn, keep as written
    for col in list(cm.fields.values()) + cm.extras:
        w = parse.text_warnings(raw[col])
        mask = w.notna()
        if mask.any():
            idx = np.flatnonzero(mask.to_numpy())
            vals = raw[col].iloc[idx].to_numpy(dtype=object)
            wv = w.iloc[idx].to_numpy(dtype=object)
            for k, i in enumerate(idx):
                problems.append(Problem(int(lines[i]), str(col), str(vals[k]), wv[k], "warning"))

    frame = pd.DataFrame(
        {k: (v.reset_index(drop=True) if isinstance(v, pd.Series) else v) for k, v in out.items()}
    )
    for c in TEXT_COLUMNS:
        if c != "problems":
            frame[c] = frame[c].astype("str")
    frame["row"] = frame["row"].astype("int64")

    # pass unknown columns through, unchanged
    taken = set(frame.columns)
    for col in cm.extras:
        name = col if col not in taken else f"input_{col}"
        frame[name] = raw[col].to_numpy()
        frame[name] = frame[name].astype("str")
        taken.add(name)

    problems.sort(key=lambda p: (p.row, 0 if p.severity == "error" else 1))
    per_row: dict[int, list[str]] = {}
    for p in problems:
        per_row.setdefault(p.row, []).append(f"{p.field}: {p.reason}")
    if per_row:
        joined = pd.Series({r: "; ".join(v) for r, v in per_row.items()}, dtype="str")
        frame["problems"] = frame["row"].map(joined).astype("str")
    else:
        frame["problems"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    ordered = [c for c in CANONICAL_COLUMNS + EXTRA_COLUMNS]
    frame = frame[ordered + [c for c in frame.columns if c not in ordered]]
    res.frame = frame
    res.problems = problems
    return res


@functools.lru_cache(maxsize=1)
def load_bundled() -> LoadResult:
    """The bundled table (data/policies.csv), loaded once per process. Treat it as read-only."""
    return load_table(BUNDLED)
