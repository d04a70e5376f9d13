"""``pip install .`` into a fresh virtualenv gives the ``policy-atlas`` command, which answers
``--version`` and checks the bundled table from the installed files (no checkout on its path).
Slow (a whole install from the package index or pip's cache): ``pytest -m slow``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def _pythons() -> list[str]:
    """This interpreter, and Python 3.12 where one is installed (Debian or pyenv)."""
    found = [sys.executable]
    for candidate in (shutil.which("python3.12"), "/root/.pyenv/versions/3.12.1/bin/python3.12"):
        if candidate and os.access(candidate, os.X_OK) and sys.version_info[:2] != (3, 12):
            probe = subprocess.run([candidate, "--version"], capture_output=True, text=True)
            if probe.returncode == 0:
                found.append(candidate)
                break
    return found


@pytest.mark.slow
@pytest.mark.xdist_group("package")  # one build at a time: pip builds in the checkout (build/)
@pytest.mark.parametrize("python", _pythons(), ids=lambda p: Path(p).name)
def test_pip_install_gives_the_policy_atlas_command(python, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(REPO)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    command = venv / "bin" / "policy-atlas"
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "POLICY_ATLAS_HOME": str(tmp_path / "home")}
    run = dict(capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    version = subprocess.run([str(command), "--version"], **run)
    assert version.stdout.strip() == f"policy-atlas {VERSION}"
    check = subprocess.run([str(command), "check", "--json"], **run)
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout)
    assert report["usable"] and report["rows"] == 181
    # the installed files, not the checkout, were read
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import data.load as m; print(m.BUNDLED)"], **run
    )
    assert str(venv) in where.stdout and where.stdout.strip().endswith("policies.csv")
