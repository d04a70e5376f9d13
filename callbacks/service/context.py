"""Which dataset a request views: the store ``app.create_app`` hands over, asked per callback.

Callbacks never reach for a process-wide table: each asks :func:`dataset_for` with the view it
serves. Background callbacks (exports) run in worker processes that import ``app`` and so get the
same store.
"""

from __future__ import annotations

import contextlib
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
    return view_of(parse_query(search if isinstance(search, str) else None))


def view_of(asked: ViewState) -> tuple[ViewState, Dataset]:
    """``view`` of a state already read from its URL (``asked``: as the link says)."""
    ds = dataset_for(asked)
    return ds.restrict(asked), ds


F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("policy_atlas.callbacks")


def guarded(func: F) -> F:
    """Every callback behind one guard, so no request ends in an HTTP 500.

    - A malformed request (an argument whose type is not the one the callback declares: a payload
      the page never sends) changes nothing: "no update" and one log line at WARNING.
    - Anything raised by a callback given arguments of the declared types is a bug: its traceback
      is logged at ERROR and the page says that the action failed (``ids.PAGE_ERROR``); the
      request still answers "no update", never a 500 with a traceback.
    """
    checks = _argument_checks(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bad = _mistyped(checks, args, kwargs)
        if bad is not None:
            log.warning("ignored a malformed request to %s: %s", func.__name__, bad[:200])
            raise PreventUpdate
        try:
            return func(*args, **kwargs)
        except PreventUpdate:
            raise
        except Exception:
            log.exception("callback %s failed", func.__name__)
            _say_failed()
            raise PreventUpdate from None

    return wrapper  # type: ignore[return-value]


def _say_failed() -> None:
    """The page's notice that an action failed (both languages; the page shows its own)."""
    from dash import set_props

    from layouts import ids
    from layouts.bilingual import L

    # outside a request (tests call callbacks directly) only the log line stays
    with contextlib.suppress(Exception):
        set_props(ids.PAGE_ERROR, {"children": L("request_failed"), "hidden": False})


def _argument_checks(func: Callable[..., Any]) -> dict[str, tuple[type, ...] | None]:
    """Per parameter, the types its annotation allows at the top level (None: anything)."""
    import inspect
    import types
    import typing

    hints = typing.get_type_hints(func)
    out: dict[str, tuple[type, ...] | None] = {}
    for name in inspect.signature(func).parameters:
        hint = hints.get(name, Any)
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) or (
            typing.get_origin(hint) is typing.Union) else (hint,)  # fmt: skip
        allowed: list[type] = []
        for a in args:
            origin = typing.get_origin(a) or a
            if a is Any or not isinstance(origin, type):
                allowed = []
                break
            allowed.append(type(None) if a is type(None) else origin)
        if int in allowed:
            allowed.append(float)  # JSON numbers: n_clicks may come as 1.0
        out[name] = tuple(allowed) or None
    return out


def _mistyped(
    checks: dict[str, tuple[type, ...] | None], args: tuple, kwargs: dict[str, Any]
) -> str | None:
    """What does not match the declared types, or None."""
    values = dict(zip(checks, args, strict=False)) | kwargs
    for name, value in values.items():
        allowed = checks.get(name)
        if allowed is None or isinstance(value, allowed):
            continue
        return f"{name}: a {type(value).__name__}, expected {'/'.join(a.__name__ for a in allowed)}"
    return None
