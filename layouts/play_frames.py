"""Every frame of the time player, computed once: for each stop of the slider, what each view shows
at that period (issue 24: Play at the browser's pace, every visible view in step).

``play_frames(dataset, state)`` runs ``viewmodel.views`` once per period (the updates a patch of
that period would carry: only the dates change, so the diffusion views only move their band) and
keeps, per chart, the paths whose values change from one period to another (``frames``: one row of
values per period, in the order of ``paths``) and those every period sets alike (``const``: sent
once, applied when a chart first plays). The texts beside the charts (summary, the lines beside the
map, the filter chips) and the slider's label and value come per period too. The browser applies
them with ``Plotly.update`` (``assets/playback.js``); the URL is written once, on pause, so the
page is then what that URL shows.

Bounded: at most ``CHUNK`` periods a response (``first``: where it starts, ``total``: the
slider's stops), so a step of many stops (a decade by day) is computed and sent a chunk at a time
while the previous one plays. Pure: no Dash (``callbacks.playback`` wires it). The size grows with
periods x (places + the categories of each breakdown): only what changes is repeated per period.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from plotly.utils import PlotlyJSONEncoder

from data import diffusion, periods
from data.dataset import Dataset
from data.state import ViewState
from layouts import spread, viewmodel
from layouts.present_common import Views

Path = tuple  # ("data", 0, "z") or ("layout", "title", "subtitle", "text")
CHUNK = 24  # periods a response holds at most (about 2 s of server work at province level)


def stops(ds: Dataset, state: ViewState) -> list[str]:
    """The periods Play goes through: the slider's stops (``spread.slider_config``'s)."""
    return diffusion.slider_periods(ds.index, state.freq, state)


def first_frame(ds: Dataset, state: ViewState) -> int:
    """Where Play starts: the stop after the view's period, or the first one (no period, or the
    last: Play goes round again)."""
    now = periods.to_value(state.period)
    values = [periods.to_value(p) or 0 for p in stops(ds, state)]
    after = [i for i, v in enumerate(values) if now is not None and v > now]
    return after[0] if after else 0


def _playable(path: Path) -> bool:
    """A path the browser can set with ``Plotly.update``: a trace attribute or a layout one."""
    return (path[0] == "data" and len(path) >= 3 and isinstance(path[1], int)) or (
        path[0] == "layout" and len(path) >= 2
    )


def _chart(views: list[Views], chart: str) -> dict[str, Any]:
    """One chart's frames: the paths that change, their values per period, the constant ones."""
    paths: list[Path] = []
    for v in views:
        paths += [p for p in v.updates.get(chart, {}) if p not in paths and _playable(p)]
    varying, const = [], {}
    for path in paths:
        values = [v.updates[chart].get(path) for v in views]
        texts = {json.dumps(x, cls=PlotlyJSONEncoder, sort_keys=True) for x in values}
        if len(texts) > 1:
            varying.append(path)
        else:
            const[_key(path)] = values[0]
    return {
        "paths": [list(p) for p in varying],
        "const": const,
        "frames": [[v.updates[chart].get(p) for p in varying] for v in views],
    }


def _key(path: Path) -> str:
    """A constant path as a JSON object key ("data.0.z"); the browser splits it back."""
    return ".".join(map(str, path))


def play_frames(ds: Dataset, state: ViewState, first: int | None = None) -> dict[str, Any]:
    """The frames of Play for the view ``state`` from stop ``first`` (None: ``first_frame``), at
    most ``CHUNK``: ``periods``, their slider ``values`` and ``labels``, per chart
    ``charts[id]`` = {paths, const, frames}, per text ``texts[name]`` = one value per period
    (summary, beside, undated, chips); ``first`` and ``total`` (the stops of the slider)."""
    every = stops(ds, state)
    first = first_frame(ds, state) if first is None else max(0, first)
    stops_ = every[first : first + CHUNK]
    at = [replace(state, period=p) for p in stops_]
    views = [viewmodel.views(ds, s, full=False, same_selection=True) for s in at]
    charts = {c: _chart(views, c) for c in (views[0].updates if views else {})}
    return {
        "first": first,
        "total": len(every),
        "periods": stops_,
        "values": [periods.to_value(p) for p in stops_],
        "labels": [spread.period_text(s) for s in at],
        "charts": {c: f for c, f in charts.items() if f["paths"] or f["const"]},
        "texts": {
            name: [v.texts[name] for v in views]
            for name in ("summary", "beside", "undated", "chips")
        },
    }
