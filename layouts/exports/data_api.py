"""The data behind a view at a URL, and one chart alone for another site (pure: no Dash).

- ``…/data.csv?<view query>`` / ``…/data.json?<view query>``: the view's policies, the columns and
  CSV safety of the export (``data.export_tables``: the report pack's ``data/policies.csv``);
- ``…/data/<chart>.csv?…`` (and ``.json``): the numbers one chart draws
  (``layouts.exports.chart_data``);
- ``…/?embed=<chart>&<view query>``: that chart alone (title, legend, source, a link to the full
  view), ``…/embed/<chart>.png?…`` its picture, ``…/oembed?url=…`` the oEmbed answer.

``callbacks.service.data_routes`` routes them; this module turns (dataset, view) into bytes.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import pandas as pd
import plotly.io as pio

from data import export_tables
from data.dataset import Dataset
from data.state import ViewState
from layouts.charts import CHARTS, name
from layouts.exports import chart_data, report_pack
from layouts.exports.formats import FORMAT

#: The data API's formats and their media types (the CSV is the export format's).
FORMATS = {"csv": FORMAT["csv"].media_type, "json": "application/json; charset=utf-8"}
#: Most rows one answer carries (``limit=`` asks for fewer); the total is always said.
MAX_ROWS = 100_000
#: Query keys of the API itself, not of the view.
API_KEYS = ("limit", "embed", "format", "url", "maxwidth", "maxheight")
EMBED_SIZE = (720, 540)  # the iframe's default width and height (px)


@dataclass
class Answer:
    body: bytes
    mimetype: str
    rows: int
    total: int
    notes: list[str] = field(default_factory=list)


def view_query(pairs: list[tuple[str, str]]) -> str:
    """The view's own query string (``?a=b…``, API keys left out), as the page's URL has it."""
    kept = [(k, v) for k, v in pairs if k not in API_KEYS]
    return "?" + urlencode(kept) if kept else ""


def _answer(frame: pd.DataFrame, fmt: str, limit: int, notes: list[str]) -> Answer:
    total = len(frame)
    part = frame.head(limit)
    if fmt == "csv":
        return Answer(export_tables.to_csv_bytes(part), FORMATS[fmt], len(part), total, notes)
    plain = part.copy()
    for col in plain.columns:
        if pd.api.types.is_datetime64_any_dtype(plain[col]):
            plain[col] = [None if pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}" for v in plain[col]]
    records = json.loads(plain.to_json(orient="records", force_ascii=False))
    body = {
        "columns": list(part.columns),
        "rows": len(part),
        "total": total,
        "truncated": len(part) < total,
        "notes": notes,
        "data": records,
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Answer(text.encode("utf-8"), FORMATS[fmt], len(part), total, notes)


def policies(ds: Dataset, state: ViewState, fmt: str, limit: int = MAX_ROWS) -> Answer:
    """The view's policies, newest first: what the report pack's ``data/policies.csv`` holds."""
    return _answer(report_pack.table_frame(ds, state), fmt, limit, list(state.notes))


def chart(ds: Dataset, state: ViewState, chart_id: str, fmt: str, limit: int = MAX_ROWS) -> Answer:
    """The numbers ``chart_id`` draws (``KeyError`` for an unknown chart)."""
    if chart_id not in CHARTS:
        raise KeyError(chart_id)
    frame = chart_data.chart_table(ds, state, chart_id)
    return _answer(frame, fmt, limit, list(state.notes))


# --- embeds -----------------------------------------------------------------------------------


def embed_title(ds: Dataset, state: ViewState, chart_id: str) -> str:
    return f"{report_pack.default_title(ds, state, chart_id)} · Policy Atlas"


def embed_page(ds: Dataset, state: ViewState, chart_id: str, prefix: str, query: str) -> str:
    """One chart alone: its figure as the export draws it (title, legend, source line), sized to
    the frame, no mode bar; a link back to the full view. Scripts come from this server only."""
    fig = report_pack.figures(ds, state)[chart_id]
    fig.update_layout(autosize=True, width=None, height=None)
    config = {
        "responsive": True,
        "displayModeBar": False,
        "topojsonURL": f"{prefix}assets/topojson/",
    }
    div = pio.to_html(
        fig, include_plotlyjs=False, full_html=False, config=config, default_width="100%",
        default_height="100%", div_id="embed-chart",
    )  # fmt: skip
    title = html.escape(embed_title(ds, state, chart_id))
    full = html.escape(prefix + query)
    back = "查看完整视图 · Open the full view" if state.lang != "en" else "Open the full view"
    oembed = html.escape(
        f"{prefix}oembed?" + urlencode({"url": f"{prefix}{query}", "format": "json"})
    )
    return EMBED_HTML.format(
        lang="en" if state.lang == "en" else "zh-CN",
        title=title,
        oembed=oembed,
        plotly=f"{prefix}_dash-component-suites/plotly/package_data/plotly.min.js",
        div=div,
        full=full,
        back=html.escape(back),
        chart=html.escape(name(chart_id, state.lang)),
    )


EMBED_HTML = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="alternate" type="application/json+oembed" href="{oembed}" title="{title}">
<style>
html, body {{ margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; }}
main {{ height: calc(100vh - 24px); min-height: 240px; overflow: hidden; }}
main > div, #embed-chart {{ width: 100%; height: 100%; }}
footer {{ font-size: 12px; height: 24px; line-height: 24px; padding: 0 8px; text-align: right; }}
footer a {{ color: #1f5f8b; }}
</style>
<script src="{plotly}"></script>
</head>
<body>
<main aria-label="{chart}">{div}</main>
<footer><a href="{full}" target="_top" rel="noopener">{back}</a></footer>
</body>
</html>
"""


def iframe_code(
    src: str, title: str, width: int = EMBED_SIZE[0], height: int = EMBED_SIZE[1]
) -> str:
    """The HTML a site pastes: a responsive iframe (full width, the given height)."""
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="{width}" '
        f'height="{height}" style="width:100%;max-width:{width}px;border:0" loading="lazy">'
        "</iframe>"
    )


def oembed(
    ds: Dataset, state: ViewState, chart_id: str, embed_url: str, maxwidth: int | None,
    maxheight: int | None,
) -> dict:  # fmt: skip
    """The oEmbed 1.0 answer (type "rich") for one chart of a view."""
    width = min(EMBED_SIZE[0], maxwidth or EMBED_SIZE[0])
    height = min(EMBED_SIZE[1], maxheight or EMBED_SIZE[1])
    title = embed_title(ds, state, chart_id)
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": "Policy Atlas",
        "title": title,
        "width": width,
        "height": height,
        "html": iframe_code(embed_url, title, width, height),
    }


def query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query.lstrip("?"), keep_blank_values=False)
