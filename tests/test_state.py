"""The view state and its URL: what a shared link or the back button restores."""

import pytest

from data.state import ViewState, encode_query, parse_query


def test_default_state_has_an_empty_query():
    assert encode_query(ViewState()) == ""
    assert parse_query("") == ViewState()
    assert parse_query(None) == ViewState()


@pytest.mark.parametrize(
    "state",
    [
        ViewState(region=("440000",)),
        ViewState.of(region=("110000", "440300"), incentive=("cash-reward", "subsidy")),
        ViewState.of(date_from="2019-01-01", date_to="2021-12-31", level=("city",)),
        ViewState.of(text="区块链 先行区", work_reports=False, stance=("restrict",)),
        ViewState(map_level="city", drill="440000", measure="share", freq="month", lang="en"),
        ViewState.of(measure="per_gdp", gdp_year=2023, pilots=True, type=("action-plan",)),
    ],
)
def test_every_state_round_trips_through_its_url(state):
    assert parse_query(encode_query(state)) == state


def test_the_same_view_always_has_the_same_url():
    a = ViewState(region=("440000", "110000"))
    b = ViewState(region=("110000", "440000"))
    assert encode_query(parse_query(encode_query(a))) == encode_query(parse_query(encode_query(b)))


def test_a_link_with_typos_still_opens_and_says_what_was_ignored():
    state = parse_query("?region=44000,440000&from=2020-13-01&measure=bogus&map=city&drill=abc")
    assert state.region == ("440000",)
    assert state.date_from is None
    assert state.measure == "count"
    assert state.map_level == "city"
    assert state.drill is None
    joined = " ".join(state.notes)
    assert "44000" in joined and "2020-13-01" in joined and "bogus" in joined and "abc" in joined


def test_reversed_dates_are_put_in_order_and_partial_dates_accepted():
    state = parse_query("?from=2021&to=2019-06")
    assert (state.date_from, state.date_to) == ("2019-06-01", "2021-12-31")
    # a year or month as the end of a range means its last day
    assert parse_query("?from=2019&to=2021").date_to == "2021-12-31"
    assert parse_query("?to=2020-02").date_to == "2020-02-29"


def test_drill_must_be_a_province_and_labels_as_written_are_kept():
    assert parse_query("?drill=990000").drill is None
    assert parse_query("?drill=440000").drill == "440000"
    state = parse_query("?incentive=%E5%85%B6%E5%AE%83%E8%A1%A5%E8%B4%B4,subsidy")
    assert state.picked("incentive") == ("subsidy", "其它补贴")
    assert parse_query(encode_query(state)) == state


def test_hostile_search_text_is_bounded_and_printable():
    state = parse_query("?q=" + "%3DHYPERLINK(%22x%22)%00%07" + "a" * 5000)
    assert len(state.text) <= 200
    assert all(ch.isprintable() for ch in state.text)
    assert state.text.startswith('=HYPERLINK("x")')


def test_toggle_adds_then_removes_and_clear_keeps_view_settings():
    s = ViewState(map_level="city", lang="en").toggled("region", "440000")
    assert s.region == ("440000",)
    assert s.toggled("region", "440000").region == ()
    cleared = s.toggled("incentive", "fund").cleared()
    assert not cleared.has_filters()
    assert (cleared.map_level, cleared.lang) == ("city", "en")


def test_drill_counts_as_a_region_filter():
    assert ViewState(drill="440000").active("region")
    assert not ViewState().active("region")


def test_pilot_fields_round_trip():
    state = ViewState(pilots=True, pilot_field=("blockchain-health", "comprehensive-multi-field"))
    assert parse_query(encode_query(state)) == state
    assert "pf=blockchain-health,comprehensive-multi-field" in encode_query(state)


def test_the_map_level_shown_is_the_cities_of_a_drilled_province():
    """One rule (``ViewState.map_level_shown``) for the level the map draws: a drill-down shows
    the province's cities even when the link says ``map=province``."""
    assert ViewState().map_level_shown == "province"
    assert ViewState(map_level="city").map_level_shown == "city"
    assert ViewState(map_level="province", drill="440000").map_level_shown == "city"
    assert parse_query("?drill=440000").map_level_shown == "city"


@pytest.mark.parametrize(
    "search",
    [
        "",
        "?region=440000,999999&incentive=subsidy,bogus&from=2019&to=2021-06&q=链 a+b&wr=0",
        "?map=city&drill=440000&measure=per_pop&gdp=2023&freq=month&lang=en&pilots=1&pf=x",
        "?period=2020Q3&cum=1&compare=1&classes=equal&order=schema&data=" + "a" * 64,
        "?freq=year&office=a%26b,c%3Dd",
    ],
)
def test_a_state_settles_as_its_link_reads(search):
    """``settled`` (the state an event made, as the URL it writes reads) is exactly what parsing
    that URL gives, notes and the step's origin included."""
    from dataclasses import replace

    from data.state import settled

    base = parse_query(search)
    for state in (
        base,
        replace(base, notes=("x",), freq_from=""),
        replace(base, freq="month", freq_from=""),
        replace(base, date_from="garbage", text="t&u=v", region=("abc", "110000")),
        base.with_picked("incentive", ["fund", ""]),
    ):
        expected = parse_query(encode_query(state))
        got = settled(state)
        assert got == expected
        assert (got.notes, got.freq_from) == (expected.notes, expected.freq_from)
