"""Tables users upload from the browser: checked, stored under their content id, shared by link.

An upload goes through the same loader as ``--data`` (``data.load.load_table``). A usable table is
stored under an unguessable id derived from its content (HMAC-SHA256 of the file with the server's
signing key, and of the column mapping and datum the user chose, if any), in a store every web
worker shares: a private folder under ``POLICY_ATLAS_DATA_DIR`` by default, Redis when
``REDIS_URL`` is set (written through to the same folder, the durable copy: a Redis restart loses
no table, and every Redis key expires with the age limit). Next to the original file the store
keeps the parsed frame as Parquet (never a pickle: a store is data, not code) and a small JSON
record (file name, rows, upload date, the problems), so opening a link does not parse again.

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
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from data import bounded, progress, upload_slots
from data.check import CheckReport, page_report
from data.config import Config, private_dir
from data.coords import DATUMS
from data.dataset import Dataset, DatasetUnavailable
from data.load import LoadResult, load_table
from data.read_options import ReadOptions
from data.storage import TABLE_ID as _ID
from data.storage import (
    TUPLE_COLUMNS,
    Backend,
    FolderBackend,
    RedisBackend,
    frame_bytes,
    read_frame,
)

EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
log = logging.getLogger("policy_atlas.uploads")
_JOB = re.compile(r"^[0-9a-f]{32}$")
#: An owner's secret as the page keeps it (``secrets.token_urlsafe(24)``).
OWNER = re.compile(r"^[A-Za-z0-9_-]{32}$")
#: The key prefix of content-addressed blobs (a record's ``blob``).
BLOB = "blob-"
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
    #: the uploader's secret (kept in their browser; removing or pinning needs it)
    owner: str | None = None
    #: the background job that parses it (``Uploads.finish``), when it was not parsed yet
    job: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], "")}


class Uploads:
    """The upload store of one process (every worker opens the same backend).

    One record per upload: a record (``<table id>``: file name, upload date, owner, size, pinned)
    points at a content-addressed blob (``blob-<content id>``: the original, the frame, the check
    report) that identical files share; a blob goes with the last record that uses it. The table
    id is derived from the content *and* the owner, so two people uploading the same file get two
    tables, each with its own name, removed independently.
    """

    def __init__(
        self, config: Config, backend: Backend | None = None, secret: str | None = None
    ) -> None:
        self.config = config
        self.secret = secret.encode() if secret else None
        self.max_bytes = config.upload_max_mb * 1024 * 1024
        self.max_age_s = config.upload_max_age_days * 86400.0
        if backend is None:
            backend = FolderBackend(Path(config.data_dir) / "uploads")
            if config.redis_url:  # shared by every web host, the folder kept as the durable copy
                backend = RedisBackend(config.redis_url, backend, self.max_age_s)
        self.backend = backend
        self._tmp = private_dir(Path(config.data_dir) / "incoming", "POLICY_ATLAS_DATA_DIR")
        self._pruned = 0.0
        self.sweep_incoming(older_than_s=600.0)  # at start-up: what a killed worker left

    def slots(self) -> upload_slots.Slots:
        """Where the uploads being received are counted for every worker (``callbacks.intake``):
        the store's Redis, or a folder beside the incoming files."""
        if self.config.redis_url:
            return upload_slots.RedisSlots(self.config.redis_url)
        return upload_slots.FolderSlots(self._tmp / ".slots")

    # ----------------------------------------------------------------- ids
    def _mac(self, *parts: bytes) -> str:
        body = b"\0".join(parts)
        return (
            hmac.new(self.secret, body, "sha256") if self.secret else hashlib.sha256(body)
        ).hexdigest()

    def blob_id(self, body: bytes, options: object = None) -> str:
        """The content id of a file read with ``options`` (JSON-able; None: the defaults):
        HMAC-SHA256 with the server's key, so a copy of someone's file does not find it."""
        if not options:
            return self._mac(b"blob", body)
        return self._mac(b"blob", body, json.dumps(options, sort_keys=True).encode())

    def owner_key(self, owner: str) -> str:
        """What a record keeps of its owner's secret (the secret itself is never stored)."""
        return self._mac(b"owner", owner.encode())[:32]

    def table_id(self, blob: str, owner_key: str) -> str:
        """The public id of ``owner_key``'s table of content ``blob`` (:meth:`blob_id`): the same
        file from two owners gives two tables; the same owner uploading it again, the same one."""
        return self._mac(b"table", blob.encode(), owner_key.encode())

    # ----------------------------------------------------------------- upload
    def ingest(
        self,
        name: str,
        body: bytes,
        mapping: dict[str, str] | None = None,
        datum: str = "wgs84",
        *,
        owner: str | None = None,
        client: str = "",
        options: ReadOptions | None = None,
        original: str | None = None,
        defer: bool = False,
    ) -> Outcome:
        """Check, parse and store one uploaded file; never raises for bad input (a store that
        does not answer raises :class:`DatasetUnavailable`). ``datum``: of longitude/latitude
        columns, if the table has them ("wgs84" or "gcj02"). ``owner``: the uploader's secret
        (a new one is made and returned in ``Outcome.owner`` when it has none); ``client``: the
        client's address (the cap on anonymous uploads). ``options``: how to read it (the column
        panel's choices; part of the content id, so a link reproduces the reading). ``original``:
        the table a re-read started from (its first reading: the reconciliation's names).
        ``defer``: a file that needs parsing is only kept for a job (``Outcome.job``, the table's
        id it will have, the owner's secret): :meth:`finish` parses and stores it."""
        t0 = time.perf_counter()
        name = os.path.basename(name or "").strip()[:200] or "table"
        try:
            _check_file(name, body, self.max_bytes, self.config.upload_max_mb)
        except UploadError as exc:
            return Outcome(error=str(exc))
        mapping = {k: v for k, v in (mapping or {}).items() if k in MAPPABLE and v}
        datum = datum if datum in DATUMS else "wgs84"
        owner, who = self._who(owner, client)
        options = options or ReadOptions()
        how: list[Any] = [mapping, datum] if mapping or datum != "wgs84" else []
        if not options.empty:
            how.append(options.as_dict())
        blob = self.blob_id(body, how or None)
        table_id = self.table_id(blob, who["owner"])
        with _answering():
            if self.backend.exists(table_id):  # this owner uploaded it already
                meta = self.meta(table_id) or {}
                return Outcome(
                    id=table_id,
                    rows=meta.get("rows", 0),
                    owner=owner,
                    problems=len(meta.get("problems", ())),
                )
            self.prune()
            refused = self._over_quota(name, len(body), who)
            if refused:
                return Outcome(error=refused)
            report = self._blob_report(blob)
        job = {"name": name, "blob": blob, "table": table_id, "who": who, "original": original,
               "how": [mapping, datum, options.as_dict()]}  # fmt: skip
        if report is None and defer:  # new content: parsed by a job (``finish``)
            return Outcome(id=table_id, owner=owner, job=self._stash(job, body))
        if report is None:  # new content: parse it, in a child within the parse budget
            parsed = self._parse_blob(name, body, blob, (mapping, datum, options))
            if isinstance(parsed, Outcome):
                return parsed
            report = parsed
        out = self._keep(job, report)
        out.owner, out.seconds = owner, round(time.perf_counter() - t0, 3)
        return out

    def _keep(self, job: dict, report: dict) -> Outcome:
        """The record of a parsed upload stored (``job``: what :meth:`ingest` knew of it), or
        the quota's refusal."""
        name, blob, table_id, who = job["name"], job["blob"], job["table"], job["who"]
        record = {
            "name": name,
            "uploaded": dt.date.today().isoformat(),
            "blob": blob,
            "size": report.get("stored", 0),
            "pinned": False,
            **who,
        }
        if job.get("original"):
            record["original"] = job["original"]
        with _answering():
            refused = self._over_quota(name, record["size"], who)
            if refused:
                self._drop_blob(blob, table_id)
                return Outcome(error=refused)
            self.backend.save(table_id, {"meta": json.dumps(record).encode()})
        return Outcome(
            id=table_id, rows=report.get("rows", 0), problems=len(report.get("problems", ()))
        )

    # ----------------------------------------------------------------- upload jobs
    def _job_files(self, job: str, suffix: str = "") -> tuple[Path, Path, Path]:
        """A job's (description, file, progress) in the incoming folder (``suffix``: the
        uploaded file's, which says how to read it)."""
        return (self._tmp / f"{job}.json", self._tmp / f"{job}.body{suffix}",
                self._tmp / f"{job}.progress")  # fmt: skip

    def _stash(self, job: dict, body: bytes) -> str:
        """Keep an upload for its job (in the private incoming folder, swept when left over):
        the job's id."""
        job_id = secrets.token_hex(16)
        meta, raw, _ = self._job_files(job_id, Path(job["name"]).suffix.lower())
        raw.write_bytes(body)
        meta.write_text(json.dumps(job), encoding="utf-8")
        return job_id

    def drop_job(self, job: str) -> None:
        """Remove what job ``job`` kept (it ended without finishing: its process killed)."""
        if _JOB.match(job or ""):
            for f in self._tmp.glob(f"{job}.*"):
                with contextlib.suppress(OSError):
                    f.unlink()

    def progress(self, job: str) -> dict | None:
        """How far job ``job``'s parse has got (``data.progress``), or None."""
        return progress.read(str(self._job_files(job)[2])) if _JOB.match(job or "") else None

    def finish(self, job: str, on_tick: Any = None) -> Outcome:
        """Parse and store the upload kept for ``job`` (:meth:`ingest` with ``defer``), calling
        ``on_tick`` about twice a second while it parses (:meth:`progress` says how far); its
        files are removed whatever happens."""
        t0 = time.perf_counter()
        if not _JOB.match(job or ""):
            return Outcome(error="this upload is no longer here; upload the file again")
        try:
            spec = json.loads(self._job_files(job)[0].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Outcome(error="this upload is no longer here; upload the file again")
        files = self._job_files(job, Path(spec["name"]).suffix.lower())
        try:
            mapping, datum, options = spec["how"]
            how = (mapping, datum, ReadOptions.from_dict(options))
            size = files[1].stat().st_size
            watch = {"files": [str(f) for f in files], "progress": str(files[2]), "size": size}
            report = self._blob_report(spec["blob"])
            if report is None:
                parsed = self._parse_blob(
                    spec["name"], None, spec["blob"], how, (str(files[1]), watch, on_tick)
                )
                if isinstance(parsed, Outcome):
                    return parsed
                report = parsed
            out = self._keep(spec, report)
        finally:
            for f in files:
                with contextlib.suppress(OSError):
                    f.unlink()
        out.seconds = round(time.perf_counter() - t0, 3)
        return out

    def _who(self, owner: str | None, client: str) -> tuple[str, dict[str, Any]]:
        """(the owner's secret, a new one when none was given; what a record keeps of the owner
        and the client: keys, never the secret or the address)."""
        anonymous = not OWNER.match(owner or "")
        secret = secrets.token_urlsafe(24) if anonymous else str(owner)
        return secret, {
            "owner": self.owner_key(secret),
            "client": self._mac(b"client", client.encode())[:32],
            "anonymous": anonymous,
        }

    def _parse_blob(
        self,
        name: str,
        body: bytes | None,
        blob: str,
        how: tuple[dict[str, str], str, ReadOptions],
        kept: tuple[str, dict, Any] | None = None,
    ) -> Outcome | dict:
        """A new content parsed within the budget and stored as ``blob``: its report, or the
        refusal. ``how``: (mapping, datum, options); ``kept``: a job's (file, watch, on_tick),
        the file read instead of ``body``."""
        try:
            if kept is not None:
                path, watch, on_tick = kept
                args = (name, path, os.path.getsize(path), self.max_bytes, *how)
                cfg = self.config
                parsed = bounded.run(parse_upload, args, cfg.parse_memory_mb, cfg.parse_seconds,
                                     watch, on_tick)  # fmt: skip
                body = Path(path).read_bytes()
            else:
                parsed = self._load(name, body or b"", *how)
        except bounded.OverBudget as exc:
            log.warning("upload of %r over budget: %s", name[:80], exc)
            return Outcome(error=f"{name}: {exc}; nothing was stored")
        except RuntimeError:  # logged with its traceback by data.bounded
            return Outcome(error=f"{name}: the file could not be read; nothing was stored")
        if isinstance(parsed, Outcome):
            return parsed
        parts = parsed[0]
        with _answering():
            self.backend.save(BLOB + blob, {"raw": body or b"", **parts})
        return json.loads(parts["report"])

    def _blob_report(self, blob: str) -> dict | None:
        body = self.backend.read(BLOB + blob, "report")
        return json.loads(body) if body else None

    def reread(
        self, table_id: str, options: ReadOptions, *, owner: str | None = None, client: str = ""
    ) -> Outcome:
        """The stored table ``table_id`` read again from its original file with ``options`` (the
        column panel): a new table (its own id, owned by whoever asked); an error (nothing
        stored, the previous reading stays) when the choices cannot be used."""
        meta = self.meta(table_id)
        if meta is None:
            return Outcome(error="this table is no longer stored; upload it again")
        with _answering():
            body = self.backend.read(BLOB + str(meta.get("blob", "")), "raw")
        if body is None:
            return Outcome(error="the original file is no longer stored; upload it again")
        name = str(meta.get("name", "table"))
        datum = str(meta.get("datum") or "wgs84")
        first = str(meta.get("original") or table_id)
        return self.ingest(
            name, body, None, datum, owner=owner, client=client, options=options, original=first
        )

    def with_aliases(
        self, table_id: str, aliases: dict[str, str], *, owner: str | None = None, client: str = ""
    ) -> Outcome:
        """The reconciliation's picks (name as written -> adcode) added to the table's reading
        options and the table read again (:meth:`reread`: a new id, the old one stays, owned by
        ``owner``, the secret of whoever asked); an empty ``aliases`` removes every pick."""
        meta = self.meta(table_id)
        if meta is None:
            return Outcome(error="this table is no longer stored; upload it again")
        options = ReadOptions.from_dict(meta.get("options") or {})
        merged = {**options.alias_map(), **aliases} if aliases else {}
        return self.reread(
            table_id,
            replace(options, aliases=tuple(sorted(merged.items()))),
            owner=owner,
            client=client,
        )

    def _load(
        self,
        name: str,
        body: bytes,
        mapping: dict[str, str],
        datum: str,
        options: ReadOptions | None = None,
    ) -> Outcome | tuple[dict[str, bytes], int, int]:
        """The file parsed in a child process within the parse budget (``data.bounded``): a
        refusal, or the stored parts but the original (frame, report), rows and problems."""
        suffix = Path(name).suffix.lower()
        fd, tmp = tempfile.mkstemp(suffix=suffix, dir=self._tmp)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            args = (name, tmp, len(body), self.max_bytes, mapping, datum, options)
            cfg = self.config
            return bounded.run(parse_upload, args, cfg.parse_memory_mb, cfg.parse_seconds)
        finally:
            os.unlink(tmp)

    # ----------------------------------------------------------------- retention
    def records(self) -> dict[str, tuple[float, dict]]:
        """Every table record with its last use (for retention and quotas; never listed to a
        user)."""
        out = {}
        for table_id, used in self.backend.entries().items():
            body = self.backend.read(table_id, "meta", touch=False)
            if body:
                out[table_id] = (used, json.loads(body))
        return out

    def _over_quota(self, name: str, size: int, who: dict) -> str | None:
        """Why a table of ``size`` bytes from ``who`` does not fit (never by removing someone
        else's table: a full store refuses), or None."""
        records = [rec for _, rec in self.records().values()]
        mine = sum(r.get("size", 0) for r in records if r.get("owner") == who["owner"])
        blobs = {r.get("blob"): r.get("size", 0) for r in records}
        mb = 1024 * 1024
        cfg = self.config
        if mine + size > cfg.upload_owner_max_mb * mb:
            return (
                f"{name}: your tables on this server already use {mine / mb:.1f} MB of your "
                f"{cfg.upload_owner_max_mb} MB; remove one of them to upload another"
            )
        if who["anonymous"]:
            theirs = sum(
                r.get("size", 0)
                for r in records
                if r.get("anonymous") and r.get("client") == who["client"]
            )
            if theirs + size > cfg.upload_client_max_mb * mb:
                return (
                    f"{name}: uploads from your address already use {theirs / mb:.1f} MB of "
                    f"{cfg.upload_client_max_mb} MB; try again when older ones expire"
                )
        if sum(blobs.values()) + size > cfg.upload_max_total_mb * mb:
            return (
                f"{name}: the server's space for uploaded tables is full "
                f"({cfg.upload_max_total_mb} MB); nothing was stored. Tables free space as "
                f"they expire after {cfg.upload_max_age_days} days unused: try again later"
            )
        return None

    def sweep_incoming(self, older_than_s: float = 3600.0) -> int:
        """Remove what interrupted uploads left (a worker killed mid-parse, a full disk): files
        in the incoming folder and half-written store folders older than ``older_than_s``
        (at start-up and with each retention sweep); how many were removed."""
        roots = [self._tmp]
        folder = getattr(self.backend, "disk", self.backend)  # RedisBackend's durable copy
        if isinstance(folder, FolderBackend):
            roots.append(folder.root)
        now, gone = time.time(), 0
        for root in roots:
            for entry in root.iterdir():
                if root != self._tmp and not entry.name.startswith(".incoming-"):
                    continue
                if entry.name == ".slots":  # the uploads being received (data.upload_slots)
                    continue
                with contextlib.suppress(OSError):
                    if now - entry.lstat().st_mtime >= older_than_s:
                        if entry.is_dir() and not entry.is_symlink():
                            shutil.rmtree(entry)
                        else:
                            entry.unlink()
                        gone += 1
        if gone:
            log.info("removed %d file(s) left by interrupted uploads", gone)
        return gone

    def prune(self) -> list[str]:
        """Remove the tables unused for longer than the age limit (a pinned table stays); run at
        each upload and hourly when links are read. Nothing is removed for space: a full store
        refuses new uploads instead."""
        self._pruned = time.time()
        self.sweep_incoming()
        now, gone = time.time(), []
        for table_id, (used, record) in self.records().items():
            if now - used > self.max_age_s and not record.get("pinned"):
                self._forget(table_id, record, "expired")
                gone.append(table_id)
        return gone

    def _forget(self, table_id: str, record: dict, why: str) -> None:
        self.backend.remove(table_id)
        self.backend.bury(table_id, why, max(self.max_age_s, 86400.0))
        self._drop_blob(record.get("blob") or "", table_id)

    def _drop_blob(self, blob: str, table_id: str) -> None:
        """Remove ``blob`` unless another record still uses it (reference counted)."""
        if not blob:
            return
        users = [
            i for i, (_, r) in self.records().items() if r.get("blob") == blob and i != table_id
        ]
        if not users:
            self.backend.remove(BLOB + blob)

    # ----------------------------------------------------------------- reading back
    def _record(self, table_id: str, touch: bool = True) -> dict | None:
        body = self.backend.read(table_id, "meta", touch=touch)
        return json.loads(body) if body else None

    def meta(self, table_id: str) -> dict | None:
        """The table's record and check report, or None when the store does not hold it (never
        stored, removed, expired). Raises :class:`DatasetUnavailable` when the store does not
        answer."""
        if not _ID.match(table_id or ""):
            return None
        with _answering():
            if time.time() - self._pruned > 3600:
                self.prune()
            if not self.exists(table_id):
                return None
            record = self._record(table_id)
            if record is None or "blob" not in record:
                return record  # a record written before blobs: it holds everything itself
            report = self._blob_report(record["blob"])
        return {**report, **record} if report is not None else None

    def exists(self, table_id: str) -> bool:
        """Whether the store holds ``table_id`` (:class:`DatasetUnavailable` if it cannot say);
        a table past its age limit is removed now (it has expired)."""
        if not _ID.match(table_id or ""):
            return False
        with _answering():
            used = self.backend.used(table_id)
            if used is None:
                return False
            if time.time() - used > self.max_age_s:
                record = self._record(table_id, touch=False) or {}
                if not record.get("pinned"):
                    self._forget(table_id, record, "expired")
                    return False
            return True

    def why_gone(self, table_id: str) -> str | None:
        """ "removed" or "expired" for a table the store held within the age limit, else None."""
        if not _ID.match(table_id or ""):
            return None
        with _answering():
            return self.backend.why(table_id)

    def dataset(self, table_id: str) -> Dataset | None:
        """The stored table as a :class:`Dataset` (from its Parquet: no parsing), or None."""
        meta = self.meta(table_id)
        with _answering():
            key = BLOB + meta["blob"] if meta and "blob" in meta else table_id
            body = self.backend.read(key, "frame") if meta else None
        if meta is None or body is None:
            return None
        return to_dataset(read_frame(body), meta)

    def _owned(self, table_id: str, owner: str | None) -> tuple[str, dict | None]:
        if not self.exists(table_id):
            return "missing", None
        with _answering():
            record = self._record(table_id, touch=False) or {}
        key = self.owner_key(owner) if owner and OWNER.match(owner) else ""
        if not key or not hmac.compare_digest(key, str(record.get("owner", ""))):
            return "forbidden", record
        return "ok", record

    def remove(self, table_id: str, owner: str | None) -> str:
        """Remove ``table_id`` for its ``owner`` (the secret given at upload): "removed",
        "forbidden" (another secret, or none) or "missing"."""
        status, record = self._owned(table_id, owner)
        if status != "ok" or record is None:
            return status
        with _answering():
            self._forget(table_id, record, "removed")
        return "removed"

    def pin(self, table_id: str, owner: str | None, pinned: bool = True) -> str:
        """Keep (or stop keeping) ``table_id`` past the age limit; it counts in the owner's
        quota all the same. "pinned"/"unpinned", "forbidden" or "missing"."""
        status, record = self._owned(table_id, owner)
        if status != "ok" or record is None:
            return status
        record["pinned"] = bool(pinned)
        with _answering():
            self.backend.put(table_id, "meta", json.dumps(record).encode())
        return "pinned" if pinned else "unpinned"


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


def parse_upload(
    name: str,
    path: str,
    size: int,
    max_bytes: int,
    mapping: dict[str, str],
    datum: str,
    options: ReadOptions | None = None,
) -> Outcome | tuple[dict[str, bytes], int, int]:
    """In the parse's child process: the table at ``path`` read, checked and turned into a
    blob's parts but the original (``frame``, ``report``), rows and problems; or the refusal."""
    result = load_table(path, max_bytes=max_bytes, mapping=mapping, datum=datum, options=options)
    if result.fatal:
        return _refusal(name, result)
    progress.report("storing", len(result.frame), force=True)
    parts = _parts(b"", result, datum)
    report = json.loads(parts["report"])
    report["bytes"], report["stored"] = size, size + len(parts["frame"])
    return (
        {"frame": parts["frame"], "report": json.dumps(report).encode()},
        len(result.frame),
        len(result.problems),
    )


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


def _parts(body: bytes, result: LoadResult, datum: str = "wgs84") -> dict[str, bytes]:
    """A blob's parts: the original, the frame, the check report and the column panel's reading
    (no file name: that is the record's, never shown to another uploader of the same content)."""
    frame = frame_bytes(result.frame)  # the same Parquet form as --data's cache
    report = {
        "rows": len(result.frame),
        "bytes": len(body),
        "stored": len(body) + len(frame),
        "format": result.format,
        "encoding": result.encoding,
        **page_report(result).record(),
        # the column panel: every input column's role and why, the first rows, the choices
        "roles": result.roles,
        "preview": result.preview,
        "options": result.options.as_dict(),
        "datum": datum,
    }
    return {"raw": body, "frame": frame, "report": json.dumps(report).encode()}


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
        topic=(meta.get("options") or {}).get("topic") or None,  # the column panel's topic
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
