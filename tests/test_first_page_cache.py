"""A link's first page (``callbacks.first_paint``) is drawn once for every reader of the default
table and served again as it was sent; a table of a user is drawn for each reader (it may have
gone meanwhile), and each answer is compressed for the client that asked."""

from __future__ import annotations

import gzip
from typing import Any

import pytest

from callbacks import first_paint
from callbacks.service import context
from data import config as settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from app import create_app

    home = tmp_path_factory.mktemp("home")
    app = create_app(config=settings.load({"POLICY_ATLAS_HOME": str(home)}))
    return app.server.test_client()


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The links the server draws a first page for (the real drawing, counted)."""
    calls: list[str] = []
    respond = first_paint.interaction.respond

    def counted(query: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return respond(query, *args, **kwargs)

    monkeypatch.setattr(first_paint.interaction, "respond", counted)
    return calls


def layout(client, query: str, **headers: str):
    return client.get("/_dash-layout", headers={"Referer": "http://localhost/" + query, **headers})


def test_a_links_first_page_is_drawn_once_for_every_reader(client, drawn):
    query = "?region=320000&lang=en"
    first = layout(client, query)
    again = layout(client, query)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert b"Jiangsu" in again.get_data()
    assert drawn == [query]  # the second reader got the page as it was sent
    other = layout(client, "?region=440000&lang=en")  # another link: its own page
    assert b"Guangdong" in other.get_data() and other.get_data() != first.get_data()
    assert drawn == [query, "?region=440000&lang=en"]


def test_a_kept_page_is_compressed_for_the_client_that_asks(client, drawn):
    query = "?region=330000"
    plain = layout(client, query)
    packed = layout(client, query, **{"Accept-Encoding": "gzip"})
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert plain.headers.get("Content-Encoding") is None
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert drawn == [query]


def test_a_users_table_is_drawn_for_each_reader(client, drawn):
    body = "标题,日期,省份,城市\n区块链发展行动计划,2021-03-01,广东省,深圳市\n"
    out = context.store().source.ingest("t.csv", body.encode("utf-8"))
    assert out.id, out.error
    query = f"?data={out.id}"
    first, again = layout(client, query), layout(client, query)
    assert first.status_code == again.status_code == 200
    assert drawn == [query, query]
