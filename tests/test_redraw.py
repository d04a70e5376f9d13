"""Only what changed is sent and redrawn (issue #15): the updates a view lists are exactly what its
full figures hold, they are the same in every process, and a province click changes nothing the
map draws (the selection is drawn over the map in the browser: ``assets/map_selection.js``)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly
import pytest

from callbacks.views import unsent
from data.state import ViewState
from layouts import ids, present_map, viewmodel
from layouts.figures import china_map

REPO = Path(__file__).resolve().parents[1]
STATES = [
    ViewState(),
    ViewState.of(region=("440000",), stance=("support",)),
    ViewState.of(incentive=("subsidy",), lang="en", date_from="2019-01-01", date_to="2021-12-31"),
    ViewState(map_level="city", region=("440300",)),
    # a rate of each kind: per_pop on the province map (a drilled map has no population figures
    # and would draw the count), the share on a drilled city map
    ViewState(measure="per_pop"),
    ViewState(drill="440000", measure="share"),
    ViewState(period="2021", cumulative=True),
]


def test_each_state_draws_the_measure_it_asks_for(ds):
    """The states above test the measures they name (a measure the map cannot show falls back
    to the count, which would test the count twice)."""
    for state in STATES:
        assert present_map.map_frame(ds, state).attrs["measure"].id == state.measure, state


def _plain(value):
    """A figure value as plain Python: plotly's typed arrays (``bdata``) decoded to lists."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def _at(fig: dict, path: tuple):
    node = fig
    for key in path:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
        if node is None:
            return None
    return _plain(node)


def _same(a, b) -> bool:
    a, b = _plain(a), _plain(b)
    if {repr(a), repr(b)} <= {"None", "[]"}:  # no shapes = an empty list of them
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return bool(np.isclose(a, b, equal_nan=True))
    return a == b


def _json(value):
    return json.loads(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder))


@pytest.mark.parametrize("state", STATES, ids=[s.lang + str(i) for i, s in enumerate(STATES)])
def test_a_full_draw_holds_exactly_what_its_updates_say(ds, state):
    """The callback hashes a full draw's updates as what the browser holds; a value the figure
    does not hold would never be sent, and the chart would show a stale value."""
    v = viewmodel.views(ds, state, full=True)
    assert set(v.updates) == set(v.figures)
    for name, updates in v.updates.items():
        fig = _json(v.figures[name].to_plotly_json())
        for path, value in updates.items():
            held = _at(fig, path)
            assert _same(_json(value), held), (name, path, value, held)


def test_the_same_view_twice_sends_nothing(ds):
    for state in STATES:
        first = viewmodel.views(ds, state, full=False)
        _, sent = unsent(first.updates, "")
        again, _ = unsent(viewmodel.views(ds, state, full=False).updates, sent)
        assert not any(again.values()), (state, {k: list(v) for k, v in again.items() if v})


HASHES = """
import json, sys
from callbacks.views import held, unsent
from data.loaders import load_dataset
from data.state import parse_query
from layouts import viewmodel
ds = load_dataset()
out = {}
for q in sys.argv[1:]:
    out[q] = held(unsent(viewmodel.views(ds, parse_query(q), full=False).updates, "")[1])
print(json.dumps(out))
"""


@pytest.mark.slow
def test_every_process_lists_the_same_values(tmp_path):
    """gunicorn's workers each hash their own strings differently (PYTHONHASHSEED): values built
    from sets or dicts in hash order would differ between the worker that drew a view and the one
    answering the next click, and every array would be sent again."""
    queries = ["", "region=440000&stance=support", "map=city&incentive=subsidy", "drill=440000"]
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-c", HASHES, *queries],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for q in queries:
        differ = {k for k in runs[0][q] if runs[0][q][k] != runs[1][q].get(k)}
        assert not differ, (q, sorted(differ))


def test_a_province_click_changes_nothing_the_map_draws(ds):
    drawn = viewmodel.views(ds, ViewState(), full=True)
    _, sent = unsent(drawn.updates, "")
    click = viewmodel.views(ds, ViewState(region=("440000",)), full=False)
    left, _ = unsent(click.updates, sent)
    # the map's headline names the place; no value, colour, hover, label or outline changes
    assert set(left[ids.MAP]) <= {
        ("layout", "title", "text"),
        ("layout", "title", "subtitle", "text"),
    }
    assert not [p for p in left[ids.ADOPTION_MAP] if p[0] == "data"]
    assert click.texts["selection"] == {ids.MAP: ["440000"], ids.ADOPTION_MAP: ["440000"]}
    # the bar charts get their values, not a new figure
    for name in (ids.TIMELINE, ids.breakdown("incentive"), ids.RANKED):
        assert left[name] and all(p[0] in ("data", "layout") and len(p) > 1 for p in left[name])


def test_the_page_draws_the_selection_and_an_export_carries_it(ds):
    state = ViewState(region=("440000",))
    screen = viewmodel.views(ds, state, full=True).figures[ids.MAP]
    assert screen.data[0].selectedpoints is None
    assert list(screen.data[china_map.SELECTED_TRACES[0]].locations) == []
    exported = viewmodel.views(ds, state, full=True, inline_geojson=True, export=True).figures
    outline = exported[ids.MAP].data[china_map.SELECTED_TRACES[0]]
    assert list(outline.locations) == ["440000"]
    adoption = exported[ids.ADOPTION_MAP].data[china_map.SELECTED_TRACES[0]]
    assert list(adoption.locations) == ["440000"]
    city = present_map.selection(ds, ViewState(map_level="city", region=("440000",)))
    # on the city map: Guangdong outlined once, its cities shown in full
    (guangdong,) = city[ids.MAP]
    assert guangdong["outline"] == "440000" and "440300" in guangdong["regions"]
    assert len(guangdong["regions"]) == 21 and all(a.startswith("44") for a in guangdong["regions"])
    city_map_export = viewmodel.views(
        ds,
        ViewState(map_level="city", region=("440000",)),
        full=True,
        inline_geojson=True,
        export=True,
    ).figures[ids.MAP]
    assert list(city_map_export.data[china_map.SELECTED_TRACES[0]].locations) == ["440000"]
