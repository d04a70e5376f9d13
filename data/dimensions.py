"""The filter dimensions: every way the dashboard slices the policy table, defined once.

The rest of the code loops over this registry: the URL keys (``data.state``), the filter masks and
counts (``data.query``), the filter bar, chips, breakdown charts, captions, file names and exports.
Adding a categorical dimension (a breakdown chart with its filter) is one :class:`Category` entry
in ``CATEGORIES``; its vocabulary lives in ``data.schema``.

Four dimensions are not categorical and have their own rules: ``region`` (adcodes on the map),
``date`` (a range), ``text`` (free-text search) and ``work_reports`` (government work reports in or
out). ``FILTERS`` lists every dimension in the order filters are described in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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

    @property
    def url_key(self) -> str:
        return self.id

    @property
    def chart_id(self) -> str:
        return f"bd-{self.id}"

    @property
    def chart_name(self) -> Label:
        """The breakdown chart's title: "按激励方式" / "By incentive"."""
        return Label(f"By {self.name.en[0].lower()}{self.name.en[1:]}", f"按{self.name.zh}")

    @property
    def file_stem(self) -> str:
        return f"policies-by-{self.id}"

    @property
    def order(self) -> tuple[str, ...]:
        """The vocabulary's codes in chart order (always drawn, so a figure can be patched)."""
        return tuple(c for c in self.vocab if c not in self.hidden)

    def label(self, code: object, lang: str) -> str:
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
