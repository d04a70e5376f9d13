"""China choropleth with the South China Sea inset (pure: plotly and pandas, no Dash).

Trace order is fixed so a Dash ``Patch`` can update values without resending anything else:

====  ==================  ======  ==========================================================
idx   uid                 geo     content
====  ==================  ======  ==========================================================
0     ``values-main``     geo     regions with records: ``z`` (0 = filtered to zero)
1     ``values-inset``    geo2    the rows of regions inside the inset's window (``inset_rows``)
2     ``nodata-main``     geo     regions with no recorded policy: neutral grey, no scale
3     ``nodata-inset``    geo2    the same in the inset (its window's rows)
4     ``dashline``        geo2    the ten-dash line (scattergeo lines)
5     ``selected-main``   geo     outline of the selected regions (no fill, no hover; ``outlined``)
6     ``selected-inset``  geo2    the same in the inset
7     ``nodata-legend``   geo     legend swatch for "no recorded policy" (no points)
8     ``inset-label``     geo2    the 南海诸岛 label, placed in the sea inside the inset frame
9-13  ``class-legend-i``  geo     stepped legend: one swatch per class (unused ones hidden)
14    ``zero-legend``     geo     legend swatch for "0 under these filters"
15    ``labels``          geo     region labels (name and value), placed without overlaps
16    ``neighbours``      geo     neighbouring land fading with distance (not on a drill-down)
====  ==================  ======  ==========================================================

Colours are classes, not a continuous ramp: ``z`` is the class index (0 = "0 under these
filters", 1..k the legend's classes, see ``layouts.figures.classes``) on a stepped colour axis.

To change the values: ``z_paths(new_z, adcodes, level)`` gives both traces' ``z`` (the main map in
the order of the ``values`` frame the figure was built with, the inset its rows of it: the regions
reaching into its window, computed once from the layers); both share ``layout.coloraxis``, so set
``patch["layout"]["coloraxis"]["cmax"]`` too if ``zmax`` was given. The selection (traces 5 and 6,
``selectedpoints``) is for self-contained figures (exports): on the page it is drawn over the map by
``assets/map_selection.js``, since any restyle of a geo subplot re-projects every region.

"No recorded policy" (no row in the whole table for that region) is drawn neutral grey outside the
colour scale; "filtered to zero" (rows exist, none pass the filters) is the lightest colour of the
scale with ``z = 0``. Hover and legend both say which is which.

Hover names (``layer_names``): the regions' names in both languages are the layer's feature
properties (``name_zh``, ``name_en``: the gazetteer's, written by ``geodata.boundaries``), which
plotly.js reads into the hover from the layer the browser already holds (``NAMES``): a trace
carries one template, not a name per region. Only what the filters change travels per region
(``text``), and a line most regions share (``hover_fallback``: "never" on the first-adoption
map) is the template's fallback, sent once: those regions carry an empty ``customdata`` entry
(``fallback_data``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from layouts.figures import classes as classes_mod
from layouts.figures import geo_assets, neighbours, style
from layouts.figures.classes import Classes

Z_TRACES: tuple[int, int] = (0, 1)
NODATA_TRACES: tuple[int, int] = (2, 3)
DASHLINE_TRACE = 4
SELECTED_TRACES: tuple[int, int] = (5, 6)
NODATA_LEGEND_TRACE = 7
INSET_LABEL_TRACE = 8
CLASS_LEGEND_TRACES: tuple[int, ...] = tuple(range(9, 9 + classes_mod.MAX_CLASSES))
ZERO_LEGEND_TRACE = 9 + classes_mod.MAX_CLASSES
LABEL_TRACE = ZERO_LEGEND_TRACE + 1
NEIGHBOUR_TRACE = LABEL_TRACE + 1
#: Traces china_map() always makes; a caller adding its own layers starts at this index.
N_TRACES = NEIGHBOUR_TRACE + 1
INSET_LABEL_AT = (106.0, 3.4)  # lon, lat: open sea in the inset's lower-left corner

# One palette for every chart (``style``): the scale's lightest step means "filtered to zero",
# distinct from the NO_RECORD grey.
FONT_FAMILY = style.FONT_FAMILY
SEQUENTIAL = style.SEQUENTIAL
NO_RECORD = style.NO_RECORD
BORDER = "#ffffff"
SELECTED_BORDER = "#111111"
#: the selection's outline (px) by (the map's level, the outlined region's): thinner on the city
#: map, a city's thinnest (an export is scaled ×2.8–3.6, and a wider line swallows small cities)
OUTLINE_WIDTH = {("province", "province"): 2.2, ("city", "province"): 1.4, ("city", "city"): 1.0}
LAND = "#f3f3f1"  # neighbouring land: lighter than the "no recorded policy" grey
DIM_OPACITY = 0.45  # unselected regions stay readable, as in crossfilter

# Main map frame (degrees) and the inset's area: a conic projection needs fixed ranges around
# lon 73-136, lat 17-54 (``fitbounds`` fills the frame only in Mercator).
MAIN_LON = (73.0, 136.0)
MAIN_LAT = (17.0, 54.0)
INSET_LON = (105.5, 123.5)
INSET_LAT = (2.5, 24.5)
INSET_PARALLELS = (25, 47)
INSET_ROTATION = 114.5  # centred on the inset so its frame is an upright near-rectangle
LEGEND_STRIP = 0.16  # the bottom of the frame holds the legend (title over its entries), off land
#: the inset clears a legend in several rows (a phone's): its label sits at its bottom
INSET_DOMAIN = {"x": [0.8, 1.0], "y": [0.3, 0.6]}

TEXT = {
    "zh": {
        "inset": "南海诸岛",
        "no_record": "无政策记录",
        "zero": "筛选后为 0",
    },
    "en": {
        "inset": "South China<br>Sea Islands",  # two lines: the inset is 70 px wide on a phone
        "no_record": "No recorded policy",
        "zero": "0 under these filters",
    },
}


#: The hover's first line when the names come from the layer (``layer_names``): the page's
#: language first, as the gazetteer writes them.
NAMES = {
    "zh": "<b>%{properties.name_zh}</b> %{properties.name_en}",
    "en": "<b>%{properties.name_en}</b> %{properties.name_zh}",
}
NO_EXTRA = "<extra></extra>"  # no trace name beside the hover box


def hover_names(lang: str, layer_names: bool, fallback: str | None = None) -> str | None:
    """The hover's names line of ``china_map``: with ``layer_names``, ``NAMES`` of ``lang``
    (English for any language but Chinese, as ``TEXT``); ``hover`` of its ``values`` and of a
    ``no_data_adcodes`` frame is then only the lines under the names (default: the value; "no
    recorded policy"). ``fallback``: the values' line most regions share, sent once as the
    template's fallback (``fallback_data``); it needs the names from the layer. None: the names
    are in each region's hover (as given, or from ``hover_name_col``)."""
    if fallback is not None and not layer_names:
        raise ValueError("hover_fallback needs layer_names: the names are the template's")
    return NAMES.get(lang, NAMES["en"]) if layer_names else None


def fallback_data(lines: Sequence[str], fallback: str | None) -> list[list[str]]:
    """The values trace's ``customdata`` under a ``hover_fallback``: ``[line]`` per region, ``[]``
    for a region whose line is the fallback (its template's ``%{customdata[0]}`` is then missing
    and plotly.js shows the trace's ``hovertemplatefallback``)."""
    return [[] if line == fallback else [line] for line in lines]


def z_trace_indices(fig: go.Figure) -> list[int]:
    """Indices of the traces holding the ``z`` values (looked up by uid, not assumed)."""
    return [i for i, t in enumerate(fig.data) if (t.uid or "").startswith("values-")]


def inset_rows(codes: Sequence[str], level: str) -> list[int]:
    """Positions of ``codes`` (regions of ``level``) the inset draws: those whose shape reaches
    into its window (``inset_adcodes``), and any the bundled layer does not know (kept: no
    region is lost). The inset's traces carry only these rows, so most regions' values and
    hover texts are not sent twice."""
    inside, known = inset_adcodes(level)
    return [i for i, a in enumerate(codes) if a in inside or a not in known]


def _pick(values: Sequence[Any] | None, rows: Sequence[int]) -> list[Any] | None:
    return None if values is None else [values[i] for i in rows]


def z_paths(
    z: Sequence[Any], codes: Sequence[str], level: str, key: str = "z"
) -> dict[tuple, list]:
    """The values traces' ``z`` (a Dash ``Patch``'s paths, or set on a figure): every region on
    the map, the inset's rows (``inset_rows``) in the inset; ``key="text"``: their hover texts."""
    main, inset = Z_TRACES
    return {
        ("data", main, key): list(z),
        ("data", inset, key): [z[i] for i in inset_rows(codes, level)],
    }


@cache
def inset_adcodes(level: str) -> tuple[frozenset[str], frozenset[str]]:
    """(adcodes of the regions of ``level`` whose shape reaches into the inset's window, every
    adcode of the bundled layer), from the layer's geometry (computed once per process).

    The window is what plotly.js draws: it fits the projected lon/lat box (``INSET_LON``,
    ``INSET_LAT``) into the subplot and clips to that box's bounding rectangle (``clipExtent``),
    so the corners of the rectangle show a little beyond the box; the rectangle is padded by 2 %
    (a region drawn a pixel into the frame is kept)."""
    import shapely

    # read, not ``load_geojson``'s cached copy: a page process never holds the city layer
    features = json.loads(geo_assets.geojson_path(level).read_bytes())["features"]
    codes = [str(f["properties"]["adcode"]) for f in features]
    shapes = shapely.transform(
        np.array([shapely.geometry.shape(f["geometry"]) for f in features]), _inset_xy
    )
    hits = shapely.intersects(shapes, shapely.box(*_inset_window(pad=0.02)))
    return frozenset(c for c, hit in zip(codes, hits, strict=True) if hit), frozenset(codes)


def _inset_xy(lonlat: np.ndarray) -> np.ndarray:
    """Lon/lat (degrees, n x 2) to the inset's projection (d3's conic equal area on the unit
    sphere with ``INSET_PARALLELS``, rotated to ``INSET_ROTATION``; y up)."""
    lam = np.radians(lonlat[:, 0] - INSET_ROTATION)
    phi = np.radians(lonlat[:, 1])
    s0, s1 = (np.sin(np.radians(p)) for p in INSET_PARALLELS)
    n = (s0 + s1) / 2
    c = 1 + s0 * (2 * n - s0)
    r0 = np.sqrt(c) / n
    r = np.sqrt(c - 2 * n * np.sin(phi)) / n
    return np.column_stack([r * np.sin(lam * n), r0 - r * np.cos(lam * n)])


def _inset_window(pad: float) -> tuple[float, float, float, float]:
    """The projected bounding rectangle of the inset's lon/lat box (x0, y0, x1, y1), padded."""
    t = np.linspace(0.0, 1.0, 181)
    (lo0, lo1), (la0, la1) = INSET_LON, INSET_LAT
    lons = np.concatenate([lo0 + (lo1 - lo0) * t, np.full_like(t, lo1), lo1 - (lo1 - lo0) * t,
                           np.full_like(t, lo0)])  # fmt: skip
    lats = np.concatenate([np.full_like(t, la0), la0 + (la1 - la0) * t, np.full_like(t, la1),
                           la1 - (la1 - la0) * t])  # fmt: skip
    xy = _inset_xy(np.column_stack([lons, lats]))
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def _subset_geojson(geojson: str | dict, adcodes: Sequence[str]) -> str | dict:
    """A URL is shared as is (the browser caches it); an inline dict is cut to what the trace
    draws, so an exported figure does not carry the whole layer once per trace."""
    if isinstance(geojson, str):
        return geojson
    wanted = set(adcodes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["adcode"] in wanted],
    }


def _no_data_frame(no_data_adcodes: Iterable[str] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(no_data_adcodes, pd.DataFrame):
        frame = no_data_adcodes.copy()
    else:
        frame = pd.DataFrame({"adcode": list(no_data_adcodes)})
    frame["adcode"] = frame["adcode"].astype(str)
    return frame.reset_index(drop=True)


def _hover_text(frame: pd.DataFrame, name_col: str, line: Iterable[str]) -> list[str]:
    names = frame[name_col] if name_col in frame else frame["adcode"]
    return [f"<b>{n}</b><br>{extra}" for n, extra in zip(names, line, strict=True)]


def _selectedpoints(adcodes: Sequence[str], selected: set[str]) -> list[int] | None:
    """plotly's own selection styling: listed points keep full opacity, the rest use
    ``unselected.marker.opacity``; None = no selection (an array ``marker.opacity`` is ignored
    by choropleth in plotly.js 4)."""
    if not selected:
        return None
    return [i for i, a in enumerate(adcodes) if a in selected]


def _geo_common() -> dict[str, Any]:
    return {
        "visible": True,
        "fitbounds": False,
        "resolution": 110,
        "scope": "world",
        "showland": False,  # neighbouring land: the fading ``neighbours`` trace
        "landcolor": LAND,
        "showcountries": False,  # neighbours' borders from Natural Earth are not China's
        "showcoastlines": False,
        "showocean": False,
        "showlakes": False,
        "showrivers": False,
        "bgcolor": "rgba(255,255,255,0)",
        "lonaxis": {"showgrid": False},
        "lataxis": {"showgrid": False},
    }


def china_map(
    values: pd.DataFrame,
    *,
    level: str,
    geojson: str | dict,
    dashline: dict | None,
    title: str | None = None,
    colorbar_title: str = "Policies",
    hover_name_col: str = "name",
    no_data_adcodes: Iterable[str] | pd.DataFrame = (),
    selected: Iterable[str] = (),
    outlined: Iterable[str] | None = None,
    colorscale: str | Sequence[Sequence[Any]] = SEQUENTIAL,
    zmax: float | None = None,
    inset: bool = True,
    lang: str = "zh",
    showscale: bool = True,
    classes: Classes | None = None,
    labels: pd.DataFrame | None = None,
    neighbour_land: str | dict | None = None,
    layer_names: bool = False,
    hover_fallback: str | None = None,
) -> go.Figure:
    """Choropleth of China by province or city, with the South China Sea inset.

    ``values``: one row per region that has records: ``adcode`` (6-digit str), ``z`` (float, 0 when
    the filters leave nothing), optional ``hover`` (prebuilt hover HTML, used as is) or
    ``hover_name_col`` (e.g. "广东省 Guangdong"). ``no_data_adcodes``: adcodes (or a frame with
    ``adcode`` and optional ``hover``/name column) of regions with no record at all.
    ``geojson``: an assets URL (app; fetched once by the browser) or the layer dict (exports).
    ``dashline``: the ten-dash line FeatureCollection (drawn in the inset). ``selected``:
    adcodes shown in full, everything else dimmed (crossfilter convention); ``outlined``: the
    adcodes whose border is drawn (default: the selected), on a city map cities or provinces (a
    selected province outlined once, along its own border: ``outline_layer``). ``inset=False``
    leaves geo2 and the inset traces in place but hidden, so trace indices never move.
    ``showscale=False`` hides the legend (e.g. a categorical colouring). ``classes``: the
    legend's classes (default: natural breaks of ``z`` as counts). ``labels``: ``lon, lat,
    text`` of the region labels to draw. ``neighbour_land``: the faded neighbouring land (URL or
    dict; None: not drawn). ``layer_names``, ``hover_fallback``: the hover's names from the
    layer (``hover_names``).
    See the module docstring for the trace indices.
    """
    names = hover_names(lang, layer_names, hover_fallback)
    if level not in ("province", "city"):
        raise ValueError(f"level must be 'province' or 'city', not {level!r}")
    text = TEXT.get(lang, TEXT["en"])
    vals = values.copy()
    vals["adcode"] = vals["adcode"].astype(str)
    vals["z"] = pd.to_numeric(vals["z"], errors="coerce").fillna(0.0).astype(float)
    vals = vals.reset_index(drop=True)
    nodata = _no_data_frame(no_data_adcodes)
    nodata = nodata[~nodata["adcode"].isin(set(vals["adcode"]))].reset_index(drop=True)
    sel = {str(a) for a in selected}
    codes = vals["adcode"].tolist()
    nd_codes = nodata["adcode"].tolist()
    line_width = 0.4 if level == "city" else 0.7

    fig = go.Figure()
    layer = (geojson, sel, line_width, level, inset)
    hovers = (text, colorbar_title, hover_name_col, names, hover_fallback)
    for trace in _region_layers(vals, nodata, layer, hovers):
        fig.add_trace(trace)
    fig.add_trace(dashline_trace(dashline, inset))
    ring = [a for a in codes + nd_codes if a in sel] if outlined is None else list(outlined)
    fig.add_traces(_selected_traces(*outline_layer(ring, geojson, level), level, inset))
    fig.add_trace(nodata_legend(text, bool(nd_codes) and showscale))
    fig.add_trace(_inset_label(text, inset))
    cls = classes if classes is not None else classes_mod.classify(vals["z"].to_numpy())
    for trace in class_legends(cls, text, showscale, bool((vals["z"] == 0).any())):
        fig.add_trace(trace)
    fig.add_trace(_label_trace(labels))
    fig.add_trace(_neighbour_trace(neighbour_land))
    for path, z in z_paths(cls.of(vals["z"].to_numpy()).tolist(), codes, level).items():
        fig.data[path[1]].z = z
    fig.update_layout(
        _layout(title, inset),
        coloraxis=coloraxis_of(classes_mod.colorscale(cls.colors), len(cls.uppers)),
        legend_title_text=colorbar_title,
    )
    return fig


def class_legends(cls: Classes, text: dict[str, str], shown: bool, zero: bool) -> list:
    """The stepped legend: one square swatch per class, then "0 under these filters" (traces
    9-14); ``legendrank`` keeps the order classes, zero, no record."""
    out = []
    for i in range(classes_mod.MAX_CLASSES):
        used = i < len(cls.uppers)
        out.append(
            _swatch(
                f"class-legend-{i}",
                cls.labels[i] if used else "",
                cls.colors[i] if used else NO_RECORD,
                shown and used,
                rank=100 + i,
            )
        )
    out.append(_swatch("zero-legend", text["zero"], style.ZERO, shown and zero, rank=900))
    return out


def _swatch(uid: str, name: str, color: str, shown: bool, rank: int) -> go.Scattergeo:
    return go.Scattergeo(
        uid=uid,
        geo="geo",
        lon=[None],
        lat=[None],
        mode="markers",
        marker={
            "symbol": "square",
            "size": 12,
            "color": color,
            "line": {"color": "#9aa5b1", "width": 0.5},
        },
        name=name,
        showlegend=shown,
        legendrank=rank,
        hoverinfo="skip",
    )


def legend_patch(cls: Classes, text_lang: str, shown: bool, zero: bool) -> dict[tuple, object]:
    """Paths to update the stepped legend and colour axis for new classes (a Dash ``Patch``)."""
    text = TEXT.get(text_lang, TEXT["en"])
    out: dict[tuple, object] = {}
    swatches = class_legends(cls, text, shown, zero)[: len(CLASS_LEGEND_TRACES)]
    for i, trace in zip(CLASS_LEGEND_TRACES, swatches, strict=True):
        out[("data", i, "name")] = trace.name
        out[("data", i, "showlegend")] = trace.showlegend
        out[("data", i, "marker", "color")] = trace.marker.color
    out[("data", ZERO_LEGEND_TRACE, "showlegend")] = shown and zero
    axis = coloraxis_of(classes_mod.colorscale(cls.colors), len(cls.uppers))
    out[("layout", "coloraxis", "colorscale")] = axis["colorscale"]
    out[("layout", "coloraxis", "cmax")] = axis["cmax"]
    return out


def _label_trace(labels: pd.DataFrame | None) -> go.Scattergeo:
    """Region labels as a text trace (trace 15): the name and the value, chosen to not overlap."""
    frame = labels if labels is not None else pd.DataFrame({"lon": [], "lat": [], "text": []})
    colors = frame["color"].tolist() if "color" in frame else "#102a43"
    return go.Scattergeo(
        uid="labels",
        geo="geo",
        lon=frame["lon"].astype(float).tolist(),
        lat=frame["lat"].astype(float).tolist(),
        text=frame["text"].astype(str).tolist(),
        mode="text",
        # dark text with a white halo: readable on every class and on small regions whose
        # label spills over their neighbours
        textfont={
            "size": LABEL_FONT,
            "color": colors,
            "family": FONT_FAMILY,
            "shadow": LABEL_HALO,
        },
        hoverinfo="skip",
        showlegend=False,
    )


LABEL_FONT = 10
LABEL_HALO = ", ".join(f"{x}px {y}px 1px #fff" for x in (-1, 1) for y in (-1, 1))


def _neighbour_trace(land: str | dict | None) -> go.Choropleth:
    """Neighbouring land in bands that fade with distance from China (trace 16)."""
    data = land if land is not None else {"type": "FeatureCollection", "features": []}
    n = len(neighbours.BAND_COLORS)
    scale = []
    for i, color in enumerate(neighbours.BAND_COLORS):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return go.Choropleth(
        uid="neighbours",
        geo="geo",
        geojson=data,
        featureidkey="properties.band",
        locations=[f"band-{i}" for i in range(n)],
        z=[i + 0.5 for i in range(n)],
        zmin=0,
        zmax=n,
        colorscale=scale,
        showscale=False,
        marker={"line": {"width": 0}},
        hoverinfo="skip",
        showlegend=False,
        visible=land is not None,
    )


def _parts(n: int, rows: list[int]) -> list[tuple[str, str, list[int]]]:
    """(geo, uid suffix, the rows it draws) of a layer: every row on the map, the inset's own
    (``inset_rows``) in the inset."""
    return [("geo", "main", list(range(n))), ("geo2", "inset", rows)]


def _choropleth(
    uid: str, geo: str, codes: list[str], geojson: str | dict, **kwargs: Any
) -> go.Choropleth:
    """One layer of regions by adcode (the values, no-record, outline and first-adoption layers
    share all but their colours, texts and selection): the layer URL as is, or the inline layer
    cut to ``codes``; no legend entry of its own."""
    return go.Choropleth(
        uid=uid,
        geo=geo,
        geojson=_subset_geojson(geojson, codes),
        featureidkey="properties.adcode",
        locations=codes,
        showlegend=False,
        **kwargs,
    )


def _value_hover(
    vals: pd.DataFrame, text: dict[str, str], colorbar_title: str, hover_name_col: str, named: bool
) -> list[str]:
    """The changing half of the hover (``hover`` as given, or made from ``z``; ``named``: after
    the region's name from ``hover_name_col``)."""
    if "hover" in vals:
        return vals["hover"].astype(str).tolist()
    lines = [
        f"{colorbar_title}: {z:g}" + (f" ({text['zero']})" if z == 0 else "") for z in vals["z"]
    ]
    return _hover_text(vals, hover_name_col, lines) if named else lines


def _value_hover_args(
    hover: list[str], rows: list[int], names: str | None, fallback: str | None
) -> dict[str, Any]:
    """A values trace's hover, the inset's as the main map's: the names from the layer
    (``names``) and the line the filters change (as ``text``, or as ``customdata`` under a
    fallback); else the whole ``hover`` of each region."""
    if names is None:
        return {"hovertemplate": "%{text}" + NO_EXTRA, "text": _pick(hover, rows)}
    if fallback is None:
        return {"hovertemplate": names + "<br>%{text}" + NO_EXTRA, "text": _pick(hover, rows)}
    return {
        "hovertemplate": names + "<br>%{customdata[0]}" + NO_EXTRA,
        "hovertemplatefallback": fallback,
        "customdata": _pick(fallback_data(hover, fallback), rows),
    }


def _value_traces(
    vals: pd.DataFrame,
    hover: list[str],
    geojson: str | dict,
    sel: set[str],
    line_width: float,
    name: str,
    level: str,
    inset: bool,
    names: str | None = None,
    fallback: str | None = None,
) -> list[go.Choropleth]:
    """Regions with records, coloured on the shared colour axis (traces 0 and 1)."""
    codes = vals["adcode"].tolist()
    z = vals["z"].tolist()
    out = []
    for geo, suffix, rows in _parts(len(codes), inset_rows(codes, level)):
        part = _pick(codes, rows) or []
        out.append(
            _choropleth(
                f"values-{suffix}",
                geo,
                part,
                geojson,
                z=_pick(z, rows),
                coloraxis="coloraxis",
                **_value_hover_args(hover, rows, names, fallback),
                marker={"line": {"color": BORDER, "width": line_width}},
                selectedpoints=_selectedpoints(part, sel),
                unselected={"marker": {"opacity": DIM_OPACITY}},
                name=name,
                visible=suffix == "main" or inset,
            )
        )
    return out


def _region_layers(
    vals: pd.DataFrame, nodata: pd.DataFrame, layer: tuple, hovers: tuple
) -> list[go.Choropleth]:
    """The regions with records (traces 0 and 1), then the grey ones (2 and 3). ``layer``:
    (geojson, selected adcodes, border width, level, inset shown); ``hovers``: (``TEXT`` of the
    language, the values' name, ``hover_name_col``, ``hover_names``, the values' fallback)."""
    geojson, sel, line_width, level, inset = layer
    text, name, name_col, names, fallback = hovers
    hover = _value_hover(vals, text, name, name_col, names is None)
    nd_hover = _nodata_hover(nodata, text, name_col, names)
    nd_codes = nodata["adcode"].tolist()
    return [
        *_value_traces(vals, hover, geojson, sel, line_width, name, level, inset, names, fallback),
        *_nodata_traces(nd_codes, nd_hover, geojson, sel, line_width, text, level, inset, names),
    ]


def _nodata_hover(
    nodata: pd.DataFrame, text: dict[str, str], hover_name_col: str, names: str | None
) -> list[str]:
    """The grey layer's hover per region: ``hover`` as given, else "no recorded policy" (under
    the region's name from ``hover_name_col`` when the names are not the layer's)."""
    if "hover" in nodata:
        return nodata["hover"].astype(str).tolist()
    lines = [text["no_record"]] * len(nodata)
    return lines if names else _hover_text(nodata, hover_name_col, lines)


def _nodata_hover_args(nd_hover: list[str], rows: list[int], names: str | None) -> dict[str, Any]:
    """The grey layer's hover: the names from the layer and its line, written once in the
    template when every region says the same ("no recorded policy"), else a ``text`` each."""
    lines = set(nd_hover)
    if names is None or len(lines) > 1 or any("%{" in line for line in lines):
        template = (names + "<br>" if names else "") + "%{text}" + NO_EXTRA
        return {"hovertemplate": template, "text": _pick(nd_hover, rows)}
    return {"hovertemplate": names + "".join(f"<br>{line}" for line in lines) + NO_EXTRA}


def _nodata_traces(
    nd_codes: list[str],
    nd_hover: list[str],
    geojson: str | dict,
    sel: set[str],
    line_width: float,
    text: dict[str, str],
    level: str,
    inset: bool,
    names: str | None = None,
) -> list[go.Choropleth]:
    """Regions with no recorded policy: neutral grey outside the scale (traces 2 and 3)."""
    out = []
    for geo, suffix, rows in _parts(len(nd_codes), inset_rows(nd_codes, level)):
        part = _pick(nd_codes, rows) or []
        out.append(
            _choropleth(
                f"nodata-{suffix}",
                geo,
                part,
                geojson,
                z=[0] * len(part),  # one colour: the value is never shown
                colorscale=[[0, NO_RECORD], [1, NO_RECORD]],
                showscale=False,
                **_nodata_hover_args(nd_hover, rows, names),
                marker={"line": {"color": BORDER, "width": line_width}},
                selectedpoints=_selectedpoints(part, sel),
                unselected={"marker": {"opacity": DIM_OPACITY}},
                name=text["no_record"],
                visible=suffix == "main" or inset,
            )
        )
    return out


def dashline_trace(dashline: dict | None, inset: bool) -> go.Scattergeo:
    """The ten-dash line in the inset (trace 4)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in (dashline or {}).get("features", []):
        geom = feature["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        for part in parts:
            lons += [p[0] for p in part] + [None]
            lats += [p[1] for p in part] + [None]
    return go.Scattergeo(
        uid="dashline",
        geo="geo2",
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": "#5a6672", "width": 1.2},
        hoverinfo="skip",
        showlegend=False,
        visible=inset,
    )


def outline_layer(
    codes: Sequence[str], geojson: str | dict, level: str
) -> tuple[list[str], str | dict, list[str]]:
    """(the adcodes to outline, the layer holding their shapes, each one's level). A layer URL
    (the page, whose selection ``assets/map_selection.js`` draws) is kept as is. An inline layer
    (an export) gets, for an adcode it does not hold, the province layer's shape: a province
    selected on a city map is outlined once along its own border, not as its cities. An adcode
    neither layer holds is not outlined."""
    if isinstance(geojson, str):
        return list(codes), geojson, [level] * len(codes)
    layers = [(level, geojson)] + (
        [("province", geo_assets.load_geojson("province"))] * (level == "city")
    )
    found: dict[str, tuple[str, dict]] = {}
    wanted = set(codes)
    for lvl, layer in reversed(layers):  # the map's own layer wins (a municipality's adcode)
        for f in layer["features"]:
            if f["properties"]["adcode"] in wanted:
                found[f["properties"]["adcode"]] = (lvl, f)
    kept = [a for a in dict.fromkeys(codes) if a in found]
    features = [found[a][1] for a in kept]
    return kept, {"type": "FeatureCollection", "features": features}, [found[a][0] for a in kept]


def _outline_inset_rows(codes: Sequence[str], levels: Sequence[str]) -> list[int]:
    """``inset_rows`` of outlines of mixed levels (each by its own layer's shapes)."""
    return [i for i, (a, lvl) in enumerate(zip(codes, levels, strict=True)) if inset_rows([a], lvl)]


def _selected_traces(
    codes: list[str], geojson: str | dict, levels: list[str], level: str, inset: bool
) -> list:
    """The outlines of the selected regions, no fill (traces 5 and 6): ``OUTLINE_WIDTH`` of the
    map's ``level`` and each one's own."""
    widths = [OUTLINE_WIDTH[level, lvl] for lvl in levels]
    return [
        _choropleth(
            f"selected-{suffix}",
            geo,
            part,
            geojson,
            z=[1.0] * len(part),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": SELECTED_BORDER, "width": _pick(widths, rows)}},
            hoverinfo="skip",
            visible=suffix == "main" or inset,
        )
        for geo, suffix, rows in _parts(len(codes), _outline_inset_rows(codes, levels))
        for part in [_pick(codes, rows) or []]
    ]


def nodata_legend(text: dict[str, str], shown: bool) -> go.Scattergeo:
    """A legend swatch for the grey; choropleth traces have no legend symbol (trace 7)."""
    return go.Scattergeo(
        uid="nodata-legend",
        geo="geo",
        lon=[None],
        lat=[None],
        mode="markers",
        marker={"symbol": "square", "size": 12, "color": NO_RECORD},
        name=text["no_record"],
        showlegend=shown,
        legendrank=1000,
        hoverinfo="skip",
    )


def _inset_label(text: dict[str, str], inset: bool) -> go.Scattergeo:
    """南海诸岛 as a text trace, not a paper annotation: it stays inside the inset frame at any
    figure size (trace 8)."""
    return go.Scattergeo(
        uid="inset-label",
        geo="geo2",
        lon=[INSET_LABEL_AT[0]],
        lat=[INSET_LABEL_AT[1]],
        mode="text",
        text=[text["inset"]],
        textposition="top right",
        textfont={"size": 10, "color": "#3e4c59"},
        hoverinfo="skip",
        showlegend=False,
        visible=inset,
    )


def _layout(title: str | None, inset: bool) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "geo": _main_geo(),
        "geo2": _inset_geo(inset),
        # A strip of its own under the map: the legend never sits on land, at any size.
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.9)",
            "font": {"size": 12},
            # on top: plotly wraps a horizontal legend without its left-hand title's width
            "title": {"font": {"size": 12}, "side": "top"},
            "itemclick": False,
            "itemdoubleclick": False,
            "traceorder": "normal",
        },
        "font": {"family": FONT_FAMILY, "size": 12, "color": "#1f2933"},
        "margin": {"l": 4, "r": 4, "t": 56 if title else 8, "b": 4},
        "paper_bgcolor": "white",
        "dragmode": False,
        "clickmode": "event",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }
    if title:
        layout["title"] = {"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top"}
    return layout


def _main_geo() -> dict[str, Any]:
    return _geo_common() | {
        "domain": {"x": [0.0, 1.0], "y": [LEGEND_STRIP, 1.0]},
        "projection": {
            "type": "conic equal area",
            "parallels": [25, 47],
            "rotation": {"lon": 105},
        },
        "lonaxis": {"range": list(MAIN_LON), "showgrid": False},
        "lataxis": {"range": list(MAIN_LAT), "showgrid": False},
        "showframe": False,
    }


def _inset_geo(inset: bool) -> dict[str, Any]:
    geo = _geo_common() | {
        "domain": INSET_DOMAIN,
        # centred on the inset so its frame (the lon/lat box) is an upright near-rectangle
        "projection": {
            "type": "conic equal area",
            "parallels": list(INSET_PARALLELS),
            "rotation": {"lon": INSET_ROTATION},
        },
        "lonaxis": {"range": list(INSET_LON), "showgrid": False},
        "lataxis": {"range": list(INSET_LAT), "showgrid": False},
        "showframe": inset,
        "framecolor": "#5a6672",
        "framewidth": 1,
        "bgcolor": "white" if inset else "rgba(0,0,0,0)",
        "visible": inset,
        "showland": inset,  # the inset is framed: its neighbours may show
    }
    if not inset:  # ``visible`` alone leaves land drawn where an explicit ``showland`` asks for it
        geo["showland"] = False
    return geo


def coloraxis_of(colorscale: Sequence[Sequence[Any]], k: int) -> dict[str, Any]:
    """A stepped colour axis for ``z`` = class index 0..k; the legend lists the classes."""
    return {
        "colorscale": colorscale,
        "cmin": -0.5,
        "cmax": k + 0.5,
        "showscale": False,
    }
