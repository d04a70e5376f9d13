"""The distributed service, for real, on loopback: Debian's ``redis-server``, a Celery worker and
gunicorn with two workers, as ``make run`` + ``make worker`` start them with ``REDIS_URL`` set.

Tests ask for it through the ``stack`` fixture (``stack.url`` is the app's base URL) or
``stack_url``; scripts use :func:`running_stack`. Every process gets its own session, so stopping
the stack stops whatever it started (Chromium included), and a private state folder in a temp
directory that is removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser.harness import REPO, free_port

REDIS_SERVER = "/usr/bin/redis-server"
GUNICORN_CONF = "python:callbacks.service.gunicorn_conf"


@dataclass
class Stack:
    """A running stack: ``url`` of the app (gunicorn), ``redis_url``, the environment its
    processes share (start another process with ``env`` to join it) and their logs."""

    url: str
    redis_url: str
    env: dict[str, str]
    home: Path
    logs: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    files: list = field(default_factory=list)

    def redis_db(self, db: int) -> str:
        """The same Redis, another database: a queue no worker of this stack listens to."""
        return self.redis_url.rsplit("/", 1)[0] + f"/{db}"

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def _start(stack: Stack, name: str, argv: list[str]) -> subprocess.Popen:
    out = open(stack.logs / f"{name}.log", "w")  # noqa: SIM115 (open while the process runs)
    proc = subprocess.Popen(
        argv,
        cwd=REPO,
        env=stack.env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with everything it started
    )
    stack.procs[name] = proc
    stack.files.append(out)
    return proc


def _wait(stack: Stack, name: str, ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    proc = stack.procs[name]
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{stack.log(name)[-3000:]}")
        with contextlib.suppress(Exception):
            if ready():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} not ready in {timeout:.0f} s:\n{stack.log(name)[-3000:]}")
        time.sleep(0.3)


def _redis_ping(url: str) -> bool:
    import redis

    return bool(redis.Redis.from_url(url, socket_timeout=1).ping())


def _worker_answers(url: str) -> bool:
    from celery import Celery

    return bool(Celery(broker=url, backend=url).control.ping(timeout=1.0))


def _port_open(port: int) -> bool:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.status == 200


def _stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM to the process group (graceful: gunicorn drains, Celery stops its Chromium), then
    SIGKILL to whatever of that group is left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@contextlib.contextmanager
def running_stack(
    web_workers: int = 2,
    export_workers: int = 1,
    env: dict[str, str] | None = None,
    celery: bool = True,
    probe: bool = True,
) -> Iterator[Stack]:
    """Redis + a Celery worker + gunicorn (``web_workers``), all on 127.0.0.1 free ports; with
    ``celery=False`` gunicorn alone, its exports as diskcache jobs (``redis_url`` is then "").
    ``probe=False`` waits for the port and the workers' boot lines instead of asking ``/readyz``,
    so no worker has answered a request yet."""
    if celery and not os.path.exists(REDIS_SERVER):
        raise RuntimeError("Debian's redis-server is not installed: run `make test` (installs it)")
    tmp = Path(tempfile.mkdtemp(prefix="policy-atlas-stack-"))
    redis_port, web_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0" if celery else ""
    (tmp / "logs").mkdir()
    stack = Stack(
        url=f"http://127.0.0.1:{web_port}",
        redis_url=redis_url,
        env={
            **os.environ,
            "POLICY_ATLAS_HOME": str(tmp / "home"),
            "REDIS_URL": redis_url,
            "POLICY_ATLAS_EXPORT_WORKERS": str(export_workers),
            "POLICY_ATLAS_WORKERS": str(web_workers),
            "POLICY_ATLAS_LOG_LEVEL": "INFO",
            **(env or {}),
        },
        home=tmp / "home",
        logs=tmp / "logs",
    )
    if not celery:
        stack.env.pop("REDIS_URL")
    try:
        if celery:
            _start_jobs(stack, redis_port, web_port)
        _start(stack, "web", [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF,
                              "-b", f"127.0.0.1:{web_port}", "app:server"])  # fmt: skip
        if celery:
            _wait(stack, "worker", lambda: _worker_answers(redis_url), 240)
            # Each export process has started its Chromium (so tests do not race the warm-up).
            warm = lambda: stack.log("worker").count("Chromium warm") >= export_workers  # noqa: E731
            _wait(stack, "worker", warm, 240)
        if probe:
            _wait(stack, "web", lambda: _http_ok(stack.url + "/readyz"), 240)
        else:
            booted = lambda: stack.log("web").count("Booting worker") >= web_workers  # noqa: E731
            _wait(stack, "web", lambda: booted() and _port_open(web_port), 240)
        yield stack
    finally:
        for name in ("web", "worker", "redis"):
            if name in stack.procs:
                _stop(stack.procs[name])
        for f in stack.files:
            f.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _start_jobs(stack: Stack, redis_port: int, web_port: int) -> None:
    """redis-server (no persistence, loopback only), then a Celery worker on it."""
    tmp = stack.logs.parent
    _start(stack, "redis", [REDIS_SERVER, "--port", str(redis_port), "--bind", "127.0.0.1",
                            "--save", "", "--appendonly", "no", "--dir", str(tmp)])  # fmt: skip
    _wait(stack, "redis", lambda: _redis_ping(stack.redis_url), 20)
    _start(stack, "worker", [sys.executable, "-m", "celery", "-A", "app:celery_app", "worker",
                             "--hostname", f"stack-{web_port}@%h", "--without-gossip",
                             "--without-mingle"])  # fmt: skip
