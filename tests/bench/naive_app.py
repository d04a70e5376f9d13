"""The straightforward way, for comparison: the same page built the common way.

Two versions. ``--charts six`` (kept for continuity with the earlier runs): one callback rebuilds
every figure from scratch on every interaction: the province choropleth with
the GeoJSON inline, a timeline, four breakdown bars, the summary and the table's first 2,000 rows,
all computed by filtering the full pandas frame (``frame[mask]``, ``.apply`` over the incentive
tuples, ``groupby``/``value_counts``). Same state model and URL as Policy Atlas (``data.state``,
``callbacks.events``) and the same crossfilter semantics (each view ignores its own filter), so the
benchmark harness drives both identically; only the work per interaction differs.

``--charts full`` (issue #24): the same charts as Policy Atlas draws — the map at province or city
level or drilled into a province, the regions ranked, the timeline, the first-adoption map and
curve, a breakdown bar per dimension — with the map-level switch and the drill-down and back
buttons, written as the Dash documentation writes them: one callback from the URL to every
figure, each figure rebuilt from the filtered frame, GeoJSON inline.

    python -m tests.bench.naive_app --data bench/SYNTHETIC-policies-100000-seed42.parquet
    python -m tests.bench.naive_app --charts full
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash_ag_grid import AgGrid

from callbacks import events
from data.dimensions import CATEGORIES
from data.state import ViewState, encode_query, parse_query
from layouts.figures import geo_assets

TABLE_LIMIT = 2000
FIGURES = ["map", "timeline", "bd-incentive", "bd-type", "bd-level", "bd-stance"]
COLUMNS = ["date_raw", "province_zh", "city_zh", "level", "title_zh", "title_en", "issuer_zh",
           "policy_type", "stance", "incentives", "amount_cny", "source"]  # fmt: skip


# ------------------------------------------------------------------------------ filtering
def _mask(frame: pd.DataFrame, state: ViewState, except_dim: str | None = None) -> pd.Series:
    m = pd.Series(True, index=frame.index)
    if except_dim != "region" and state.region:
        m &= frame["province_adcode"].isin(state.region) | frame["city_adcode"].isin(state.region)
    if except_dim != "date" and (state.date_from or state.date_to):
        lo = pd.Timestamp(state.date_from or "1900-01-01")
        hi = pd.Timestamp(state.date_to or "2100-01-01")
        m &= frame["date"].between(lo, hi)
    for c in CATEGORIES:  # every dimension's filter (a multi-valued cell: any code picked)
        if except_dim == c.id or not state.picked(c.id):
            continue
        wanted = set(state.picked(c.id))
        if c.multi:
            m &= frame[c.column].apply(lambda t, w=wanted: bool(w.intersection(t or ())))
        else:
            m &= frame[c.column].isin(wanted)
    if except_dim != "text" and state.text:
        text = (frame["title_zh"].fillna("") + " " + frame["title_en"].fillna("")).str.casefold()
        m &= text.str.contains(state.text.casefold(), regex=False)
    if not state.work_reports:
        m &= ~frame["is_work_report"].astype(bool)
    return m


def _bar(x: list, y: list, selected: set, title: str) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=y,
            y=x,
            orientation="h",
            customdata=x,
            marker_color=["#1f77b4" if (not selected or c in selected) else "#ccc" for c in x],
        )
    )
    fig.update_layout(title=title, height=300, margin={"l": 140, "r": 10, "t": 40, "b": 30})
    return fig


def naive_views(frame: pd.DataFrame, geojson: dict, state: ViewState) -> dict[str, Any]:
    """Every output of the page for ``state``, rebuilt from the full frame."""
    out: dict[str, Any] = {}
    # map: provinces, inline GeoJSON
    sub = frame[_mask(frame, state, "region")]
    counts = sub["province_adcode"].value_counts()
    codes = [f["properties"]["adcode"] for f in geojson["features"]]
    z = [int(counts.get(c, 0)) for c in codes]
    fig = go.Figure(
        go.Choropleth(
            geojson=geojson,
            locations=codes,
            z=z,
            featureidkey="properties.adcode",
            colorscale="Blues",
            selectedpoints=[i for i, c in enumerate(codes) if c in state.region] or None,
        )
    )
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(title="Policies by province", height=520, margin={"l": 0, "r": 0})
    out["map"] = fig
    # timeline: policies per year, brushable
    sub = frame[_mask(frame, state, "date")]
    years = sub["date"].dt.year.dropna().astype(int).value_counts().sort_index()
    tl = go.Figure(go.Bar(x=[f"{y}-07-01" for y in years.index], y=years.to_list()))
    tl.update_layout(title="Policies per year", dragmode="select", height=260, selectdirection="h")
    out["timeline"] = tl
    # breakdowns
    for dim, col in (("incentive", "incentives"), ("type", "policy_type"), ("level", "level"),
                     ("stance", "stance")):  # fmt: skip
        sub = frame[_mask(frame, state, dim)]
        values = sub[col].explode() if dim == "incentive" else sub[col]
        vc = values.dropna().value_counts()
        out[f"bd-{dim}"] = _bar(vc.index.tolist(), vc.to_list(), set(state.picked(dim)), dim)
    rows = frame[_mask(frame, state)]
    out["summary"] = f"{len(rows):,} policies of {len(frame):,}"
    shown = rows.sort_values("date", ascending=False).head(TABLE_LIMIT)[COLUMNS].copy()
    shown["incentives"] = shown["incentives"].map(lambda t: "、".join(t or ()))
    out["rows"] = json.loads(shown.to_json(orient="records", force_ascii=False))
    return out


# ------------------------------------------------------------------------------ the page
def create_naive_app(frame: pd.DataFrame) -> Dash:
    geojson = geo_assets.load_geojson("province")
    app = Dash(
        __name__,
        assets_folder=str(Path(__file__).resolve().parents[2] / "assets"),  # the same assets
        compress=True,
        serve_locally=True,
        update_title=None,
        title="naive",
    )
    app.server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/javascript",
                                               "application/json"]  # fmt: skip
    graph = {"config": {"topojsonURL": "/assets/topojson/"}}
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.Div(id="rendered-search", hidden=True),
            html.Button("clear", id="clear-all"),
            html.Div(id="summary"),
            dcc.Graph(id="map", **graph),
            dcc.Graph(id="timeline", **graph),
            *[dcc.Graph(id=f, **graph) for f in FIGURES[2:]],
            AgGrid(id="table", columnDefs=[{"field": c} for c in COLUMNS], rowData=[]),
        ]
    )

    @app.callback(
        Output("url", "search"),
        Input("map", "clickData"),
        Input("timeline", "selectedData"),
        *[Input(f, "clickData") for f in FIGURES[2:]],
        Input("clear-all", "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(*args):
        state = parse_query(args[-1])
        new = events.apply(state, ctx.triggered_id, ctx.triggered[0]["value"])
        query = encode_query(new)
        return no_update if query == encode_query(state) else (query or "?")

    @app.callback(
        *[Output(f, "figure") for f in FIGURES],
        Output("summary", "children"),
        Output("table", "rowData"),
        Output("rendered-search", "children"),
        Input("url", "search"),
    )
    def render(search):
        v = naive_views(frame, geojson, parse_query(search))
        return (*[v[f] for f in FIGURES], v["summary"], v["rows"],
                "" if search in (None, "", "?") else search)  # fmt: skip

    return app


# ------------------------------------------------------------------------------ the full chart set
FULL = ["map", "ranked", "timeline", "adoption-map", "adoption-curve",
        *[f"bd-{c.id}" for c in CATEGORIES]]  # fmt: skip


def _regions(frame: pd.DataFrame, state: ViewState, geo: dict[str, dict]) -> tuple:
    """The map's level as the page draws it: (region code column, GeoJSON, codes shown)."""
    if state.drill:
        layer = geo["city"]
        feats = [f for f in layer["features"]
                 if f["properties"].get("province_adcode") == state.drill]  # fmt: skip
        return "city_adcode", {"type": "FeatureCollection", "features": feats}
    if state.map_level == "city":
        return "city_adcode", geo["city"]
    return "province_adcode", geo["province"]


def _choropleth(layer: dict, codes: list, z: list, title: str) -> go.Figure:
    fig = go.Figure(go.Choropleth(geojson=layer, locations=codes, z=z, colorscale="Blues",
                                  featureidkey="properties.adcode"))  # fmt: skip
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(title=title, height=520, margin={"l": 0, "r": 0})
    return fig


def full_views(frame: pd.DataFrame, geo: dict[str, dict], state: ViewState) -> dict[str, Any]:
    """Every figure of the page for ``state``, each rebuilt from the filtered frame (with
    ``go.Figure`` as the six-chart version: ``plotly.express`` measured ~3 s a view here)."""
    out: dict[str, Any] = {}
    col, layer = _regions(frame, state, geo)
    codes = [f["properties"]["adcode"] for f in layer["features"]]
    sub = frame[_mask(frame, state, "region")]
    counts = sub[col].value_counts().reindex(codes, fill_value=0)
    out["map"] = _choropleth(layer, codes, counts.to_list(), "Policies by region")
    top = counts.sort_values(ascending=False).head(15)
    out["ranked"] = _bar(top.index.tolist(), top.to_list(), set(state.region), "Regions ranked")
    sub = frame[_mask(frame, state, "date")]
    years = sub["date"].dt.year.dropna().astype(int).value_counts().sort_index()
    tl = go.Figure(go.Bar(x=[f"{y}-07-01" for y in years.index], y=years.to_list()))
    tl.update_layout(title="Policies per year", dragmode="select", height=260, selectdirection="h")
    out["timeline"] = tl
    whole = frame[_mask(frame, replace_state(state))]
    first = whole.dropna(subset=["date"]).groupby(col, observed=True)["date"].min().dt.year
    z = first.reindex(codes).to_list()
    out["adoption-map"] = _choropleth(layer, codes, z, "First adoption")
    curve = first.value_counts().sort_index().cumsum()
    ac = go.Figure(go.Scatter(x=curve.index.to_list(), y=curve.to_list(), mode="lines"))
    out["adoption-curve"] = ac.update_layout(title="Regions adopted", height=300)
    for c in CATEGORIES:
        sub = frame[_mask(frame, state, c.id)]
        values = sub[c.column].explode() if c.multi else sub[c.column]
        vc = values.dropna().value_counts()
        out[f"bd-{c.id}"] = _bar(vc.index.astype(str).tolist(), vc.to_list(),
                                 set(state.picked(c.id)), c.id)  # fmt: skip
    rows = frame[_mask(frame, state)]
    out["summary"] = f"{len(rows):,} policies of {len(frame):,}"
    shown = rows.sort_values("date", ascending=False).head(TABLE_LIMIT)[COLUMNS].copy()
    shown["incentives"] = shown["incentives"].map(lambda t: "、".join(t or ()))
    out["rows"] = json.loads(shown.to_json(orient="records", force_ascii=False))
    return out


def replace_state(state: ViewState) -> ViewState:
    """The state without filters (first adoption spans every policy of the map's regions)."""
    from dataclasses import replace

    return replace(state.cleared(), map_level=state.map_level, drill=state.drill)


def create_full_app(frame: pd.DataFrame) -> Dash:
    """The full chart set with the map level switch, drill-down and back (same ids as ours)."""
    geo = {level: geo_assets.load_geojson(level) for level in ("province", "city")}
    assets = str(Path(__file__).resolve().parents[2] / "assets")
    app = Dash(__name__, assets_folder=assets, compress=True, serve_locally=True,
               update_title=None, title="naive full")  # fmt: skip
    app.server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "application/javascript",
                                               "application/json"]  # fmt: skip
    graph = {"config": {"topojsonURL": "/assets/topojson/"}}
    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.Div(id="rendered-search", hidden=True),
            dcc.RadioItems(
                id="map-level", options=["province", "city"], value="province", inline=True
            ),  # fmt: skip
            html.Button("drill", id="drill-btn"),
            html.Button("back", id="back-btn"),
            html.Button("clear", id="clear-all"),
            html.Div(id="summary"),
            *[dcc.Graph(id=f, **graph) for f in FULL],
            AgGrid(id="table", columnDefs=[{"field": c} for c in COLUMNS], rowData=[]),
        ]
    )
    clicks = [f for f in FULL if f not in ("timeline", "adoption-map", "adoption-curve")]

    @app.callback(
        Output("url", "search"),
        *[Input(f, "clickData") for f in clicks],
        Input("timeline", "selectedData"),
        Input("map-level", "value"),
        Input("drill-btn", "n_clicks"),
        Input("back-btn", "n_clicks"),
        Input("clear-all", "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync(*args):
        state = parse_query(args[-1])
        new = events.apply(state, ctx.triggered_id, ctx.triggered[0]["value"])
        query = encode_query(new)
        return no_update if query == encode_query(state) else (query or "?")

    @app.callback(
        *[Output(f, "figure") for f in FULL],
        Output("summary", "children"),
        Output("table", "rowData"),
        Output("rendered-search", "children"),
        Input("url", "search"),
    )
    def render(search):
        v = full_views(frame, geo, parse_query(search))
        return (*[v[f] for f in FULL], v["summary"], v["rows"],
                "" if search in (None, "", "?") else search)  # fmt: skip

    return app


def load_frame(path: str | None) -> pd.DataFrame:
    from data.load import load_bundled, load_table

    result = load_bundled() if path is None else load_table(path)
    frame = result.frame
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    frame["incentives"] = frame["incentives"].map(lambda v: v if isinstance(v, tuple) else ())
    assert isinstance(frame["is_work_report"].to_numpy(), np.ndarray)
    return frame


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8060)
    p.add_argument("--charts", choices=("six", "full"), default="six")
    args = p.parse_args(argv)
    make = create_full_app if args.charts == "full" else create_naive_app
    app = make(load_frame(args.data))
    app.run(host=args.host, port=args.port, debug=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
