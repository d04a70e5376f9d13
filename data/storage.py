"""Where tables are kept, and the form they are kept in: defined once for every store.

- The backends: :class:`FolderBackend` (``<root>/<id>/<part>``, a private 0700 folder, every
  entry written in a temporary folder and renamed into place, so a reader sees all parts or none)
  and :class:`RedisBackend` (one Redis hash per entry, written through to a ``FolderBackend``, the
  durable copy). Uploaded tables (``data.uploads``) and the parsed-table cache of ``--data``
  (``data.table_cache``) both store through them.
- The Parquet form of the canonical frame: :func:`frame_bytes` / :func:`read_frame` (the tuple
  columns, :data:`TUPLE_COLUMNS`, as lists; categorical columns as Arrow dictionaries, read back
  as categoricals), what uploads keep; and the Arrow IPC file the parsed-table cache keeps
  (:func:`write_frame_file` / :func:`read_frame_file`: uncompressed and memory-mapped, the tuple
  columns as a dictionary of their distinct tuples). Never a pickle: a store is data, not code.

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
from collections.abc import Callable, Iterator, Mapping
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
WRITE_ROWS = 200_000  # rows per Parquet row group / Arrow record batch written


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

    def save(self, table_id: str, parts: Mapping[str, bytes | Callable[[Path], None]]) -> None:
        """Store ``parts`` (each its bytes, or a function that writes the part's file at the path
        it is given: a large part goes to disk without being held whole in memory)."""
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".incoming-"))
        try:
            for name, body in parts.items():
                if callable(body):
                    body(tmp / name)
                else:
                    (tmp / name).write_bytes(body)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
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


# ------------------------------------------------------------------------- the frame as a file
def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as Arrow takes it: object text columns as text (tuple columns as they are)."""
    out = frame.copy(deep=False)
    for col in out.columns:
        if col not in TUPLE_COLUMNS and out[col].dtype == object:
            out[col] = out[col].astype("str")
    return out


def _rows(out: pd.DataFrame, start: int) -> pd.DataFrame:
    """One slice, its tuple columns as lists (a slice's worth of lists at a time: a million
    rows' lists at once were ~400 MB at the store's peak)."""
    part = out.iloc[start : start + WRITE_ROWS]
    return pd.DataFrame(
        {
            c: part[c].map(list) if c in TUPLE_COLUMNS and part[c].dtype == object else part[c]
            for c in part.columns
        },
        copy=False,
    )


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """The canonical frame as Parquet: tuple columns as lists, text as text, categoricals as
    dictionaries (read back by :func:`read_frame`)."""
    out = _arrow_ready(frame)
    import pyarrow as pa
    import pyarrow.parquet as pq

    # in slices of rows (row groups): the Arrow form of the whole table is never held at once
    buf = io.BytesIO()
    first = pa.Table.from_pandas(_rows(out, 0), preserve_index=False)
    with pq.ParquetWriter(buf, first.schema) as writer:
        writer.write_table(first)
        del first
        for start in range(WRITE_ROWS, len(out), WRITE_ROWS):
            table = pa.Table.from_pandas(
                _rows(out, start), schema=writer.schema, preserve_index=False
            )
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
    return _frame_of((name, pf.read(columns=[name]).column(0)) for name in pf.schema_arrow.names)


def write_frame_file(frame: pd.DataFrame, path: str | Path) -> None:
    """The canonical frame as an Arrow IPC file at ``path`` (what the parsed-table cache keeps):
    uncompressed, so :func:`read_frame_file` maps it instead of decoding it; written in slices of
    rows straight to the file (neither the Arrow form of the whole table nor the file's bytes
    are ever held at once). Tuple columns as lists, text as text, categoricals as dictionaries."""
    import pyarrow as pa

    out = _arrow_ready(frame)
    for col in TUPLE_COLUMNS:
        if col in out.columns:
            out[col] = _joined(out[col])
    first = pa.Table.from_pandas(_rows(out, 0), preserve_index=False)
    schema = first.schema
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        writer.write_table(first)
        del first
        for start in range(WRITE_ROWS, len(out), WRITE_ROWS):
            table = pa.Table.from_pandas(_rows(out, start), schema=schema, preserve_index=False)
            writer.write_table(table)


def _joined(column: pd.Series) -> pd.Series:
    """A tuple column as a categorical of its distinct tuples joined by ``_SEP`` (each distinct
    tuple once: read back without splitting a million lists); as it is when a value holds the
    separator or is empty (then a join would not say which tuple it was)."""
    try:
        codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): stored as lists
        return column
    texts = []
    for value in uniques:
        if not isinstance(value, tuple) or any(
            not isinstance(v, str) or v == "" or _SEP in v for v in value
        ):
            return column
        texts.append(_SEP.join(value))
    categories = pd.Index(texts, dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=column.index)


def _split(column: Any) -> pd.Series:
    """A column written by :func:`_joined` as tuples: one tuple object per distinct value."""
    cat = pd.Categorical(column.to_pandas())
    shared = np.empty(len(cat.categories) + 1, dtype=object)
    for i, text in enumerate(cat.categories):
        shared[i] = tuple(str(text).split(_SEP)) if text else ()
    shared[-1] = ()  # a missing cell (code -1)
    return pd.Series(shared[cat.codes], dtype=object)


def read_frame_file(path: str | Path) -> pd.DataFrame:
    """A frame written by :func:`write_frame_file`: the file memory-mapped, its text columns
    read in place (the frame holds the mapping), categoricals from their dictionaries, the
    tuple columns as tuples (one tuple object per distinct value)."""
    import pyarrow as pa

    table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    return _frame_of((name, table.column(name)) for name in table.column_names)


def _frame_of(columns_in: Iterator[tuple[str, Any]]) -> pd.DataFrame:
    """The frame of (name, Arrow column) pairs: tuple columns as tuples, an all-missing text
    column's categories as text."""
    import pyarrow as pa

    columns: dict[str, pd.Series] = {}
    for name, column in columns_in:
        if name in TUPLE_COLUMNS and pa.types.is_dictionary(column.type):
            columns[name] = _split(column)
        elif name in TUPLE_COLUMNS:
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
    if pa.types.is_null(arr.type):  # no rows (or none with a list): Arrow kept no list type
        return pd.Series([()] * len(arr), dtype=object)
    flat = pc.list_flatten(arr)
    text = flat.cast("string")  # a label with the separator, or empty: no join says which
    if len(flat) and pc.any(pc.or_(pc.match_substring(text, _SEP), pc.equal(text, ""))).as_py():
        return pd.Series([tuple(v) if v is not None else () for v in arr.to_pylist()], dtype=object)
    joined = pc.binary_join(arr.cast(pa.list_(pa.string())), _SEP)
    codes, uniques = pd.factorize(joined.to_pandas(), sort=False)
    shared = np.empty(len(uniques) + 1, dtype=object)
    for i, text in enumerate(uniques):
        shared[i] = tuple(str(text).split(_SEP)) if text else ()
    shared[-1] = ()  # a missing list (code -1)
    return pd.Series(shared[codes], dtype=object)
