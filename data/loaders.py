"""Loading a dataset: the bundled table or a user's ``--data`` file, through the parsed-table
cache (``data.table_cache``), into the model's :class:`data.dataset.Dataset`.

The model (``data/dataset.py``) knows nothing of files; this module is its one loader for the
default table (uploaded tables are read back by ``data.uploads``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from data import check, load, pilots, table_cache
from data.dataset import Dataset
from data.read_options import ReadOptions

BUNDLED_INFO = Path(__file__).parent / "DATASET.json"


def load_dataset(
    path: str | None = None,
    sheet: str | None = None,
    *,
    cache: Path | bool = True,
    options: ReadOptions | None = None,
) -> Dataset:
    """The bundled table (``path`` None) or a user's file, loaded through ``data.load``; a file's
    parsed table is kept in the cache folder (``data.table_cache``; ``cache``: True for the
    configured folder, a folder, or False for none)."""
    if path is None:
        result = load.load_bundled()
        info = json.loads(BUNDLED_INFO.read_text(encoding="utf-8"))
        label, as_of, label_zh = info["label"], info["as_of"], info.get("label_zh")
    else:
        label_zh = None
        if cache is False:
            result = load.load_table(path, sheet=sheet, options=options)
        else:
            root = None if cache is True else Path(cache)
            result = table_cache.load_cached(path, sheet, root, options)
        if result.fatal:
            raise ValueError(result.fatal)
        label = Path(path).name
        as_of = dt.date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
    if path is None or cache is False:
        pilot_table = pilots.load_pilots()
    else:
        root = None if cache is True else Path(cache)
        pilot_table = table_cache.cached_frame("pilots", pilots.load_pilots, root)
    return Dataset(
        frame=result.frame,
        pilots=pilot_table,
        label=label,
        as_of=as_of,
        report=check.page_report(result),
        label_zh=label_zh,
        bundled=path is None,
        topic=options.topic if options else None,
    )
