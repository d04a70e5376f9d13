"""Which dataset a request views: the store ``app.create_app`` hands over, asked per callback.

Callbacks never reach for a process-wide table: each asks :func:`dataset_for` with the view it
serves. Background callbacks (exports) run in worker processes that import ``app`` and so get the
same store.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from dash.exceptions import PreventUpdate

from data.dataset import Dataset, DatasetNotFound, DatasetStore, DatasetUnavailable
from data.state import ViewState, parse_query

_store: DatasetStore | None = None


def serve(store: DatasetStore) -> None:
    """Use ``store`` for every request this process answers (``app.create_app`` calls this)."""
    global _store
    _store = store
    _stand_ins.clear()


def dataset_for(state: ViewState) -> Dataset:
    """The dataset ``state`` views: its uploaded table (``state.data``), or the default table
    when it names none. A table that cannot be loaded (removed, expired, the store unreachable)
    gives an empty stand-in saying why (``Dataset.gone``): every view, the grid, the row details
    and the exports then show nothing, never another table's rows, and the page says why."""
    if _store is None:
        raise RuntimeError("no dataset store: create the app with app.create_app()")
    try:
        return _store.get(state.data)
    except DatasetUnavailable:
        return gone_dataset("unreachable")
    except DatasetNotFound:
        return gone_dataset(why_gone(state.data))


def why_gone(table_id: str | None) -> str:
    """Why the store does not hold ``table_id``: "removed", "expired", "unreachable" or
    "missing" (never held, or gone so long ago that the store forgot)."""
    source = getattr(_store, "source", None)
    try:
        why = source.why_gone(table_id) if source is not None and table_id else None
    except DatasetUnavailable:
        return "unreachable"
    return why if why in ("removed", "expired") else "missing"


_stand_ins: dict[str, Dataset] = {}


def gone_dataset(why: str) -> Dataset:
    """An empty table of the default table's columns, marked ``gone=why``."""
    found = _stand_ins.get(why)
    if found is None:
        default = store().default
        found = Dataset(
            frame=default.frame.iloc[0:0].copy(),
            pilots=default.pilots.iloc[0:0],
            label="—",
            as_of="—",
            uploaded=True,
            gone=why,
        )
        _stand_ins[why] = found
    return found


def store() -> DatasetStore:
    """The store this process serves from (``app.create_app`` hands it over)."""
    if _store is None:
        raise RuntimeError("no dataset store: create the app with app.create_app()")
    return _store


def view(search: str | None) -> tuple[ViewState, Dataset]:
    """The view a URL query string describes, checked against the dataset it views (unknown
    places and values dropped and listed in ``notes``), and that dataset."""
    state = parse_query(search if isinstance(search, str) else None)
    ds = dataset_for(state)
    return ds.restrict(state), ds


F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("policy_atlas.callbacks")
#: What a request the page never sends raises inside a callback (a wrong type, a missing key).
MALFORMED = (TypeError, ValueError, KeyError, AttributeError, IndexError)


def guarded(func: F) -> F:
    """A malformed request (a payload the page never sends) changes nothing and leaves one log
    line, never a traceback or an HTTP 500: the callback answers "no update"."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MALFORMED as exc:
            log.warning("ignored a malformed request to %s: %s: %s", func.__name__,
                        type(exc).__name__, str(exc)[:200])  # fmt: skip
            raise PreventUpdate from None

    return wrapper  # type: ignore[return-value]
