"""The first page is drawn for the link it was opened with: no callback round trip before the
first paint, and the first interaction patches what the page holds.

Dash fetches the layout (``_dash-layout``) from the page; that request's ``Referer`` is the page's
address, so its query string is the view (``?region=440000&lang=en``). The layout is the page with
every output of ``callbacks.interaction.respond`` for that view written into it (figures, texts,
controls, the ``rendered`` store with key, language, selection and sent hashes, the grid's first
block, the upload panel), plus the export texts. When the view cannot be known (no
``Referer``), the page is left empty and the URL's first report draws it, as before.

A first page of the default table depends only on its link, so the answer is kept (``install``:
the last ``CACHED`` links' layouts, as sent) and the next reader of the same link gets it without
the server drawing it again; a table of a user (``?data=``) is always drawn anew (it may be gone).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import flask
from dash import Output, Patch, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from callbacks import exports, interaction
from callbacks.service.context import view
from callbacks.views import as_location
from data.state import ViewState
from layouts import ids
from layouts.bilingual import L
from layouts.charts import charts_for
from layouts.exports import report_pack
from layouts.figures import geo_assets
from layouts.page import places_loading_option

log = logging.getLogger("policy_atlas.callbacks")
#: How many links' first pages are kept (each a few hundred KB of JSON).
CACHED = 16
_pages: OrderedDict[str, tuple[object, bytes]] = OrderedDict()  # link -> (table, layout JSON)
_pages_lock = threading.Lock()


def request_search() -> str | None:
    """The query string of the page being drawn: the ``Referer`` of Dash's layout request (the
    page's address), or the request's own query string for any other request; None when it is
    not known."""
    if not flask.has_request_context():
        return None
    request = flask.request
    if request.path.endswith("_dash-layout"):
        referrer = request.referrer
        return None if not referrer else "?" + urlsplit(referrer).query
    return "?" + request.query_string.decode("utf-8", "replace")


def map_files(search: str | None) -> tuple[str, ...]:
    """The files (paths under assets/) plotly fetches to draw the map of the link ``search``: the
    base topojson, the boundaries of the level it shows and, unless it is drilled into a
    province, the neighbouring land (``layouts/figures/china_map.py``)."""
    state, _ = view(search)
    files = [
        "topojson/world_110m.json",
        "geo/" + geo_assets.geojson_path(state.map_level_shown).name,
    ]
    if not state.drill:
        files.append("geo/neighbours.geojson")
    return tuple(files)


def _components(tree: Component) -> Iterator[Component]:
    yield tree
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if isinstance(child, Component):
            yield from _components(child)


def _outputs(schema: Any, value: Any) -> Iterator[tuple[Output, Any]]:
    """Each ``Output`` of a callback's output ``schema`` (nested dicts, lists and tuples of
    outputs, as ``@callback(output=...)`` takes them) with its value from ``value``, the
    callback's return in the same shape (a group answered with ``no_update`` leaves every
    output in it as it is)."""
    if isinstance(schema, Output):
        yield schema, value
    elif isinstance(schema, dict):
        for key, part in schema.items():
            yield from _outputs(part, no_update if value is no_update else value[key])
    elif isinstance(schema, list | tuple):
        parts = [no_update] * len(schema) if value is no_update else value
        for part, got in zip(schema, parts, strict=True):
            yield from _outputs(part, got)
    else:
        raise TypeError(f"not an output schema: {schema!r}")


def _patched(current: Any, patch: Patch) -> Any:
    """``current`` (a dict prop, such as a graph's ``config``) with a patch's assignments."""
    out = dict(current or {})
    for op in patch.to_plotly_json()["operations"]:
        if op["operation"] != "Assign":
            raise ValueError(f"cannot apply {op['operation']} to a first page")
        target = out
        *path, last = op["location"]
        for part in path:
            target = target.setdefault(part, {})
        target[last] = op["params"]["value"]
    return out


def _set(found: dict[str, Component], component_id: str, prop: str, value: Any) -> None:
    component = found[component_id]
    if isinstance(value, Patch):
        value = _patched(getattr(component, prop, None), value)
    setattr(component, prop, value)


def prefill(tree: Component, search: str) -> Component:
    """``tree`` (the page) drawn for the view ``search``."""
    found = {
        str(getattr(c, "id", "")): c
        for c in _components(tree)
        if isinstance(getattr(c, "id", None), str)
    }
    answer = interaction.respond(search, None, None)
    for output, value in _outputs(interaction.OUTPUTS, answer):
        if value is not no_update:
            _set(found, str(output.component_id), output.component_property, value)
    _set(found, ids.URL, "search", as_location(search))  # as the address bar says it
    state, ds = view(search)
    for chart in charts_for(ds.dimensions):
        camera = Patch()
        camera["toImageButtonOptions"] = exports.camera_options(ds, state, chart)
        _set(found, chart, "config", camera)
    chart = getattr(found[ids.DL_CHART], "value", None) or ids.MAP
    _set(found, ids.DL_TITLE, "placeholder", report_pack.default_title(ds, state, chart))
    _set(found, ids.EXPORT_VIEW, "data", as_location(search))
    return tree


def first_page_places(tree: Component, state: ViewState | None) -> Component:
    """``tree`` with the place filter's options cut, when the full list is served as a file
    (``ids.PLACES_SRC``; ``callbacks.place_options``), to the places it selects (their chips
    keep both names) and the ones the view's map can select before the list has loaded: the
    provinces, or on a city map every place (drilled: the province's). dcc.Dropdown drops a
    value it has no option for, so a map click must never set one the page lacks."""
    found = {str(getattr(c, "id", "")): c for c in _components(tree)}
    if ids.PLACES_SRC not in found or not getattr(found[ids.PLACES_SRC], "data", None):
        return tree
    dropdown = found[ids.F_REGION]
    chosen = set(getattr(dropdown, "value", None) or [])
    state = state or ViewState()
    level, drill = state.map_level_shown, state.drill

    def clickable(code: str) -> bool:
        if drill:
            return code[:2] == drill[:2]
        return level != "province" or code.endswith("0000")

    options = getattr(dropdown, "options", None) or []
    kept = [o for o in options if o["value"] in chosen or clickable(o["value"])]
    if len(kept) < len(options):  # a list that is not every place says so until it is
        kept.insert(0, places_loading_option())
    _set(found, ids.F_REGION, "options", kept)
    return tree


def layout(build: Callable[[], Component]) -> Callable[[], Component]:
    """``app.layout``: the page ``build`` makes, drawn for the request's view when it is known."""

    def first_page() -> Component:
        tree = build()
        search = request_search()
        if search is None:
            return first_page_places(tree, None)
        try:
            state, ds = view(search)
            drawn = first_page_places(prefill(tree, search), state)
            if not state.data and not ds.gone and flask.has_app_context():
                flask.g.first_page = (search, ds)  # the default table: the same for every reader
            return drawn
        except PreventUpdate:  # a bug the guard logged (callbacks.service.context.guarded)
            pass
        except Exception:
            log.exception("drawing the page for %r failed", search[:200])
        # the page as for no link, saying that this view failed (never a blank page)
        tree = build()
        found = {str(getattr(c, "id", "")): c for c in _components(tree)}
        _set(found, ids.PAGE_ERROR, "hidden", False)
        _set(found, ids.PAGE_ERROR, "children", L("request_failed"))
        return first_page_places(tree, None)

    return first_page


def _is_layout_request() -> bool:
    return flask.request.method == "GET" and flask.request.path.endswith("_dash-layout")


def _kept_page() -> flask.Response | None:
    """The layout kept for this link, if its table is still the one it was drawn for."""
    if not _is_layout_request():
        return None
    search = request_search()
    with _pages_lock:
        kept = _pages.get(search or "")
        if kept is not None:
            _pages.move_to_end(search or "")
    if kept is None or view(search)[1] is not kept[0]:
        return None
    return flask.Response(kept[1], mimetype="application/json")


def _keep_page(response: flask.Response) -> flask.Response:
    drawn = flask.g.pop("first_page", None)
    if drawn is not None and response.status_code == 200 and _is_layout_request():
        search, ds = drawn
        with _pages_lock:
            _pages[search] = (ds, response.get_data())
            while len(_pages) > CACHED:
                _pages.popitem(last=False)
    return response


def install(server: flask.Flask) -> None:
    """Serve a link's first page from the ones kept (see the module's docstring). Call after
    Dash has attached Flask-Compress: hooks run in reverse order, so the page is kept before
    it is compressed and each answer is compressed for its own request."""
    server.before_request(_kept_page)
    server.after_request(_keep_page)
