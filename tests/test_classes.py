"""Legend classes without mapclassify: the same legends as before on the bundled table's maps
(every measure, map level, scheme and year) and on larger seeded maps.

``tests/fixtures/legend_classes.json`` was written by ``python -m tests.tools.legend_classes``
with the classifier of mapclassify 2.10 (the app's before this change).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from data.loaders import load_dataset
from data.state import ViewState
from layouts import map_story, present_map
from layouts.figures.classes import MAX_CLASSES, _raw_bins, classify

CASES = json.loads((Path(__file__).parent / "fixtures" / "legend_classes.json").read_text("utf-8"))
BUNDLED = [c for c in CASES if "values" not in c]
SYNTHETIC = [c for c in CASES if "values" in c]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.mark.slow
def test_the_bundled_maps_keep_their_legends(dataset):
    assert len(BUNDLED) > 200 and sum(len(c["labels"]) >= 3 for c in BUNDLED) > 50
    changed = []
    for case in BUNDLED:
        state = replace(
            ViewState(),
            measure=case["measure"],
            map_level=case["level"],
            classes=case["scheme"],
            date_from=case["from"],
            date_to=case["to"],
        )
        values = present_map.map_frame(dataset, state)
        cls = map_story.map_classes(values, state)
        if list(cls.labels) == case["labels"] and list(cls.uppers) == case["uppers"]:
            continue
        # natural breaks: two partitions can both be optimal; then either is the right legend
        z = values.loc[~values["status"].isin(("no_record", "no_reference")), "z"]
        positive = z[z > 0].to_numpy(dtype=float)
        k = min(MAX_CLASSES, len(np.unique(positive)))
        new = _raw_bins(positive, "jenks", k)
        tie = case["scheme"] == "jenks" and _ssd(positive, case["bins"]) == pytest.approx(
            _ssd(positive, new), rel=1e-9
        )
        changed.append((case, cls.labels, tie))
    # one map (shares of 2020) has two optimal natural-breaks partitions: mapclassify's float32
    # sums picked one, jenkspy's float64 the other
    assert [c for c in changed if not c[2]] == []
    assert len(changed) <= 1


@pytest.mark.parametrize("case", SYNTHETIC, ids=lambda c: f"{len(c['values'])}-{c['scheme']}")
def _ssd(values: np.ndarray, uppers) -> float:
    """Sum of squared deviations from the class means: what natural breaks minimise."""
    of = np.searchsorted(np.asarray(uppers, dtype=float), values, side="left")
    return float(sum(((values[of == c] - values[of == c].mean()) ** 2).sum() for c in set(of)))


@pytest.mark.parametrize("case", SYNTHETIC, ids=lambda c: f"{len(c['values'])}-{c['scheme']}")
def test_larger_maps_keep_their_legends(case):
    cls = classify(np.array(case["values"]), scheme=case["scheme"], integer=case["integer"])
    assert list(cls.labels) == case["labels"]
    assert list(cls.uppers) == case["uppers"]


@pytest.mark.slow
def test_no_scientific_stack_is_imported_at_run_time():
    import subprocess
    import sys

    code = "import sys, app; print(' '.join(m for m in ('scipy', 'sklearn', 'networkx', "
    code += "'mapclassify') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={
            "POLICY_ATLAS_HOME": str(Path(__file__).parent.parent / ".pytest_cache" / "ph"),
            "PATH": "/usr/bin:/bin",
        },
        check=True,
    )
    assert out.stdout.strip() == ""
