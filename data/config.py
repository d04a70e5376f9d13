"""The service's settings, read once from environment variables (no Dash, no I/O but the directory
checks in :func:`private_dir`).

Every variable is listed in :data:`VARIABLES` (name, default, meaning); the settings table of
docs/DEPLOY.md is that list, and a test keeps the two the same. A bad value is a
:class:`ConfigError` that names the variable and the value, never a traceback from deep inside the
app.

Directories: the app keeps a private state folder (``POLICY_ATLAS_HOME``, default
``$XDG_STATE_HOME/policy-atlas`` or ``~/.local/state/policy-atlas``) with ``data/`` (the signing
secret, later uploaded tables) and ``cache/`` (results of background exports). Both are created
mode 0700 and refused when another user owns them: diskcache stores pickles (CVE-2025-69872), so a
folder another local user could write to is a way to run code as the app. Never a fixed name in the
shared temp directory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "POLICY_ATLAS_"
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the variable and its value."""


#: (variable, default as documented, meaning) — the table of docs/DEPLOY.md, in this order.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("POLICY_ATLAS_DATA", "the bundled table", "policy table to serve (CSV, XLSX, Parquet)"),
    ("POLICY_ATLAS_SHEET", "first sheet", "XLSX sheet to read"),
    (
        "POLICY_ATLAS_HOME",
        "`$XDG_STATE_HOME/policy-atlas`, else `~/.local/state/policy-atlas`",
        "private state folder (0700, must be owned by the service user)",
    ),
    ("POLICY_ATLAS_DATA_DIR", "`$POLICY_ATLAS_HOME/data`", "signing secret, uploaded tables"),
    (
        "POLICY_ATLAS_CACHE_DIR",
        "`$POLICY_ATLAS_HOME/cache`",
        "diskcache store of export jobs; parsed `--data` tables (Parquet, `tables/`)",
    ),
    (
        "POLICY_ATLAS_URL_PREFIX",
        "`/`",
        "path the app is served under behind a proxy, e.g. `/atlas/`",
    ),
    ("POLICY_ATLAS_LOG_LEVEL", "`INFO`", "the app's log level (libraries log at WARNING)"),
    ("POLICY_ATLAS_LOG_FORMAT", "`text`", "`text` or `json` (one JSON object a line)"),
    ("POLICY_ATLAS_WORKERS", "2 × cores", "gunicorn worker processes"),
    ("POLICY_ATLAS_THREADS", "`2`", "threads per gunicorn worker"),
    (
        "POLICY_ATLAS_BIND",
        "`127.0.0.1:8050`",
        "gunicorn's listen address (`make run` passes HOST:PORT)",
    ),
    (
        "REDIS_URL",
        "unset (diskcache)",
        "Redis for Celery export jobs, e.g. `redis://127.0.0.1:6379/0`",
    ),
    (
        "POLICY_ATLAS_EXPORT_WORKERS",
        "cores",
        "export processes per Celery worker (each keeps a Chromium)",
    ),
    (
        "POLICY_ATLAS_WORKER_TIMEOUT",
        "`30`",
        "seconds an export waits for a Celery worker before the page says none answered",
    ),
    (
        "POLICY_ATLAS_SECRET_KEY",
        "random, kept in `$POLICY_ATLAS_DATA_DIR/secret_key`",
        "signs export job handles; set the same value on every web host",
    ),
    (
        "POLICY_ATLAS_CHROMIUM",
        "kaleido's search (`/usr/bin/chromium`)",
        "Chromium binary for exports",
    ),
    ("POLICY_ATLAS_UPLOAD_MAX_MB", "`50`", "largest uploaded table, in MB"),
    ("POLICY_ATLAS_MAX_FILE_MB", "`512`", "largest table file read (`--data` or upload), in MB"),
    ("POLICY_ATLAS_MAX_ROWS", "`2000000`", "most rows read from a table file"),
    (
        "POLICY_ATLAS_VIEW_CACHE_MB",
        "`256`",
        "memory for the grid's recent views (per process), in MB",
    ),
    (
        "POLICY_ATLAS_MAX_COLUMNS",
        "`1000`",
        "most columns a table may have (checked before parsing)",
    ),
    ("POLICY_ATLAS_MAX_CELLS", "`50000000`", "most cells (rows × columns) a table may have"),
    ("POLICY_ATLAS_MAX_CELL_CHARS", "`10000`", "longest cell, in characters: longer ones are cut"),
    ("POLICY_ATLAS_MAX_TEXT_MB", "`512`", "most text a table may expand to once decoded, in MB"),
    (
        "POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS",
        "`30`",
        "uploaded tables are removed after this many days",
    ),
    (
        "POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB",
        "`500`",
        "space for every uploaded table, in MB: a full store refuses new uploads",
    ),
    # w/identity: fair retention and exports that end
    (
        "POLICY_ATLAS_UPLOAD_OWNER_MAX_MB",
        "`100`",
        "space for one uploader's tables (by the secret their browser keeps), in MB",
    ),
    (
        "POLICY_ATLAS_UPLOAD_CLIENT_MAX_MB",
        "`200`",
        "space for anonymous uploads from one client address, in MB",
    ),
    (
        "POLICY_ATLAS_WORKER_CONNECTIONS",
        "threads per worker",
        "connections a gunicorn worker accepts at once (the rest wait for any worker)",
    ),
    (
        "POLICY_ATLAS_EXPORT_TIMEOUT",
        "`120`",
        "seconds an export may run without reporting before the page says it failed",
    ),
    (
        "POLICY_ATLAS_IMAGE_SECONDS",
        "`180`",
        "seconds one image may take in Chromium (its start included) before the export fails",
    ),
    # w/abuse: bounded cost per upload and per response
    ("POLICY_ATLAS_PARSE_MEMORY_MB", "`1024`", "memory one upload's parse may use, in MB"),
    ("POLICY_ATLAS_PARSE_SECONDS", "`300`", "time one upload's parse may take, in seconds"),
    ("POLICY_ATLAS_MAX_RESPONSE_MB", "`64`", "largest response the app sends, in MB"),
    (
        "POLICY_ATLAS_UPLOADS_AT_ONCE",
        "threads − 1",
        "uploads one worker receives at once (one per client); the rest are asked to retry",
    ),
    (
        "POLICY_ATLAS_UPLOAD_MIN_KBPS",
        "`32`",
        "slowest upload body accepted, in KB/s (after the first 10 s)",
    ),
    (
        "DASH_URL_BASE_PATHNAME",
        "unset",
        "Dash's own; also `DASH_ROUTES_PATHNAME_PREFIX`, `DASH_REQUESTS_PATHNAME_PREFIX`: "
        "read as `POLICY_ATLAS_URL_PREFIX` (an error if they differ)",
    ),
    (
        "DASH_ASSETS_EXTERNAL_PATH",
        "unset",
        "Dash's own: refused (the page requests nothing from another host)",
    ),
)

#: Dash's own variables that name the app's path (Dash refuses them beside the prefixes the app
#: passes): read as ``POLICY_ATLAS_URL_PREFIX`` and removed from the environment by the service.
DASH_PATH_VARIABLES = (
    "DASH_URL_BASE_PATHNAME",
    "DASH_ROUTES_PATHNAME_PREFIX",
    "DASH_REQUESTS_PATHNAME_PREFIX",
)

#: Whole-number settings read where they are used (``data.read``, ``data.table``): default.
LIMITS = {
    "POLICY_ATLAS_MAX_FILE_MB": 512,
    "POLICY_ATLAS_MAX_ROWS": 2_000_000,
    "POLICY_ATLAS_VIEW_CACHE_MB": 256,
    # the reader's bounds, checked before a table is parsed (``data.read.bounds``)
    "POLICY_ATLAS_MAX_COLUMNS": 1_000,
    "POLICY_ATLAS_MAX_CELLS": 50_000_000,
    "POLICY_ATLAS_MAX_CELL_CHARS": 10_000,
    "POLICY_ATLAS_MAX_TEXT_MB": 512,
}


@dataclass(frozen=True)
class Config:
    """The settings of one process (web or worker); :func:`load` reads them."""

    data_file: str | None
    sheet: str | None
    home: Path
    data_dir: Path
    cache_dir: Path
    url_prefix: str
    log_level: str
    log_format: str
    workers: int
    threads: int
    bind: str
    redis_url: str | None
    export_workers: int
    worker_timeout: float
    secret_key: str | None
    chromium: str | None
    upload_max_mb: int
    upload_max_age_days: int
    upload_max_total_mb: int
    upload_owner_max_mb: int = 100
    upload_client_max_mb: int = 200
    export_timeout: float = 120.0
    image_seconds: float = 180.0
    worker_connections: int = 2
    # w/abuse
    parse_memory_mb: int = 1024
    parse_seconds: float = 300.0
    max_response_mb: int = 64
    uploads_at_once: int = 3
    upload_min_kbps: int = 32
    max_file_mb: int = LIMITS["POLICY_ATLAS_MAX_FILE_MB"]
    max_rows: int = LIMITS["POLICY_ATLAS_MAX_ROWS"]
    view_cache_mb: int = LIMITS["POLICY_ATLAS_VIEW_CACHE_MB"]
    max_columns: int = LIMITS["POLICY_ATLAS_MAX_COLUMNS"]
    max_cells: int = LIMITS["POLICY_ATLAS_MAX_CELLS"]
    max_cell_chars: int = LIMITS["POLICY_ATLAS_MAX_CELL_CHARS"]
    max_text_mb: int = LIMITS["POLICY_ATLAS_MAX_TEXT_MB"]


def cores() -> int:
    """CPU cores this process may use (the affinity mask, as in a container or under taskset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def default_home(env: Mapping[str, str]) -> Path:
    state = env.get("XDG_STATE_HOME")
    base = Path(state) if state and os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "policy-atlas"


def load(env: Mapping[str, str] | None = None) -> Config:
    """The settings from ``env`` (default ``os.environ``); raises :class:`ConfigError`."""
    env = os.environ if env is None else env
    home = _path(env, "POLICY_ATLAS_HOME") or default_home(env)
    n = cores()
    threads = _int(env, "POLICY_ATLAS_THREADS", 2)
    return Config(
        data_file=_data_file(env),
        sheet=_text(env, "POLICY_ATLAS_SHEET"),
        home=home,
        data_dir=_path(env, "POLICY_ATLAS_DATA_DIR") or home / "data",
        cache_dir=_path(env, "POLICY_ATLAS_CACHE_DIR") or home / "cache",
        url_prefix=_url_prefix(env),
        log_level=_choice(env, "POLICY_ATLAS_LOG_LEVEL", LOG_LEVELS, "INFO", upper=True),
        log_format=_choice(env, "POLICY_ATLAS_LOG_FORMAT", LOG_FORMATS, "text"),
        workers=_int(env, "POLICY_ATLAS_WORKERS", 2 * n),
        threads=threads,
        bind=_text(env, "POLICY_ATLAS_BIND") or "127.0.0.1:8050",
        redis_url=_text(env, "REDIS_URL"),
        export_workers=_int(env, "POLICY_ATLAS_EXPORT_WORKERS", n),
        worker_timeout=_number(env, "POLICY_ATLAS_WORKER_TIMEOUT", 30.0),
        secret_key=_text(env, "POLICY_ATLAS_SECRET_KEY"),
        chromium=_text(env, "POLICY_ATLAS_CHROMIUM"),
        upload_max_mb=_int(env, "POLICY_ATLAS_UPLOAD_MAX_MB", 50),
        upload_max_age_days=_int(env, "POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS", 30),
        upload_max_total_mb=_int(env, "POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB", 500),
        upload_owner_max_mb=_int(env, "POLICY_ATLAS_UPLOAD_OWNER_MAX_MB", 100),
        upload_client_max_mb=_int(env, "POLICY_ATLAS_UPLOAD_CLIENT_MAX_MB", 200),
        export_timeout=_number(env, "POLICY_ATLAS_EXPORT_TIMEOUT", 120.0),
        image_seconds=_number(env, "POLICY_ATLAS_IMAGE_SECONDS", 180.0),
        worker_connections=_int(env, "POLICY_ATLAS_WORKER_CONNECTIONS", threads),
        # w/abuse
        parse_memory_mb=_int(env, "POLICY_ATLAS_PARSE_MEMORY_MB", 1024),
        parse_seconds=_number(env, "POLICY_ATLAS_PARSE_SECONDS", 300.0),
        max_response_mb=_int(env, "POLICY_ATLAS_MAX_RESPONSE_MB", 64),
        uploads_at_once=_int(env, "POLICY_ATLAS_UPLOADS_AT_ONCE", max(1, threads - 1)),
        upload_min_kbps=_int(env, "POLICY_ATLAS_UPLOAD_MIN_KBPS", 32),
        max_file_mb=limit("POLICY_ATLAS_MAX_FILE_MB", env),
        max_rows=limit("POLICY_ATLAS_MAX_ROWS", env),
        view_cache_mb=limit("POLICY_ATLAS_VIEW_CACHE_MB", env),
        max_columns=limit("POLICY_ATLAS_MAX_COLUMNS", env),
        max_cells=limit("POLICY_ATLAS_MAX_CELLS", env),
        max_cell_chars=limit("POLICY_ATLAS_MAX_CELL_CHARS", env),
        max_text_mb=limit("POLICY_ATLAS_MAX_TEXT_MB", env),
    )


def limit(name: str, env: Mapping[str, str] | None = None) -> int:
    """One of :data:`LIMITS` from ``env`` (default ``os.environ``); raises :class:`ConfigError`."""
    return _int(os.environ if env is None else env, name, LIMITS[name])


def _data_file(env: Mapping[str, str]) -> str | None:
    """``POLICY_ATLAS_DATA``: a file that exists (checked here, so a typo is one line at start-up
    rather than a traceback from the loader inside gunicorn)."""
    value = _text(env, "POLICY_ATLAS_DATA")
    if value is not None and not os.path.isfile(value):
        why = "is a folder" if os.path.isdir(value) else "no such file"
        raise ConfigError(f"POLICY_ATLAS_DATA={value!r}: {why}")
    if value is not None and not os.access(value, os.R_OK):
        raise ConfigError(f"POLICY_ATLAS_DATA={value!r}: not readable by this user")
    return value


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _path(env: Mapping[str, str], name: str) -> Path | None:
    value = _text(env, name)
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise ConfigError(f"{name}={value!r}: give an absolute path")
    return path


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = _text(env, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r}: expected a whole number") from None
    if number < 1:
        raise ConfigError(f"{name}={value!r}: expected a number of at least 1")
    return number


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = _text(env, name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r}: expected a number of seconds") from None
    if not number > 0:
        raise ConfigError(f"{name}={value!r}: expected more than 0 seconds")
    return number


def _choice(
    env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str, upper: bool = False
) -> str:
    value = _text(env, name)
    if value is None:
        return default
    key = value.upper() if upper else value.lower()
    if key not in choices:
        raise ConfigError(f"{name}={value!r}: expected one of {', '.join(choices)}")
    return key


def _url_prefix(env: Mapping[str, str]) -> str:
    """``/`` or ``/a/b/``: one leading and one trailing slash, plain path characters only. Dash's
    own path variables are read as the same setting; two that differ are an error."""
    if _text(env, "DASH_ASSETS_EXTERNAL_PATH"):
        raise ConfigError(
            f"DASH_ASSETS_EXTERNAL_PATH={env['DASH_ASSETS_EXTERNAL_PATH']!r}: not supported "
            "(the page requests nothing from another host); unset it"
        )
    names = ("POLICY_ATLAS_URL_PREFIX", *DASH_PATH_VARIABLES)
    given = {n: v for n in names if (v := _text(env, n)) is not None}
    if len({"/" + v.strip("/") for v in given.values()}) > 1:
        named = ", ".join(f"{n}={v!r}" for n, v in given.items())
        raise ConfigError(f"{named}: these name different paths; set POLICY_ATLAS_URL_PREFIX only")
    value = next(iter(given.values()), "/")
    parts = [p for p in value.strip("/").split("/") if p]
    for part in parts:
        if part in (".", "..") or not all(c.isalnum() or c in "-_.~" for c in part):
            raise ConfigError(
                f"POLICY_ATLAS_URL_PREFIX={value!r}: expected a path such as /atlas/ "
                "(letters, digits, - _ . ~)"
            )
    return "/" + "".join(p + "/" for p in parts)


def private_dir(path: Path, variable: str) -> Path:
    """``path`` as a folder only this user can enter: created 0700 if missing; a folder of ours
    that others could write to is tightened to 0700 when nothing in it belongs to anyone else; a
    folder (or anything in it) owned by another user is refused with a :class:`ConfigError`."""
    uid = os.geteuid()
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except OSError as exc:
        raise ConfigError(f"{variable}: cannot create {path}: {exc.strerror}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise ConfigError(f"{variable}: {path} is not a folder")
    if st.st_uid != uid:
        raise ConfigError(
            f"{variable}: {path} belongs to user {st.st_uid}, not to this service (user {uid}); "
            "refusing to use it (a planted cache can run code). Remove it or choose another folder."
        )
    if stat.S_IMODE(st.st_mode) & 0o077:
        foreign = _foreign_entry(path, uid)
        if foreign is not None:
            raise ConfigError(
                f"{variable}: {path} was open to other users and {foreign} belongs to another "
                "user; refusing to use it. Remove the folder or choose another one."
            )
        os.chmod(path, 0o700)
    return path


def _foreign_entry(path: Path, uid: int) -> Path | None:
    """The first file or folder under ``path`` that another user owns, if any."""
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            entry = Path(root) / name
            if os.lstat(entry).st_uid != uid:
                return entry
    return None
