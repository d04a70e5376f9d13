"""The legend classes of the bundled table's maps, every measure x map level x scheme x year, as
JSON (``tests/fixtures/legend_classes.json``): written once with the classifier the app used
before (mapclassify 2.10) and compared by ``tests/test_classes.py`` with today's.

python -m tests.tools.legend_classes tests/fixtures/legend_classes.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from data.loaders import load_dataset
from data.measures import MEASURES
from data.state import CLASSES, MAP_LEVELS, ViewState
from layouts import map_story, present_map


def cases() -> list[dict]:
    """Each map of the bundled table with its legend (uppers, labels)."""
    ds = load_dataset()
    years = sorted({int(y) for y in ds.frame["date"].dt.year.dropna()})
    windows: list[tuple[str | None, str | None]] = [(None, None)]
    windows += [(f"{y}-01-01", f"{y}-12-31") for y in years]
    out = []
    for measure in MEASURES:
        for level in MAP_LEVELS:
            for scheme in CLASSES:
                for start, end in windows:
                    state = replace(
                        ViewState(),
                        measure=measure.id,
                        map_level=level,
                        classes=scheme,
                        date_from=start,
                        date_to=end,
                    )
                    values = present_map.map_frame(ds, state)
                    cls = map_story.map_classes(values, state)
                    z = values.loc[~values["status"].isin(("no_record", "no_reference")), "z"]
                    out.append(
                        {
                            "bins": raw_bins(z.to_numpy(dtype=float), scheme),
                            "measure": measure.id,
                            "level": level,
                            "scheme": scheme,
                            "from": start,
                            "to": end,
                            "uppers": list(cls.uppers),
                            "labels": list(cls.labels),
                        }
                    )
    return out + synthetic()


def raw_bins(values, scheme: str) -> list[float]:
    """The classifier's own bounds, before the legend rounds them."""
    import numpy as np

    from layouts.figures.classes import MAX_CLASSES, _raw_bins

    positive = values[(values > 0) & ~np.isnan(values)]
    k = min(MAX_CLASSES, len(np.unique(positive)))
    if k < 2 or k == len(np.unique(positive)):
        return []
    return [float(b) for b in _raw_bins(positive, scheme, k)]


def synthetic() -> list[dict]:
    """Larger maps than the bundled table has (past the 120-value sample of natural breaks):
    seeded counts and rates, the values kept in the file."""
    import numpy as np

    from layouts.figures.classes import classify

    rng = np.random.default_rng(23)
    out = []
    for n in (7, 40, 119, 121, 300, 2000):
        counts = np.round(rng.lognormal(1.5, 1.0, n))
        rates = np.round(rng.lognormal(0.0, 1.2, n), 3)
        for integer, values in ((True, counts), (False, rates)):
            for scheme in CLASSES:
                cls = classify(values, scheme=scheme, integer=integer)
                out.append(
                    {
                        "values": values.tolist(),
                        "integer": integer,
                        "scheme": scheme,
                        "uppers": list(cls.uppers),
                        "labels": list(cls.labels),
                    }
                )
    return out


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(cases(), f, ensure_ascii=False, indent=0)
        f.write("\n")
