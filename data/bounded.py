"""Bounded cost per parse: a function run in a child process with a memory and a time budget.

An uploaded file is parsed in a child process (``multiprocessing``'s forkserver: a clean,
single-threaded parent for each child, with the loader already imported), whose address space is
limited (``RLIMIT_AS``: what it holds when it starts plus the budget) and whose time is limited
(it is killed past the deadline). A file that needs more ends in :class:`OverBudget` with one
clear line for the user — never a web worker killed by the kernel — and whatever the parse used
goes back to the system with the child, so the web worker's memory stays flat upload after upload.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

log = logging.getLogger("policy_atlas.bounded")
#: Modules the forkserver imports once, so each child starts with the loader ready.
PRELOAD = ["data.load", "data.uploads"]
_ctx: Any = None
ARROW_POOL = "ARROW_DEFAULT_MEMORY_POOL"


class OverBudget(Exception):
    """The parse needed more memory or time than its budget; the message is for the user."""


_lock = threading.Lock()


def _context() -> Any:
    """The forkserver context, its server started with Arrow on the system allocator (Arrow's
    own, mimalloc, reserves 1 GB of address space up front, which a limit would count)."""
    global _ctx
    with _lock:
        if _ctx is None:
            from multiprocessing import forkserver

            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            before = os.environ.get(ARROW_POOL)
            os.environ[ARROW_POOL] = "system"
            try:
                forkserver.ensure_running()
            finally:
                if before is None:
                    os.environ.pop(ARROW_POOL, None)
                else:
                    os.environ[ARROW_POOL] = before
            _ctx = ctx
    return _ctx


def _vm_size() -> int:
    """This process's address space now, in bytes (Linux), else 0."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(conn: Any, func: Callable[..., Any], args: tuple, memory: int) -> None:
    """In the child: limit the address space, run ``func(*args)``, send back what it gave."""
    if memory > 0:
        limit = _vm_size() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        out: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        out = ("memory", None)
    except Exception as exc:  # sent to the parent, which logs it with the traceback
        out = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        conn.send(out)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def run(func: Callable[..., Any], args: tuple, memory_mb: int, seconds: float) -> Any:
    """``func(*args)`` (a module-level function; arguments and result picklable) in a child
    process with ``memory_mb`` of memory and ``seconds`` of time. Raises :class:`OverBudget`
    when it needs more, ``RuntimeError`` when it failed otherwise (logged with its traceback)."""
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args, memory_mb * 2**20), daemon=True)
    t0 = time.monotonic()
    proc.start()
    child.close()
    try:
        ready = parent.poll(seconds)
        if not ready:
            raise OverBudget(f"reading the file took longer than the limit of {seconds:g} s")
        try:
            status, value = parent.recv()
        except EOFError:  # the child died without a word (the kernel, or a C library abort)
            status, value = "memory", None
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    log.info("bounded parse: %s in %.2f s (child exit %s)", status, time.monotonic() - t0,
             proc.exitcode)  # fmt: skip
    if status == "memory":
        raise OverBudget(
            f"reading the file needs more than the memory limit of {memory_mb:,} MB "
            "(POLICY_ATLAS_PARSE_MEMORY_MB); is it much larger inside than on disk?"
        )
    if status == "error":
        log.error("bounded parse failed: %s", value)
        raise RuntimeError(str(value).splitlines()[0])
    return value
