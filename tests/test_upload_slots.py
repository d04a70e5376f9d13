"""The caps on concurrent uploads count every web worker's (w/jobs, issue 25 item 4): another
process holding a slot (through the same folder, or the same Redis) refuses this process's
upload from the same client, and fills the total; released, it frees the slot. Two real
processes, the real folder lock and the real Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from callbacks.intake import Intake
from data.upload_slots import FolderSlots, RedisSlots
from tests.test_uploads import _redis_server

HOLDER = """
import sys
from pathlib import Path
from data.upload_slots import FolderSlots, RedisSlots
where = sys.argv[1]
slots = RedisSlots(where) if where.startswith("redis://") else FolderSlots(Path(where))
slot, why = slots.take("198.51.100.1", 2)
print(slot is not None, flush=True)
sys.stdin.readline()  # held until the test says
slots.release(slot)
print("released", flush=True)
"""


def _check(where: str, slots) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, where], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, cwd=Path(__file__).parent.parent, env={**os.environ, "PYTHONPATH": "."},
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "True"  # the other process holds one
        intake = Intake(at_once=2, min_kbps=32, slots=slots)
        assert "another upload from you" in (intake.admit("198.51.100.1") or "")
        assert intake.admit("203.0.113.9") is None  # another client: the second slot
        assert "too many uploads at once" in (intake.admit("192.0.2.5") or "")
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        assert intake.admit("192.0.2.5") is None  # the other process's slot is free again
        intake.release("203.0.113.9")
        intake.release("192.0.2.5")
        assert intake.admit("198.51.100.1") is None
    finally:
        holder.kill()
        holder.wait(10)


def test_two_processes_share_the_caps_through_the_folder(tmp_path):
    _check(str(tmp_path / "slots"), FolderSlots(tmp_path / "slots"))


def test_two_processes_share_the_caps_through_redis(tmp_path):
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("no redis-server")
    proc, url = _redis_server(tmp_path)
    try:
        _check(url, RedisSlots(url))
    finally:
        proc.terminate()
        proc.wait(10)
