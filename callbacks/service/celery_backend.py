"""Celery's Redis result backend as Dash uses it: results are polled, never waited on.

Celery's own backend subscribes to a pub/sub channel for every task it queues, for
``AsyncResult.get()``; Dash never calls it, so the subscriptions would pile up in each web process,
and with Redis down queueing a job would retry the subscription for 20 s before failing.
"""

from __future__ import annotations

from celery.backends.redis import RedisBackend


class PollingRedisBackend(RedisBackend):
    def on_task_call(self, producer: object, task_id: str) -> None:
        """No subscription: Dash reads each result with a plain GET when it polls."""


def backend_url(redis_url: str) -> str:
    """The ``backend=`` argument of ``Celery(...)`` for this backend on ``redis_url``."""
    return f"{__name__}:PollingRedisBackend+{redis_url}"
