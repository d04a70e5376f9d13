"""The parsed table of ``--data`` / ``POLICY_ATLAS_DATA``, kept on disk so a restart or a second
worker does not parse the file again.

The canonical frame is stored as an Arrow IPC file (never a pickle: a cache is data, not code;
uncompressed, so a restart maps it rather than decoding it: ``data.storage.read_frame_file``)
with a JSON record beside it (the check report's problems, the reader's notes, the column map),
under the SHA-256 of the file's content, the sheet and :func:`loader_version` — a changed file or
a changed loader is a miss, never a stale table. The entries live in
``$POLICY_ATLAS_CACHE_DIR/tables`` (a private 0700 folder) and are written the way uploads are
(``data.storage.FolderBackend``: every part written in a temporary folder, then renamed into
place, so a reader sees all or nothing). A cache entry that cannot be read is removed and the
file parsed again, with one log line.

The derived frames of :func:`cached_frame` (the pilot table) are kept in the Parquet form
uploads use (``data.storage.frame_bytes`` / ``read_frame``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from data.config import private_dir
from data.load import LoadResult, Problem, load_table, release_memory
from data.read_options import ReadOptions
from data.storage import FolderBackend, frame_bytes, read_frame, read_frame_file, write_frame_file

log = logging.getLogger("policy_atlas.table_cache")
#: Bump when the canonical frame changes in a way the loader's source does not show (e.g. a new
#: gazetteer build read from elsewhere); the loader's own source is hashed in as well.
LOADER_VERSION = "1"
#: the modules and files whose content decides the parsed table
_LOADER_SOURCES = (
    "data/load.py", "data/read.py", "data/parse.py", "data/columns.py", "data/schema.py",
    "data/column_roles.py", "data/read_options.py",
    "data/coords.py", "data/table_cache.py", "data/storage.py",
    "geodata/resolver.py", "geodata/gazetteer.py",
    "geodata/script.py", "geodata/gazetteer.csv", "data/pilots.py", "data/pilots.csv",
)  # fmt: skip
MAX_AGE_S = 30 * 86400.0
MAX_TOTAL_BYTES = 2 << 30


@functools.lru_cache(maxsize=1)
def loader_version() -> str:
    """A digest of what makes the parsed table: ``LOADER_VERSION``, the loader's source files and
    the pandas and pyarrow versions (their file forms and dtypes)."""
    import pyarrow as pa

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{LOADER_VERSION}|{pd.__version__}|{pa.__version__}".encode())
    for name in _LOADER_SOURCES:
        path = root / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(absent)")
    return digest.hexdigest()[:16]


def cache_key(
    path: str | Path,
    sheet: str | None,
    options: ReadOptions | None = None,
    memo: Path | None = None,
) -> str:
    """The entry's id: SHA-256 of the file's bytes, the sheet, the loader's version and the
    reading options (``--columns`` / ``--date-order``), if any. ``memo``: a folder where the
    file's digest is remembered against its stat (see :func:`content_digest`)."""
    digest = hashlib.sha256(content_digest(path, memo).encode())
    digest.update(b"\0" + (sheet or "").encode() + b"\0" + loader_version().encode())
    if options is not None and not options.empty:
        digest.update(b"\0" + options.to_json().encode())
    return digest.hexdigest()


#: A file changed this recently is hashed again next time: a write within the clock's
#: resolution could leave its stat unchanged (git's "racily clean" files).
_SETTLED_NS = 2_000_000_000


def content_digest(path: str | Path, memo: Path | None = None) -> str:
    """SHA-256 of the file's bytes; reused from ``memo/.digests.json`` while the file's device,
    inode, size, modification and change times are those it was hashed at (as git's index and
    make trust a file's stat). A restart of a 1 M-row table read the whole 388 MB file again
    (0.3 s of ~1.3 s). Any problem with the memo: the file is hashed."""
    st = os.stat(path)
    stamp = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
    where = str(Path(path).resolve())
    known: dict[str, list[str]] = {}
    if memo is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            known = dict(json.loads((memo / ".digests.json").read_text(encoding="utf-8")))
        if isinstance(known.get(where), list) and known[where][0] == stamp:
            return str(known[where][1])
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    value = sha.hexdigest()
    settled = time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _SETTLED_NS
    if memo is not None and settled:
        known[where] = [stamp, value]
        with contextlib.suppress(OSError):
            tmp = memo / f".digests.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(known), encoding="utf-8")
            os.replace(tmp, memo / ".digests.json")
    return value


# ------------------------------------------------------------------------- the cache
def _record(result: LoadResult) -> dict[str, Any]:
    keys = ("format", "encoding", "delimiter", "sheet", "sheets", "columns", "extras", "notes")
    out: dict[str, Any] = {k: getattr(result, k) for k in keys}
    out["columns"] = {str(k): str(v) for k, v in result.columns.items()}
    out["extras"] = [str(c) for c in result.extras]
    out["problems"] = [p.as_dict() for p in result.problems]
    out["rows"] = len(result.frame)
    out["roles"] = result.roles
    out["options"] = result.options.as_dict()
    return out


def _from_record(frame: pd.DataFrame, record: dict[str, Any], path: str) -> LoadResult:
    keys = ("format", "encoding", "delimiter", "sheet", "sheets", "columns", "extras", "notes")
    return LoadResult(
        frame=frame,
        problems=[Problem(**p) for p in record["problems"]],
        path=path,
        roles=list(record.get("roles") or []),
        options=ReadOptions.from_dict(record.get("options") or {}),
        **{k: record[k] for k in keys},
    )


def _backend(root: Path) -> Any:
    private_dir(root, "POLICY_ATLAS_CACHE_DIR")
    return FolderBackend(root)


def default_root() -> Path | None:
    """``$POLICY_ATLAS_CACHE_DIR/tables`` (None when the settings cannot be read)."""
    from data import config

    try:
        return Path(config.load().cache_dir) / "tables"
    except config.ConfigError as exc:
        log.warning("parsed-table cache off: %s", exc)
        return None


def load_cached(
    path: str | Path,
    sheet: str | None = None,
    root: Path | None = None,
    options: ReadOptions | None = None,
) -> LoadResult:
    """``data.load.load_table(path, sheet)``, from the cache when this file was parsed before by
    this loader; a fresh parse is stored (a fatal one is not). ``root``: the cache folder
    (default :func:`default_root`). The cache never makes a load fail: any problem with it is
    one log line and a parse."""
    path = str(path)
    root = root if root is not None else default_root()
    backend, key = None, ""
    try:
        backend = _backend(root) if root is not None else None
    except Exception as exc:  # an unusable cache folder: the table is parsed, not cached
        log.warning("parsed-table cache off for %s: %s", path, str(exc)[:200])
    try:
        key = cache_key(path, sheet, options, root if backend is not None else None)
    except OSError:  # no such file, a folder, unreadable: load_table says so in one line
        backend = None
    if backend is not None:
        hit = _read(backend, key, path)
        if hit is not None:
            return hit
    result = load_table(path, sheet, options=options)
    if backend is not None and result.ok:
        _write(backend, key, result)
    return result


def cached_frame(
    name: str, build: Callable[[], pd.DataFrame], root: Path | None = None
) -> pd.DataFrame:
    """A frame the app derives from its own files (``name``, e.g. the pilot table), kept in the
    cache under the loader's version: a restart reads it instead of resolving its places."""
    root = root if root is not None else default_root()
    try:
        backend = _backend(root) if root is not None else None
    except Exception as exc:
        log.warning("parsed-table cache off for %s: %s", name, str(exc)[:200])
        backend = None
    if backend is None:
        return build()
    key = hashlib.sha256(f"{name}\0{loader_version()}".encode()).hexdigest()
    if backend.exists(key):
        try:
            return read_frame(backend.read(key, "frame") or b"")
        except Exception as exc:
            log.warning("cached %s unreadable (%s); building it again", name, str(exc)[:200])
            backend.remove(key)
    frame = build()
    try:
        backend.save(key, {"frame": frame_bytes(frame), "meta": b"{}"})
    except Exception as exc:
        log.warning("cached %s not written: %s", name, str(exc)[:200])
    return frame


def _read(backend: Any, key: str, path: str) -> LoadResult | None:
    if not backend.exists(key):
        return None
    try:
        record = json.loads(backend.read(key, "meta") or b"")
        part = Path(backend.root) / key / "frame"  # FolderBackend's layout: <root>/<id>/<part>
        if not part.is_file():
            raise OSError("the frame part is missing")
        frame = read_frame_file(part)
        if len(frame) != record["rows"]:
            raise ValueError(f"{len(frame)} rows stored, {record['rows']} expected")
        result = _from_record(frame, record, path)
    except Exception as exc:  # corrupt or partly removed entry: parse again, say so once
        log.warning(
            "parsed-table cache entry %s… for %s unreadable (%s: %s); parsing the file again",
            key[:12], path, type(exc).__name__, str(exc)[:200],
        )  # fmt: skip
        backend.remove(key)
        return None
    release_memory()
    log.info("%s: parsed table read from the cache (%d rows)", path, len(frame))
    return result


def _write(backend: Any, key: str, result: LoadResult) -> None:
    try:
        backend.save(
            key,
            {
                "frame": lambda path: write_frame_file(result.frame, path),
                "meta": json.dumps(_record(result)).encode(),
            },
        )
        backend.prune(MAX_AGE_S, MAX_TOTAL_BYTES)
    except Exception as exc:  # a full disk must not stop the app from serving the table
        log.warning("parsed-table cache not written: %s: %s", type(exc).__name__, str(exc)[:200])
