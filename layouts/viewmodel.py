"""The view assembly: everything the page shows for one (dataset, view), put together from small
presenters (``present_map``, ``present_charts``, ``present_texts``, ``spread`` for the diffusion
views, ``compare_view``), which share ``present_common``.

``views(dataset, state)`` queries the small frames the charts share (``Frames``) and hands them
to each chart's builder and patch function (``layouts.charts.Chart``). ``view_key`` names what
forces a full redraw (map level, measure, language…); when only filters change, ``updates`` lists
the few arrays and texts that changed, which the callback sends as a Dash ``Patch``. The grid's
columns (``present_grid``), the optional controls (``present_controls``) and the choice lists
(``choices``) have their own modules.
"""

from __future__ import annotations

from collections.abc import Collection

from data import query
from data.dataset import Dataset
from data.state import ViewState
from layouts import compare_view, map_story, present_map, present_texts, spread
from layouts.charts import charts_for
from layouts.i18n import t
from layouts.present_common import Frames, Views, subtitle


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
    only: Collection[str] | None = None,
) -> Views:
    """All views of ``state``: full figures (``full``; ``only``: of these charts alone, the ones
    the page redraws, the others being patched) and, unless exporting, the updates a patch
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
    frames = Frames(sub, mframe, tframe, bframes, rframe, export=export, inline=inline_geojson)
    for chart in charts_for(ds.dimensions).values():  # each chart's builder and patch function
        if full and chart.figure and (only is None or chart.id in only):
            out.figures[chart.id] = chart.figure(ds, state, frames, chart.id)
        # a full draw lists them too: what the browser holds, so no Patch resends it
        if not export and chart.patch:
            out.updates[chart.id] = chart.patch(ds, state, frames, chart.id)
    out.texts["summary"] = present_texts.summary_text(ds, state)
    out.texts["beside"] = present_texts.beside_lines(ds, state)
    undated = tframe.attrs.get("undated", 0)
    out.texts["undated"] = t("undated_note", lang, n=undated) if undated else ""
    out.texts["chips"] = present_texts.chip_items(ds, state)
    out.texts["selection"] = present_map.selection(ds, state)
    spread.add_views(
        out,
        ds,
        state,
        full=full,
        inline_geojson=inline_geojson,
        same_selection=same_selection,
        only=only,
    )
    compare_view.add_views(out, ds, state, sub, full=full, export=export, only=only)
    return out
