"""The time player: wiring only. Play asks once for every frame of the view
(``layouts.play_frames``: one response, one store); the browser then plays them
(``assets/playback.js``: ``Plotly.update`` per chart, the texts, slider and label set in place, no
request per frame) and, on pause or at the end, writes the URL of the period shown once: the views
then answer it as any URL change (``callbacks.interaction``), so the page is what that URL shows.
The slider itself still writes the URL through ``callbacks.interaction``."""

from __future__ import annotations

from typing import Any

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    no_update,
)

from callbacks.service.context import guarded, view
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids, play_frames, player, spread
from layouts.components import beside, chips


def slider_outputs(ds: Dataset, state: ViewState, full: bool) -> dict[str, Any]:
    """The render callback's slider outputs: its stops and the step choices on a full redraw
    (they depend on the data and the step only), the period label always."""
    label = spread.period_text(state)
    if not full:
        keep = {k: no_update for k in ("min", "max", "step", "marks")}
        return {"slider": keep, "freq_options": no_update, "period_label": label}
    config = spread.slider_config(ds, state)
    return {
        "slider": {k: config[k] for k in ("min", "max", "step", "marks")},
        "freq_options": player.freq_options(config["dense"]),
        "period_label": label,
    }


@callback(Output(ids.PLAY_FRAMES, "data"), Input(ids.PLAY_ASK, "data"), prevent_initial_call=True)
@guarded
def frames(ask: dict | None) -> dict[str, Any]:
    """The frames of Play for the view it asks for (``ask["search"]``: its query string; from
    stop ``ask["from"]``, else where Play starts: ``layouts.play_frames``), in one response; the
    chips and the lines beside the map as the components the page draws."""
    ask = ask or {}
    search = ask.get("search") if isinstance(ask.get("search"), str) else None
    state, ds = view(search)
    first = ask.get("from")
    first = first if isinstance(first, int) and not isinstance(first, bool) else None
    out = play_frames.play_frames(ds, state, first)
    texts = out.pop("texts")
    return {
        **out,
        "asked": search or "",
        "summary": texts["summary"],
        "beside": [beside(b, u) for b, u in zip(texts["beside"], texts["undated"], strict=True)],
        "chips": [chips(c) for c in texts["chips"]],
    }


# Play/pause: the player runs in the browser (assets/playback.js); Play asks for the frames when
# it has none for this view, pause writes the URL of the period shown.
clientside_callback(
    ClientsideFunction(namespace="playback", function_name="toggle"),
    Output(ids.PLAY_ASK, "data"),
    Output(ids.PLAY, "className"),
    Input(ids.PLAY, "n_clicks"),
    State(ids.SPEED, "value"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="playback", function_name="frames"),
    Input(ids.PLAY_FRAMES, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="playback", function_name="speed"),
    Input(ids.SPEED, "value"),
)
