"""The place filter's full option list as a static file (issue #24), not in the first page.

Every province and city with its two labels and search text is 150 KB of the first page and a
search index the dropdown builds at mount. The first page carries only the options of the
places its link selects (``first_paint.layout``); the full list is one JSON file, served under a
name with its content's digest (cached for a year, strong ``ETag``), that assets/place_options.js
fetches from this app (never another host) when the dropdown gets focus, its value changes or
the browser is idle after the first paint, whichever comes first, and sets with
``dash_clientside.set_props`` on the dropdown's ``options``: labels as text in the page's
language (set again when the language changes; components set through ``set_props`` into an
open dropdown break Dash 4.4's renderer), searched by both names as before.

GET {prefix}places.<digest>.json    ``[[value, Chinese, English], ...]``
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import flask
from dash import ClientsideFunction, Dash, Input, Output, State, clientside_callback

from layouts import ids

#: Seconds a browser may keep the file: its name changes with its content.
MAX_AGE = 365 * 24 * 3600


def options_file(places: list[tuple[str, str, str]]) -> tuple[str, bytes]:
    """(file name, body) of the list: ``[[value, Chinese, English], ...]`` as JSON (the script
    makes each option as ``layouts.page.labelled_options`` does: searched by both names),
    named by its digest."""
    data = json.dumps(places, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f"places.{hashlib.sha256(data).hexdigest()[:16]}.json", data


def install(app: Dash, prefix: str, places: list[tuple[str, str, str]]) -> str:
    """Serve ``places`` (value, Chinese, English) under ``prefix`` on ``app``'s server; the
    file's URL."""
    name, data = options_file(places)
    etag = name.split(".")[1]

    @app.server.get(prefix + name)
    def place_options() -> Any:  # a 200, or a 304 to an If-None-Match that matches
        response = flask.Response(data, mimetype="application/json")
        response.set_etag(etag)
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        response.cache_control.immutable = True
        return response.make_conditional(flask.request)

    return prefix + name


# Fires once with the page (the file's URL in the store), on each change of the selection and
# of the map: assets/place_options.js loads the list (once) and sets it with set_props; until it
# has loaded, the places the map draws that the options lack are added, named as the map names
# them (a city map shown live before the list has come: its cities can be picked and clicked).
clientside_callback(
    ClientsideFunction("placeOptions", "watch"),
    Output(ids.F_REGION, "options"),
    Input(ids.PLACES_SRC, "data"),
    Input(ids.F_REGION, "value"),
    Input(ids.MAP, "figure"),
    State(ids.F_REGION, "options"),
)
