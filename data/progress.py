"""How far a parse has got, for the page: a small JSON file the parse's child process rewrites
(at most every ``EVERY_S`` seconds) and the upload job reads.

``start(path)`` in the child; ``report(stage, rows=...)`` from the readers and the loader (a
no-op when no parse is being watched, e.g. ``--data`` and ``--check``); ``read(path)`` in the job.
Stages: "reading" (rows read so far), "checking" (rows read, being placed and checked),
"storing".
"""

from __future__ import annotations

import contextlib
import json
import os
import time

EVERY_S = 0.25
STAGES = ("reading", "checking", "storing")
_state: dict = {"path": None, "at": 0.0, "bytes": 0}


def start(path: str | None, size: int = 0) -> None:
    """Report this process's parse into ``path`` (None: stop); ``size``: the file's bytes."""
    _state.update(path=path, at=0.0, bytes=size)
    report("reading", rows=0, force=True)


def report(stage: str, rows: int = 0, force: bool = False) -> None:
    """The parse is at ``stage`` with ``rows`` rows read (written at most every ``EVERY_S``)."""
    path = _state["path"]
    if path is None:
        return
    now = time.monotonic()
    if not force and now - _state["at"] < EVERY_S:
        return
    _state["at"] = now
    body = json.dumps({"stage": stage, "rows": int(rows), "bytes": _state["bytes"]})
    with contextlib.suppress(OSError):
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(body)
        os.replace(tmp, path)  # a reader sees the old or the new, never half


def read(path: str) -> dict | None:
    """The last report written into ``path`` (None: none yet)."""
    try:
        with open(path, encoding="ascii") as f:
            found = json.load(f)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and found.get("stage") in STAGES else None
