"""What each click or control change does to the view (the rules behind the callbacks)."""

from callbacks.events import apply
from data.state import ViewState

CLICK_GD = {"points": [{"location": "440000"}]}


def test_map_click_toggles_the_region():
    s = apply(ViewState(), "map", CLICK_GD)
    assert s.region == ("440000",)
    s = apply(s, "map", {"points": [{"location": "110000"}]})
    assert s.region == ("110000", "440000")  # a second click adds
    assert apply(s, "map", CLICK_GD).region == ("110000",)  # clicking again removes


def test_click_on_a_pilot_marker_or_nothing_changes_nothing():
    assert apply(ViewState(), "map", {"points": [{"lon": 1, "lat": 2}]}) == ViewState()
    assert apply(ViewState(), "map", None) == ViewState()


def test_bar_click_toggles_that_category():
    s = apply(ViewState(), "bd-incentive", {"points": [{"customdata": "subsidy"}]})
    assert s.picked("incentive") == ("subsidy",)
    s = apply(s, "bd-stance", {"points": [{"customdata": "restrict"}]})
    assert s.picked("stance") == ("restrict",) and s.picked("incentive") == ("subsidy",)


def test_timeline_drag_sets_the_date_range_snapped_to_whole_periods():
    s = apply(ViewState(), "timeline", {"range": {"x": ["2019-03-04 12:00", "2021-08-30"]}})
    assert (s.date_from, s.date_to) == ("2019-01-01", "2021-12-31")  # whole years
    assert apply(s, "timeline", None) == s  # a redraw without selection keeps the filter
    quarters = ViewState(freq="quarter", period="2020Q1")
    s = apply(quarters, "timeline", {"range": {"x": ["2019-03-04", "2021-06-20"]}})
    assert (s.date_from, s.date_to, s.period) == ("2019-04-01", "2021-06-30", None)


def test_period_slider_and_step_change():
    s = apply(ViewState(freq="quarter"), "period", 2020 * 12 + 6)
    assert s.period == "2020Q3"
    assert apply(s, "freq", "year").period == "2020"
    assert apply(s, "cumulative", ["on"]).cumulative is True
    assert apply(s, "f-date-start", "2019-01-01").period is None  # a date range replaces it


def test_chip_removes_one_value_and_the_drill_chip_goes_back():
    s = ViewState.of(region=("110000", "440000"), incentive=("fund",))
    chip = {"type": "chip", "dim": "region", "value": "440000"}
    assert apply(s, chip, 1).region == ("110000",)
    drilled = ViewState(drill="440000", map_level="city")
    back = apply(drilled, {"type": "chip", "dim": "drill", "value": "440000"}, 1)
    assert back.drill is None and back.map_level == "province"


def test_drill_down_and_back():
    s = apply(ViewState(region=("440000",)), "drill-btn", 1)
    assert (s.drill, s.map_level, s.region) == ("440000", "city", ())
    back = apply(s, "back-btn", 1)
    assert (back.drill, back.map_level, back.region) == (None, "province", ("440000",))


def test_controls_set_their_filter_and_clear_all_keeps_view_settings():
    s = apply(ViewState(lang="en"), "f-level", ["provincial", "city"])
    assert s.picked("level") == ("city", "provincial")
    s = apply(s, "f-date-start", "2020-01-01")
    s = apply(s, "f-text", "  Shenzhen\x07 ")
    assert s.text == "Shenzhen" and s.date_from == "2020-01-01"
    s = apply(s, "f-wr", [])
    assert s.work_reports is False
    cleared = apply(s, "clear-all", 1)
    assert not cleared.has_filters() and cleared.lang == "en"


def test_language_toggle_and_map_level():
    assert apply(ViewState(), "lang-toggle", 1).lang == "en"
    assert apply(ViewState(drill="440000"), "map-level", "province").drill is None


def test_place_dropdown_and_pilot_field_set_their_filters():
    s = apply(ViewState(), "f-region", ["440300", "110000"])
    assert s.region == ("110000", "440300")
    s = apply(s, "pilot-field", ["blockchain-health"])
    assert s.pilot_field == ("blockchain-health",)
