"""axe-core in the browser tests: installed from the npm registry into a cache folder at test time
(never from a CDN, never committed) and injected into the page by Playwright."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

AXE_VERSION = "4.10.3"
CACHE = Path(os.environ.get("POLICY_ATLAS_CACHE", Path.home() / ".cache" / "policy-atlas")) / "npm"


def axe_script() -> Path:
    """The path of ``axe.min.js``, installed with ``npm`` on first use."""
    script = CACHE / "node_modules" / "axe-core" / "axe.min.js"
    CACHE.mkdir(parents=True, exist_ok=True)
    # one install at a time: the tests' parallel workers (pytest-xdist) share the cache
    with open(CACHE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not script.exists():
            _install()
    return script


def _install() -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install axe-core for the accessibility test")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(CACHE),
         f"axe-core@{AXE_VERSION}"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now: rule id, impact, help and the nodes'
    selectors and summaries."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    return page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                      summary: n.failureSummary}))}));
        }"""
    )


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]
