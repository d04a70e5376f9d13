"""The place filter's options are not in the first page (issue #24): the page holds only the
places its link selects (their chips keep both names); every province and city comes from one
file of the app (callbacks/place_options.py), loaded by assets/place_options.js when the
dropdown gets focus or the browser is idle, and the user types and picks a place as before."""

from __future__ import annotations

import json
import re

import pytest

from layouts import ids
from tests.browser import harness as h

pytestmark = pytest.mark.browser

#: With this, the browser is never idle for the page: only focus (or a value) loads the list.
NEVER_IDLE = "window.requestIdleCallback = function () { return 0; };"
LOADED = """() => performance.getEntriesByType('resource')
    .some(e => /\\/places\\.[0-9a-f]+\\.json$/.test(e.name))"""


def region_options(layout: dict) -> list[dict]:
    """The place dropdown's options in a ``_dash-layout`` answer."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "f-region":
                return node["props"].get("options") or []
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError("no place dropdown in the layout")


@pytest.mark.parametrize(("link", "chosen"), [("/", set()), ("/?region=440300", {"440300"})])
def test_the_first_page_holds_only_the_links_places(page, app_url, link, chosen):
    """The link's places and the provinces its map can select (a click on the map before the
    list has loaded picks a place the dropdown has): no other city."""
    page.add_init_script(NEVER_IDLE)
    with page.expect_response(lambda r: r.url.endswith("_dash-layout")) as answer:
        page.goto(app_url + link)
    options = region_options(answer.value.json())
    loading, *options = options  # first, disabled: the list is not every place yet
    assert loading["disabled"] and loading["value"] == "places-loading"
    values = {o["value"] for o in options}
    provinces = {v for v in values if v.endswith("0000")}
    assert values - provinces == chosen and 30 <= len(provinces) <= 34
    assert len(json.dumps(options, ensure_ascii=False).encode()) < 12_000
    h.wait_ready(page)
    assert not page.evaluate(LOADED)  # nothing loaded until the dropdown is used
    if chosen:  # the link's place is named in the filter bar and the chips, in both languages
        assert "深圳市" in page.inner_text("#f-region") and "深圳市" in page.inner_text("#chips")
        page.click("#lang-toggle")
        page.wait_for_url(re.compile(r"lang=en"))
        h.wait_idle(page)
        assert "Shenzhen" in page.inner_text("#f-region")
        assert "Shenzhen" in page.inner_text("#chips")
    assert page.watch.errors == [] and page.watch.foreign == []


def test_the_list_is_loaded_when_the_browser_is_idle(page, app_url):
    page.goto(app_url + "/")
    h.wait_ready(page)
    page.wait_for_function(LOADED)
    page.click("#f-region")
    page.keyboard.type("Shenzhen")
    page.wait_for_function(
        "() => (document.querySelector('.dash-dropdown-content .dash-options-list-option')"
        " || {textContent: ''}).textContent.includes('深圳市')"
    )
    assert page.watch.errors == [] and page.watch.foreign == []


def test_a_keyboard_user_types_a_province_after_focus_and_picks_it(page, app_url):
    page.add_init_script(NEVER_IDLE)
    page.goto(app_url + "/?region=330000&lang=en")
    h.wait_ready(page)
    assert not page.evaluate(LOADED)
    for _ in range(80):  # Tab to the place filter, Enter opens it
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#f-region')"):
            break
    else:
        raise AssertionError("Tab never reached the place filter")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.classList.contains('dash-dropdown-search')"
    )
    page.keyboard.type("广东")  # the Chinese name, in the English interface
    page.wait_for_function(
        "() => (document.querySelector('.dash-dropdown-content .dash-options-list-option')"
        " || {textContent: ''}).textContent.startsWith('Guangdong')"
    )
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"region=330000(%2C|,)440000"))
    h.wait_idle(page)
    assert page.evaluate(LOADED)
    # both chips keep their names; switching language renames them
    for name in ("Guangdong", "Zhejiang"):
        assert name in page.inner_text("#chips") and name in page.inner_text("#f-region")
    page.click("#lang-toggle")
    page.wait_for_url(re.compile(r"lang=zh|^(?!.*lang=en)"))
    h.wait_idle(page)
    for name in ("广东省", "浙江省"):
        assert name in page.inner_text("#chips") and name in page.inner_text("#f-region")
    assert page.watch.errors == [] and page.watch.foreign == []


def test_a_place_picked_on_the_map_before_the_list_is_named(page, app_url):
    page.add_init_script(NEVER_IDLE)
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    h.click_region(page, "440000")
    page.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(page)
    page.wait_for_function(
        "() => document.getElementById('f-region').innerText.includes('Guangdong')"
    )
    assert page.watch.errors == [] and page.watch.foreign == []


#: [text shown, disabled] of each option of the open place filter
OPTIONS = """() => [...document.querySelectorAll(
      '.dash-dropdown-content .dash-options-list-option')]
    .map(o => [o.innerText, !!o.querySelector('input:disabled')
               || o.getAttribute('aria-disabled') === 'true'])"""


@pytest.mark.parametrize(
    ("lang", "loading", "city"), [("zh", "正在载入", "深圳市"), ("en", "Loading", "Shenzhen")]
)
def test_the_filter_opened_right_after_a_city_switch_says_it_is_loading(
    page, app_url, lang, loading, city
):
    """Opened before the list has come, the filter says it is loading (never a province list
    that looks complete on a city map); the list then comes, cities in it, the note gone."""
    held = []  # the list's response, held back until the filter has been opened
    page.add_init_script(NEVER_IDLE)
    page.route(re.compile(r"/places\.[0-9a-f]+\.json$"), lambda route: held.append(route))
    page.goto(app_url + f"/?lang={lang}")
    h.wait_ready(page)
    with page.expect_request(re.compile(r"/places\.[0-9a-f]+\.json$")):  # on the first press
        page.click(f"#{ids.MAP_LEVEL} input[value=city]")
    page.wait_for_url(re.compile(r"map=city"))
    h.wait_idle(page)
    page.click("#f-region")
    page.wait_for_selector(".dash-dropdown-content .dash-options-list-option")
    options = page.evaluate(OPTIONS)
    has_city = any(city in text for text, _ in options)
    assert has_city or (loading in options[0][0] and options[0][1]), options[:3]
    assert held, "the list was not asked for"
    for route in held:
        route.continue_()
    page.keyboard.type(city)
    page.wait_for_function(
        "([city, loading]) => { const o = [...document.querySelectorAll("
        "'.dash-dropdown-content .dash-options-list-option')].map(e => e.textContent);"
        " return o.some(t => t.includes(city)) && !o.some(t => t.includes(loading)); }",
        arg=[city, loading],
    )
    assert page.watch.errors == [] and page.watch.foreign == []


def test_a_city_clicked_right_after_a_city_switch_is_kept_before_the_list_has_come(page, app_url):
    """The page's options are the provinces; a city clicked on the city map shown live, before
    the full list has come, stays selected (dcc.Dropdown drops a value it has no option for: the
    click was undone) and is named as the map names it; the list then names it in full."""
    held = []  # the list's response, held back
    page.add_init_script(NEVER_IDLE)
    page.route(re.compile(r"/places\.[0-9a-f]+\.json$"), lambda route: held.append(route))
    page.goto(app_url + "/?lang=en")
    h.wait_ready(page)
    page.click(f"#{ids.MAP_LEVEL} input[value=city]")
    page.wait_for_url(re.compile(r"map=city"))
    h.wait_idle(page)
    h.click_region(page, "440300")
    page.wait_for_url(re.compile(r"region=440300"))
    h.wait_idle(page)
    assert "region=440300" in page.url  # not undone
    assert "Shenzhen" in page.inner_text("#f-region") and "Shenzhen" in page.inner_text("#chips")
    assert held, "the list was not asked for"
    for route in held:
        route.continue_()
    page.wait_for_function(
        "() => document.getElementById('f-region').innerText.includes('Shenzhen, Guangdong')"
    )
    assert "region=440300" in page.url
    assert page.watch.errors == [] and page.watch.foreign == []
