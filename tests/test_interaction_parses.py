"""One reading of the URL per click: the interaction callback parses the query string once and
hands ``(state, dataset)`` down (issue 22 item 4). Counted by wrapping the real parser
(``data.state.parse_query``) wherever a module holds it; the callback runs as Dash runs it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from callbacks.service import context
from data import state as state_mod
from data.dataset import DatasetStore
from data.state import parse_query
from tests.clicks import fire


@pytest.fixture(scope="module", autouse=True)
def served(bundled):
    context.serve(DatasetStore(bundled))


@pytest.fixture
def parses(monkeypatch) -> Iterator[list[str | None]]:
    """The query strings parsed while the test runs: every module's ``parse_query`` (the real
    one) wrapped by one that records its argument."""
    real = state_mod.parse_query
    seen: list[str | None] = []

    def counted(search: str | None) -> Any:
        seen.append(search)
        return real(search)

    for module in list(sys.modules.values()):
        if getattr(module, "parse_query", None) is real:
            monkeypatch.setattr(module, "parse_query", counted)
    yield seen


def test_a_province_click_reads_the_url_once(parses):
    out = fire("?incentive=subsidy", "map.clickData", {"points": [{"location": "440000"}]})
    assert parse_query(out["url"]).region == ("440000",)  # (after the count: the test's own)
    assert parses[:-1] == ["?incentive=subsidy"]


def test_a_control_a_chip_and_the_language_switch_read_the_url_once(parses):
    fire("?region=440000", "f-date.end_date", "2021-06-30")
    assert len(parses) == 1
    chip = '{"dim":"region","type":"chip","value":"440000"}.n_clicks'
    fire("?region=110000,440000", chip, 1)
    assert len(parses) == 2
    fire("?region=440000", "lang-toggle.n_clicks", 1)  # new widget texts, panel and report
    assert len(parses) == 3


def test_a_url_change_reads_the_url_once(parses):
    out = fire("?region=440000&lang=en", "url.search", "?region=440000&lang=en")
    assert parses == ["?region=440000&lang=en"]
    assert out["views"]["rendered_search"] == "?region=440000&lang=en"
