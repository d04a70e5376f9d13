"""The views of one URL. A change of filters sends a ``Patch`` of the arrays that changed; a change
of map level, measure or language redraws the figures (boundaries still come by URL, never inline).

Outputs are grouped by name (Dash's dict-grouped outputs), so nothing is matched by position.
"""

from __future__ import annotations

import base64
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


# One path's token: its chart (one character), 24 bits of its name, 36 of its value.
KEY_CHARS, VALUE_CHARS = 5, 6
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
CHART_CHAR = {f: _B64[i] for i, f in enumerate(ids.FIGURES)}

# What each chart's full figure depends on besides the filters (which its patches carry), checked
# view pair by view pair (tests/test_bytes.py): a level switch redraws the maps and the ranking,
# not the bars; a new timeline step no chart (the timeline and the diffusion views patch it).
# Every chart also depends on ``viewmodel.view_key``'s language, table, reference year, pilots
# and compare mode.
_GEO = ("map_level", "drill", "measure")
REDRAWN_BY: dict[str, tuple[str, ...]] = {
    ids.MAP: _GEO,
    ids.RANKED: _GEO,
    ids.ADOPTION_MAP: _GEO,
    ids.ADOPTION_CURVE: _GEO,
}
#: not a chart: the period slider's stops and step choices follow the data and the step
SLIDER, SLIDER_BY = "slider", ("freq",)
_EVERY_CHART = ("lang", "data", "gdp_year", "pilots", "pilot_field")


def chart_keys(state: ViewState) -> dict[str, str]:
    """A short key per chart group of what its full figure depends on: a chart whose key is the
    one the page drew gets a patch, the others their full figure."""
    out = {}
    for group in (*REDRAWN_BY, "bars", SLIDER):
        fields = (*_EVERY_CHART, *(SLIDER_BY if group == SLIDER else REDRAWN_BY.get(group, ())))
        text = "|".join(str(getattr(state, f)) for f in fields) + f"|{state.comparing()}"
        out[group] = _b64(hashlib.blake2s(text.encode(), digest_size=6).digest(), 8)
    return out


def _group(figure: str) -> str:
    return figure if figure in REDRAWN_BY else "bars"


def _b64(data: bytes, chars: int) -> str:
    return base64.urlsafe_b64encode(data).decode()[:chars]


def held(sent: object) -> dict[str, str]:
    """The ``sent`` string of the ``rendered`` store as {path key: value digest} (anything
    else: nothing held, so everything is sent)."""
    if not isinstance(sent, str):
        return {}
    step = KEY_CHARS + VALUE_CHARS
    return {
        sent[i : i + KEY_CHARS]: sent[i + KEY_CHARS : i + step] for i in range(0, len(sent), step)
    }


def unsent(
    updates: dict[str, dict[tuple, object]], sent: object
) -> tuple[dict[str, dict[tuple, object]], str]:
    """The updates minus every path whose value the browser already has (``sent``: a token per
    "figure/path" of what the last patch set, as one string: a short digest of the path's name
    and one of its value), and the tokens after this one. A chart whose values a click leaves
    alone is not patched, so the browser does not redraw it. The string travels in the
    ``rendered`` store both ways, so it is kept short: 11 bytes a path."""
    before = held(sent)
    out: dict[str, dict[tuple, object]] = {}
    after = dict(before)
    for figure, paths in updates.items():
        kept = {}
        for path, value in paths.items():
            name = (figure + "/" + "/".join(map(str, path))).encode()
            key = CHART_CHAR[figure] + _b64(hashlib.blake2s(name, digest_size=3).digest(), 4)
            text = json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)
            digest = _b64(hashlib.blake2s(text.encode(), digest_size=6).digest(), VALUE_CHARS)
            if before.get(key) != digest:
                kept[path] = value
            after[key] = digest
        out[figure] = kept
    return out, "".join(k + after[k] for k in sorted(after))


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
    table ``ds``: ``callbacks.service.context.view_of``)."""
    rendered = rendered if isinstance(rendered, dict) else None
    key = viewmodel.view_key(state)
    full = rendered is None or rendered.get("key") != key
    keys = chart_keys(state)
    drawn = rendered.get("keys") if rendered else None
    drawn = drawn if isinstance(drawn, dict) else {}
    redraw = {f for f in ids.FIGURES if full and drawn.get(_group(f)) != keys[_group(f)]}
    selection = spread.selection_key(state)
    # only the dates moved, within one step (Play's frames): the diffusion views move their band
    same = rendered is not None and rendered.get("selection") == selection
    same = same and drawn.get(SLIDER) == keys[SLIDER]
    # only the charts drawn whole are built whole; the others get a patch (or nothing)
    v = viewmodel.views(ds, state, full=bool(redraw), same_selection=same, only=redraw)
    # the charts drawn whole forget what the browser held of them; the others are patched
    gone = {CHART_CHAR[f] for f in redraw}
    before = rendered.get("sent") if rendered else ""
    before = "".join(k + d for k, d in held(before).items() if k[0] not in gone)
    updates, sent = unsent(v.updates, before)
    assets = _assets_url()  # the layers are static files of this app (under its URL prefix)
    figures: dict[str, Any] = {
        f: geo_assets.served_under(v.figures[f], assets)
        if f in redraw and f in v.figures  # not drawn: a dimension this table has not
        else (to_patch(updates[f]) if f not in redraw and updates.get(f) else no_update)
        for f in ids.FIGURES
    }
    lang_changed = rendered is None or rendered.get("lang") != state.lang

    def redrawn(group: str) -> bool:
        return full and drawn.get(group) != keys[group]

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
        # the pilots' rows follow the table, language and pilot fields (every chart's key)
        "pilot_rows": present_grid.pilot_rows(ds, state) if redrawn("bars") else no_update,
        "pilot_columns": present_grid.pilot_columns(state.lang) if lang_changed else no_update,
        **playback.slider_outputs(ds, state, redrawn(SLIDER)),  # the data and the step
        "map_selection": v.texts["selection"],
        "rendered": {
            "key": key,
            "keys": keys,
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
