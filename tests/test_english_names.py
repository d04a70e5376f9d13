"""The resolver measured on public English names (tests/fixtures/english_admin_names.md).

Wrong places must be 0; unresolved names are allowed but counted, and the counts are printed
(``pytest -s``) so the README's figures can be re-measured.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geodata.gazetteer import row
from geodata.resolver import Resolution, resolve, resolve_place

FIXTURE = Path(__file__).parent / "fixtures" / "english_admin_names.csv"


def _rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _verdict(r: Resolution, expected: str, level: str) -> str:
    """right / wrong / unresolved for one resolution of a name whose unit is ``expected``."""
    got = r.province_adcode if level == "province" else r.city_adcode
    single = r.province_adcode == r.city_adcode or r.province_adcode in {
        "110000", "120000", "310000", "500000",
    }  # fmt: skip
    deeper = r.district_adcode if level == "city" else (None if single else r.city_adcode)
    if got == expected and r.problem is None and deeper is None:
        return "right"
    province = (row(expected, level) or {}).get("province_adcode")
    if deeper or (got and got != expected) or (r.province_adcode not in (None, province)):
        return "wrong"
    return "unresolved"


def _measure(mode: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"right": [], "wrong": [], "unresolved": []}
    for r in _rows():
        if mode == "place column":
            res = resolve_place(r["name"])
        elif r["level"] == "province":
            res = resolve(r["name"])
        else:
            res = resolve(r["adm1"] if mode == "with province" else None, r["name"])
        out[_verdict(res, r["expected_adcode"], r["level"])].append(r["name"])
    return out


def test_fixture_codes_are_the_named_units() -> None:
    rows = _rows()
    assert len(rows) >= 170
    for r in rows:
        assert (row(r["expected_adcode"], r["level"]) or {}).get("name_zh") == r["name_zh"], r


@pytest.mark.parametrize("mode", ["with province", "alone", "place column"])
def test_no_wrong_place(mode: str) -> None:
    result = _measure(mode)
    counts = {k: len(v) for k, v in result.items()}
    print(f"\n{mode}: {counts}")
    assert result["wrong"] == []
    assert counts["right"] >= 170  # measured: 172/172, 172/172, 171/172 (Xing'an is ambiguous)


def test_the_names_of_the_issue() -> None:
    named = {r["name"]: r["expected_adcode"] for r in _rows()}
    for name in ["Enshi Tujia and Miao Autonomous Prefecture", "Qiandongnan Miao and Dong",
                 "Gannan Tibetan", "Turfan", "Ulaan Chab", "Nei Mongol Zizhiqu",
                 "Xinjiang Uygur Zizhiqu"]:  # fmt: skip
        assert name in named
        assert name in _measure("alone")["right"]
