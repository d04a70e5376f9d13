"""The data behind each chart, as files (no Dash): what a reader needs to check or redraw a chart.
The export formats that use them are registered in ``layouts.exports.formats``.

- ``csv``: the aggregated numbers a chart draws (for the map: adcode, names zh/en, count, the
  measure's value and its legend class), drawn as filtered like the exported image;
- ``gpkg`` / ``geojson``: the map's regions with those values, WGS-84, written with geopandas
  (open in QGIS or any GIS);
- ``html``: the chart itself, interactive, with plotly.js and the base map inside the file (works
  offline: no CDN, no topojson fetch).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from data.dataset import Dataset
from data.state import ViewState
from layouts import compare_view
from layouts.chart_tables import map_table
from layouts.charts import charts_for
from layouts.figures.geo_assets import TOPOJSON_DIR, load_geojson

if TYPE_CHECKING:
    import geopandas as gpd


def chart_table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame:
    """The numbers one chart draws, as its export draws them (every filter applied): the
    chart's own table function (``Chart.table``; ``KeyError`` for a chart the table has not)."""
    compared = compare_view.table(ds, state, chart)  # compare mode: one column per region
    if compared is not None:
        return compared
    entry = charts_for(ds.dimensions)[chart]
    if entry.table is None:
        raise KeyError(chart)
    return entry.table(ds, state, chart)


def map_geodata(ds: Dataset, state: ViewState) -> gpd.GeoDataFrame:
    """The map's regions with their values as a GeoDataFrame (EPSG:4326)."""
    import geopandas as gpd

    table = map_table(ds, state)
    layer = load_geojson(state.map_level_shown)
    wanted = set(table["adcode"])
    features = [f for f in layer["features"] if f["properties"]["adcode"] in wanted]
    shapes = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")[["adcode", "geometry"]]
    geo = shapes.merge(table, on="adcode", how="right")
    geo.attrs["measure"] = table.attrs["measure"].id
    return gpd.GeoDataFrame(geo, geometry="geometry", crs="EPSG:4326")


def _written(geo: gpd.GeoDataFrame, driver: str, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"map{suffix}"
        geo.to_file(path, driver=driver, layer="policy_map" if driver == "GPKG" else None)
        return path.read_bytes()


def geopackage(ds: Dataset, state: ViewState) -> bytes:
    return _written(map_geodata(ds, state), "GPKG", ".gpkg")


def geojson(ds: Dataset, state: ViewState) -> bytes:
    return _written(map_geodata(ds, state), "GeoJSON", ".geojson")


# ------------------------------------------------------------------ offline interactive HTML
_GEO_ASSETS = "<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {topo}}}}};</script>"


def _geo_assets_script() -> str:
    """plotly.js reads ``window.PlotlyGeoAssets.topojson[name]`` before fetching a base map: the
    file carries it, so nothing is requested from any host."""
    topo = (TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8")
    return _GEO_ASSETS.format(topo=topo)


def chart_html(figs: dict[str, go.Figure], title: str = "Policy Atlas") -> bytes:
    """One self-contained HTML page holding ``figs`` (plotly.js once, inside the file)."""
    parts = []
    first = True
    for fig in figs.values():
        height = fig.layout.height or 620
        parts.append(
            pio.to_html(
                fig,
                include_plotlyjs=first,
                full_html=False,
                default_width="100%",
                default_height=f"{height}px",
                config={"displaylogo": False, "showSendToCloud": False, "responsive": True},
                validate=False,
            )
        )
        first = False
    body = "\n".join(parts)
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>{_geo_assets_script()}</head>"
        "<body style='font-family:sans-serif;max-width:1200px;margin:auto'>"
        f"{body}</body></html>"
    )
    return page.encode("utf-8")


def view_html(figs: dict[str, go.Figure]) -> bytes:
    return chart_html(figs)
