"""Receiving an upload's body without letting slow clients hold the service.

A web worker has a few threads; a client that sends its body slowly holds one for as long as it
likes. So, per worker process:

- at most ``POLICY_ATLAS_UPLOADS_AT_ONCE`` bodies are received at once (default: threads − 1, so
  one thread always answers pages and health probes), and one per client address, counted across
  every worker (``data.upload_slots``: Redis or a shared folder); the others
  are answered 429 at once with a message ("try again in a moment");
- a body slower than ``POLICY_ATLAS_UPLOAD_MIN_KBPS`` after the first ``GRACE_S`` seconds is cut
  (408, a message): a watchdog thread shuts the socket's reading side, so the worker's thread is
  back within a second whatever the client does.

A refused or cut request closes its connection (its unread body is not drained). Behind the
buffering proxy of docs/deploy/nginx.conf the app sees whole bodies only, and these limits are a
second line.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from data.upload_slots import FULL, MINE, Slots

CHUNK = 16 << 10
GRACE_S = 10.0
TICK_S = 0.25
BEAT_S = 5.0


@dataclass
class _Body:
    sock: Any
    t0: float = field(default_factory=time.monotonic)
    got: int = 0
    cut: bool = False


class Intake:
    """The upload bodies one process is receiving; with ``slots`` (``data.upload_slots``: the
    store's Redis or a shared folder) the caps count every worker's, not only this process's."""

    def __init__(self, at_once: int, min_kbps: int, slots: Slots | None = None) -> None:
        self.at_once, self.min_rate = max(1, at_once), max(1, min_kbps) * 1024
        self.lock = threading.Lock()
        self.clients: Counter[str] = Counter()
        self.bodies: dict[int, _Body] = {}
        self.watchdog: threading.Thread | None = None
        self.slots = slots
        self.held: dict[str, list[str]] = {}  # client -> the shared slots this process holds
        self.beaten = 0.0

    def admit(self, client: str) -> str | None:
        """None when a body from ``client`` may be received now (then :meth:`release` it), else
        the reason it may not."""
        if self.slots is not None:
            slot, why = self.slots.take(client, self.at_once)
            if slot is None:
                return why
            with self.lock:
                self.held.setdefault(client, []).append(slot)
                self._watch()  # it keeps the slots alive while their bodies are read
            return None
        with self.lock:
            if self.clients[client] >= 1:
                return MINE
            if sum(self.clients.values()) >= self.at_once:
                return FULL
            self.clients[client] += 1
        return None

    def release(self, client: str) -> None:
        with self.lock:
            held = self.held.get(client)
            slot = held.pop() if held else None
            if held is not None and not held:
                del self.held[client]
            if slot is None:
                self.clients[client] -= 1
                if self.clients[client] <= 0:
                    del self.clients[client]
        if slot is not None and self.slots is not None:
            self.slots.release(slot)

    def read(self, request: Any, limit: int) -> tuple[bytes | None, str | None]:
        """The body (at most ``limit`` + 1 bytes), or None and why: "slow" (cut for its rate),
        "gone" (the client went away)."""
        from werkzeug.exceptions import ClientDisconnected

        body = _Body(request.environ.get("gunicorn.socket"))
        key = id(body)
        with self.lock:
            self.bodies[key] = body
            self._watch()
        chunks: list[bytes] = []
        try:
            while body.got <= limit:
                chunk = request.stream.read(CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                body.got += len(chunk)
        except (ClientDisconnected, OSError):
            return None, "slow" if body.cut else "gone"
        finally:
            with self.lock:
                self.bodies.pop(key, None)
        expected = request.content_length
        if body.cut:
            return None, "slow"
        if expected is not None and body.got < expected and body.got <= limit:
            return None, "gone"
        return b"".join(chunks), None

    def _watch(self) -> None:
        if self.watchdog is None or not self.watchdog.is_alive():
            self.watchdog = threading.Thread(target=self._loop, name="upload-watchdog", daemon=True)
            self.watchdog.start()

    def _late(self, body: _Body, now: float) -> bool:
        """Slower than the minimum rate, counting the chunk being read."""
        return now - body.t0 > GRACE_S + (body.got + CHUNK) / self.min_rate

    def _loop(self) -> None:
        while True:
            time.sleep(TICK_S)
            now = time.monotonic()
            with self.lock:
                late = [b for b in self.bodies.values() if not b.cut and self._late(b, now)]
                for b in late:
                    b.cut = True
            for b in late:
                stop_reading(b.sock)
            if self.slots is not None and now - self.beaten > BEAT_S:
                self.beaten = now
                with self.lock:
                    held = [slot for slots in self.held.values() for slot in slots]
                with contextlib.suppress(Exception):  # a store that does not answer: they lapse
                    self.slots.beat(held)


def stop_reading(sock: Any) -> None:
    """Shut the reading side of a client's socket (gunicorn's), so a blocked read returns and the
    connection is closed after the answer instead of its unread body being drained."""
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD)


LOOPBACK = ("127.0.0.1", "::1")


def client_address(request: Any) -> str:
    """Who sends a request: its address, or behind a proxy on this host (docs/deploy/nginx.conf)
    the address the proxy saw (the last ``X-Forwarded-For`` entry, the only one it vouches for)."""
    addr = request.remote_addr or "?"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if addr in LOOPBACK and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()[:64] or addr
    return addr
