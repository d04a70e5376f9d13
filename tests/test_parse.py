"""data.parse: dates, amounts, incentives, levels, stances, types, hostile text."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data.parse import (
    incentive_code,
    parse_amount,
    parse_amount_column,
    parse_date,
    parse_date_column,
    parse_incentives,
    parse_level,
    parse_policy_type,
    parse_sectors,
    parse_stance,
    text_warnings,
)


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("2020-04-08", "2020-04-08", "day"),
        ("2020/4/8", "2020-04-08", "day"),
        ("2020.4.8", "2020-04-08", "day"),
        ("2020年4月8日", "2020-04-08", "day"),
        ("2020年4月8号", "2020-04-08", "day"),
        ("２０２０年４月８日", "2020-04-08", "day"),
        ("20200408", "2020-04-08", "day"),
        ("2020-04-08 00:00:00", "2020-04-08", "day"),
        ("8 April 2020", "2020-04-08", "day"),
        ("April 8, 2020", "2020-04-08", "day"),
        ("25/12/2020", "2020-12-25", "day"),
        ("2020年4月", "2020-04-01", "month"),
        ("2020.04", "2020-04-01", "month"),
        ("2020-4", "2020-04-01", "month"),
        ("Apr 2020", "2020-04-01", "month"),
        ("Sept. 2020", "2020-09-01", "month"),
        ("2020", "2020-01-01", "year"),
        ("2020年", "2020-01-01", "year"),
    ],
)
def test_dates(raw: str, expected: str, precision: str) -> None:
    ts, prec, err = parse_date(raw)
    assert err is None
    assert ts == pd.Timestamp(expected)
    assert prec == precision


@pytest.mark.parametrize("raw", ["", "  ", "不详", "n/a"])
def test_empty_dates_are_unknown_not_errors(raw: str) -> None:
    assert parse_date(raw) == (None, "unknown", None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2020-13-45", "month 13"),
        ("2021-02-30", "day 30"),
        ("03/04/2020", "ambiguous"),
        ("soon", "not a date"),
        ("Foo 2020", "not a date"),
        ("1066", "out of range"),
    ],
)
def test_bad_dates(raw: str, reason: str) -> None:
    ts, prec, err = parse_date(raw)
    assert ts is None and prec == "unknown"
    assert reason in err


def test_date_column_parses_distinct_values_once() -> None:
    s = pd.Series(["2020年4月", "2020", "", "2020年4月", "bad"] * 1000, dtype="str")
    out = parse_date_column(s)
    assert str(out["date"].dtype).startswith("datetime64")
    assert out["date_precision"].head(5).tolist() == [
        "month",
        "year",
        "unknown",
        "month",
        "unknown",
    ]
    assert out["date"].isna().sum() == 2000
    assert out["date_error"].notna().sum() == 1000


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("1750万元", 17_500_000),
        ("0.5亿元", 50_000_000),
        ("8,000,000", 8_000_000),
        ("800万", 8_000_000),
        ("５００万元", 5_000_000),
        ("¥2,000,000", 2_000_000),
        ("最高500万元", 5_000_000),
        ("RMB 5 million", 5_000_000),
        ("100-200万元", 2_000_000),
        ("100万至200万", 2_000_000),
        ("5000000.0", 5_000_000),
        ("3千万", 30_000_000),
    ],
)
def test_amounts(raw: str, yuan: float) -> None:
    v, err = parse_amount(raw)
    assert err is None
    assert v == pytest.approx(yuan)


def test_amount_header_unit() -> None:
    assert parse_amount("500", header_unit=1e4) == (5_000_000.0, None)
    assert parse_amount("0.05亿元", header_unit=1e4)[0] == pytest.approx(5_000_000)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("lots of money", "not an amount"), ("$5 million", "not in yuan"), ("-5", "negative")],
)
def test_bad_amounts(raw: str, reason: str) -> None:
    v, err = parse_amount(raw)
    assert math.isnan(v) and reason in err


def test_empty_amount() -> None:
    v, err = parse_amount("")
    assert math.isnan(v) and err is None


def test_amount_column() -> None:
    out = parse_amount_column(pd.Series(["800万", "", "x"], dtype="str"))
    assert out["amount_cny"].iloc[0] == 8e6
    assert math.isnan(out["amount_cny"].iloc[1])
    assert out["amount_error"].notna().tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("现金奖励", "cash-reward"),
        ("奖励", "cash-reward"),
        ("补贴", "subsidy"),
        ("租金补贴", "office-rent"),
        ("房租", "office-rent"),
        ("人才", "talent-residency"),
        ("落户", "talent-residency"),
        ("产业园", "industrial-park"),
        ("基金", "fund"),
        ("研发", "rd-support"),
        ("研发补贴", "rd-support"),
        ("试点", "pilot-application"),
        ("税收", "tax-incentive"),
        ("税收优惠", "tax-incentive"),
        ("融资", "financing-support"),
        ("cash reward", "cash-reward"),
        ("Cash-Reward", "cash-reward"),
        ("R&D support", "rd-support"),
        ("office rent", "office-rent"),
        ("talent and residency", "talent-residency"),
        ("none-stated", "none-stated"),
        ("无", "none-stated"),
    ],
)
def test_incentive_labels(label: str, code: str) -> None:
    assert incentive_code(label) == code


def test_incentive_lists_and_unknown_labels() -> None:
    assert parse_incentives("现金奖励;补贴、研发，基金") == (
        ("cash-reward", "subsidy", "rd-support", "fund"),
        (),
    )
    assert parse_incentives("奖励; 奖励") == (("cash-reward",), ())
    assert parse_incentives("免费午餐;补贴") == (("免费午餐", "subsidy"), ("免费午餐",))
    assert parse_incentives("") == ((), ())


def test_levels_stances_types_sectors() -> None:
    assert parse_level("省级") == ("provincial", None)
    assert parse_level("National") == ("national", None)
    assert parse_level("区县") == ("district", None)
    assert parse_level("") == (None, None)
    assert parse_level("galactic")[0] == "unknown"
    assert parse_stance("支持") == ("support", None)
    assert parse_stance("crackdown") == ("restrict", None)
    assert parse_stance("") == ("unknown", None)
    assert parse_stance("maybe")[1] is not None
    assert parse_policy_type("行动计划") == ("action-plan", None)
    assert parse_policy_type("关于加快区块链产业发展的若干措施") == ("support-measures", None)
    assert parse_policy_type("memo") == ("memo", "not a known policy type; kept as written")
    assert parse_sectors("金融;政务服务;space") == ("finance", "government-services", "space")


def test_hostile_text() -> None:
    s = pd.Series(['=HYPERLINK("http://x","click")', "ok", "a\x07b", "x" * 10240, "-5", "@x"])
    w = text_warnings(s)
    assert "formula" in w[0]
    assert pd.isna(w[1])
    assert "control" in w[2]
    assert "10240 characters" in w[3]
    assert pd.isna(w[4])  # a negative number is not a formula
    assert "formula" in w[5]


# --- issue 12: what people really write ---------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("二〇二〇年四月", "2020-04-01", "month"),
        ("二〇二〇年四月十八日", "2020-04-18", "day"),
        ("2021-Q2", "2021-04-01", "quarter"),
        ("2021Q4", "2021-10-01", "quarter"),
        ("Q3 2021", "2021-07-01", "quarter"),
        ("2021年第二季度", "2021-04-01", "quarter"),
        ("2021年一季度", "2021-01-01", "quarter"),
        ("2020年04月08日 10:00", "2020-04-08", "day"),
        ("2020-04-08T09:30:00", "2020-04-08", "day"),
        ("10/10/2020", "2020-10-10", "day"),
    ],
)
def test_dates_people_write(raw: str, expected: str, precision: str) -> None:
    assert parse_date(raw) == (pd.Timestamp(expected), precision, None)


@pytest.mark.parametrize("raw", ["2021-Q5", "2021年第五季度", "二〇二〇年十三月"])
def test_impossible_quarters_and_months_are_errors(raw: str) -> None:
    ts, prec, err = parse_date(raw)
    assert ts is None and prec == "unknown" and err


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("1亿5千万元", 150_000_000),
        ("一亿五千万元", 150_000_000),
        ("五百万元", 5_000_000),
        ("两千万元", 20_000_000),
        ("壹亿元", 100_000_000),
        ("500萬元", 5_000_000),  # traditional 萬
        ("3 million yuan", 3_000_000),
        ("1.5 billion RMB", 1_500_000_000),
        ("100-200万元", 2_000_000),
        ("最高1亿5千万元", 150_000_000),
    ],
)
def test_compound_chinese_and_english_amounts(raw: str, yuan: float) -> None:
    assert parse_amount(raw) == (yuan, None)


@pytest.mark.parametrize("raw", ["1" * 400, "9" * 17, "999999亿元"])
def test_absurd_amounts_are_errors_not_infinite(raw: str) -> None:
    value, err = parse_amount(raw)
    assert math.isnan(value)
    assert "implausibly large" in err


def test_traditional_labels_are_understood() -> None:
    assert incentive_code("補貼") == "subsidy"
    assert parse_level("省級") == ("provincial", None)
    assert parse_stance("監管") == ("regulate", None)


def test_quarter_dates_display_as_quarters() -> None:
    from data.schema import format_date

    assert format_date(pd.Timestamp("2021-04-01"), "quarter") == "2021-Q2"
    assert format_date(pd.Timestamp("2021-04-01"), "month") == "2021-04"
    assert format_date(None, "day") == ""


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("500 万元", 5_000_000),
        ("1 亿 5 千万元", 150_000_000),
        ("1万 5千", 15_000),
        ("100万 200万", 2_000_000),  # a list keeps the largest
        ("最高不超过500万元", 5_000_000),
        ("五百 万元", 5_000_000),
    ],
)
def test_amounts_with_spaces_and_stacked_prefixes(raw: str, yuan: float) -> None:
    assert parse_amount(raw) == (yuan, None)
