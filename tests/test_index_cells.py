"""The index of a multi-valued column (incentives, sectors) after a restart (issue 24): cells
are told apart by identity for speed, so rows that share one tuple object, equal tuples that are
separate objects, lists and missing cells must all count as their values say."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import dimensions
from data.query import _encode

SHARED = ("subsidy", "tax")


def _column() -> pd.Series:
    cells = [SHARED, SHARED, ("subsidy", "tax"), ["talent"], None, (), ("tax",), SHARED]
    cells[2] = tuple(["subsidy", "tax"])  # equal to SHARED, another object
    assert cells[2] is not SHARED
    return pd.Series(cells, dtype=object)


def test_each_row_is_marked_with_exactly_its_values() -> None:
    enc = _encode(_column(), multi=True)
    assert enc.values.tolist() == ["subsidy", "talent", "tax"]
    assert enc.matrix is not None
    marked = [tuple(enc.values[row]) for row in enc.matrix]
    assert marked == [("subsidy", "tax")] * 3 + [("talent",), (), (), ("tax",), ("subsidy", "tax")]
    assert np.bincount(enc.pairs[1], minlength=3).tolist() == [4, 1, 5]


def test_the_codes_a_table_states_are_every_cells() -> None:
    incentive = next(c for c in dimensions.CATEGORIES if c.multi)
    assert dimensions._stated(_column(), incentive) == {"subsidy", "tax", "talent"}
