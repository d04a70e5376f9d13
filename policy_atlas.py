"""``policy-atlas``: the one command of an installed Policy Atlas (``pip install .``).

policy-atlas serve  [--host H] [--port N] [--data FILE]   the service (gunicorn, as `make run`)
policy-atlas dev    [--host H] [--port N] [--data FILE]   Flask's development server, debug tools
policy-atlas check  [FILE] [--sheet NAME] [--json]       validate a table (default: the bundled one)
policy-atlas export DIR [--view QUERY] [--data FILE]      write a report pack
policy-atlas worker                                       Celery export worker (needs REDIS_URL)
policy-atlas --version

``python app.py …`` keeps working; this module only builds its command lines (importing ``app``
builds the app, so the commands that need it run it as ``__main__`` or in gunicorn/Celery).
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from pathlib import Path

DIST = "policy-atlas"
GUNICORN_CONF = "python:callbacks.service.gunicorn_conf"


def version() -> str:
    """The installed distribution's version, else the checkout's pyproject.toml."""
    from importlib import metadata

    try:
        return metadata.version(DIST)
    except metadata.PackageNotFoundError:
        import tomllib

        pyproject = Path(__file__).with_name("pyproject.toml")
        return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-atlas", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (("serve", "the service (gunicorn)"), ("dev", "the development server")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--host", default=None, help="listen address (default 127.0.0.1)")
        s.add_argument("--port", type=int, default=None, help="port (default 8050)")
        s.add_argument("--data", metavar="FILE", help="a policy table (CSV, XLSX or Parquet)")
        s.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read")
    c = sub.add_parser("check", help="validate a policy table and print a report")
    c.add_argument("file", nargs="?", help="the table (default: the bundled data/policies.csv)")
    c.add_argument("--sheet", metavar="NAME")
    c.add_argument("--json", action="store_true", help="the report as JSON")
    e = sub.add_parser("export", help="write the report pack (zip) of a view into DIR")
    e.add_argument("dir", metavar="DIR")
    e.add_argument("--view", metavar="QUERY", help='the view as a URL query, e.g. "?region=440000"')
    e.add_argument("--data", metavar="FILE")
    e.add_argument("--sheet", metavar="NAME")
    e.add_argument("--base-url", metavar="URL", help="where the atlas is served (CITATION.txt)")
    sub.add_parser("worker", help="a Celery export worker (REDIS_URL must be set)")
    return p


def _run_app(argv: list[str]) -> int:
    """``python app.py ARGV`` in this process."""
    sys.argv = ["app.py", *argv]
    try:
        runpy.run_module("app", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def _exec_python(args: list[str]) -> int:
    """Replace this process by ``python ARGS`` (gunicorn, Celery: their own signal handling)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *args])
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        from data.check import run_check
        from data.load import BUNDLED

        return run_check(args.file or str(BUNDLED), sheet=args.sheet, as_json=args.json)
    if getattr(args, "data", None):
        os.environ["POLICY_ATLAS_DATA"] = args.data
    if getattr(args, "sheet", None):
        os.environ["POLICY_ATLAS_SHEET"] = args.sheet
    if args.command == "serve":
        host = args.host or "127.0.0.1"
        if args.host or args.port or "POLICY_ATLAS_BIND" not in os.environ:
            os.environ["POLICY_ATLAS_BIND"] = f"{host}:{args.port or 8050}"
        return _exec_python(["-m", "gunicorn", "-c", GUNICORN_CONF, "app:server"])
    if args.command == "dev":
        return _run_app(
            ["--host", args.host or "127.0.0.1", "--port", str(args.port or 8050), "--debug"]
        )
    if args.command == "export":
        extra = ["--view", args.view] if args.view else []
        extra += ["--base-url", args.base_url] if args.base_url else []
        return _run_app(["--export", args.dir, *extra])
    if not os.environ.get("REDIS_URL"):
        print("policy-atlas worker needs REDIS_URL, e.g. redis://127.0.0.1:6379/0", file=sys.stderr)
        return 2
    celery = ["-m", "celery", "-A", "app:celery_app", "worker"]
    return _exec_python([*celery, "--without-gossip", "--without-mingle"])


if __name__ == "__main__":
    sys.exit(main())
