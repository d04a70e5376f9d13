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


# --- issue 20 item 3, issue 25 item 1: dates by column, numbers as people write them ------------

import datetime as dt  # noqa: E402

import numpy as np  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from data.parse import parse_date_range  # noqa: E402

PROPERTY = settings(max_examples=600, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(
    ("raw", "yuan"),
    [
        ("1 000 000", 1_000_000),
        ("3 500 000元", 3_500_000),
        ("10 000元", 10_000),
        ("1 500万元", 15_000_000),
        ("500 000 yuan", 500_000),
        ("1\u00a0000\u00a0000", 1_000_000),  # no-break space
        ("2\u2009500\u2009000 元", 2_500_000),  # thin space
        ("1\u202f000", 1_000),  # narrow no-break space
        ("1'000'000", 1_000_000),
        ("1’250’000元", 1_250_000),
        ("1 000,5", 1000.5),  # a comma after space groups can only be a decimal comma
        ("0,5亿", 50_000_000),  # 0 thousand is no number: a decimal comma
        ("100万 200万", 2_000_000),  # a list still keeps its largest amount
    ],
)
def test_thousands_separators(raw: str, yuan: float) -> None:
    assert parse_amount(raw) == (yuan, None)


@pytest.mark.parametrize("raw", ["1.000.000", "1 000,000", "1,000 000", "10 00"])
def test_separators_out_of_place_are_problems(raw: str) -> None:
    value, err = parse_amount(raw)
    assert math.isnan(value) and err


@pytest.mark.parametrize("raw", ["1,5亿", "12,50", "2,5 million yuan", "1,23,456"])
def test_a_comma_that_may_be_decimal_is_a_problem_with_both_readings(raw: str) -> None:
    value, err = parse_amount(raw)
    assert math.isnan(value) and "decimal comma or a thousands comma" in err
    out = parse_amount_column(pd.Series([raw]))
    assert " or " in out["amount_suggestion"].iloc[0]


def test_one_comma_five_yi_suggests_both_readings() -> None:
    out = parse_amount_column(pd.Series(["1,5亿"]))
    assert out["amount_suggestion"].iloc[0] == (
        "1.5亿 = 150,000,000 yuan or 15亿 = 1,500,000,000 yuan"
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2020-10-00", "day 0 does not exist in 2020-10"),
        ("2021-04-31", "day 31 does not exist in 2021-04"),
        ("2021-02-29", "day 29 does not exist in 2021-02"),
        ("2100-02-29", "day 29 does not exist in 2100-02"),  # not a leap year
        ("2020-13-01", "month 13 does not exist"),
        ("2020-00-10", "month 0 does not exist"),
        ("20201000", "day 0"),
        ("2020年4月31日", "day 31"),
        ("31/04/2020", "day 31"),
    ],
)
def test_impossible_dates_are_problems_never_rolled_over(raw: str, reason: str) -> None:
    ts, prec, err = parse_date(raw)
    assert ts is None and prec == "unknown" and reason in err


def test_leap_day_in_a_leap_year_is_a_date() -> None:
    assert parse_date("2020-02-29") == (pd.Timestamp("2020-02-29"), "day", None)


def _mdy_column() -> pd.Series:
    """A MM/DD/YYYY column as GIS exports write it: most values ambiguous on their own."""
    days = [dt.date(2020, 1, 23) + dt.timedelta(days=k * 9) for k in range(40)]
    return pd.Series([f"{d:%m/%d/%Y}" for d in days], dtype="str")


def test_month_first_column_is_settled_by_its_unambiguous_values() -> None:
    col = _mdy_column()
    alone = [parse_date(v)[2] for v in col]
    ambiguous = sum(1 for e in alone if e and "ambiguous" in e)
    assert ambiguous > 0
    out = parse_date_column(col)
    assert out["date_error"].isna().all()
    assert out.attrs["date_order"] == "mdy"
    assert out["date"].tolist() == [pd.Timestamp(dt.datetime.strptime(v, "%m/%d/%Y")) for v in col]
    (note,) = out.attrs["notes"]
    assert note.startswith("dates read as month/day/year:") and "01/23/2020" in note


def test_day_first_column_is_settled_the_other_way() -> None:
    col = pd.Series(["23/01/2020", "03/04/2020", "", "05/06/2021"], dtype="str")
    out = parse_date_column(col)
    assert out["date"].tolist()[:2] == [pd.Timestamp("2020-01-23"), pd.Timestamp("2020-04-03")]
    assert out.attrs["date_order"] == "dmy"


def test_column_with_no_evidence_asks_how_to_choose() -> None:
    out = parse_date_column(pd.Series(["03/04/2020", "05/06/2020", "2020-01-01"], dtype="str"))
    errors = out["date_error"].tolist()
    assert pd.isna(errors[2])
    for e in errors[:2]:
        assert "ambiguous" in e and "column panel" in e and "--date-order mdy|dmy" in e
    assert out.attrs["date_order"] is None


def test_conflicting_evidence_names_the_rows() -> None:
    col = pd.Series(["01/23/2020", "03/04/2020", "23/01/2020", "2020-05-01"], dtype="str")
    out = parse_date_column(col, lines=np.array([2, 3, 4, 5]))
    err = out["date_error"].iloc[1]
    assert "01/23/2020 on rows 2" in err and "23/01/2020 on rows 4" in err
    assert out["date"].iloc[0] == pd.Timestamp("2020-01-23")  # unambiguous values still read
    assert out["date"].iloc[2] == pd.Timestamp("2020-01-23")


@pytest.mark.parametrize(("order", "expected"), [("mdy", "2020-03-04"), ("dmy", "2020-04-03")])
def test_the_users_order_decides(order: str, expected: str) -> None:
    out = parse_date_column(pd.Series(["03/04/2020"], dtype="str"), order)
    assert out["date"].iloc[0] == pd.Timestamp(expected)
    assert out.attrs["date_order"] == order
    against = parse_date_column(pd.Series(["01/23/2020"], dtype="str"), "dmy")
    assert "23 is not a month" in against["date_error"].iloc[0]


def test_excel_serial_dates_only_in_a_column_of_them() -> None:
    out = parse_date_column(pd.Series(["43853", "43904", ""], dtype="str"))
    assert out["date"].tolist()[:2] == [pd.Timestamp("2020-01-23"), pd.Timestamp("2020-03-14")]
    assert out["date_precision"].tolist()[:2] == ["day", "day"]
    assert "Excel day numbers" in out.attrs["notes"][0]
    mixed = parse_date_column(pd.Series(["43853", "2020-01-23"], dtype="str"))
    assert pd.isna(mixed["date"].iloc[0]) and "2020-01-23" in mixed["date_error"].iloc[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-01-23T10:00:00+08:00", "2020-01-23"),
        ("2020-01-22T20:00:00Z", "2020-01-23"),  # 04:00 the next morning in China
        ("2020-01-23T23:30:00-05:00", "2020-01-24"),
        ("2020-01-23 01:00:00+0900", "2020-01-23"),
        ("2020-01-23T00:30:00+09:00", "2020-01-22"),
    ],
)
def test_timestamps_with_a_time_zone_are_the_date_in_china(raw: str, expected: str) -> None:
    assert parse_date(raw) == (pd.Timestamp(expected), "day", None)


@pytest.mark.parametrize(
    ("raw", "start", "end", "precision"),
    [
        ("2020-01-23 to 2020-03-13", "2020-01-23", "2020-03-13", "day"),
        ("2020.1.23-2020.3.13", "2020-01-23", "2020-03-13", "day"),
        ("2020年1月23日至3月13日", "2020-01-23", "2020-03-13", "day"),
        ("2020年1月23日至28日", "2020-01-23", "2020-01-28", "day"),
        ("2020年1月至2021年6月", "2020-01-01", "2021-06-01", "month"),
        ("2020/01/23 ~ 2020/02/01", "2020-01-23", "2020-02-01", "day"),
    ],
)
def test_ranges_keep_the_start_and_the_end(raw: str, start: str, end: str, precision: str) -> None:
    assert parse_date_range(raw) == (pd.Timestamp(start), precision, None, pd.Timestamp(end))
    out = parse_date_column(pd.Series([raw], dtype="str"))
    assert out["date_end"].iloc[0] == pd.Timestamp(end)


def test_a_range_that_ends_before_it_starts_is_a_problem() -> None:
    ts, _, err, end = parse_date_range("2020-03-13 to 2020-01-23")
    assert ts is None and end is None and "before it starts" in err


# Property: every style the reader claims to accept reads back the value written, and a style it
# cannot settle is a problem: never another number, never another date.

GROUPS = [",", " ", "\u00a0", "\u2009", "\u202f", "'", "’"]


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@st.composite
def written_amounts(draw: st.DrawFn) -> tuple[str, float]:
    """(an amount as a person writes it, its value in yuan)."""
    style = draw(st.sampled_from(["plain", "grouped", "wan", "yi", "million", "chinese", "cents"]))
    unit_word = draw(st.sampled_from(["", "元", " 元", " yuan", " RMB"]))
    prefix = draw(st.sampled_from(["", "¥", "RMB ", "最高", "约"]))
    sep = draw(st.sampled_from(GROUPS))
    n = draw(st.integers(min_value=0, max_value=10**12))
    if style == "plain":
        return f"{prefix}{n}{unit_word}", float(n)
    if style == "grouped":
        return f"{prefix}{_grouped(n, sep)}{unit_word}", float(n)
    if style == "cents":
        cents = draw(st.integers(1, 99))
        return f"{prefix}{_grouped(n, sep)}.{cents:02d}{unit_word}", n + cents / 100
    if style == "wan":
        k = draw(st.integers(1, 10**8))
        return f"{prefix}{_grouped(k, sep)}万{unit_word or '元'}", k * 1e4
    if style == "yi":
        k = draw(st.integers(1, 10**4))
        return f"{prefix}{_grouped(k, sep)}亿{unit_word}", k * 1e8
    if style == "million":
        k = draw(st.integers(1, 10**6))
        return f"{_grouped(k, sep)} million yuan", k * 1e6
    import cn2an

    return f"{cn2an.an2cn(n)}元", float(n)


@PROPERTY
@given(written=written_amounts())
def test_amounts_read_back_as_written(written: tuple[str, float]) -> None:
    text, value = written
    got, err = parse_amount(text)
    assert err is None, (text, err)
    assert math.isclose(got, value, rel_tol=1e-12), (text, got, value)


@PROPERTY
@given(
    n=st.integers(1000, 10**12),
    seps=st.lists(st.sampled_from([*GROUPS, "", "  "]), min_size=4, max_size=4),
    decimals=st.sampled_from(["", ",5", ",50", ",500", ".5", ".500"]),
)
def test_mixed_or_odd_separators_are_a_problem_never_another_number(n, seps, decimals) -> None:  # noqa: ANN001
    """Separators mixed or misplaced (1,000 000; 1 000,000; 10 00): the value or a problem."""
    groups = f"{n:,}".split(",")
    text = groups[0] + "".join(sep + g for sep, g in zip(seps, groups[1:], strict=False))
    text += decimals
    got, err = parse_amount(text)
    if err is None:
        fraction = float("0." + decimals[1:]) if decimals else 0.0
        commas = all(sep == "," for sep in seps[: len(groups) - 1])
        grouped = n * 1000 + 500 if decimals == ",500" and commas else None  # 1,000,500
        assert got in (n, n + fraction, grouped), (text, got)


@PROPERTY
@given(
    whole=st.integers(1, 999),
    frac=st.integers(1, 99),
    unit=st.sampled_from(["亿", "万", " million yuan", "元", ""]),
)
def test_a_decimal_comma_is_a_problem_never_another_number(
    whole: int, frac: int, unit: str
) -> None:
    text = f"{whole},{frac}{unit}"
    got, err = parse_amount(text)
    assert math.isnan(got) and "decimal comma" in err, (text, got)


DAY_STYLES = [
    "{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日",
    "{y}年{m:02d}月{d:02d}号", "{y}{m:02d}{d:02d}", "{d} {month} {y}", "{month} {d}, {y}",
    "{mon} {d} {y}",
    "{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:00", "{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
]  # fmt: skip
MONTH_STYLES = ["{y}年{m}月", "{y}-{m:02d}", "{y}.{m}", "{month} {y}", "{y}{m:02d}"]
dates = st.dates(min_value=dt.date(1949, 1, 1), max_value=dt.date(2100, 12, 31))


def _fields(day: dt.date) -> dict[str, object]:
    return {"y": day.year, "m": day.month, "d": day.day, "month": f"{day:%B}",
            "mon": f"{day:%b}", "hh": 10, "mm": 30}  # fmt: skip


@PROPERTY
@given(day=dates, style=st.sampled_from(DAY_STYLES), upper=st.booleans())
def test_dates_read_back_as_written(day: dt.date, style: str, upper: bool) -> None:
    text = style.format(**_fields(day))
    text = text.upper() if upper else text
    assert parse_date(text) == (pd.Timestamp(day), "day", None), text


@PROPERTY
@given(day=dates, style=st.sampled_from(MONTH_STYLES))
def test_months_keep_their_precision(day: dt.date, style: str) -> None:
    text = style.format(**_fields(day))
    assert parse_date(text) == (pd.Timestamp(day.year, day.month, 1), "month", None), text


@PROPERTY
@given(day=dates, order=st.sampled_from([None, "mdy", "dmy"]), sep=st.sampled_from("/.-"))
def test_nn_nn_yyyy_is_the_date_or_a_problem(day: dt.date, order: str | None, sep: str) -> None:
    """Written month first, read with no order or the right one: the date, or (no order, both
    readings possible) a problem; read with the wrong order: a problem or the same date."""
    text = f"{day.month:02d}{sep}{day.day:02d}{sep}{day.year}"
    ts, _, err = parse_date(text, order)
    if order in (None, "mdy"):
        assert ts == pd.Timestamp(day) or (order is None and "ambiguous" in err), text
    else:
        assert ts == pd.Timestamp(day) or ts is None or day.day <= 12, text
        assert ts is None or day.day == day.month or day.day <= 12, text


@PROPERTY
@given(
    day=dates,
    minutes=st.integers(0, 24 * 60 - 1),
    offset=st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15),
    zulu=st.booleans(),
)
def test_zoned_timestamps_are_the_date_in_china(day, minutes, offset, zulu) -> None:  # noqa: ANN001
    if zulu:
        offset = 0
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    zone = dt.timezone(dt.timedelta(minutes=offset))
    sign = "-" if offset < 0 else "+"
    written = f"{local:%Y-%m-%dT%H:%M:%S}" + (
        "Z" if zulu else f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    )
    china = local.replace(tzinfo=zone).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    ts, prec, err = parse_date(written)
    if 1949 <= china.year <= 2100:
        assert (ts, prec, err) == (pd.Timestamp(china), "day", None), written
    else:
        assert ts is None and err, written


@PROPERTY
@given(
    y=st.integers(1949, 2100),
    m=st.integers(0, 13),
    d=st.integers(0, 31),
    style=st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}"]),
)
def test_impossible_dates_are_never_another_date(y: int, m: int, d: int, style: str) -> None:
    text = style.format(y=y, m=m, d=d)
    ts, _, err = parse_date(text)
    try:
        real = dt.date(y, m, d)
    except ValueError:
        assert ts is None and err, text
    else:
        assert ts == pd.Timestamp(real), text


@PROPERTY
@given(start=dates, days=st.integers(0, 800), sep=st.sampled_from([" to ", "至", " - ", "~", "-"]))
def test_ranges_read_back_start_and_end(start: dt.date, days: int, sep: str) -> None:
    end = start + dt.timedelta(days=days)
    if end.year > 2100:
        return
    text = f"{start:%Y-%m-%d}{sep}{end:%Y-%m-%d}"
    assert parse_date_range(text) == (pd.Timestamp(start), "day", None, pd.Timestamp(end)), text


@PROPERTY
@given(st.lists(st.integers(17900, 73000), min_size=1, max_size=20))
def test_serial_columns_read_back(serials: list[int]) -> None:
    out = parse_date_column(pd.Series([str(s) for s in serials], dtype="str"))
    epoch = dt.date(1899, 12, 30)
    expected = [pd.Timestamp(epoch + dt.timedelta(days=s)) for s in serials]
    assert out["date"].tolist() == expected
