"""What makes the map and its ranking tell a story on their own: legend classes, region labels,
the ranked chart, titles from the filters, and the "drawn as filtered" rule of exports.

Pure (no Dash): ``layouts.viewmodel`` calls these for one (dataset, view); exports call them with
``export=True``.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from data import measures
from data.dataset import Dataset
from data.measures import Measure
from data.state import ViewState
from geodata import gazetteer
from layouts.figures import captions, geo_assets, ranked, titles
from layouts.figures import classes as classes_mod
from layouts.figures import labels as labels_mod
from layouts.figures.classes import Classes
from layouts.i18n import t


def map_classes(values: pd.DataFrame, state: ViewState) -> Classes:
    """The legend classes of the values on the map (whole numbers for counts)."""
    drawn = values[~values["status"].isin(measures.GREY)]
    return classes_mod.classify(
        drawn["z"].to_numpy(dtype=float),
        scheme=state.classes,
        integer=values.attrs["measure"].integer,
    )


@cache
def _places(level: str) -> pd.DataFrame:
    """Centroid and short names of every unit of a level (gazetteer lon/lat)."""
    g = gazetteer.load_gazetteer()
    g = g[g["level"] == level][["adcode", "short_zh", "name_zh", "name_en", "lon", "lat"]]
    return g.drop_duplicates("adcode").set_index("adcode")


def _short_en(name: str) -> str:
    for tail in (" Autonomous Region", " Special Administrative Region", " SAR", " Province"):
        name = name.replace(tail, "")
    return name


@cache
def drill_bounds(province: str) -> tuple[list[float], list[float]]:
    """(lon range, lat range) of a province's city-level units, a little padded: the frame of a
    drill-down map, so the province fills it."""
    import shapely

    features = [
        f
        for f in geo_assets.load_geojson("city")["features"]
        if f["properties"].get("province_adcode") == province
    ]
    if not features:
        features = [
            f
            for f in geo_assets.load_geojson("province")["features"]
            if f["properties"]["adcode"] == province
        ]
    x0, y0, x1, y1 = shapely.union_all(
        [shapely.geometry.shape(f["geometry"]) for f in features]
    ).bounds
    px, py = (x1 - x0) * 0.03, (y1 - y0) * 0.03
    return [x0 - px, x1 + px], [y0 - py, y1 + py]


def region_labels(values: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """``lon, lat, text, color`` of the labels to draw: the regions with a value, largest first,
    all that fit on a province map, the top ones on a city map; names in the chart's language."""
    level = state.map_level_shown
    measure: Measure = values.attrs["measure"]
    drawn = values[(values["status"] == measures.VALUE) & values["z"].notna()]
    places = _places(level).reindex(drawn["adcode"])
    if state.lang == "zh":
        short = places["short_zh"].fillna(places["name_zh"])
    else:
        short = places["name_en"].fillna("").map(_short_en)
    candidates = pd.DataFrame(
        {
            "lon": places["lon"].to_numpy(dtype=float),
            "lat": places["lat"].to_numpy(dtype=float),
            "name": short.to_numpy(),
            "value": [measure.format(z) for z in drawn["z"]],
            "rank_by": drawn["z"].to_numpy(dtype=float),
        }
    )
    national = state.drill is None
    top = None if level == "province" else labels_mod.CITY_TOP
    return labels_mod.place(candidates, national=national, top=top)


def ranked_texts(ds: Dataset, state: ViewState, frame: pd.DataFrame) -> dict[str, str]:
    """Title, axis title and the "n more" line of the ranking."""
    level = state.map_level_shown
    measure: Measure = frame.attrs["measure"]
    more, zeros = frame.attrs.get("more", 0), frame.attrs.get("zeros", 0)
    lang = state.lang
    name = measure.name.zh if lang == "zh" else measure.name.en
    unit = t(f"unit_{level}", lang)
    lines = [t("rank_more", lang, n=more, unit=unit)] if more else []
    if zeros:  # the regions at 0, in one line: "24 provinces: 0"
        lines.append(t("rank_zeros", lang, n=zeros, unit=unit))
    return {
        "title": titles.chart_title(
            state, f"ranked-{level}", ds.name_of, dims=ds.dimension, topic=ds.title_topic
        ),
        "axis": name,
        "more": " · ".join(lines) or " ",
    }


def ranked_of(values: pd.DataFrame, classes: Classes) -> pd.DataFrame:
    frame = ranked.ranked_frame(values, classes)
    frame.attrs["measure"] = values.attrs["measure"]
    return frame


def exported(state: ViewState, values: pd.DataFrame) -> pd.DataFrame:
    """The map values as an export draws them: nothing dimmed (the rows are already filtered)."""
    out = values.copy()
    out["selected"] = False
    return out


def left_out(ds: Dataset, state: ViewState) -> list[str]:
    """The rows an exported map or ranking does not draw, as the screen says them beside the map
    (with counts): undated rows a date filter leaves out, rows placed only at a higher level than
    the map, national rows and rows placed nowhere."""
    from data import query  # the counts the screen shows beside the map

    lang, idx = state.lang, ds.index
    counts = query.unmapped_counts(idx, state, state.map_level_shown)
    lines = []
    undated = 0
    if state.active("date"):  # rows every other filter keeps, with no date to keep them by
        undated = int((query.selection(idx, state, except_dim="date") & ~idx.dated).sum())
    if undated:
        lines.append(t("undated_not_counted", lang, n=undated))
    if counts.get("province_only"):
        lines.append(t("province_only_beside", lang, n=counts["province_only"]))
    if counts.get("national"):
        lines.append(t("national_beside", lang, n=counts["national"]))
    if counts.get("unplaced"):
        lines.append(t("unplaced_beside", lang, n=counts["unplaced"]))
    return lines + period_cut_lines(ds, state)


def period_cut_lines(ds: Dataset, state: ViewState) -> list[str]:
    """The rows the map at the slider's period does not draw, dated less finely than it ("1 dated
    to the month only, not drawn at week step"), as beside the map on screen."""
    from data import periods, query

    if not state.period:
        return []
    step = periods.freq_of(state.period)
    return captions.coarse_lines(query.cut_by_period(ds.index, state), step, state.lang)


def drawn_filtered_note(state: ViewState) -> str:
    """Appended to an exported chart's filters line: it shows exactly the rows selected."""
    return t("drawn_filtered", state.lang) if state.has_filters() else ""
