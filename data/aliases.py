"""The reconciliation's picks as a small CSV: ``name, field, adcode, name_zh``.

A pick says "this name, as written in my table, is that place" (``ReadOptions.aliases``: name ->
adcode); the loader applies it to every row with that name before resolving. The CSV is what the
page offers for download and what ``python app.py --data FILE --aliases FILE`` reads (``field``
and ``name_zh`` are for the reader: the column the name was in, the place's official name).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

COLUMNS = ("name", "field", "adcode", "name_zh")
MAX_ALIASES = 5000


def aliases_csv(aliases: Iterable[tuple[str, str]], fields: dict[str, str] | None = None) -> bytes:
    """The CSV of ``aliases`` (name -> adcode); ``fields``: the column each name was in."""
    from geodata.resolver import ps_name

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for name, code in sorted(aliases):
        zh = next((n for lvl in ("district", "city", "province") if (n := ps_name(code, lvl))), "")
        writer.writerow([name, (fields or {}).get(name, ""), code, zh])
    return out.getvalue().encode("utf-8-sig")


def read_aliases(path: str | Path) -> tuple[tuple[str, str], ...]:
    """The (name, adcode) pairs of an aliases CSV; ``ValueError`` with one line naming the file,
    line and value for anything that cannot be used (an unknown adcode, a missing column)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read as a UTF-8 CSV ({exc})") from None
    return parse_aliases(text, str(path))


def parse_aliases(text: str, where: str = "aliases") -> tuple[tuple[str, str], ...]:
    from geodata.resolver import place_label

    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("name", "adcode") if c not in (reader.fieldnames or [])]
    if missing:
        found = ", ".join(reader.fieldnames or []) or "none"
        raise ValueError(f"{where}: no {' or '.join(missing)} column (columns: {found})")
    out: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        name, code = (row.get("name") or "").strip(), (row.get("adcode") or "").strip()
        if not name and not code:
            continue
        if not name:
            raise ValueError(f"{where}, line {line}: no name for adcode {code!r}")
        if not code.isdigit() or len(code) != 6 or place_label(code) is None:
            raise ValueError(f"{where}, line {line}, name {name!r}: {code!r} is not a known adcode")
        out[name] = code
        if len(out) > MAX_ALIASES:
            raise ValueError(f"{where}: more than {MAX_ALIASES} aliases")
    return tuple(sorted(out.items()))
