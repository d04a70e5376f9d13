"""The numbers each chart draws, one function per chart kind (no Dash): what its CSV holds, as
its export draws it (every filter applied, ``crossfilter=False``). Each is
``(dataset, view, chart id) -> frame``; ``layouts.charts.Chart.table`` names each chart's, and
``layouts.exports.chart_data.chart_table`` calls it (compare mode first: one column per region).
"""

from __future__ import annotations

import pandas as pd

from data import diffusion, measures, periods, query
from data.dataset import Dataset
from data.state import ViewState
from layouts import ids, map_story, present_map
from layouts.figures import breakdown as bd
from layouts.figures import ranked


def map_table(ds: Dataset, state: ViewState, chart: str = ids.MAP) -> pd.DataFrame:
    """One row per region of the map, in map order: adcode, name_zh, name_en, count, measure,
    value, class (the legend entry it is drawn in)."""
    values = present_map.map_frame(ds, state, crossfilter=False)
    classes = map_story.map_classes(values, state)
    regions = ds.regions(state.map_level_shown, state.drill)
    cls = classes.of(values["z"].to_numpy(dtype=float))
    zero = "0 under these filters"
    label = {
        measures.NO_RECORD: "no recorded policy",
        measures.NO_REFERENCE: "no reference figure",
        measures.ZERO: zero,
    }
    out = pd.DataFrame(
        {
            "adcode": values["adcode"].to_numpy(),
            "name_zh": regions["name_zh"].to_numpy(),
            "name_en": regions["name_en"].to_numpy(),
            "count": values["count"].astype(int).to_numpy(),
            "measure": values["measure"].to_numpy(),
            "value": values["z"].astype(float).round(6).to_numpy(),
            "class": [
                label.get(s) or (classes.labels[c - 1] if c > 0 else zero)
                for s, c in zip(values["status"], cls, strict=True)
            ],
        }
    )
    out.attrs["measure"] = values.attrs["measure"]
    return out


def ranked_table(ds: Dataset, state: ViewState, chart: str = ids.RANKED) -> pd.DataFrame:
    """The ranked chart's bars in its order: rank, adcode, names, count, value."""
    values = present_map.map_frame(ds, state, crossfilter=False)
    frame = ranked.ranked_frame(values, map_story.map_classes(values, state))
    names = map_table(ds, state).set_index("adcode")
    return pd.DataFrame(
        {
            "rank": frame["rank"].to_numpy(),  # ties share a rank (1, 1, 3 …)
            "tied": frame["tied"].to_numpy(),
            "adcode": frame["adcode"].to_numpy(),
            "name_zh": names.loc[frame["adcode"], "name_zh"].to_numpy(),
            "name_en": names.loc[frame["adcode"], "name_en"].to_numpy(),
            "count": frame["count"].astype(int).to_numpy(),
            "measure": frame["measure"].to_numpy() if "measure" in frame else "count",
            "value": frame["z"].astype(float).round(6).to_numpy(),
        }
    )


def timeline_table(ds: Dataset, state: ViewState, chart: str = ids.TIMELINE) -> pd.DataFrame:
    """The timeline's periods: label, start date, policies in it and the running total; then
    the rows no bar holds (undated, dated less finely than the step), ``drawn_as_bar`` False."""
    f = query.timeline(ds.index, state, crossfilter=False)
    bars = pd.DataFrame(
        {
            "period": [periods.label_of(p.start_time.date(), state.freq) for p in f["period"]],
            "start": f["start"].dt.strftime("%Y-%m-%d").to_numpy(),
            "count": f["count"].to_numpy(),
            "cumulative": f["cumulative"].to_numpy(),
            "drawn_as_bar": True,
        }
    )
    # the rows no bar holds, as the image says them: undated, dated less finely than the step
    apart = {"undated": f.attrs["undated"]} | {
        f"dated to the {p} only": n for p, n in f.attrs["coarse"].items()
    }
    rows = [{"period": k, "count": n, "drawn_as_bar": False} for k, n in apart.items() if n]
    return pd.concat([bars, pd.DataFrame(rows)], ignore_index=True) if rows else bars


def breakdown_table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame:
    """A breakdown's bars in their order (and the "nothing stated" count, not drawn as a bar)."""
    dim = ids.charts_of(ds.dimensions)[chart]
    c = ds.dimension[dim]
    f = query.breakdown(ds.index, state, dim, crossfilter=False)
    bars, _apart = bd.arrange(f, c, state.order)
    none = c.none_code
    rows = pd.concat([bars, f[f["code"] == none]]) if none else bars
    return pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "label_zh": [c.label(v, "zh") for v in rows["code"]],
            "label_en": [c.label(v, "en") for v in rows["code"]],
            "count": rows["count"].astype(int).to_numpy(),
            "drawn_as_bar": [c != none for c in rows["code"]],
        }
    )


def adoption_table(ds: Dataset, state: ViewState, chart: str) -> pd.DataFrame:
    """The diffusion charts' numbers: each region's first policy (first-adoption map), or how
    many regions had a policy by the end of each period, one block per compared curve."""
    level = state.map_level_shown
    regions = ds.regions(level, state.drill)
    adcodes = regions["adcode"].tolist()
    if chart == ids.ADOPTION_MAP:
        first = diffusion.first_adoption(ds.index, state, adcodes, level)
        return pd.DataFrame(
            {
                "adcode": first["adcode"].to_numpy(),
                "name_zh": regions["name_zh"].to_numpy(),
                "name_en": regions["name_en"].to_numpy(),
                "first_policy": first["first"].dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
                "first_year": first["year"].where(first["year"] > 0).astype("Int64").to_numpy(),
                "dated_policies": first["policies"].to_numpy(),
            }
        )
    blocks = []
    for curve in diffusion.compared_curves(ds.index, state, adcodes, level):
        f = curve.frame
        blocks.append(
            pd.DataFrame(
                {
                    "curve": curve.code or "all",
                    "period": f["period"].to_numpy(),
                    "new_regions": f["new"].to_numpy(),
                    "regions_with_a_policy": f["adopted"].to_numpy(),
                    "share_of_regions_pct": f["share"].round(2).to_numpy(),
                }
            )
        )
    return pd.concat(blocks, ignore_index=True)
