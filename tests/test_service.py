"""The service's settings, private folders, job reaping and store messages (no browser)."""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from callbacks.service import background, health
from data import config as settings
from data.config import ConfigError, private_dir
from layouts.i18n import t

REPO = Path(__file__).resolve().parents[1]
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make another user's folder")


def test_defaults_follow_xdg_and_the_core_count():
    cfg = settings.load({"XDG_STATE_HOME": "/srv/state"})
    assert cfg.home == Path("/srv/state/policy-atlas")
    assert cfg.cache_dir == cfg.home / "cache" and cfg.data_dir == cfg.home / "data"
    assert cfg.workers == 2 * settings.cores() and cfg.threads == 2
    assert cfg.url_prefix == "/" and cfg.log_level == "INFO" and cfg.redis_url is None
    assert settings.load({}).home == Path.home() / ".local/state/policy-atlas"


def test_values_are_read_and_normalised():
    cfg = settings.load(
        {
            "POLICY_ATLAS_HOME": "/srv/pa",
            "POLICY_ATLAS_CACHE_DIR": "/var/cache/pa",
            "POLICY_ATLAS_URL_PREFIX": "atlas/maps",
            "POLICY_ATLAS_LOG_LEVEL": "debug",
            "POLICY_ATLAS_LOG_FORMAT": "JSON",
            "POLICY_ATLAS_WORKERS": "3",
            "POLICY_ATLAS_WORKER_TIMEOUT": "2.5",
            "REDIS_URL": "redis://127.0.0.1:6390/0",
        }
    )
    assert cfg.cache_dir == Path("/var/cache/pa") and cfg.data_dir == Path("/srv/pa/data")
    assert cfg.url_prefix == "/atlas/maps/"
    assert (cfg.log_level, cfg.log_format, cfg.workers) == ("DEBUG", "json", 3)
    assert cfg.worker_timeout == 2.5 and cfg.redis_url.endswith("/0")


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("POLICY_ATLAS_WORKERS", "many", "expected a whole number"),
        ("POLICY_ATLAS_THREADS", "0", "at least 1"),
        ("POLICY_ATLAS_WORKER_TIMEOUT", "-1", "more than 0"),
        ("POLICY_ATLAS_LOG_FORMAT", "xml", "text, json"),
        ("POLICY_ATLAS_URL_PREFIX", "/a/../b", "expected a path"),
        ("POLICY_ATLAS_CACHE_DIR", "relative/cache", "absolute path"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_value(name, value, words):
    with pytest.raises(ConfigError) as err:
        settings.load({name: value})
    assert name in str(err.value) and repr(value) in str(err.value) and words in str(err.value)


def test_the_app_refuses_a_bad_setting_in_one_line():
    env = {**os.environ, "POLICY_ATLAS_WORKER_TIMEOUT": "soon"}
    out = subprocess.run(
        [sys.executable, "app.py", "--port", "0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip() == (
        "Configuration: POLICY_ATLAS_WORKER_TIMEOUT='soon': expected a number of seconds"
    )


def test_deploy_docs_document_every_variable_once():
    readme = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    source = (REPO / "data" / "config.py").read_text(encoding="utf-8")
    loader = source[source.index("def load(") :]
    read = set(re.findall(r'"((?:POLICY_ATLAS_|REDIS_|DASH_)[A-Z_]+)"', loader))
    read |= set(settings.LIMITS) | set(settings.DASH_PATH_VARIABLES)
    documented = {name for name, _, _ in settings.VARIABLES}
    named_in_rows = {"DASH_ROUTES_PATHNAME_PREFIX", "DASH_REQUESTS_PATHNAME_PREFIX"}
    assert read == documented | named_in_rows
    for name, default, meaning in settings.VARIABLES:
        assert f"| `{name}` | {default} | {meaning} |" in readme, name


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_private_dir_is_created_0700_and_repaired(tmp_path):
    made = private_dir(tmp_path / "a" / "cache", "POLICY_ATLAS_CACHE_DIR")
    assert made.is_dir() and _mode(made) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "cache.db").write_bytes(b"")
    loose.chmod(0o777)
    private_dir(loose, "POLICY_ATLAS_CACHE_DIR")
    assert _mode(loose) == 0o700


@ROOT_ONLY
def test_a_folder_of_another_user_is_refused(tmp_path):
    planted = tmp_path / "cache"
    planted.mkdir(mode=0o777)
    os.chown(planted, 65534, 65534)
    with pytest.raises(ConfigError, match="belongs to user 65534"):
        private_dir(planted, "POLICY_ATLAS_CACHE_DIR")
    ours = tmp_path / "ours"
    ours.mkdir()
    ours.chmod(0o777)
    (ours / "cache.db").write_bytes(b"")
    os.chown(ours / "cache.db", 65534, 65534)
    with pytest.raises(ConfigError, match="cache.db belongs to another user"):
        private_dir(ours, "POLICY_ATLAS_CACHE_DIR")
    assert _mode(ours) == 0o777  # not tightened: refused as it is


def test_secret_key_is_kept_private_and_stable(tmp_path):
    cfg = settings.load({"POLICY_ATLAS_HOME": str(tmp_path)})
    private_dir(cfg.data_dir, "POLICY_ATLAS_DATA_DIR")
    first = health.secret_key(cfg)
    assert len(first) == 64 and health.secret_key(cfg) == first
    assert _mode(cfg.data_dir / "secret_key") == 0o600
    fixed = settings.load({"POLICY_ATLAS_HOME": str(tmp_path), "POLICY_ATLAS_SECRET_KEY": "s3"})
    assert health.secret_key(fixed) == "s3"


def test_json_log_lines_parse():
    cfg = settings.load({"POLICY_ATLAS_LOG_FORMAT": "json"})
    formatter = health.JsonFormatter()
    record = logging.LogRecord(
        "policy_atlas.http", logging.INFO, __file__, 1, "GET / 200", (), None
    )
    record.status = 200
    line = json.loads(formatter.format(record))
    assert line["message"] == "GET / 200" and line["status"] == 200 and line["level"] == "INFO"
    conf = health.logging_config(cfg)
    assert conf["loggers"]["kaleido"]["level"] == "WARNING"
    assert conf["loggers"]["policy_atlas"]["level"] == "INFO"


def test_store_problems_in_words(tmp_path):
    full = OSError(errno.ENOSPC, "No space left on device")
    assert t(background.store_problem(full), "en") == "the disk is full"
    assert t(background.store_problem(None, tmp_path / "gone"), "en") == "its folder is missing"
    import redis.exceptions

    down = redis.exceptions.ConnectionError("Error 111 connecting")
    assert t(background.store_problem(down), "en") == "Redis is not reachable"
    assert t(background.store_problem(down), "zh") == "无法连接 Redis"


def test_export_notices_come_from_both_catalogues():
    """The message of a job that cannot finish, in both languages, with its problem said in the
    same language (the page's CSS shows the one it is in)."""
    zh, en = background.notice("export_store_failed", problem="store_disk_full")
    assert zh.className == "l-zh" and en.className == "l-en"
    assert zh.children == "导出失败：任务存储不可用（磁盘已满）。详情见服务器日志。"
    assert en.children.startswith("Export failed: the job store is not usable (the disk is full)")
    zh, en = background.notice("export_no_worker", seconds="30")
    assert "30 秒内没有导出进程响应" in zh.children and "within 30 s" in en.children


def _job(key, progress_key, args, context):
    import diskcache

    diskcache.Cache(args[0]).set(key, "done")


def test_a_finished_diskcache_job_leaves_no_zombie(tmp_path):
    folder = private_dir(tmp_path / "cache", "POLICY_ATLAS_CACHE_DIR")
    jobs = background.DiskcacheJobs(folder)
    pid = background._pid(jobs.call_job_fn("job-1", _job, [str(folder)], {}))[0]
    deadline = time.monotonic() + 30
    while jobs.handle.get("job-1") is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.handle.get("job-1") == "done"
    # Nobody collects the result here (another gunicorn worker might): the child is reaped anyway.
    while time.monotonic() < deadline:
        zombies = [c for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]
        if not zombies and not psutil.pid_exists(pid):
            break
        time.sleep(0.1)
    assert not psutil.pid_exists(pid)
    assert not [c for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]


def _hang(key, progress_key, args, context):
    import subprocess

    subprocess.run(["sleep", "600"])  # a renderer that never answers


def test_a_silent_job_is_stopped_with_a_message_and_reaped(tmp_path):
    """A job that has not reported for ``export_timeout`` seconds ends: the page gets a message,
    the job's process and its renderer are killed, and the child is reaped."""
    from flask import Flask

    folder = private_dir(tmp_path / "cache", "POLICY_ATLAS_CACHE_DIR")
    jobs = background.DiskcacheJobs(folder, export_timeout=1.0)
    job = jobs.call_job_fn("job-2", _hang, [], {})
    pid = background._pid(job)[0]
    app = Flask("poll")
    with app.test_request_context():
        background._flag("result_missing", True)
        assert jobs.job_running(job)  # within its time: still running
    deadline = time.monotonic() + 30
    while psutil.Process(pid).children() == [] and time.monotonic() < deadline:
        time.sleep(0.05)
    renderer = psutil.Process(pid).children()[0].pid
    time.sleep(1.2)
    with app.test_request_context():
        background._flag("result_missing", True)
        assert not jobs.job_running(job)
        notice = str(jobs.get_updated_props("job-2"))
    assert "did not answer within 1 s" in notice and "没有回应" in notice
    while (psutil.pid_exists(pid) or psutil.pid_exists(renderer)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not psutil.pid_exists(pid) and not psutil.pid_exists(renderer)
    assert not [c for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]


def test_prepare_makes_the_folders_and_points_kaleido_at_the_chromium(tmp_path, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    cfg = settings.load(
        {"POLICY_ATLAS_HOME": str(tmp_path / "home"), "POLICY_ATLAS_CHROMIUM": "/usr/bin/chromium"}
    )
    health.prepare(cfg)
    assert os.environ["BROWSER_PATH"] == "/usr/bin/chromium"
    for folder in (cfg.home, cfg.data_dir, cfg.cache_dir):
        assert _mode(folder) == 0o700


def test_no_usable_chromium_is_an_export_error_at_once(monkeypatch):
    """``POLICY_ATLAS_CHROMIUM`` naming no browser: the export says so (kaleido itself would wait
    for its whole start timeout)."""
    from layouts.exports import render

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent")
    monkeypatch.setattr(render, "_renderer", None)
    with pytest.raises(
        render.ExportError, match="Chromium cannot start: no browser at /nonexistent"
    ):
        render.to_bytes({"data": [], "layout": {}}, "svg", "web")
