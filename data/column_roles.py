"""Column roles from content: what each column's values are, and the role the loader gives it.

`profile(raw)` scores every column of a raw table on a sample of its rows: the share of values that
resolve as provinces, as cities (under the province column, when there is one), as districts (under
both), 6-digit adcodes, ISO 3166-2:CN codes (CN-GD, CN-44), dates, amounts, URLs, coordinates, and
how title-like its text is. `assign(cm, profiles)` corrects a header-based `ColumnMap` with it: a
column whose values are provinces is the province column whatever its header; a header alias only
breaks ties. Every column gets a `Role` with its reason ("31 of 31 values are provinces"), which the
column panel shows and the user can change (``ReadOptions.columns``).

Pure (no Dash); the resolver is ``geodata.resolver``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from data import parse
from data.columns import ColumnMap, match_field, mostly_chinese, normalise

SAMPLE_ROWS = 300
#: share of a column's values that must read as X for the column to be read as X by content
THRESHOLD = 0.5
#: a composed title: its parts joined by "+" in ``ReadOptions.columns`` and ``ColumnMap.fields``
JOIN = "+"

_URL = re.compile(r"^(https?://|www\.)\S+", re.IGNORECASE)
_ADCODE = re.compile(r"^\d{6}$")
_ISO = re.compile(r"^CN-?([A-Z]{2}|\d{2})$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_MONEY = re.compile(r"(元|万|亿|yuan|cny|rmb|¥|￥)", re.IGNORECASE)
_DATE_AMBIGUOUS = "ambiguous"

#: ISO 3166-2:CN letter codes (2017 edition) -> province adcode; the numeric codes (CN-44) are the
#: adcode's first two digits.
ISO_LETTERS = {
    "AH": "340000", "BJ": "110000", "CQ": "500000", "FJ": "350000", "GD": "440000",
    "GS": "620000", "GX": "450000", "GZ": "520000", "HA": "410000", "HB": "420000",
    "HE": "130000", "HI": "460000", "HK": "810000", "HL": "230000", "HN": "430000",
    "JL": "220000", "JS": "320000", "JX": "360000", "LN": "210000", "MO": "820000",
    "NM": "150000", "NX": "640000", "QH": "630000", "SC": "510000", "SD": "370000",
    "SH": "310000", "SN": "610000", "SX": "140000", "TJ": "120000", "TW": "710000",
    "XJ": "650000", "XZ": "540000", "YN": "530000", "ZJ": "330000",
}  # fmt: skip

#: header words that make a text column a likely title part when none reads as a title
_TITLE_WORDS = ("policy", "measure", "title", "name", "description", "政策", "措施", "标题", "名称")
#: the roles a user can give a column in the column panel ("" = not used: passed through)
ROLE_CHOICES = (
    "", "title", "date", "province", "city", "district", "place", "issuer", "policy_type",
    "stance", "incentives", "amount", "sectors", "summary", "source", "policy_id", "level",
    "lon", "lat",
)  # fmt: skip
PLACE_ROLES = ("province", "city", "district", "place")
#: the role of columns the user says are not used (``("unused", "a+b")`` in the choices): kept
#: as they are, never given a role by content
UNUSED = "unused"
#: fields whose column may be several joined by ``JOIN`` (the parts joined by ": ")
JOINABLE = ("title", "title_zh", "title_en", "summary", "summary_zh", "summary_en")


@dataclass
class Profile:
    """What one column's sampled values are (counts over its non-empty sampled values)."""

    column: str
    n: int = 0
    distinct: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # kind -> values of that kind
    median_len: float = 0.0
    first: str = ""

    def share(self, kind: str) -> float:
        return self.counts.get(kind, 0) / self.n if self.n else 0.0

    def says(self, kind: str, noun: str) -> str:
        return f"{self.counts.get(kind, 0)} of {self.n} values are {noun}"


@dataclass(frozen=True)
class Role:
    """The role given to one input column, and why."""

    column: str
    field: str  # "" when the column is passed through as it is
    reason: str
    kind: str = ""  # what its values are: province, city, date, url, text, ...

    def as_dict(self) -> dict[str, str]:
        return {"column": self.column, "field": self.field, "reason": self.reason,
                "kind": self.kind}  # fmt: skip


def _clean_values(s: pd.Series) -> list[str]:
    vals = s.head(SAMPLE_ROWS).astype("str").fillna("").str.strip()
    return vals.tolist()


def profile(raw: pd.DataFrame) -> dict[str, Profile]:
    """Every column's value profile; place shares use the best province column as parent."""
    from geodata.resolver import resolve

    cols = [str(c) for c in raw.columns]
    values = {c: _clean_values(raw[c]) for c in cols}
    out = {c: _basic(c, values[c]) for c in cols}
    for c in cols:
        vals = [v for v in values[c] if v]
        out[c].counts["province"] = sum(1 for v in vals if _is_province(resolve(v)))
    prov = _best(out, "province", cols)
    for c in cols:
        parent = values[prov] if prov and prov != c else [""] * len(values[c])
        pairs = [(p, v) for p, v in zip(parent, values[c], strict=False) if v]
        out[c].counts["city"] = sum(1 for p, v in pairs if _is_city(resolve(p or None, v)))
    city = _best(out, "city", [c for c in cols if c != prov])
    for c in cols:
        if c in (prov, city):
            continue
        top = values[prov] if prov else [""] * len(values[c])
        mid = values[city] if city else [""] * len(values[c])
        triples = [(p, m, v) for p, m, v in zip(top, mid, values[c], strict=False) if v]
        out[c].counts["district"] = sum(
            1 for p, m, v in triples if resolve(p or None, m or None, v).district_adcode
            and resolve(p or None, m or None, v).problem is None
        )  # fmt: skip
    return out


def _is_province(r: Any) -> bool:
    return r.problem is None and r.province_adcode is not None and r.level in ("province", "city")


def _is_city(r: Any) -> bool:
    return r.problem is None and r.city_adcode is not None


def _basic(column: str, values: list[str]) -> Profile:
    """Counts that need no resolver: dates, URLs, codes, numbers, amounts, coordinates."""
    from geodata.gazetteer import row

    vals = [v for v in values if v]
    p = Profile(column, n=len(vals), distinct=len(set(vals)), first=vals[0] if vals else "")
    if not vals:
        return p
    p.median_len = float(pd.Series([len(v) for v in vals]).median())
    dates = 0
    for v in vals:
        _, _, err = parse.parse_date(v)
        dates += err is None or _DATE_AMBIGUOUS in (err or "")
    numbers = [float(v) for v in vals if _NUMBER.match(v)]
    p.counts.update(
        date=dates if not all(_NUMBER.match(v) for v in vals) or _year_like(vals) else 0,
        url=sum(1 for v in vals if _URL.match(v)),
        adcode=sum(1 for v in vals if _ADCODE.match(v) and row(v) is not None),
        iso=sum(1 for v in vals if iso_adcode(v) is not None),
        number=len(numbers),
        amount=sum(1 for v in vals if _MONEY.search(v) and any(ch.isdigit() for ch in v)),
        lon=sum(1 for x in numbers if 73 <= x <= 136 and x != int(x)),
        lat=sum(1 for x in numbers if 3 <= x <= 54 and x != int(x)),
    )
    return p


def _year_like(vals: list[str]) -> bool:
    return all(len(v) in (4, 8) for v in vals)  # 2020, 20200123


def iso_adcode(value: str) -> str | None:
    """The province adcode of an ISO 3166-2:CN code (CN-GD, CN-44, GD is not enough), or None."""
    m = _ISO.match(value.strip()) if value.upper().startswith("CN") else None
    if not m:
        return None
    code = m.group(1).upper()
    if code.isdigit():
        adcode = code + "0000"
        return adcode if adcode in ISO_LETTERS.values() else None
    return ISO_LETTERS.get(code)


def _best(out: dict[str, Profile], kind: str, cols: list[str]) -> str | None:
    """The column whose values are most often ``kind`` (at least THRESHOLD of them); a header
    naming that field breaks ties, then the leftmost column."""
    ranked = [
        (out[c].share(kind), match_field(c) == kind, -i, c)
        for i, c in enumerate(cols)
        if out[c].n and out[c].share(kind) >= THRESHOLD
    ]
    return max(ranked)[3] if ranked else None


# --- assignment -------------------------------------------------------------------------------

_NOUNS = {"province": "provinces", "city": "cities", "district": "districts", "date": "dates",
          "url": "links", "adcode": "6-digit adcodes", "iso": "ISO 3166-2:CN codes",
          "lon": "longitudes", "lat": "latitudes", "amount": "amounts"}  # fmt: skip


def assign(
    cm: ColumnMap, profiles: dict[str, Profile], picked: frozenset[str] = frozenset()
) -> dict[str, tuple[str, str]]:
    """Correct the header-based map ``cm`` by content (in place); returns column -> (kind,
    reason) for the columns content decided. ``picked``: fields the user will choose."""
    reasons: dict[str, tuple[str, str]] = {}
    used = set(cm.fields.values())
    for kind in ("province", "city", "district"):
        if kind in picked:
            continue
        best = _best(profiles, kind, [c for c in profiles if c not in _placed(cm, kind)])
        if best is None:
            continue
        _put(cm, kind, best)
        reasons[best] = (kind, profiles[best].says(kind, _NOUNS[kind]))
        used.add(best)
    _codes(cm, profiles, picked, reasons)
    _not_titles(cm, profiles, picked, reasons)
    for kind, f in (("date", "date"), ("url", "source"), ("amount", "amount")):
        if f in cm.fields or f in picked:
            continue
        free = [c for c in profiles if c not in cm.fields.values()]
        best = _best(profiles, kind, free)
        if best is not None and (kind != "amount" or profiles[best].share(kind) >= 0.8):
            _put(cm, f, best)
            reasons[best] = (kind, profiles[best].says(kind, _NOUNS[kind]))
    if not ({"title_zh", "title_en"} & cm.fields.keys()) and "title" not in picked:
        _title(cm, profiles, reasons)
    return reasons


def _placed(cm: ColumnMap, kind: str) -> set[str]:
    """Columns already given another place role (a city column is not also the province)."""
    return {c for f, c in cm.fields.items() if f in PLACE_ROLES and f != kind}


def _put(cm: ColumnMap, f: str, col: str) -> None:
    """Give ``col`` the field ``f``: whatever it held before, and whatever held ``f``, let go."""
    for other in [k for k, v in cm.fields.items() if v == col or k == f]:
        old = cm.fields.pop(other)
        if old != col and old not in cm.fields.values() and old not in cm.extras:
            cm.extras.append(old)
    for g, src in list(cm.split.items()):
        if src == col:
            del cm.split[g]
    if col in cm.extras:
        cm.extras.remove(col)
    cm.fields[f] = col


def _codes(cm: ColumnMap, profiles: dict[str, Profile], picked: frozenset[str],
           reasons: dict[str, tuple[str, str]]) -> None:  # fmt: skip
    """Adcode or ISO code columns are the place when no place column was found by name."""
    if {"province", "city", "district", "place"} & (cm.fields.keys() | picked):
        return
    for kind in ("adcode", "iso"):
        best = _best(profiles, kind, [c for c in profiles if c not in cm.fields.values()])
        if best is not None:
            _put(cm, "place", best)
            reasons[best] = (kind, profiles[best].says(kind, _NOUNS[kind]))
            return


def _not_titles(cm: ColumnMap, profiles: dict[str, Profile], picked: frozenset[str],
                reasons: dict[str, tuple[str, str]]) -> None:  # fmt: skip
    """A header-named title whose values are one repeated value, places, dates or links is not
    a title (``adm0_name`` = "China" on every row): passed through."""
    if "title" in picked:
        return
    for f in ("title_zh", "title_en"):
        col = cm.fields.get(f)
        if col is None or JOIN in col or col not in profiles:
            continue
        p = profiles[col]
        why = _not_title_reason(p)
        if why:
            del cm.fields[f]
            for g, src in list(cm.split.items()):
                if src == col:
                    del cm.split[g]
            if col not in cm.fields.values() and col not in cm.extras:
                cm.extras.append(col)
            reasons.setdefault(col, ("", f"not a title: {why}"))


def _not_title_reason(p: Profile) -> str | None:
    if p.n > 1 and p.distinct == 1:
        return f"one value on every row ({p.first[:40]!r})"
    for kind in ("province", "city", "date", "url", "adcode", "iso"):
        if p.share(kind) >= THRESHOLD:
            return p.says(kind, _NOUNS[kind])
    return None


def _text_columns(cm: ColumnMap, profiles: dict[str, Profile]) -> list[str]:
    taken = set(cm.fields.values())
    return [c for c, p in profiles.items()
            if c not in taken and p.n and _not_title_reason(p) is None
            and p.share("number") < THRESHOLD and p.median_len >= 2]  # fmt: skip


def _title(cm: ColumnMap, profiles: dict[str, Profile],
           reasons: dict[str, tuple[str, str]]) -> None:  # fmt: skip
    """The most title-like text column (mostly distinct, long enough); else a title composed of
    the first two text columns, preferring headers such as policy / description."""
    text = _text_columns(cm, profiles)
    if not text:
        return
    n_rows = max(p.n for p in profiles.values()) or 1
    like = [(p.n / n_rows * p.distinct / max(p.n, 1), p.median_len, c)
            for c in text if (p := profiles[c]).median_len >= 6
            and p.distinct >= 0.6 * p.n and p.n >= 0.8 * n_rows]  # fmt: skip
    if like:
        col = max(like)[2]
        p = profiles[col]
        f = "title_zh" if mostly_chinese([p.first]) else "title_en"
        _put(cm, f, col)
        reasons[col] = ("text", f"the most title-like text: {p.distinct} distinct of {p.n} values")
        return
    worded = [c for c in text if any(w in normalise(c) for w in _TITLE_WORDS)]
    parts = (worded or text)[:2]
    composed = JOIN.join(parts)
    f = "title_zh" if mostly_chinese([profiles[parts[0]].first]) else "title_en"
    cm.fields[f] = composed
    for c in parts:
        reasons[c] = ("text", "part of the title (no column reads as a title): "
                      + ": ".join(parts))  # fmt: skip


def roles(cm: ColumnMap, profiles: dict[str, Profile],
          reasons: dict[str, tuple[str, str]]) -> list[Role]:  # fmt: skip
    """Every input column's role (field or "" for passed through) and why, in column order."""
    by_col: dict[str, str] = {}
    for f, c in cm.fields.items():
        for part in c.split(JOIN) if c not in profiles else [c]:
            by_col.setdefault(part, "title" if f.startswith("title") else f)
    roles = []
    for c, p in profiles.items():
        f = by_col.get(c, "")
        kind, why = reasons.get(c, ("", ""))
        if not why:
            why = f"the header names {_generic(f)}" if f else _kept(p)
            if f and _kind(p) in _NOUNS and p.share(_kind(p)) >= THRESHOLD:
                why += "; " + p.says(_kind(p), _NOUNS[_kind(p)])
        roles.append(Role(c, _generic(f), why, kind or _kind(p)))
    return roles


def _generic(f: str) -> str:
    base, _, lang = f.rpartition("_")
    return base if lang in ("zh", "en") and base in ("title", "issuer", "summary") else f


def _kept(p: Profile) -> str:
    if not p.n:
        return "empty: kept as it is"
    return "not used by the map: kept as it is, shown in the row details and exports"


def _kind(p: Profile) -> str:
    for kind in ("province", "city", "district", "date", "url", "adcode", "iso"):
        if p.share(kind) >= THRESHOLD:
            return kind
    if p.share("number") >= THRESHOLD:
        return "number"
    return "text" if p.n else "empty"


# --- the user's picks -------------------------------------------------------------------------


def check_pick(f: str, column: str, p: Profile | None) -> str | None:
    """Why the user's pick of ``column`` for field ``f`` makes no sense (dates as provinces), or
    None. Only a pick no value supports is refused."""
    if p is None or not p.n:
        return None
    if f in ("province", "city", "district"):
        if p.share("province") + p.share("city") + p.share("district") > 0:
            return None
        for kind in ("date", "url", "number"):
            if p.share(kind) >= THRESHOLD:
                noun = _NOUNS.get(kind, "numbers")
                return (f"column {column!r} cannot be the {f}: {p.says(kind, noun)} "
                        "and none is a place")  # fmt: skip
    if f == "date" and p.share("date") == 0 and p.share("number") < THRESHOLD:
        return f"column {column!r} cannot be the date: none of its {p.n} values is a date"
    return None


def code_name(text: str) -> str | None:
    """The place a 6-digit adcode or an ISO 3166-2:CN code names, as the nested Chinese names
    the resolver reads (440305 -> 广东省深圳市南山区, CN-GD -> 广东省); None for other text."""
    from geodata.gazetteer import row

    text = text.strip()
    code = iso_adcode(text) if text[:2].upper() == "CN" else text
    if not code or not _ADCODE.match(code):
        return None
    names: list[str] = []
    current = row(code)
    while current is not None:
        if not names or names[0] != current["name_zh"]:  # 北京市北京市 is 北京市
            names.insert(0, str(current["name_zh"]))
        parent = current.get("parent_adcode")
        current = row(str(parent)) if isinstance(parent, str) and parent else None
    return "".join(names) or None
