"""A shared table never turns into someone else's data, in the browser, on gunicorn with two
workers (tests/browser/stack.py): a table removed, expired or unreachable under an open page is
said so on every path (row click, grid sort, a filter, an export, the report pack) and nothing of
another table is shown; two people uploading the same file get two tables; a link's recipient
cannot remove the table; a page on another site cannot POST; a flood of anonymous uploads cannot
evict a younger table; an export whose Chromium hangs ends with a message (issues 25, 26)."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import upload_jobs
from tests.browser import harness as h
from tests.browser import stack as stack_harness
from tests.browser.test_upload_browser import fresh_page, upload

pytestmark = [pytest.mark.browser]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROWS = "#table .ag-center-cols-container .ag-row"


def _uploaded(page, base: str, path: Path) -> str:
    page.goto(base + "/")
    h.wait_ready(page)
    upload(page, path)
    page.wait_for_url(re.compile(r"data=[0-9a-f]{64}"), timeout=60_000)
    h.wait_idle(page)
    return page.url


def _open(page, link: str) -> None:
    page.goto(link)
    h.wait_ready(page)
    page.wait_for_selector(ROWS, timeout=30_000)


def _sort_shows_nothing(page) -> None:
    page.click("#table .ag-header-cell[col-id=date] .ag-header-cell-label")  # a sort
    page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === 0")


def _filter(page) -> None:
    """A filter as a URL change that keeps the table (the table id does not change)."""
    page.evaluate(
        """() => { const p = new URLSearchParams(window.location.search); p.set('from', '2018');
                   window.history.pushState({}, '', '?' + p.toString());
                   window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }"""
    )


def _banner_says(page, words: str) -> None:
    page.wait_for_function(
        "(w) => document.getElementById('upload-banner').innerText.includes(w)", arg=words
    )


def _every_path_says(page, short: str, banner: str, sort_first: bool = False) -> None:
    """Under an open page whose table just went: a row click, a filter (a URL change that keeps
    the table id), a grid sort, a chart export and the report pack each say so; no row is shown.
    ``sort_first``: the sort is the first request after the table went (its banner comes with
    the grid's answer), else the filter is (the banner comes with the views)."""
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))
    page.locator(f"{ROWS} .ag-cell").first.click()  # a row the grid still holds
    page.wait_for_selector("#detail:not([hidden]) .detail-gone", timeout=30_000)
    assert short in page.inner_text("#detail")
    page.click("#detail-close")
    if sort_first:
        _sort_shows_nothing(page)
        _banner_says(page, banner)
        _filter(page)
    else:
        _filter(page)
        _banner_says(page, banner)
    h.wait_idle(page)
    assert "181" not in page.inner_text("#summary") and "0" in page.inner_text("#summary")
    page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === 0")
    if not sort_first:
        _sort_shows_nothing(page)
    page.click("#export-menu > summary")
    page.click("#dl-go")
    page.wait_for_function(
        "(w) => document.getElementById('dl-status').innerText.includes(w)",
        arg=short,
        timeout=60_000,
    )
    page.click("#pack-go")
    page.wait_for_function(
        "(w) => document.getElementById('pack-status').innerText.includes(w)",
        arg=short,
        timeout=60_000,
    )
    assert not downloads
    assert [e for e in page.watch.errors if "403" not in e] == []  # (the refused removal)


def test_a_table_removed_under_an_open_page(browser, stack, tmp_path):
    """The owner removes the table while a recipient has its link open; the recipient has no
    "remove" of their own and the server refuses theirs."""
    owner_ctx, owner = fresh_page(browser, stack.url)
    guest_ctx, guest = fresh_page(browser, stack.url)
    try:
        path = tmp_path / "zhejiang.csv"
        path.write_bytes((FIXTURES / "messy_gbk.csv").read_bytes())
        link = _uploaded(owner, stack.url, path)
        table_id = re.search(r"data=([0-9a-f]{64})", link).group(1)
        _open(guest, link)
        assert guest.is_hidden("#upload-remove")  # not theirs: no remove button
        status = guest.evaluate(
            """async (id) => {
                const t = await (await fetch('upload/token')).json();
                const r = await fetch('upload/' + id + '/remove',
                                      {method: 'POST', headers: {'X-CSRF-Token': t.token}});
                return r.status; }""",
            table_id,
        )
        assert status == 403
        assert owner.is_visible("#upload-remove")
        owner.click("#upload-remove")
        owner.wait_for_url(lambda u: "data=" not in u, timeout=30_000)
        _every_path_says(guest, "这个表格已被删除", "已被上传者删除")
    finally:
        owner_ctx.close()
        guest_ctx.close()


def test_a_table_expired_under_an_open_page(browser, stack, tmp_path):
    import redis

    ctx, page = fresh_page(browser, stack.url)
    try:
        path = tmp_path / "old.csv"
        path.write_bytes((FIXTURES / "zh_gbk.csv").read_bytes())
        link = _uploaded(page, stack.url, path)
        table_id = re.search(r"data=([0-9a-f]{64})", link).group(1)
        _open(page, link)
        r = redis.Redis.from_url(stack.redis_url)
        r.zadd("policy-atlas:uploads:used", {table_id: time.time() - 40 * 86400})
        _every_path_says(page, "这个表格已过期", "已过期", sort_first=True)
    finally:
        ctx.close()


def test_two_people_upload_the_same_file(browser, stack, tmp_path):
    a_ctx, alice = fresh_page(browser, stack.url)
    b_ctx, bob = fresh_page(browser, stack.url)
    try:
        body = (FIXTURES / "zh_gbk.csv").read_bytes()
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        (tmp_path / "a" / "alice-confidential-merger-plan.csv").write_bytes(body)
        (tmp_path / "b" / "bob.csv").write_bytes(body)
        a_link = _uploaded(alice, stack.url, tmp_path / "a" / "alice-confidential-merger-plan.csv")
        b_link = _uploaded(bob, stack.url, tmp_path / "b" / "bob.csv")
        assert a_link != b_link
        assert "bob.csv" in bob.inner_text("#upload-table")
        assert "alice" not in bob.inner_text("#upload-table")
        bob.click("#upload-remove")
        bob.wait_for_url(lambda u: "data=" not in u, timeout=30_000)
        _open(alice, a_link)  # Alice's table is still there, under her name
        assert "alice-confidential-merger-plan.csv" in alice.inner_text("#upload-table")
        _open(bob, a_link)  # Bob opening Alice's link sees her table but cannot remove it
        assert bob.is_hidden("#upload-remove")
    finally:
        a_ctx.close()
        b_ctx.close()


def test_a_cross_origin_post_is_refused(browser, stack, tmp_path):
    ctx, page = fresh_page(browser, stack.url)
    try:
        path = tmp_path / "victim.csv"
        path.write_bytes((FIXTURES / "zh_gbk.csv").read_bytes())
        link = _uploaded(page, stack.url, path)
        table_id = re.search(r"data=([0-9a-f]{64})", link).group(1)
        secret = page.evaluate("() => JSON.parse(localStorage.getItem('policy-atlas-owner'))")
        site = tmp_path / "evil"
        site.mkdir()
        (site / "index.html").write_text(
            f"""<!doctype html><form id=f method=post action="{stack.url}/upload/{table_id}/remove">
            </form><script>
            fetch("{stack.url}/upload?name=x.csv", {{method: "POST", mode: "no-cors",
                  body: "标题,日期,省份\\n通知,2020-01-01,广东省\\n"}}).finally(() =>
              fetch("{stack.url}/upload/{table_id}/remove", {{method: "POST", mode: "no-cors",
                    headers: {{"X-Owner": "{secret}"}}}})).finally(() => f.submit());
            </script>""",
            encoding="utf-8",
        )
        port = h.free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            evil_ctx, evil = fresh_page(browser, f"http://127.0.0.1:{port}")
            with contextlib.suppress(Exception):
                evil.goto(f"http://127.0.0.1:{port}/index.html")
            deadline = time.monotonic() + 30
            while stack.log("web").count("refused a state-changing request") < 2:
                assert time.monotonic() < deadline, stack.log("web")[-2000:]
                time.sleep(0.3)
            evil_ctx.close()
        finally:
            server.terminate()
            server.wait(10)
        _open(page, link)  # still there
        assert "victim.csv" in page.inner_text("#upload-table")
    finally:
        ctx.close()


def test_redis_stopped_under_an_open_page(browser, tmp_path):
    with stack_harness.running_stack(web_workers=2) as st:
        ctx, page = fresh_page(browser, st.url)
        try:
            path = tmp_path / "mine.csv"
            path.write_bytes((FIXTURES / "zh_gbk.csv").read_bytes())
            link = _uploaded(page, st.url, path)
            _open(page, link)
            stack_harness._stop(st.procs["redis"])
            downloads: list = []
            page.on("download", lambda d: downloads.append(d))
            page.locator(f"{ROWS} .ag-cell").first.click()
            page.wait_for_selector("#detail:not([hidden]) .detail-gone", timeout=30_000)
            assert "这个表格现在无法连接" in page.inner_text("#detail")
            page.click("#detail-close")
            page.click("#table .ag-header-cell[col-id=date] .ag-header-cell-label")
            page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === 0")
            page.evaluate(
                """() => { const p = new URLSearchParams(window.location.search);
                   p.set('from', '2018'); window.history.pushState({}, '', '?' + p.toString());
                   window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }"""
            )
            page.wait_for_function(
                "() => document.getElementById('upload-banner').innerText.includes('暂时无法连接')"
            )
            assert "181" not in page.inner_text("#summary")
            page.click("#export-menu > summary")
            page.click("#dl-go")  # the job store is this Redis too: the export ends with a message
            page.wait_for_function(
                "() => (document.getElementById('dl-status').innerText"
                " + document.getElementById('export-notice').innerText).length > 0",
                timeout=90_000,
            )
            assert not downloads
        finally:
            ctx.close()


def _post(base: str, path: str, body: bytes | None = None, owner: str | None = None):
    with urllib.request.urlopen(base + "/upload/token", timeout=30) as r:
        token = json.loads(r.read())["token"]
    headers = {"X-CSRF-Token": token, **({"X-Owner": owner} if owner else {})}
    req = urllib.request.Request(base + path, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _table(i: int, rows: int = 2500) -> bytes:
    lines = ["标题,日期,省份"] + [
        f"通知 {i}-{n},2020-01-{1 + n % 28:02d},广东省" for n in range(rows)
    ]
    return "\n".join(lines).encode()


@pytest.fixture(scope="module")
def small_stack(tmp_path_factory):
    """Two gunicorn workers, diskcache jobs, a 1 MB store, and a "Chromium" that hangs."""
    hang = tmp_path_factory.mktemp("chromium") / "chromium"
    hang.write_text("#!/bin/sh\nexec sleep 600\n")
    hang.chmod(0o755)
    env = {
        "POLICY_ATLAS_UPLOAD_MAX_TOTAL_MB": "1",
        "POLICY_ATLAS_CHROMIUM": str(hang),
        "POLICY_ATLAS_EXPORT_TIMEOUT": "8",
    }
    with stack_harness.running_stack(web_workers=2, celery=False, env=env) as st:
        yield st


def _stored(base: str, name: str, body: bytes) -> dict:
    """An upload as the page makes it: the file received (202), then its parse job run to its
    end; what the job ended with (``id`` when stored, ``error`` when refused)."""
    status, out = _post(base, f"/upload?name={name}", body)
    if status != 202:
        return {"error": out.get("error") or f"HTTP {status}"}
    return upload_jobs.run(base, out)["end"]


def test_a_flood_of_anonymous_uploads_cannot_evict_a_younger_table(small_stack):
    base = small_stack.url
    victim = _stored(base, "victim.csv", (FIXTURES / "zh_gbk.csv").read_bytes())
    assert victim.get("id"), victim
    refused = None
    for i in range(12):
        out = _stored(base, f"flood{i}.csv", _table(i))
        if not out.get("id"):
            refused = out.get("error")
            break
    assert refused and "full" in refused
    with urllib.request.urlopen(f"{base}/upload/{victim['id']}/problems.csv", timeout=30) as r:
        assert r.status == 200  # the victim's table is still there


def test_an_export_whose_chromium_hangs_ends_with_a_message(browser, small_stack):
    ctx, page = fresh_page(browser, small_stack.url)
    try:
        page.goto(small_stack.url + "/?lang=en")
        h.wait_ready(page)
        page.click("#export-menu > summary")
        page.click("#dl-format label:has-text('PNG')")
        page.click("#dl-go")
        page.wait_for_function(
            "() => (document.getElementById('export-notice').innerText"
            " + document.getElementById('dl-status').innerText).length > 0",
            timeout=90_000,
        )
        text = page.inner_text("#export-notice") + page.inner_text("#dl-status")
        assert "did not answer within 8 s" in text
        page.wait_for_function("() => !document.getElementById('dl-go').disabled")
        time.sleep(0)  # the job's process is reaped: no zombie child of gunicorn is left
        ps = subprocess.run(["ps", "-eo", "stat,args"], capture_output=True, text=True).stdout
        hung = [line for line in ps.splitlines() if "sleep 600" in line and line[0] != "Z"]
        assert not hung, hung
    finally:
        ctx.close()
