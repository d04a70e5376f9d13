"""Policy Atlas: start the dashboard, check a policy table, or write a report pack.

python app.py [--host H] [--port N] [--debug] [--data FILE [--sheet NAME]]
python app.py --data FILE --check [--json]
python app.py [--data FILE] --export DIR [--view QUERY]   (report pack of a view, then exit)
gunicorn -w 4 -b 127.0.0.1:8050 app:server      (POLICY_ATLAS_DATA=FILE for another table)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dash import Dash

    from data.dataset import Dataset

DATA_ENV = "POLICY_ATLAS_DATA"
SHEET_ENV = "POLICY_ATLAS_SHEET"


def create_app(dataset: Dataset | None = None) -> Dash:
    """The Dash app serving ``dataset`` as its default table (default: the bundled table)."""
    from dash import Dash
    from flask import Flask

    import callbacks.clientside  # noqa: F401  (registers the callbacks)
    import callbacks.exports  # noqa: F401
    import callbacks.grid  # noqa: F401
    import callbacks.language  # noqa: F401
    import callbacks.measure_choice  # noqa: F401
    import callbacks.row_details  # noqa: F401
    import callbacks.url_sync  # noqa: F401
    import callbacks.views  # noqa: F401
    from callbacks.context import serve
    from data.dataset import DatasetStore, load_dataset
    from layouts import viewmodel
    from layouts.figures.geo_assets import TOPOJSON_URL
    from layouts.page import page

    ds = dataset if dataset is not None else load_dataset()
    serve(DatasetStore(ds))
    # Flask-Compress reads its settings when Dash attaches it, so the server is configured first:
    # the boundary layers (application/geo+json) shrink about fourfold with gzip.
    server = Flask(__name__)
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "image/svg+xml",
    ]
    app = Dash(
        __name__,
        server=server,
        title="Policy Atlas · 区块链政策地图",
        compress=True,
        serve_locally=True,
        update_title=None,
        background_callback_manager=background_manager(),
    )
    app.index_string = INDEX
    app.layout = page(TOPOJSON_URL, viewmodel.place_choices(ds), viewmodel.pilot_field_choices(ds))
    server.config["POLICY_ATLAS_ROWS"] = ds.rows
    return app


#: Dash's page shell with the page's language on <html> (assets/a11y.js keeps it in step with the
#: language switch) and the scripts in a plain <div>: Dash's own <footer> would be a second
#: ``contentinfo`` landmark beside the page's footer.
INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
    <head>
        {%metas%}
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


def background_manager() -> Any:
    """Where background callbacks (exports) run: Celery + Redis when ``REDIS_URL`` is set (start
    a worker with ``celery -A app:celery_app worker``), else diskcache in the system temp dir."""
    from dash import CeleryManager, DiskcacheManager

    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        from celery import Celery  # optional: pip install "celery[redis]"

        global celery_app
        celery_app = Celery(__name__, broker=redis_url, backend=redis_url)
        return CeleryManager(celery_app)
    import tempfile

    import diskcache

    folder = os.path.join(tempfile.gettempdir(), "policy-atlas-cache")
    return DiskcacheManager(diskcache.Cache(folder))


celery_app = None


def export_pack(dataset: Dataset, out_dir: str, view: str | None) -> int:
    """``--export``: write the report pack of ``view`` (a URL query string) into ``out_dir``."""
    from data.state import parse_query
    from layouts.figures.render import ExportError
    from layouts.report_pack import write_pack

    state = parse_query(view)
    for note in state.notes:
        print(f"--view: {note}", file=sys.stderr)
    try:
        result = write_pack(dataset, state, out_dir, view_url="/" + (view or "").lstrip("/"))
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        print(f"Export failed: {str(exc).splitlines()[0] if str(exc) else exc!r}", file=sys.stderr)
        return 2
    print(result.path)
    for name in result.files:
        print(f"  {name}")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--debug", action="store_true", help="Dash debug mode (reloader, dev tools)")
    p.add_argument("--data", metavar="FILE", help="a policy table (CSV, XLSX or Parquet)")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--check", action="store_true", help="validate --data and print a report")
    p.add_argument("--json", action="store_true", help="with --check: the report as JSON")
    p.add_argument("--export", metavar="DIR", help="write the report pack (zip) into DIR and exit")
    p.add_argument(
        "--view",
        metavar="QUERY",
        help='with --export: the view as a URL query, e.g. "?region=440000"',
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.check:
        if not args.data:
            print("--check needs --data FILE", file=sys.stderr)
            return 2
        from data.check import run_check

        return run_check(args.data, sheet=args.sheet, as_json=args.json)

    from data.dataset import load_dataset

    try:
        dataset = load_dataset(args.data, sheet=args.sheet)
    except (OSError, ValueError) as exc:
        print(f"Cannot use {args.data}: {exc}", file=sys.stderr)
        return 2
    if args.data and dataset.problems:
        print(
            f"{args.data}: {len(dataset.problems)} problems; the rows are kept and shown. "
            f"Details: python app.py --data {args.data} --check",
            file=sys.stderr,
        )
    if args.export:
        return export_pack(dataset, args.export, args.view)
    app = create_app(dataset)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
else:  # imported by gunicorn (app:server) or tests
    from data.dataset import load_dataset as _load

    app = create_app(_load(os.environ.get(DATA_ENV) or None, os.environ.get(SHEET_ENV) or None))
    server = app.server
