"""Where tables are kept, and the form they are kept in: defined once for every store.

- The backends: :class:`FolderBackend` (``<root>/<id>/<part>``, a private 0700 folder, every
  entry written in a temporary folder and renamed into place, so a reader sees all parts or none)
  and :class:`RedisBackend` (one Redis hash per entry, written through to a ``FolderBackend``, the
  durable copy). Uploaded tables (``data.uploads``) and the parsed-table cache of ``--data``
  (``data.table_cache``) both store through them.
- The Parquet form of the canonical frame: :func:`frame_bytes` / :func:`read_frame` (the tuple
  columns, :data:`TUPLE_COLUMNS`, as lists; categorical columns as Arrow dictionaries, read back
  as categoricals). Never a pickle: a store is data, not code.

This module imports nothing of the app's but its settings (``data.config``), so the model
(``data.dataset``), the cache and the upload store all build on it without a circle.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from data.config import private_dir

#: The canonical frame's columns that hold tuples (stored as Parquet lists).
TUPLE_COLUMNS = ("incentives", "sectors")
#: A table record's id (a blob's key is ``blob-<content id>``; tombstones live apart).
TABLE_ID = re.compile(r"^[0-9a-f]{64}$")
_SEP = "\x1f"
WRITE_ROWS = 200_000  # rows per Parquet row group written


# ------------------------------------------------------------------------- the backends
class Backend(Protocol):
    def save(self, table_id: str, parts: dict[str, bytes]) -> None: ...
    def read(self, table_id: str, part: str, touch: bool = True) -> bytes | None: ...
    def put(self, table_id: str, part: str, body: bytes) -> None: ...
    def used(self, table_id: str) -> float | None: ...
    def exists(self, table_id: str) -> bool: ...
    def remove(self, table_id: str) -> None: ...
    def prune(self, max_age_s: float, max_total: int) -> list[str]: ...
    def entries(self) -> dict[str, float]: ...
    def bury(self, table_id: str, why: str, keep_s: float) -> None: ...
    def why(self, table_id: str) -> str | None: ...


class FolderBackend:
    """``<data_dir>/uploads/<id>/{raw,frame,meta}``; the folder's mtime is its last use."""

    def __init__(self, root: Path) -> None:
        self.root = private_dir(root, "POLICY_ATLAS_DATA_DIR")

    def _dir(self, table_id: str) -> Path:
        return self.root / table_id

    def save(self, table_id: str, parts: dict[str, bytes]) -> None:
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".incoming-"))
        for name, body in parts.items():
            (tmp / name).write_bytes(body)
        try:
            os.rename(tmp, self._dir(table_id))  # atomic: a reader sees all parts or none
        except OSError:  # stored meanwhile by another worker (same content, same id)
            shutil.rmtree(tmp, ignore_errors=True)

    def read(self, table_id: str, part: str, touch: bool = True) -> bytes | None:
        try:
            body = (self._dir(table_id) / part).read_bytes()
            if touch:
                os.utime(self._dir(table_id))
        except OSError:
            return None
        return body

    def touch(self, table_id: str) -> None:
        """Mark ``table_id`` used now (its folder's mtime)."""
        with contextlib.suppress(OSError):
            os.utime(self._dir(table_id))

    def put(self, table_id: str, part: str, body: bytes) -> None:
        """Replace one part of a stored entry (atomic: a reader sees the old or the new)."""
        fd, tmp = tempfile.mkstemp(dir=self._dir(table_id), prefix=".part-")
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.replace(tmp, self._dir(table_id) / part)

    def used(self, table_id: str) -> float | None:
        """When ``table_id`` was last used (None: not stored)."""
        try:
            return self._dir(table_id).stat().st_mtime if self.exists(table_id) else None
        except OSError:
            return None

    def exists(self, table_id: str) -> bool:
        return (self._dir(table_id) / "meta").is_file()

    def remove(self, table_id: str) -> None:
        shutil.rmtree(self._dir(table_id), ignore_errors=True)

    def prune(self, max_age_s: float, max_total: int) -> list[str]:
        entries = []
        for d in self.root.iterdir():
            if d.name.startswith(".") or not TABLE_ID.match(d.name):
                continue
            try:
                size = sum(f.stat().st_size for f in d.iterdir())
                entries.append((d.stat().st_mtime, size, d.name))
            except OSError:
                continue
        return _evict(entries, max_age_s, max_total, self.remove)

    def entries(self) -> dict[str, float]:
        """Every table record's id and last use (blobs and tombstones are not records)."""
        out = {}
        for d in self.root.iterdir():
            if TABLE_ID.match(d.name):
                with contextlib.suppress(OSError):
                    out[d.name] = d.stat().st_mtime
        return out

    def bury(self, table_id: str, why: str, keep_s: float) -> None:
        """Remember for ``keep_s`` seconds why ``table_id`` is gone ("removed", "expired")."""
        graves = self.root / ".gone"
        graves.mkdir(mode=0o700, exist_ok=True)
        (graves / table_id).write_text(why, encoding="utf-8")
        now = time.time()
        for grave in graves.iterdir():  # forget the old ones
            with contextlib.suppress(OSError):
                if now - grave.stat().st_mtime > keep_s:
                    grave.unlink()

    def why(self, table_id: str) -> str | None:
        try:
            return (self.root / ".gone" / table_id).read_text(encoding="utf-8")
        except OSError:
            return None


class RedisBackend:
    """One Redis hash per table (its parts) and a sorted set of last use (for retention only;
    nothing in the app reads it to list tables), written through to ``disk``: Redis is the copy
    every web host reads, the folder the durable one. Every key expires after ``ttl_s`` (the age
    limit), refreshed on use; what Redis no longer holds (restarted without persistence, expired
    while pinned) is read from the folder and put back. A Redis that does not answer raises."""

    KEY = "policy-atlas:upload:"
    USED = "policy-atlas:uploads:used"
    SIZE = "policy-atlas:uploads:size"
    GONE = "policy-atlas:gone:"

    def __init__(self, url: str, disk: FolderBackend, ttl_s: float) -> None:
        import redis

        self.r = redis.Redis.from_url(url, socket_timeout=10)
        self.disk = disk
        self.ttl = max(1, int(ttl_s))

    def _stamp(self, pipe: Any, table_id: str, touch: bool = True) -> None:
        """Queue the expiry of ``table_id``'s hash and, for a record used now, its last use."""
        pipe.expire(self.KEY + table_id, self.ttl)
        if touch and TABLE_ID.match(table_id):
            pipe.zadd(self.USED, {table_id: time.time()})
            pipe.expire(self.USED, self.ttl)

    def save(self, table_id: str, parts: dict[str, bytes]) -> None:
        self.disk.save(table_id, parts)
        pipe = self.r.pipeline()
        pipe.hset(self.KEY + table_id, mapping=parts)  # type: ignore[arg-type]
        if TABLE_ID.match(table_id):  # a table record (blobs are reached through their records)
            pipe.hset(self.SIZE, table_id, sum(len(b) for b in parts.values()))
            pipe.expire(self.SIZE, self.ttl)
        self._stamp(pipe, table_id)
        pipe.execute()

    def read(self, table_id: str, part: str, touch: bool = True) -> bytes | None:
        body: Any = self.r.hget(self.KEY + table_id, part)
        missed = body is None
        if missed:  # not in Redis: the folder's copy, put back in Redis
            body = self.disk.read(table_id, part, touch=touch)
            if body is None:
                return None
        elif touch:
            self.disk.touch(table_id)  # the folder's last use survives a Redis restart
        if missed or touch:
            pipe = self.r.pipeline()
            if missed:
                pipe.hset(self.KEY + table_id, part, body)
            self._stamp(pipe, table_id, touch)
            pipe.execute()
        return body

    def exists(self, table_id: str) -> bool:
        return bool(self.r.hexists(self.KEY + table_id, "meta")) or self.disk.exists(table_id)

    def remove(self, table_id: str) -> None:
        self.disk.remove(table_id)  # first: a reader missing in Redis then finds nothing
        pipe = self.r.pipeline()
        pipe.delete(self.KEY + table_id)
        pipe.zrem(self.USED, table_id)
        pipe.hdel(self.SIZE, table_id)
        pipe.execute()

    def prune(self, max_age_s: float, max_total: int) -> list[str]:
        rows: Any = self.r.zrange(self.USED, 0, -1, withscores=True)
        sized: Any = self.r.hgetall(self.SIZE)
        used = {k.decode(): float(s) for k, s in rows}
        sizes = {k.decode(): int(v) for k, v in sized.items()}
        entries = [(used[k], sizes.get(k, 0), k) for k in used]
        gone = _evict(entries, max_age_s, max_total, self.remove)
        return gone + [k for k in self.disk.prune(max_age_s, max_total) if k not in gone]

    def put(self, table_id: str, part: str, body: bytes) -> None:
        if (self.disk.root / table_id).is_dir():
            self.disk.put(table_id, part, body)
        else:  # stored before the folder copy existed: the whole entry goes to the folder now
            parts: Any = self.r.hgetall(self.KEY + table_id)
            self.disk.save(table_id, {**{k.decode(): v for k, v in parts.items()}, part: body})
        pipe = self.r.pipeline()
        pipe.hset(self.KEY + table_id, part, body)
        self._stamp(pipe, table_id, touch=False)
        pipe.execute()

    def used(self, table_id: str) -> float | None:
        score: Any = self.r.zscore(self.USED, table_id)
        held = bool(self.r.hexists(self.KEY + table_id, "meta"))
        if score is not None and held:
            return float(score)
        on_disk = self.disk.used(table_id)  # Redis lost it or its last use: the folder's
        return time.time() if on_disk is None and held else on_disk  # (stored before the folder)

    def entries(self) -> dict[str, float]:
        rows: Any = self.r.zrange(self.USED, 0, -1, withscores=True)
        return {**self.disk.entries(), **{k.decode(): float(s) for k, s in rows}}

    def bury(self, table_id: str, why: str, keep_s: float) -> None:
        self.disk.bury(table_id, why, keep_s)
        self.r.set(self.GONE + table_id, why, ex=max(1, int(min(keep_s, self.ttl))))

    def why(self, table_id: str) -> str | None:
        body: Any = self.r.get(self.GONE + table_id)
        return body.decode() if body else self.disk.why(table_id)


def _evict(entries: list, max_age_s: float, max_total: int, remove: Any) -> list[str]:
    """Remove what is older than ``max_age_s``, then least recently used first until the rest
    fits in ``max_total`` bytes; the ids removed."""
    now, gone = time.time(), []
    entries = sorted(entries)  # oldest use first
    total = sum(e[1] for e in entries)
    for used, size, table_id in entries:
        if now - used > max_age_s or total > max_total:
            remove(table_id)
            gone.append(table_id)
            total -= size
    return gone


# ------------------------------------------------------------------------- the frame as Parquet
def frame_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical frame as Parquet: tuple columns as lists, text as text, categoricals as
    dictionaries (read back by :func:`read_frame`)."""
    out = frame.copy(deep=False)
    for col in out.columns:
        if col not in TUPLE_COLUMNS and out[col].dtype == object:
            out[col] = out[col].astype("str")
    import pyarrow as pa
    import pyarrow.parquet as pq

    def rows(start: int) -> pd.DataFrame:
        """One slice, its tuple columns as lists (a slice's worth of lists at a time: a million
        rows' lists at once were ~400 MB at the store's peak)."""
        part = out.iloc[start : start + WRITE_ROWS]
        return pd.DataFrame(
            {c: part[c].map(list) if c in TUPLE_COLUMNS else part[c] for c in part.columns},
            copy=False,
        )

    # in slices of rows (row groups): the Arrow form of the whole table is never held at once
    buf = io.BytesIO()
    first = pa.Table.from_pandas(rows(0), preserve_index=False)
    with pq.ParquetWriter(buf, first.schema) as writer:
        writer.write_table(first)
        del first
        for start in range(WRITE_ROWS, len(out), WRITE_ROWS):
            table = pa.Table.from_pandas(rows(start), schema=writer.schema, preserve_index=False)
            writer.write_table(table)
    return buf.getvalue()


def read_frame(source: bytes | str | Path) -> pd.DataFrame:
    """A frame written by :func:`frame_bytes` (or an upload's): the tuple columns as tuples, one
    tuple object per distinct value (a million rows hold a few hundred)."""
    import pyarrow.parquet as pq

    # ParquetFile, not read_table (which imports pyarrow.dataset: ~0.5 s on a cold start); one
    # column at a time, so the Arrow copy of the whole table is never held beside the frame
    pf = pq.ParquetFile(
        io.BytesIO(source) if isinstance(source, bytes) else source, memory_map=True
    )
    columns: dict[str, pd.Series] = {}
    for name in pf.schema_arrow.names:
        column = pf.read(columns=[name]).column(0)
        if name in TUPLE_COLUMNS:
            columns[name] = _tuples(column)
        else:
            columns[name] = pd.Series(column.to_pandas(), name=name)
        del column
    frame = pd.DataFrame(columns, copy=False)
    for col in frame.columns:  # an all-missing text column comes back with object categories
        dtype = frame[col].dtype
        if (
            isinstance(dtype, pd.CategoricalDtype)
            and dtype.categories.dtype == object
            and all(isinstance(v, str) for v in dtype.categories)
        ):
            categories = pd.Index(dtype.categories.astype("str"), dtype="str")
            codes = frame[col].cat.codes.to_numpy()
            frame[col] = pd.Categorical.from_codes(codes, categories=categories)
    return frame


def _tuples(column: Any) -> pd.Series:
    """A list column as tuples: each distinct list converted once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    flat = pc.list_flatten(arr)
    if len(flat) and pc.any(pc.match_substring(flat.cast("string"), _SEP)).as_py():
        return pd.Series([tuple(v) if v is not None else () for v in arr.to_pylist()], dtype=object)
    joined = pc.binary_join(arr.cast(pa.list_(pa.string())), _SEP)
    codes, uniques = pd.factorize(joined.to_pandas(), sort=False)
    shared = np.empty(len(uniques) + 1, dtype=object)
    for i, text in enumerate(uniques):
        shared[i] = tuple(str(text).split(_SEP)) if text else ()
    shared[-1] = ()  # a missing list (code -1)
    return pd.Series(shared[codes], dtype=object)
