"""Fire the interaction callback (``callbacks.interaction.interact``) as Dash does: a callback
context naming the trigger, the grouped control and click inputs, and the page's state."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import copy_context
from typing import Any

from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import interaction
from callbacks.url_sync import CLICKS, CONTROLS, key


def as_triggered(func: Callable[[], Any], prop_id: str, value: Any) -> Any:
    """``func()`` run with ``prop_id`` (e.g. "map.clickData") and ``value`` as the trigger."""

    def run() -> Any:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}]))
        return func()

    return copy_context().run(run)


def fire(search: str, prop_id: str, value: Any, **state: Any) -> dict:
    """``interact`` with ``prop_id`` as its trigger; ``state`` names any of ``rendered``,
    ``shown``, ``table``, ``dismissed`` (the rest None: nothing drawn, no table shown yet)."""
    page = dict.fromkeys(interaction.STATE) | state
    controls = {key(c, p): None for c, p in CONTROLS}
    clicks = {key(c, p): None for c, p in CLICKS}
    return as_triggered(
        lambda: interaction.interact(search, controls, clicks, [], **page), prop_id, value
    )
