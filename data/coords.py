"""Coordinates as places: longitude/latitude columns placed in the city-level boundaries.

A table that gives each policy a point instead of names (经度/纬度, lon/lat) is placed by
point-in-polygon (geopandas) against ``assets/geo/cities.geojson`` (WGS-84), which covers every
province and city-level unit, so a point gives both. GCJ-02 points (what Chinese map services
return) are converted first when the user says so (``geodata.gcj02``). A point outside China or in
the sea, or a value that is not a number, is a problem with its line, like an unknown name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from geodata import gazetteer
from geodata.boundaries import CITIES_FILE, GEO_DIR

DATUMS = ("wgs84", "gcj02")


@dataclass
class Placed:
    """Per row: the official province and city names ("" when not placed) and, for a row whose
    point could not be placed, the reason (None otherwise)."""

    province: pd.Series
    city: pd.Series
    reason: pd.Series


@cache
def _cities():
    import geopandas as gpd

    frame = gpd.read_file(GEO_DIR / CITIES_FILE)
    return frame[["adcode", "province_adcode", "geometry"]]


def _numbers(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype("str").str.strip().str.replace("°", ""), errors="coerce")


def place_points(lon: pd.Series, lat: pd.Series, datum: str = "wgs84") -> Placed:
    """Place each (lon, lat) in a city-level unit; see :class:`Placed`."""
    import geopandas as gpd

    x = _numbers(lon).to_numpy(dtype=float, copy=True)
    y = _numbers(lat).to_numpy(dtype=float, copy=True)
    given = (lon.astype("str").str.strip() != "") | (lat.astype("str").str.strip() != "")
    ok = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
    if datum == "gcj02" and ok.any():
        from geodata.gcj02 import gcj02_to_wgs84

        x[ok], y[ok] = gcj02_to_wgs84(x[ok], y[ok])
    idx = lon.index
    city = pd.Series("", index=idx, dtype="str")
    province = pd.Series("", index=idx, dtype="str")
    reason = pd.Series(None, index=idx, dtype=object)
    bad_number = given.to_numpy() & ~ok
    reason[bad_number] = "not a longitude/latitude in degrees"
    if ok.any():
        pts = gpd.GeoDataFrame(
            {"i": np.flatnonzero(ok)}, geometry=gpd.points_from_xy(x[ok], y[ok]), crs="EPSG:4326"
        )
        units = _cities().set_crs("EPSG:4326", allow_override=True)
        hit = gpd.sjoin(pts, units, how="left", predicate="within").drop_duplicates("i")
        for i, code, prov in zip(hit["i"], hit["adcode"], hit["province_adcode"], strict=True):
            if isinstance(code, str):
                city.iloc[i] = gazetteer.name_of(code, "zh") or ""
                province.iloc[i] = gazetteer.name_of(prov, "zh") or ""
            else:
                reason.iloc[i] = (
                    f"point ({x[i]:.5f}, {y[i]:.5f}) is outside China's boundaries or in the sea"
                )
    return Placed(province=province, city=city, reason=reason)
