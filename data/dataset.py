"""The datasets a running app serves: a policy table, its query index, pilots, reference figures.

A :class:`Dataset` is read-only once loaded. Every query, figure, table block and export receives
the dataset it works on as an argument; a :class:`DatasetStore` maps a request (today the default
table; a dataset id in the URL for uploaded tables) to its dataset. The default table is loaded at
start-up in each process, so any gunicorn worker can answer any request: per-user state lives in
the URL.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import pandas as pd

from data import diffusion, measures
from data.check import CheckReport
from data.dimensions import BLOCKCHAIN, Category, dimensions_of
from data.load import Problem
from data.query import PolicyIndex, build_index
from data.state import ViewState, restrict
from geodata import gazetteer


@dataclass(eq=False)
class Dataset:
    """Everything the views query. ``label`` names the table; ``as_of`` is the date of the data."""

    frame: pd.DataFrame
    pilots: pd.DataFrame
    label: str
    as_of: str
    #: the table's check report (``data.check``): the page shows it as an upload's is shown
    report: CheckReport = field(default_factory=CheckReport)
    #: a table a user uploaded (``data.uploads``): no bundled pilot layer, credited to its file
    uploaded: bool = False
    #: the label in Chinese, where the table has one (the bundled table)
    label_zh: str | None = None
    #: the table shipped with the app (``data/policies.csv``), not a ``--data`` file
    bundled: bool = False
    #: why the table a request names cannot be shown ("removed", "expired", "unreachable",
    #: "missing"): this dataset is then an empty stand-in, so nothing draws from another table
    gone: str | None = None
    #: columns the user marked as dimensions (``ReadOptions.dimensions``), drawn whatever their
    #: number of values
    marked: tuple[str, ...] = ()
    #: what the table's policies are about, as the user typed it (``ReadOptions.topic``): titles
    #: say "<topic> policies"; None: neutral ("Policies"). The bundled table's titles say
    #: "blockchain" (``title_topic``).
    topic: str | None = None

    @cached_property
    def dimensions(self) -> tuple[Category, ...]:
        """The table's categorical dimensions (``data.dimensions.dimensions_of``): a breakdown
        chart, a filter, a URL key, chips and an export each."""
        return dimensions_of(self.frame, self.marked, bundled=self.bundled)

    @cached_property
    def dimension(self) -> dict[str, Category]:
        return {c.id: c for c in self.dimensions}

    @property
    def title_topic(self) -> str | None:
        """The topic chart titles name: the user's ``topic``; None (neutral titles) for a
        table of the user's without one (uploaded or ``--data``); "blockchain" for the table shipped
        with the app (``data.dimensions.BLOCKCHAIN``)."""
        if self.topic:
            return self.topic
        return BLOCKCHAIN if self.bundled else None

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.report.problems

    def label_in(self, lang: str) -> str:
        """The table's name in ``lang`` (a file name stays as it is)."""
        return self.label_zh if lang == "zh" and self.label_zh else self.label

    @cached_property
    def index(self) -> PolicyIndex:
        return build_index(self.frame, self.dimensions)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @cached_property
    def missing(self) -> str | None:
        """What the whole table lacks for the charts: "placed" (no row could be placed on the
        map: every chart is empty), "dated" (no row has a readable date: the time charts are
        empty) or None. The charts say so instead of "no policy matches these filters"."""
        if not self.rows:
            return None
        if "placed" in self.frame and not (self.frame["placed"] != "unplaced").any():
            return "placed"
        if "date" in self.frame and not self.frame["date"].notna().any():
            return "dated"
        return None

    @cached_property
    def every_row_sourced(self) -> bool:
        """Whether every row names its source (a non-empty ``source``): only then may a chart's
        source line say "each row with its source"."""
        if "source" not in self.frame or not self.rows:
            return False
        source = self.frame["source"]
        if isinstance(source.dtype, pd.CategoricalDtype):  # each distinct source once
            if source.isna().any():
                return False
            used = source.cat.remove_unused_categories().cat.categories
            return bool((pd.Series(used, dtype="str").str.strip() != "").all())
        text = source.astype("object").fillna("").astype(str).str.strip()
        return bool((text != "").all())

    @cached_property
    def reference(self) -> pd.DataFrame:
        return measures.load_reference()

    @cached_property
    def region_codes(self) -> frozenset[str]:
        """Adcodes a view can select: every province and city-level unit of the map."""
        return frozenset(gazetteer.provinces()["adcode"]) | frozenset(gazetteer.cities()["adcode"])

    @cached_property
    def known_values(self) -> dict[str, frozenset[str]]:
        """Per categorical dimension, the values a view can pick: the vocabulary's codes and the
        labels this table uses as written."""
        return {
            c.id: frozenset(c.vocab) | frozenset(str(v) for v in self.index.categories[c.id].values)
            for c in self.dimensions
        }

    def restrict(self, state: ViewState) -> ViewState:
        """``state`` without the places and values this table cannot show (listed in notes), its
        time step picked from the table's dates when the link asks for none."""
        return diffusion.with_step(
            self.index, restrict(state, self.region_codes, self.known_values)
        )

    def regions(self, map_level: str, drill: str | None = None) -> pd.DataFrame:
        """The units drawn on the map: adcode, level, name_zh, name_en (all provinces; all cities
        or, when drilled into a province, its city-level units)."""
        if map_level == "city":
            out = gazetteer.cities(drill)
        else:
            out = gazetteer.provinces()
        out = out[["adcode", "level", "name_zh", "name_en", "province_adcode"]].copy()
        out["level"] = map_level
        return out.reset_index(drop=True)

    def name_of(self, adcode: str, lang: str) -> str:
        return gazetteer.name_of(adcode, "en" if lang == "en" else "zh") or adcode


class DatasetNotFound(LookupError):
    """A link names a table this server does not hold (never stored, or removed)."""


class DatasetUnavailable(DatasetNotFound):
    """The store that holds uploaded tables did not answer (Redis down): the table may well
    exist, so a page must not say it was removed, only that it cannot be reached now."""


class TableSource(Protocol):
    """Where uploaded tables are kept (``data.uploads.Uploads``)."""

    def exists(self, table_id: str) -> bool: ...
    def dataset(self, table_id: str) -> Dataset | None: ...


class DatasetStore:
    """Maps a request's dataset id to the :class:`Dataset` it views.

    The default table (the bundled one, or ``--data``) answers for no id; an uploaded table's id
    is resolved through ``source`` (the store every worker shares) and the few most recently used
    are kept parsed in memory (``keep``). A table removed by another worker is noticed at the next
    request (``source.exists`` is asked each time: a stat or one Redis call). A store that does
    not answer raises :class:`DatasetUnavailable` (a :class:`DatasetNotFound`).
    """

    def __init__(self, default: Dataset, source: TableSource | None = None, keep: int = 4) -> None:
        self.default = default
        self.source = source
        self.keep = keep
        self._tables: OrderedDict[str, Dataset] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, dataset_id: str, dataset: Dataset) -> None:
        with self._lock:
            self._tables[dataset_id] = dataset
            self._tables.move_to_end(dataset_id)
            while self.source is not None and len(self._tables) > self.keep:
                self._tables.popitem(last=False)

    def get(self, dataset_id: str | None = None) -> Dataset:
        """The dataset of ``dataset_id`` (the default table for None or "")."""
        if not dataset_id:
            return self.default
        if self.source is not None and not self.source.exists(dataset_id):
            with self._lock:
                self._tables.pop(dataset_id, None)
            raise DatasetNotFound(dataset_id)
        with self._lock:
            found = self._tables.get(dataset_id)
            if found is not None:
                self._tables.move_to_end(dataset_id)
        if found is None and self.source is not None:
            found = self.source.dataset(dataset_id)
            if found is not None:
                self.add(dataset_id, found)
        if found is None:
            raise DatasetNotFound(dataset_id)
        return found
