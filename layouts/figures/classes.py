"""Legend classes of the map: a stepped legend instead of a continuous ramp (pure: no plotly).

The breaks are natural breaks (Fisher-Jenks, ``jenkspy``), quantiles or equal intervals (numpy),
the user's pick, computed on the positive values only: "0 under these filters" and "no recorded
policy" are legend entries of their own, never the bottom of a class. Counts get whole-number
classes ("1–2", "3–5"); rates get breaks rounded to two significant figures so a reader can
repeat them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import jenkspy
import numpy as np

from layouts.figures import style

SCHEMES = ("jenks", "quantiles", "equal")
MAX_CLASSES = 5
JENKS_MAX = 120
QUANTILE_GRID = np.linspace(0.0, 1.0, JENKS_MAX)


@dataclass(frozen=True)
class Classes:
    """``uppers``: each class's inclusive upper bound; ``labels``: what the legend prints;
    ``colors``: one per class, light to dark."""

    uppers: tuple[float, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]

    def of(self, values: np.ndarray) -> np.ndarray:
        """The class of each value: 0 for zero (or less), 1..k for the classes, -1 for NaN."""
        v = np.asarray(values, dtype=float)
        out = np.searchsorted(np.asarray(self.uppers), v, side="left") + 1
        out = np.minimum(out, max(len(self.uppers), 1))
        out = np.where(v > 0, out, 0)
        return np.where(np.isnan(v), -1, out).astype(int)


def _nice(x: float, up: bool) -> float:
    """``x`` rounded to two significant figures (up for the top bound, so the maximum is in)."""
    if x <= 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(x)))
    factor = 10.0**digits
    rounded = (math.ceil if up else round)(x * factor) / factor
    return float(rounded)


def _quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds at the k-quantiles (linear interpolation), repeated bounds merged: the
    classes mapclassify's ``Quantiles`` cut."""
    step = 100.0 / k
    pct = np.arange(step, 100 + step, step)
    pct[-1] = min(pct[-1], 100.0)
    return np.unique(np.percentile(values, pct))


def _equal_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of k intervals of equal width from the smallest to the largest value."""
    low, high = float(values.min()), float(values.max())
    width = (high - low) / k
    cuts = np.arange(low + width, high + width, width)[:k]
    cuts[-1] = high
    return cuts


def _raw_bins(positive: np.ndarray, scheme: str, k: int) -> np.ndarray:
    if scheme == "quantiles":
        return _quantile_bins(positive, k)
    if scheme == "equal":
        return _equal_bins(positive, k)
    # Fisher-Jenks is the exact, deterministic natural-breaks optimum. Its cost grows with n², so a
    # large map is summarised by 120 quantiles first. jenkspy returns the minimum, then each
    # class's upper bound.
    sample = positive if len(positive) <= JENKS_MAX else np.quantile(positive, QUANTILE_GRID)
    return np.asarray(jenkspy.jenks_breaks(sample, n_classes=k)[1:], dtype=float)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.4g}"


def classify(values: np.ndarray, *, scheme: str = "jenks", integer: bool = True) -> Classes:
    """Classes for the positive ``values`` (NaN and zeros ignored). ``integer``: counts, so every
    bound is a whole number and a class reads "3–5"."""
    v = np.asarray(values, dtype=float)
    positive = v[(v > 0) & ~np.isnan(v)]
    distinct = np.unique(positive)
    k = min(MAX_CLASSES, len(distinct))
    if k == 0:
        return Classes((), (), ())
    if k == len(distinct):
        bins = distinct
    else:
        bins = _raw_bins(positive, scheme if scheme in SCHEMES else "jenks", k)
    top = float(positive.max())
    if integer:
        uppers = sorted({float(math.ceil(b)) for b in bins} | {float(math.ceil(top))})
    else:
        uppers = sorted({_nice(float(b), up=False) for b in bins[:-1]} | {_nice(top, up=True)})
        uppers = [u for u in uppers if u > 0]
    labels = []
    lower = 0.0
    first = float(math.ceil(positive.min()))  # the first class starts at the smallest count
    for u in uppers:
        if integer:
            low = max(lower + 1, first)
            labels.append(_fmt(u) if low >= u else f"{_fmt(low)}–{_fmt(u)}")
        else:
            labels.append(f"{_fmt(lower)}–{_fmt(u)}")
        lower = u
    return Classes(tuple(uppers), tuple(labels), tuple(ramp(len(uppers))))


def ramp(k: int) -> list[str]:
    """``k`` colours from the sequential palette, light to dark, leaving its lightest step to
    "0 under these filters"."""
    if k <= 0:
        return []
    steps = [str(c) for _, c in style.SEQUENTIAL[1:]]
    if k == 1:
        return [steps[-2]]
    idx = np.linspace(0, len(steps) - 1, k).round().astype(int)
    return [steps[i] for i in idx]


def colorscale(colors: tuple[str, ...] | list[str]) -> list[list]:
    """A stepped plotly colorscale for ``z`` = class index 0..k (0 the "zero" colour)."""
    palette = [style.ZERO, *colors]
    n = len(palette)
    if n == 1:
        return [[0.0, palette[0]], [1.0, palette[0]]]
    out: list[list] = []
    for i, c in enumerate(palette):
        out.append([i / n, c])
        out.append([(i + 1) / n, c])
    out[0][0], out[-1][0] = 0.0, 1.0
    return out
