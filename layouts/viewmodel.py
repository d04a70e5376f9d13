"""Everything the page shows for one view: queries (``data.query``) fed to figure builders.

The one place where a number on screen comes from: ``views(dataset, state)`` calls the pure query
for each view and hands the small frame to its figure builder. ``view_key`` names what forces a
full redraw (map level, measure, language…); when only filters change, ``updates`` lists the few
arrays and texts that changed, which the callback sends as a Dash ``Patch``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data import measures, query, schema
from data.dataset import Dataset
from data.dimensions import CATEGORY, TOP_N, Category
from data.measures import MEASURE
from data.state import ViewState
from layouts import ids, map_story
from layouts.figures import breakdown as bd
from layouts.figures import captions, china_map, geo_assets, neighbours, ranked, style, titles
from layouts.figures import timeline as tl
from layouts.figures.classes import Classes
from layouts.i18n import t


@dataclass
class Views:
    figures: dict[str, go.Figure] = field(default_factory=dict)
    updates: dict[str, dict[tuple, object]] = field(default_factory=dict)
    texts: dict[str, Any] = field(default_factory=dict)


def view_key(state: ViewState) -> str:
    """What a full redraw depends on; everything else is a patch."""
    return "|".join(
        str(v)
        for v in (
            state.map_level,
            state.drill,
            state.measure,
            state.gdp_year,
            state.freq,
            state.lang,
            state.pilots,
            state.pilot_field,
            state.data,
            state.comparing(),  # compare charts are redrawn whole (layouts.compare_view)
        )
    )


def effective_map_level(state: ViewState) -> str:
    return "city" if state.drill else state.map_level


def _amount(value: float, lang: str) -> str:
    """A stated total in the unit people read it in (亿元 / 万元 / 元; million yuan / yuan)."""
    if not value:
        return "—"
    if lang == "zh":
        if value >= 1e8:
            return f"{value / 1e8:,.2f} 亿元"
        return f"{value / 1e4:,.0f} 万元" if value >= 1e4 else f"{value:,.0f} 元"
    return f"{value / 1e6:,.1f} million yuan" if value >= 1e6 else f"{value:,.0f} yuan"


def _count(n: int, one: str, many: str, lang: str) -> str:
    """A number with its noun in English ("1 city", "27 cities"); the number alone in Chinese."""
    if lang == "zh":
        return f"{n:,}"
    return f"{n:,} {one if n == 1 else many}"


def subtitle(ds: Dataset, state: ViewState) -> str:
    return captions.describe_filters(state, state.lang, ds.name_of, ds.dimension)


def headline(ds: Dataset, state: ViewState, unit: str) -> str:
    """A chart's title from the filters (``titles.chart_title``) for this table: its own
    dimensions and its topic (neutral for an uploaded table)."""
    return titles.chart_title(state, unit, ds.name_of, dims=ds.dimension, topic=ds.title_topic)


def source(ds: Dataset, state: ViewState, short: bool = False) -> str:
    sourced = ds.every_row_sourced
    if ds.uploaded and short:  # a narrow chart: the file and its rows
        return t(
            "source_upload_short", state.lang, label=captions.plain(ds.label), rows=f"{ds.rows:,}"
        )
    if ds.uploaded:  # a user's table: their file, its rows and the day it was uploaded
        return t(
            "source_upload",
            state.lang,
            label=captions.plain(ds.label),
            rows=f"{ds.rows:,}",
            date=ds.as_of,
            sourced=t("sourced", state.lang) if sourced else "",
        )
    return captions.source_line(
        state.lang, ds.rows, ds.as_of, short=short, label=ds.label_in(state.lang), sourced=sourced
    )


# ------------------------------------------------------------------------------ map
def _measure_title(state: ViewState, measure: str) -> str:
    """The colour bar's title: the measure, and the reference it divides by."""
    title = t(f"m_{measure}", state.lang)
    note = MEASURE[measure].note(state.lang, state.gdp_year)
    if note:
        title += f"<br>（{note}）" if state.lang == "zh" else f"<br>({note})"
    return title


#: charts that read dates: on a table with no dated row they say so
DATED_CHARTS = frozenset({"timeline", "adoption-map", "adoption-curve"})


def empty_text(ds: Dataset, state: ViewState, chart: str) -> str:
    """What an empty chart says: why the whole table cannot fill it ("no row could be placed on
    the map — see the report"), else that no policy matches the filters."""
    missing = ds.missing
    if missing == "placed":
        return t("empty_none_placed", state.lang)
    if missing == "dated" and chart in DATED_CHARTS:
        return t("empty_none_dated", state.lang)
    return t("empty_chart", state.lang)


def map_frame(ds: Dataset, state: ViewState, *, crossfilter: bool = True) -> pd.DataFrame:
    level = effective_map_level(state)
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
    other = regions["name_en"] if lang == "zh" else regions["name_zh"]
    values["name"] = names.to_numpy()
    measure = values["measure"].iloc[0] if len(values) else "count"
    static, hover = [], []
    for name, alt, count, z, status, top in zip(
        names,
        other,
        values["count"],
        values["z"],
        values["status"],
        values["top_incentives"],
        strict=True,
    ):
        static.append(f"<b>{name}</b> {alt}")
        if status == "no_record":
            hover.append(t("no_record", lang))
            continue
        if MEASURE[measure].divisor and math.isnan(z):
            hover.append(f"{t('count', lang)}: {count} · {t('no_reference', lang)}")
            continue
        if status == "zero":
            hover.append(f"{t('count', lang)}: 0 ({t('filtered_zero', lang)})")
            continue
        lines = [f"{t('count', lang)}: {count}"]
        if measure != "count" and not math.isnan(z):
            lines.append(f"{t(f'm_{measure}', lang)}: {z:.2f}")
        if top:
            sep = "、" if lang == "zh" else ", "
            labels = captions.plain(sep.join(schema.label(schema.INCENTIVES, c, lang) for c in top))
            lines.append(f"{t('incentive', lang)}: {labels}")
        hover.append("<br>".join(lines))
    values["hover_static"] = static
    # Regions with rows but no population / GDP figure cannot be coloured by that measure: they
    # join the grey "nothing to show" layer (their hover says why) rather than look like zero.
    if MEASURE[measure].divisor:
        no_figure = values["z"].isna() & (values["status"] != "no_record")
        values.loc[no_figure, "status"] = "no_reference"
    values["hover"] = hover
    return values


def map_title(ds: Dataset, state: ViewState) -> str:
    """The headline, written from the filters (``titles.chart_title``)."""
    return headline(ds, state, effective_map_level(state))


GREY = ("no_record", "no_reference")  # map states drawn in the neutral grey, outside the scale


def _selected_on_map(ds: Dataset, state: ViewState, regions: pd.DataFrame) -> list[str]:
    """Adcodes outlined on the map: the selected regions and, on a city map, the cities of a
    selected province."""
    chosen = set(state.region)
    if effective_map_level(state) == "city":
        return [
            a
            for a, p in zip(regions["adcode"], regions["province_adcode"], strict=True)
            if a in chosen or p in chosen
        ]
    # a city chosen in the place filter marks its province on the province map
    chosen |= {a[:2] + "0000" for a in state.region}
    return [a for a in regions["adcode"] if a in chosen]


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
    level = effective_map_level(state)
    measure = values["measure"].iloc[0] if len(values) else "count"
    grey = values["status"].isin(GREY)
    recorded = values[~grey]
    no_record = values[grey][["adcode", "hover_static", "hover"]]
    no_record = no_record.assign(hover=no_record["hover_static"] + "<br>" + no_record["hover"])[
        ["adcode", "hover"]
    ]
    # The inset belongs on national maps (and on Hainan's, whose islands it shows).
    inset = state.drill in (None, "460000")
    fig = china_map.china_map(
        recorded,
        classes=classes or map_story.map_classes(values, state),
        labels=map_story.region_labels(values, state),
        neighbour_land=None if state.drill else (neighbours.bands() if inline else neighbours.URL),
        level=level,
        geojson=geo_assets.load_geojson(level) if inline else geo_assets.geojson_url(level),
        dashline=geo_assets.load_dashline(),
        colorbar_title=_measure_title(state, measure),
        no_data_adcodes=no_record,
        # a self-contained figure (export) carries its selection; on the page the selection is
        # drawn over the map by assets/map_selection.js (``selection``), never by a geo redraw
        selected=_selected_on_map(ds, state, ds.regions(level, state.drill)) if inline else (),
        lang=state.lang,
        inset=inset,
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
        source(ds, state, short=not inline),  # on screen the short line: it fits a phone
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
        field_ = _s(r.get("field_zh") if lang == "zh" else r.get("field_en"))
        cat = schema.label(schema.PILOT_CATEGORIES, r.get("category"), lang)
        text.append(f"<b>{_s(r.get('organisation_zh'))}</b><br>{cat}<br>{field_}")
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


def selection(ds: Dataset, state: ViewState) -> dict[str, list[str]]:
    """The adcodes each map on the page outlines (the rest dimmed), drawn in the browser over the
    map (``assets/map_selection.js``): a click that selects a region leaves the figure alone."""
    codes = _selected_on_map(ds, state, ds.regions(effective_map_level(state), state.drill))
    return {ids.MAP: codes, ids.ADOPTION_MAP: codes}


def map_updates(
    ds: Dataset, state: ViewState, values: pd.DataFrame, sub: str
) -> dict[tuple, object]:
    """What a filter change alters on the map: values, hover texts, labels, legend, texts (the
    selection is not in the figure on the page: ``selection``)."""
    grey = values["status"].isin(GREY)
    recorded = values[~grey]
    cls = map_story.map_classes(values, state)
    z = cls.of(recorded["z"].fillna(0.0).to_numpy()).tolist()
    hover = recorded["hover"].tolist()
    out: dict[tuple, object] = {}
    for i in china_map.Z_TRACES:
        out[("data", i, "z")] = z
    out[("data", china_map.Z_TRACES[0], "text")] = hover  # the inset's hover names the place only
    zero = bool((recorded["z"].fillna(0.0) == 0).any())
    out.update(china_map.legend_patch(cls, state.lang, True, zero))
    labels = map_story.region_labels(values, state)
    for key in ("lon", "lat", "text"):
        out[("data", china_map.LABEL_TRACE, key)] = labels[key].tolist()
    out[("data", china_map.LABEL_TRACE, "textfont", "color")] = labels["color"].tolist()
    out[("layout", "annotations", style.EMPTY_INDEX, "visible")] = not int(values["count"].sum())
    out[("layout", "title", "subtitle", "text")] = sub
    return out


# ------------------------------------------------------------------------------ other views
def timeline_title(state: ViewState, ds: Dataset | None = None) -> str:
    """The headline from the filters ("… per year"); the plain chart name without a dataset."""
    if ds is None:
        return t("timeline", state.lang)
    return headline(ds, state, state.freq)


def timeline_notes(frame: pd.DataFrame, lang: str) -> list[str]:
    """What the timeline's bars leave out (``query.timeline``'s attrs): undated rows, rows dated
    less finely than the step."""
    undated = frame.attrs.get("undated", 0)
    lines = [t("undated_not_counted", lang, n=undated)] if undated else []
    step = frame.attrs.get("freq", "year")
    return lines + captions.coarse_lines(frame.attrs.get("coarse") or {}, step, lang)


def breakdown_title(state: ViewState, dim: str, ds: Dataset | None = None) -> str:
    if ds is None:
        return t(f"by_{dim}", state.lang)
    return headline(ds, state, dim)


def summary_text(ds: Dataset, state: ViewState) -> str:
    s = query.summary(ds.index, state)
    text = t(
        "summary",
        state.lang,
        policies=_count(int(s["policies"]), "policy", "policies", state.lang),
        provinces=_count(int(s["provinces"]), "province", "provinces", state.lang),
        cities=_count(int(s["cities"]), "city", "cities", state.lang),
        amount=_amount(s["amount_total"], state.lang),
    )
    if s["policies"] != s["total"]:
        text += t("of_total", state.lang, total=f"{s['total']:,}")
    return text


def beside_lines(ds: Dataset, state: ViewState) -> list[str]:
    counts = query.unmapped_counts(ds.index, state, effective_map_level(state))
    lines = [t("national_beside", state.lang, n=counts["national"])]
    if counts.get("province_only"):
        lines.append(t("province_only_beside", state.lang, n=counts["province_only"]))
    if counts["unplaced"]:
        lines.append(t("unplaced_beside", state.lang, n=counts["unplaced"]))
    return lines + map_story.period_cut_lines(ds, state)


def chip_items(ds: Dataset, state: ViewState) -> list[tuple[str, str, str]]:
    """(dimension, value, label) for each active filter value; removing one drops that value."""
    lang = state.lang
    items: list[tuple[str, str, str]] = []
    if state.drill:
        # "→": a glyph every installed font has (⌖ was in none of them)
        items.append(("drill", state.drill, "→ " + ds.name_of(state.drill, lang)))
    items.extend(("region", a, ds.name_of(a, lang)) for a in state.region)
    if state.active("date"):
        dates = ViewState(
            date_from=state.date_from,
            date_to=state.date_to,
            period=state.period,
            cumulative=state.cumulative,
        )
        text = captions.describe_filters(dates, lang, ds.name_of, ds.dimension)
        items.append(("date", "", text.split(t("filters_in_words", lang), 1)[-1]))
    for dim, values in state.picks:
        c = ds.dimension.get(dim) or CATEGORY.get(dim)
        if c is None:  # a key this table has no dimension for (``data.state.restrict`` drops it)
            continue
        items.extend((dim, v, c.label(v, lang)) for v in values)
    if state.text:
        items.append(("text", "", t("search_for", lang, q=state.text)))
    if not state.work_reports:
        items.append(("work_reports", "", t("wr_excluded", lang)))
    return items


def _s(value: object) -> str:
    """Text of a cell; "" for a missing value (None, NaN, pd.NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def table_columns(lang: str) -> list[dict]:
    def col(field_: str, key: str, **kw) -> dict:
        return {"field": field_, "headerName": t(key, lang), **kw}

    return [
        # Dates are text at their stated precision (2020, 2020-04, 2020-04-08), which sorts right.
        col("date", "col_date", width=110, cellDataType="text"),
        col("place", "col_place", width=160, tooltipField="place"),
        col("title_zh", "col_title_zh", width=250, tooltipField="title_zh"),
        col("title_en", "col_title_en", width=280, tooltipField="title_en"),
        col("source", "col_source", width=200, cellRenderer="SourceLink"),
        col("level", "col_level", width=100),
        col("issuer", "col_issuer", width=200, tooltipField="issuer"),
        col("type", "col_type", width=130),
        col("stance", "col_stance", width=90),
        col("incentives", "col_incentives", width=200),
        col(
            "amount",
            "col_amount",
            width=130,
            type="rightAligned",
            filter="agNumberColumnFilter",
            filterParams={
                "filterOptions": [
                    "greaterThanOrEqual",
                    "lessThanOrEqual",
                    "inRange",
                    "equals",
                    "blank",
                    "notBlank",
                ],
                "maxNumConditions": 1,
            },
            valueFormatter={
                "function": "params.value == null ? '' : d3.format(',.0f')(params.value)"
            },
        ),
        col("placed", "col_status", width=110),
    ]


def visible_pilots(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """The pilots of the chosen fields (all when none is chosen)."""
    p = ds.pilots
    if state.pilot_field:
        p = p[p["field_code"].isin(state.pilot_field)]
    return p


def pilot_rows(ds: Dataset, state: ViewState) -> list[dict]:
    lang = state.lang
    p = visible_pilots(ds, state)
    out = []
    for r in p.to_dict("records"):
        out.append(
            {
                "category": schema.label(schema.PILOT_CATEGORIES, r.get("category"), lang),
                "field": _s(r.get("field_zh") if lang == "zh" else r.get("field_en")),
                "organisation": _s(r.get("organisation_zh")),
                "place": " ".join(
                    _s(x)
                    for x in (r.get("province_zh"), r.get("city_zh"), r.get("district_zh"))
                    if _s(x)
                ),
                "source": _s(r.get("source")),
            }
        )
    return out


def pilot_columns(lang: str) -> list[dict]:
    zh = lang == "zh"
    return [
        {"field": "category", "headerName": "类别" if zh else "Category", "width": 150},
        {"field": "field", "headerName": "领域" if zh else "Field", "width": 220},
        {"field": "organisation", "headerName": "单位" if zh else "Organisation", "width": 260},
        {"field": "place", "headerName": "地区" if zh else "Place", "width": 200},
        {
            "field": "source",
            "headerName": "来源" if zh else "Source",
            "width": 240,
            "cellRenderer": "SourceLink",
        },
    ]


# ------------------------------------------------------------------------------ assembly
def views(
    ds: Dataset,
    state: ViewState,
    *,
    full: bool,
    inline_geojson: bool = False,
    same_selection: bool = False,
    export: bool = False,
) -> Views:
    """All views of ``state``: full figures (``full``) and, unless exporting, the updates a patch
    needs (the callback sends only those the browser does not hold yet). ``same_selection``: only
    the date filter changed since the views were drawn, so the diffusion views, which span all
    dates, only move their period marker. ``export``: drawn as
    filtered (each chart shows exactly the rows every filter selects, its own included; nothing
    dimmed) and says so under the filters."""
    out = Views()
    lang = state.lang
    cross = not export
    sub = subtitle(ds, state) + (map_story.drawn_filtered_note(state) if export else "")
    mframe = map_frame(ds, state, crossfilter=cross)
    if export:
        mframe = map_story.exported(state, mframe)
    tframe = query.timeline(ds.index, state, crossfilter=cross)
    bframes = {
        c.id: query.breakdown(ds.index, state, c.id, crossfilter=cross) for c in ds.dimensions
    }
    if export:
        if state.active("date"):  # only the periods the date filter keeps
            tframe = tframe[tframe["selected"]].reset_index(drop=True)
        tframe["selected"] = False
        for f in bframes.values():
            f["selected"] = False
    rframe = map_story.ranked_of(mframe, map_story.map_classes(mframe, state))
    frames = (mframe, tframe, bframes, rframe)
    if full:
        out.figures.update(_full_figures(ds, state, sub, frames, inline_geojson, export))
    if full and export:  # the image says what it leaves out, as the screen does
        notes = map_story.left_out(ds, state)
        for chart in (ids.MAP, ids.RANKED):
            style.add_notes(out.figures[chart], notes)
        if ids.RANKED in out.figures and not state.comparing():
            ranked.fit_to_bars(out.figures[ids.RANKED], len(rframe))
    if not export:  # a full draw lists them too: what the browser holds, so no Patch resends it
        out.updates.update(_updates(ds, state, sub, frames))
    out.texts["summary"] = summary_text(ds, state)
    out.texts["beside"] = beside_lines(ds, state)
    undated = tframe.attrs.get("undated", 0)
    out.texts["undated"] = t("undated_note", lang, n=undated) if undated else ""
    out.texts["chips"] = chip_items(ds, state)
    out.texts["selection"] = selection(ds, state)
    from layouts import compare_view, spread  # built on this module's helpers

    spread.add_views(
        out, ds, state, full=full, inline_geojson=inline_geojson, same_selection=same_selection
    )
    compare_view.add_views(out, ds, state, sub, full=full, export=export)
    return out


def _updates(
    ds: Dataset, state: ViewState, sub: str, frames: tuple
) -> dict[str, dict[tuple, object]]:
    """The paths of every chart that filters change, for a Dash ``Patch`` (the same values as the
    full figures of ``state``: the callback hashes them to send only what changed)."""
    mframe, tframe, bframes, rframe = frames
    lang = state.lang
    out: dict[str, dict[tuple, object]] = {}
    out[ids.MAP] = map_updates(ds, state, mframe, sub)
    out[ids.MAP].update(style.headline_patch(map_title(ds, state)))
    out[ids.TIMELINE] = tl.timeline_updates(tframe, sub, timeline_notes(tframe, lang))
    out[ids.TIMELINE].update(style.headline_patch(timeline_title(state, ds)))
    for chart, d in ids.charts_of(ds.dimensions).items():
        c = ds.dimension[d]
        out[chart] = bd.breakdown_updates(
            bframes[d], sub, dimension=c, lang=lang, order=state.order, apart_text=_apart(c, lang)
        )
        out[chart].update(style.headline_patch(breakdown_title(state, d, ds), style.NARROW))
    texts = map_story.ranked_texts(ds, state, rframe)
    out[ids.RANKED] = ranked.ranked_updates(rframe, rframe.attrs["measure"], sub, texts["more"])
    out[ids.RANKED].update(style.headline_patch(texts["title"], style.BESIDE))
    return out


def _apart(c: Category, lang: str) -> str:
    """The line for a dimension's "nothing stated" count ("{n} more state no incentive"); for
    a marked column of many values, its values past the top ones ("{n} more in the 392 other
    values")."""
    if c.none_code is None:
        return ""
    if c.top:
        what = t("own_other", lang, n=f"{c.distinct - len(c.top):,}", top=TOP_N)
    elif lang == "zh":
        what = f"未提及{c.name.zh}"
    else:
        what = f"state no {c.name.en.lower()}"
    return t("none_apart", lang, n="{n}", what=what)


def _full_figures(
    ds: Dataset,
    state: ViewState,
    sub: str,
    frames: tuple,
    inline: bool,
    export: bool,
) -> dict[str, go.Figure]:
    """Every chart of the view. ``frames``: the map, timeline, breakdown and ranking frames."""
    mframe, tframe, bframes, rframe = frames
    lang, empty = state.lang, empty_text(ds, state, ids.MAP)
    figs: dict[str, go.Figure] = {}
    figs[ids.MAP] = map_figure(ds, state, mframe, inline=inline)
    figs[ids.MAP].layout.title.subtitle.text = sub
    texts = map_story.ranked_texts(ds, state, rframe)
    figs[ids.RANKED] = ranked.ranked_figure(
        rframe,
        measure=rframe.attrs["measure"],
        axis_title=texts["axis"],
        more=texts["more"],
        title=texts["title"],
        subtitle=sub,
        source=source(ds, state, short=True),
        empty=empty,
    )
    figs[ids.TIMELINE] = tl.timeline_figure(
        tframe,
        freq=state.freq,
        lang=lang,
        title=timeline_title(state, ds),
        subtitle=sub,
        source=source(ds, state, short=not export),
        empty=empty_text(ds, state, ids.TIMELINE),
        notes=timeline_notes(tframe, lang),
    )
    for chart, d in ids.charts_of(ds.dimensions).items():
        c = ds.dimension[d]
        figs[chart] = bd.breakdown_figure(
            bframes[d],
            dimension=c,
            lang=lang,
            title=breakdown_title(state, d, ds),
            subtitle=sub,
            source=source(ds, state, short=True),
            order=state.order,
            apart_text=_apart(c, lang),
            empty=empty,
            drop_zero=export,
        )
    return figs


def shown_controls(state: ViewState) -> dict[str, bool]:
    """Which optional map controls apply to the view: the GDP year (a per-GDP measure on a map
    that has GDP figures) and the pilot-field choice (pilots shown)."""
    level = effective_map_level(state)
    measure = measures.effective(state.measure, level)
    return {"gdp_year": measure.divisor == "gdp", "pilot_field": state.pilots}


def drill_button(ds: Dataset, state: ViewState) -> str | None:
    """Label of the drill-down button, or None when it should be hidden (one province selected,
    province map)."""
    provinces = [a for a in state.region if a.endswith("0000")]
    if state.drill or effective_map_level(state) != "province" or len(provinces) != 1:
        return None
    return t("drill", state.lang, name=ds.name_of(provinces[0], state.lang))


def place_choices(ds: Dataset) -> list[tuple[str, str, str]]:
    """(adcode, Chinese label, English label) of every province, then every city-level unit, for
    the place filter (choosing a region without the map)."""
    out = []
    provinces = ds.regions("province")
    names = dict(zip(provinces["adcode"], provinces["name_en"], strict=True))
    zh_names = dict(zip(provinces["adcode"], provinces["name_zh"], strict=True))
    out += [(a, z, e) for a, z, e in provinces[["adcode", "name_zh", "name_en"]].itertuples(False)]
    cities = ds.regions("city")
    for a, z, e, p in cities[["adcode", "name_zh", "name_en", "province_adcode"]].itertuples(False):
        if a in names:  # Hong Kong, Macau, Taiwan: already listed as provinces
            continue
        if z == zh_names.get(p):  # municipalities: 北京市 (北京市) says nothing more
            out.append((a, f"{z}（市辖区）", f"{e} (city)"))
        else:
            out.append((a, f"{z}（{zh_names.get(p, '')}）", f"{e}, {names.get(p, '')}"))
    return out


def pilot_field_choices(ds: Dataset) -> list[tuple[str, str, str]]:
    """(code, Chinese label, English label) of each pilot field in the pilot table."""
    fields = ds.pilots.drop_duplicates("field_code")
    out = []
    for r in fields.to_dict("records"):
        if r["category"] == "comprehensive":
            zh, en = "综合性试点", "comprehensive (multi-field)"
        elif _s(r["field_zh"]) or _s(r["field_en"]):
            zh, en = _s(r["field_zh"]) or _s(r["field_en"]), _s(r["field_en"]) or _s(r["field_zh"])
        else:
            zh, en = "领域未记录", "field not recorded"
        out.append((r["field_code"], zh, en))
    return out
