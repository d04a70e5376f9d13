"""Row accounting as the user can check it: every record of the file is a row or is reported.

``assert_rows_accounted(res, text)`` recounts the file's physical lines from its text (not from the
reader) and checks them against what the result shows: the rows of the frame, the records the notes
name (the header and lines above it, empty rows) and the lines the problems and notes say a record
spans. The loader checks the same invariant on every load (``data.load.row_accounting``); this is
the independent check the fuzz tests use.
"""

from __future__ import annotations

import re

from data.load import LoadResult

_SPANS = re.compile(r"spans lines (\d+)–(\d+)")
_LINE_END = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> int:
    """Lines as every CSV reader splits them (\\r\\n, \\r and \\n), a final line end ending the
    last line rather than starting an empty one."""
    if not text:
        return 0
    return len(_LINE_END.split(text)) - (1 if text.endswith(("\n", "\r")) else 0)


def reported_records(res: LoadResult) -> int:
    """Records the notes say are not rows: the header and the lines above it, empty rows."""
    header = [int(n) for t in res.notes for n in re.findall(r"header found on line (\d+)", t)]
    empty = [int(n) for t in res.notes for n in re.findall(r"(\d+) empty row\(s\) skipped", t)]
    return (header[0] if header else 1) + sum(empty)


def spanned_lines(res: LoadResult) -> int:
    """Physical lines beyond the first taken by records a problem or a note says span lines."""
    texts = [p.reason for p in res.problems] + list(res.notes)
    return sum(int(b) - int(a) for t in texts for a, b in _SPANS.findall(t))


def assert_rows_accounted(res: LoadResult, text: str | None = None) -> None:
    """Fails loudly when a record of the file is neither a row nor reported."""
    assert res.fatal is None or "please report this file" not in res.fatal, res.fatal
    if res.fatal is not None:
        return
    acc = res.accounting
    assert acc, "the loader did not account for the rows"
    assert acc["rows"] == len(res.frame)
    assert acc["records"] == acc["rows"] + sum(acc["skipped"].values()), acc
    assert res.frame["row"].is_unique
    if text is not None:
        lines = physical_lines(text)
        shown = len(res.frame) + reported_records(res) + spanned_lines(res)
        assert lines == shown, (lines, len(res.frame), reported_records(res), spanned_lines(res))
