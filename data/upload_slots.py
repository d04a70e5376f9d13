"""Uploads being received, counted where every web worker sees them (w/jobs, issue 25 item 4):
the caps on concurrent uploads per client and in total hold across processes and hosts.

A slot is taken for one upload body and released when it is read; a holder refreshes its slots
(``beat``) while it reads, so the slots of a killed worker lapse after ``STALE_S``. Redis when
configured (a sorted set, changed atomically by a script), else files in a private folder
changed under a file lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import time
from pathlib import Path
from typing import Protocol

STALE_S = 30.0
MINE = "another upload from you is still being received; wait for it to finish"
FULL = "too many uploads at once right now; try again in a moment"


def client_key(client: str) -> str:
    """A client's address as slots name it (not the address itself)."""
    return hashlib.sha256(client.encode()).hexdigest()[:16]


class Slots(Protocol):
    def take(self, client: str, at_once: int) -> tuple[str | None, str | None]: ...
    def release(self, slot: str) -> None: ...
    def beat(self, slots: list[str]) -> None: ...


class FolderSlots:
    """One file per slot (``<client key>.<token>``, its mtime the last beat) in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.lock = root / ".lock"

    def take(self, client: str, at_once: int) -> tuple[str | None, str | None]:
        """(the slot, None) when ``client`` may send a body now, else (None, why not)."""
        key, now = client_key(client), time.time()
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # (swept meanwhile)
        with open(self.lock, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            live = []
            for f in self.root.iterdir():
                if f.name.startswith("."):
                    continue
                try:
                    stale = now - f.stat().st_mtime > STALE_S
                except OSError:
                    continue
                if stale:
                    with contextlib.suppress(OSError):
                        f.unlink()
                else:
                    live.append(f.name)
            if any(name.split(".")[0] == key for name in live):
                return None, MINE
            if len(live) >= at_once:
                return None, FULL
            slot = f"{key}.{secrets.token_hex(8)}"
            (self.root / slot).touch()
        return slot, None

    def release(self, slot: str) -> None:
        with contextlib.suppress(OSError):
            (self.root / os.path.basename(slot)).unlink()

    def beat(self, slots: list[str]) -> None:
        for slot in slots:
            with contextlib.suppress(OSError):
                os.utime(self.root / os.path.basename(slot))


#: KEYS[1] the set; ARGV: now, stale before, client key, at_once, slot
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, m in ipairs(live) do
  if string.sub(m, 1, string.len(ARGV[3]) + 1) == ARGV[3] .. '.' then return 'mine' end
end
if #live >= tonumber(ARGV[4]) then return 'full' end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
redis.call('EXPIRE', KEYS[1], 3600)
return 'ok'
"""


class RedisSlots:
    """The slots as members of one sorted set (score: the last beat)."""

    KEY = "policy-atlas:uploads:receiving"

    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url, socket_timeout=5)
        self.script = self.r.register_script(_TAKE)

    def take(self, client: str, at_once: int) -> tuple[str | None, str | None]:
        key, now = client_key(client), time.time()
        slot = f"{key}.{secrets.token_hex(8)}"
        said = self.script(keys=[self.KEY], args=[now, now - STALE_S, key, at_once, slot])
        said = said.decode() if isinstance(said, bytes) else str(said)
        if said == "ok":
            return slot, None
        return None, MINE if said == "mine" else FULL

    def release(self, slot: str) -> None:
        self.r.zrem(self.KEY, slot)

    def beat(self, slots: list[str]) -> None:
        if slots:
            self.r.zadd(self.KEY, dict.fromkeys(slots, time.time()), xx=True)
