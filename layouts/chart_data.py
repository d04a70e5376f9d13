"""The data behind each chart, as files (no Dash): what a reader needs to check or redraw a chart.

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

from data import diffusion, export_tables, periods, query
from data.dataset import Dataset
from data.measures import MEASURE
from data.state import ViewState
from layouts import compare_view, ids, map_story, viewmodel
from layouts.figures import breakdown as bd
from layouts.figures import ranked
from layouts.figures.geo_assets import TOPOJSON_DIR, load_geojson

if TYPE_CHECKING:
    import geopandas as gpd

DATA_FORMATS: tuple[str, ...] = ("csv", "gpkg", "geojson", "html")
MAP_ONLY = ("gpkg", "geojson")


def map_table(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """One row per region of the map, in map order: adcode, name_zh, name_en, count, measure,
    value, class (the legend entry it is drawn in)."""
    values = viewmodel.map_frame(ds, state, crossfilter=False)
    classes = map_story.map_classes(values, state)
    regions = ds.regions(map_story.map_level(state), state.drill)
    cls = classes.of(values["z"].to_numpy(dtype=float))
    zero = "0 under these filters"
    label = {
        "no_record": "no recorded policy",
        "no_reference": "no reference figure",
        "zero": zero,
    }
    out = pd.DataFrame(
        {
            "adcode": values["adcode"].to_numpy(),
            "name_zh": regions["name_zh"].to_numpy(),
            "name_en": regions["name_en"].to_numpy(),
            "count": values["count"].astype(int).to_numpy(),
            "measure": values["measure"].to_numpy(),
            "value": values["z"].astype(float).round(6).to_numpy(),
            "class": [
                label.get(s) or (classes.labels[c - 1] if c > 0 else zero)
                for s, c in zip(values["status"], cls, strict=True)
            ],
        }
    )
    return out


def ranked_table(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """The ranked chart's bars in its order: rank, adcode, names, count, value."""
    values = viewmodel.map_frame(ds, state, crossfilter=False)
    frame = ranked.ranked_frame(values, map_story.map_classes(values, state))
    names = map_table(ds, state).set_index("adcode")
    return pd.DataFrame(
        {
            "rank": frame["rank"].to_numpy(),  # ties share a rank (1, 1, 3 …)
            "tied": frame["tied"].to_numpy(),
            "adcode": frame["adcode"].to_numpy(),
            "name_zh": names.loc[frame["adcode"], "name_zh"].to_numpy(),
            "name_en": names.loc[frame["adcode"], "name_en"].to_numpy(),
            "count": frame["count"].astype(int).to_numpy(),
            "measure": frame["measure"].to_numpy() if "measure" in frame else "count",
            "value": frame["z"].astype(float).round(6).to_numpy(),
        }
    )


def chart_table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame:
    """The numbers one chart draws, as its export draws them (every filter applied)."""
    compared = compare_view.table(ds, state, chart)  # compare mode: one column per region
    if compared is not None:
        return compared
    if chart == ids.MAP:
        return map_table(ds, state)
    if chart == ids.RANKED:
        return ranked_table(ds, state)
    if chart == ids.TIMELINE:
        f = query.timeline(ds.index, state, crossfilter=False)
        bars = pd.DataFrame(
            {
                "period": [periods.label_of(p.start_time.date(), state.freq) for p in f["period"]],
                "start": f["start"].dt.strftime("%Y-%m-%d").to_numpy(),
                "count": f["count"].to_numpy(),
                "cumulative": f["cumulative"].to_numpy(),
                "drawn_as_bar": True,
            }
        )
        # the rows no bar holds, as the image says them: undated, dated less finely than the step
        apart = {"undated": f.attrs["undated"]} | {
            f"dated to the {p} only": n for p, n in f.attrs["coarse"].items()
        }
        rows = [{"period": k, "count": n, "drawn_as_bar": False} for k, n in apart.items() if n]
        return pd.concat([bars, pd.DataFrame(rows)], ignore_index=True) if rows else bars
    if chart in (ids.ADOPTION_MAP, ids.ADOPTION_CURVE):
        return adoption_table(ds, state, chart)
    dim = ids.charts_of(ds.dimensions)[chart]
    c = ds.dimension[dim]
    f = query.breakdown(ds.index, state, dim, crossfilter=False)
    bars, _apart = bd.arrange(f, c, state.order)
    none = c.none_code
    rows = pd.concat([bars, f[f["code"] == none]]) if none else bars
    return pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "label_zh": [c.label(v, "zh") for v in rows["code"]],
            "label_en": [c.label(v, "en") for v in rows["code"]],
            "count": rows["count"].astype(int).to_numpy(),
            "drawn_as_bar": [c != none for c in rows["code"]],
        }
    )


def adoption_table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame:
    """The diffusion charts' numbers: each region's first policy (first-adoption map), or how
    many regions had a policy by the end of each period, one block per compared curve."""
    level = viewmodel.effective_map_level(state)
    regions = ds.regions(level, state.drill)
    adcodes = regions["adcode"].tolist()
    if chart == ids.ADOPTION_MAP:
        first = diffusion.first_adoption(ds.index, state, adcodes, level)
        return pd.DataFrame(
            {
                "adcode": first["adcode"].to_numpy(),
                "name_zh": regions["name_zh"].to_numpy(),
                "name_en": regions["name_en"].to_numpy(),
                "first_policy": first["first"].dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
                "first_year": first["year"].where(first["year"] > 0).astype("Int64").to_numpy(),
                "dated_policies": first["policies"].to_numpy(),
            }
        )
    blocks = []
    for curve in diffusion.compared_curves(ds.index, state, adcodes, level):
        f = curve.frame
        blocks.append(
            pd.DataFrame(
                {
                    "curve": curve.code or "all",
                    "period": f["period"].to_numpy(),
                    "new_regions": f["new"].to_numpy(),
                    "regions_with_a_policy": f["adopted"].to_numpy(),
                    "share_of_regions_pct": f["share"].round(2).to_numpy(),
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)


def map_geodata(ds: Dataset, state: ViewState) -> gpd.GeoDataFrame:
    """The map's regions with their values as a GeoDataFrame (EPSG:4326)."""
    import geopandas as gpd

    table = map_table(ds, state)
    layer = load_geojson(map_story.map_level(state))
    wanted = set(table["adcode"])
    features = [f for f in layer["features"] if f["properties"]["adcode"] in wanted]
    shapes = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")[["adcode", "geometry"]]
    geo = shapes.merge(table, on="adcode", how="right")
    measure = MEASURE.get(str(table["measure"].iloc[0]) if len(table) else "count")
    geo.attrs["measure"] = measure.id if measure else "count"
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


def chart_data_file(
    ds: Dataset, state: ViewState, chart: str, fmt: str, figs: dict[str, go.Figure]
) -> bytes:
    """The bytes of one data format of one chart (``DATA_FORMATS``)."""
    if fmt == "csv":
        return export_tables.to_csv_bytes(chart_table(ds, state, chart))
    if fmt in MAP_ONLY:
        if chart != ids.MAP:
            raise ValueError(f"{fmt} is the map's format (regions with their values)")
        return geopackage(ds, state) if fmt == "gpkg" else geojson(ds, state)
    if fmt == "html":
        return chart_html({chart: figs[chart]})
    raise ValueError(f"unknown data format {fmt!r}")
