"""The timeline, breakdown and ranking charts of one (dataset, view): their builders and patch
functions, which ``layouts.charts.Chart`` carries (the same values: ``tests/test_redraw.py``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.dataset import Dataset
from data.dimensions import TOP_N, Category
from data.state import ViewState
from layouts import ids, map_story
from layouts.figures import breakdown as bd
from layouts.figures import captions, compare_charts, ranked, style
from layouts.figures import timeline as tl
from layouts.i18n import t
from layouts.present_common import Frames, empty_text, headline, source_line


def timeline_notes(frame: pd.DataFrame, lang: str) -> list[str]:
    """What the timeline's bars leave out (``query.timeline``'s attrs): undated rows, rows dated
    less finely than the step."""
    undated = frame.attrs.get("undated", 0)
    lines = [t("undated_not_counted", lang, n=undated)] if undated else []
    step = frame.attrs.get("freq", "year")
    return lines + captions.coarse_lines(frame.attrs.get("coarse") or {}, step, lang)


def timeline_title(state: ViewState, ds: Dataset | None = None) -> str:
    """The headline from the filters ("… per year"); the plain chart name without a dataset."""
    if ds is None:
        return t("timeline", state.lang)
    return headline(ds, state, state.freq)


def breakdown_title(state: ViewState, dim: str, ds: Dataset | None = None) -> str:
    if ds is None:
        return t(f"by_{dim}", state.lang)
    return headline(ds, state, dim)


def apart_text(c: Category, lang: str) -> str:
    """The line for a dimension's "nothing stated" count ("{n} more state no incentive"); for
    a marked column of many values, its values past the top ones ("{n} more in the 392 other
    values")."""
    if c.none_code is None:
        return ""
    if c.top:
        what = t("own_other", lang, n=f"{c.distinct - len(c.top):,}", top=TOP_N)
    elif lang == "zh":
        what = f"未提及{c.name.zh}"
    else:
        what = f"state no {c.name.en.lower()}"
    return t("none_apart", lang, n="{n}", what=what)


def ranked_chart(ds: Dataset, state: ViewState, f: Frames, chart: str) -> go.Figure:
    """The regions ranked by the map's measure (``layouts.charts``' builder of ``ids.RANKED``);
    exported, it says what it leaves out, as the map does, and fits its height to its bars."""
    rframe = f.ranked
    texts = map_story.ranked_texts(ds, state, rframe)
    fig = ranked.ranked_figure(
        rframe,
        measure=rframe.attrs["measure"].id,
        axis_title=texts["axis"],
        more=texts["more"],
        title=texts["title"],
        subtitle=f.sub,
        source=source_line(ds, state, short=True),
        empty=empty_text(ds, state, ids.MAP),
    )
    if f.export:
        style.add_notes(fig, map_story.left_out(ds, state))
        if not state.comparing():
            ranked.fit_to_bars(fig, len(rframe))
    return fig


def ranked_patch(ds: Dataset, state: ViewState, f: Frames, chart: str) -> dict[tuple, object]:
    """The ranking's paths that filters change (the same values as ``ranked_chart``)."""
    rframe = f.ranked
    texts = map_story.ranked_texts(ds, state, rframe)
    out = ranked.ranked_updates(rframe, rframe.attrs["measure"].id, f.sub, texts["more"])
    out.update(style.headline_patch(texts["title"], style.BESIDE))
    return out


def timeline_chart(ds: Dataset, state: ViewState, f: Frames, chart: str) -> go.Figure:
    """The rows by period (``layouts.charts``' builder of ``ids.TIMELINE``)."""
    return tl.timeline_figure(
        f.timeline,
        freq=state.freq,
        lang=state.lang,
        title=timeline_title(state, ds),
        subtitle=f.sub,
        source=source_line(ds, state, short=not f.export),
        empty=empty_text(ds, state, ids.TIMELINE),
        notes=timeline_notes(f.timeline, state.lang),
    )


def timeline_patch(ds: Dataset, state: ViewState, f: Frames, chart: str) -> dict[tuple, object]:
    """The timeline's paths that filters change (the same values as ``timeline_chart``)."""
    out = tl.timeline_updates(f.timeline, f.sub, timeline_notes(f.timeline, state.lang))
    out.update(tl.step_updates(f.timeline, state.freq, state.lang))  # a new step: a patch too
    out.update(style.headline_patch(timeline_title(state, ds)))
    return out


def breakdown_chart(ds: Dataset, state: ViewState, f: Frames, chart: str) -> go.Figure:
    """The rows by one dimension's values (``layouts.charts``' builder of each breakdown: the
    dimension of ``chart`` in this table, ``ids.charts_of``)."""
    d = ids.charts_of(ds.dimensions)[chart]
    c = ds.dimension[d]
    return bd.breakdown_figure(
        f.breakdowns[d],
        dimension=c,
        lang=state.lang,
        title=breakdown_title(state, d, ds),
        subtitle=f.sub,
        source=source_line(ds, state, short=True),
        order=state.order,
        apart_text=apart_text(c, state.lang),
        empty=breakdown_empty(ds, state, f.breakdowns[d], c),
        drop_zero=f.export,
    )


#: px a breakdown's message may take on a line ("No policy matches these filters" fits in one)
EMPTY_PX = 280


def breakdown_empty(ds: Dataset, state: ViewState, frame: pd.DataFrame, c: Category) -> str:
    """What a breakdown with no bar says: nothing matches, or none of the matching policies
    states its dimension (in lines that fit the card: centred on the bars, beside the labels)."""
    # counted only when no bar is drawn: a count in a hidden text would be sent on every change
    rows = 0 if int(frame["count"].sum()) else frame.attrs.get("rows", 0)
    text = empty_text(ds, state, ids.MAP, rows, c)
    return compare_charts.wrap(text, EMPTY_PX, size=16)


def breakdown_patch(ds: Dataset, state: ViewState, f: Frames, chart: str) -> dict[tuple, object]:
    """A breakdown's paths that filters change (the same values as ``breakdown_chart``)."""
    d = ids.charts_of(ds.dimensions)[chart]
    c = ds.dimension[d]
    out = bd.breakdown_updates(
        f.breakdowns[d],
        f.sub,
        dimension=c,
        lang=state.lang,
        order=state.order,
        apart_text=apart_text(c, state.lang),
    )
    # its text too: how many policies match changes with the filters
    out[("layout", "annotations", style.EMPTY_INDEX, "text")] = breakdown_empty(
        ds, state, f.breakdowns[d], c
    )
    out.update(style.headline_patch(breakdown_title(state, d, ds), style.NARROW))
    return out
