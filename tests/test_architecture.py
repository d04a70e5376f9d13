"""The layer rules and code rules, checked on the source (docs/ARCHITECTURE.md).

Data flows one way: geodata/ and data/ -> pure queries -> pure figure builders (layouts/figures,
no Dash) -> thin callbacks (no pandas) -> component trees. A rule broken here is an arrow the
wrong way, which makes "where does this number come from" a search instead of a path.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP_DIRS = ("data", "geodata", "layouts", "callbacks")
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    files = [REPO / "app.py"]
    for d in APP_DIRS:
        files += sorted((REPO / d).rglob("*.py"))
    return files


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _violations(folder: str, forbidden: tuple[str, ...], exempt: tuple[str, ...] = ()) -> list:
    found = []
    for path in sorted((REPO / folder).rglob("*.py")):
        if _rel(path) in exempt:
            continue
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append((_rel(path), name))
    return found


@pytest.mark.parametrize("folder", ["data", "geodata"])
def test_data_and_geodata_never_import_upward(folder):
    assert _violations(folder, ("layouts", "callbacks", "app", "dash", "plotly")) == []


def test_figure_builders_import_no_dash():
    assert _violations("layouts/figures", ("dash", "callbacks", "flask")) == []


def test_callbacks_are_wiring_only():
    assert _violations("callbacks", ("pandas", "numpy", "geopandas")) == []


def test_component_trees_import_no_export_machinery():
    """The page's modules (layouts/*.py) never pull in image rendering or the report pack; only
    the report pack itself, the data API built on it (layouts/data_api.py: the export's files at
    a URL) and the renderer (layouts/figures/render.py) do."""
    machinery = ("layouts.report_pack", "layouts.figures.render", "kaleido")
    exempt = ("layouts/report_pack.py", "layouts/data_api.py")
    found = [v for v in _violations("layouts", machinery, exempt) if "/figures/" not in v[0]]
    assert found == []


def test_no_two_modules_share_a_name():
    stems: dict[str, list[str]] = {}
    for path in _modules():
        if path.name != "__init__.py":
            stems.setdefault(path.stem, []).append(_rel(path))
    assert {k: v for k, v in stems.items() if len(v) > 1} == {}


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_no_function_is_longer_than_80_lines():
    long = [
        (_rel(p), f.name, f.end_lineno - f.lineno + 1)
        for p in _modules()
        for f in _functions(p)
        if (f.end_lineno or 0) - f.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_every_public_function_has_type_hints():
    missing = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = list(tree.body)
        nodes += [m for c in tree.body if isinstance(c, ast.ClassDef) for m in c.body]
        for f in nodes:
            if not isinstance(f, ast.FunctionDef) or f.name.startswith("_"):
                continue
            args = [a for a in f.args.args + f.args.kwonlyargs if a.arg not in ("self", "cls")]
            if f.returns is None or any(a.annotation is None for a in args):
                missing.append(f"{_rel(path)}:{f.lineno} {f.name}")
    assert missing == []
