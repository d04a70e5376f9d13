"""Words that make a chart stand on its own: the filters in words, the source line, file names.

A chart taken into a report must explain itself without the dashboard around it, so every figure
carries its title, the active filters and the data source in the image (see ``style.frame``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from data import measures, periods
from data.dimensions import CATEGORY, Category
from data.state import ViewState
from layouts.i18n import t

NameOf = Callable[[str, str], str]


def plain(text: str) -> str:
    """Text made safe for plotly's HTML-like labels (titles, hover, axis ticks): a user's search
    words or a label kept as written from their table must show as typed, never as markup."""
    return html.escape(str(text), quote=False)


def describe_filters(
    state: ViewState, lang: str, name_of: NameOf, dims: Mapping[str, Category] = CATEGORY
) -> str:
    """The active filters as one line of words, e.g. ``广东省 · 2019-01-01 至 2021-12-31``; safe to
    put into a figure (user text escaped). ``dims``: the table's dimensions (its own ones)."""
    parts: list[str] = []
    places = state.region or ((state.drill,) if state.drill else ())  # a drill-down is a place
    if places:
        parts.append(("、" if lang == "zh" else ", ").join(name_of(a, lang) for a in places))
    if state.date_from and state.date_to:
        parts.append(t("date_from_to", lang, a=state.date_from, b=state.date_to))
    elif state.date_from:
        parts.append(t("since", lang, a=state.date_from))
    elif state.date_to:
        parts.append(t("until", lang, b=state.date_to))
    if state.period:  # the time slider's period narrows the dates
        shown = periods.display(state.period, lang)
        parts.append(t("period_up_to" if state.cumulative else "period_in", lang, p=shown))
    for dim, values in state.picks:
        sep = "、" if lang == "zh" else " or "
        c = dims.get(dim) or CATEGORY.get(dim)
        parts.append(sep.join(c.label(v, lang) if c else v for v in values))
    if state.text:
        parts.append(t("search_for", lang, q=state.text))
    if not state.work_reports:
        parts.append(t("wr_excluded", lang))
    body = " · ".join(parts) if parts else t("no_filters", lang)
    return plain(t("filters_in_words", lang) + body)


def source_line(
    lang: str,
    rows: int,
    data_date: str,
    short: bool = False,
    *,
    label: str = "Policy Atlas",
    sourced: bool = False,
) -> str:
    """The table actually shown (its label, rows, date), as printed under every chart (short for
    narrow charts). "each row with its source" only when every row names one (``sourced``)."""
    return t(
        "source_short" if short else "source_line",
        lang,
        label=plain(label),
        rows=f"{rows:,}",
        date=data_date,
        sourced=t("sourced", lang) if sourced else "",
    )


def slug(text: str) -> str:
    """A file-name-safe slug (ASCII letters, digits and dashes)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "all"


#: the charts whose regions are the map's level: a city map's file says so
BY_LEVEL = ("policy-map", "policy-ranking", "first-adoption-map")


def file_stem(chart: str, state: ViewState, name_of: NameOf) -> str:
    """A file name that says what the chart is, e.g. ``policy-map_guangdong_2019-2021``."""
    parts = [chart]
    if chart in ("policy-map", "policy-ranking") and state.measure != "count":
        # the measure drawn: per_pop asked of a city map draws counts, and the file says so
        parts.append(slug(measures.effective(state.measure, state.map_level_shown).id))
    if chart in BY_LEVEL and state.map_level_shown == "city":  # not the province map's name
        parts.append("cities")
    if state.region:
        parts.append("-".join(slug(name_of(a, "en")) for a in state.region[:3]))
    if state.date_from or state.date_to:
        a = (state.date_from or "")[:4] or "start"
        b = (state.date_to or "")[:4] or "now"
        parts.append(f"{a}-{b}")
    if state.period:
        parts.append(("to-" if state.cumulative else "") + state.period.lower())
    for _dim, values in state.picks:
        parts.append("-".join(slug(v) for v in values[:3]))
    return "_".join(parts)[:120]


def coarse_lines(counts: Mapping[str, int], step: str, lang: str) -> list[str]:
    """One line for the rows of ``counts`` (``data.query.by_precision``) dated less finely than
    the chart's step: "4 dated to the month/year only, not drawn at week step" (one line, so a
    phone's chart keeps its height for the plot; the CSV counts each precision)."""
    if not counts:
        return []
    unit = t(step, lang) if lang == "zh" else t(f"step_{step}", lang)
    what = "/".join(t(f"step_{p}", lang) for p in counts)
    return [t("coarse_not_drawn", lang, n=sum(counts.values()), p=what, step=unit)]
