"""The data API and the embeds as Flask routes (wiring only: ``layouts.exports.data_api`` makes
the bytes).

GET {prefix}data.csv|data.json?<view query>[&limit=N]     the view's policies
GET {prefix}data/<chart>.csv|.json?<view query>[&limit=N] the numbers behind one chart
GET {prefix}?embed=<chart>&<view query>                   one chart alone (an iframe's page)
GET {prefix}embed/<chart>.png?<view query>                its picture (where iframes are stripped)
GET {prefix}oembed?url=<embed or page URL>[&maxwidth=&maxheight=]   oEmbed 1.0 (JSON)

The view query is the page's own (``data=<id>`` picks an uploaded table: an id the store does not
hold is a 404, never the default table's numbers). Answers carry ``Cache-Control`` and a strong
``ETag`` (``If-None-Match`` gets a 304) and ``X-Total-Count`` (rows before the limit).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

from dash import Dash, Input, Output, clientside_callback

from data.dataset import DatasetNotFound, DatasetUnavailable
from data.state import parse_query
from layouts import ids
from layouts.charts import CHARTS
from layouts.exports import data_api
from layouts.exports.formats import FORMAT

#: Seconds a client or proxy may reuse an answer (the bundled table changes only with a deploy;
#: an uploaded table never changes under its id).
MAX_AGE = 300
PNG_CACHE = 16  # rendered fallback pictures kept per process


#: The Download menu's data links and iframe code follow the view in the browser (no round trip):
#: the page's own address with the view's query; charts without data of their own (the whole
#: view, the animation) link the map's.
clientside_callback(
    """function(search, chart) {
        const q = search || "";
        const base = window.location.origin + window.location.pathname;
        const c = CHARTS.includes(chart) ? chart : "map";
        const src = base + (q ? q + "&" : "?") + "embed=" + c;
        const code = '<iframe src="' + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
            '" title="Policy Atlas" width="WIDTH" height="HEIGHT" ' +
            'style="width:100%;max-width:WIDTHpx;border:0" loading="lazy"></iframe>';
        return [base + "data.csv" + q, base + "data.json" + q,
                base + "data/" + c + ".csv" + q, base + "embed/" + c + ".png" + q, code];
    }""".replace("CHARTS", json.dumps(list(CHARTS)))
    .replace("WIDTH", str(data_api.EMBED_SIZE[0]))
    .replace("HEIGHT", str(data_api.EMBED_SIZE[1])),
    Output(ids.DL_LINK_CSV, "href"),
    Output(ids.DL_LINK_JSON, "href"),
    Output(ids.DL_LINK_CHART, "href"),
    Output(ids.DL_LINK_PNG, "href"),
    Output(ids.DL_EMBED_CODE, "value"),
    Input(ids.URL, "search"),
    Input(ids.DL_CHART, "value"),
)


def _error(message: str, status: int) -> Any:
    from flask import Response

    body = json.dumps({"error": message}, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


def _view(pairs: list[tuple[str, str]]) -> tuple[Any, Any, str] | Any:
    """(state, dataset, view query) of the request, or an error response."""
    from callbacks.service.context import store

    query = data_api.view_query(pairs)
    state = parse_query(query)
    asked = next((v for k, v in pairs if k == "data" and v), None)
    if asked is not None and state.data != asked:  # not an id at all: never the default table
        return _error(f"no table {asked[:80]!r} (not a table id)", 404)
    try:
        ds = store().get(state.data)
    except DatasetUnavailable:
        return _error("the table's store cannot be reached; try again later", 503)
    except DatasetNotFound:
        return _error(f"no table {state.data!r} (removed, or never uploaded here)", 404)
    return ds.restrict(state), ds, query


def _chart_view(chart: str, pairs: list[tuple[str, str]]) -> tuple[Any, Any, str] | Any:
    """:func:`_view` for one chart of ``CHARTS``, or a 404 naming the charts there are."""
    if chart not in CHARTS:
        return _error(f"unknown chart {chart!r}: one of {', '.join(CHARTS)}", 404)
    return _view(pairs)


def _limit(value: str | None) -> int | None:
    if value is None or value == "":
        return data_api.MAX_ROWS
    if value.isdigit() and 1 <= int(value) <= data_api.MAX_ROWS:
        return int(value)
    return None


def _send(body: bytes, mimetype: str, private: bool, extra: dict | None = None) -> Any:
    from flask import Response, request

    response = Response(body, mimetype=None, content_type=mimetype)
    response.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age={MAX_AGE}"
    response.headers.update(extra or {})
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


def _data(chart: str | None, fmt: str) -> Any:
    from flask import request

    if fmt not in data_api.FORMATS:
        return _error(f"unknown format {fmt!r}: csv or json", 404)
    limit = _limit(request.args.get("limit"))
    if limit is None:
        return _error(f"limit={request.args.get('limit')!r}: 1 to {data_api.MAX_ROWS:,}", 400)
    view = _view(list(request.args.items(multi=True)))
    if not isinstance(view, tuple):
        return view
    state, ds, _query = view
    if chart is None:
        answer = data_api.policies(ds, state, fmt, limit)
    elif chart in CHARTS:
        answer = data_api.chart(ds, state, chart, fmt, limit)
    else:
        return _error(f"unknown chart {chart!r}: one of {', '.join(CHARTS)}", 404)
    stem = chart or "policies"
    headers = {
        "X-Total-Count": str(answer.total),
        "Content-Disposition": f'inline; filename="{stem}.{fmt}"',
    }
    return _send(answer.body, answer.mimetype, private=state.data is not None, extra=headers)


def embed_response(prefix: str) -> Any:
    """The page path with ``?embed=<chart>``: that chart alone (``None`` without ``embed``)."""
    from flask import Response, request

    chart = request.args.get("embed")
    if chart is None:
        return None
    view = _chart_view(chart, list(request.args.items(multi=True)))
    if not isinstance(view, tuple):
        return view
    state, ds, query = view
    page = data_api.embed_page(ds, state, chart, prefix, query)
    response = _send(page.encode("utf-8"), "text/html; charset=utf-8", state.data is not None)
    assert isinstance(response, Response)
    return response


_pngs: OrderedDict[tuple, bytes] = OrderedDict()
_pngs_lock = threading.Lock()


def _png(chart: str) -> Any:
    from flask import request

    from layouts.exports.report_pack import chart_file

    view = _chart_view(chart, list(request.args.items(multi=True)))
    if not isinstance(view, tuple):
        return view
    state, ds, query = view
    key = (ds.id if hasattr(ds, "id") else ds.label, chart, query)
    with _pngs_lock:
        data = _pngs.get(key)
    if data is None:
        try:
            _name, data = chart_file(ds, state, chart, "png", "16x9")
        except Exception as exc:  # rendering needs Chromium: say so, never a traceback
            return _error(f"the picture could not be rendered: {type(exc).__name__}", 503)
        with _pngs_lock:
            _pngs[key] = data
            while len(_pngs) > PNG_CACHE:
                _pngs.popitem(last=False)
    return _send(data, FORMAT["png"].media_type, private=state.data is not None)


def _oembed(prefix: str) -> Any:
    from flask import request

    url = request.args.get("url", "")
    if request.args.get("format", "json") != "json":
        return _error("only format=json", 501)
    parts = urlsplit(url)
    if (parts.path or "/").rstrip("/") != prefix.rstrip("/"):  # the page, under the prefix
        return _error("url is not a view of this atlas", 404)
    pairs = data_api.query_pairs(parts.query)
    chart = dict(pairs).get("embed", "map")
    if chart not in CHARTS:
        return _error(f"unknown chart {chart!r}", 404)
    view = _view(pairs)
    if not isinstance(view, tuple):
        return view
    state, ds, query = view
    sep = "&" if query else "?"
    base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else request.host_url.rstrip("/")
    embed_url = f"{base}{prefix}{query}{sep}embed={chart}"
    sizes = [request.args.get(k, "") for k in ("maxwidth", "maxheight")]
    maxwidth, maxheight = (int(s) if s.isdigit() and int(s) > 0 else None for s in sizes)
    body = data_api.oembed(ds, state, chart, embed_url, maxwidth, maxheight)
    text = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return _send(text, "application/json; charset=utf-8", private=state.data is not None)


def install(app: Dash, prefix: str) -> None:
    """The routes on ``app``'s server (under the URL prefix)."""
    server = app.server

    @server.get(prefix + "data.<fmt>")
    def view_data(fmt: str):
        return _data(None, fmt)

    @server.get(prefix + "data/<chart>.<fmt>")
    def chart_data(chart: str, fmt: str):
        return _data(chart, fmt)

    @server.get(prefix + "embed/<chart>.png")
    def embed_png(chart: str):
        return _png(chart)

    @server.get(prefix + "oembed")
    def oembed():
        return _oembed(prefix)

    def embed() -> Any:
        from flask import request

        return embed_response(prefix) if request.path == prefix else None

    server.before_request(embed)
