"""Where the map layers live, and cached reads of them (no Dash imports).

In the app the browser fetches the layers by URL (:func:`geojson_url`), once, and caches them; a
callback response never carries geometry. Server-side exports (kaleido) need the geometry inline:
:func:`load_geojson` reads it once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import plotly.graph_objects as go

Level = str  # "province" or "city"

REPO = Path(__file__).resolve().parent.parent.parent
ASSETS = REPO / "assets"
GEO_DIR = ASSETS / "geo"
TOPOJSON_DIR = ASSETS / "topojson"

_FILES: dict[str, str] = {"province": "provinces.geojson", "city": "cities.geojson"}
DASHLINE_FILE = "dashline.geojson"

#: Pass as ``dcc.Graph(config={"topojsonURL": TOPOJSON_URL})`` so plotly never calls its CDN.
TOPOJSON_URL = "/assets/topojson/"


def geojson_path(level: Level) -> Path:
    try:
        return GEO_DIR / _FILES[level]
    except KeyError:
        raise ValueError(f"level must be 'province' or 'city', not {level!r}") from None


DEFAULT_ASSETS = "/assets/"


def geojson_url(level: Level, assets_prefix: str = DEFAULT_ASSETS) -> str:
    """URL of a layer as Dash serves it (pass ``app.get_asset_url("")`` behind a path prefix)."""
    geojson_path(level)  # validates level
    return f"{assets_prefix.rstrip('/')}/geo/{_FILES[level]}"


def served_under(fig: go.Figure, assets_prefix: str) -> go.Figure:
    """``fig`` with its layer URLs (``geojson_url``'s default ``/assets/...``) moved under
    ``assets_prefix`` (``app.get_asset_url("")``: ``/atlas/assets/`` behind a path prefix). An
    inline layer (exports) is left alone."""
    if assets_prefix == DEFAULT_ASSETS:
        return fig
    for trace in fig.data:
        url = getattr(trace, "geojson", None)
        if isinstance(url, str) and url.startswith(DEFAULT_ASSETS):
            trace.geojson = assets_prefix.rstrip("/") + "/" + url[len(DEFAULT_ASSETS) :]
    return fig


@cache
def load_geojson(level: Level) -> dict:
    """The layer as a dict (cached: treat it as read-only)."""
    return json.loads(geojson_path(level).read_text(encoding="utf-8"))


@cache
def load_dashline() -> dict:
    """The ten-dash line FeatureCollection (cached: treat it as read-only)."""
    return json.loads((GEO_DIR / DASHLINE_FILE).read_text(encoding="utf-8"))


def topojson_file_url() -> str:
    """``file://`` URL of the local topojson folder, for ``plotly.io.defaults.topojson``."""
    return TOPOJSON_DIR.as_uri() + "/"
