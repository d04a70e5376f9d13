"""Column roles from content (data/column_roles.py): tables made from public conventions.

Each table follows a convention named in its test: GIS admin-level headers (GADM / HDX
``adm1_name``, Natural Earth ``NAME_1``), Chinese headers a program cannot guess, no title column,
ISO 3166-2:CN codes, 6-digit adcodes. Plus the real Global Policy Lab table (tests/fixtures/
README.md). The roles are what a user sees in the column panel, with their reasons.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from data.load import load_table
from data.read_options import ReadOptions
from geodata.gazetteer import row

FIX = Path(__file__).resolve().parent / "fixtures"
GPL = FIX / "gpl_covid_chn.csv"


def _csv(tmp_path: Path, name: str, frame: pd.DataFrame) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.replace("'", "").replace(" ", "").lower()


def _names(written: str, place: dict | None) -> bool:
    """The gazetteer place is the one written: its English name or pinyin starts like it."""
    if place is None:
        return False
    first = _fold(written.split()[0])
    return any(_fold(str(place[k])).startswith(first[:5]) for k in ("name_en", "pinyin"))


def _role(result, column: str) -> dict:
    return next(r for r in result.roles if r["column"] == column)


def test_gis_headers_are_read_by_their_values(tmp_path: Path) -> None:
    """GADM / HDX style: ADM1_EN, NAME_2, a country column that is not a title."""
    frame = pd.DataFrame(
        {
            "ADM0_EN": ["China"] * 4,
            "ADM1_EN": ["Guangdong", "Zhejiang", "Hubei", "Sichuan"],
            "NAME_2": ["Shenzhen", "Hangzhou", "Wuhan", "Chengdu"],
            "measure": ["Blockchain pilot zone plan", "Digital economy subsidy",
                        "Lockdown of public transit", "Industrial park support rules"],
            "issued": ["2020-01-23", "2020-02-04", "2020-01-23", "2020-03-01"],
        }
    )  # fmt: skip
    res = load_table(_csv(tmp_path, "gis.csv", frame))
    assert res.fatal is None
    assert res.columns["province"] == "ADM1_EN" and res.columns["city"] == "NAME_2"
    assert _role(res, "ADM1_EN")["reason"] == "4 of 4 values are provinces"
    assert _role(res, "ADM0_EN")["field"] == ""  # "China" on every row is not a title
    assert _role(res, "measure")["field"] == "title"
    f = res.frame
    assert f["city_adcode"].tolist() == ["440300", "330100", "420100", "510100"]
    assert f["date"].notna().all()


def test_chinese_headers_no_alias_knows(tmp_path: Path) -> None:
    """省份名称 / 所属地市 / 文件: headers outside the alias lists; values decide."""
    frame = pd.DataFrame(
        {
            "序列": ["1", "2", "3"],
            "省份名称": ["广东省", "浙江省", "四川省"],
            "所属地市": ["深圳市", "杭州市", "成都市"],
            "文件": ["深圳市区块链产业发展措施", "杭州市数字经济促进条例", "成都市区块链应用方案"],
            "印发": ["2019-10-11", "2020-03-01", "2021-05-06"],
        }
    )  # fmt: skip
    res = load_table(_csv(tmp_path, "zh.csv", frame))
    assert res.fatal is None
    assert res.columns["province"] == "省份名称" and res.columns["city"] == "所属地市"
    assert res.columns["title_zh"] == "文件"
    assert res.columns["date"] == "印发"
    assert (res.frame["placed"] == "city").all()


def test_no_title_column_composes_one() -> None:
    """The Global Policy Lab table: policy + policy_description become the title."""
    res = load_table(GPL)
    assert res.fatal is None
    assert res.columns["title_en"] == "policy+policy_description"
    assert res.frame["title_en"].iloc[0] == (
        "travel_ban_local: public transit suspended, Wuhan airport/train/metro closed"
    )
    enshi = res.frame.set_index("row")["title_en"][15]  # line 15: Enshi, no description
    assert enshi == "travel_ban_local"
    assert _role(res, "adm0_name")["field"] == ""
    assert "one value on every row" in _role(res, "adm0_name")["reason"]
    assert _role(res, "adm1_name")["reason"] == "168 of 168 values are provinces"
    assert _role(res, "adm2_name")["field"] == "city"


def test_iso_codes_place_provinces(tmp_path: Path) -> None:
    """ISO 3166-2:CN: letter codes (CN-GD) and the older numeric ones (CN-44)."""
    frame = pd.DataFrame(
        {
            "iso": ["CN-GD", "CN-44", "CN-BJ", "CN-XZ"],
            "title": ["Measure one", "Measure two", "Measure three", "Measure four"],
            "date": ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"],
        }
    )
    res = load_table(_csv(tmp_path, "iso.csv", frame))
    assert _role(res, "iso")["reason"] == "4 of 4 values are ISO 3166-2:CN codes"
    assert res.frame["province_adcode"].tolist() == ["440000", "440000", "110000", "540000"]


def test_adcodes_place_at_their_level(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "code": ["440305", "110105", "440300"],
            "名称": ["南山区区块链扶持办法", "朝阳区数字经济政策", "深圳市区块链发展措施"],
            "日期": ["2020-02-01", "2020-02-02", "2020-03-01"],
        }
    )  # fmt: skip
    res = load_table(_csv(tmp_path, "adcode.csv", frame.astype(str)))
    assert _role(res, "code")["kind"] == "adcode"
    assert res.frame["district_adcode"].tolist()[:2] == ["440305", "110105"]
    assert res.frame["city_adcode"].tolist()[2] == "440300"


def test_the_users_choice_wins_and_a_senseless_one_is_refused() -> None:
    opts = ReadOptions(columns=(("title", "policy"),))
    res = load_table(GPL, options=opts)
    assert res.columns["title_en"] == "policy"
    assert _role(res, "policy")["reason"] == "your choice: title"
    bad = load_table(GPL, options=ReadOptions(columns=(("province", "date_start"),)))
    assert bad.fatal == (
        "column 'date_start' cannot be the province: 168 of 168 values are dates "
        "and none is a place"
    )


@pytest.mark.parametrize("order", [None, "mdy"])
def test_gpl_table_placed_dated_and_never_wrong(order: str | None) -> None:
    """Measured (README): every row placed, no place wrong; with --date-order mdy every row
    dated (w/parse infers the order from 01/23/2020 without it)."""
    res = load_table(GPL, options=ReadOptions(date_order=order))
    f = res.frame
    assert (f["placed"] != "unplaced").all()
    raw = pd.read_csv(GPL, dtype=str, keep_default_na=False)
    wrong = 0
    for written_p, written_c, p, c in zip(
        raw["adm1_name"], raw["adm2_name"], f["province_adcode"], f["city_adcode"], strict=True
    ):
        wrong += not _names(written_p, row(str(p), "province"))
        if isinstance(c, str) and written_c != "All":
            wrong += not _names(written_c, row(c, "city"))
    assert wrong == 0
    if order == "mdy":
        assert f["date"].notna().all()
        assert f["date"].min() == pd.Timestamp("2020-01-23")


# --- the CLI: --columns and --date-order ------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def _app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=REPO, capture_output=True, text=True, timeout=180
    )


def test_cli_columns_and_date_order_read_the_table_as_told() -> None:
    out = _app("--data", str(GPL), "--check", "--json",
               "--columns", "province=adm1_name,city=adm2_name,title=policy+policy_description",
               "--date-order", "mdy")  # fmt: skip
    report = json.loads(out.stdout)
    assert report["usable"] is True
    assert report["mapped"]["province"] == 168
    assert not [p for p in report["problems"] if p["field"] == "date_start"]


def test_cli_columns_naming_a_missing_column_fails_with_one_line() -> None:
    out = _app("--data", str(GPL), "--check", "--columns", "province=adm1,city=adm2_name")
    assert out.returncode == 2
    lines = (out.stdout + out.stderr).strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0]
    assert "no column 'adm1'" in lines[0] and "adm1_name, adm2_name" in lines[0]
    bad = _app("--data", str(GPL), "--check", "--columns", "province")
    assert bad.returncode == 2 and "FIELD=COLUMN" in bad.stderr


@pytest.mark.slow
def test_cli_export_with_columns(tmp_path: Path) -> None:
    out = _app("--data", str(GPL), "--columns", "title=policy", "--date-order", "mdy",
               "--export", str(tmp_path))  # fmt: skip
    assert out.returncode == 0, out.stderr
    pack = next(tmp_path.glob("*.zip"))
    with zipfile.ZipFile(pack) as zf:
        policies = pd.read_csv(io.BytesIO(zf.read("data/policies.csv")), dtype=str)
    assert len(policies) == 168
    raw = pd.read_csv(GPL, dtype=str)
    by_line = policies.assign(line=policies["row"].astype(int)).sort_values("line")
    assert by_line["title_en"].tolist() == raw["policy"].tolist()  # the title as told
    assert "policy_description" in policies.columns  # passed through under its own header
