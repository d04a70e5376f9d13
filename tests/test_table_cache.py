"""The parsed-table cache of --data tables (data.table_cache) and the categorical columns."""

from __future__ import annotations

import io
import logging
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data import export_tables, load, query, storage, table, table_cache
from data.dataset import Dataset
from data.dimensions import CATEGORIES
from data.loaders import load_dataset
from data.state import ViewState

FIXTURES = Path(__file__).parent / "fixtures"
# A table with problems the check report lists: an unknown province, a bad date, a bad amount.
MESSY = """标题,发布日期,省份,城市,金额
区块链产业发展行动计划,2020-05-01,广东省,深圳市,100万元
数字经济若干措施,2021-13-45,广东省,广州市,
区块链试点方案,2019-07,火星省,,很多钱
"""


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = tmp_path / "messy.csv"
    path.write_text(MESSY, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "tables"


def _entries(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if not p.name.startswith(".")]


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second load must not parse: fail loudly if it tries."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed again instead of read from the cache")

    monkeypatch.setattr(table_cache, "load_table", refuse)


def test_a_second_load_reads_the_cache_with_the_same_frame_and_problems(messy, root, monkeypatch):
    first = table_cache.load_cached(messy, None, root)
    assert first.ok and len(first.problems) >= 3
    assert len(_entries(root)) == 1
    _no_parse(monkeypatch)
    second = table_cache.load_cached(messy, None, root)
    pd.testing.assert_frame_equal(second.frame, first.frame)
    assert second.problems == first.problems  # the check report survives the cache
    assert (second.notes, second.columns, second.encoding) == (
        first.notes,
        first.columns,
        first.encoding,
    )
    assert [p.field for p in second.problems if "火星" in p.value] == ["省份"]


def test_the_cache_folder_is_private(messy, root):
    table_cache.load_cached(messy, None, root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for entry in _entries(root):
        assert stat.S_IMODE(entry.stat().st_mode) == 0o700


def test_a_changed_file_is_parsed_again(messy, root):
    first = table_cache.load_cached(messy, None, root)
    messy.write_text(MESSY + "另一项政策,2022-01-01,江苏省,南京市,\n", encoding="utf-8")
    second = table_cache.load_cached(messy, None, root)
    assert len(second.frame) == len(first.frame) + 1
    assert "南京市" in set(second.frame["city_zh"].dropna())


def test_a_file_edited_in_place_is_parsed_again_though_its_digest_is_remembered(
    messy, root, monkeypatch
):
    # a restart skips hashing a file whose stat is unchanged; an edit that keeps the size and
    # puts the modification time back still changes the file's ctime: never a stale table
    monkeypatch.setattr(table_cache, "_SETTLED_NS", 0)  # remember even a file written just now
    first = table_cache.load_cached(messy, None, root)
    assert (root / ".digests.json").is_file()
    before = messy.stat()
    text = MESSY.replace("火星", "江苏")
    assert len(text.encode()) == len(MESSY.encode())
    messy.write_text(text, encoding="utf-8")
    os.utime(messy, ns=(before.st_atime_ns, before.st_mtime_ns))
    second = table_cache.load_cached(messy, None, root)
    assert [p for p in first.problems if "火星" in p.value]
    assert not [p for p in second.problems if "火星" in p.value]


def test_an_unchanged_file_is_not_read_again_on_a_restart(messy, root, monkeypatch):
    monkeypatch.setattr(table_cache, "_SETTLED_NS", 0)
    first = table_cache.load_cached(messy, None, root)
    real_open = open

    def no_read(path, *args, **kwargs):
        assert Path(path) != messy, "the unchanged file was read again to hash it"
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_read)
    second = table_cache.load_cached(messy, None, root)
    pd.testing.assert_frame_equal(second.frame, first.frame)


def test_a_changed_loader_is_parsed_again(messy, root, monkeypatch):
    table_cache.load_cached(messy, None, root)
    monkeypatch.setattr(table_cache, "LOADER_VERSION", table_cache.LOADER_VERSION + "-next")
    table_cache.loader_version.cache_clear()
    calls = []
    real = table_cache.load_table
    monkeypatch.setattr(
        table_cache, "load_table", lambda *a, **kw: calls.append(a) or real(*a, **kw)
    )
    try:
        again = table_cache.load_cached(messy, None, root)
    finally:
        table_cache.loader_version.cache_clear()
    assert calls and again.ok
    assert len(_entries(root)) == 2


@pytest.mark.parametrize("part", ["frame", "meta"])
def test_a_corrupt_entry_is_parsed_again_with_one_log_line(messy, root, part, caplog):
    first = table_cache.load_cached(messy, None, root)
    (entry,) = _entries(root)
    (entry / part).write_bytes(b"PAR1 not really parquet {")
    with caplog.at_level(logging.WARNING, logger="policy_atlas.table_cache"):
        again = table_cache.load_cached(messy, None, root)
    pd.testing.assert_frame_equal(again.frame, first.frame)
    assert again.problems == first.problems
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "parsing the file again" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # a line, not a traceback
    third = table_cache.load_cached(messy, None, root)  # the entry was written again
    pd.testing.assert_frame_equal(third.frame, first.frame)


def test_an_unusable_cache_folder_never_stops_the_load(messy, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="policy_atlas.table_cache"):
        result = table_cache.load_cached(messy, None, blocker / "tables")
    assert result.ok and len(result.frame) == 3
    assert any("cache off" in r.getMessage() for r in caplog.records)


def test_a_fatal_file_is_not_cached_and_says_why(root):
    result = table_cache.load_cached(FIXTURES / "no_title.csv", None, root)
    assert result.fatal and "title" in result.fatal
    assert _entries(root) == []


def test_load_dataset_with_a_cache_matches_the_uncached_load(tmp_path):
    source = tmp_path / "bundled.csv"
    shutil.copy(load.BUNDLED, source)
    plain = load_dataset(str(source), cache=False)
    cold = load_dataset(str(source), cache=tmp_path / "c")
    warm = load_dataset(str(source), cache=tmp_path / "c")
    for ds in (cold, warm):
        pd.testing.assert_frame_equal(ds.frame, plain.frame)
        pd.testing.assert_frame_equal(ds.pilots, plain.pilots)
        assert ds.problems == plain.problems


def test_tuple_columns_come_back_as_tuples_also_with_odd_labels():
    frame = pd.DataFrame(
        {
            "incentives": [("subsidy",), (), ("a\x1fb", "c"), ("subsidy",)],
            "sectors": [(), ("finance",), ("finance", "energy"), ()],
            "level": pd.Categorical(["city", None, "national", "city"]),
        }
    )
    back = storage.read_frame(storage.frame_bytes(frame))
    pd.testing.assert_frame_equal(back, frame)
    plain = frame.drop(columns="incentives")
    back = storage.read_frame(storage.frame_bytes(plain))
    assert back["sectors"].tolist() == plain["sectors"].tolist()
    assert back["sectors"].iloc[0] is back["sectors"].iloc[3]  # one tuple per distinct value


# ------------------------------------------------------------------------- categorical columns
def _as_text(ds: Dataset) -> Dataset:
    """The same table with every categorical column as plain text (the loader before)."""
    frame = ds.frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype("str")
    return Dataset(frame=frame, pilots=ds.pilots, label=ds.label, as_of=ds.as_of)


def test_repeated_text_columns_are_categorical(bundled):
    for col in ("level", "province_adcode", "city_zh", "issuer_zh", "stance", "placed"):
        assert isinstance(bundled.frame[col].dtype, pd.CategoricalDtype), col
    assert bundled.frame["title_zh"].dtype == "str"


VIEWS = [
    ViewState(lang="en"),
    ViewState(region=("440000",), lang="zh"),
    ViewState.of(incentive=("subsidy",), date_from="2019-01-01", lang="en"),
    ViewState.of(level=("city", "district"), stance=("support",), lang="zh"),
    ViewState(text="区块链", map_level="city", lang="en"),
]


@pytest.mark.parametrize("state", VIEWS, ids=range(len(VIEWS)))
def test_queries_read_the_same_from_categorical_columns(bundled, state):
    text = _as_text(bundled)
    assert query.summary(bundled.index, state) == query.summary(text.index, state)
    for c in CATEGORIES:
        pd.testing.assert_frame_equal(
            query.breakdown(bundled.index, state, c.id), query.breakdown(text.index, state, c.id)
        )
    regions = bundled.regions("province")
    pd.testing.assert_frame_equal(
        query.region_counts(bundled.index, state, regions),
        query.region_counts(text.index, state, regions),
    )
    pd.testing.assert_frame_equal(
        query.selected_rows(bundled.index, state).reset_index(drop=True).astype("object"),
        query.selected_rows(text.index, state).reset_index(drop=True).astype("object"),
    )


SORTS = ["place", "level", "issuer", "type", "stance", "source", "placed", "title_zh", "date"]


@pytest.mark.parametrize("col", SORTS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_grid_sorts_and_filters_the_same_on_categorical_columns(bundled, col, direction):
    text = _as_text(bundled)
    for lang in ("zh", "en"):
        state = ViewState(lang=lang)
        sort = [{"colId": col, "sort": direction}]
        filters = {"issuer": {"filterType": "text", "type": "contains", "filter": "政府"}}
        for kw in ({"sort_model": sort}, {"sort_model": sort, "filter_model": filters}):
            ours = table.block(bundled.index, state, bundled.name_of, 0, 500, **kw)
            before = table.block(text.index, state, text.name_of, 0, 500, **kw)
            assert ours == before


def test_exports_and_csv_twins_are_the_same_from_categorical_columns(bundled):
    text = _as_text(bundled)
    state = ViewState(region=("440000", "320000"), lang="en")
    ours = export_tables.export_frame(query.selected_rows(bundled.index, state), "en")
    before = export_tables.export_frame(query.selected_rows(text.index, state), "en")
    pd.testing.assert_frame_equal(ours, before)
    assert export_tables.to_csv_bytes(ours) == export_tables.to_csv_bytes(before)
    assert export_tables.to_xlsx_bytes(ours) != b""


def test_a_frame_written_in_several_row_groups_reads_back_the_same(bundled, monkeypatch):
    monkeypatch.setattr(storage, "WRITE_ROWS", 50)  # 181 rows: four row groups
    body = storage.frame_bytes(bundled.frame)
    assert pq.ParquetFile(io.BytesIO(body)).metadata.num_row_groups == 4
    pd.testing.assert_frame_equal(storage.read_frame(body), bundled.frame)


def test_every_row_sourced_reads_the_categorical_source(bundled):
    assert bundled.every_row_sourced
    frame = bundled.frame.copy()
    frame["source"] = frame["source"].cat.add_categories(["  "])
    frame.loc[frame.index[3], "source"] = "  "
    other = Dataset(frame=frame, pilots=bundled.pilots, label="t", as_of="2026-01-01")
    assert not other.every_row_sourced
    frame.loc[frame.index[3], "source"] = None
    assert not Dataset(frame=frame, pilots=bundled.pilots, label="t", as_of="x").every_row_sourced


def test_a_missing_file_is_the_loaders_one_message_not_a_cache_warning(tmp_path, root, caplog):
    with caplog.at_level(logging.WARNING, logger="policy_atlas.table_cache"):
        result = table_cache.load_cached(tmp_path / "nope.csv", None, root)
    assert result.fatal and "no such file" in result.fatal
    assert caplog.records == []


# ------------------------------------------------------------------------- the cache's Arrow file
def _file_round_trip(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    storage.write_frame_file(frame, path)
    return storage.read_frame_file(path)


def test_the_cache_keeps_the_frame_as_an_arrow_file_read_back_the_same(messy, root):
    first = table_cache.load_cached(messy, None, root)
    (entry,) = _entries(root)
    with pa.ipc.open_file(pa.memory_map(str(entry / "frame"))) as reader:  # not Parquet
        assert reader.num_record_batches >= 1
    back = storage.read_frame_file(entry / "frame")
    pd.testing.assert_frame_equal(back, first.frame)


def test_the_bundled_frame_in_several_batches_reads_back_the_same(bundled, monkeypatch, tmp_path):
    monkeypatch.setattr(storage, "WRITE_ROWS", 50)  # 181 rows: four record batches
    path = tmp_path / "frame"
    back = _file_round_trip(bundled.frame, path)
    with pa.ipc.open_file(pa.memory_map(str(path))) as reader:
        assert reader.num_record_batches == 4
    pd.testing.assert_frame_equal(back, bundled.frame)
    assert back["incentives"].tolist() == bundled.frame["incentives"].tolist()


@pytest.mark.parametrize(
    "odd",
    [("a\x1fb", "c"), ("",), ("x", "")],  # the separator, an empty label: kept as lists
)
def test_tuple_columns_come_back_from_the_file_as_tuples_also_with_odd_labels(odd, tmp_path):
    frame = pd.DataFrame(
        {
            "incentives": [("subsidy",), (), odd, ("subsidy",)],
            "sectors": [(), ("finance",), ("finance", "energy"), ()],
            "level": pd.Categorical(["city", None, "national", "city"]),
            "title_en": pd.Series(["A", None, "", "B"], dtype="str"),
        }
    )
    back = _file_round_trip(frame, tmp_path / "frame")
    pd.testing.assert_frame_equal(back, frame)
    assert back["incentives"].iloc[2] == odd
    assert back["sectors"].iloc[0] is back["sectors"].iloc[3]  # one tuple per distinct value


def test_a_table_without_rows_reads_back_from_the_file(tmp_path):
    frame = pd.DataFrame(
        {"incentives": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}
    )
    back = _file_round_trip(frame, tmp_path / "frame")
    assert len(back) == 0 and list(back.columns) == ["incentives", "n"]


def test_a_part_that_fails_to_write_leaves_no_entry(tmp_path):
    backend = storage.FolderBackend(tmp_path / "t")

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        backend.save("a" * 64, {"meta": b"{}", "frame": broken})
    assert not backend.exists("a" * 64)
    assert list((tmp_path / "t").iterdir()) == []  # no temporary folder left behind
