"""The timeline, breakdown and ranking charts of one (dataset, view): their figures and what a
filter change patches (the same values: ``tests/test_redraw.py``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.dataset import Dataset
from data.dimensions import TOP_N, Category
from data.state import ViewState
from layouts import ids, map_story
from layouts.figures import breakdown as bd
from layouts.figures import captions, ranked, style
from layouts.figures import timeline as tl
from layouts.i18n import t
from layouts.present_common import empty_text, headline, source_line


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


def figures(
    ds: Dataset,
    state: ViewState,
    sub: str,
    frames: tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame],
    *,
    export: bool,
) -> dict[str, go.Figure]:
    """The ranking, timeline and breakdown figures. ``frames``: the timeline, breakdown and
    ranking frames."""
    tframe, bframes, rframe = frames
    lang, empty = state.lang, empty_text(ds, state, ids.MAP)
    figs: dict[str, go.Figure] = {}
    texts = map_story.ranked_texts(ds, state, rframe)
    figs[ids.RANKED] = ranked.ranked_figure(
        rframe,
        measure=rframe.attrs["measure"].id,
        axis_title=texts["axis"],
        more=texts["more"],
        title=texts["title"],
        subtitle=sub,
        source=source_line(ds, state, short=True),
        empty=empty,
    )
    figs[ids.TIMELINE] = tl.timeline_figure(
        tframe,
        freq=state.freq,
        lang=lang,
        title=timeline_title(state, ds),
        subtitle=sub,
        source=source_line(ds, state, short=not export),
        empty=empty_text(ds, state, ids.TIMELINE),
        notes=timeline_notes(tframe, lang),
    )
    for chart, d in ids.charts_of(ds.dimensions).items():
        c = ds.dimension[d]
        figs[chart] = bd.breakdown_figure(
            bframes[d],
            dimension=c,
            lang=lang,
            title=breakdown_title(state, d, ds),
            subtitle=sub,
            source=source_line(ds, state, short=True),
            order=state.order,
            apart_text=apart_text(c, lang),
            empty=empty,
            drop_zero=export,
        )
    return figs


def updates(
    ds: Dataset,
    state: ViewState,
    sub: str,
    frames: tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame],
) -> dict[str, dict[tuple, object]]:
    """The paths of the timeline, breakdowns and ranking that filters change (the same values as
    ``figures``)."""
    tframe, bframes, rframe = frames
    lang = state.lang
    out: dict[str, dict[tuple, object]] = {}
    out[ids.TIMELINE] = tl.timeline_updates(tframe, sub, timeline_notes(tframe, lang))
    out[ids.TIMELINE].update(style.headline_patch(timeline_title(state, ds)))
    for chart, d in ids.charts_of(ds.dimensions).items():
        c = ds.dimension[d]
        out[chart] = bd.breakdown_updates(
            bframes[d],
            sub,
            dimension=c,
            lang=lang,
            order=state.order,
            apart_text=apart_text(c, lang),
        )
        out[chart].update(style.headline_patch(breakdown_title(state, d, ds), style.NARROW))
    texts = map_story.ranked_texts(ds, state, rframe)
    out[ids.RANKED] = ranked.ranked_updates(rframe, rframe.attrs["measure"].id, sub, texts["more"])
    out[ids.RANKED].update(style.headline_patch(texts["title"], style.BESIDE))
    return out
