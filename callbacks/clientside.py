"""Callbacks that run in the browser: no round trip where the answer is already there."""

from __future__ import annotations

from dash import Input, Output, clientside_callback

from layouts import ids

# "Copy link": the view is the URL, so the link is the address bar as it is now.
clientside_callback(
    "function(n) { return window.location.href; }",
    Output(ids.COPY_LINK, "content"),
    Input(ids.COPY_LINK, "n_clicks"),
    prevent_initial_call=True,
)
