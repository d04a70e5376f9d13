"""data.load: the canonical frame, column aliases, the bundled table, the messy fixture."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.columns import match_field
from data.load import load_bundled, load_table
from data.pilots import load_pilots
from data.schema import CANONICAL_COLUMNS, EXTRA_COLUMNS, INCENTIVES, LEVELS, PLACED, STANCES

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("省份", "province"),
        ("省", "province"),
        ("Province", "province"),
        ("PROVINCE", "province"),
        ("城市", "city"),
        ("市", "city"),
        ("city", "city"),
        ("区县", "district"),
        ("区", "district"),
        ("District", "district"),
        ("发布日期", "date"),
        ("发文日期", "date"),
        ("印发日期", "date"),
        ("日期", "date"),
        ("date", "date"),
        ("Date 日期", "date"),
        ("政策名称", "title"),
        ("文件名称", "title"),
        ("标题", "title"),
        ("Title", "title"),
        ("发文机关", "issuer"),
        ("发文单位", "issuer"),
        ("issuer", "issuer"),
        ("激励方式", "incentives"),
        ("扶持方式", "incentives"),
        ("incentives", "incentives"),
        ("金额", "amount"),
        ("金额（万元）", "amount"),
        ("amount", "amount"),
        ("层级", "level"),
        ("level", "level"),
        ("来源", "source"),
        ("链接", "source"),
        ("source", "source"),
        ("备注", None),
    ],
)
def test_column_aliases(header: str, field: str | None) -> None:
    assert match_field(header) == field


def test_bundled_frame_contract() -> None:
    res = load_bundled()
    assert res.fatal is None
    f = res.frame
    assert list(f.columns) == list(CANONICAL_COLUMNS + EXTRA_COLUMNS)
    assert len(f) == 181
    assert f["row"].tolist() == list(range(2, 183))
    assert str(f["date"].dtype).startswith("datetime64")
    assert f["amount_cny"].dtype == np.float64
    assert f["is_work_report"].dtype == bool
    assert set(f["level"]) <= set(LEVELS) and set(f["placed"]) <= set(PLACED)
    assert set(f["stance"]) <= set(STANCES)
    assert all(isinstance(t, tuple) for t in f["incentives"])
    assert {c for t in f["incentives"] for c in t} <= set(INCENTIVES)
    assert f["level"].value_counts().to_dict() == {
        "provincial": 88, "national": 35, "city": 33, "district": 25,
    }  # fmt: skip
    assert f["date_precision"].value_counts().to_dict() == {
        "month": 75, "day": 58, "unknown": 25, "year": 23,
    }  # fmt: skip
    assert int(f["is_work_report"].sum()) == 34
    assert int((f["stance"] == "restrict").sum()) == 17
    assert int(f["amount_cny"].notna().sum()) == 11
    assert f["source"].notna().all()


def test_bundled_every_row_placed_and_no_errors() -> None:
    res = load_bundled()
    f = res.frame
    assert (f["placed"] == "national").sum() == 35
    assert (f["placed"] != "unplaced").all()
    assert not [p for p in res.problems if p.severity == "error"]
    # municipality rows are placed at province AND city level
    bj = f[(f["province_zh"] == "北京市") & f["district_zh"].isna()]
    assert (bj["province_adcode"] == "110000").all() and (bj["city_adcode"] == "110100").all()
    # every non-national row has a province
    assert f.loc[f["placed"] != "national", "province_adcode"].notna().all()


def test_bundled_raw_text_kept() -> None:
    raw = pd.read_csv(Path("data/policies.csv"), dtype=str, keep_default_na=False)
    f = load_bundled().frame
    assert f["date_raw"].tolist() == raw["date_issued"].tolist()
    assert f["incentives_raw"].tolist() == raw["incentives"].tolist()
    assert f["amount_raw"].tolist() == raw["amount_cny"].tolist()
    assert f["policy_id"].tolist() == raw["policy_id"].tolist()


def test_formats_agree() -> None:
    a = load_table(FIX / "zh_bom.csv").frame
    b = load_table(FIX / "zh_gbk.csv").frame
    pd.testing.assert_frame_equal(a, b)
    assert a["date"].tolist() == [
        pd.Timestamp(x) for x in ("2017-12-08", "2020-04-08", "2021-02-01")
    ]
    assert a["amount_cny"].iloc[0] == 5_000_000
    assert a["incentives"].iloc[0] == ("cash-reward", "subsidy", "rd-support", "financing-support")
    assert a["level"].tolist() == ["district", "provincial", "district"]


def test_excel_and_parquet_and_semicolon() -> None:
    x = load_table(FIX / "two_sheets.xlsx")
    assert x.fatal is None and len(x.frame) == 2 and x.frame["row"].tolist() == [3, 4]
    assert x.frame["amount_cny"].iloc[0] == 5_000_000
    en = load_table(FIX / "two_sheets.xlsx", sheet="English")
    assert en.frame["date_precision"].tolist() == ["day", "unknown", "month"]
    assert en.frame["amount_cny"].iloc[:2].tolist() == [5_000_000, 8_000_000]
    s = load_table(FIX / "en_semicolon.csv")
    pd.testing.assert_frame_equal(s.frame, load_table(FIX / "en_tab.tsv").frame)
    assert (s.frame["title_en"].notna() | s.frame["title_zh"].notna()).all()
    assert s.frame["title_zh"].iloc[0] == "关于加快区块链产业发展的六条措施"
    p = load_table(FIX / "policies.parquet")
    assert p.fatal is None and p.frame["note"].tolist() == ["kept", ""]
    assert p.frame["date"].iloc[0] == pd.Timestamp("2017-12-08")


def test_messy_fixture_every_place_resolves() -> None:
    res = load_table(FIX / "messy_gbk.csv")
    f = res.frame
    assert res.fatal is None and len(f) == 12
    assert not [p for p in res.problems if p.severity == "error"], res.problems
    assert (f["placed"] != "unplaced").all()
    assert f.set_index("policy_id")["placed"].to_dict() == {
        "P0016": "district", "P0068": "city", "P0070": "district", "P0067": "city",
        "P0071": "city", "P0021": "district", "P0039": "city", "P0098": "district",
        "P0150": "district", "P0001": "national", "P0047": "city", "P0027": "city",
    }  # fmt: skip
    by = f.set_index("policy_id")
    assert by.loc["P0016", "amount_cny"] == 5_000_000  # 500 in a 金额（万元） column
    assert by.loc["P0039", "amount_cny"] == 5_000_000
    assert by.loc["P0070", "district_adcode"] == "110102"
    assert by.loc["P0001", "level"] == "national" and by.loc["P0001", "level_inferred"]
    assert by.loc["P0068", "level"] == "provincial" and not by.loc["P0068", "level_inferred"]
    assert by.loc["P0047", "level"] == "provincial"  # inferred: a municipality
    assert by.loc["P0047", "is_work_report"]
    assert by.loc["P0016", "title_zh"].startswith("广州市黄埔区")
    assert by.loc["P0068", "title_en"].startswith("Several Opinions")
    assert by.loc["P0016", "备注"] == "restates P0016"  # unknown columns pass through
    assert by.loc["P0098", "incentives"] == ("subsidy",)
    assert by.loc["P0150", "incentives"] == ("cash-reward", "subsidy", "talent-residency", "fund")


def test_broken_rows_are_kept() -> None:
    res = load_table(FIX / "broken.csv")
    f = res.frame
    assert len(f) == 11
    assert f["row"].tolist() == list(range(3, 14))
    assert f.loc[f["row"] == 9, "placed"].item() == "unplaced"
    assert f.loc[f["row"] == 3, "problems"].item().startswith("城市: unknown city")
    assert f.loc[f["row"] == 7, "title_en"].item() == '=HYPERLINK("http://x","click")'
    assert f.loc[f["row"] == 4, "date_raw"].item() == "2020-13-45"


def test_input_file_is_never_modified() -> None:
    before = {p.name: p.read_bytes() for p in FIX.iterdir() if p.is_file()}
    for name in before:
        load_table(FIX / name)
    after = {p.name: p.read_bytes() for p in FIX.iterdir() if p.is_file()}
    assert before == after


def test_fatal_results() -> None:
    for name, msg in [
        ("empty.csv", "empty"),
        ("garbage.bin", "not a table"),
        ("no_title.csv", "no title column"),
        ("header_only.csv", "no rows"),
    ]:
        res = load_table(FIX / name)
        assert res.fatal is not None and msg in res.fatal
        assert "\n" not in res.fatal


def test_no_place_columns_but_dates_is_usable(tmp_path: Path) -> None:
    p = tmp_path / "t.csv"
    p.write_text("title,date,issuer\nA,2020,State Council\nB,2021,Some company\n", encoding="utf-8")
    res = load_table(p)
    assert res.fatal is None
    assert res.frame["placed"].tolist() == ["national", "unplaced"]
    assert res.frame["level"].tolist() == ["national", "unknown"]


def test_pilots() -> None:
    p = load_pilots()
    assert len(p) == 30
    assert (p["category"] == "comprehensive").sum() == 15
    comp = p[p["category"] == "comprehensive"]
    assert comp["province_adcode"].notna().all()
    assert comp["lon"].notna().sum() >= 14
    assert p.loc[p["pilot_id"] == "T001", "district_adcode"].item() == "110108"
    assert set(p.loc[p["province_zh"].isna(), "placed"]) == {"unplaced"}
    assert "blockchain + health" in set(p["field"])


@pytest.mark.slow
def test_million_rows_are_vectorised(tmp_path: Path) -> None:
    raw = pd.read_csv("data/policies.csv", dtype=str, keep_default_na=False)
    big = pd.concat([raw] * 1100, ignore_index=True)  # ~200 k rows
    path = tmp_path / "big.csv"
    big.to_csv(path, index=False)
    t = time.perf_counter()
    res = load_table(path)
    elapsed = time.perf_counter() - t
    assert res.fatal is None and len(res.frame) == len(big)
    assert (res.frame["placed"] != "unplaced").all()
    assert elapsed < 60, elapsed
