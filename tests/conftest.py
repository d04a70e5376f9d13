"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from data.dataset import Dataset
from data.loaders import load_dataset


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The bundled policy table, loaded once for the whole run (datasets are read-only)."""
    return load_dataset()


@pytest.fixture
def ds(bundled: Dataset) -> Dataset:
    """The dataset a test views: the bundled table."""
    return bundled
