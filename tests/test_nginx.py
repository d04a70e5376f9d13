"""docs/deploy/nginx.conf, run for real on loopback in front of gunicorn (skipped when nginx is
not installed: `apt-get install nginx-light`): it parses (`nginx -t`), a whole upload goes
through it, and 20 clients sending bodies slowly leave health probes answering."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.bench import soak
from tests.browser.harness import free_port
from tests.browser.stack import running_stack

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = Path(__file__).resolve().parents[1] / "docs" / "deploy" / "nginx.conf"
pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed")


def _main_conf(folder: Path, port: int, upstream: int) -> Path:
    site = CONF.read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = re.sub(r"server 127\.0\.0\.1:\d+;", f"server 127.0.0.1:{upstream};", site)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    user = "user root;" if os.getuid() == 0 else ""
    main = f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def proxied():
    with running_stack(web_workers=2, celery=False) as stack:
        folder = Path(tempfile.mkdtemp(prefix="policy-atlas-nginx-"))
        port = free_port()
        conf = _main_conf(folder, port, int(stack.url.rsplit(":", 1)[1]))
        check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)],
                               capture_output=True, text=True, timeout=30)  # fmt: skip
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
                                start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while soak.http(f"http://127.0.0.1:{port}/healthz", timeout=2)[0] != 200:
                assert time.monotonic() < deadline and proc.poll() is None, "nginx did not start"
                time.sleep(0.2)
            stack.url = f"http://127.0.0.1:{port}"  # the tests talk to nginx
            yield stack
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            shutil.rmtree(folder, ignore_errors=True)


def test_a_whole_upload_goes_through_the_proxy(proxied):
    body = (soak.FIXTURES / "messy_gbk.csv").read_bytes()
    status, out, _ = soak.upload(proxied.url, "p.csv", body)  # the body, then its parse job
    assert status == 200 and json.loads(out)["rows"] == 12


def test_slow_clients_behind_the_proxy_leave_health_probes_answering(proxied):
    figures = soak.slow_clients(proxied, n=20, seconds=20)
    print(json.dumps(figures))
    assert figures["health_probes"] >= 20 and figures["health_failed"] == 0
    # nginx refuses beyond 2 per client (429) and cuts the stalled rest (408 or a closed socket)
    assert figures["slow_upload_ends"].get("429", 0) >= 10, figures
    # nginx holds the bodies: gunicorn never sees a slow upload (none ever completes)
    assert "slow.csv" not in proxied.log("web")
