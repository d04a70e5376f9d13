"""Tables users upload from the browser: checked, stored under their content id, shared by link.

An upload goes through the same loader as ``--data`` (``data.load.load_table``). A usable table is
stored under an unguessable id derived from its content (HMAC-SHA256 of the file with the server's
signing key, and of the column mapping and datum the user chose, if any), in a store every web
worker shares: a private folder under ``POLICY_ATLAS_DATA_DIR`` by default, Redis when
``REDIS_URL`` is set. Next to the original file the store keeps the parsed frame as Parquet (never
a pickle: a store is data, not code) and a small JSON record (file name, rows, upload date, the
problems), so opening a link does not parse again.

Privacy: there is no listing. A table is reached only by its id, which only its link carries.
Retention: tables unused for ``POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS`` are removed, and beyond
``POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB`` the least recently used go first (checked at each upload and
at most hourly when a link is opened).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from data import table_cache
from data.check import CheckReport, page_report
from data.config import Config, private_dir
from data.coords import DATUMS
from data.dataset import Dataset, DatasetUnavailable
from data.load import LoadResult, load_table
from data.read_options import ReadOptions

EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
TUPLE_COLUMNS = ("incentives", "sectors")
log = logging.getLogger("policy_atlas.uploads")
_ID = re.compile(r"^[0-9a-f]{64}$")
#: Fields a user can point at a column when the loader did not recognise one (the mapping step).
MAPPABLE = ("title_zh", "title_en", "date", "province", "city", "district", "place", "lon", "lat")
PARTS = ("raw", "frame", "meta")


class UploadError(ValueError):
    """An upload that cannot be used; the message is shown to the user as is."""


@dataclass
class Outcome:
    """What an upload gave: the table's ``id`` (stored), or an ``error`` (nothing stored), or the
    ``columns`` a mapping step offers when the title or the where/when columns were not found."""

    id: str | None = None
    error: str | None = None
    columns: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rows: int = 0
    problems: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], "")}


class Backend(Protocol):
    def save(self, table_id: str, parts: dict[str, bytes]) -> None: ...
    def read(self, table_id: str, part: str) -> bytes | None: ...
    def exists(self, table_id: str) -> bool: ...
    def remove(self, table_id: str) -> None: ...
    def prune(self, max_age_s: float, max_total: int) -> list[str]: ...


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

    def read(self, table_id: str, part: str) -> bytes | None:
        try:
            body = (self._dir(table_id) / part).read_bytes()
            os.utime(self._dir(table_id))
        except OSError:
            return None
        return body

    def exists(self, table_id: str) -> bool:
        return (self._dir(table_id) / "meta").is_file()

    def remove(self, table_id: str) -> None:
        shutil.rmtree(self._dir(table_id), ignore_errors=True)

    def prune(self, max_age_s: float, max_total: int) -> list[str]:
        entries = []
        for d in self.root.iterdir():
            if d.name.startswith(".") or not _ID.match(d.name):
                continue
            try:
                size = sum(f.stat().st_size for f in d.iterdir())
                entries.append((d.stat().st_mtime, size, d.name))
            except OSError:
                continue
        return _evict(entries, max_age_s, max_total, self.remove)


class RedisBackend:
    """One Redis hash per table (its parts) and a sorted set of last use (for retention only;
    nothing in the app reads it to list tables)."""

    KEY = "policy-atlas:upload:"
    USED = "policy-atlas:uploads:used"
    SIZE = "policy-atlas:uploads:size"

    def __init__(self, url: str) -> None:
        import redis

        self.r = redis.Redis.from_url(url, socket_timeout=10)

    def save(self, table_id: str, parts: dict[str, bytes]) -> None:
        pipe = self.r.pipeline()
        pipe.hset(self.KEY + table_id, mapping=parts)  # type: ignore[arg-type]
        pipe.zadd(self.USED, {table_id: time.time()})
        pipe.hset(self.SIZE, table_id, sum(len(b) for b in parts.values()))
        pipe.execute()

    def read(self, table_id: str, part: str) -> bytes | None:
        body = self.r.hget(self.KEY + table_id, part)
        if body is not None:
            self.r.zadd(self.USED, {table_id: time.time()})
        return body  # type: ignore[return-value]

    def exists(self, table_id: str) -> bool:
        return bool(self.r.hexists(self.KEY + table_id, "meta"))

    def remove(self, table_id: str) -> None:
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
        return _evict(entries, max_age_s, max_total, self.remove)


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


class Uploads:
    """The upload store of one process (every worker opens the same backend)."""

    def __init__(
        self, config: Config, backend: Backend | None = None, secret: str | None = None
    ) -> None:
        self.config = config
        self.secret = secret.encode() if secret else None
        if backend is None:
            if config.redis_url:
                backend = RedisBackend(config.redis_url)
            else:
                backend = FolderBackend(Path(config.data_dir) / "uploads")
        self.backend = backend
        self.max_bytes = config.upload_max_mb * 1024 * 1024
        self._tmp = private_dir(Path(config.data_dir) / "incoming", "POLICY_ATLAS_DATA_DIR")
        self._pruned = 0.0

    # ----------------------------------------------------------------- upload
    def ingest(
        self,
        name: str,
        body: bytes,
        mapping: dict[str, str] | None = None,
        datum: str = "wgs84",
        options: ReadOptions | None = None,
        original: str | None = None,
    ) -> Outcome:
        """Check, parse and store one uploaded file; never raises for bad input (a store that
        does not answer raises :class:`DatasetUnavailable`). ``datum``: of longitude/latitude
        columns, if the table has them ("wgs84" or "gcj02"). ``options``: how to read it (the
        column panel's choices; stored with the table, part of its id). ``original``: the id
        whose stored file this is (a re-read keeps no second copy of the file)."""
        t0 = time.perf_counter()
        name = os.path.basename(name or "").strip()[:200] or "table"
        try:
            _check_file(name, body, self.max_bytes, self.config.upload_max_mb)
        except UploadError as exc:
            return Outcome(error=str(exc))
        mapping = {k: v for k, v in (mapping or {}).items() if k in MAPPABLE and v}
        datum = datum if datum in DATUMS else "wgs84"
        # HMAC-SHA256 with the server's key: the same file gives the same id (stored once), but
        # holding a copy of someone's file is not enough to find their table on this server.
        digest = hmac.new(self.secret, body, "sha256") if self.secret else hashlib.sha256(body)
        if mapping or datum != "wgs84":
            digest.update(b"\0" + json.dumps([mapping, datum], sort_keys=True).encode())
        options = options or ReadOptions()
        if not options.empty:
            digest.update(b"\0options\0" + options.to_json().encode())
        table_id = digest.hexdigest()
        with _answering():
            stored = self.backend.exists(table_id)
        if stored:
            meta = self.meta(table_id) or {}
            return Outcome(id=table_id, rows=meta.get("rows", 0),
                           problems=len(meta.get("problems", ())))  # fmt: skip
        result = self._load(name, body, mapping, datum, options)
        if result.fatal:
            return _refusal(name, result)
        parts = _parts(name, body, result, datum, original)
        with _answering():
            self.backend.save(table_id, parts)
            self.prune()
        return Outcome(id=table_id, rows=len(result.frame), problems=len(result.problems),
                       seconds=round(time.perf_counter() - t0, 3))  # fmt: skip

    def reread(self, table_id: str, options: ReadOptions) -> Outcome:
        """The stored table ``table_id`` read again from its original file with ``options`` (the
        column panel): a new table record (its own id) pointing at the same original; an error
        (nothing stored, the previous reading stays) when the choices cannot be used."""
        meta = self.meta(table_id)
        if meta is None:
            return Outcome(error="this table is no longer stored; upload it again")
        original = str(meta.get("original") or table_id)
        with _answering():
            body = self.backend.read(original, "raw")
        if body is None:
            return Outcome(error="the original file is no longer stored; upload it again")
        name = str(meta.get("name", "table"))
        datum = str(meta.get("datum") or "wgs84")
        return self.ingest(name, body, None, datum, options=options, original=original)

    def with_aliases(self, table_id: str, aliases: dict[str, str]) -> Outcome:
        """The reconciliation's picks (name as written -> adcode) added to the table's reading
        options and the table read again (:meth:`reread`: a new id, the old one stays); an empty
        ``aliases`` removes every pick."""
        meta = self.meta(table_id)
        if meta is None:
            return Outcome(error="this table is no longer stored; upload it again")
        options = ReadOptions.from_dict(meta.get("options") or {})
        merged = {**options.alias_map(), **aliases} if aliases else {}
        return self.reread(table_id, replace(options, aliases=tuple(sorted(merged.items()))))

    def _load(
        self,
        name: str,
        body: bytes,
        mapping: dict[str, str],
        datum: str,
        options: ReadOptions | None = None,
    ) -> LoadResult:
        suffix = Path(name).suffix.lower()
        fd, tmp = tempfile.mkstemp(suffix=suffix, dir=self._tmp)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            return load_table(
                tmp, max_bytes=self.max_bytes, mapping=mapping, datum=datum, options=options
            )
        finally:
            os.unlink(tmp)

    def prune(self) -> list[str]:
        """Apply the retention settings now (at each upload, and hourly when links are read)."""
        self._pruned = time.time()
        return self.backend.prune(self.config.upload_max_age_days * 86400.0,
                                  self.config.upload_max_total_mb * 1024 * 1024)  # fmt: skip

    # ----------------------------------------------------------------- reading back
    def meta(self, table_id: str) -> dict | None:
        """The table's record, or None when the store does not hold it (never stored, removed,
        expired). Raises :class:`DatasetUnavailable` when the store does not answer."""
        if not _ID.match(table_id or ""):
            return None
        with _answering():
            if time.time() - self._pruned > 3600:
                self.prune()
            body = self.backend.read(table_id, "meta")
        return json.loads(body) if body else None

    def exists(self, table_id: str) -> bool:
        """Whether the store holds ``table_id`` (:class:`DatasetUnavailable` if it cannot say)."""
        if not _ID.match(table_id or ""):
            return False
        with _answering():
            return self.backend.exists(table_id)

    def dataset(self, table_id: str) -> Dataset | None:
        """The stored table as a :class:`Dataset` (from its Parquet: no parsing), or None."""
        meta = self.meta(table_id)
        with _answering():
            body = self.backend.read(table_id, "frame") if meta else None
        if meta is None or body is None:
            return None
        return to_dataset(table_cache.read_frame(body), meta)

    def remove(self, table_id: str) -> bool:
        if not self.exists(table_id):
            return False
        with _answering():
            self.backend.remove(table_id)
        return True


@contextlib.contextmanager
def _answering() -> Iterator[None]:
    """A store that does not answer (Redis down, a folder that cannot be read) becomes one log
    line (no traceback) and :class:`DatasetUnavailable`: the table may exist, we cannot tell."""
    try:
        yield
    except DatasetUnavailable:
        raise
    except Exception as exc:
        log.warning("upload store unavailable: %s: %s", type(exc).__name__, str(exc)[:200])
        raise DatasetUnavailable(str(exc)[:200]) from None


def _check_file(name: str, body: bytes, max_bytes: int, max_mb: int) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise UploadError(
            f"{name}: not a table this app reads (“{suffix or 'no extension'}”); "
            "upload a CSV, XLSX or Parquet file"
        )
    if len(body) > max_bytes:
        raise UploadError(
            f"{name}: {len(body) / 1048576:.1f} MB is over the upload limit of {max_mb} MB"
        )
    if not body.strip():
        raise UploadError(f"{name}: the file is empty")


def _refusal(name: str, result: LoadResult) -> Outcome:
    """A fatal load: the message (paths replaced by the file name), and the mapping step when
    the loader found a header but not the columns it needs."""
    message = (result.fatal or "").replace(result.path, name)
    missing = []
    if "title_zh" not in result.columns and "title_en" not in result.columns:
        missing.append("title")
    if not {"date", "province", "city", "district", "place", "lon"} & result.columns.keys():
        missing.append("where_when")
    header = list(result.columns.values()) + list(result.extras)
    if header and missing and "no rows" not in message:
        return Outcome(error=message, columns=[str(c) for c in header], missing=missing)
    return Outcome(error=message)


def _parts(
    name: str, body: bytes, result: LoadResult, datum: str = "wgs84", original: str | None = None
) -> dict[str, bytes]:
    meta = {
        "name": name,
        "rows": len(result.frame),
        "uploaded": dt.date.today().isoformat(),
        "bytes": len(body),
        "format": result.format,
        "encoding": result.encoding,
        **page_report(result).record(),
        # the column panel: every input column's role and why, the first rows, the choices
        "roles": result.roles,
        "preview": result.preview,
        "options": result.options.as_dict(),
        "datum": datum,
    }
    if original:  # a re-read: the file stays stored once, under the first reading's id
        meta["original"] = original
    frame = table_cache.frame_bytes(result.frame)  # the same Parquet form as --data's cache
    parts = {"frame": frame, "meta": json.dumps(meta).encode()}
    return parts if original else {"raw": body, **parts}


def to_dataset(frame: pd.DataFrame, meta: dict) -> Dataset:
    """A stored frame and its record as the :class:`Dataset` the views query: the label names
    the user's file, ``as_of`` is the upload date, and the bundled pilot layer is not offered."""
    from data import pilots

    for col in TUPLE_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(lambda v: tuple(v) if v is not None else ())
    return Dataset(
        frame=frame,
        pilots=pilots.load_pilots().iloc[0:0],
        label=str(meta.get("name", "table")),
        as_of=str(meta.get("uploaded", "")),
        report=CheckReport.from_record(meta),
        uploaded=True,
    )


# --- the downloadable template ---------------------------------------------------------------
#: The bundled table's columns and the Chinese header the loader reads as the same field.
TEMPLATE_ZH = {
    "policy_id": "编号",
    "date_issued": "发布日期",
    "level": "层级",
    "province_zh": "省份",
    "city_zh": "城市",
    "district_zh": "区县",
    "issuing_body_zh": "发文机关",
    "title_zh": "标题",
    "title_en": "英文标题",
    "policy_type": "政策类型",
    "stance": "立场",
    "incentives": "激励方式",
    "amount_cny": "金额（元）",
    "sectors": "领域",
    "summary_en": "摘要",
    "source": "来源",
}


def template_frame(lang: str) -> pd.DataFrame:
    """Two rows of the bundled table as written (a provincial and a city policy), with Chinese
    (``lang`` "zh") or the bundled English headers: what a user's file can look like."""
    from data.load import BUNDLED

    raw = pd.read_csv(BUNDLED, dtype=str, keep_default_na=False)
    has = raw["title_zh"].ne("") & raw["province_zh"].ne("")
    provincial = raw[has & raw["level"].eq("provincial")].head(1)
    city = raw[has & raw["level"].eq("city") & raw["city_zh"].ne("")].head(1)
    rows = pd.concat([provincial, city])
    if lang == "zh":
        return rows[list(TEMPLATE_ZH)].rename(columns=TEMPLATE_ZH)
    return rows


def template_bytes(lang: str, ext: str) -> bytes:
    frame = template_frame("zh" if lang == "zh" else "en")
    out = io.BytesIO()
    if ext == "xlsx":
        frame.to_excel(out, index=False, sheet_name="policies")
        return out.getvalue()
    return frame.to_csv(index=False).encode("utf-8-sig")  # the BOM: Excel opens it as UTF-8


def problems_csv(meta: dict, group: str | None = None) -> bytes:
    """The check report of a stored table as CSV (``group``: only the rows not placed or
    undated)."""
    return CheckReport.from_record(meta).csv(group)
