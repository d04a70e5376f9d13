"""The filter dimensions: every way the dashboard slices the policy table, defined once.

The rest of the code loops over this registry: the URL keys (``data.state``), the filter masks and
counts (``data.query``), the filter bar, chips, breakdown charts, captions, file names and exports.
Adding a categorical dimension (a breakdown chart with its filter) is one :class:`Category` entry
in ``CATEGORIES``; its vocabulary lives in ``data.schema``.

Four dimensions are not categorical and have their own rules: ``region`` (adcodes on the map),
``date`` (a range), ``text`` (free-text search) and ``work_reports`` (government work reports in or
out). ``FILTERS`` lists every dimension in the order filters are described in words.

Each table has its own registry (``dimensions_of``, kept as ``Dataset.dimensions``): the bundled
dimensions the table has (one whose column is all "unknown" or "none stated" is not drawn), then
the table's own categorical columns (2 to ``MAX_VALUES`` distinct values, or marked by the user:
a marked column with more values shows its top ``TOP_N`` and "other"). The bundled table's
registry is ``CATEGORIES``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from data import schema
from data.schema import Label


@dataclass(frozen=True)
class Category:
    """A categorical filter dimension with a breakdown chart.

    ``id`` is the state key, the URL key and the chart's suffix (``bd-<id>``); ``column`` the
    canonical frame column it reads; ``multi`` whether a cell holds several codes (a tuple, e.g.
    incentives) rather than one; ``vocab`` the codes and their labels (a value outside it is kept
    as written); ``name`` the dimension's label; ``hidden`` codes that are not drawn as a bar of
    their own when absent from the data (``unknown``).
    """

    id: str
    column: str
    vocab: Mapping[str, Label]
    name: Label
    multi: bool = False
    hidden: tuple[str, ...] = ("unknown",)
    #: a code meaning "nothing stated" (not an informative category; kept apart in charts)
    none_code: str | None = None
    #: a column of the user's table (``dimensions_of``): values are labels as written
    own: bool = False
    #: a marked column with more than ``MAX_VALUES`` values: the ones drawn (the rest: ``OTHER``)
    top: tuple[str, ...] = ()
    #: how many distinct values the column holds (said in the note of a ``top`` dimension)
    distinct: int = 0

    @property
    def url_key(self) -> str:
        return self.id

    @property
    def chart_id(self) -> str:
        return f"bd-{self.id}"

    @property
    def chart_name(self) -> Label:
        """The breakdown chart's title: "按激励方式" / "By incentive"."""
        if self.own:  # a header as the user wrote it
            return Label(f"By {self.name.en}", f"按{self.name.zh}")
        return Label(f"By {self.name.en[0].lower()}{self.name.en[1:]}", f"按{self.name.zh}")

    @property
    def file_stem(self) -> str:
        return f"policies-by-{self.id}"

    @property
    def order(self) -> tuple[str, ...]:
        """The vocabulary's codes in chart order (always drawn, so a figure can be patched)."""
        return tuple(c for c in self.vocab if c not in self.hidden)

    def label(self, code: object, lang: str) -> str:
        if self.top and code == OTHER:
            return OTHER_LABEL.zh if lang == "zh" else OTHER_LABEL.en
        return schema.label(dict(self.vocab), code, lang)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "incentive",
        "incentives",
        schema.INCENTIVES,
        Label("Incentive", "激励方式"),
        multi=True,
        hidden=(),
        none_code="none-stated",
    ),
    Category("type", "policy_type", schema.POLICY_TYPES, Label("Policy type", "政策类型")),
    Category("level", "level", schema.LEVELS, Label("Issuing level", "发文层级")),
    Category("stance", "stance", schema.STANCES, Label("Stance", "政策取向")),
    Category("sector", "sectors", schema.SECTORS, Label("Sector", "应用领域"), multi=True),
)
CATEGORY: dict[str, Category] = {c.id: c for c in CATEGORIES}

#: Every filter dimension, in the order the filters are described in words.
FILTERS: tuple[str, ...] = ("region", "date", *CATEGORY, "text", "work_reports")


def category(dimension: str | Category) -> Category:
    """A dimension given by id (a bundled one) or as itself (a table's own)."""
    return dimension if isinstance(dimension, Category) else CATEGORY[dimension]


# ----------------------------------------------------------------- a table's own dimensions
#: A column with 2 to MAX_VALUES distinct values is a dimension; a marked one with more shows
#: its TOP_N most frequent values and OTHER; at most MAX_OWN own dimensions are drawn.
MAX_VALUES = 40
TOP_N = 20
MAX_OWN = 4
#: The value standing for the values a ``top`` dimension does not draw.
OTHER = "(other)"
OTHER_LABEL = Label("other", "其他")
#: The bundled table's topic (``Dataset.title_topic``): its titles keep their own wording.
BLOCKCHAIN = "blockchain"
#: Query-string keys that are not categorical dimensions (``data.state``): an own dimension's id
#: never takes one of them.
RESERVED = frozenset(
    (
        "region", "from", "to", "q", "wr", "period", "cum", "compare", "map", "drill", "measure",
        "gdp", "freq", "lang", "classes", "order", "pilots", "pf", "data", "columns", "options",
        "topic", "dims", "date_order", "embed", "limit", "format", "url", "maxwidth", "maxheight",
        "view",
    )
)  # fmt: skip
#: What a dimension id (= URL key) looks like: a letter (any script) then letters, digits, "-".
ID = re.compile(r"^[^\W\d_][\w-]{0,47}$")


def is_dimension(key: str) -> bool:
    """Whether a query-string key may name a categorical dimension (a bundled one or a table's
    own): which ones a table has is its dataset's business (``data.state.restrict``)."""
    return key in CATEGORY or (key not in RESERVED and bool(ID.match(key)))


#: Frame columns the loader writes (``data.schema``): not the user's own columns.
_CANONICAL = frozenset(schema.CANONICAL_COLUMNS + schema.EXTRA_COLUMNS)
_NOTHING = frozenset(("", "unknown", "none-stated", "nan", "none"))


def own_id(column: str, taken: Iterable[str] = ()) -> str:
    """The dimension id (= URL key) of a user's column: its header in lower case, runs of other
    characters than letters and digits as "-" (Chinese headers stay as they are); never a
    reserved key or a bundled dimension's id ("-2", "-3" … added)."""
    base = re.sub(r"[^\w]+", "-", str(column).casefold()).strip("-_")[:40] or "column"
    if not ID.match(base):
        base = f"c-{base}"
    used = set(taken) | set(CATEGORY) | RESERVED
    out, n = base, 1
    while out in used:
        n += 1
        out = f"{base}-{n}"
    return out


def _stated(column: pd.Series, c: Category) -> set[str]:
    """The codes a bundled dimension's column holds, "unknown" and "none stated" left out."""
    if c.multi:  # each distinct cell once (a million rows hold a few hundred tuples)
        cells = column.dropna().to_numpy(dtype=object)
        try:  # hashed (a tuple per row: faster than telling the shared ones apart by identity)
            distinct = pd.unique(cells)
        except TypeError:  # unhashable cells (lists): by identity
            ids = np.fromiter(map(id, cells), np.uint64, len(cells))
            distinct = cells[np.unique(ids, return_index=True)[1]]
        found = {str(v) for cell in distinct for v in (cell or ())}
    else:
        found = {str(v) for v in pd.unique(column.dropna().astype("object"))}
    return found - _NOTHING - {str(c.none_code)}


def _as_stated(c: Category, found: set[str]) -> Category:
    """A bundled dimension drawn with the codes this table has (no bar of zeros for a code it
    never uses; the bundled table keeps its whole vocabulary)."""
    absent = tuple(code for code in c.vocab if code not in found and code != c.none_code)
    return replace(c, hidden=(*c.hidden, *absent))


#: Values that are dates or numbers as written (20/01/2020, 2020-01-23, 5/6/2020, 1,200.5)
_DATE_OR_NUMBER = re.compile(r"^[\d\s.,/:+\-年月日]+$")
#: The longest typical value of a category (a label, not a sentence)
MAX_LABEL = 40


def _categorical_values(counts: pd.Series) -> bool:
    """Whether a column's distinct values read as categories: short labels that repeat, mostly
    not dates or numbers (a passed-through date or a description with 20 values is no
    breakdown)."""
    values = pd.Series(counts.index, dtype="object").astype(str)
    if values.str.len().median() > MAX_LABEL:
        return False
    if len(counts) > 10 and (counts == 1).mean() > 0.5:
        return False  # most values written once: notes, not categories
    return values.map(lambda v: bool(_DATE_OR_NUMBER.match(v))).mean() < 0.5


def _own(frame: pd.DataFrame, column: str, marked: bool, taken: Sequence[str]) -> Category | None:
    text = frame[column].astype("object").dropna().astype(str).str.strip()
    text = text[text != ""]
    counts = text.value_counts()
    if len(counts) < 2 and not marked:
        return None
    if len(counts) > MAX_VALUES and not marked:
        return None
    if not marked and not _categorical_values(counts):
        return None  # free text, dates, numbers: no breakdown unless the user marks the column
    top = tuple(counts.index[:TOP_N]) if len(counts) > MAX_VALUES else ()
    name = Label(str(column), str(column))
    return Category(
        own_id(column, taken),
        column,
        {},
        name,
        own=True,
        top=top,
        distinct=len(counts),
        none_code=OTHER if top else None,  # the rest: a line under the chart, not a bar
    )


def dimensions_of(
    frame: pd.DataFrame, marked: Sequence[str] = (), *, bundled: bool = False
) -> tuple[Category, ...]:
    """The dimensions of one table: the bundled table's ``CATEGORIES`` as they are; for any other
    table the bundled dimensions whose column states something, then its own columns (those
    ``marked`` first, then every other column the loader passed through with 2 to
    ``MAX_VALUES`` values, in table order), at most ``MAX_OWN`` of them."""
    if bundled:
        return CATEGORIES
    stated = {c.id: _stated(frame[c.column], c) for c in CATEGORIES if c.column in frame}
    out = [_as_stated(c, stated[c.id]) for c in CATEGORIES if stated.get(c.id)]
    extra = [c for c in frame.columns if c not in _CANONICAL]
    order = [c for c in marked if c in frame.columns]
    order += [c for c in extra if c not in order]
    own: list[Category] = []
    for column in order:
        if len(own) == MAX_OWN:
            break
        found = _own(frame, column, column in marked, [c.id for c in (*out, *own)])
        if found is not None:
            own.append(found)
    return (*out, *own)
