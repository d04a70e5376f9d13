"""Uploaded tables: the store (folder and Redis), retention, the routes, the URL's ``data=`` key,
the dataset store resolving ids, coordinates as places, the template."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from data import config as settings
from data.dataset import DatasetNotFound, DatasetStore, DatasetUnavailable
from data.load import load_table
from data.loaders import load_dataset
from data.state import ViewState, encode_query, parse_query
from data.storage import FolderBackend, RedisBackend
from data.uploads import Uploads, template_bytes

FIXTURES = Path(__file__).parent / "fixtures"
GBK = (FIXTURES / "messy_gbk.csv").read_bytes()


@pytest.fixture
def uploads(tmp_path) -> Uploads:
    return Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")}))


def stored(uploads: Uploads) -> list[str]:
    """The table records in the store (blobs, named ``blob-…``, are not tables)."""
    return sorted(uploads.backend.entries())


def blobs(uploads: Uploads) -> list[str]:
    root = uploads.backend.root  # type: ignore[attr-defined]
    return sorted(p.name for p in root.iterdir() if p.name.startswith("blob-"))


def post(client, url: str, data=None, owner: str | None = None, **headers):
    """A POST as the page sends it: with a token from ``upload/token`` (and the owner's secret)."""
    token = client.get("/upload/token").json["token"]
    headers = {"X-CSRF-Token": token, **headers}
    if owner:
        headers["X-Owner"] = owner
    r = client.post(url, data=data, headers=headers)
    if r.status_code == 202 and r.json.get("job"):
        return finished(r)
    return r


def finished(r):
    """A 202 upload's job run to its end here, as the page's background job runs it
    (``Uploads.finish``, the real bounded child; the Dash job protocol itself is driven against
    a running service in tests/test_upload_jobs.py): the answer the synchronous upload gave."""
    from types import SimpleNamespace

    from callbacks import upload

    assert upload._uploads is not None
    out = upload._uploads.finish(r.json["job"]).as_dict()
    if "error" in out:
        return SimpleNamespace(status_code=400, json=out)
    return SimpleNamespace(status_code=200, json={**out, "owner": r.json.get("owner")})


def test_upload_is_stored_by_content_and_reopened_without_parsing(uploads, monkeypatch):
    out = uploads.ingest("我的表.csv", GBK)
    assert out.error is None and out.rows == 12 and len(out.id) == 64
    assert stored(uploads) == [out.id] and len(blobs(uploads)) == 1
    # the same owner uploading it again: the same table
    assert out.id == uploads.ingest("renamed.csv", GBK, owner=out.owner).id
    import data.uploads

    monkeypatch.setattr(data.uploads, "load_table", lambda *a, **k: pytest.fail("parsed again"))
    ds = uploads.dataset(out.id)
    assert ds is not None and ds.rows == 12 and ds.uploaded
    assert ds.label == "我的表.csv" and ds.as_of == time.strftime("%Y-%m-%d")
    direct = load_table(FIXTURES / "messy_gbk.csv").frame
    assert ds.frame["incentives"].tolist() == direct["incentives"].tolist()
    assert ds.frame["city_adcode"].tolist() == direct["city_adcode"].tolist()
    assert ds.pilots.empty  # the bundled pilot layer is not this table's


@pytest.mark.parametrize(
    ("name", "body", "says"),
    [
        ("x.csv", b"", "empty"),
        ("x.csv", b"  \n \n", "empty"),
        ("x.docx", GBK, "not a table this app reads"),
        ("x", GBK, "no extension"),
        ("fake.xlsx", (FIXTURES / "fake.xlsx").read_bytes(), "not a readable Excel workbook"),
        ("g.csv", (FIXTURES / "garbage.bin").read_bytes(), "not a table"),
        ("h.csv", (FIXTURES / "header_only.csv").read_bytes(), "no rows"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(uploads, name, body, says):
    out = uploads.ingest(name, body)
    assert out.id is None and says in out.error
    assert "/tmp" not in out.error and "incoming" not in out.error  # no server path leaks
    assert stored(uploads) == []
    assert os.listdir(uploads._tmp) == []


def test_over_the_size_limit(tmp_path):
    env = {"POLICY_ATLAS_HOME": str(tmp_path), "POLICY_ATLAS_UPLOAD_MAX_MB": "1"}
    up = Uploads(settings.load(env))
    out = up.ingest("big.csv", GBK * (1_100_000 // len(GBK)))
    assert "over the upload limit of 1 MB" in out.error


def test_upload_limit_defaults_to_50_mb():
    assert settings.load({}).upload_max_mb == 50


def test_a_missing_column_asks_which_column_holds_it(uploads):
    # a value too short to read as a title by content (data/column_roles.py): the page asks
    body = "栏目,日期\n通知,2020-01-01\n".encode()
    out = uploads.ingest("t.csv", body)
    assert out.id is None and out.missing == ["title"] and out.columns == ["日期", "栏目"]
    out = uploads.ingest("t.csv", body, mapping={"title_zh": "栏目"})
    assert out.error is None and out.rows == 1
    ds = uploads.dataset(out.id)
    assert ds.frame["title_zh"].tolist() == ["通知"]


def test_retention_removes_old_then_least_recently_used(tmp_path):
    backend = FolderBackend(tmp_path / "u")
    ids = [f"{i:064x}" for i in range(3)]
    for i, table_id in enumerate(ids):
        backend.save(table_id, {"meta": b"{}", "raw": b"x" * 100})
        os.utime(backend.root / table_id, (1000 + i, 1000 + i))
    backend.read(ids[0], "meta")  # used now: the most recent
    assert backend.prune(max_age_s=1e12, max_total=250) == [ids[1]]
    assert backend.exists(ids[0]) and backend.exists(ids[2])
    assert set(backend.prune(max_age_s=60, max_total=10**9)) == {ids[2]}


def test_redis_backend(tmp_path):
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("no redis-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        url = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            try:
                up = Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path), "REDIS_URL": url}))
                up.backend.exists("0" * 64)
                break
            except Exception:
                time.sleep(0.1)
        assert isinstance(up.backend, RedisBackend)
        out = up.ingest("a.csv", GBK)
        assert up.dataset(out.id).rows == 12
        assert up.remove(out.id, None) == "forbidden" and up.dataset(out.id).rows == 12
        assert up.remove(out.id, out.owner) == "removed" and up.dataset(out.id) is None
        assert up.why_gone(out.id) == "removed"
        assert not up.backend.r.keys("policy-atlas:upload:blob-*")  # its blob went with it
        out = up.ingest("a.csv", GBK)
        up.backend.r.zadd(up.backend.USED, {out.id: time.time() - 40 * 86400})
        assert up.prune() == [out.id]
        assert not up.exists(out.id) and up.why_gone(out.id) == "expired"
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_url_carries_the_table_id():
    table_id = "ab" * 32
    state = parse_query(f"?region=440000&data={table_id}")
    assert state.data == table_id
    assert f"data={table_id}" in encode_query(state)
    assert state.cleared().data == table_id  # clearing filters keeps the table
    bad = parse_query("?data=../../etc/passwd")
    assert bad.data is None and bad.notes
    assert encode_query(ViewState()) == ""


def test_dataset_store_resolves_ids_and_notices_removal(uploads):
    store = DatasetStore(load_dataset(), source=uploads, keep=1)
    a = uploads.ingest("a.csv", GBK).id
    out = uploads.ingest("b.csv", (FIXTURES / "zh_gbk.csv").read_bytes())
    b, owners = out.id, {out.id: out.owner}
    assert store.get(None) is store.default
    assert store.get(a).label == "a.csv"
    assert store.get(b).label == "b.csv"
    assert list(store._tables) == [b]  # bounded: one parsed table kept
    assert uploads.remove(b, None) == "forbidden"
    assert store.get(b).label == "b.csv"
    uploads.remove(b, owners[b])  # e.g. by another worker
    with pytest.raises(DatasetNotFound):
        store.get(b)
    with pytest.raises(DatasetNotFound):
        store.get("f" * 64)


def test_routes_upload_over_size_and_remove(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ATLAS_HOME", str(tmp_path / "home"))
    from app import create_app

    app = create_app(load_dataset())
    client = app.server.test_client()
    r = post(client, "/upload?name=a.csv", data=GBK)
    assert r.status_code == 200 and r.json["rows"] == 12
    table_id, owner = r.json["id"], r.json["owner"]
    csv = client.get(f"/upload/{table_id}/problems.csv")
    assert csv.status_code == 200 and csv.data.startswith("\ufeffline,field,value".encode())
    r = post(client, "/upload?name=c.csv", data=b"x" * (51 << 20))
    assert r.status_code == 413 and "50 MB" in r.json["error"]
    assert post(client, f"/upload/{table_id}/remove", owner=owner).status_code == 200
    assert client.get(f"/upload/{table_id}/problems.csv").status_code == 404
    assert post(client, f"/upload/{table_id}/remove", owner=owner).status_code == 404


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_template_reads_back_through_the_loader(tmp_path, lang, ext):
    path = tmp_path / f"t.{ext}"
    path.write_bytes(template_bytes(lang, ext))
    res = load_table(path)
    assert res.fatal is None and len(res.frame) == 2
    assert not [p for p in res.problems if p.severity == "error"]
    bundled = pd.read_csv(FIXTURES.parent.parent / "data" / "policies.csv", dtype=str)
    assert set(res.frame["title_zh"]) <= set(bundled["title_zh"])  # rows of the bundled table
    if lang == "zh":
        assert (
            "标题" in pd.read_excel(path).columns
            if ext == "xlsx"
            else "标题" in path.read_text(encoding="utf-8-sig")
        )


def test_coordinates_are_placed_and_a_point_in_the_sea_is_a_problem(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text(
        "标题,日期,经度,纬度\n深圳政策,2020-01-01,113.93,22.53\n上海政策,2021-05-01,121.47,31.23\n"
        "海上,2021-05-01,120.5,25.0\n坏值,2021,abc,\n",
        encoding="utf-8",
    )
    res = load_table(path)
    assert res.frame["city_adcode"].tolist()[:2] == ["440300", "310100"]
    assert res.frame["placed"].tolist()[2:] == ["unplaced", "unplaced"]
    lines = {(p.row, p.field): p.reason for p in res.problems}
    assert "outside China" in lines[(4, "经度")] and "not a longitude" in lines[(5, "经度")]
    assert len(res.problems) == 2  # one problem per bad row, not two


def test_gcj02_points_are_converted(tmp_path):
    from geodata.gcj02 import wgs84_to_gcj02

    # a WGS-84 point 150 m inside Shenzhen's border with Dongguan, written in GCJ-02
    glon, glat = wgs84_to_gcj02(113.93, 22.53)
    path = tmp_path / "g.csv"
    path.write_text(f"title,date,lon,lat\nA,2020,{glon:.6f},{glat:.6f}\n", encoding="utf-8")
    res = load_table(path, datum="gcj02")
    assert res.frame["city_adcode"].tolist() == ["440300"]
    assert "GCJ02" in " ".join(res.notes)


def test_no_listing_route(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_ATLAS_HOME", str(tmp_path / "home"))
    from app import create_app

    app = create_app(load_dataset())
    client = app.server.test_client()
    client.post("/upload?name=a.csv", data=GBK)
    for path in ("/upload", "/upload/", "/uploads"):
        body = client.get(path).data
        assert b"a.csv" not in body


def test_ids_are_keyed_by_the_server_secret(tmp_path):
    cfg = settings.load({"POLICY_ATLAS_HOME": str(tmp_path)})
    owner = "o" * 32
    a = Uploads(cfg, secret="one").ingest("a.csv", GBK, owner=owner).id
    b = Uploads(cfg, secret="two").ingest("a.csv", GBK, owner=owner).id
    import hashlib

    assert a != b and hashlib.sha256(GBK).hexdigest() not in (a, b)
    assert Uploads(cfg, secret="one").ingest("again.csv", GBK, owner=owner).id == a


def test_an_expired_table_is_gone_when_its_link_is_opened(tmp_path):
    env = {"POLICY_ATLAS_HOME": str(tmp_path), "POLICY_ATLAS_UPLOAD_MAX_AGE_DAYS": "1"}
    up = Uploads(settings.load(env))
    table_id = up.ingest("a.csv", GBK).id
    two_days_ago = time.time() - 2 * 86400
    os.utime(up.backend.root / table_id, (two_days_ago, two_days_ago))  # type: ignore[attr-defined]
    # past its age limit when its link is opened: gone at once, and said to have expired
    assert up.meta(table_id) is None and not up.exists(table_id)
    assert up.why_gone(table_id) == "expired" and blobs(up) == []


def _redis_server(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """Debian's redis-server on a free loopback port, no persistence; (process, URL) once it
    answers."""
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def test_a_store_that_stops_answering_is_unreachable_not_gone(tmp_path, monkeypatch, capfd):
    """Redis stops after a table was stored: the table is not said to be removed (the store
    cannot tell), the views fall back to the default table, the routes answer 503."""
    if not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("no redis-server")
    proc, url = _redis_server(tmp_path)
    try:
        monkeypatch.setenv("POLICY_ATLAS_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("REDIS_URL", url)
        from app import create_app
        from callbacks import upload

        app = create_app(load_dataset())
        client = app.server.test_client()
        table_id = post(client, "/upload?name=a.csv", data=GBK).json["id"]
        up = Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path), "REDIS_URL": url}))
        assert up.meta(table_id)["rows"] == 12
    finally:
        proc.terminate()
        proc.wait(10)
    store = DatasetStore(load_dataset(), source=up)
    with pytest.raises(DatasetUnavailable):
        store.get(table_id)
    with pytest.raises(DatasetUnavailable):
        up.meta(table_id)
    capfd.readouterr()
    out = upload.panel(f"?data={table_id}", [])
    words = str(out["banner"])
    assert "暂时无法连接" in words and "已不在服务器上" not in words and "删除" not in words
    assert f"data={table_id}" in words  # "try again" opens the same link
    assert out["banner_hidden"] is False and out["remove_hidden"] is True
    log = capfd.readouterr().err
    assert "Traceback" not in log and "upload store unavailable: ConnectionError" in log
    assert client.get(f"/upload/{table_id}/problems.csv").status_code == 503
    assert post(client, f"/upload/{table_id}/remove", owner="o" * 32).status_code == 503
    r = post(client, "/upload?name=b.csv", data=GBK)
    assert r.status_code == 503 and "try again later" in r.json["error"]


def test_the_check_report_is_made_once_and_read_back_the_same(uploads):
    """An upload's record and a --data table's Dataset carry the same report (problems, the rows
    not placed and undated, and their lines for the banner's filtered links)."""
    from data.check import page_report

    broken = FIXTURES / "broken.csv"
    table_id = uploads.ingest("broken.csv", broken.read_bytes()).id
    direct = page_report(load_table(broken))
    assert uploads.dataset(table_id).report == direct
    assert load_dataset(str(broken)).report == direct
    assert direct.undated and direct.unplaced  # the fixture has both
    for group in ("unplaced", "undated"):
        lines = set(direct.lines[group])
        assert len(lines) == getattr(direct, group)
        rows = direct.rows(group)
        assert rows and {r["row"] for r in rows} == lines  # every such row, and only those
    assert len(direct.rows()) == len(direct.problems)
    csv = direct.csv("undated").decode("utf-8-sig").splitlines()
    assert csv[0] == "line,field,value,reason,suggestion,severity"
    assert len(csv) == 1 + len(direct.rows("undated"))
