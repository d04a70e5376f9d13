"""Every screen and every hand (issue 16): a laptop, a phone, the keyboard, a screen reader."""

from __future__ import annotations

import re

import pytest

from tests.browser import harness as h
from tests.browser.axe import run_axe, serious

pytestmark = pytest.mark.browser

SIZES = {"1440": (1440, 900), "1280": (1280, 720), "390": (390, 844)}


@pytest.fixture
def sized(browser, app_url, request):
    """A page at one of the three sizes: ``sized(name, path)``."""
    contexts = []

    def open_at(name: str, path: str = "/"):
        width, height = SIZES[name]
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.watch = h.PageWatch(pg, app_url)
        pg.goto(app_url + path)
        h.wait_ready(pg)
        return pg

    yield open_at
    for ctx in contexts:
        ctx.close()


OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth, out = [];
  const skip = '.sr-only, .skip-link, .ag-root-wrapper-body, .ag-paging-panel, '
    + '.js-plotly-plot svg';
  if (document.documentElement.scrollWidth > w) out.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('#root *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest(skip) || el.closest('details:not([open]) > :not(summary)')) continue;
    if (r.right > w + 1) out.push((el.id || el.className || el.tagName) + ' ' + Math.round(r.right));
  }
  return out.slice(0, 10);
}"""  # noqa: E501


def overflow(page) -> list[str]:
    """Visible elements that reach past the right edge of the screen (sideways scrolling)."""
    return page.evaluate(OVERFLOW_JS)


def rows_of(page, selector: str) -> int:
    """How many rows the children of ``selector`` are laid out in (boxes that overlap
    vertically share a row)."""
    return page.evaluate(
        """(sel) => {
          const boxes = [...document.querySelector(sel).children]
            .map(c => c.getBoundingClientRect()).filter(r => r.height > 0)
            .sort((a, b) => a.top - b.top);
          let rows = 0, bottom = -Infinity;
          for (const r of boxes) {
            if (r.top >= bottom - 2) { rows += 1; bottom = r.bottom; }
            else bottom = Math.max(bottom, r.bottom);
          }
          return rows;
        }""",
        selector,
    )


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_laptop_1280x720_filters_in_two_rows_and_the_map_in_the_first_screen(sized, lang):
    pg = sized("1280", "/?lang=en" if lang == "en" else "/")
    assert rows_of(pg, ".filter-bar") <= 2
    m = box(pg, "#map")
    assert m["y"] >= 0 and m["y"] + m["height"] <= 720, m
    assert m["height"] >= 340
    assert overflow(pg) == []
    # the work-report label stays on one line (it wrapped one character per line)
    label = box(pg, "#f-wr label")
    assert label["height"] < 30
    assert pg.watch.errors == []


def test_desktop_1440_one_row_heading_and_two_filter_rows(sized):
    pg = sized("1440")
    assert rows_of(pg, ".filter-bar") <= 2
    heading = box(pg, ".table-head h2")
    assert heading["height"] < 30  # "政策列表" on one line
    m = box(pg, "#map")
    assert m["y"] + m["height"] <= 900
    assert overflow(pg) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_390_one_column_no_sideways_scroll_and_a_menu(sized, lang):
    pg = sized("390", "/?lang=en" if lang == "en" else "/")
    assert overflow(pg) == []
    content = pg.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
    m = box(pg, "#map")
    assert m["width"] >= content - 12  # the map spans the content (card border and padding)
    assert m["height"] >= 300
    # one column: the breakdown charts sit below the map, not beside it
    assert box(pg, ".col-side")["y"] > m["y"] + m["height"]
    # header actions live behind the menu button
    assert not pg.locator("#lang-toggle").is_visible()
    pg.click("#menu-toggle")
    assert pg.get_attribute("#menu-toggle", "aria-expanded") == "true"
    assert pg.locator("#lang-toggle").is_visible()
    assert overflow(pg) == []
    pg.keyboard.press("Escape")
    assert not pg.locator("#lang-toggle").is_visible()
    assert pg.watch.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_no_serious_or_critical_violation(sized, lang):
    for size in ("1440", "390"):
        pg = sized(size, "/?lang=en" if lang == "en" else "/")
        found = serious(run_axe(pg))
        assert found == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]
        assert pg.evaluate("() => document.documentElement.lang") == (
            "en" if lang == "en" else "zh-CN"
        )


def test_axe_with_a_dropdown_the_calendar_and_the_details_open(sized):
    pg = sized("1440")
    pg.locator("#table .ag-center-cols-container .ag-row .ag-cell").first.click()
    pg.wait_for_selector("#detail:not([hidden]) #detail-title")
    pg.click("#f-region")
    pg.wait_for_selector(".dash-dropdown-content")
    h.next_frames(pg)  # the popup's names are repaired on the next frame
    found = serious(run_axe(pg))
    assert found == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in found]
    pg.keyboard.press("Escape")
    pg.click("#f-date")
    pg.wait_for_selector("[role=dialog]")
    h.next_frames(pg)
    found = serious(run_axe(pg))
    assert found == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in found]


def test_html_lang_follows_the_language_switch(sized):
    pg = sized("1440")
    assert pg.evaluate("() => document.documentElement.lang") == "zh-CN"
    pg.click("#lang-toggle")
    pg.wait_for_url(re.compile(r"lang=en"))
    h.wait_idle(pg)
    pg.wait_for_function("() => document.documentElement.lang === 'en'", timeout=5000)


def test_keyboard_skip_link_and_visible_focus(sized):
    pg = sized("1280")
    pg.keyboard.press("Tab")
    assert pg.evaluate("() => document.activeElement.className") == "skip-link"
    assert box(pg, ".skip-link")["y"] >= 0  # shown when focused
    pg.keyboard.press("Enter")
    assert pg.evaluate("() => document.activeElement.id") == "main"
    # a search box shows a focus ring
    pg.focus("#f-text")
    ring = pg.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none"


def tab_until(page, test: str, limit: int = 80) -> None:
    """Press Tab until ``test`` (JS, on ``document.activeElement`` as ``el``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_keyboard_only_selects_a_province_and_opens_a_policys_details(sized, ds):
    pg = sized("1280")
    # the place filter: a list of every region, operated from the keyboard
    tab_until(pg, "el.closest('.dash-dropdown-wrapper') && el.closest('.field')"
              " && el.closest('.field').querySelector('#f-region')")  # fmt: skip
    pg.keyboard.press("Enter")
    pg.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    pg.keyboard.type("广东")
    pg.wait_for_function(
        "() => (document.querySelector('.dash-dropdown-content .dash-options-list-option')"
        " || {textContent: ''}).textContent.startsWith('广东省')"
    )
    pg.keyboard.press("ArrowDown")
    pg.keyboard.press("Enter")
    pg.keyboard.press("Escape")
    pg.wait_for_url(re.compile(r"region=440000"))
    h.wait_idle(pg)
    assert "广东省" in pg.inner_text("#chips")
    # into the grid, down to the first policy, Enter opens its details
    tab_until(pg, "el.closest('#table .ag-header-cell, #table .ag-cell')")
    # the grid, now in view, asks for this view's rows: a reader waits until they are shown
    pg.wait_for_function(
        "() => /\\d\\s*$/.test((document.querySelector("
        "'#table .ag-paging-row-summary-panel') || {}).innerText || '')"
    )
    pg.keyboard.press("ArrowDown")
    assert pg.evaluate("() => !!document.activeElement.closest('#table .ag-row')")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#detail:not([hidden]) #detail-title", timeout=10000)
    pg.wait_for_function("() => document.activeElement.id === 'detail'", timeout=5000)
    text = pg.inner_text("#detail")
    gd = ds.frame[ds.frame["province_adcode"] == "440000"]
    assert pg.inner_text("#detail-title") in set(gd["title_zh"])
    assert "来源" in text and "发文机关" in text
    pg.keyboard.press("Tab")  # the Close button is reachable and closes the panel
    pg.keyboard.press("Shift+Tab")
    pg.focus("#detail-close")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#detail[hidden]", state="attached", timeout=5000)


def test_a_click_on_a_row_opens_every_field_in_english(sized, ds):
    pg = sized("1440", "/?lang=en")
    pg.locator("#table .ag-row .ag-cell").first.click()
    pg.wait_for_selector("#detail:not([hidden]) #detail-title", timeout=10000)
    text = pg.inner_text("#detail")
    for label in ("Title (Chinese)", "Title (English)", "Issuer", "Source", "Summary"):
        assert label in text
    link = pg.locator("#detail a[href^='http']")
    assert link.count() == 1 and link.get_attribute("target") == "_blank"


@pytest.fixture(scope="module")
def ds():
    from data.loaders import load_dataset

    return load_dataset()


LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Latin text that is not English: formats, units, names.
NOT_ENGLISH = {"YYYY", "MM", "DD", "PNG", "SVG", "PDF", "GDP", "zip", "Policy", "Atlas"}


def english_words(texts: list[str]) -> list[str]:
    return sorted({w for s in texts for w in LATIN_WORD.findall(s or "")} - NOT_ENGLISH)


def test_the_chinese_interface_shows_no_english_widget_text(sized):
    pg = sized("1440")
    seen = pg.evaluate(
        """() => [...document.querySelectorAll('input[placeholder]')].map(i => i.placeholder)
             .concat([...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title))
             .concat([document.querySelector('#table .ag-paging-panel').innerText])"""
    )
    # the place dropdown: its search box, "select all", a search with no match
    pg.click("#f-region")
    pg.wait_for_selector(".dash-dropdown-content")
    seen.append(pg.inner_text(".dash-dropdown-content"))
    seen += pg.evaluate(
        "() => [...document.querySelectorAll('.dash-dropdown-content input')]"
        ".map(i => i.placeholder)"
    )
    pg.keyboard.type("zzzz")
    seen.append(pg.inner_text(".dash-dropdown-content"))
    pg.keyboard.press("Escape")
    # the date picker's month and weekday names; it opens near the data, not in January 2000
    pg.click("#f-date")
    pg.wait_for_selector(".dash-datepicker-calendar-container, [role=dialog]")
    calendar = pg.inner_text("[role=dialog]")
    seen.append(calendar)
    h.next_frames(pg)  # the names are repaired on the next frame
    seen += pg.evaluate(
        "() => [...document.querySelectorAll('[role=dialog] [aria-label]')]"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert "2000" not in calendar
    assert english_words(seen) == [], seen


def test_the_english_interface_shows_english_placeholders(sized):
    pg = sized("1440", "/?lang=en")
    assert pg.get_attribute("#f-text", "placeholder") == "title, issuer, place…"
    pg.click("#f-region")
    pg.wait_for_selector(".dash-dropdown-content")
    assert pg.get_attribute(".dash-dropdown-content input[type=search]", "placeholder") == "Search"


def test_a_link_asking_for_a_measure_the_city_map_lacks_is_told_why(sized):
    pg = sized("1440", "/?measure=per_pop&map=city&lang=en")
    note = pg.inner_text("#measure-note")
    assert "province map only" in note
    shown = pg.inner_text("#measure")
    assert "Policy count" in shown and "residents" not in shown  # what the map shows
    pg.click("#measure")
    disabled = pg.locator(
        ".dash-dropdown-content [data-disabled], .dash-dropdown-content .disabled"
    )
    option = pg.locator(".dash-dropdown-content input[value=per_pop]")
    assert option.is_disabled() or disabled.count() >= 1


def test_a_pick_in_a_dropdown_clears_its_search(sized):
    pg = sized("1440")
    pg.click("#f-region")
    search = pg.locator(".dash-dropdown-content input[type=search]")
    search.fill("深圳")
    pg.locator(".dash-dropdown-content .dash-options-list-option").first.click()
    pg.wait_for_url(re.compile(r"region=440300"))
    pg.wait_for_function(
        "() => document.querySelector('.dash-dropdown-content .dash-dropdown-search').value === ''"
    )
