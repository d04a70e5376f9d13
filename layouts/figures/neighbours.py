"""Neighbouring land that fades with distance from China, instead of ending at the frame.

plotly's base land is cut by the map's lon/lat range: a hard rectangle, with the legend half on it.
Here the land of the base topojson (``assets/topojson/world_110m.json``, the file plotly itself
draws) minus China is cut into bands by distance from China's outline, each lighter than the last,
the last one white before the frame is reached. Built with geopandas/shapely (about 4 s, so once:
``python -m layouts.figures.neighbours`` writes ``assets/geo/neighbours.geojson``, 36 KB); the app
serves that file by URL like the other layers, exports read it inline.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from layouts.figures.geo_assets import GEO_DIR, load_geojson, topojson_file_url

PATH = GEO_DIR / "neighbours.geojson"
URL = "/assets/geo/neighbours.geojson"

#: Band edges in degrees from China's outline, and the colour of each band (lightest last).
BAND_EDGES = (0.0, 0.6, 1.2, 1.8, 2.4, 3.0, 3.6, 4.2, 4.8)
BAND_COLORS = (
    "#ebecea",
    "#eeefed",
    "#f1f1f0",
    "#f3f4f3",
    "#f6f6f5",
    "#f8f8f8",
    "#fafafa",
    "#fdfdfd",
)
FRAME = (60.0, 5.0, 150.0, 60.0)  # lon/lat box the bands are cut to
#: The national map's lon/lat frame (``china_map.MAIN_LON/LAT``): land fades towards its top and
#: bottom (the parallels where plotly cuts it) as well, one band lighter every EDGE_STEP degrees.
MAP_FRAME = (73.0, 17.0, 136.0, 54.0)
EDGE_STEP = 0.45


def _inset(shapely: Any, margin: float) -> Any:
    # only the top and bottom: the conic map's sides are meridians that plotly draws past
    x0, y0, x1, y1 = MAP_FRAME
    return shapely.box(x0 - 60, y0 + margin, x1 + 60, y1 - margin)


@cache
def bands() -> dict:
    """The built layer (cached: treat it as read-only)."""
    return json.loads(PATH.read_text(encoding="utf-8"))


def build_bands() -> dict:
    """A FeatureCollection: one (multi)polygon per band, ``properties.band`` 0 (nearest) … n-1."""
    import geopandas as gpd
    import shapely

    folder = topojson_file_url().removeprefix("file://")
    land = gpd.read_file(f"{folder}/world_110m.json", layer="land").make_valid()
    land = land.clip(shapely.box(*FRAME)).union_all()
    china = shapely.union_all(
        [shapely.geometry.shape(f["geometry"]) for f in load_geojson("province")["features"]]
    )
    china = china.buffer(0.05).simplify(0.05)
    box = shapely.box(*FRAME)
    outside = land.intersection(box).difference(china)  # box: the clip may leave slivers out
    n = len(BAND_COLORS)

    def at_least(k: int) -> Any:
        """Land drawn in band k or lighter: far enough from China, or near the map's edge."""
        if k >= n:
            far = box.difference(china.buffer(BAND_EDGES[-1], quad_segs=4))
            return far.union(box.difference(_inset(shapely, 0.3)))
        far = box.difference(china.buffer(BAND_EDGES[k], quad_segs=4)) if k else box
        return far.union(box.difference(_inset(shapely, (n - k) * EDGE_STEP))) if k else far

    features = []
    for i in range(n):
        ring = at_least(i).difference(at_least(i + 1))
        part = shapely.set_precision(outside.intersection(ring).simplify(0.05), 0.01)
        if part.is_empty:
            continue
        part = shapely.orient_polygons(part, exterior_cw=True)
        features.append(
            {
                "type": "Feature",
                "id": f"band-{i}",
                "properties": {"band": f"band-{i}"},
                "geometry": shapely.geometry.mapping(part),
            }
        )
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    PATH.write_text(json.dumps(build_bands(), separators=(",", ":")), encoding="utf-8")
    print(PATH, PATH.stat().st_size)
