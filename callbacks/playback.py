"""The time player: wiring only. Play/pause and each tick run in the browser
(``assets/playback.js``): a tick writes the next period into the URL (one hop: the views answer
with a small patch and the slider moves, both from ``callbacks.interaction``), as the slider
itself does through it. The next tick waits until every view is drawn for the current URL, so a
slow answer delays the animation rather than skipping or stacking frames."""

from __future__ import annotations

from typing import Any

from dash import ClientsideFunction, Input, Output, State, clientside_callback, no_update

from data.dataset import Dataset
from data.state import ViewState
from layouts import ids, player, spread


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


clientside_callback(
    ClientsideFunction(namespace="playback", function_name="step"),
    Output(ids.URL, "search", allow_duplicate=True),
    Output(ids.PLAY_TIMER, "disabled"),
    Output(ids.PLAY, "className"),
    Input(ids.PLAY, "n_clicks"),
    Input(ids.PLAY_TIMER, "n_intervals"),
    State(ids.PERIOD, "min"),
    State(ids.PERIOD, "max"),
    State(ids.PERIOD, "step"),
    State(ids.PLAY_TIMER, "disabled"),
    State(ids.PLAY_TIMER, "interval"),
    prevent_initial_call=True,
)

clientside_callback(
    "function(ms) { return ms || 900; }",
    Output(ids.PLAY_TIMER, "interval"),
    Input(ids.SPEED, "value"),
)
