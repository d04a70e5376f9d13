"""The view's texts beside the charts: the summary line, the counts beside the map, the note of
undated rows and the chips of the active filters."""

from __future__ import annotations

from data import query
from data.dataset import Dataset
from data.dimensions import CATEGORY
from data.state import ViewState
from layouts import map_story
from layouts.figures import captions
from layouts.i18n import t


def amount_text(value: float, lang: str) -> str:
    """A stated total in the unit people read it in (亿元 / 万元 / 元; million yuan / yuan)."""
    if not value:
        return "—"
    if lang == "zh":
        if value >= 1e8:
            return f"{value / 1e8:,.2f} 亿元"
        return f"{value / 1e4:,.0f} 万元" if value >= 1e4 else f"{value:,.0f} 元"
    return f"{value / 1e6:,.1f} million yuan" if value >= 1e6 else f"{value:,.0f} yuan"


def _count(n: int, one: str, many: str, lang: str) -> str:
    """A number with its noun in English ("1 city", "27 cities"); the number alone in Chinese."""
    if lang == "zh":
        return f"{n:,}"
    return f"{n:,} {one if n == 1 else many}"


def summary_text(ds: Dataset, state: ViewState) -> str:
    s = query.summary(ds.index, state)
    text = t(
        "summary",
        state.lang,
        policies=_count(int(s["policies"]), "policy", "policies", state.lang),
        provinces=_count(int(s["provinces"]), "province", "provinces", state.lang),
        cities=_count(int(s["cities"]), "city", "cities", state.lang),
        amount=amount_text(s["amount_total"], state.lang),
    )
    if s["policies"] != s["total"]:
        text += t("of_total", state.lang, total=f"{s['total']:,}")
    return text


def beside_lines(ds: Dataset, state: ViewState) -> list[str]:
    counts = query.unmapped_counts(ds.index, state, state.map_level_shown)
    lines = [t("national_beside", state.lang, n=counts["national"])]
    if counts.get("province_only"):
        lines.append(t("province_only_beside", state.lang, n=counts["province_only"]))
    if counts["unplaced"]:
        lines.append(t("unplaced_beside", state.lang, n=counts["unplaced"]))
    return lines + map_story.period_cut_lines(ds, state)


def chip_items(ds: Dataset, state: ViewState) -> list[tuple[str, str, str]]:
    """(dimension, value, label) for each active filter value; removing one drops that value."""
    lang = state.lang
    items: list[tuple[str, str, str]] = []
    if state.drill:
        # "→": a glyph every installed font has (⌖ was in none of them)
        items.append(("drill", state.drill, "→ " + ds.name_of(state.drill, lang)))
    items.extend(("region", a, ds.name_of(a, lang)) for a in state.region)
    if state.active("date"):
        dates = ViewState(
            date_from=state.date_from,
            date_to=state.date_to,
            period=state.period,
            cumulative=state.cumulative,
        )
        text = captions.describe_filters(dates, lang, ds.name_of, ds.dimension)
        items.append(("date", "", text.split(t("filters_in_words", lang), 1)[-1]))
    for dim, values in state.picks:
        c = ds.dimension.get(dim) or CATEGORY.get(dim)
        if c is None:  # a key this table has no dimension for (``data.state.restrict`` drops it)
            continue
        items.extend((dim, v, c.label(v, lang)) for v in values)
    if state.text:
        items.append(("text", "", t("search_for", lang, q=state.text)))
    if not state.work_reports:
        items.append(("work_reports", "", t("wr_excluded", lang)))
    return items
