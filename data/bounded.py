"""Bounded cost per parse: a function run in a child process with a memory and a time budget.

An uploaded file is parsed in a child process (``multiprocessing``'s forkserver: a clean,
single-threaded parent for each child, with the loader already imported), whose address space is
limited (``RLIMIT_AS``: what it holds when it starts plus the budget) and whose time is limited
(it is killed past the deadline). A file that needs more ends in :class:`OverBudget` with one
clear line for the user — never a web worker killed by the kernel — and whatever the parse used
goes back to the system with the child, so the web worker's memory stays flat upload after upload.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

log = logging.getLogger("policy_atlas.bounded")
#: Modules the forkserver imports once, so each child starts with the loader ready.
#: (What a parse imports lazily is mapped before the limit: a library mapped past it fails.)
PRELOAD = ["data.load", "data.uploads", "pyarrow.parquet", "pyarrow.compute", "openpyxl",
           "charset_normalizer", "geodata.resolver"]  # fmt: skip
_ctx: Any = None
ARROW_POOL = "ARROW_DEFAULT_MEMORY_POOL"
#: The last parse of this process: its child's peak resident memory (bytes) and seconds.
_last: dict[str, float] = {"peak": 0, "seconds": 0.0}


def last() -> dict[str, float]:
    """The last bounded run of this process: ``peak`` resident bytes of its child, ``seconds``."""
    return dict(_last)


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


def _statm(field: int) -> int:
    """A field of ``/proc/self/statm`` in bytes (0: address space, 1: resident), else 0."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _orphaned(parent: int, leftovers: tuple[str, ...]) -> None:
    """In the child: end it (removing ``leftovers``, its input files) as soon as ``parent``, the
    process that waits for its answer, is gone (killed mid-job): no parse runs for nobody, and
    no temporary file stays behind."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            for path in leftovers:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            os._exit(3)
        except OSError:
            pass


def _child(
    conn: Any, func: Callable[..., Any], args: tuple, memory: int, watch: dict | None = None
) -> None:
    """In the child: limit the address space, run ``func(*args)``, send back what it gave.
    ``watch``: ``parent`` (pid), ``files`` (removed if it dies), ``progress`` (a file for
    ``data.progress``), ``size`` and ``seconds`` (the child also ends itself past its time)."""
    watch = watch or {}
    if watch.get("parent"):
        threading.Thread(
            target=_orphaned, args=(watch["parent"], tuple(watch.get("files", ()))), daemon=True
        ).start()  # before the limit: a thread's stack is address space
    if watch.get("seconds"):
        signal.alarm(int(watch["seconds"]) + 5)  # its parent kills it first; this if it is gone
    if watch.get("progress"):
        from data import progress

        progress.start(watch["progress"], int(watch.get("size", 0)))
    start = _statm(1)
    if memory > 0:
        limit = _statm(0) + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        out: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        out = ("memory", None)
    except ImportError as exc:  # a library that could not be mapped within the limit
        out = ("memory" if "map" in str(exc) else "error", str(exc))
    except Exception as exc:  # sent to the parent, which logs it with the traceback
        out = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # bytes (Linux: KB)
    if memory > 0 and out[0] == "ok" and peak - start > memory:
        # The address-space limit is the hard stop, but memory reserved before the limit was
        # set (an allocator's arenas) does not count against it: the growth of what the parse
        # held is the budget's second check, so an over-budget parse never passes.
        out = ("memory", None)
    try:
        conn.send((*out, peak))
    except MemoryError:
        conn.send(("memory", None, peak))
    finally:
        conn.close()


TICK_S = 0.5


@contextlib.contextmanager
def _may_have_children() -> Any:
    """A Celery worker's pool process (billiard's) is marked daemonic, and multiprocessing
    refuses children to daemonic processes (lest they be orphaned): the parse's child is always
    killed and joined by :func:`run` (and ends itself when its parent is gone:
    :func:`_orphaned`), so it may; its key is given as multiprocessing's own."""
    config = getattr(multiprocessing.current_process(), "_config", {})
    saved = {k: config[k] for k in ("daemon", "authkey") if k in config}
    config["daemon"] = False
    if "authkey" in config:  # billiard's key refuses to be sent to multiprocessing's server
        from multiprocessing.process import AuthenticationString  # type: ignore[attr-defined]

        config["authkey"] = AuthenticationString(bytes(config["authkey"]))
    try:
        yield
    finally:
        config.update(saved)
        if "daemon" not in saved:
            config.pop("daemon", None)


def _wait(conn: Any, deadline: float, on_tick: Callable[[], None] | None) -> bool:
    """Whether ``conn`` has the child's answer before ``deadline``, calling ``on_tick`` between
    looks."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return bool(conn.poll(0))
        if conn.poll(min(left, TICK_S) if on_tick else left):
            return True
        if on_tick is not None:
            on_tick()


def run(
    func: Callable[..., Any],
    args: tuple,
    memory_mb: int,
    seconds: float,
    watch: dict | None = None,
    on_tick: Callable[[], None] | None = None,
) -> Any:
    """``func(*args)`` (a module-level function; arguments and result picklable) in a child
    process with ``memory_mb`` of memory and ``seconds`` of time. Raises :class:`OverBudget`
    when it needs more, ``RuntimeError`` when it failed otherwise (logged with its traceback).
    ``watch``: see :func:`_child` (this process is its ``parent``); ``on_tick``: called about
    every ``TICK_S`` while the child runs (a job reporting its progress)."""
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    watch = {**(watch or {}), "parent": os.getpid(), "seconds": seconds}
    t0 = time.monotonic()
    with _may_have_children():  # (the process copies its parent's settings when made)
        proc = ctx.Process(
            target=_child, args=(child, func, args, memory_mb * 2**20, watch), daemon=True
        )
        proc.start()
    child.close()
    try:
        ready = _wait(parent, t0 + seconds, on_tick)
        if not ready:
            raise OverBudget(f"reading the file took longer than the limit of {seconds:g} s")
        try:
            status, value, peak = parent.recv()
        except EOFError:  # the child died without a word: see how, below
            status, value, peak = "died", None, 0
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if status == "died":  # killed (the kernel's OOM killer) or aborted (a C++ bad_alloc)
        # (glibc exits 127 when a new thread's memory cannot be had)
        signals = (-signal.SIGKILL, -signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, 127)
        status = "memory" if proc.exitcode in signals else "error"
        value = f"the parse process ended without an answer (exit {proc.exitcode})"
    log.info("bounded parse: %s in %.2f s, peak %.0f MB (child exit %s)", status,
             time.monotonic() - t0, peak / 2**20, proc.exitcode)  # fmt: skip
    _last["peak"], _last["seconds"] = peak, time.monotonic() - t0
    if status == "memory":
        raise OverBudget(
            f"reading the file needs more than the memory limit of {memory_mb:,} MB "
            "(POLICY_ATLAS_PARSE_MEMORY_MB); is it much larger inside than on disk?"
        )
    if status == "error":
        log.error("bounded parse failed: %s", value)
        raise RuntimeError(str(value).splitlines()[0])
    return value
