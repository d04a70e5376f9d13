"""The national blockchain innovation pilots (国家区块链创新应用试点, 2022) as a resolved table.

The dashboard shows them as a toggleable marker layer on the map (at `lon`/`lat`, the centre of
the deepest place resolved) with a filter on `field`. Rows whose organisation has no recorded
place (national companies such as 中国工商银行) have `placed == "unplaced"` and no coordinates;
they can be listed but not drawn.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.load import resolve_places
from data.schema import PILOT_CATEGORIES

PILOTS_CSV = Path(__file__).resolve().parent / "pilots.csv"

PILOT_COLUMNS: tuple[str, ...] = (
    "pilot_id", "category", "category_en", "category_zh", "field",
    "field_code", "field_zh", "field_en",
    "organisation_zh", "province_zh", "city_zh", "district_zh", "province_adcode", "city_adcode",
    "district_adcode", "placed", "place_problem", "lon", "lat", "source",
)  # fmt: skip
FIELD_NOT_RECORDED = "field not recorded"


def field_code(field: str) -> str:
    """URL-safe code of a pilot field: "blockchain + health" -> "blockchain-health"."""
    return re.sub(r"[^a-z0-9]+", "-", str(field).lower()).strip("-")[:40] or "unknown"


def _coords(adcodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon = np.full(len(adcodes), np.nan)
    lat = np.full(len(adcodes), np.nan)
    try:
        from geodata.gazetteer import row
    except Exception:  # gazetteer missing: no coordinates, the table still loads
        return lon, lat
    for i, (p, c, d) in enumerate(adcodes.itertuples(index=False)):
        for code, level in ((d, "district"), (c, "city"), (p, "province")):
            if isinstance(code, str) and code:
                r = row(code, level)
                if r is not None:
                    lon[i], lat[i] = r["lon"], r["lat"]
                    break
    return lon, lat


@functools.lru_cache(maxsize=1)
def load_pilots() -> pd.DataFrame:
    """The pilot table with adcodes, placement and marker coordinates (cached; treat as read-only).

    `field` is the filter value: "comprehensive (multi-field)" for comprehensive pilots, the
    English field name (e.g. "blockchain + health") for featured ones, or "field not recorded".
    """
    raw = pd.read_csv(PILOTS_CSV, dtype="str", keep_default_na=False)
    notes: list[str] = []
    places = resolve_places(raw["province_zh"], raw["city_zh"], raw["district_zh"], notes)
    out = pd.DataFrame(index=raw.index)
    out["pilot_id"] = raw["pilot_id"]
    out["category"] = raw["category"]
    out["category_en"] = raw["category"].map(lambda c: PILOT_CATEGORIES[c].en)
    out["category_zh"] = raw["category"].map(lambda c: PILOT_CATEGORIES[c].zh)
    field_en = raw["field_en"].where(raw["field_en"] != "", None)
    out["field"] = field_en.fillna(FIELD_NOT_RECORDED).astype("str")
    out["field_code"] = out["field"].map(field_code).astype("str")
    for c in ("field_zh", "field_en", "organisation_zh", "province_zh", "city_zh", "district_zh"):
        out[c] = raw[c].where(raw[c] != "", None).astype("str")
    out["province_adcode"] = pd.array(places["p"], dtype="str")
    out["city_adcode"] = pd.array(places["c"], dtype="str")
    out["district_adcode"] = pd.array(places["d"], dtype="str")
    out["placed"] = pd.Series(places["level"], index=raw.index, dtype=object).fillna("unplaced")
    out["placed"] = out["placed"].astype("str")
    out["place_problem"] = pd.array(places["problem"], dtype="str")
    lon, lat = _coords(out[["province_adcode", "city_adcode", "district_adcode"]])
    out["lon"], out["lat"] = lon, lat
    out["source"] = raw["source"].astype("str")
    return out[list(PILOT_COLUMNS)]
