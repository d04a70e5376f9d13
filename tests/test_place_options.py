"""The place filter's full list is one file of the app (``callbacks.place_options``), cached for a
year under its digest; the first page holds only the link's places and the ones its map can
select (``first_paint.first_page_places``), not every city (issue #24)."""

from __future__ import annotations

import pytest

from callbacks.place_options import options_file
from data import config as settings
from layouts import ids
from layouts.i18n import t


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from app import create_app

    home = tmp_path_factory.mktemp("home")
    app = create_app(config=settings.load({"POLICY_ATLAS_HOME": str(home)}))
    return app.server.test_client()


def region_dropdown(layout: dict) -> dict:
    stack: list = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == ids.F_REGION:
                return node["props"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError("no place dropdown")


def places_url(layout: dict) -> str:
    stack: list = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == ids.PLACES_SRC:
                return node["props"]["data"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError("no places store")


def first_page(client, query: str) -> dict:
    answer = client.get("/_dash-layout", headers={"Referer": "http://localhost/" + query})
    assert answer.status_code == 200
    return answer.get_json()


def test_the_list_is_one_cached_file_of_every_place(client):
    url = places_url(first_page(client, ""))
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    places = answer.get_json()
    assert ["440000", "广东省", "Guangdong"] in places
    assert any(p[0] == "440300" and p[1].startswith("深圳市") for p in places)
    assert len(places) > 300  # every province and city
    assert answer.headers["Cache-Control"].count("max-age=31536000") == 1
    again = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    name, body = options_file([(p[0], p[1], p[2]) for p in places])
    assert url.endswith(name) and body == answer.data  # the name changes with the content


@pytest.mark.parametrize(
    ("query", "cities"),
    [("", set()), ("?region=440300", {"440300"}), ("?region=440000,440300", {"440300"})],
)
def test_the_first_page_holds_the_links_places_and_the_provinces(client, query, cities):
    dropdown = region_dropdown(first_page(client, query))
    loading = dropdown["options"].pop(0)  # says the list is not every place yet, not choosable
    assert loading["disabled"] and loading["value"] == "places-loading"
    assert [s["props"]["children"] for s in loading["label"]] == [
        t("places_loading", "zh"),
        t("places_loading", "en"),
    ]
    values = {o["value"] for o in dropdown["options"]}
    assert {v for v in values if not v.endswith("0000")} == cities
    assert 30 <= len(values - cities) <= 34 and "440000" in values
    chosen = [o for o in dropdown["options"] if o["value"] in cities]
    for option in chosen:  # labelled in both languages, searched by both names
        assert [span["props"]["className"] for span in option["label"]] == ["l-zh", "l-en"]
        assert "深圳市" in option["search"] and "Shenzhen" in option["search"]


def test_a_drilled_or_city_map_page_holds_the_places_its_map_selects(client):
    drilled = {o["value"] for o in region_dropdown(first_page(client, "?drill=440000"))["options"]}
    assert "440300" in drilled and all(v.startswith("44") for v in drilled - {"places-loading"})
    city_map = region_dropdown(first_page(client, "?map=city"))["options"]
    assert len(city_map) > 300  # every city can be clicked on the city map
    assert not any(o.get("disabled") for o in city_map)  # every place: no "loading" note
