"""A shared table never turns into someone else's data (issue 26, issue 25 item 5): every request
gets the table it names or says why not (removed, expired, unreachable), one record per upload,
removal by the owner only, requests from other sites refused, and retention that never evicts a
stranger's table to make room."""

from __future__ import annotations

import os
import time
from contextvars import copy_context
from pathlib import Path
from typing import Any

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from data import config as settings
from data.loaders import load_dataset
from data.uploads import Uploads
from tests.test_uploads import _redis_server, post

FIXTURES = Path(__file__).parent / "fixtures"
GBK = (FIXTURES / "messy_gbk.csv").read_bytes()
OTHER = (FIXTURES / "zh_gbk.csv").read_bytes()
ALICE, BOB = "a" * 32, "b" * 32


def _table(i: int, rows: int = 2500) -> bytes:
    """A distinct valid table of about 300 KB (``i`` makes it distinct)."""
    lines = ["标题,日期,省份"] + [
        f"关于区块链的通知 {i}-{n},2020-01-{1 + n % 28:02d},广东省" for n in range(rows)
    ]
    return "\n".join(lines).encode()


def _uploads(tmp_path: Path, **env: str) -> Uploads:
    return Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path), **env}), secret="k")


# ----------------------------------------------------------------------------- one record each
def test_the_same_file_from_two_people_is_two_tables_with_their_own_names(tmp_path):
    up = _uploads(tmp_path)
    a = up.ingest("alice-confidential-merger-plan.csv", GBK, owner=ALICE)
    b = up.ingest("bob.csv", GBK, owner=BOB)
    assert a.id != b.id and a.rows == b.rows == 12
    assert up.meta(a.id)["name"] == "alice-confidential-merger-plan.csv"
    assert up.meta(b.id)["name"] == "bob.csv"  # never the other's file name
    assert up.dataset(b.id).label == "bob.csv"
    root = up.backend.root  # type: ignore[attr-defined]
    assert len([p for p in root.iterdir() if p.name.startswith("blob-")]) == 1  # bytes shared
    # independent removal: Bob's removal leaves Alice's table, the last one takes the bytes
    assert up.remove(a.id, BOB) == "forbidden"
    assert up.remove(b.id, BOB) == "removed"
    assert up.dataset(a.id).rows == 12 and up.dataset(b.id) is None
    assert up.remove(a.id, ALICE) == "removed"
    assert not [p for p in root.iterdir() if p.name.startswith("blob-")]


def test_anonymous_uploads_get_a_new_secret_each(tmp_path):
    up = _uploads(tmp_path)
    one, two = up.ingest("x.csv", GBK), up.ingest("x.csv", GBK)
    assert one.owner and two.owner and one.owner != two.owner and one.id != two.id


def test_the_id_function_other_steps_call(tmp_path):
    """``table_id(blob_id(content, options), owner_key(secret))`` is the id of a stored record
    (what a re-read with options stores its derived table under)."""
    up = _uploads(tmp_path)
    out = up.ingest("x.csv", GBK, owner=ALICE)
    assert up.table_id(up.blob_id(GBK), up.owner_key(ALICE)) == out.id
    assert up.table_id(up.blob_id(GBK, {"date_order": "dmy"}), up.owner_key(ALICE)) != out.id


# ----------------------------------------------------------------------------- fair retention
@pytest.mark.slow
def test_a_flood_of_anonymous_uploads_never_evicts_a_younger_table(tmp_path):
    # 1 MB in total: a victim's table, then anonymous uploads from one address until refused
    up = _uploads(tmp_path, POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB="1")
    victim = up.ingest("victim.csv", OTHER, owner=ALICE)
    refused = None
    for i in range(20):
        out = up.ingest(f"flood{i}.csv", _table(i), client="203.0.113.9")
        if out.error:
            refused = out.error
            break
    assert refused and "full" in refused and "nothing was stored" in refused
    assert up.dataset(victim.id).label == "victim.csv"  # still there
    assert up.prune() == []  # nothing is past its age


@pytest.mark.slow
def test_anonymous_uploads_from_one_address_are_capped_but_an_owner_is_not(tmp_path):
    up = _uploads(tmp_path, POLICY_ATLAS_UPLOAD_CLIENT_MAX_MB="1")
    errors = [up.ingest(f"x{i}.csv", _table(i), client="203.0.113.9").error for i in range(6)]
    assert errors[0] is None and "uploads from your address" in (errors[-1] or "")
    assert up.ingest("x.csv", _table(9), owner=ALICE, client="203.0.113.9").id
    assert up.ingest("y.csv", _table(8), client="198.51.100.7").id  # another address


@pytest.mark.slow
def test_an_owner_over_their_quota_is_refused(tmp_path):
    up = _uploads(tmp_path, POLICY_ATLAS_UPLOAD_OWNER_MAX_MB="1")
    errors = [up.ingest(f"x{i}.csv", _table(i), owner=ALICE).error for i in range(6)]
    assert errors[0] is None and "your tables on this server" in (errors[-1] or "")
    assert up.ingest("b.csv", _table(7), owner=BOB).id


def test_a_pinned_table_outlives_the_age_limit(tmp_path):
    up = _uploads(tmp_path, POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS="1")
    kept, other = up.ingest("kept.csv", GBK, owner=ALICE), up.ingest("o.csv", OTHER, owner=ALICE)
    assert up.pin(kept.id, BOB) == "forbidden"
    assert up.pin(kept.id, ALICE) == "pinned"
    old = time.time() - 3 * 86400
    for table_id in (kept.id, other.id):
        os.utime(up.backend.root / table_id, (old, old))  # type: ignore[attr-defined]
    assert up.prune() == [other.id]
    assert up.dataset(kept.id).label == "kept.csv" and up.why_gone(other.id) == "expired"


# ----------------------------------------------------------------------------- owners and origins
@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ATLAS_HOME", str(tmp_path / "home"))
    from app import create_app

    return create_app(load_dataset()).server.test_client()


def test_a_link_recipient_cannot_remove_the_table(client):
    r = post(client, "/upload?name=mine.csv", data=GBK)
    table_id, owner = r.json["id"], r.json["owner"]
    assert table_id not in owner and owner not in table_id  # the link never carries the secret
    for secret in (None, BOB):
        r = post(client, f"/upload/{table_id}/remove", owner=secret)
        assert r.status_code == 403 and r.json["outcome"] == "forbidden"
    assert client.get(f"/upload/{table_id}/problems.csv").status_code == 200
    assert post(client, f"/upload/{table_id}/remove", owner=owner).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null"])
def test_a_cross_origin_post_is_refused(client, origin):
    r = post(client, "/upload?name=mine.csv", data=GBK)
    table_id, owner = r.json["id"], r.json["owner"]
    evil = {"Origin": origin}
    assert post(client, "/upload?name=x.csv", data=GBK, **evil).status_code == 403
    assert post(client, f"/upload/{table_id}/remove", owner=owner, **evil).status_code == 403
    referer = {"Referer": "http://evil.example/page"}
    assert post(client, f"/upload/{table_id}/remove", owner=owner, **referer).status_code == 403
    # no token, a forged one, or one made for another address
    assert client.post(f"/upload/{table_id}/remove", headers={"X-Owner": owner}).status_code == 403
    forged = {"X-Owner": owner, "X-CSRF-Token": f"{int(time.time())}.{'0' * 32}"}
    assert client.post(f"/upload/{table_id}/remove", headers=forged).status_code == 403
    token = client.get("/upload/token").json["token"]
    other = client.post(
        f"/upload/{table_id}/remove",
        headers={"X-Owner": owner, "X-CSRF-Token": token},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert other.status_code == 403
    assert client.get(f"/upload/{table_id}/problems.csv").status_code == 200  # still there
    same = {"Origin": "http://localhost"}
    assert post(client, f"/upload/{table_id}/remove", owner=owner, **same).status_code == 200


# ----------------------------------------------------------------------------- gone under a page
def _run(func: Any, prop_id: str, *args: Any) -> Any:
    def run() -> Any:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": 1}]))
        return func(*args)

    return copy_context().run(run)


def _every_path(search: str, table: str, pack: bool = True) -> dict[str, str]:
    """What each path shows for ``search``: the interaction (a filter), a grid sort, a row click,
    a chart export, the report pack; as text."""
    from callbacks import exports, grid, interaction, row_details

    out = {}
    resp = interaction.respond(search + "&type=regulation", None, None, table, [])
    out["banner"] = str(resp["upload"]["banner"])
    out["summary"] = str(resp["views"]["summary"])
    out["grid_first"] = str(resp["grid_first"]["rowCount"])
    sort = {"startRow": 0, "endRow": 25, "sortModel": [{"colId": "title", "sort": "asc"}]}
    out["sort"] = str(grid.rows_block(sort, search, "")["rowCount"])
    details = _run(row_details.show_details, "detail-row.data", {"row": 2}, None, search)
    out["details"] = str(details)
    out["chart"] = str(exports.download_chart(1, "map", "csv", "a4", search, "", ""))
    if pack:  # (a real pack takes minutes on a busy machine: asked only of a gone table)
        out["pack"] = str(exports.download_pack(lambda *_: None, 1, search, None, "map", "", ""))
    return out


def _assert_gone(paths: dict[str, str], words: str, short: str) -> None:
    """The banner says ``words``; the views, the grid (first block and a sort) show no row of
    another table; the row details and both exports say ``short`` instead."""
    assert words in paths["banner"]
    assert paths["grid_first"] == "0" and paths["sort"] == "0"  # no bundled rows
    assert "181" not in paths["summary"] and (
        "0 项政策" in paths["summary"] or "0 polic" in paths["summary"]
    )
    assert short in paths["details"] and "False" in paths["details"]  # the panel opens, saying so
    for export in ("chart", "pack"):
        assert short in paths[export] and "content" not in paths[export]  # a message, no file


def test_a_table_removed_under_an_open_page_is_said_removed_on_every_path(client):
    r = post(client, "/upload?name=zhejiang.csv", data=GBK)
    table_id, owner = r.json["id"], r.json["owner"]
    search = f"?data={table_id}"
    table = f"{table_id}|zh"  # the page already shows this table: the banner comes all the same
    before = _every_path(search, table, pack=False)
    assert before["sort"] == "12" and ".csv" in before["chart"]
    post(client, f"/upload/{table_id}/remove", owner=owner)
    paths = _every_path(search, table)
    _assert_gone(paths, "已被上传者删除", "这个表格已被删除")


def test_an_expired_table_is_said_expired_on_every_path(client, tmp_path):
    r = post(client, "/upload?name=zhejiang.csv", data=GBK)
    table_id = r.json["id"]
    root = tmp_path / "home" / "data" / "uploads"
    old = time.time() - 40 * 86400
    os.utime(root / table_id, (old, old))
    paths = _every_path(f"?data={table_id}&lang=en", f"{table_id}|en")
    _assert_gone(paths, "This table has expired", "this table has expired")


def test_a_stopped_store_is_said_unreachable_on_every_path(tmp_path, monkeypatch):
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("no redis-server")
    proc, url = _redis_server(tmp_path)
    try:
        monkeypatch.setenv("POLICY_ATLAS_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("REDIS_URL", url)
        from app import create_app

        client = create_app(load_dataset()).server.test_client()
        table_id = post(client, "/upload?name=zhejiang.csv", data=GBK).json["id"]
        assert int(_every_path(f"?data={table_id}", f"{table_id}|zh", pack=False)["sort"]) > 0
    finally:
        proc.terminate()
        proc.wait(10)
    paths = _every_path(f"?data={table_id}", f"{table_id}|zh")
    _assert_gone(paths, "暂时无法连接", "这个表格现在无法连接")
    assert "已不在" not in paths["banner"] and "删除" not in paths["banner"]


def test_a_reconcile_pick_makes_a_table_its_uploader_can_remove(client):
    """w/jobs (issue 25 item 4): the reading a reconcile pick makes belongs to whoever picked
    (the secret the page's local store sends), as the column panel's re-read does."""
    from callbacks import reconcile, upload
    from layouts import ids

    body = (Path(__file__).parent / "fixtures" / "reconcile_en.csv").read_bytes()
    r = post(client, "/upload?name=reconcile_en.csv", data=body)
    table_id, owner = r.json["id"], r.json["owner"]
    assert upload._uploads is not None
    groups = [g for g in upload._uploads.meta(table_id)["groups"] if g.get("value")]
    names = [{"name": groups[0]["value"], "candidates": []}]
    search, _ = _run(
        reconcile.apply, f"{ids.RECONCILE_APPLY}.n_clicks", 1, None, ["110000"], names,
        f"?data={table_id}", owner,
    )  # fmt: skip
    new_id = search.split("data=")[1]
    assert new_id != table_id
    for secret in (None, BOB):
        assert post(client, f"/upload/{new_id}/remove", owner=secret).status_code == 403
    assert post(client, f"/upload/{new_id}/remove", owner=owner).status_code == 200
