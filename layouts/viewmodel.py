"""The view assembly: everything the page shows for one (dataset, view), put together from small
presenters (``present_map``, ``present_charts``, ``present_texts``, ``spread`` for the diffusion
views, ``compare_view``), which share ``present_common``.

``views(dataset, state)`` has each presenter hand its queries' small frames to the figure
builders. ``view_key`` names what forces a full redraw (map level, measure, language…); when only
filters change, ``updates`` lists the few arrays and texts that changed, which the callback sends
as a Dash ``Patch``. The grid's columns (``present_grid``), the optional controls
(``present_controls``) and the choice lists (``choices``) have their own modules.
"""

from __future__ import annotations

import plotly.graph_objects as go

from data import query
from data.dataset import Dataset
from data.state import ViewState
from layouts import compare_view, ids, map_story, present_charts, present_map, present_texts, spread
from layouts.figures import ranked, style
from layouts.i18n import t
from layouts.present_common import Views, subtitle


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
    mframe = present_map.map_frame(ds, state, crossfilter=cross)
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
    out.texts["summary"] = present_texts.summary_text(ds, state)
    out.texts["beside"] = present_texts.beside_lines(ds, state)
    undated = tframe.attrs.get("undated", 0)
    out.texts["undated"] = t("undated_note", lang, n=undated) if undated else ""
    out.texts["chips"] = present_texts.chip_items(ds, state)
    out.texts["selection"] = present_map.selection(ds, state)
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
    out: dict[str, dict[tuple, object]] = {}
    out[ids.MAP] = present_map.map_updates(ds, state, mframe, sub)
    out[ids.MAP].update(style.headline_patch(present_map.map_title(ds, state)))
    out.update(present_charts.updates(ds, state, sub, (tframe, bframes, rframe)))
    return out


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
    figs: dict[str, go.Figure] = {}
    figs[ids.MAP] = present_map.map_figure(ds, state, mframe, inline=inline)
    figs[ids.MAP].layout.title.subtitle.text = sub
    figs.update(present_charts.figures(ds, state, sub, (tframe, bframes, rframe), export=export))
    return figs
