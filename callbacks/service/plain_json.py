"""Dash's JSON answers without plotly's HTML-safety escapes (issue 24: bytes per interaction).

Dash serialises every callback answer and the layout with plotly's ``to_json``, which writes
``<``, ``>`` and ``/`` as ``\\u003c``, ``\\u003e`` and ``\\u002f`` so the text can sit inside an
HTML ``<script>``. The callback answers (``_dash-update-component``) and the layout
(``_dash-layout``) are JSON the page fetches, never inlined into HTML, so the escapes buy nothing
there: every ``<b>`` and ``<br>`` of a hover text costs 12 bytes instead of 3 or 4 (45 KB of a
city map's 170). Dash 4.4 has no hook for its serialiser, so the answer is rewritten after it is
made: the same JSON values, each escape written as its character. The index page's
``_dash-config`` script, which is inlined into HTML, is left as plotly wrote it.
"""

from __future__ import annotations

import re
from typing import Any

from dash import Dash

#: plotly.io's swaps (``_swap_json`` / ``_swap_orjson``), the other way round
_ESCAPED = {"\\u003c": "<", "\\u003e": ">", "\\u002f": "/"}
# an escape is one only after an even number of backslashes ("\\u003c" is a backslash and text)
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)(\\u003c|\\u003e|\\u002f)", re.IGNORECASE)
ROUTES = ("_dash-update-component", "_dash-layout")


def unescape(text: str) -> str:
    """``text`` (JSON) with plotly's HTML escapes written as the characters: the same values."""
    if "\\u00" not in text:
        return text
    return _ESCAPE.sub(lambda m: m.group(1) + _ESCAPED[m.group(2).lower()], text)


def install(app: Dash) -> None:
    """Answers of ``ROUTES`` on ``app``'s server without the escapes (runs before compression:
    Flask-Compress registered its handler first, and handlers run last-registered first)."""
    prefix = app.config.routes_pathname_prefix or "/"
    paths = {prefix + r for r in ROUTES}

    def plain(response: Any) -> Any:
        from flask import request

        if (
            request.path not in paths
            or response.mimetype != "application/json"
            or response.direct_passthrough
            or response.is_streamed
            or response.headers.get("Content-Encoding")
        ):
            return response
        text = response.get_data(as_text=True)
        slim = unescape(text)
        if slim is not text:
            response.set_data(slim)
        return response

    app.server.after_request(plain)
