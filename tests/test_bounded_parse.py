"""Bounded cost per upload (issue 25 item 4): hostile files end in a clear message within the
parse budget, never a worker killed; long cells are cut with a problem; what interrupted uploads
leave is swept; the web process's memory stays flat upload after upload. The files are made in
memory by ``tests/bombs.py``; each test runs the real parse (a child process)."""

from __future__ import annotations

import io
import os
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from data import bounded
from data import config as settings
from data.load import load_table
from data.read import ReadError, read_raw
from data.uploads import BLOB, Uploads
from tests import bombs

FIXTURES = Path(__file__).parent / "fixtures"
GBK = (FIXTURES / "messy_gbk.csv").read_bytes()


@pytest.fixture
def uploads(tmp_path) -> Uploads:
    return Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")}))


def _stored(up: Uploads) -> list[str]:
    root = up.backend.root  # type: ignore[attr-defined]
    return [p.name for p in root.iterdir() if not p.name.startswith(".")]


def _refused(up: Uploads, name: str, body: bytes, says: str) -> str:
    out = up.ingest(name, body)
    assert out.id is None and out.error and says in out.error, out.error
    assert not _stored(up)
    budget = up.config.parse_memory_mb << 20
    assert bounded.last()["peak"] <= budget  # the child stayed within its budget
    return out.error


@pytest.mark.slow
def test_an_xlsx_whose_shared_strings_expand_is_refused_within_the_budget(uploads):
    body = bombs.xlsx(200_000, 5, "x" * 5000)  # 2.4 MB on disk, 5 GB of text once read
    assert len(body) < 3 << 20
    _refused(uploads, "bomb.xlsx", body, "MB of text")


def test_an_xlsx_declaring_a_million_rows_of_16k_columns_is_refused_before_parsing(uploads):
    body = bombs.xlsx(5, 3, "x", dimension="A1:XFD1048576")
    error = _refused(uploads, "wide.xlsx", body, "16,384 columns")
    assert "POLICY_ATLAS_MAX_COLUMNS" in error


def test_an_xlsx_part_that_expands_a_thousandfold_is_refused_from_the_zip_directory(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 2_000_000)
    path = tmp_path / "zip.xlsx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError, match="expands .* times"):
        read_raw(str(path))


def test_a_parquet_dictionary_bomb_is_refused_from_its_dictionary(uploads):
    body = bombs.parquet_dictionary_bomb()  # 2 M rows × a 2,000-character value
    assert len(body) < 32 << 10
    _refused(uploads, "dict.parquet", body, "dictionary bomb")


def test_a_csv_16k_columns_wide_is_refused_from_its_header(uploads):
    body = bombs.wide_csv()
    error = _refused(uploads, "wide.csv", body, "columns; the limit is 1,000")
    assert error.startswith("wide.csv: at least")


def test_a_huge_cell_is_a_problem_and_cut_the_original_keeps_it(uploads, tmp_path):
    body = bombs.huge_cell_csv(50_000)
    path = tmp_path / "h.csv"
    path.write_bytes(body)
    res = load_table(str(path))
    assert res.fatal is None
    assert res.frame["title_zh"].str.len().max() == 10_000
    (cut,) = [p for p in res.problems if "cut to the first 10,000" in p.reason]
    assert cut.row == 2 and cut.field == "标题" and "49,998 characters" in cut.reason
    out = uploads.ingest("h.csv", body)
    blob = uploads.meta(out.id)["blob"]  # the original is kept once, as the table's blob
    assert out.id and uploads.backend.read(BLOB + blob, "raw") == body


@pytest.mark.slow
def test_a_parse_over_its_memory_budget_ends_in_a_message_not_a_killed_worker(tmp_path):
    config = settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")})
    big = GBK * (4_000_000 // len(GBK))  # about 4 MB, ~50 k rows
    small = Uploads(replace(config, parse_memory_mb=40))
    out = small.ingest("big.csv", big)
    assert out.id is None and "memory limit of 40 MB" in out.error
    assert Uploads(config).ingest("big.csv", big).id  # the default budget reads it


def test_a_parse_over_its_time_limit_is_stopped(tmp_path):
    config = settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")})
    out = Uploads(replace(config, parse_seconds=0.05)).ingest("a.csv", GBK)
    assert out.id is None and "longer than the limit of 0.05 s" in out.error


def test_files_left_by_interrupted_uploads_are_removed_at_start_and_by_the_sweep(tmp_path):
    config = settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")})
    up = Uploads(config)
    incoming, root = Path(config.data_dir) / "incoming", up.backend.root  # type: ignore[attr-defined]
    old, fresh = incoming / "tmpold.csv", incoming / "tmpnew.csv"
    half = root / ".incoming-dead"
    for f in (old, fresh):
        f.write_bytes(b"x" * 1000)
    half.mkdir()
    (half / "raw").write_bytes(b"x")
    hour_ago = time.time() - 7200
    for p in (old, half):
        os.utime(p, (hour_ago, hour_ago))
    Uploads(config)  # a worker starting
    assert not old.exists() and not half.exists() and fresh.exists()
    os.utime(fresh, (hour_ago, hour_ago))
    up.prune()  # the retention sweep
    assert not fresh.exists()


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
def test_the_web_process_memory_stays_flat_over_uploads(uploads):
    """The frame is built in the child: the web process holds the file and the stored bytes
    only while it answers (measured: RSS after the 6th upload within 10 % of after the 1st)."""
    big = GBK * (3_000_000 // len(GBK))
    sizes = []
    for i in range(6):
        out = uploads.ingest(f"t{i}.csv", big + f"\n标题{i},2020,广东省\n".encode("gb18030"))
        assert out.id, out.error
        sizes.append(_rss())
    assert sizes[-1] <= sizes[0] * 1.10, [s >> 20 for s in sizes]
