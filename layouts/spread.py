"""The diffusion views of one (dataset, view): what ``viewmodel`` is for the other charts.

Each query of ``data.diffusion`` handed to its builder in ``layouts.figures.adoption``: the
first-adoption map, the adoption curve(s), the band marking the slider's period on the timeline and
the curve, the slider's stops, and the figures a report needs of the map through the periods (GIF
frames and the small multiples). Pure: no Dash, no rendering.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data import diffusion, measures, periods, schema
from data.dataset import Dataset
from data.dimensions import category
from data.state import ViewState, encode_query
from layouts import ids, viewmodel
from layouts.figures import adoption, captions, geo_assets, style
from layouts.figures import animation as anim
from layouts.i18n import t


def table_years(ds: Dataset) -> list[int]:
    """The years of the table (first to last dated policy): the first-adoption map's classes."""
    return [int(p) for p in diffusion.year_periods(ds.index)]


def _regions(ds: Dataset, state: ViewState) -> tuple[str, pd.DataFrame]:
    level = viewmodel.effective_map_level(state)
    return level, ds.regions(level, state.drill)


def adoption_frame(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """Every region of the map with its first adoption and the hover texts that say it."""
    level, regions = _regions(ds, state)
    out = diffusion.first_adoption(ds.index, state, regions["adcode"].tolist(), level)
    lang = state.lang
    names = regions["name_zh"] if lang == "zh" else regions["name_en"]
    other = regions["name_en"] if lang == "zh" else regions["name_zh"]
    out["hover_static"] = [f"<b>{a}</b> {b}" for a, b in zip(names, other, strict=True)]
    # the first policies' fields in one gather (a row at a time is slow on a wide frame)
    columns = ["date", "date_precision", "title_zh", "title_en"]
    rows = out["row"].to_numpy()
    firsts = iter(ds.index.frame.iloc[rows[rows >= 0]][columns].to_dict("records"))
    hover = []
    for row, count in zip(rows, out["policies"], strict=True):
        if row < 0:
            hover.append(f"{t('never', lang)} ({t('never_long', lang)})")
            continue
        policy = next(firsts)
        fmt = schema.DATE_FORMATS.get(str(policy["date_precision"]), "%Y-%m-%d")
        title = viewmodel._s(policy["title_zh"] if lang == "zh" else policy["title_en"])
        title = captions.plain(title or viewmodel._s(policy["title_zh"]))[:60]
        hover.append(
            f"{t('first_policy', lang)}: {policy['date'].strftime(fmt)}<br>{title}"
            f"<br>{t('count', lang)}: {count}"
        )
    out["hover"] = hover
    return out


def adoption_map_figure(
    ds: Dataset, state: ViewState, frame: pd.DataFrame, *, inline: bool
) -> go.Figure:
    level, regions = _regions(ds, state)
    fig = adoption.first_adoption_map(
        frame,
        table_years(ds),
        level=level,
        geojson=geo_assets.load_geojson(level) if inline else geo_assets.geojson_url(level),
        dashline=geo_assets.load_dashline(),
        never=t("never", state.lang),
        legend_title=t("first_policy", state.lang),
        # on the page the selection is drawn over the map (``viewmodel.selection``)
        selected=viewmodel._selected_on_map(ds, state, regions) if inline else (),
        inset=state.drill in (None, "460000"),
        lang=state.lang,
    )
    if state.drill:  # as the policy map: one province fills the frame
        fig.layout.geo.projection = {"type": "mercator"}
        fig.layout.geo.lonaxis.range = None
        fig.layout.geo.lataxis.range = None
        fig.layout.geo.fitbounds = "locations"
    title = t("first_adoption", state.lang)
    nothing = not (frame["row"] >= 0).any()
    empty = viewmodel.empty_text(ds, state, "adoption-map") if nothing else None
    style.frame(fig, title, _subtitle(ds, state), viewmodel.source(ds, state), empty=empty)
    fig.update_layout(margin={"l": 4, "r": 4})
    return fig


def _subtitle(ds: Dataset, state: ViewState) -> str:
    """The filters in words, without the dates: the diffusion views span the whole time axis."""
    return viewmodel.subtitle(ds, diffusion.undated_state(state))


def _curve_name(ds: Dataset, dimension: str | None, code: str | None, lang: str) -> str:
    if dimension is None or code is None:
        return t("all_selected", lang)
    return captions.plain(category(ds.dimension.get(dimension) or dimension).label(code, lang))


def curve_figure(ds: Dataset, state: ViewState) -> go.Figure:
    """The adoption curve(s) of the view, framed, the slider's period marked."""
    level, regions = _regions(ds, state)
    curves = diffusion.compared_curves(ds.index, state, regions["adcode"].tolist(), level)
    lang = state.lang
    unit_key = "adopted_cities" if level == "city" else "adopted_provinces"
    fig = adoption.adoption_curve_figure(
        [(_curve_name(ds, c.dimension, c.code, lang), c.frame) for c in curves],
        regions=len(regions),
        unit=t(unit_key, lang) if lang == "en" else "",
        y_title=t(unit_key, lang),
        share_title=t("share_of", lang, n=len(regions)),
        shapes=period_shapes(state),
    )
    title = t("adoption_curve", lang)
    undated = curves[0].frame.attrs.get("undated", 0)
    source = viewmodel.source(ds, state, short=True)
    if undated:
        source += " · " + t("undated_not_counted", lang, n=undated)
    nothing = not curves[0].frame["adopted"].any()
    empty = viewmodel.empty_text(ds, state, "adoption-curve") if nothing else None
    style.frame(fig, title, _subtitle(ds, state), source, empty=empty)
    fig.update_layout(margin={"l": 50, "r": 50})
    return fig


def period_shapes(state: ViewState) -> list[dict]:
    """The band marking the slider's period on a date axis ([] when there is none)."""
    if not state.period:
        return []
    start, end = periods.bounds(state.period)
    text = periods.display(state.period, state.lang)
    if state.cumulative:
        text = t("period_up_to", state.lang, p=text)
    stop = pd.Timestamp(end) + pd.Timedelta(days=1)
    return [adoption.period_band(pd.Timestamp(start), stop, text)]


def selection_key(state: ViewState) -> str:
    """What the diffusion views depend on: the view without its dates (and the language)."""
    return encode_query(diffusion.undated_state(state))


def add_views(
    out: viewmodel.Views,
    ds: Dataset,
    state: ViewState,
    *,
    full: bool,
    inline_geojson: bool,
    same_selection: bool = False,
) -> None:
    """The diffusion views into ``out``: full figures, or the updates of a patch; the period band
    on the timeline (one shape, added to what the timeline draws). ``same_selection``: only the
    dates changed (a frame of the animation): the diffusion views move their band, nothing else."""
    shapes = period_shapes(state)
    if same_selection and not full:
        _band_only(out, ds, state, shapes)
        return
    frame = adoption_frame(ds, state)
    top = fixed_top(ds, state)
    patched = ids.MAP in out.updates  # the updates are listed (not an export)
    if top is not None:  # while the slider moves, one colour scale for every period
        if full:
            out.figures[ids.MAP].update_layout(coloraxis={"cmax": top})
        if patched:
            out.updates[ids.MAP][("layout", "coloraxis", "cmax")] = top
    curve_fig = curve_figure(ds, state)
    if full:
        out.figures[ids.ADOPTION_MAP] = adoption_map_figure(ds, state, frame, inline=inline_geojson)
        out.figures[ids.ADOPTION_CURVE] = curve_fig
        for shape in shapes:
            out.figures[ids.TIMELINE].add_shape(shape)
    if not patched:
        return
    sub = _subtitle(ds, state)
    updates = adoption.first_adoption_updates(frame, table_years(ds))
    updates[("layout", "title", "subtitle", "text")] = sub
    out.updates[ids.ADOPTION_MAP] = updates
    curve = curve_fig.to_plotly_json()
    out.updates[ids.ADOPTION_CURVE] = {
        ("data",): curve["data"],
        ("layout", "shapes"): shapes,
        ("layout", "showlegend"): curve["layout"]["showlegend"],
        ("layout", "title", "subtitle", "text"): sub,
        ("layout", "annotations", 0, "text"): curve["layout"]["annotations"][0]["text"],
    }
    out.updates[ids.TIMELINE][("layout", "shapes")] = shapes


def fixed_top(ds: Dataset, state: ViewState) -> float | None:
    """The map's colour-scale top while a period is shown and the map shows counts: the busiest
    region-period of the table (None: the map's own per-view top)."""
    level = viewmodel.effective_map_level(state)
    if not state.period or measures.effective(state.measure, level).id != "count":
        return None
    return float(max(1, diffusion.busiest(ds.index, state, level)))


def _band_only(out: viewmodel.Views, ds: Dataset, state: ViewState, shapes: list[dict]) -> None:
    """A frame of the animation: the band moves on the timeline and the curve; the colour scale
    stays fixed; the first-adoption map does not change."""
    top = fixed_top(ds, state)
    if top is not None:
        out.updates[ids.MAP][("layout", "coloraxis", "cmax")] = top
    out.updates[ids.ADOPTION_MAP] = {}
    out.updates[ids.ADOPTION_CURVE] = {("layout", "shapes"): shapes}
    out.updates[ids.TIMELINE][("layout", "shapes")] = shapes


# ----------------------------------------------------------------------------- the slider
def slider_config(ds: Dataset, state: ViewState) -> dict[str, Any]:
    """The slider's stops at the view's step (min, max, step in month numbers; a mark per year)
    and which steps the data is dense enough for."""
    stops = diffusion.slider_periods(ds.index, state.freq)
    values = [periods.to_value(p) or 0 for p in stops]
    if not values:
        return {"min": 0, "max": 0, "step": 1, "marks": {}, "dense": ("year",)}
    years = sorted({v // 12 for v in values})
    every = -(-len(years) // 6)  # at most six year labels: they fit a phone's width
    marks = {str(y * 12): str(y) for y in years[::every] if y * 12 >= values[0]}
    return {
        "min": values[0],
        "max": values[-1],
        "step": periods.FREQ_MONTHS[state.freq],
        "marks": marks,
        "dense": diffusion.dense_freqs(ds.index),
    }


def period_text(state: ViewState) -> str:
    """The label beside the slider: the period shown, or "all periods"."""
    if not state.period:
        return t("all_periods", state.lang)
    shown = periods.display(state.period, state.lang)
    return t("period_up_to", state.lang, p=shown) if state.cumulative else shown


# ----------------------------------------------------------------------------- for reports
MULTIPLES_BOTTOM = 120  # px under the small maps: the colour bar, then the source line


def frame_figures(ds: Dataset, state: ViewState) -> list[tuple[str, go.Figure]]:
    """The map at each period of the animation (``diffusion.frame_periods``): title, period label
    and source on every frame, one colour scale for all frames so colours compare."""
    out = []
    frames = []
    for p in diffusion.frame_periods(ds.index, state):
        at = replace(state, period=p)
        frames.append((p, at, viewmodel.map_frame(ds, at)))
    top = max([float(f["z"].max()) for _, _, f in frames if len(f)] + [1.0])
    for p, at, values in frames:
        fig = viewmodel.map_figure(ds, at, values, inline=True)
        fig.update_layout(coloraxis={"cmax": top})
        anim.label_frame(fig, period_text(at))
        out.append((p, fig))
    return out


def multiples_figure(ds: Dataset, state: ViewState) -> go.Figure:
    """One small map per year (cumulative when the view is), a shared scale, for print."""
    level, _ = _regions(ds, state)
    panels = []
    measure = "count"
    for p in diffusion.year_periods(ds.index, state):
        at = replace(state, period=p)
        values = viewmodel.map_frame(ds, at)
        measure = str(values["measure"].iloc[0]) if len(values) else measure
        panels.append((period_text(at), values[["adcode", "z", "status"]]))
    fig = anim.small_multiples(
        panels,
        geojson=geo_assets.load_geojson(level),
        dashline=geo_assets.load_dashline(),
        colorbar_title=viewmodel._measure_title(state, measure),
    )
    title = t("small_multiples", state.lang)
    undated = replace(state, period=None)
    source = viewmodel.source(ds, state)
    style.frame(fig, title, viewmodel.subtitle(ds, undated), source, bottom=MULTIPLES_BOTTOM)
    return fig
