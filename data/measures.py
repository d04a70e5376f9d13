"""The map measures: what colours a region, defined once.

Each :class:`Measure` says what it is called, which map levels allow it (population and GDP figures
exist for provinces only), which reference figure divides the count, and the note the legend
carries (the reference year). ``effective`` is the one rule for which measure a map actually shows;
``values`` computes it. The page's measure menu, the URL, the query and the legend loop over
``MEASURES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.schema import Label

#: The reference figures (population, GDP) the measures divide by.
REFERENCE_DIR = Path(__file__).parent / "reference"
#: GDP years of ``data/reference/gdp.csv`` (a test checks the file has each).
GDP_YEARS: tuple[int, ...] = (2020, 2023)


@dataclass(frozen=True)
class Measure:
    """``divisor`` (per-region denominator) is ``None`` for a count or a share; ``per`` the size
    of the unit the count is taken per (10 million residents, 100 billion yuan); ``integer``:
    whole numbers (a count), else a rate. The map frame carries the measure it shows
    (``query.region_counts``: ``frame.attrs["measure"]``)."""

    id: str
    name: Label
    levels: tuple[str, ...] = ("province", "city")
    divisor: str | None = None
    per: float = 1.0
    integer: bool = False

    def note(self, lang: str, gdp_year: int) -> str:
        """The reference the legend names ("" when there is none)."""
        if self.divisor == "population":
            return "人口：2020 年人口普查" if lang == "zh" else "population: 2020 census"
        if self.divisor == "gdp":
            return f"GDP：{gdp_year} 年" if lang == "zh" else f"GDP: {gdp_year}"
        return ""

    def allowed(self, map_level: str) -> bool:
        return map_level in self.levels

    def format(self, z: float) -> str:
        """A value as a label or a ranking bar says it: 1,234 · 12.5% · 0.37 · 42."""
        if self.integer:
            return f"{int(round(z)):,}"
        if self.id == "share":
            return f"{z:.1f}%"
        return f"{z:.2g}" if z < 10 else f"{z:,.0f}"


MEASURES: tuple[Measure, ...] = (
    Measure("count", Label("Policy count", "政策数"), integer=True),
    Measure("share", Label("Share of the policies on the map (%)", "占地图所示政策的比例 (%)")),
    Measure(
        "per_pop",
        Label("Policies per 10 million residents", "每千万常住人口政策数"),
        levels=("province",),
        divisor="population",
        per=1e7,
    ),
    Measure(
        "per_gdp",
        Label("Policies per 100 billion yuan of GDP", "每千亿元GDP政策数"),
        levels=("province",),
        divisor="gdp",
        per=1000.0,  # GDP is in 100 million yuan: 1,000 of them are 100 billion
    ),
)
MEASURE: dict[str, Measure] = {m.id: m for m in MEASURES}
DEFAULT = "count"

# A region's status on the map (``query.region_counts``): no row of the whole table names it, the
# filters leave none of its rows, it has a value; or (a measure that divides) no reference figure.
NO_RECORD, ZERO, VALUE, NO_REFERENCE = "no_record", "zero", "value", "no_reference"
#: the statuses drawn in the neutral grey, outside the colour scale
GREY: tuple[str, ...] = (NO_RECORD, NO_REFERENCE)


def effective(measure: str, map_level: str, has_reference: bool = True) -> Measure:
    """The measure a map of ``map_level`` shows when ``measure`` is asked for: a measure that needs
    reference figures falls back to the count where there are none."""
    m = MEASURE.get(measure, MEASURE[DEFAULT])
    if not m.allowed(map_level) or (m.divisor and not has_reference):
        return MEASURE[DEFAULT]
    return m


def values(
    measure: Measure,
    counts: np.ndarray,
    adcodes: np.ndarray,
    reference: pd.DataFrame | None,
    gdp_year: int,
) -> np.ndarray:
    """The measure for each region (NaN where a reference figure is missing)."""
    counts = np.asarray(counts, dtype=float)
    if measure.id == "share":
        total = counts.sum()
        return counts / total * 100 if total else counts * 0.0
    if measure.divisor is None or reference is None:
        return counts
    ref = reference.set_index("adcode").reindex(adcodes)
    column = "population" if measure.divisor == "population" else f"gdp_{gdp_year}"
    denom = ref[column].to_numpy(dtype=float) / measure.per
    with np.errstate(divide="ignore", invalid="ignore"):
        return counts / denom


def load_reference() -> pd.DataFrame:
    """Province population (2020 census) and GDP (2020, 2023; 100 million yuan) by adcode."""
    pop = pd.read_csv(REFERENCE_DIR / "population.csv", dtype={"adcode": str})
    gdp = pd.read_csv(REFERENCE_DIR / "gdp.csv", dtype={"adcode": str})
    wide = gdp.pivot(index="adcode", columns="year", values="gdp_100m_yuan")
    wide.columns = [f"gdp_{c}" for c in wide.columns]
    out = pop[["adcode", "population"]].merge(wide, left_on="adcode", right_index=True, how="left")
    return out.reset_index(drop=True)
