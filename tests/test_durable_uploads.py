"""Shared tables survive a Redis restart: with ``REDIS_URL`` the upload store writes through to
the data folder, reads back what a restarted Redis lost, and every Redis key it writes expires
with the age limit. On Debian's real redis-server, stopped and started again on the same port
without persistence (``--save "" --appendonly no``), so a restart empties it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from data import config as settings
from data.storage import RedisBackend
from data.uploads import Uploads

FIXTURES = Path(__file__).parent / "fixtures"
GBK = (FIXTURES / "messy_gbk.csv").read_bytes()
DAYS = 3  # the age limit the tests set (not the default, so a default TTL would show)
AGE_S = DAYS * 86400
SERVER = "/usr/bin/redis-server"

pytestmark = pytest.mark.skipif(not os.path.exists(SERVER), reason="no redis-server")


class Redis:
    """redis-server on one loopback port, no persistence, that a test can restart."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder, self.url = folder, f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        import redis

        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        args += ["--save", "", "--appendonly", "no"]  # no persistence: a restart empties it
        self.proc = subprocess.Popen([SERVER, *args], stdout=subprocess.DEVNULL)
        for _ in range(200):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def server(tmp_path) -> Iterator[Redis]:
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    srv = Redis(redis_dir)
    try:
        yield srv
    finally:
        srv.stop()


def open_store(tmp_path: Path, server: Redis) -> Uploads:
    env = {
        "POLICY_ATLAS_HOME": str(tmp_path / "home"),
        "REDIS_URL": server.url,
        "POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS": str(DAYS),
    }
    up = Uploads(settings.load(env))
    assert isinstance(up.backend, RedisBackend)
    return up


def keys_and_ttls(up: Uploads) -> dict[str, int]:
    """Every key the upload store has in Redis and its time to live (-1: none)."""
    r = up.backend.r  # type: ignore[attr-defined]
    prefixes = ("policy-atlas:upload:", "policy-atlas:uploads:", "policy-atlas:gone:")
    return {
        k.decode(): r.ttl(k)
        for k in r.scan_iter("policy-atlas:*")
        if k.decode().startswith(prefixes)
    }


def assert_all_expire(up: Uploads) -> dict[str, int]:
    ttls = keys_and_ttls(up)
    assert ttls, "the store wrote no key"
    wrong = {k: t for k, t in ttls.items() if not 0 < t <= AGE_S}
    assert not wrong, f"keys without an expiry within the age limit ({AGE_S} s): {wrong}"
    return ttls


def set_last_use(up: Uploads, table_id: str, when: float) -> None:
    """Move ``table_id``'s last use back in time, in Redis and in the folder."""
    backend = up.backend
    assert isinstance(backend, RedisBackend)
    backend.r.zadd(backend.USED, {table_id: when})
    os.utime(backend.disk.root / table_id, (when, when))


def test_a_link_opens_after_a_redis_restart_and_its_owner_can_remove_it(tmp_path, server):
    up = open_store(tmp_path, server)
    out = up.ingest("我的表.csv", GBK)
    assert out.id and out.owner and out.error is None
    before = up.dataset(out.id)
    assert before is not None and before.rows == 12
    ttls = assert_all_expire(up)
    kinds = {k.rsplit(":", 1)[0] + ":" + ("blob" if "blob-" in k else "") for k in ttls}
    assert {"policy-atlas:upload:", "policy-atlas:upload:blob", "policy-atlas:uploads:"} <= kinds

    server.restart()
    assert up.backend.r.dbsize() == 0  # type: ignore[attr-defined]  # the restart lost it all
    for store in (up, open_store(tmp_path, server)):  # a running worker, a worker started now
        after = store.dataset(out.id)
        assert after is not None and after.label == "我的表.csv"
        assert after.frame.equals(before.frame)
    assert_all_expire(up)  # what was read back into Redis expires too

    assert up.remove(out.id, None) == "forbidden" and up.dataset(out.id) is not None
    assert up.remove(out.id, out.owner) == "removed"
    assert up.dataset(out.id) is None and up.why_gone(out.id) == "removed"
    assert "policy-atlas:gone:" + out.id in assert_all_expire(up)
    server.restart()  # a removed table does not come back, and still says why
    assert up.dataset(out.id) is None and up.why_gone(out.id) == "removed"


def test_an_expired_table_stays_expired_after_a_redis_restart(tmp_path, server):
    up = open_store(tmp_path, server)
    old, kept, fresh = (up.ingest(f"t{i}.csv", GBK) for i in range(3))
    assert old.id and kept.id and fresh.id
    assert up.pin(kept.id, kept.owner) == "pinned"
    long_ago = time.time() - (DAYS + 1) * 86400
    for table in (old, kept):
        set_last_use(up, str(table.id), long_ago)

    server.restart()  # before any sweep: the folder's last use decides
    assert up.dataset(old.id) is None and up.why_gone(old.id) == "expired"
    assert not (up.backend.disk.root / old.id).exists()  # type: ignore[attr-defined]
    pinned = up.dataset(kept.id)  # unused past the limit, but pinned: kept
    assert pinned is not None and pinned.rows == 12
    assert up.dataset(fresh.id) is not None
    assert_all_expire(up)  # the pinned table's keys too

    server.restart()  # the tombstone is on disk too
    assert up.dataset(old.id) is None and up.why_gone(old.id) == "expired"


def test_opening_a_link_counts_as_use_after_a_redis_restart(tmp_path, server):
    """The last use is kept in the folder too: a table opened (a Redis hit) two days into a
    three-day limit is not expired by a Redis restart that lost its Redis last use."""
    up = open_store(tmp_path, server)
    out = up.ingest("a.csv", GBK)
    assert out.id
    set_last_use(up, out.id, time.time() - 2 * 86400)
    assert up.dataset(out.id) is not None  # opened now
    server.restart()
    used = up.backend.used(out.id)
    assert used is not None and time.time() - used < 600
    assert up.dataset(out.id) is not None and up.why_gone(out.id) is None
