"""How a table is read: what the user said about its columns, dates, places and topic.

`ReadOptions` is the one record of those choices. It travels with a table (an upload's record, a
re-read, the CLI's ``--columns`` / ``--date-order``), so a link or a re-read reproduces the same
reading. The loader's steps read it from ``data.load._Build.options``:

- ``columns``: field id -> input header (``("province", "adm1_name")``); a composed title names
  its parts with ``+`` (``("title", "policy+policy_description")``).
- ``date_order``: ``"mdy"``, ``"dmy"``, ``"ymd"`` or None (infer from the column).
- ``whole_marker``: an extra "whole province" marker the user typed (besides the built-in ones).
- ``topic``: the table's topic for titles ("COVID-19 measures").
- ``aliases``: a name as written -> adcode (the reconciliation's picks).

``to_json`` / ``from_json`` round-trip; ``from_json`` raises ``ValueError`` with one clear line for
input that is not a valid record. ``digest`` is a short stable hash (equal options, equal digest).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

DATE_ORDERS = ("mdy", "dmy", "ymd")
_ADCODE = re.compile(r"^\d{6}$")
_MAX_TEXT = 200


@dataclass(frozen=True)
class ReadOptions:
    columns: tuple[tuple[str, str], ...] = ()
    date_order: str | None = None
    whole_marker: str | None = None
    topic: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueError(
                f"date order {self.date_order!r} is not one of {', '.join(DATE_ORDERS)}"
            )
        for name, value in (("whole_marker", self.whole_marker), ("topic", self.topic)):
            if value is not None and len(value) > _MAX_TEXT:
                raise ValueError(f"{name} is longer than {_MAX_TEXT} characters")
        for name, code in self.aliases:
            if not _ADCODE.match(code):
                raise ValueError(f"alias {name!r}: {code!r} is not a 6-digit adcode")

    @property
    def empty(self) -> bool:
        return self == ReadOptions()

    def column_map(self) -> dict[str, str]:
        """``columns`` as a dict (field -> header)."""
        return dict(self.columns)

    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    def with_columns(self, columns: dict[str, str]) -> ReadOptions:
        return _replace(self, columns=_pairs(columns))

    def as_dict(self) -> dict[str, Any]:
        return {
            "columns": [list(p) for p in self.columns],
            "date_order": self.date_order,
            "whole_marker": self.whole_marker,
            "topic": self.topic,
            "aliases": [list(p) for p in self.aliases],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes | None) -> ReadOptions:
        """Options from JSON text (None or "" -> the defaults); ValueError on anything else."""
        if text is None or (isinstance(text, str | bytes) and not text.strip()):
            return cls()
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"reading options are not valid JSON ({exc})") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> ReadOptions:
        if not isinstance(data, dict):
            raise ValueError("reading options must be a JSON object")
        unknown = set(data) - {"columns", "date_order", "whole_marker", "topic", "aliases"}
        if unknown:
            raise ValueError(f"unknown reading option(s): {', '.join(sorted(map(str, unknown)))}")
        return cls(
            columns=_pairs(data.get("columns") or (), "columns"),
            date_order=_text(data.get("date_order"), "date_order"),
            whole_marker=_text(data.get("whole_marker"), "whole_marker"),
            topic=_text(data.get("topic"), "topic"),
            aliases=_pairs(data.get("aliases") or (), "aliases"),
        )

    def digest(self) -> str:
        """A short stable hash of the options (12 hex digits)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:12]


def _replace(opts: ReadOptions, **kw: Any) -> ReadOptions:
    from dataclasses import replace

    return replace(opts, **kw)


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    value = value.strip()
    return value or None


def _pairs(value: Any, name: str = "columns") -> tuple[tuple[str, str], ...]:
    """``{k: v}`` or ``[[k, v], ...]`` -> sorted unique pairs of text."""
    items = value.items() if isinstance(value, dict) else value
    if not isinstance(items, list | tuple) and not isinstance(value, dict):
        raise ValueError(f"{name} must be an object or a list of pairs")
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError(f"{name}: {item!r} is not a pair")
        k, v = item
        if not isinstance(k, str) or not isinstance(v, str) or not k.strip() or not v:
            raise ValueError(f"{name}: {item!r} must be two non-empty texts")
        out[k.strip()] = v
    return tuple(sorted(out.items()))


def parse_columns_arg(text: str) -> dict[str, str]:
    """``province=adm1_name,city=adm2_name,title=policy+policy_description`` -> a dict; a
    malformed part raises ValueError naming it."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        field, sep, header = part.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise ValueError(f"--columns: {part!r} is not FIELD=COLUMN")
        out[field.strip()] = header.strip()
    return out
