"""Policy Atlas: start the dashboard, check a policy table, or write a report pack.

python app.py [--host H] [--port N] [--debug] [--data FILE [--sheet NAME]]   (development server)
python app.py --data FILE --check [--json]
python app.py [--data FILE] --export DIR [--view QUERY] [--base-url URL]   (report pack, exit)
python -m gunicorn -c python:callbacks.service.gunicorn_conf app:server   (the service: `make run`)
celery -A app:celery_app worker     (export workers, with REDIS_URL set)

Settings come from environment variables (``data.config``; the README's "Deploy" table).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from dash import Dash

    from data.config import Config
    from data.dataset import Dataset
    from data.read_options import ReadOptions


def _flask_server() -> Any:
    """The Flask server, configured before Dash attaches Flask-Compress (which reads its settings
    then): the boundary layers (application/geo+json) shrink about fourfold with gzip."""
    from flask import Flask

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
    return server


def create_app(dataset: Dataset | None = None, config: Config | None = None) -> Dash:
    """The Dash app serving ``dataset`` as its default table (default: the bundled table) with
    ``config`` (default: the environment's settings)."""
    from dash import Dash

    import callbacks.clientside  # noqa: F401  (registers the callbacks)
    import callbacks.exports  # noqa: F401
    import callbacks.grid  # noqa: F401
    import callbacks.interaction  # noqa: F401  (URL, controls, views: one round trip)
    import callbacks.place_options
    import callbacks.playback  # noqa: F401
    import callbacks.row_details  # noqa: F401
    import callbacks.service.data_routes
    import callbacks.upload  # noqa: F401
    from callbacks import first_paint
    from callbacks.service import background, health
    from callbacks.service.context import serve
    from data import config as settings
    from data.dataset import DatasetStore
    from data.loaders import load_dataset
    from data.uploads import Uploads
    from layouts import choices
    from layouts.page import page

    config = config or settings.load()
    health.prepare(config)  # logging, private folders

    ds = dataset if dataset is not None else load_dataset()
    uploads = Uploads(config, secret=health.secret_key(config))
    store = DatasetStore(ds, source=uploads)
    serve(store)
    server = _flask_server()
    app = Dash(
        __name__,
        server=cast(Any, server),  # Dash's stubs say a callable; a Flask app is what it takes
        title="Policy Atlas · 区块链政策地图",
        compress=True,
        serve_locally=True,
        update_title="",  # the tab title stays put while callbacks run
        background_callback_manager=(jobs := background.manager(config)),
        **cast(dict[str, Any], health.dash_paths(config)),
    )
    app.index_string = INDEX
    page_shell = app.interpolate_index
    prefix, assets = app.config.requests_pathname_prefix, app.get_asset_url("")

    def interpolate_index(**parts: str) -> str:  # the head names what the link's view needs
        try:
            files = first_paint.map_files(first_paint.request_search())
        except Exception:  # a link that cannot be read: its page says so; nothing preloaded
            files = ()
        return page_shell(**{**parts, "css": parts["css"] + preloads(prefix, assets, files)})

    app.interpolate_index = interpolate_index  # type: ignore[method-assign, assignment]
    topojson_url = app.get_asset_url("topojson/")
    places, pilot_fields = choices.place_choices(ds), choices.pilot_field_choices(ds)
    # every place's option in a file of its own: the first page holds only the link's (#24)
    places_url = callbacks.place_options.install(app, prefix, places)
    # the page drawn for the link it is opened with (no round trip before the first paint)
    app.layout = first_paint.layout(
        lambda: page(
            topojson_url,
            places,
            pilot_fields,
            upload_max_mb=config.upload_max_mb,
            places_url=places_url,
        )
    )
    server.config["POLICY_ATLAS_ROWS"] = ds.rows
    health.install(app, config, lambda: store.default, jobs)
    first_paint.install(server)  # a link's first page drawn once, not for every reader
    callbacks.upload.install(app, uploads, health.secret_key(config))
    callbacks.service.data_routes.install(app, config.url_prefix)
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


#: What the first view runs, fetched and run while the server draws the first page (the layout
#: request, preloaded below): plotly.js, which dcc.Graph would fetch only once a graph has mounted,
#: and the lazy chunks of the components on the first screen, which Dash's renderer would fetch
#: only after the layout has arrived. ``async``: each runs when it arrives (a chunk that runs before
#: its bundle is picked up by webpack's chunk registry; dcc.Graph uses ``window.Plotly`` if set).
FIRST_VIEW_SCRIPTS = (
    "plotly/package_data/plotly.min.js",
    "dash/dcc/async-graph.js",
    "dash/dcc/async-dropdown.js",
    "dash/dcc/async-datepicker.js",
    "dash/dcc/async-slider.js",
    "dash_ag_grid/async-community.js",
)


def preloads(prefix: str, assets: str, files: Sequence[str]) -> str:
    """Fetched while the page's scripts load rather than after them: the layout (the first view,
    drawn on the server: ``callbacks.first_paint``), the code the first view runs
    (``FIRST_VIEW_SCRIPTS``) and the map's ``files`` (paths under ``assets``, the assets folder's
    URL: ``callbacks.first_paint.map_files``)."""
    fetch = 'as="fetch" crossorigin="anonymous"'
    tags = [f'<link rel="preload" href="{prefix}_dash-layout" {fetch}>']
    tags += [f'<link rel="preload" href="{assets}{f}" {fetch}>' for f in files]
    tags += [f'<script async src="{prefix}_dash-component-suites/{s}"></script>'
             for s in FIRST_VIEW_SCRIPTS]  # fmt: skip
    return "".join("\n        " + t for t in tags)


def export_pack(
    dataset: Dataset, out_dir: str, view: str | None, base_url: str | None = None
) -> int:
    """``--export``: write the report pack of ``view`` (a URL query string) into ``out_dir``;
    its CITATION names the view at ``base_url`` (where the atlas is served)."""
    from data.state import parse_query
    from layouts.exports.render import ExportError
    from layouts.exports.report_pack import write_pack

    state = parse_query(view)
    for note in state.notes:
        print(f"--view: {note}", file=sys.stderr)
    try:
        result = write_pack(dataset, state, out_dir, base_url=base_url)
    except (ExportError, OSError, ValueError, RuntimeError) as exc:
        print(f"Export failed: {str(exc).splitlines()[0] if str(exc) else exc!r}", file=sys.stderr)
        return 2
    print(result.path)
    for name in result.files:
        print(f"  {name}")
    for line in result.left_out:
        print(f"not in the pack: {line}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--debug", action="store_true", help="Dash debug mode (reloader, dev tools)")
    p.add_argument("--data", metavar="FILE", help="a policy table (CSV, XLSX or Parquet)")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--check", action="store_true", help="validate --data and print a report")
    p.add_argument(
        "--columns",
        metavar="ROLE=COLUMN,...",
        help="with --data: what columns hold, e.g. province=adm1_name,city=adm2_name,"
        "title=policy+policy_description (a title may join columns with +)",
    )
    p.add_argument(
        "--date-order",
        choices=("mdy", "dmy", "ymd"),
        help="with --data: the order of day, month and year in numeric dates (default: inferred)",
    )
    p.add_argument(
        "--aliases",
        metavar="FILE",
        help="with --data: a CSV of name,field,adcode[,name_zh] placing names as you chose "
        "(the page's reconciliation downloads one)",
    )
    p.add_argument("--json", action="store_true", help="with --check: the report as JSON")
    p.add_argument("--export", metavar="DIR", help="write the report pack (zip) into DIR and exit")
    p.add_argument(
        "--view",
        metavar="QUERY",
        help='with --export: the view as a URL query, e.g. "?region=440000"',
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="with --export: where the atlas is served, for the absolute link in CITATION.txt "
        "(default http://127.0.0.1:8050/)",
    )
    return p


def _read_options(args: argparse.Namespace) -> ReadOptions | None:
    """``--columns`` / ``--date-order`` as reading options; None (and one line on stderr) when
    they cannot be used."""
    from data.aliases import read_aliases
    from data.read_options import ReadOptions, parse_columns_arg

    if (args.columns or args.date_order or args.aliases) and not args.data:
        print("--columns, --date-order and --aliases need --data FILE", file=sys.stderr)
        return None
    try:
        columns = parse_columns_arg(args.columns or "")
        aliases = read_aliases(args.aliases) if args.aliases else ()
        return ReadOptions(date_order=args.date_order, aliases=aliases).with_columns(columns)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    from data.config import ConfigError, load

    args = _parser().parse_args(argv)
    options = _read_options(args)
    if options is None:
        return 2
    if args.check:
        if not args.data:
            print("--check needs --data FILE", file=sys.stderr)
            return 2
        from data.check import run_check

        return run_check(args.data, sheet=args.sheet, as_json=args.json, options=options)
    try:
        config = load()
    except ConfigError as exc:
        print(f"Configuration: {exc}", file=sys.stderr)
        return 2

    from data.loaders import load_dataset

    data_file = args.data or config.data_file
    try:
        dataset = load_dataset(data_file, sheet=args.sheet or config.sheet, options=options)
    except (OSError, ValueError) as exc:
        print(f"Cannot use {data_file}: {exc}", file=sys.stderr)
        return 2
    if data_file and dataset.problems:
        print(
            f"{data_file}: {len(dataset.problems)} problems; the rows are kept and shown. "
            f"Details: python app.py --data {data_file} --check",
            file=sys.stderr,
        )
    if args.export:
        return export_pack(dataset, args.export, args.view, args.base_url)
    try:
        app = create_app(dataset, config)
    except ConfigError as exc:
        print(f"Configuration: {exc}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
else:  # imported by gunicorn (app:server), a Celery worker (app:celery_app) or tests
    from callbacks.service.background import celery_app as _celery_app
    from data.config import ConfigError as _ConfigError
    from data.config import load as _settings
    from data.loaders import load_dataset as _load

    def _stop(message: str) -> None:
        """One line, not a traceback in gunicorn's log; gunicorn exits with status 2."""
        print(message, file=sys.stderr)
        raise SystemExit(2)

    try:
        _config = _settings()
    except _ConfigError as _exc:
        _stop(f"Configuration: {_exc}")
    try:
        _dataset = _load(_config.data_file, _config.sheet)
    except (OSError, ValueError) as _exc:
        _stop(f"Cannot use {_config.data_file}: {_exc}")
    try:
        app = create_app(_dataset, _config)
    except _ConfigError as _exc:
        _stop(f"Configuration: {_exc}")
    server = app.server
    celery_app = _celery_app()
