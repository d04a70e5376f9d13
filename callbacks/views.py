"""The views of one URL. A change of filters sends a ``Patch`` of the arrays that changed; a change
of map level, measure or language redraws the figures (boundaries still come by URL, never inline).

Outputs are grouped by name (Dash's dict-grouped outputs), so nothing is matched by position.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from dash import (
    ClientsideFunction,
    Input,
    Output,
    Patch,
    clientside_callback,
    get_asset_url,
    no_update,
)
from plotly.utils import PlotlyJSONEncoder

from callbacks import playback
from callbacks.service.context import guarded, view
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids, present_controls, present_grid, spread, viewmodel
from layouts.components import beside, chips, notes
from layouts.figures import geo_assets
from layouts.own_dimensions import root_classes


def to_patch(updates: dict[tuple, object]) -> Patch:
    """A Dash ``Patch`` that sets each path (``("data", 0, "z")``) to its value."""
    patch = Patch()
    for path, value in updates.items():
        target = patch
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return patch


def _assets_url() -> str:
    """Where this app serves its assets (``/atlas/assets/`` behind a URL prefix); the default
    when no app is configured (the callback called directly, as in tests and benchmarks)."""
    try:
        return str(get_asset_url(""))
    except (AttributeError, KeyError):
        return geo_assets.DEFAULT_ASSETS


def as_location(search: str | None) -> str:
    """A query string as the browser's ``location.search`` says it ("" for none)."""
    return "" if search in (None, "", "?") or not isinstance(search, str) else search


def unsent(
    updates: dict[str, dict[tuple, object]], sent: dict[str, str]
) -> tuple[dict[str, dict[tuple, object]], dict[str, str]]:
    """The updates minus every path whose value the browser already has (``sent``: a short hash
    per "figure/path" of what the last patch set), and the hashes after this one. A chart whose
    values a click leaves alone is not patched, so the browser does not redraw it."""
    out: dict[str, dict[tuple, object]] = {}
    after = dict(sent)
    for figure, paths in updates.items():
        kept = {}
        for path, value in paths.items():
            key = figure + "/" + "/".join(map(str, path))
            text = json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)
            digest = hashlib.blake2s(text.encode(), digest_size=6).hexdigest()
            if sent.get(key) != digest:
                kept[path] = value
            after[key] = digest
        out[figure] = kept
    return out, after


OUTPUTS = {
    "figures": {f: Output(f, "figure") for f in ids.FIGURES},
    "summary": Output(ids.SUMMARY, "children"),
    "beside": Output(ids.MAP_BESIDE, "children"),
    "chips": Output(ids.CHIPS, "children"),
    "clear_hidden": Output(ids.CLEAR_ALL, "hidden"),
    "notes": Output(ids.URL_NOTES, "children"),
    "root_class": Output(ids.ROOT, "className"),
    "drill_label": Output(ids.DRILL_BTN, "children"),
    "drill_hidden": Output(ids.DRILL_BTN, "hidden"),
    "back_hidden": Output(ids.BACK_BTN, "hidden"),
    "gdp_style": Output(ids.GDP_YEAR, "style"),
    "pilot_field_style": Output(ids.PILOT_FIELD, "style"),
    "table_columns": Output(ids.TABLE, "columnDefs"),
    "pilot_rows": Output(ids.PILOT_TABLE, "rowData"),
    "pilot_columns": Output(ids.PILOT_TABLE, "columnDefs"),
    "slider": {k: Output(ids.PERIOD, k) for k in ("min", "max", "step", "marks")},
    "freq_options": Output(ids.FREQ, "options"),
    "period_label": Output(ids.PERIOD_LABEL, "children"),
    "rendered": Output(ids.RENDERED, "data"),
    "map_selection": Output(ids.MAP_SELECTION, "data"),
    "rendered_search": Output(ids.RENDERED_SEARCH, "children"),
}


@guarded
def render(search: str | None, rendered: dict | None) -> dict[str, Any]:
    """Every view's output (``OUTPUTS``) for the view in ``search``: full figures when the page
    has none for this kind of view (``rendered``: what it was last drawn for), else patches of
    what changed. ``callbacks.interaction`` sends it with the state change that caused it; the
    initial page (``callbacks.first_paint``) is drawn with it too."""
    state, ds = view(search)
    return render_view(state, ds, search, rendered)


def render_view(
    state: ViewState, ds: Dataset, search: str | None, rendered: dict | None
) -> dict[str, Any]:
    """``render`` of a view already read (``state`` of the URL ``search``, checked against its
    table ``ds``: ``callbacks.context.view_of``)."""
    rendered = rendered if isinstance(rendered, dict) else None
    key = viewmodel.view_key(state)
    full = rendered is None or rendered.get("key") != key
    selection = spread.selection_key(state)
    same = rendered is not None and rendered.get("selection") == selection
    v = viewmodel.views(ds, state, full=full, same_selection=same)
    sent: dict[str, str] = {}
    if full:
        # the layers are static files of this app: under its URL prefix when it has one
        assets = _assets_url()
        figures: dict[str, Any] = {
            name: geo_assets.served_under(fig, assets) for name, fig in v.figures.items()
        }
        # the charts of dimensions this table has not (hidden: ``layouts.own_dimensions``)
        figures.update({f: no_update for f in ids.FIGURES if f not in figures})
        _, sent = unsent(v.updates, {})  # what the browser now holds: a Patch skips it
    else:
        before = rendered.get("sent") if rendered else None
        updates, sent = unsent(v.updates, before if isinstance(before, dict) else {})
        figures = {f: to_patch(updates[f]) if updates.get(f) else no_update for f in ids.FIGURES}
    lang_changed = rendered is None or rendered.get("lang") != state.lang
    drill = present_controls.drill_button(ds, state)
    shown = present_controls.shown_controls(state)
    return {
        "figures": figures,
        "summary": v.texts["summary"],
        "beside": beside(v.texts["beside"], v.texts["undated"]),
        "chips": chips(v.texts["chips"]),
        "clear_hidden": not v.texts["chips"],
        "notes": notes(state.notes, state.lang),
        "root_class": " ".join(x for x in (f"lang-{state.lang}", root_classes(ds)) if x),
        "drill_label": drill or "",
        "drill_hidden": drill is None,
        "back_hidden": not state.drill,
        "gdp_style": {} if shown["gdp_year"] else {"display": "none"},
        "pilot_field_style": {} if shown["pilot_field"] else {"display": "none"},
        "table_columns": present_grid.table_columns(state.lang) if lang_changed else no_update,
        "pilot_rows": present_grid.pilot_rows(ds, state) if full else no_update,
        "pilot_columns": present_grid.pilot_columns(state.lang) if lang_changed else no_update,
        **playback.slider_outputs(ds, state, full),
        "map_selection": v.texts["selection"],
        "rendered": {
            "key": key,
            "lang": state.lang,
            "selection": selection,
            "sent": sent,
            "search": as_location(search),
        },
        "rendered_search": as_location(search),
    }


# The maps' selection is drawn over the plotly map in the browser (no geo redraw on a click).
clientside_callback(
    ClientsideFunction(namespace="map_selection", function_name="draw"),
    Input(ids.MAP_SELECTION, "data"),
)
