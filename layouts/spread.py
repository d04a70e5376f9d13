"""The diffusion views of one (dataset, view): the presenter of the diffusion charts.

Each query of ``data.diffusion`` handed to its builder in ``layouts.figures.adoption``: the
first-adoption map, the adoption curve(s), the band marking the slider's period on the timeline and
the curve, the slider's stops, and the figures a report needs of the map through the periods (GIF
frames and the small multiples). Pure: no Dash, no rendering.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data import diffusion, measures, periods, query, schema
from data.dataset import Dataset
from data.dimensions import category
from data.state import ViewState, encode_query
from layouts import ids, map_story, present_map
from layouts.figures import adoption, captions, geo_assets, style
from layouts.figures import animation as anim
from layouts.i18n import t
from layouts.present_common import Views, cell_text, empty_text, source_line, subtitle


def table_years(ds: Dataset) -> list[int]:
    """The years of the table (first to last dated policy)."""
    return [int(p) for p in diffusion.year_periods(ds.index)]


def class_step(ds: Dataset, state: ViewState) -> str:
    """The step of the first-adoption map's classes: the view's, when the table's dates support
    it (else years)."""
    return state.freq if state.freq in diffusion.dense_freqs(ds.index) else "year"


def class_periods(ds: Dataset, state: ViewState) -> list[str]:
    """The first-adoption map's classes: every period of the table at ``class_step`` (the same
    whatever the filters, so a filter change is a patch)."""
    return diffusion.slider_periods(ds.index, class_step(ds, state))


def _class_key(first: pd.Timestamp, precision: str, row: int, step: str) -> str:
    """The period of a first date at ``step`` ("" never; "~month" for a date known less finely
    than the step: it belongs to no one period of it)."""
    if row < 0:
        return ""
    if diffusion.FINENESS.get(precision, 0) > diffusion.FINENESS[step]:
        return f"~{precision}"
    return periods.label_of(first.date(), step)


def table_coarse(ds: Dataset, step: str) -> list[str]:
    """The precisions of the table's dates too coarse for ``step`` (month, quarter, year): the
    first-adoption map has a class for them (the table's, whatever the filters)."""
    idx = ds.index
    found = set(idx.frame["date_precision"].astype("object")[idx.dated])
    fine = diffusion.FINENESS[step]
    return sorted(
        (str(p) for p in found if diffusion.FINENESS.get(str(p), 0) > fine),
        key=diffusion.FINENESS.__getitem__,
    )


def class_label(period: str, lang: str) -> str:
    """A class in the legend: 2020, 2020 Q3, 2020-07, the Monday of a week or a day (1月27日)."""
    first, _ = periods.bounds(period)
    if periods.freq_of(period) in periods.FREQ_DAYS:
        day = pd.Timestamp(first)
        return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%b}"
    return periods.display(period, "en")


def _regions(ds: Dataset, state: ViewState) -> tuple[str, pd.DataFrame]:
    level = state.map_level_shown
    return level, ds.regions(level, state.drill)


def never_hover(lang: str) -> str:
    """The first-adoption map's hover line of a region with no policy under the filters (most
    regions on a city map: sent once, as the hover's fallback, ``china_map.hover_fallback``)."""
    return f"{t('never', lang)} ({t('never_long', lang)})"


def adoption_frame(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """Every region of the map with its first adoption and the hover lines that say it (under
    the region's names, which the layer carries: ``china_map.NAMES``)."""
    level, regions = _regions(ds, state)
    out = diffusion.first_adoption(ds.index, state, regions["adcode"].tolist(), level)
    lang = state.lang
    step = class_step(ds, state)
    keys = [
        _class_key(f, str(p), int(r), step)
        for f, p, r in zip(out["first"], out["precision"], out["row"], strict=True)
    ]
    out["cls"] = adoption.period_class(keys, class_periods(ds, state))
    out.attrs["coarse"] = table_coarse(ds, step)
    # the first policies' fields in one gather (a row at a time is slow on a wide frame)
    columns = ["date", "date_precision", "title_zh", "title_en"]
    rows = out["row"].to_numpy()
    firsts = iter(ds.index.frame.iloc[rows[rows >= 0]][columns].to_dict("records"))
    hover = []
    for row, count in zip(rows, out["policies"], strict=True):
        if row < 0:
            hover.append(never_hover(lang))
            continue
        policy = next(firsts)
        when = schema.format_date(policy["date"], policy["date_precision"])
        title = cell_text(policy["title_zh"] if lang == "zh" else policy["title_en"])
        title = captions.plain(title or cell_text(policy["title_zh"]))[:60]
        hover.append(f"{t('first_policy', lang)}: {when}<br>{title}<br>{t('count', lang)}: {count}")
    out["hover"] = hover
    return out


def _adoption_classes(ds: Dataset, state: ViewState, frame: pd.DataFrame) -> dict[str, Any]:
    """The first-adoption map's classes at the view's step: labels, legend title, coarse class."""
    lang, step = state.lang, class_step(ds, state)
    coarse = frame.attrs.get("coarse") or []
    return {
        "class_labels": [class_label(p, lang) for p in class_periods(ds, state)],
        "never": t("never", lang),
        "legend_title": f"{t('first_policy', lang)} · {t(f'step_{step}', lang)}",
        "coarse": _coarse_label(coarse, lang) if coarse else None,
    }


def _adoption_title(ds: Dataset, state: ViewState) -> str:
    return t("first_adoption_by", state.lang, step=t(f"step_{class_step(ds, state)}", state.lang))


def adoption_map_figure(
    ds: Dataset, state: ViewState, frame: pd.DataFrame, *, inline: bool
) -> go.Figure:
    level, regions = _regions(ds, state)
    classes = _adoption_classes(ds, state, frame)
    fig = adoption.first_adoption_map(
        frame,
        classes["class_labels"],
        level=level,
        geojson=geo_assets.load_geojson(level) if inline else geo_assets.geojson_url(level),
        dashline=geo_assets.load_dashline(),
        never=classes["never"],
        legend_title=classes["legend_title"],
        coarse=classes["coarse"],
        # on the page the selection is drawn over the map (``present_map.selection``)
        selected=present_map.selected_on_map(ds, state, regions) if inline else (),
        outlined=present_map.outlined_on_map(ds, state, regions) if inline else (),
        inset=state.drill in (None, "460000"),
        lang=state.lang,
        never_hover=never_hover(state.lang),
    )
    if state.drill:  # as the policy map: one province fills the frame
        fig.layout.geo.projection = {"type": "mercator"}
        fig.layout.geo.lonaxis.range = None
        fig.layout.geo.lataxis.range = None
        fig.layout.geo.fitbounds = "locations"
    title = _adoption_title(ds, state)
    nothing = not (frame["row"] >= 0).any()
    empty = empty_text(ds, state, "adoption-map") if nothing else None
    source = source_line(ds, state, short=not inline)  # the short line fits a phone
    style.frame(fig, title, _subtitle(ds, state), source, empty=empty)
    fig.update_layout(margin={"l": 4, "r": 4})
    return fig


def _coarse_label(precisions: list[str], lang: str) -> str:
    return t("coarse_class", lang, p="/".join(t(f"step_{p}", lang) for p in precisions))


def _subtitle(ds: Dataset, state: ViewState) -> str:
    """The filters in words, without the dates: the diffusion views span the whole time axis."""
    return subtitle(ds, diffusion.undated_state(state))


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
        coarse_note=t("coarse_counted", lang),
    )
    title = t("adoption_curve", lang)
    undated = curves[0].frame.attrs.get("undated", 0)
    source = source_line(ds, state, short=True)
    nothing = not curves[0].frame["adopted"].any()
    empty = empty_text(ds, state, "adoption-curve") if nothing else None
    style.frame(fig, title, _subtitle(ds, state), source, empty=empty)
    fig.update_layout(margin={"l": 50, "r": 50})
    style.source_at_edge(fig)  # a note of its own, not the source line's tail past the edge
    notes = [t("undated_not_counted", lang, n=undated)] if undated else []
    return style.add_notes(fig, notes, keep=True)


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
    out: Views,
    ds: Dataset,
    state: ViewState,
    *,
    full: bool,
    inline_geojson: bool,
    same_selection: bool = False,
    only: Collection[str] | None = None,
) -> None:
    """The diffusion views into ``out``: full figures (``only``: of these charts alone), or the
    updates of a patch; the period band on the timeline (one shape, added to what the timeline
    draws). ``same_selection``: only the dates changed (a frame of the animation): the diffusion
    views move their band, nothing else."""
    shapes = period_shapes(state)
    if same_selection and not full:
        _band_only(out, ds, state, shapes)
        return
    frame = adoption_frame(ds, state)
    top = fixed_top(ds, state)
    patched = ids.MAP in out.updates  # the updates are listed (not an export)
    if top is not None:  # while the slider moves, one colour scale for every period
        if ids.MAP in out.figures:
            out.figures[ids.MAP].update_layout(coloraxis={"cmax": top})
        if patched:
            out.updates[ids.MAP][("layout", "coloraxis", "cmax")] = top
    curve_fig = curve_figure(ds, state)
    wanted = {ids.ADOPTION_MAP, ids.ADOPTION_CURVE} if only is None else set(only)
    if full and ids.ADOPTION_MAP in wanted:
        out.figures[ids.ADOPTION_MAP] = adoption_map_figure(ds, state, frame, inline=inline_geojson)
    if full and ids.ADOPTION_CURVE in wanted:
        out.figures[ids.ADOPTION_CURVE] = curve_fig
    if ids.TIMELINE in out.figures:
        for shape in shapes:
            out.figures[ids.TIMELINE].add_shape(shape)
    if not patched:
        return
    sub = _subtitle(ds, state)
    updates = adoption.first_adoption_updates(frame, state.map_level_shown, never_hover(state.lang))
    # a new timeline step is a patch too: the classes' colour bar, legend names and title
    classes = _adoption_classes(ds, state, frame)
    updates.update(adoption.first_adoption_step_updates(frame, lang=state.lang, **classes))
    updates.update(style.headline_patch(_adoption_title(ds, state)))
    updates[("layout", "title", "subtitle", "text")] = sub
    out.updates[ids.ADOPTION_MAP] = updates
    curve = curve_fig.to_plotly_json()
    out.updates[ids.ADOPTION_CURVE] = {
        ("data",): curve["data"],
        ("layout", "shapes"): shapes,
        ("layout", "showlegend"): curve["layout"]["showlegend"],
        ("layout", "title", "subtitle", "text"): sub,
        **style.notes_of(curve_fig),
    }
    out.updates[ids.TIMELINE][("layout", "shapes")] = shapes


def fixed_top(ds: Dataset, state: ViewState) -> float | None:
    """The map's colour-scale top while a period is shown and the map shows counts: the busiest
    region-period of the table (None: the map's own per-view top)."""
    level = state.map_level_shown
    if not state.period or measures.effective(state.measure, level).id != "count":
        return None
    return float(max(1, diffusion.busiest(ds.index, state, level)))


def _band_only(out: Views, ds: Dataset, state: ViewState, shapes: list[dict]) -> None:
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
    """The slider's stops at the view's step (min, max, step: month numbers for years, quarters
    and months, ``periods.DAY_BASE`` + day numbers for weeks and days; at most six marks) and the
    steps the dates in view support."""
    stops = diffusion.slider_periods(ds.index, state.freq, state)
    values = [periods.to_value(p) or 0 for p in stops]
    dense = diffusion.dense_freqs(ds.index, state)
    if not values:
        return {"min": 0, "max": 0, "step": 1, "marks": {}, "dense": dense}
    if state.freq in periods.FREQ_MONTHS:
        years = sorted({v // 12 for v in values})
        every = -(-len(years) // 6)  # at most six year labels: they fit a phone's width
        marks = {str(y * 12): str(y) for y in years[::every] if y * 12 >= values[0]}
    else:
        every = -(-len(stops) // 6)
        marks = {str(v): class_label(p, state.lang) for v, p in zip(values, stops, strict=True)}
        marks = {k: marks[k] for k in list(marks)[::every]}
    return {
        "min": values[0],
        "max": values[-1],
        "step": periods.step(state.freq),
        "marks": marks,
        "dense": dense,
    }


def panel_label(state: ViewState) -> str:
    """A small map's period, short enough for a quarter of the page: 2020, 2020 Q3, 1月20日–26日,
    20–26 Jan, 1月23日 (and "up to" when cumulative)."""
    if not state.period:
        return ""
    start, end = (pd.Timestamp(d) for d in periods.bounds(state.period))
    freq, zh = periods.freq_of(state.period), state.lang == "zh"
    if freq == "day":
        text = f"{start.month}月{start.day}日" if zh else f"{start.day} {start:%b}"
    elif freq == "week":
        same = start.month == end.month
        if zh:
            text = f"{start.month}月{start.day}日–{'' if same else f'{end.month}月'}{end.day}日"
        else:
            text = f"{start.day}{'' if same else f' {start:%b}'}–{end.day} {end:%b}"
    else:
        text = periods.display(state.period, state.lang)
    return t("period_up_to", state.lang, p=text) if state.cumulative else text


def period_text(state: ViewState) -> str:
    """The label beside the slider: the period shown, or "all periods"."""
    if not state.period:
        return t("all_periods", state.lang)
    shown = periods.display(state.period, state.lang)
    return t("period_up_to", state.lang, p=shown) if state.cumulative else shown


# ----------------------------------------------------------------------------- for reports
MULTIPLES_BOTTOM = 120  # px under the small maps: the legend, then the source line
MAX_PANELS = 12  # small multiples at the view's step up to this many, else one per year


def _map_frames(
    ds: Dataset, state: ViewState, stops: list[str]
) -> list[tuple[str, ViewState, pd.DataFrame]]:
    """(period, state at it) for each stop, without the empty periods at the end: an animation
    does not end on a frame with nothing in it (the last period with a policy is the last)."""
    out = [(p, replace(state, period=p)) for p in stops]
    frames = [(p, at, present_map.map_frame(ds, at)) for p, at in out]
    while len(frames) > 1 and not (frames[-1][2]["count"] > 0).any():
        frames.pop()
    return frames


def _shared_classes(state: ViewState, frames: list) -> Any:
    measure = frames[0][2].attrs["measure"] if frames else measures.MEASURE[measures.DEFAULT]
    return measure, anim.pooled_classes([f for _, _, f in frames], state.classes, measure)


def frame_figures(ds: Dataset, state: ViewState) -> list[tuple[str, go.Figure]]:
    """The map at each period of the animation (``diffusion.frame_periods``, at the view's
    step): title, stepped legend, source and the period in large type on every frame, one set
    of classes for all frames so colours compare; no empty frame at the end."""
    frames = _map_frames(ds, state, diffusion.frame_periods(ds.index, state))
    _, classes = _shared_classes(state, frames)
    out = []
    for p, at, values in frames:
        fig = present_map.map_figure(ds, at, values, inline=True, classes=classes)
        anim.label_frame(fig, period_text(at))
        style.add_notes(fig, map_story.left_out(ds, at))  # as the map exported at that period
        style.rewrap(fig, GIF_TITLE_PX)
        out.append((p, fig))
    return out


GIF_TITLE_PX = 700  # the GIF's title wraps inside its 960 px, clear of the period label


def multiples_periods(ds: Dataset, state: ViewState) -> list[str]:
    """The small maps: one per period at the view's step when there are at most ``MAX_PANELS``
    (six weeks: six maps), else one per year."""
    stops = diffusion.frame_periods(ds.index, state)
    return stops if len(stops) <= MAX_PANELS else diffusion.year_periods(ds.index, state)


def multiples_step(ds: Dataset, state: ViewState) -> str:
    """The step of the small maps' panels (year, quarter, month, week, day)."""
    stops = multiples_periods(ds, state)
    return periods.freq_of(stops[0]) if stops else "year"


def multiples_figure(ds: Dataset, state: ViewState) -> go.Figure:
    """One small map per period (cumulative when the view is), a shared stepped legend, the
    filter-written title and the source line, for print."""
    level, _ = _regions(ds, state)
    frames = _map_frames(ds, state, multiples_periods(ds, state))
    measure, classes = _shared_classes(state, frames)
    panels = [(panel_label(at), values[["adcode", "z", "status"]]) for _, at, values in frames]
    fig = anim.small_multiples(
        panels,
        geojson=geo_assets.load_geojson(level),
        dashline=geo_assets.load_dashline(),
        colorbar_title=present_map.measure_title(state, measure),
        classes=classes,
        lang=state.lang,
    )
    undated = replace(state, period=None)
    step = periods.freq_of(frames[0][0]) if frames else "year"
    by = t("multiples_by", state.lang, step=t(step, state.lang).lower())
    title = present_map.map_title(ds, undated) + ("，" if state.lang == "zh" else ", ") + by
    source = source_line(ds, state)
    style.frame(fig, title, subtitle(ds, undated), source, bottom=MULTIPLES_BOTTOM)
    style.add_notes(fig, _multiples_cut(ds, state, step))
    style.rewrap(fig)
    return fig


def _multiples_cut(ds: Dataset, state: ViewState, step: str) -> list[str]:
    """The rows no small map draws: dated less finely than the panels' step (a panel up to a
    period draws them from the panel holding their last day)."""
    if state.cumulative:
        return []
    idx = ds.index
    mask = query.selection(idx, diffusion.undated_state(state), except_dim="region")
    rows = mask & idx.too_coarse(step)
    return captions.coarse_lines(query.by_precision(idx, rows), step, state.lang)
