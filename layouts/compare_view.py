"""Compare mode in the views: the timeline and breakdowns split by region (``data.compare``).

``add_views`` replaces the merged timeline and breakdown figures of ``viewmodel.views`` by their
compare twins (``figures.compare_charts``) when the state compares; the map, the ranking and the
diffusion views stay as they are. Compare figures are sent whole even when the rest of the page is
patched (the traces follow the regions), as a patch of the figure's ``data`` and ``layout``.
Everything an exported chart needs to stand alone is in it: the regions compared in the title, the
legend naming them in the chart's language, overlaps and regions left out in a line under it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from data import compare
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids, spread
from layouts.figures import captions, compare_charts, titles
from layouts.i18n import t
from layouts.present_common import Views, empty_text, source_line

#: The charts compare mode splits (their ids stay: exports, camera names and clicks follow).
CHARTS: tuple[str, ...] = (ids.TIMELINE, *ids.BREAKDOWNS, *ids.OWN_CHARTS)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def names(ds: Dataset, cmp: compare.Comparison, lang: str, escape: bool = True) -> list[str]:
    """Each compared region's legend name; a province that holds other compared regions says so
    ("广东省（含深圳市）", "Guangdong (incl. Shenzhen)")."""
    out = []
    for r in cmp.regions:
        name = ds.name_of(r, lang)
        inside = cmp.contains.get(r)
        if inside:
            within = _sep(lang).join(ds.name_of(a, lang) for a in inside)
            name = t("compare_incl", lang, name=name, within=within)
        out.append(captions.plain(name) if escape else name)
    return out


def title(ds: Dataset, state: ViewState, unit: str, regions: tuple[str, ...]) -> str:
    """The chart's headline without the merged place list, then the regions compared:
    "区块链政策，按年，对比：深圳市、广州市" / "Blockchain policies, per year, compared: …"."""
    lang = state.lang
    base = titles.chart_title(
        replace(state, region=()), unit, ds.name_of, dims=ds.dimension, topic=ds.title_topic
    )
    listed = _sep(lang).join(ds.name_of(r, lang) for r in regions)
    joiner = "，" if lang == "zh" else ", "
    return base + joiner + captions.plain(t("compared", lang, names=listed))


def note(ds: Dataset, state: ViewState, cmp: compare.Comparison) -> str:
    """What a reader must know to read the series: a province counts its compared cities too;
    regions past the cap are not drawn."""
    lang = state.lang
    sep = _sep(lang)
    lines = []
    for p, inside in cmp.contains.items():
        within = sep.join(ds.name_of(a, lang) for a in inside)
        lines.append(t("compare_overlap", lang, name=ds.name_of(p, lang), within=within))
    if cmp.left_out:
        left = sep.join(ds.name_of(a, lang) for a in cmp.left_out)
        lines.append(t("compare_left_out", lang, n=compare.MAX_REGIONS, names=left))
    return captions.plain(" ".join(lines))


def _apart(ds: Dataset, state: ViewState, dim: str, frame: pd.DataFrame, regions: tuple) -> str:
    """The "nothing stated" count of each region, kept apart from the bars as in the merged
    chart ("未提及激励方式：深圳市 1 项、广州市 4 项")."""
    none = ds.dimension[dim].none_code
    row = frame[frame["code"] == none]
    if none is None or row.empty or not int(row[list(regions)].to_numpy().sum()):
        return ""
    lang = state.lang
    what = ds.dimension[dim].label(none, lang)
    counts = _sep(lang).join(
        t("compare_n", lang, name=ds.name_of(r, lang), n=int(row[r].iloc[0])) for r in regions
    )
    return captions.plain(f"{what}：{counts}" if lang == "zh" else f"{what}: {counts}")


def figures(ds: Dataset, state: ViewState, sub: str, *, export: bool) -> dict[str, go.Figure]:
    """The compare figures of ``state`` (an empty dict when it does not compare)."""
    if not state.comparing():
        return {}
    cmp = compare.comparison(ds.index, state, crossfilter=not export)
    lang, empty = state.lang, empty_text(ds, state, "timeline")
    legend = names(ds, cmp, lang)
    below = note(ds, state, cmp)
    frame = cmp.timeline
    if export and state.active("date"):  # only the periods the date filter keeps
        frame = frame[frame["selected"]].reset_index(drop=True)
    if export:
        frame = frame.assign(selected=False)
    out = {
        ids.TIMELINE: compare_charts.timeline_figure(
            frame,
            cmp.regions,
            legend,
            freq=state.freq,
            lang=lang,
            title=title(ds, state, state.freq, cmp.regions),
            subtitle=sub,
            source=source_line(ds, state),
            note=below,
            empty=empty,
            export=export,
        )
    }
    for shape in spread.period_shapes(state):  # the time slider's period, as on the merged one
        out[ids.TIMELINE].add_shape(shape)
    for chart, dim in ids.charts_of(ds.dimensions).items():
        f = cmp.breakdowns[dim]
        c = ds.dimension[dim]
        none = c.none_code
        apart = _apart(ds, state, dim, f, cmp.regions)
        out[chart] = compare_charts.breakdown_figure(
            (f[f["code"] != none] if none else f).assign(selected=f["selected"] & (not export)),
            cmp.regions,
            legend,
            {v: captions.plain(c.label(v, lang)) for v in f["code"]},
            title=title(ds, state, dim, cmp.regions),
            subtitle=sub,
            source=source_line(ds, state, short=True),
            order=state.order,
            note="<br>".join(x for x in (apart, below) if x),
            empty=empty,
            drop_zero=export,
            export=export,
        )
    return out


def headline(ds: Dataset, state: ViewState, chart: str) -> str | None:
    """The generated title of a compare chart (the Download panel's placeholder), or None when
    ``chart`` is not split in this view."""
    if chart not in CHARTS or not state.comparing():
        return None
    unit = state.freq if chart == ids.TIMELINE else ids.charts_of(ds.dimensions).get(chart)
    if unit is None:
        return None
    return title(ds, state, unit, state.compared()[: compare.MAX_REGIONS])


def stem(chart_stem: str, state: ViewState, chart: str) -> str:
    """A compare chart's file names say so: ``policy-timeline-compared_…``."""
    return chart_stem + "-compared" if chart in CHARTS and state.comparing() else chart_stem


def whole(fig: go.Figure) -> dict[tuple, object]:
    """A figure as the two paths a patch replaces (its traces and its layout)."""
    d = fig.to_plotly_json()
    return {("data",): d["data"], ("layout",): d["layout"]}


def add_views(
    out: Views,
    ds: Dataset,
    state: ViewState,
    sub: str,
    *,
    full: bool,
    export: bool,
    only: Collection[str] | None = None,
) -> None:
    """Replace the merged timeline and breakdowns of ``out`` by their compare twins: whole
    figures of the charts drawn whole (``only``, or all when ``full``), and as every chart's
    updates its ``data`` and ``layout`` whole (what the browser holds of it, drawn or patched:
    a later view sends them only if they changed)."""
    for chart, fig in figures(ds, state, sub, export=export).items():
        if full and (only is None or chart in only):
            out.figures[chart] = fig
        if not export:
            out.updates[chart] = whole(fig)


def table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame | None:
    """The numbers a compare chart draws, one count column per region (named in both languages,
    with its adcode), every filter applied as in its export; None when the state does not compare
    or the chart is not split."""
    if chart not in CHARTS or not state.comparing():
        return None
    cmp = compare.comparison(ds.index, state, crossfilter=False)
    columns = {
        r: f"{zh} {en} ({r})"
        for r, zh, en in zip(
            cmp.regions, names(ds, cmp, "zh", False), names(ds, cmp, "en", False), strict=True
        )
    }
    if chart == ids.TIMELINE:
        f = cmp.timeline
        if state.active("date"):
            f = f[f["selected"]]
        head = pd.DataFrame(
            {"period": [str(p) for p in f["period"]], "start": f["start"].dt.strftime("%Y-%m-%d")}
        )
        return pd.concat(
            [head.reset_index(drop=True), f[list(cmp.regions)].reset_index(drop=True)], axis=1
        ).rename(columns=columns)
    dim = ids.charts_of(ds.dimensions).get(chart)
    if dim is None:
        return None
    c = ds.dimension[dim]
    f = cmp.breakdowns[c.id]
    head = pd.DataFrame(
        {
            "code": f["code"],
            "label_zh": [c.label(v, "zh") for v in f["code"]],
            "label_en": [c.label(v, "en") for v in f["code"]],
        }
    )
    body = f[list(cmp.regions)].rename(columns=columns)
    return pd.concat([head, body], axis=1).assign(drawn_as_bar=f["code"] != c.none_code)
