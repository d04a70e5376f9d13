"""The gazetteer: every province, city-level unit and county-level district
(built file, no cnmaps needed).

``load_gazetteer()`` returns the table of ``geodata/gazetteer.csv`` (built by
``python -m geodata.gazetteer_build``). Its key is ``(adcode, level)``:
810000, 820000 and 710000 are both a province and their own city-level unit.
The lookups below prefer the deepest row for an adcode only when asked for a
level; by default they answer with the province row for those three.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

GAZETTEER_CSV = Path(__file__).with_name("gazetteer.csv")
LEVELS = ("province", "city", "district")
MUNICIPALITIES = ("110000", "120000", "310000", "500000")
# provincial-level units that are one city-level unit (their city-level adcode)
SINGLE_CITY_PROVINCES = {
    "110000": "110100",
    "120000": "120100",
    "310000": "310100",
    "500000": "500100",
    "710000": "710000",
    "810000": "810000",
    "820000": "820000",
}


@cache
def load_gazetteer() -> pd.DataFrame:
    """The gazetteer table (cached; do not mutate). Adcodes are 6-digit strings; lon/lat floats."""
    df = pd.read_csv(
        GAZETTEER_CSV,
        dtype={c: str for c in ("adcode", "parent_adcode", "province_adcode")},
        keep_default_na=False,
        na_values={"lon": [""], "lat": [""]},
    )
    df["parent_adcode"] = df["parent_adcode"].replace("", None)
    df["self_district"] = df["self_district"].astype(int).astype(bool)
    return df


@cache
def records() -> tuple[dict, ...]:
    """The gazetteer rows as dicts (cached; read-only). Built from plain column lists, which is
    several times faster than ``DataFrame.to_dict("records")`` and matters at start-up."""
    g = load_gazetteer()
    cols = list(g.columns)
    columns = zip(*(g[c].tolist() for c in cols), strict=True)
    return tuple(dict(zip(cols, vals, strict=True)) for vals in columns)


@cache
def _rows() -> dict[tuple[str, str], dict]:
    return {(r["adcode"], r["level"]): r for r in records()}


def row(adcode: str, level: str | None = None) -> dict | None:
    """The gazetteer row of an adcode as a dict (at ``level`` if given, else the shallowest)."""
    rows = _rows()
    if level is not None:
        return rows.get((str(adcode), level))
    for lvl in LEVELS:
        r = rows.get((str(adcode), lvl))
        if r is not None:
            return r
    return None


def name_of(adcode: str | None, lang: str = "zh", short: bool = False) -> str | None:
    """Name of a place: ``lang`` "zh" (official, or short with ``short=True``) or "en"."""
    if adcode is None:
        return None
    r = row(adcode)
    if r is None:
        return None
    if lang == "en":
        return r["name_en"]
    return r["short_zh"] if short else r["name_zh"]


def is_province(adcode: str) -> bool:
    """Whether an adcode is a provincial-level unit's (its last four digits 0000: 440000, not
    440300). The one rule; no table lookup."""
    return adcode.endswith("0000")


def province_code(adcode: str) -> str:
    """The provincial-level code an adcode's digits name (440305 -> 440000); no table lookup."""
    return adcode[:2] + "0000"


def level_of(adcode: str) -> str | None:
    """Shallowest level of an adcode (810000 -> "province")."""
    r = row(adcode)
    return None if r is None else r["level"]


def province_of(adcode: str) -> str | None:
    """Province adcode of any place."""
    r = row(adcode)
    return None if r is None else r["province_adcode"]


def city_of(adcode: str) -> str | None:
    """City-level unit of a city or district adcode (a district rolls up to its city)."""
    r = row(adcode)
    if r is None:
        return None
    if r["level"] == "district":
        return r["parent_adcode"]
    if r["level"] == "city":
        return r["adcode"]
    return SINGLE_CITY_PROVINCES.get(r["adcode"])


@cache
def _children() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    g = load_gazetteer()
    for adcode, level, parent in zip(g["adcode"], g["level"], g["parent_adcode"], strict=True):
        if parent is not None and not (level == "city" and parent == adcode):
            out.setdefault(parent, []).append(adcode)
    for p, a in SINGLE_CITY_PROVINCES.items():
        if a == p:  # HK / Macau / Taiwan: the city-level child is the unit itself
            out.setdefault(p, []).insert(0, a)
    return {k: tuple(v) for k, v in out.items()}


def children(adcode: str) -> tuple[str, ...]:
    """Adcodes one level down: province -> city-level units, city -> districts.

    For 810000/820000/710000 the province's child is the city-level unit with the same adcode, and
    ``children`` of that adcode lists the province's child first, then the districts.
    """
    return _children().get(str(adcode), ())


def provinces() -> pd.DataFrame:
    """Province rows: adcode, name_zh, short_zh, name_en, lon, lat."""
    g = load_gazetteer()
    return g[g["level"] == "province"].reset_index(drop=True)


def cities(province_adcode: str | None = None) -> pd.DataFrame:
    """City-level rows (all, or those of one province)."""
    g = load_gazetteer()
    out = g[g["level"] == "city"]
    if province_adcode is not None:
        out = out[out["province_adcode"] == str(province_adcode)]
    return out.reset_index(drop=True)


def districts(city_adcode: str | None = None) -> pd.DataFrame:
    """District rows (all, or those of one city-level unit)."""
    g = load_gazetteer()
    out = g[g["level"] == "district"]
    if city_adcode is not None:
        out = out[out["parent_adcode"] == str(city_adcode)]
    return out.reset_index(drop=True)
