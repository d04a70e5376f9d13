"""The map presenter: the policy map of one (dataset, view) — its values and hover texts
(``map_frame``), the figure (``map_figure``), what a filter change patches (``map_updates``), the
regions it outlines (``selection``) and the national pilot layer; ``map_chart`` and ``map_patch``
are the map's builder and patch function in ``layouts.charts``."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from data import measures, query, schema
from data.dataset import Dataset
from data.measures import Measure
from data.state import ViewState
from geodata import gazetteer
from layouts import ids, map_story
from layouts.figures import captions, china_map, geo_assets, neighbours, style
from layouts.figures.classes import Classes
from layouts.i18n import t
from layouts.present_common import (
    Frames,
    cell_text,
    empty_text,
    headline,
    source_line,
    subtitle,
    visible_pilots,
)


def measure_title(state: ViewState, measure: Measure) -> str:
    """The colour bar's title: the measure, and the reference it divides by."""
    title = t(f"m_{measure.id}", state.lang)
    note = measure.note(state.lang, state.gdp_year)
    if note:
        title += f"<br>（{note}）" if state.lang == "zh" else f"<br>({note})"
    return title


def map_frame(ds: Dataset, state: ViewState, *, crossfilter: bool = True) -> pd.DataFrame:
    level = state.map_level_shown
    regions = ds.regions(level, state.drill)
    values = query.region_counts(
        ds.index,
        state,
        regions,
        ds.reference if level == "province" else None,
        crossfilter=crossfilter,
    )
    lang = state.lang
    names = regions["name_zh"] if lang == "zh" else regions["name_en"]
    values["name"] = names.to_numpy()
    measure: Measure = values.attrs["measure"]
    # the hover's lines under the region's names (the names are the layer's, in the browser:
    # ``china_map.NAMES``)
    hover = []
    for count, z, status, top in zip(
        values["count"],
        values["z"],
        values["status"],
        values["top_incentives"],
        strict=True,
    ):
        if status == measures.NO_RECORD:
            hover.append(t("no_record", lang))
            continue
        if measure.divisor and math.isnan(z):
            hover.append(f"{t('count', lang)}: {count} · {t('no_reference', lang)}")
            continue
        if status == measures.ZERO:
            hover.append(f"{t('count', lang)}: 0 ({t('filtered_zero', lang)})")
            continue
        lines = [f"{t('count', lang)}: {count}"]
        if not measure.integer and not math.isnan(z):
            lines.append(f"{t(f'm_{measure.id}', lang)}: {z:.2f}")
        if top:
            sep = "、" if lang == "zh" else ", "
            labels = captions.plain(sep.join(schema.label(schema.INCENTIVES, c, lang) for c in top))
            lines.append(f"{t('incentive', lang)}: {labels}")
        hover.append("<br>".join(lines))
    # Regions with rows but no population / GDP figure cannot be coloured by that measure: they
    # join the grey "nothing to show" layer (their hover says why) rather than look like zero.
    if measure.divisor:
        no_figure = values["z"].isna() & (values["status"] != measures.NO_RECORD)
        values.loc[no_figure, "status"] = measures.NO_REFERENCE
    values["hover"] = hover
    return values


def map_title(ds: Dataset, state: ViewState) -> str:
    """The headline, written from the filters (``titles.chart_title``)."""
    return headline(ds, state, state.map_level_shown)


def selected_on_map(ds: Dataset, state: ViewState, regions: pd.DataFrame) -> list[str]:
    """Adcodes shown in full on the map (the rest dimmed): the selected regions and, on a city
    map, the cities of a selected province (outlined: ``outlined_on_map``)."""
    chosen = set(state.region)
    if state.map_level_shown == "city":
        return [
            a
            for a, p in zip(regions["adcode"], regions["province_adcode"], strict=True)
            if a in chosen or p in chosen
        ]
    # a city chosen in the place filter marks its province on the province map
    chosen |= {gazetteer.province_code(a) for a in state.region}
    return [a for a in regions["adcode"] if a in chosen]


def outlined_on_map(ds: Dataset, state: ViewState, regions: pd.DataFrame) -> list[str]:
    """Adcodes whose border the map draws: on a city map a city picked as a city, and a picked
    province once, along its own border (its cities are shown in full, ``selected_on_map``, not
    outlined one by one); on the province map the regions ``selected_on_map`` gives."""
    if state.map_level_shown != "city":
        return selected_on_map(ds, state, regions)
    drawn = set(regions["adcode"]) | set(regions["province_adcode"])
    return [a for a in dict.fromkeys(state.region) if a in drawn]


def map_figure(
    ds: Dataset,
    state: ViewState,
    values: pd.DataFrame,
    *,
    inline: bool,
    classes: Classes | None = None,
) -> go.Figure:
    """The choropleth (``layouts.figures.china_map``) framed with title, filters and source; a
    national pilot layer on top when asked for (trace ``PILOT_TRACE``). ``classes``: the legend's
    (default: the values' own; the frames of an animation share theirs)."""
    level = state.map_level_shown
    grey = values["status"].isin(measures.GREY)
    recorded = values[~grey]
    no_record = values[grey][["adcode", "hover"]]
    # The inset belongs on national maps (and on Hainan's, whose islands it shows).
    inset = state.drill in (None, "460000")
    regions = ds.regions(level, state.drill)
    fig = china_map.china_map(
        recorded,
        classes=classes or map_story.map_classes(values, state),
        labels=map_story.region_labels(values, state),
        neighbour_land=None if state.drill else (neighbours.bands() if inline else neighbours.URL),
        level=level,
        geojson=geo_assets.load_geojson(level) if inline else geo_assets.geojson_url(level),
        dashline=geo_assets.load_dashline(),
        colorbar_title=measure_title(state, values.attrs["measure"]),
        no_data_adcodes=no_record,
        # a self-contained figure (export) carries its selection; on the page the selection is
        # drawn over the map by assets/map_selection.js (``selection``), never by a geo redraw
        selected=selected_on_map(ds, state, regions) if inline else (),
        outlined=outlined_on_map(ds, state, regions) if inline else (),
        lang=state.lang,
        inset=inset,
        layer_names=True,  # the names are the layer's: a response carries none per region
    )
    if state.drill:
        # One province fills the frame: plain Mercator fitted to its cities. The national map's
        # conic projection (rotated to 105°E) draws no shapes in a small lon/lat window, and a
        # rotated Mercator defeats ``fitbounds`` (plotly.js 4): the projection is replaced whole.
        # The ranges are the cities' own bounds (``fitbounds`` left a wide margin around them).
        lon, lat = map_story.drill_bounds(state.drill)
        fig.layout.geo.projection = {"type": "mercator"}
        fig.layout.geo.lonaxis.range = lon
        fig.layout.geo.lataxis.range = lat
        fig.layout.geo.fitbounds = False
    _add_pilots(fig, ds, state)
    empty = empty_text(ds, state, ids.MAP)
    nothing = not int(values["count"].sum())
    style.frame(
        fig,
        map_title(ds, state),
        subtitle(ds, state),
        source_line(ds, state, short=not inline),  # on screen the short line: it fits a phone
        empty=empty if nothing else None,
        empty_text=empty,
    )
    fig.update_layout(margin={"l": 4, "r": 4})
    return fig


PILOT_TRACE = china_map.N_TRACES  # appended after the map's own traces


def _add_pilots(fig: go.Figure, ds: Dataset, state: ViewState) -> None:
    """National pilots as star markers at their place (the trace is always there, hidden unless
    asked for, so trace indices never move). Pilots with no recorded place are not drawn."""
    lang = state.lang
    shown = visible_pilots(ds, state).dropna(subset=["lon", "lat"])
    if not state.pilots:
        shown = shown.iloc[0:0]
    text = []
    for r in shown.to_dict("records"):
        field_ = cell_text(r.get("field_zh") if lang == "zh" else r.get("field_en"))
        cat = schema.label(schema.PILOT_CATEGORIES, r.get("category"), lang)
        text.append(f"<b>{cell_text(r.get('organisation_zh'))}</b><br>{cat}<br>{field_}")
    fig.add_trace(
        go.Scattergeo(
            uid="pilots",
            geo="geo",
            lon=shown["lon"].astype(float).tolist(),
            lat=shown["lat"].astype(float).tolist(),
            text=text,
            mode="markers",
            marker={
                "symbol": "star",
                "size": 11,
                "color": "#d9822b",
                "line": {"color": "white", "width": 1},
            },
            hovertemplate="%{text}<extra></extra>",
            name=t("pilots_legend", lang),
            showlegend=bool(state.pilots),
            visible=bool(state.pilots),
        )
    )


def selection(ds: Dataset, state: ViewState) -> dict[str, list[str | dict[str, object]]]:
    """What each map on the page outlines (the rest dimmed), drawn in the browser over the map
    (``assets/map_selection.js``): a click that selects a region leaves the figure alone. On the
    province map the selected adcodes (each outlined along its border); on the city map one
    ``{"outline": adcode, "regions": [drawn adcodes]}`` per region outlined (``outlined_on_map``):
    a picked province's cities shown in full and outlined together, once, outside the province's
    border; a picked city the same, alone."""
    regions = ds.regions(state.map_level_shown, state.drill)
    shown: list[str | dict[str, object]]
    if state.map_level_shown != "city":
        shown = list(selected_on_map(ds, state, regions))
    else:
        province = dict(zip(regions["adcode"], regions["province_adcode"], strict=True))
        shown = [
            {"outline": a, "regions": [c for c, p in province.items() if a in (c, p)]}
            for a in outlined_on_map(ds, state, regions)
        ]
    return {ids.MAP: shown, ids.ADOPTION_MAP: shown}


def map_updates(
    ds: Dataset, state: ViewState, values: pd.DataFrame, sub: str
) -> dict[tuple, object]:
    """What a filter change alters on the map: values, hover texts, labels, legend, texts (the
    selection is not in the figure on the page: ``selection``)."""
    grey = values["status"].isin(measures.GREY)
    recorded = values[~grey]
    cls = map_story.map_classes(values, state)
    z = cls.of(recorded["z"].fillna(0.0).to_numpy()).tolist()
    hover = recorded["hover"].tolist()
    out: dict[tuple, object] = {}
    codes = recorded["adcode"].tolist()
    out.update(china_map.z_paths(z, codes, state.map_level_shown))
    out.update(china_map.z_paths(hover, codes, state.map_level_shown, "text"))  # inset too
    zero = bool((recorded["z"].fillna(0.0) == 0).any())
    out.update(china_map.legend_patch(cls, state.lang, True, zero))
    labels = map_story.region_labels(values, state)
    for key in ("lon", "lat", "text"):
        out[("data", china_map.LABEL_TRACE, key)] = labels[key].tolist()
    out[("data", china_map.LABEL_TRACE, "textfont", "color")] = labels["color"].tolist()
    out[("layout", "annotations", style.EMPTY_INDEX, "visible")] = not int(values["count"].sum())
    out[("layout", "title", "subtitle", "text")] = sub
    return out


def map_chart(ds: Dataset, state: ViewState, f: Frames, chart: str) -> go.Figure:
    """The map of a view (``layouts.charts``' builder of ``ids.MAP``): ``map_figure`` under the
    view's filters in words; exported, it says what it leaves out."""
    fig = map_figure(ds, state, f.map, inline=f.inline)
    fig.layout.title.subtitle.text = f.sub
    if f.export:
        style.add_notes(fig, map_story.left_out(ds, state))
    return fig


def map_patch(ds: Dataset, state: ViewState, f: Frames, chart: str) -> dict[tuple, object]:
    """The map's paths that filters change (the same values as ``map_chart``)."""
    out = map_updates(ds, state, f.map, f.sub)
    out.update(style.headline_patch(map_title(ds, state)))
    return out
