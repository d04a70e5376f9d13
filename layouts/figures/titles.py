"""Chart titles written from the filters, in the chart's language (a headline, not a label).

"政策分布" says what kind of chart it is; a report needs what it shows:
"以现金奖励或补贴支持区块链的政策，按省份，2020 年以来" /
"Blockchain policies offering cash rewards or subsidies, by province, since 2020".
The user may still replace the title before exporting (Download panel).
"""

from __future__ import annotations

from collections.abc import Mapping

from data import measures
from data.dimensions import BLOCKCHAIN, CATEGORY, Category
from data.measures import MEASURE
from data.state import ViewState
from layouts.figures.captions import NameOf, plain

#: What the chart breaks the policies down by: (English, Chinese).
_UNITS = {
    "province": ("by province", "按省份"),
    "city": ("by city", "按城市"),
    "ranked-province": ("provinces ranked", "各省份排名"),
    "ranked-city": ("cities ranked", "各城市排名"),
    "year": ("per year", "按年"),
    "quarter": ("per quarter", "按季度"),
    "month": ("per month", "按月"),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _period(state: ViewState, lang: str) -> str:
    """The date filter as a phrase: whole years read as years ("since 2020", "2019–2021 年")."""
    a, b = state.date_from, state.date_to
    if not a and not b:
        return ""
    ya = a[:4] if a and a.endswith("-01-01") else None
    yb = b[:4] if b and b.endswith("-12-31") else None
    zh = lang == "zh"
    if a and b and ya and yb:
        if ya == yb:
            return f"{ya} 年" if zh else f"in {ya}"
        return f"{ya}–{yb} 年" if zh else f"{ya}–{yb}"
    if a and not b:
        return (f"{ya} 年以来" if ya else f"{a} 起") if zh else f"since {ya or a}"
    if b and not a:
        return (f"{yb} 年及以前" if yb else f"{b} 及以前") if zh else f"until {yb or b}"
    return f"{a} 至 {b}" if zh else f"from {a} to {b}"


def _place(state: ViewState, lang: str, name_of: NameOf) -> str:
    places = state.region or ((state.drill,) if state.drill else ())
    sep = "、" if lang == "zh" else ", "
    return sep.join(name_of(a, lang) for a in places[:4]) + ("…" if len(places) > 4 else "")


def _qualifiers(state: ViewState, lang: str, dims: Mapping[str, Category]) -> tuple[str, list[str]]:
    """(the incentive phrase, the other picks as "dimension: values")."""
    zh = lang == "zh"
    incentive = ""
    others: list[str] = []
    for dim, values in state.picks:
        c = dims.get(dim) or CATEGORY.get(dim)
        if c is None:  # a key this table has no dimension for (``data.state.restrict`` drops it)
            continue
        labels = [c.label(v, lang) for v in values]
        if dim == "incentive":
            joined = "或".join(labels) if zh else " or ".join(_lower_first(x) for x in labels)
            incentive = joined
            continue
        name = c.name.zh if zh else (c.name.en if c.own else _lower_first(c.name.en))
        others.append(f"{name}：{'、'.join(labels)}" if zh else f"{name}: {' or '.join(labels)}")
    if state.text:
        others.append(f"含“{state.text}”" if zh else f"mentioning “{state.text}”")
    return incentive, others


def _measure_phrase(state: ViewState, unit: str, lang: str) -> str:
    """The measure the chart draws, as a phrase ("" for counts); when the measure asked has no
    figures at the chart's level (per capita of cities), the counts drawn, and why."""
    asked = MEASURE.get(state.measure)
    if asked is None or asked.id == "count":
        return ""
    level = "city" if state.drill or unit in ("city", "ranked-city") else "province"
    drawn = measures.effective(asked.id, level)
    zh = lang == "zh"
    if drawn.id == asked.id:
        return asked.name.zh if zh else _lower_first(asked.name.en)
    if zh:
        return f"政策数（{asked.name.zh}仅有省级数据，此处按政策数）"
    return f"policy counts ({_lower_first(asked.name.en)}: province figures only)"


def _core(topic: str | None, incentive: str, zh: bool) -> str:
    """What the policies are: the bundled table's "区块链政策" / "Blockchain policies", a user's
    topic ("<topic> policies"), or neutral "政策" / "Policies" (an uploaded table)."""
    if zh:
        what = "区块链" if topic == BLOCKCHAIN else (topic or "")
        if incentive:
            return f"以{incentive}支持{what}的政策" if what else f"提供{incentive}的政策"
        return f"{what}政策"
    what = "Blockchain" if topic == BLOCKCHAIN else (topic or "")
    core = f"{what[:1].upper()}{what[1:]} policies" if what else "Policies"
    return core + (f" offering {incentive}" if incentive else "")


def chart_title(
    state: ViewState,
    unit: str,
    name_of: NameOf,
    lang: str | None = None,
    *,
    dims: Mapping[str, Category] = CATEGORY,
    topic: str | None = BLOCKCHAIN,
) -> str:
    """The headline of a chart of ``state``; ``unit`` a key of ``_UNITS`` (``province``, ``year``,
    ``ranked-city`` …) or a categorical dimension id of ``dims`` (``incentive``: "by
    incentive"). ``topic``: what the policies are about (``Dataset.title_topic``; None: neutral
    "Policies, by province"). Safe to put into a figure (user text escaped)."""
    lang = lang or state.lang
    zh = lang == "zh"
    incentive, others = _qualifiers(state, lang, dims)
    place = _place(state, lang, name_of)
    measure_name = "" if unit in CATEGORY or unit in dims else _measure_phrase(state, unit, lang)
    if unit in CATEGORY or unit in dims:
        c = dims.get(unit) or CATEGORY[unit]
        by = (f"按{c.name.zh}", f"by {c.name.en if c.own else _lower_first(c.name.en)}")
        unit_text = by[0] if zh else by[1]
    elif unit in ("year", "quarter", "month", "province", "city", "ranked-province", "ranked-city"):
        unit_text = _UNITS[unit][1 if zh else 0]
    else:
        unit_text = ""
    if unit in ("year", "quarter", "month"):
        measure_name = ""
    if zh:
        head = place + _core(topic, incentive, zh) + "".join(f"（{o}）" for o in others)
        parts = [head, measure_name, unit_text, _period(state, lang)]
        return plain("，".join(p for p in parts if p))
    core = _core(topic, incentive, zh)
    if place:
        core += f" in {place}"
    if others:
        core += " (" + "; ".join(others) + ")"
    parts = [core, measure_name, unit_text, _period(state, lang)]
    return plain(", ".join(p for p in parts if p))
