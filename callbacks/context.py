"""Which dataset a request views: the store ``app.create_app`` hands over, asked per callback.

Callbacks never reach for a process-wide table: each asks :func:`dataset_for` with the view it
serves. Background callbacks (exports) run in worker processes that import ``app`` and so get the
same store.
"""

from __future__ import annotations

from data.dataset import Dataset, DatasetStore
from data.state import ViewState

_store: DatasetStore | None = None


def serve(store: DatasetStore) -> None:
    """Use ``store`` for every request this process answers (``app.create_app`` calls this)."""
    global _store
    _store = store


def dataset_for(state: ViewState) -> Dataset:
    """The dataset ``state`` views (today the store's default table)."""
    if _store is None:
        raise RuntimeError("no dataset store: create the app with app.create_app()")
    return _store.get(None)
