"""The time player's frames (``layouts.play_frames``): each frame sets exactly what a patch of that
period sets, Play starts after the period shown, and a long slider comes a chunk at a time."""

from __future__ import annotations

import json
from dataclasses import replace

from plotly.utils import PlotlyJSONEncoder

from data.state import ViewState
from layouts import play_frames, viewmodel


def _json(value: object) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def test_each_frame_sets_what_a_patch_of_its_period_sets(bundled):
    state = bundled.restrict(ViewState())
    out = play_frames.play_frames(bundled, state)
    assert out["periods"] == [str(y) for y in range(2013, 2025)]
    assert (out["first"], out["total"]) == (0, 12)
    for i, period in enumerate(out["periods"]):
        at = replace(state, period=period)
        want = viewmodel.views(bundled, at, full=False, same_selection=True)
        for chart, paths in want.updates.items():
            got = {}
            if chart in out["charts"]:
                frames = out["charts"][chart]
                got = {k: _json(v) for k, v in frames["const"].items()}
                for path, value in zip(frames["paths"], frames["frames"][i], strict=True):
                    got[".".join(map(str, path))] = _json(value)
            assert got == {".".join(map(str, p)): _json(v) for p, v in paths.items()}, chart
        assert out["texts"]["summary"][i] == want.texts["summary"]
        assert out["texts"]["chips"][i] == want.texts["chips"]
    assert out["labels"][:2] == ["2013 年", "2014 年"]
    # only what changes is repeated per period: the map's values do, its legend title does not
    assert ["data", 0, "z"] in out["charts"]["map"]["paths"]


def test_play_starts_after_the_period_shown_and_goes_round_from_the_last(bundled):
    state = bundled.restrict(ViewState())
    assert play_frames.first_frame(bundled, state) == 0
    assert play_frames.first_frame(bundled, replace(state, period="2019")) == 7  # 2020
    assert play_frames.first_frame(bundled, replace(state, period="2024")) == 0


def test_a_long_slider_comes_a_chunk_at_a_time(bundled):
    state = bundled.restrict(ViewState(freq="quarter"))
    first = play_frames.play_frames(bundled, state)
    assert (first["first"], first["total"], len(first["periods"])) == (0, 45, play_frames.CHUNK)
    rest = play_frames.play_frames(bundled, state, first=play_frames.CHUNK)
    assert rest["first"] == play_frames.CHUNK
    assert first["periods"] + rest["periods"] == play_frames.stops(bundled, state)
