"""docs/deploy: the systemd unit pair parses, runs what `make run` / `make worker` and the test
stack run, and its settings file names only variables the app reads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from data import config as settings
from tests.browser import stack

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "docs" / "deploy"
UNITS = ("policy-atlas-web.service", "policy-atlas-worker.service")


def _exec_start(unit: str) -> list[str]:
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    return re.search(r"^ExecStart=(.+)$", text, re.M).group(1).split()


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path):
    for unit in UNITS:
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        text = text.replace("/etc/policy-atlas/env", str(DEPLOY / "policy-atlas.env"))
        text = text.replace("/opt/policy-atlas", str(REPO))
        text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.M)
        (tmp_path / unit).write_text(text, encoding="utf-8")
    out = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / u) for u in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr


def test_units_run_the_same_commands_as_make_and_the_test_stack():
    web, worker = (_exec_start(u) for u in UNITS)
    assert web[1:] == ["-m", "gunicorn", "-c", stack.GUNICORN_CONF, "app:server"]
    assert worker[1:5] == ["-m", "celery", "-A", "app:celery_app"] and "worker" in worker
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"-m gunicorn -c {stack.GUNICORN_CONF}" in makefile
    assert "-m celery -A app:celery_app worker" in makefile


def test_settings_file_names_only_known_variables():
    known = {name for name, _, _ in settings.VARIABLES}
    text = (DEPLOY / "policy-atlas.env").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z_]+)=", text, re.M))
    assert named and named <= known, named - known
    active = dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.M))
    settings.load(active)  # every value given there is valid


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
@pytest.mark.parametrize("unit", UNITS)
def test_units_are_sandboxed_to_an_exposure_of_at_most_4(unit, tmp_path):
    (tmp_path / unit).write_text((DEPLOY / unit).read_text(encoding="utf-8"), encoding="utf-8")
    out = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(tmp_path / unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    score = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out.stdout)
    assert score, out.stdout[-500:] + out.stderr
    assert float(score.group(1)) <= 4.0, out.stdout
