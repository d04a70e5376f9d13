"""gunicorn's settings for the service (``python -m gunicorn -c
python:callbacks.service.gunicorn_conf app:server``, what ``make run`` and
docs/deploy/policy-atlas-web.service start).

Workers and threads come from ``POLICY_ATLAS_WORKERS`` / ``POLICY_ATLAS_THREADS`` (default: two
workers per core, two threads each: callbacks are CPU-bound Python, the threads cover the waits
of export polling and static files; few threads per worker, because a worker that dies takes its
threads' requests with it — docs/BENCHMARKS.md, "Losing a worker"). ``--preload`` loads the
table once before forking, so the workers share its memory. Logging is the app's (one line per
request, from the app).
"""

from __future__ import annotations

import sys

from data.config import ConfigError, load

try:
    _config = load()
except ConfigError as _exc:  # one line, not gunicorn's traceback of its config file
    print(f"Configuration: {_exc}", file=sys.stderr)
    raise SystemExit(2) from None

from callbacks.service import metrics  # noqa: E402  (after the settings: a bad one is one line)

metrics.multiprocess_dir(_config.home)  # /metrics adds up every worker's counts
child_exit = metrics.child_exit

bind = _config.bind
workers = _config.workers
threads = _config.threads
worker_class = "gthread"
# A worker accepts only the connections its threads can serve (gunicorn's default is 1000): the
# rest wait in the listen queue for whichever worker is free, so a worker that dies (kill -9, out
# of memory) takes down only what it was serving (docs/BENCHMARKS.md, "Losing a worker").
worker_connections = _config.worker_connections
preload_app = True
timeout = 60
graceful_timeout = 20
accesslog = None  # the app logs each request itself (callbacks.service.health)
control_socket_disable = True  # no control socket in a shared home folder


def _logconfig() -> dict:
    from callbacks.service.health import logging_config

    return logging_config(_config)


logconfig_dict = _logconfig()
