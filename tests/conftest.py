"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from data.dataset import Dataset
from data.loaders import load_dataset

# Fixtures that start a service stack of their own (redis-server, Celery workers, gunicorn,
# nginx: tests/browser/stack.py): every test that uses one is `slow` (`make quick` leaves it out),
# and they run in one pytest-xdist worker (`--dist loadgroup`), so the session's stack starts once.
STACK_FIXTURES = frozenset({"stack", "ops_stack", "proxied"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if STACK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("stack"))


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The bundled policy table, loaded once for the whole run (datasets are read-only)."""
    return load_dataset()


@pytest.fixture
def ds(bundled: Dataset) -> Dataset:
    """The dataset a test views: the bundled table."""
    return bundled
