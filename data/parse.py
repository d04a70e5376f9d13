"""Parsing of the fields people write by hand: dates, amounts, incentives, levels, stances, types.

Every parser works on one distinct string; the `parse_*_column` functions apply it once per
distinct value of a column and map the result back (a million rows with a few thousand distinct
dates cost a few thousand parses). Nothing here changes the raw text; callers keep it.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from data.schema import INCENTIVES, POLICY_TYPES, SECTORS
from geodata.script import to_simplified


def norm_text(s: str) -> str:
    """NFKC (full-width digits and punctuation -> ASCII), trimmed, inner whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s)).strip()


def map_distinct(values: pd.Series, fn: Callable[[str], Any]) -> tuple[list[Any], np.ndarray]:
    """Apply `fn` to each distinct value; returns (results per distinct value, codes per row)."""
    codes, uniques = pd.factorize(values.fillna(""), sort=False)
    results = [fn(str(u)) for u in uniques]
    return results, codes


def _take(results: list[Any], codes: np.ndarray, i: int, dtype: Any = object) -> np.ndarray:
    arr = np.empty(len(results), dtype=dtype)
    for k, r in enumerate(results):
        arr[k] = r[i]
    if len(codes) == 0:
        return np.empty(0, dtype=dtype)
    return arr[codes]


# --- dates ------------------------------------------------------------------------------------

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]  # fmt: skip
    )
    for m in names
}

_D_YMD = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_D_ZH_YMD = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_D_ZH_YM = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月份?$")
_D_YM = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_D_Y = re.compile(r"^(\d{4})\s*年?$")
_D_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_D_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")
_D_EN_DMY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]{3,9})\.?,?\s+(\d{4})$")
_D_EN_MDY = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_D_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_D_DMY_ANY = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_D_QUARTER = (
    re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$"),  # 2021-Q2, 2021Q2
    re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$"),  # Q2 2021 (groups swapped below)
    re.compile(r"^(\d{4})\s*年?\s*第?\s*([1-4])\s*季度?$"),  # 2021年第二季度 (after cn2an)
)
_TIME = re.compile(r"(?:[ t]|\s+)\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?$|\s+\d{1,2}\s*[时點点]\d*分?$")
# 2020-01-23T10:00:00+08:00, 2020-01-22 20:00Z: read as the date in China (UTC+8)
_ZONED = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"
)
_CHINA = dt.timezone(dt.timedelta(hours=8))
_RANGE_SEP = re.compile(r"\s*(?:\bto\b|至|到|~|～|–|—|-)\s*")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")  # an Excel day number (43853 = 2020-01-23)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's 1900 date system (after 1900-02-28)
_CN_DIGITS = re.compile(r"[〇零一二两三四五六七八九十]")

YEAR_MIN, YEAR_MAX = 1949, 2100
EMPTY_WORDS = {"", "-", "--", "—", "n/a", "na", "none", "null", "无", "不详", "未知", "未注明"}
#: How a date written as NN/NN/YYYY is read (``--date-order``, the column panel).
DATE_ORDERS = {"mdy": "month/day/year", "dmy": "day/month/year", "ymd": "year/month/day"}
_HOW_TO_CHOOSE = "choose the order in the column panel or with --date-order mdy|dmy"

DateParse = tuple[pd.Timestamp | None, str, str | None]


def _date_text(raw: str) -> str:
    """Lower-case, ASCII digits (二〇二〇年四月 -> 2020年4月); a clock time is kept."""
    s = norm_text(raw).lower()
    if _CN_DIGITS.search(s):
        import cn2an

        with contextlib.suppress(ValueError, KeyError, IndexError, TypeError):
            s = cn2an.transform(s, "cn2an")  # on failure left as written: reported unreadable
    return s


def _quarter(s: str) -> tuple[int, int] | None:
    for i, rx in enumerate(_D_QUARTER):
        if m := rx.match(s):
            y, q = (m.group(2), m.group(1)) if i == 1 else (m.group(1), m.group(2))
            return int(y), int(q)
    return None


def _day_month(a: int, b: int, y: int, order: str | None) -> tuple[int | None, ...] | str:
    """(year, month, day) of NN/NN/YYYY read in ``order`` (None: only when unambiguous)."""
    if order == "mdy":
        if a > 12:
            return f"{a} is not a month: dates in this column are read as month/day/year"
        return y, a, b
    if order == "dmy":
        if b > 12:
            return f"{b} is not a month: dates in this column are read as day/month/year"
        return y, b, a
    if a > 12 >= b or a == b:  # 25/12/2020; 10/10/2020 reads the same either way
        return y, b, a
    if b > 12 >= a:
        return y, a, b
    return (
        f"day and month order is ambiguous ({a:02d}/{b:02d}/{y} could be "
        f"{_day_name(y, b, a)} or {_day_name(y, a, b)}) and no date in this column settles it; "
        + _HOW_TO_CHOOSE
    )


def _day_name(y: int, mo: int, d: int) -> str:
    return f"{d} {dt.date(2000, mo, 1):%B}" if 1 <= mo <= 12 else f"{y}-{mo:02d}-{d:02d}"


def _date_parts(
    s: str, order: str | None = None
) -> tuple[int | None, int | None, int | None, str | None]:
    """(year, month, day, error) from a normalised date text; a missing part is None."""
    if m := (_D_YMD.match(s) or _D_ZH_YMD.match(s) or _D_COMPACT.match(s)):
        return int(m.group(1)), int(m.group(2)), int(m.group(3)), None
    if m := (_D_ZH_YM.match(s) or _D_YM.match(s) or _D_COMPACT_YM.match(s)):
        return int(m.group(1)), int(m.group(2)), None, None
    if m := _D_Y.match(s):
        return int(m.group(1)), None, None, None
    if (m := _D_EN_MDY.match(s)) and m.group(1) in MONTHS:
        return int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)), None
    if (m := _D_EN_DMY.match(s)) and m.group(2) in MONTHS:
        return int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)) if m.group(1) else None, None
    if m := _D_DMY.match(s):
        read = _day_month(int(m.group(1)), int(m.group(2)), int(m.group(3)), order)
        if isinstance(read, str):
            return None, None, None, read
        return read[0], read[1], read[2], None
    return None, None, None, _UNREADABLE_DATE


_UNREADABLE_DATE = "not a date this loader can read"


def _zoned(s: str) -> DateParse | None:
    """A timestamp with a time zone: the date it is in China (UTC+8); None: not one."""
    m = _ZONED.match(s)
    if not m:
        return None
    y, mo, d, h, mi = (int(m.group(i)) for i in range(1, 6))
    zone = m.group(7)
    if zone in ("z", "utc", "gmt"):
        offset = dt.timedelta(0)
    else:
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        offset = dt.timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
    try:
        stamp = dt.datetime(y, mo, d, h, mi, int(m.group(6) or 0), tzinfo=dt.timezone(offset))
    except ValueError as exc:
        return None, "unknown", f"not a real time ({exc})"
    day = stamp.astimezone(_CHINA).date()
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        return None, "unknown", f"year {day.year} is out of range ({YEAR_MIN}–{YEAR_MAX})"
    return pd.Timestamp(day), "day", None


def _single(s: str, order: str | None) -> DateParse:
    """One date (no range) from a normalised text."""
    if zoned := _zoned(s):
        return zoned
    s = _TIME.sub("", s).strip()
    y: int | None
    mo: int | None
    if q := _quarter(s):
        y, mo, d, err = q[0], 3 * q[1] - 2, None, None
    else:
        y, mo, d, err = _date_parts(s, order)
    if err is not None or y is None:
        return None, "unknown", err or _UNREADABLE_DATE
    if not YEAR_MIN <= y <= YEAR_MAX:
        return None, "unknown", f"year {y} is out of range ({YEAR_MIN}–{YEAR_MAX})"
    if mo is not None and not 1 <= mo <= 12:
        return None, "unknown", f"month {mo} does not exist"
    if d is not None and not 1 <= d <= calendar.monthrange(y, mo or 1)[1]:
        days = calendar.monthrange(y, mo or 1)[1]
        return None, "unknown", f"day {d} does not exist in {y}-{mo or 1:02d} (it has {days} days)"
    ts = pd.Timestamp(y, mo or 1, d if d is not None else 1)
    if q:
        return ts, "quarter", None
    precision = "day" if d is not None else "month" if mo is not None else "year"
    return ts, precision, None


def _range(s: str, order: str | None) -> tuple[DateParse, pd.Timestamp | None] | None:
    """A range written as two dates (2020-01-23 to 2020-03-13, 2020.1.23-2020.3.13,
    2020年1月23日至3月13日): (the start, the end); None when ``s`` is not one."""
    for m in _RANGE_SEP.finditer(s):
        left, right = s[: m.start()], s[m.end() :]
        if not left or not right:
            continue
        start = _single(left, order)
        if start[0] is None:
            continue
        y, mo = start[0].year, start[0].month
        sep = next((c for c in "-/." if c in left), "-")
        for text in (right, f"{y}年{right}", f"{y}年{mo}月{right}", f"{y}{sep}{right}"):
            end = _single(text, order)
            if end[0] is not None:
                if end[0] < start[0]:
                    return (None, "unknown", f"the range ends ({right}) before it starts"), None
                return start, end[0]
    return None


def parse_date_range(
    raw: str, order: str | None = None
) -> tuple[pd.Timestamp | None, str, str | None, pd.Timestamp | None]:
    """(start of the period or None, precision, error or None, end of a range or None)."""
    s = _date_text(raw)
    if s in EMPTY_WORDS:
        return None, "unknown", None, None
    one = _single(s, order)
    if one[2] != _UNREADABLE_DATE:
        return (*one, None)
    if found := _range(s, order):
        return (*found[0], found[1])
    if _SERIAL.match(s):
        return None, "unknown", _serial_alone(s), None
    return (*one, None)


def parse_date(raw: str, order: str | None = None) -> DateParse:
    """(start of the period or None, precision day|month|quarter|year|unknown, error or None).

    ``order`` ("mdy" or "dmy") says how NN/NN/YYYY reads; without it only unambiguous ones do."""
    return parse_date_range(raw, order)[:3]


def _serial_day(s: str) -> pd.Timestamp | None:
    ts = _EXCEL_EPOCH + pd.Timedelta(days=int(float(s)))
    return ts if YEAR_MIN <= ts.year <= YEAR_MAX else None


def _serial_alone(s: str) -> str:
    ts = _serial_day(s)
    seen = f" ({s} would be {ts:%Y-%m-%d})" if ts is not None else ""
    return (
        f"a number, not a date{seen}: Excel day numbers are read only when the whole column is "
        "made of them; write it as a date (YYYY-MM-DD)"
    )


def _order_evidence(texts: list[str]) -> dict[str, list[int]]:
    """Per order ("mdy", "dmy"): the distinct values whose NN/NN/YYYY can only be read that way."""
    out: dict[str, list[int]] = {"mdy": [], "dmy": []}
    for k, s in enumerate(texts):
        for a, b, _ in _D_DMY_ANY.findall(s):
            a_, b_ = int(a), int(b)
            if b_ > 12 >= a_ >= 1:
                out["mdy"].append(k)
            elif a_ > 12 >= b_ >= 1:
                out["dmy"].append(k)
    return out


def _rows_of(codes: np.ndarray, ks: list[int], lines: np.ndarray | None, most: int = 5) -> str:
    rows = np.flatnonzero(np.isin(codes, ks))
    shown = (lines[rows] if lines is not None else rows + 1)[:most]
    more = "…" if len(rows) > most else ""
    return ", ".join(str(int(r)) for r in shown) + more


def _column_order(
    texts: list[str],
    uniques: Any,
    codes: np.ndarray,
    lines: np.ndarray | None,
    notes: list[str],
) -> tuple[str | None, str | None]:
    """(order inferred from the values that settle it, or None; the error for ambiguous values
    when the column's evidence conflicts)."""
    counts = np.bincount(codes[codes >= 0], minlength=len(texts))
    ev = _order_evidence(texts)
    n = {o: int(counts[ks].sum()) if ks else 0 for o, ks in ev.items()}
    if n["mdy"] and n["dmy"]:
        ex = {o: str(uniques[ks[0]]) for o, ks in ev.items()}
        rows = {o: _rows_of(codes, ks, lines) for o, ks in ev.items()}
        conflict = (
            f"day and month order is ambiguous: this column has month-first dates ({ex['mdy']} "
            f"on rows {rows['mdy']}) and day-first dates ({ex['dmy']} on rows {rows['dmy']}); "
            + _HOW_TO_CHOOSE
        )
        notes.append("dates: " + conflict)
        return None, conflict
    for order in ("mdy", "dmy"):
        if n[order]:
            example = str(uniques[ev[order][0]])
            notes.append(
                f"dates read as {DATE_ORDERS[order]}: {n[order]} value(s) like {example} settle it"
            )
            return order, None
    return None, None


def parse_date_column(
    raw: pd.Series, order: str | None = None, lines: np.ndarray | None = None
) -> pd.DataFrame:
    """Columns date (datetime64), date_precision, date_error (None when fine), date_end (the end
    of a range, else NaT). ``order`` is the user's reading of NN/NN/YYYY ("mdy", "dmy"); without
    it the column's unambiguous values settle it. ``attrs["date_order"]`` is the order used and
    ``attrs["notes"]`` says how the column was read; ``lines`` (spreadsheet lines) name rows."""
    codes, uniques = pd.factorize(raw.fillna(""), sort=False)
    codes = np.asarray(codes)
    texts = [_date_text(str(u)) for u in uniques]
    notes: list[str] = []
    conflict = None
    filled = [s for s in texts if s not in EMPTY_WORDS]
    serial = bool(filled) and all(_SERIAL.match(s) and _serial_day(s) for s in filled)
    if order in ("mdy", "dmy"):
        notes.append(f"dates written NN/NN/YYYY read as {DATE_ORDERS[order]} (as chosen)")
    elif not serial:  # (year first, "ymd", says nothing about NN/NN/YYYY: the column decides)
        order, conflict = _column_order(texts, uniques, codes, lines, notes)
    results: list[tuple[pd.Timestamp | None, str, str | None, pd.Timestamp | None]] = []
    for s in texts:
        if serial and s not in EMPTY_WORDS:
            results.append((_serial_day(s), "day", None, None))
            continue
        r = parse_date_range(s, order)
        if conflict and r[2] and r[2].startswith("day and month order is ambiguous"):
            r = (None, "unknown", conflict, None)
        results.append(r)
    if serial:
        notes.append(
            f"dates read as Excel day numbers: the column holds only numbers like {filled[0]} "
            f"(= {_serial_day(filled[0]):%Y-%m-%d})"
        )
    out = _date_frame(results, codes, raw.index)
    out.attrs["date_order"] = order
    out.attrs["notes"] = notes
    return out


def _date_frame(results: list[Any], codes: np.ndarray, index: pd.Index) -> pd.DataFrame:
    def stamps(i: int) -> np.ndarray:
        ts = pd.DatetimeIndex([r[i] if r[i] is not None else pd.NaT for r in results])
        if len(ts) == 0 or len(codes) == 0:
            return np.empty(0, dtype="datetime64[us]")
        return ts.take(codes).to_numpy().astype("datetime64[us]")

    return pd.DataFrame(
        {
            "date": stamps(0),
            "date_precision": pd.array(_take(results, codes, 1), dtype="str"),
            "date_error": _take(results, codes, 2),
            "date_end": stamps(3),
        },
        index=index,
    )


# --- amounts ----------------------------------------------------------------------------------

# A number as people write it: Arabic digits (with thousands commas), Chinese numerals, or both,
# with the multipliers inside it (1亿5千万, 五百万, 两千万, 1750万, 0.5亿); read by cn2an.
_NUMERAL = "0-9〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億"
_CN_RUN = re.compile(rf"(?:\d[\d,]*(?:\.\d+)?|\.\d+|[{_NUMERAL}])[{_NUMERAL}.]*")
_MULTIPLIER = re.compile(r"(千万|百万|万|亿|千|百)+$")
EN_UNITS = {
    "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3,
}  # fmt: skip
_EN_UNIT_RE = "|".join(sorted(EN_UNITS, key=len, reverse=True))
_AMOUNT = re.compile(rf"({_CN_RUN.pattern})(?:\s*({_EN_UNIT_RE})(?![a-z]))?")
_CURRENCY_WORDS = re.compile(r"人民币|rmb|cny|yuan|元|¥|￥")
_FOREIGN = re.compile(r"(美元|美金|欧元|港币|港元|usd|us\$|\$|eur|€|hkd)")
_PREFIX = re.compile(
    r"^(最高|不超过|不高于|高达|up to|max(imum)?|约|approx(imately)?|about|总计|共)\s*"
)
_UNIT_SPACE = re.compile(r"(?<=[\d.〇零一二两三四五六七八九十百千])\s+(?=[十百千万亿萬億])")
_COMPOUND_SPACE = re.compile(
    r"(亿)\s+(?=[\d〇零一二两三四五六七八九][\d.]*(?:千万|百万|万|千|百))|(万)\s+(?=\d+[千百])"
)
_FILLER = re.compile(r"[\s\-–~～至到和及、,;/]+|以上|以下|以内|左右|不等|\bto\b|\band\b")
MAX_DIGITS = 16  # more digits than any budget (10^16 yuan): not a plausible amount
MAX_AMOUNT = 1e13  # 10万亿元 (10 trillion yuan), about a tenth of China's GDP
_UNREADABLE = "not an amount this loader can read (write e.g. 500万元 or 5000000)"


def _run_value(run: str) -> float | None:
    """Value of one number run (1750万 -> 17,500,000; 1亿5千万 -> 150,000,000); None: unreadable."""
    text = run.replace(",", "")
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", text):
            v = float(text)
        else:
            import cn2an  # only for Chinese numerals (its import costs 0.2 s)

            v = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(v)


# Thousands grouped by a space (also a no-break or thin space, which NFKC makes a space) or an
# apostrophe, the same one throughout: 1 000 000, 3 500 000元, 1'000'000; a comma after such
# groups can only be a decimal comma (1 000,5).
_GROUPED = re.compile(
    r"(?<![\d.,'’])\d{1,3}(?P<sep>[ '’])\d{3}(?:(?P=sep)\d{3})*"
    r"(?:\.\d+|,(?!\d{3}(?!\d))\d+)?(?![\d'’]|[ ,.]\d)"
)
_COMMA_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|[. '’]\d)")
_LOOSE_DIGITS = re.compile(r"\d+(?:[ '’]+\d+)+")  # 1 000,000 or 1,000 000: no thousands grouping
_ZERO_COMMA = re.compile(r"(?<![\d.,])0,(?=\d)")  # 0,5亿: a decimal comma (0 thousand is no number)
_ODD_COMMA = re.compile(r"(\d+),(\d+)")  # 1,5亿: a decimal comma or a misplaced thousands comma


def _ungroup(s: str) -> str:
    """Thousands separators out, a decimal comma as a point, where the reading is certain."""
    s = _GROUPED.sub(lambda m: re.sub(r"[ '’]", "", m.group(0)).replace(",", "."), s)
    s = _COMMA_GROUPED.sub(lambda m: m.group(0).replace(",", ""), s)
    return _ZERO_COMMA.sub("0.", s)


def _yuan(value: float) -> str:
    return f"{value:,.2f}".removesuffix(".00")


def _ambiguous_comma(raw: str, s: str, header_unit: float) -> tuple[float, str, str] | None:
    """A comma that is a decimal comma or a thousands comma out of place (1,5亿): a problem with
    both readings; None when there is no such comma."""
    m = _ODD_COMMA.search(s)
    if m is None:
        return None
    readings = []
    for text in (f"{m.group(1)}.{m.group(2)}", f"{m.group(1)}{m.group(2)}"):
        value, err, _ = _amount(s[: m.start()] + text + s[m.end() :], header_unit)
        shown = s[: m.start()] + text + s[m.end() :]
        readings.append(f"{shown} = {_yuan(value)} yuan" if err is None else shown)
    return (
        np.nan,
        f"the comma in {m.group(0)} is a decimal comma or a thousands comma out of place; "
        f"write the amount without the comma (e.g. {readings[0]} or {readings[1]})",
        " or ".join(readings),
    )


def _amount(raw: str, header_unit: float = 1.0) -> tuple[float, str | None, str | None]:
    """(yuan or NaN, error or None, suggestion or None)."""
    s = to_simplified(norm_text(raw)).lower()
    if s in EMPTY_WORDS or s in {"未提及", "none stated", "none-stated"}:
        return np.nan, None, None
    if _FOREIGN.search(s):
        return np.nan, "amount is not in yuan; convert it to yuan (元) first", None
    while (t := _PREFIX.sub("", s)) != s:  # 最高不超过500万元
        s = t
    s = _ungroup(_CURRENCY_WORDS.sub(" ", s).strip())  # 1 000 000, 1,000,000 -> 1000000
    if odd := _ambiguous_comma(raw, s, header_unit):
        return odd
    if _LOOSE_DIGITS.search(s):
        return (
            np.nan,
            f"the digits in {norm_text(raw)} are not grouped in thousands; write the amount "
            "without separators (e.g. 1000000) or with one every three digits (1 000 000)",
            None,
        )
    s = _UNIT_SPACE.sub("", s)  # 500 万 -> 500万
    s = _COMPOUND_SPACE.sub(lambda m: m.group(1) or m.group(2), s)  # 1亿 5千万 -> 1亿5千万
    if s.startswith(("-", "−")):
        return np.nan, "amount is negative", None
    found = list(_AMOUNT.finditer(s))
    if not found or _FILLER.sub("", _AMOUNT.sub("", s)):
        return np.nan, _UNREADABLE, None
    if any(len(re.sub(r"\D", "", m.group(1))) > MAX_DIGITS for m in found):
        return np.nan, f"implausibly large amount (more than {MAX_DIGITS} digits)", None
    last = _MULTIPLIER.search(found[-1].group(1))
    range_unit = _run_value("1" + last.group(0)) if last and len(found) > 1 else None
    values = []
    for m in found:
        v = _run_value(m.group(1))
        if v is None:
            return np.nan, _UNREADABLE, None
        if m.group(2):
            v *= EN_UNITS[m.group(2)]
        elif not _MULTIPLIER.search(m.group(1)) and not re.search(r"[^\d,.]", m.group(1)):
            v *= range_unit or header_unit  # a bare number
        values.append(v)
    amount = float(max(values))
    if not math.isfinite(amount) or amount > MAX_AMOUNT:
        return np.nan, "implausibly large amount (over 10万亿元, 10 trillion yuan)", None
    return amount, None, None


def parse_amount(raw: str, header_unit: float = 1.0) -> tuple[float, str | None]:
    """(yuan or NaN, error or None). Ranges and lists keep the largest amount stated.

    A bare number takes the unit of the last number in a range (100-200万元) or, alone, the unit
    of the header (金额（万元）). Thousands separators (comma, space, no-break or thin space,
    apostrophe) are read; a comma that could be a decimal comma (1,5亿) is an error, never a guess.
    """
    return _amount(raw, header_unit)[:2]


def parse_amount_column(raw: pd.Series, header_unit: float = 1.0) -> pd.DataFrame:
    """Columns amount_cny, amount_error, amount_suggestion (both readings of an odd comma)."""
    results, codes = map_distinct(raw, lambda s: _amount(s, header_unit))
    return pd.DataFrame(
        {
            "amount_cny": _take(results, codes, 0, dtype=float),
            "amount_error": _take(results, codes, 1),
            "amount_suggestion": _take(results, codes, 2),
        },
        index=raw.index,
    )


# --- incentives -------------------------------------------------------------------------------

_SPLIT = re.compile(r"\s*[;；,，、|/\n]+\s*")

_INCENTIVE_EXACT: dict[str, str] = {}
for _code, _lab in INCENTIVES.items():
    for _name in (_code, _lab.en, _lab.zh, _code.replace("-", " ")):
        _INCENTIVE_EXACT[norm_text(_name).lower()] = _code
_INCENTIVE_EXACT.update(
    {
        "none": "none-stated",
        "无": "none-stated",
        "未提及": "none-stated",
        "未明确": "none-stated",
        "reward": "cash-reward",
        "奖励": "cash-reward",
        "grant": "subsidy",
        "补助": "subsidy",
        "r&d": "rd-support",
        "tax": "tax-incentive",
        "pilot": "pilot-application",
        "rent": "office-rent",
        "房租": "office-rent",
    }  # fmt: skip
)

# Keyword -> code, first match wins (so 租金补贴 is office rent, 研发补贴 is R&D support).
_INCENTIVE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("租金", "office-rent"), ("房租", "office-rent"), ("办公用房", "office-rent"),
    ("rent", "office-rent"), ("人才", "talent-residency"), ("落户", "talent-residency"),
    ("talent", "talent-residency"), ("residen", "talent-residency"), ("hukou", "talent-residency"),
    ("产业园", "industrial-park"), ("园区", "industrial-park"), ("基地", "industrial-park"),
    ("park", "industrial-park"), ("基金", "fund"), ("fund", "fund"), ("研发", "rd-support"),
    ("r&d", "rd-support"), ("research", "rd-support"), ("试点", "pilot-application"),
    ("pilot", "pilot-application"), ("税", "tax-incentive"), ("tax", "tax-incentive"),
    ("融资", "financing-support"), ("贷款", "financing-support"), ("担保", "financing-support"),
    ("贴息", "financing-support"), ("financ", "financing-support"), ("loan", "financing-support"),
    ("标准", "standards"), ("standard", "standards"), ("补贴", "subsidy"), ("补助", "subsidy"),
    ("subsid", "subsidy"), ("奖励", "cash-reward"), ("奖金", "cash-reward"), ("奖", "cash-reward"),
    ("reward", "cash-reward"), ("bonus", "cash-reward"), ("prize", "cash-reward"),
)  # fmt: skip


def incentive_code(label: str) -> str | None:
    """The incentive code of a label (English, Chinese in either script, or a keyword), or None."""
    s = to_simplified(norm_text(label)).lower()
    if s in _INCENTIVE_EXACT:
        return _INCENTIVE_EXACT[s]
    for kw, code in _INCENTIVE_KEYWORDS:
        if kw in s:
            return code
    return None


def parse_incentives(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes, with unknown labels kept as written; the unknown labels)."""
    s = norm_text(raw)
    if not s:
        return (), ()
    out: list[str] = []
    unknown: list[str] = []
    for tok in _SPLIT.split(s):
        tok = tok.strip()
        if not tok:
            continue
        code = incentive_code(tok)
        if code is None:
            unknown.append(tok)
            code = tok
        if code not in out:
            out.append(code)
    return tuple(out), tuple(unknown)


def parse_incentives_column(raw: pd.Series) -> pd.DataFrame:
    results, codes = map_distinct(raw, parse_incentives)
    return pd.DataFrame(
        {"incentives": _take(results, codes, 0), "incentives_unknown": _take(results, codes, 1)},
        index=raw.index,
    )


# --- sectors ----------------------------------------------------------------------------------

_SECTOR_EXACT: dict[str, str] = {}
for _code, _lab in SECTORS.items():
    for _name in (_code, _lab.en, _lab.zh, _code.replace("-", " ")):
        _SECTOR_EXACT[norm_text(_name).lower()] = _code
_SECTOR_KEYWORDS = (
    ("金融", "finance"), ("政务", "government-services"), ("医疗", "healthcare"),
    ("卫生", "healthcare"), ("健康", "healthcare"), ("制造", "manufacturing"),
    ("能源", "energy"), ("司法", "judiciary"), ("法院", "judiciary"), ("税", "taxation"),
    ("贸易", "trade"), ("跨境", "trade"), ("教育", "education"), ("农业", "agriculture"),
    ("物流", "logistics"), ("供应链", "logistics"), ("文化", "culture"),
    ("食品", "food-safety"),
)  # fmt: skip


def parse_sectors(raw: str) -> tuple[str, ...]:
    out: list[str] = []
    for tok in _SPLIT.split(norm_text(raw)):
        if not tok:
            continue
        low = to_simplified(tok).lower()
        code = _SECTOR_EXACT.get(low) or next((c for k, c in _SECTOR_KEYWORDS if k in low), tok)
        if code not in out:
            out.append(code)
    return tuple(out)


def parse_sectors_column(raw: pd.Series) -> pd.Series:
    results, codes = map_distinct(raw, lambda s: (parse_sectors(s),))
    return pd.Series(_take(results, codes, 0), index=raw.index, dtype=object)


# --- level, stance, policy type ---------------------------------------------------------------

_LEVEL_EXACT = {
    "national": "national", "nation": "national", "central": "national", "国家": "national",
    "国家级": "national", "中央": "national", "全国": "national", "部委": "national",
    "provincial": "provincial", "province": "provincial", "省": "provincial", "省级": "provincial",
    "省份": "provincial", "city": "city", "municipal": "city", "prefecture": "city", "市": "city",
    "市级": "city", "地市": "city", "地市级": "city", "地级市": "city", "district": "district",
    "county": "district", "区": "district", "县": "district", "区县": "district",
    "区级": "district", "县级": "district", "区县级": "district",
}  # fmt: skip


def parse_level(raw: str) -> tuple[str | None, str | None]:
    """(level or None when empty, error)."""
    s = to_simplified(norm_text(raw)).lower()
    if s in EMPTY_WORDS:
        return None, None
    if s in _LEVEL_EXACT:
        return _LEVEL_EXACT[s], None
    return (
        "unknown",
        "not a level (national, provincial, city, district / 国家级, 省级, 市级, 区县级)",
    )


_STANCE_EXACT = {
    "support": "support", "supportive": "support", "promote": "support", "支持": "support",
    "鼓励": "support", "扶持": "support", "促进": "support", "restrict": "restrict",
    "restrictive": "restrict", "ban": "restrict", "crackdown": "restrict", "限制": "restrict",
    "禁止": "restrict", "打击": "restrict", "整治": "restrict", "清理": "restrict",
    "regulate": "regulate", "regulation": "regulate", "regulatory": "regulate",
    "监管": "regulate", "规范": "regulate", "管理": "regulate",
}  # fmt: skip


def parse_stance(raw: str) -> tuple[str, str | None]:
    s = to_simplified(norm_text(raw)).lower()
    if s in EMPTY_WORDS:
        return "unknown", None
    if s in _STANCE_EXACT:
        return _STANCE_EXACT[s], None
    return "unknown", "not a stance (support, restrict, regulate / 支持, 限制, 监管)"


_TYPE_EXACT: dict[str, str] = {}
for _code, _lab in POLICY_TYPES.items():
    for _name in (_code, _lab.en, _lab.zh, _code.replace("-", " ")):
        _TYPE_EXACT[norm_text(_name).lower()] = _code
_TYPE_KEYWORDS = (
    ("五年规划", "five-year-plan"), ("十三五", "five-year-plan"), ("十四五", "five-year-plan"),
    ("five-year", "five-year-plan"), ("行动计划", "action-plan"), ("行动方案", "action-plan"),
    ("实施方案", "action-plan"), ("action plan", "action-plan"), ("指导意见", "guiding-opinion"),
    ("意见", "guiding-opinion"), ("opinion", "guiding-opinion"), ("措施", "support-measures"),
    ("扶持", "support-measures"), ("measures", "support-measures"), ("办法", "regulation"),
    ("条例", "regulation"), ("规定", "regulation"), ("regulation", "regulation"),
    ("试点", "pilot-designation"), ("pilot", "pilot-designation"), ("白皮书", "white-paper"),
    ("white paper", "white-paper"), ("规划", "five-year-plan"), ("其他", "other"),
)  # fmt: skip


def parse_policy_type(raw: str) -> tuple[str, str | None]:
    """(code, or the value as written when unknown; warning)."""
    s = to_simplified(norm_text(raw)).lower()
    if s in EMPTY_WORDS:
        return "unknown", None
    if s in _TYPE_EXACT:
        return _TYPE_EXACT[s], None
    for kw, code in _TYPE_KEYWORDS:
        if kw in s:
            return code, None
    return norm_text(raw), "not a known policy type; kept as written"


def parse_simple_column(raw: pd.Series, fn: Callable[[str], tuple[Any, Any]]) -> pd.DataFrame:
    results, codes = map_distinct(raw, fn)
    return pd.DataFrame(
        {"value": _take(results, codes, 0), "error": _take(results, codes, 1)}, index=raw.index
    )


# --- hostile strings --------------------------------------------------------------------------

LONG_TEXT = 2000
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def text_warnings(values: pd.Series) -> pd.Series:
    """Per row: a warning for formula-like, control-character or very long text, else None.

    Checked with Arrow kernels on the column as it is stored (a million-row column costs
    milliseconds and no Python string per cell).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values.fillna("") if values.hasnans else values
    arr = pa.array(text.astype("str"))  # the column's own chunks (not combined: no copy)

    def mask(result: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return result.to_numpy(zero_copy_only=False).astype(bool)

    formula = mask(pc.match_substring_regex(arr, r"^\s*([=+@]|-[^\d\s])"))
    ctrl = mask(pc.match_substring_regex(arr, _CONTROL))
    lens = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    msg = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(formula | ctrl | (lens > LONG_TEXT)):
        if formula[i]:
            msg[i] = "starts like a spreadsheet formula; kept as plain text, never evaluated"
        elif ctrl[i]:
            msg[i] = "contains control characters; kept as written"
        else:
            msg[i] = f"very long text ({lens[i]} characters); kept as written"
    return pd.Series(msg, index=values.index, dtype=object)
