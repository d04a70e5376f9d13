"""Where export jobs run: a subprocess with a diskcache store (one machine), or Celery workers with
Redis (``REDIS_URL``). Wiring only: the managers are Dash's, with what a service needs added.

- **The page is told when a job cannot finish.** A job that no Celery worker picks up within
  ``POLICY_ATLAS_WORKER_TIMEOUT`` seconds is cancelled (it also expires in the queue, so a worker
  started later does not run it), and a store that fails (cache folder deleted, disk full, Redis
  down) ends the job; either way the export panel shows a message (``NOTICE_ID``) instead of a
  spinner that never stops. The details go to the log.
- **No zombies.** A diskcache job is a child of the gunicorn worker that started it, but its result
  may be collected by another worker; a thread waits for each child so none is left unreaped.
- **A job ends.** A job whose renderer cannot start, hangs or has not reported progress for
  ``POLICY_ATLAS_EXPORT_TIMEOUT`` seconds is stopped (its process killed and reaped, or its Celery
  task revoked) and the panel says so.
- **Warm Chromium in Celery.** Each worker process starts kaleido's Chromium when it starts
  (``worker_process_init``) and keeps it, so an export does not pay a browser start.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from dash import CeleryManager, DiskcacheManager, html

from callbacks.service import metrics
from data.config import Config
from layouts import ids
from layouts.i18n import t

log = logging.getLogger("policy_atlas.jobs")

#: The element of the export panel that shows why a job ended without a file.
NOTICE_ID = ids.EXPORT_NOTICE
UNAVAILABLE = "unavailable"
#: Free space under which the diskcache store counts as full (a report pack result is ~5 MB).
MIN_FREE_BYTES = 32 * 1024 * 1024


@functools.cache
def store_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the job store (diskcache or Redis) failed, not the export itself
    (redis is imported the first time one is caught: not at ``import app``)."""
    errors: list[type[BaseException]] = [OSError, sqlite3.Error]
    try:
        import kombu.exceptions
        import redis.exceptions

        errors += [redis.exceptions.RedisError, kombu.exceptions.OperationalError]
    except ImportError:  # celery and redis are optional (requirements-celery.txt)
        pass
    return tuple(errors)


def queue_errors() -> tuple[type[BaseException], ...]:
    """:func:`store_errors` and Celery giving up."""
    return (*store_errors(), RuntimeError)


def store_problem(exc: BaseException | None, folder: Path | None = None) -> str:
    """What is wrong with the store: a key of the ``layouts.i18n`` catalogues (``store_*``)."""
    text = str(exc or "")
    if (
        isinstance(exc, OSError)
        and exc.errno == errno.ENOSPC
        or "disk is full" in text
        or (folder is not None and folder.is_dir() and _free(folder) < MIN_FREE_BYTES)
    ):
        return "store_disk_full"
    if folder is not None and not (folder / "cache.db").is_file():
        return "store_folder_missing"
    if exc is not None and type(exc).__module__.split(".")[0] in ("redis", "kombu"):
        return "store_redis_down"
    return "store_unusable"


def _free(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def notice(key: str, **fmt: object) -> list:
    """The message ``key`` (``layouts.i18n``) in both languages; the page's CSS shows the one it
    is in. A ``problem`` is itself a key (:func:`store_problem`), said in the same language."""
    problem = fmt.pop("problem", None)

    def words(lang: str) -> str:
        extra = {"problem": t(str(problem), lang)} if problem else {}
        return t(key, lang, **fmt, **extra)

    return [html.Span(words("zh"), className="l-zh"), html.Span(words("en"), className="l-en")]


#: Background callbacks told of their job's end elsewhere than the export panel (w/jobs: the
#: upload's parse): an output id of the callback -> a function of (the notice's key, the polling
#: request's body) giving the props to send, ``{component id: {prop: value}}``.
NOTICE_TARGETS: dict[str, Any] = {}


def _set_notice(key: str, **fmt: object) -> None:
    from flask import g, has_request_context

    if has_request_context():
        g.policy_atlas_notice = notice(key, **fmt)
        g.policy_atlas_notice_key = key


def _notice_props(message: list) -> dict:
    """The props that carry a job's end notice for the callback this request polls."""
    from flask import g, request

    body = request.get_json(silent=True) or {}
    output = str(body.get("output", "")) if isinstance(body, dict) else ""
    for output_id, target in NOTICE_TARGETS.items():
        if output_id in output:
            return target(g.pop("policy_atlas_notice_key", ""), body)
    return {NOTICE_ID: {"children": message}}


def _store_notice(problem: str) -> None:
    _set_notice("export_store_failed", problem=problem)


class _Guarded:
    """Store failures while polling a job end the job with a message (mixed into a manager), and
    so does a job that has not reported for ``export_timeout`` seconds."""

    folder: Path | None = None
    UNDEFINED: Any  # the manager's "no result yet" marker (Dash's BaseBackgroundCallbackManager)
    export_timeout: float = 120.0

    def _remember(self, key: str, value: str | None = None) -> str | None:
        """A small value in the job store, shared by every web process (None: not set)."""
        raise NotImplementedError

    def overdue(self, job: Any, started: float) -> bool:
        """Whether ``job`` (started at ``started``) has gone ``export_timeout`` seconds without
        reporting: its progress is remembered with the time it last changed."""
        progress = json.dumps(_progress_seen(), default=repr)  # (components: an upload job)
        key = f"policy-atlas-job-seen:{job}"
        try:
            last = self._remember(key)
            then, seen = (last or "").partition("|")[::2]
            now = time.time()
            if progress != "null" and progress != seen:
                self._remember(key, f"{now:.3f}|{progress}")
                return False
            since = float(then) if then else started
        except store_errors():
            return False  # the store's own failures are reported elsewhere
        except ValueError:
            return False
        if now - since <= self.export_timeout:
            return False
        log.error("export job %s reported nothing for %.0f s: stopped", job, now - since)
        _set_notice("export_timed_out", seconds=f"{self.export_timeout:g}")
        return True

    def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> Any:
        job = super().call_job_fn(key, job_fn, args, context)  # type: ignore[misc]
        metrics.export_job("started")
        return job

    def _store_failed(self, exc: BaseException) -> None:
        metrics.export_job("failed")
        log.error("job store failed: %s: %s", type(exc).__name__, exc)
        _store_notice(store_problem(exc, self.folder))
        _flag("store_failed", True)

    def get_progress(self, key: str) -> Any:
        try:
            progress = super().get_progress(key)  # type: ignore[misc]
        except store_errors() as exc:
            self._store_failed(exc)
            return None
        _progress_seen(progress)
        return progress

    def get_result(self, key: str, job: Any) -> Any:
        try:
            result = super().get_result(key, job)  # type: ignore[misc]
        except store_errors() as exc:
            self._store_failed(exc)
            result = self.UNDEFINED
        _flag("result_missing", result is self.UNDEFINED)
        if result is not self.UNDEFINED:
            metrics.export_job("finished")
        return result

    def get_updated_props(self, key: str) -> Any:
        try:
            props = super().get_updated_props(key)  # type: ignore[misc]
        except store_errors() as exc:
            self._store_failed(exc)
            props = {}
        from flask import g, has_request_context

        message = g.pop("policy_atlas_notice", None) if has_request_context() else None
        if message:
            props = {**props, **_notice_props(message)}
        return props


def _progress_seen(value: Any = None) -> Any:
    """The progress this request read for its job (``get_progress`` runs before ``job_running``)."""
    from flask import g, has_request_context

    if not has_request_context():
        return None
    if value is not None:
        g.policy_atlas_progress = value
    return getattr(g, "policy_atlas_progress", None)


def _pid(job: Any) -> tuple[int, float]:
    """A diskcache job handle: "<pid>@<time it started>" (a bare pid from an older page)."""
    pid, _, started = str(job).partition("@")
    try:
        return int(pid), float(started or time.time())
    except ValueError:
        return 0, time.time()


def _flag(name: str, value: bool | None = None) -> bool:
    """A per-request flag shared by the manager's methods (Dash calls them one after another)."""
    from flask import g, has_request_context

    if not has_request_context():
        return False
    if value is not None:
        setattr(g, f"policy_atlas_{name}", value)
    return bool(getattr(g, f"policy_atlas_{name}", False))


class DiskcacheJobs(_Guarded, DiskcacheManager):
    """Jobs in subprocesses, results in a private diskcache folder."""

    def __init__(self, folder: Path, export_timeout: float = 120.0) -> None:
        import diskcache

        self.folder = folder
        self.export_timeout = export_timeout
        super().__init__(diskcache.Cache(str(folder)))

    def _remember(self, key: str, value: str | None = None) -> str | None:
        if value is not None:
            self.handle.set(key, value, expire=max(3600.0, 4 * self.export_timeout))
            return value
        found = self.handle.get(key)
        return str(found) if found is not None else None

    def terminate_job(self, job: Any) -> None:
        import psutil

        # a job that ends on its own while it is being stopped (its result just read) is gone
        with contextlib.suppress(psutil.NoSuchProcess):
            super().terminate_job(_pid(job)[0] or None)

    def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> Any:
        from multiprocess import Process

        process = Process(target=job_fn, args=(key, self._make_progress_key(key), args, context))
        process.start()
        # Reap the child when it ends, whichever gunicorn worker collects its result.
        threading.Thread(target=process.join, name=f"reap-{process.pid}", daemon=True).start()
        return f"{process.pid}@{time.time():.3f}"  # the start: how long it has gone silent

    def job_running(self, job: Any) -> bool:
        pid, started = _pid(job)
        if _flag("store_failed"):
            _kill(pid)  # not terminate_job: it locks the broken store
            return False
        running = bool(pid) and super().job_running(pid)
        if running and _flag("result_missing") and self.overdue(job, started):
            _kill(pid)  # its parent's reaper thread collects it
            return False
        if not running and _flag("result_missing"):
            log.error("export job %s ended without a result", job)
            problem = self.problem()
            if problem:
                _store_notice(problem)
            else:
                _set_notice("export_no_result")
        return running

    def problem(self) -> str | None:
        """What is wrong with the store (:func:`store_problem`), or None when a write and a read
        work."""
        try:
            folder = self.folder
            if (
                folder is None
                or not (folder / "cache.db").is_file()
                or _free(folder) < MIN_FREE_BYTES
            ):
                return store_problem(None, self.folder)
            self.handle.set("policy-atlas-probe", time.time(), expire=60)
            self.handle.get("policy-atlas-probe")
        except store_errors() as exc:
            return store_problem(exc, self.folder)
        return None


def _kill(pid: Any) -> None:
    import psutil

    with contextlib.suppress(psutil.Error, ValueError):
        process = psutil.Process(int(pid))
        for child in process.children(recursive=True):  # its renderer (Chromium) too
            with contextlib.suppress(psutil.Error):
                child.kill()
        process.kill()


class CeleryJobs(_Guarded, CeleryManager):
    """Jobs on Celery workers, results in Redis; a job no worker takes in time is cancelled."""

    def __init__(
        self, celery_app: Any, worker_timeout: float, export_timeout: float = 120.0
    ) -> None:
        self.worker_timeout = worker_timeout
        self.export_timeout = export_timeout
        super().__init__(celery_app)

    def _remember(self, key: str, value: str | None = None) -> str | None:
        client = self.handle.backend.client
        if value is not None:
            client.set(key, value, ex=int(max(3600.0, 4 * self.export_timeout)))
            return value
        found = client.get(key)
        return found.decode() if isinstance(found, bytes) else found

    def call_job_fn(self, key: str, job_fn: Any, args: Any, context: Any) -> Any:
        try:
            task = job_fn.apply_async(
                (key, self._make_progress_key(key), args, context), expires=self.worker_timeout
            )
        except queue_errors() as exc:
            log.error("cannot queue an export job: %s: %s", type(exc).__name__, exc)
            return f"{UNAVAILABLE}@{time.time():.0f}"
        # The handle carries the time it was queued: any web process can tell how long it waited.
        return f"{task.id}@{time.time():.3f}"

    @staticmethod
    def _parse(job: Any) -> tuple[str, float]:
        task_id, _, queued = str(job).partition("@")
        try:
            return task_id, float(queued)
        except ValueError:
            return task_id, time.time()

    def get_task(self, job: Any) -> Any:
        task_id, _ = self._parse(job)
        return self.handle.AsyncResult(task_id) if job and task_id != UNAVAILABLE else None

    def terminate_job(self, job: Any) -> None:
        task_id, _ = self._parse(job)
        if job and task_id != UNAVAILABLE:
            try:
                self.handle.control.revoke(task_id, terminate=True)
            except store_errors() as exc:
                log.warning("cannot cancel export job %s: %s", task_id, exc)

    def job_running(self, job: Any) -> bool:
        task_id, queued = self._parse(job)
        if task_id == UNAVAILABLE or _flag("store_failed"):
            if task_id == UNAVAILABLE:
                _store_notice("store_redis_down")
            return False
        try:
            status = self.handle.AsyncResult(task_id).status
        except store_errors() as exc:
            self._store_failed(exc)
            return False
        waited = time.time() - queued
        missing = _flag("result_missing")
        if missing and (
            status == "REVOKED" or (status == "PENDING" and waited > self.worker_timeout)
        ):
            log.error("no export worker took job %s within %.0f s", task_id, waited)
            self.terminate_job(job)
            _set_notice("export_no_worker", seconds=f"{self.worker_timeout:g}")
            return False
        running = status in ("PENDING", "RECEIVED", "STARTED", "RETRY", "PROGRESS")
        if running and missing and status != "PENDING" and self.overdue(job, queued):
            self.terminate_job(job)  # revoked with terminate: the worker's child is replaced
            return False
        return running

    def problem(self) -> str | None:
        try:
            self.handle.backend.client.ping()
        except store_errors() as exc:
            return store_problem(exc)
        return None


_celery = None


def celery_app() -> Any:
    """The Celery app of this process (None without ``REDIS_URL``): ``celery -A app:celery_app``."""
    return _celery


def manager(config: Config) -> Any:
    """The background-callback manager for ``config``: Celery + Redis, or diskcache."""
    if config.redis_url:
        return CeleryJobs(make_celery(config), config.worker_timeout, config.export_timeout)
    return DiskcacheJobs(config.cache_dir, config.export_timeout)


def make_celery(config: Config) -> Any:
    """A Celery app on ``REDIS_URL``; its workers start Chromium once per process."""
    global _celery
    from celery import Celery, signals

    from callbacks.service.celery_backend import backend_url

    redis_url = config.redis_url or ""
    app = Celery("policy_atlas", broker=redis_url, backend=backend_url(redis_url))
    app.conf.update(
        task_track_started=True,  # PENDING then means "no worker has it yet"
        worker_prefetch_multiplier=1,  # exports are long: one at a time per process
        worker_concurrency=config.export_workers,
        worker_hijack_root_logger=False,
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        redis_socket_connect_timeout=3,
        redis_socket_timeout=10,
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.5},
        result_backend_transport_options={
            "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
        },
    )
    signals.worker_process_init.connect(_warm_chromium, weak=False)
    signals.worker_process_shutdown.connect(_stop_chromium, weak=False)
    signals.task_prerun.connect(_job_started, weak=False)
    signals.task_postrun.connect(_job_done, weak=False)
    _celery = app
    return app


_started: dict[str, float] = {}


def _warm_chromium(**_kwargs) -> None:
    from layouts.exports import render

    t0 = time.perf_counter()
    try:
        render.to_bytes({"data": [], "layout": {}}, "svg", "web")
    except render.ExportError as exc:
        log.error("Chromium did not start in export worker %s: %s", os.getpid(), exc)
        return
    log.info("export worker %s: Chromium warm in %.1f s", os.getpid(), time.perf_counter() - t0)


def _stop_chromium(**_kwargs) -> None:
    from layouts.exports import render

    render.stop()


def _job_started(task_id=None, **_kwargs) -> None:
    _started[task_id] = time.perf_counter()


def _job_done(task_id=None, state=None, **_kwargs) -> None:
    t0 = _started.pop(task_id, None)
    took = f"{time.perf_counter() - t0:.1f} s" if t0 is not None else "?"
    log.info("export job %s %s in %s", task_id, (state or "").lower(), took)
