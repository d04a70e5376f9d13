"""The data API: every view's policies and each chart's numbers at a URL, equal to the export of
the same view (the report pack's files), for the bundled table and for an uploaded one; the
table's id honoured, a row limit, caching headers, clear errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from callbacks.service import context
from data import config as settings
from data import export_tables
from data.state import parse_query
from layouts.charts import CHARTS
from layouts.exports import data_api, formats, report_pack

VIEWS = ("", "?region=440000", "?incentive=subsidy&from=2019&lang=en", "?map=city&measure=share")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from app import create_app

    home = tmp_path_factory.mktemp("home")
    app = create_app(config=settings.load({"POLICY_ATLAS_HOME": str(home)}))
    return app.server.test_client()


@pytest.fixture(scope="module")
def uploaded(client):
    body = "标题,日期,省份,城市\n区块链发展行动计划,2021-03-01,广东省,深圳市\n"
    body += "=HYPERLINK(1),2020,浙江省,\n"
    out = context.store().source.ingest("t.csv", body.encode("utf-8"))
    assert out.id, out.error
    return out.id


def _expected_policies(query: str) -> bytes:
    state, ds = context.view(query)
    return export_tables.to_csv_bytes(report_pack.table_frame(ds, state))


@pytest.mark.parametrize("query", VIEWS)
def test_data_csv_is_the_export_of_the_same_view(client, query):
    r = client.get("/data.csv" + query)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.data == _expected_policies(query)
    assert int(r.headers["X-Total-Count"]) == len(pd.read_csv(io.BytesIO(r.data)))


@pytest.mark.parametrize("query", VIEWS)
def test_data_json_has_the_same_rows_and_columns(client, query):
    r = client.get("/data.json" + query)
    body = r.get_json()
    exported = pd.read_csv(io.BytesIO(_expected_policies(query)), dtype=str, keep_default_na=False)
    assert body["columns"] == list(exported.columns) and body["total"] == len(exported)
    assert [row["policy_id"] for row in body["data"]] == list(exported["policy_id"])


@pytest.mark.parametrize("chart", list(CHARTS))
def test_each_charts_numbers_are_its_csv_export(client, chart):
    query = "?region=440000,330000&lang=en"
    r = client.get(f"/data/{chart}.csv{query}")
    assert r.status_code == 200
    state, ds = context.view(query)
    assert r.data == formats.file_bytes(formats.Request(ds, state, chart), "csv")


def test_an_uploaded_table_is_served_by_its_id(client, uploaded):
    r = client.get(f"/data.csv?data={uploaded}")
    assert r.data == _expected_policies(f"?data={uploaded}")
    frame = pd.read_csv(io.BytesIO(r.data), dtype=str)
    cells = set(frame.to_numpy().ravel())
    assert len(frame) == 2 and "'=HYPERLINK(1)" in cells and "=HYPERLINK(1)" not in cells
    assert r.headers["Cache-Control"].startswith("private")
    map_csv = client.get(f"/data/map.csv?data={uploaded}")
    assert map_csv.status_code == 200
    state, ds = context.view(f"?data={uploaded}")
    assert map_csv.data == formats.file_bytes(formats.Request(ds, state, "map"), "csv")


def test_an_unknown_table_is_404_never_the_default_table(client):
    for query in ("?data=" + "0" * 64, "?data=zzz"):
        r = client.get("/data.csv" + query)
        assert r.status_code == 404 and "no table" in r.get_json()["error"]


def test_row_limit_and_total(client):
    r = client.get("/data.json?limit=3")
    body = r.get_json()
    assert body["rows"] == 3 and body["total"] == 181 and body["truncated"] is True
    csv = client.get("/data.csv?limit=5")
    assert len(pd.read_csv(io.BytesIO(csv.data))) == 5 and csv.headers["X-Total-Count"] == "181"
    for bad in ("0", "abc", str(data_api.MAX_ROWS + 1)):
        assert client.get("/data.csv?limit=" + bad).status_code == 400


def test_etag_and_cache_control(client):
    r = client.get("/data.csv?region=440000")
    assert r.headers["Cache-Control"] == "public, max-age=300" and r.headers["ETag"]
    again = client.get("/data.csv?region=440000", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/data.csv?region=330000", headers={"If-None-Match": r.headers["ETag"]})
    assert other.status_code == 200


def test_unknown_charts_and_formats_are_404_with_a_message(client):
    assert "unknown chart" in client.get("/data/nope.csv").get_json()["error"]
    assert client.get("/data.xml").status_code == 404


def test_the_view_query_drops_only_the_apis_own_keys():
    pairs = [("region", "440000"), ("limit", "3"), ("embed", "map"), ("lang", "en")]
    assert data_api.view_query(pairs) == "?region=440000&lang=en"
    assert parse_query(data_api.view_query(pairs)).notes == ()


def test_json_is_plain_json(client):
    body = json.loads(client.get("/data.json?region=440000").data)
    assert all(isinstance(r["date_start"], (str, type(None))) for r in body["data"])


@pytest.mark.export
def test_the_png_fallback_is_the_charts_picture(client):
    r = client.get("/embed/timeline.png?region=440000")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.data.startswith(b"\x89PNG\r\n\x1a\n") and len(r.data) > 10_000
    assert client.get("/embed/nope.png").status_code == 404


def test_oembed_answers_rich_json_for_a_view(client):
    r = client.get("/oembed?url=http://atlas.example/%3Fregion%3D440000%26embed%3Dtimeline")
    body = r.get_json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert 'src="http://atlas.example/?region=440000&amp;embed=timeline"' in body["html"]
    small = client.get("/oembed?url=http://atlas.example/&maxwidth=300").get_json()
    assert small["width"] == 300
    assert client.get("/oembed?url=http://atlas.example/other/").status_code == 404
