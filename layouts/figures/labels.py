"""Region labels that do not overlap: the name and the value on the regions that carry the story.

Candidates are taken in order of value (largest first); each gets a box the size of its text at
the map's label font, in the map's own projection (Albers equal-area on the national map, Mercator
on a drill-down) scaled to a nominal frame; a label is kept when its box touches no kept box and
stays clear of the inset. All that fit on the province map, the top ones on a city
map.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from pyproj import Transformer

NOMINAL = (900.0, 600.0)  # px of the main map area the layout is estimated in
FONT = 10.0
CITY_TOP = 12  # labels at most on a city-level map
#: Areas of the map frame labels keep clear of (x0, y0, x1, y1 in 0..1, y up): the inset
KEEP_CLEAR = ((0.8, 0.0, 1.0, 0.45),)
NATIONAL_LON = (73.0, 136.0)
NATIONAL_LAT = (17.0, 54.0)


@cache
def _albers() -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84", always_xy=True
    )


def _project(lon: np.ndarray, lat: np.ndarray, national: bool) -> tuple[np.ndarray, np.ndarray]:
    if national:
        x, y = _albers().transform(lon, lat)
        return np.asarray(x), np.asarray(y)
    lat_r = np.radians(np.clip(lat, -85, 85))
    return np.radians(lon), np.log(np.tan(np.pi / 4 + lat_r / 2))


def _extent(lon: np.ndarray, lat: np.ndarray, national: bool) -> tuple[float, float, float, float]:
    """Projected box of the frame: the national lon/lat ranges, or the drilled regions' spread."""
    if national:
        edge_lon = np.r_[np.linspace(*NATIONAL_LON, 30), np.linspace(*NATIONAL_LON, 30)]
        edge_lat = np.r_[np.full(30, NATIONAL_LAT[0]), np.full(30, NATIONAL_LAT[1])]
        edge_lon = np.r_[edge_lon, np.full(30, NATIONAL_LON[0]), np.full(30, NATIONAL_LON[1])]
        edge_lat = np.r_[edge_lat, np.linspace(*NATIONAL_LAT, 30), np.linspace(*NATIONAL_LAT, 30)]
        x, y = _project(edge_lon, edge_lat, True)
    else:
        pad = 0.6  # centroids lie inside the regions: the frame reaches past them
        x, y = _project(
            np.r_[lon.min() - pad, lon.max() + pad], np.r_[lat.min() - pad, lat.max() + pad], False
        )
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def text_width(text: str, size: float = FONT) -> float:
    """Pixels a line needs (CJK characters about a font size wide, Latin about 0.6)."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in text)


def place(candidates: pd.DataFrame, *, national: bool, top: int | None = None) -> pd.DataFrame:
    """Labels that fit: ``candidates`` has ``lon, lat, name, value`` (text), ``rank_by`` (larger
    first; optional ``color``). Returns ``lon, lat, text`` ("name<br>value") and ``color`` of
    the kept ones."""
    empty = pd.DataFrame({"lon": [], "lat": [], "text": [], "color": []})
    c = candidates.dropna(subset=["lon", "lat"]).sort_values("rank_by", ascending=False)
    c = c[c["rank_by"] > 0]
    if c.empty:
        return empty
    lon, lat = c["lon"].to_numpy(float), c["lat"].to_numpy(float)
    x, y = _project(lon, lat, national)
    x0, y0, x1, y1 = _extent(lon, lat, national)
    scale = min(NOMINAL[0] / (x1 - x0), NOMINAL[1] / (y1 - y0))
    width, height = (x1 - x0) * scale, (y1 - y0) * scale
    px = (x - x0) * scale + (NOMINAL[0] - width) / 2
    py = (y - y0) * scale + (NOMINAL[1] - height) / 2
    clear = [
        (a * NOMINAL[0], b * NOMINAL[1], cc * NOMINAL[0], d * NOMINAL[1])
        for a, b, cc, d in (KEEP_CLEAR if national else ())
    ]
    kept: list[tuple[float, float, float, float]] = []
    rows = []
    colors = c["color"].tolist() if "color" in c else ["#102a43"] * len(c)
    for i, (name, value) in enumerate(zip(c["name"], c["value"], strict=True)):
        w = max(text_width(str(name)), text_width(str(value))) + 4
        h = 2 * FONT * 1.25 + 2
        box = (px[i] - w / 2, py[i] - h / 2, px[i] + w / 2, py[i] + h / 2)
        if any(_overlap(box, other) for other in (*kept, *clear)):
            continue
        kept.append(box)
        rows.append((lon[i], lat[i], f"{name}<br><b>{value}</b>", colors[i]))
        if top is not None and len(rows) >= top:
            break
    return pd.DataFrame(rows, columns=["lon", "lat", "text", "color"]) if rows else empty


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
