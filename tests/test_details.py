"""The detail panel's fields: every field of one policy, in the chosen language."""

from __future__ import annotations

from data.details import FIELDS, policy_details
from layouts.detail import detail_panel


def test_every_field_of_a_row_in_both_languages(bundled):
    frame = bundled.frame
    one = frame.iloc[3]
    zh = policy_details(frame, int(one["row"]), "zh", bundled.name_of)
    en = policy_details(frame, int(one["row"]), "en", bundled.name_of)
    assert tuple(zh) == FIELDS == tuple(en)
    assert zh["title_zh"] == en["title_zh"] == one["title_zh"]  # in full, never cut
    assert zh["title_en"] == one["title_en"]
    assert zh["source"] == one["source"]
    assert zh["place"] == "贵阳市" and en["place"] == "Guiyang"
    assert en["summary"] == one["summary_en"]


def test_a_row_with_problems_lists_them_and_an_unknown_row_gives_nothing(bundled):
    frame = bundled.frame
    with_problem = frame[frame["problems"].notna()].iloc[0]
    fields = policy_details(frame, int(with_problem["row"]), "en", bundled.name_of)
    assert "development zone" in fields["problems"]
    assert policy_details(frame, 999_999, "en", bundled.name_of) == {}
    assert detail_panel({}, "en") == []


def test_the_measure_menu_offers_what_the_map_level_allows_and_says_why():
    from data.state import parse_query
    from layouts.measure_menu import measure_note, measure_options, shown_measure

    city = parse_query("measure=per_pop&map=city")
    disabled = {o["value"] for o in measure_options(city) if o["disabled"]}
    assert "per_pop" in disabled and "count" not in disabled
    assert shown_measure(city) == "count"
    assert "province map only" in measure_note(parse_query("measure=per_pop&map=city&lang=en"))
    province = parse_query("measure=per_pop")
    assert shown_measure(province) == "per_pop" and measure_note(province) == ""
    assert not any(o["disabled"] for o in measure_options(province))
