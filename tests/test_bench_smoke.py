"""The benchmark's pieces work at 1 k rows: the SYNTHETIC generator and the server-time helper.
No timing assertions (timing goals live in ``make bench``)."""

from __future__ import annotations

import pandas as pd
import pytest

from callbacks.service import context
from data.dataset import DatasetStore
from data.load import load_table
from data.loaders import load_dataset
from tests.bench import synth
from tests.bench.run import KINDS, server_times


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    old = synth.BENCH_DIR
    synth.BENCH_DIR = folder
    try:
        yield synth.write_table(1000, seed=7, fmt="csv")
    finally:
        synth.BENCH_DIR = old


def test_labelled_synthetic(table):
    assert "SYNTHETIC" in table.name
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    assert len(df) == 1000
    assert df["policy_id"].str.startswith("SYN").all()
    assert df["title_en"].str.startswith("[SYNTHETIC]").all()
    assert (df["source"] == synth.SOURCE).all()
    assert synth.BENCH_DIR.name != "data"


def test_deterministic_for_a_seed():
    a, b = synth.generate(500, seed=3), synth.generate(500, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert not synth.generate(500, seed=4).equals(a)


def test_loads_with_every_place_resolved(table):
    result = load_table(table)
    assert result.fatal is None
    frame = result.frame
    assert len(frame) == 1000
    assert not (frame["placed"] == "unplaced").any()
    assert not [p for p in result.problems if p.severity == "error"]
    assert set(frame["placed"]) <= {"national", "province", "city", "district"}
    assert frame["province_adcode"].notna().sum() > 500  # places drawn from the gazetteer
    assert frame["date"].dropna().dt.year.between(2016, 2025).all()


@pytest.mark.slow  # times the server over many requests
def test_server_time_helper_returns_sane_numbers(table):
    before = context._store
    context.serve(DatasetStore(load_dataset(str(table))))
    try:
        res = server_times(reps=3, warm=1)
    finally:
        if before is not None:
            context.serve(before)
    assert set(res) == set(KINDS)
    for figures in res.values():
        assert figures["n"] == 3
        assert 0 < figures["median_ms"] <= figures["p95_ms"]
        assert figures["bytes"] > figures["rowdata_bytes"] >= 0
