"""The resolver: real place names in many spellings -> adcodes; never a guess."""

from __future__ import annotations

import csv
import math
import time
from pathlib import Path

import pytest

from geodata.resolver import Resolution, resolve, resolve_place

FIXTURE = Path(__file__).parent / "fixtures" / "shared_places.csv"


def _shared_rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _deepest(r: Resolution) -> str | None:
    return {
        "province": r.province_adcode,
        "city": r.city_adcode,
        "district": r.district_adcode,
    }.get(r.level or "")


# --- every place named in ../shared/data (copied to tests/fixtures/shared_places.csv)
@pytest.mark.parametrize(
    "row", _shared_rows(), ids=lambda r: "/".join(x for x in r.values() if x)[:40]
)
def test_every_shared_place(row: dict[str, str]) -> None:
    r = resolve(row["province_zh"], row["city_zh"], row["district_zh"])
    assert r.level == row["expected_level"]
    assert _deepest(r) == row["expected_adcode"]
    assert (r.field or "") == row["expected_problem_field"]
    if row["expected_problem_field"]:
        assert r.problem and repr(row["district_zh"]) in r.problem
    else:
        assert r.problem is None


def test_shared_fixture_covers_both_tables() -> None:
    rows = _shared_rows()
    assert len(rows) >= 75
    tables = {t for r in rows for t in r["source_table"].split(";")}
    assert tables == {"policies", "pilots"}


# --- variants that resolve: (province, city, district) -> (province, city, district adcodes) ----
RESOLVED = [
    # full and short Chinese names
    (("广东省", "深圳市", "南山区"), ("440000", "440300", "440305")),
    (("广东", "深圳", "南山"), ("440000", "440300", "440305")),
    (("广东省", "", ""), ("440000", None, None)),
    (("广东", "", ""), ("440000", None, None)),
    (("内蒙古", "", ""), ("150000", None, None)),
    (("内蒙古自治区", "呼和浩特市", ""), ("150000", "150100", None)),
    (("广西", "南宁", ""), ("450000", "450100", None)),
    (("新疆", "乌鲁木齐", ""), ("650000", "650100", None)),
    (("西藏", "拉萨", ""), ("540000", "540100", None)),
    (("宁夏", "银川市", ""), ("640000", "640100", None)),
    (("", "昌吉", ""), ("650000", "652300", None)),
    (("", "延边", ""), ("220000", "222400", None)),
    (("", "延边朝鲜族自治州", ""), ("220000", "222400", None)),
    (("", "阿克苏地区", ""), ("650000", "652900", None)),
    (("", "神农架", ""), ("420000", "429021", None)),
    (("", "济源市", ""), ("410000", "419001", None)),
    (("", "石河子", ""), ("650000", "659001", None)),
    (("", "东莞", ""), ("440000", "441900", None)),
    (("", "浦东新区", ""), None),  # a district in the city field: problem, see below
    # English and pinyin, any case, with suffixes
    (("Guangdong", "Shenzhen", "Nanshan"), ("440000", "440300", "440305")),
    (("GUANGDONG PROVINCE", "shenzhen city", "nanshan district"), ("440000", "440300", "440305")),
    (("Guangdong Sheng", "Shenzhen Shi", "Nanshan Qu"), ("440000", "440300", "440305")),
    (("guangdongsheng", "shenzhenshi", "nanshanqu"), ("440000", "440300", "440305")),
    (("Inner Mongolia", "Hohhot", ""), ("150000", "150100", None)),
    (("Inner Mongolia Autonomous Region", "Baotou City", ""), ("150000", "150200", None)),
    (("Nei Mongol", "Ordos", ""), ("150000", "150600", None)),
    (("Neimenggu", "Hulunbuir", ""), ("150000", "150700", None)),
    (("", "Bayannur", ""), ("150000", "150800", None)),
    (("", "Ulanqab", ""), ("150000", "150900", None)),
    (("", "Xilingol League", ""), ("150000", "152500", None)),
    (("Tibet", "Lhasa", ""), ("540000", "540100", None)),
    (("Xizang", "Shigatse", ""), ("540000", "540200", None)),
    (("Tibet Autonomous Region", "Nyingchi", ""), ("540000", "540400", None)),
    (("", "Qamdo", ""), ("540000", "540300", None)),
    (("", "Nagqu", ""), ("540000", "540600", None)),
    (("", "Ngari Prefecture", ""), ("540000", "542500", None)),
    (("", "Lhoka", ""), ("540000", "540500", None)),
    (("Xinjiang Uygur Autonomous Region", "Urumqi", ""), ("650000", "650100", None)),
    (("Xinjiang", "Kashgar", ""), ("650000", "653100", None)),
    (("Xinjiang", "Kashgar Prefecture", ""), ("650000", "653100", None)),
    (("", "Karamay", ""), ("650000", "650200", None)),
    (("", "Turpan", ""), ("650000", "650400", None)),
    (("", "Hotan", ""), ("650000", "653200", None)),
    (("", "Altay", ""), ("650000", "654300", None)),
    (("", "Ili", ""), ("650000", "654000", None)),
    (("", "Yili", ""), ("650000", "654000", None)),
    (("", "Bortala", ""), ("650000", "652700", None)),
    (("", "Bayingolin", ""), ("650000", "652800", None)),
    (("", "Kizilsu", ""), ("650000", "653000", None)),
    (("", "Changji Hui Autonomous Prefecture", ""), ("650000", "652300", None)),
    (("Heilongjiang", "Harbin", ""), ("230000", "230100", None)),
    (("Heilongjiang", "Haerbin", ""), ("230000", "230100", None)),
    (("", "Qiqihar", ""), ("230000", "230200", None)),
    (("Qinghai", "Golog", ""), ("630000", "632600", None)),
    (("", "Yushu", ""), ("630000", "632700", None)),
    (("", "Haixi", ""), ("630000", "632800", None)),
    (("Sichuan", "Garze", ""), ("510000", "513300", None)),
    (("Sichuan", "Ngawa", ""), ("510000", "513200", None)),
    (("Yunnan", "Xishuangbanna", ""), ("530000", "532800", None)),
    (("", "Dehong", ""), ("530000", "533100", None)),
    (("Shaanxi", "Xi'an", ""), ("610000", "610100", None)),
    (("Shaanxi Province", "Xian", ""), ("610000", "610100", None)),
    (("Shanxi", "Taiyuan", ""), ("140000", "140100", None)),
    (("Anhui", "Lu'an", ""), ("340000", "341500", None)),
    (("Anhui", "Luan", ""), ("340000", "341500", None)),
    (("Anhui", "Bengbu", ""), ("340000", "340300", None)),
    (("Fujian", "Xiamen", ""), ("350000", "350200", None)),
    (("Hunan", "Changsha", ""), ("430000", "430100", None)),
    (("Jilin", "Changchun", ""), ("220000", "220100", None)),
    (("Jilin Province", "Jilin City", ""), ("220000", "220200", None)),
    (("Zhejiang", "Lishui", ""), ("330000", "331100", None)),
    (("Shanxi", "Changzhi", ""), ("140000", "140400", None)),
    (("Henan", "Luohe", ""), ("410000", "411100", None)),
    (("Hebei", "Zhangjiakou", ""), ("130000", "130700", None)),
    (("Hebei", "Zhang Jia Kou", ""), ("130000", "130700", None)),
    (("Hebei", "Zhang-jia-kou", ""), ("130000", "130700", None)),
    (("Guangxi Zhuang Autonomous Region", "Baise", ""), ("450000", "451000", None)),
    (("Ningxia Hui Autonomous Region", "Yinchuan", ""), ("640000", "640100", None)),
    (("", "Ｓｈｅｎｚｈｅｎ", ""), ("440000", "440300", None)),  # full-width
    (("  广东省  ", " 深圳市 ", ""), ("440000", "440300", None)),
    (("广 东 省", "", ""), ("440000", None, None)),
    # Hong Kong, Macau, Taiwan: their own city-level unit
    (("Hong Kong", "", ""), ("810000", "810000", None)),
    (("Hong Kong SAR", "Hong Kong", ""), ("810000", "810000", None)),
    (("香港特别行政区", "", "湾仔区"), ("810000", "810000", "810002")),
    (("", "", "Wan Chai District"), ("810000", "810000", "810002")),
    (("Macau", "", ""), ("820000", "820000", None)),
    (("Macao Special Administrative Region", "", ""), ("820000", "820000", None)),
    (("澳门", "", ""), ("820000", "820000", None)),
    (("Taiwan", "", ""), ("710000", "710000", None)),
    (("台湾省", "台湾", ""), ("710000", "710000", None)),
    # municipalities every way
    (("北京", "", ""), ("110000", "110100", None)),
    (("北京市", "", ""), ("110000", "110100", None)),
    (("", "北京市", ""), ("110000", "110100", None)),
    (("北京市", "北京市", ""), ("110000", "110100", None)),
    (("Beijing", "Beijing", ""), ("110000", "110100", None)),
    (("Beijing Municipality", "", ""), ("110000", "110100", None)),
    (("", "Beijing City", ""), ("110000", "110100", None)),
    (("beijing shi", "", "haidian qu"), ("110000", "110100", "110108")),
    (("Beijing", "", "Haidian District"), ("110000", "110100", "110108")),
    (("北京市", "北京市", "朝阳区"), ("110000", "110100", "110105")),
    (("北京", "", "朝阳"), ("110000", "110100", "110105")),
    (("上海", "", "黄浦区"), ("310000", "310100", "310101")),
    (("Shanghai", "Shanghai", "Huangpu"), ("310000", "310100", "310101")),
    (("", "Shanghai", "Pudong New Area"), ("310000", "310100", "310115")),
    (("", "上海市", "浦东新区"), ("310000", "310100", "310115")),
    (("Tianjin", "", ""), ("120000", "120100", None)),
    (("", "Tianjin Municipality", "Binhai New Area"), ("120000", "120100", "120116")),
    (("重庆", "", ""), ("500000", "500100", None)),
    (("Chongqing", "Chongqing", "Yuzhong District"), ("500000", "500100", "500103")),
    (("重庆市", "", "渝中区"), ("500000", "500100", "500103")),
    (("", "重庆", "忠县"), ("500000", "500100", "500233")),
    (("", "Chongqing", "Zhong County"), ("500000", "500100", "500233")),
    (("", "Chongqing", "Zhongxian"), ("500000", "500100", "500233")),
    # combined strings
    (("", "深圳市南山区", ""), ("440000", "440300", "440305")),
    (("", "", "深圳市南山区"), ("440000", "440300", "440305")),
    (("广东省深圳市", "", ""), ("440000", "440300", None)),
    (("广东省深圳市南山区", "", ""), ("440000", "440300", "440305")),
    (("广东深圳", "", ""), ("440000", "440300", None)),
    (("", "Guangzhou Huangpu District", ""), ("440000", "440100", "440112")),
    (("", "", "Guangzhou Huangpu"), ("440000", "440100", "440112")),
    (("Beijing Haidian", "", ""), ("110000", "110100", "110108")),
    (("", "北京市海淀区", ""), ("110000", "110100", "110108")),
    (("", "上海市黄浦区", ""), ("310000", "310100", "310101")),
    (("吉林省吉林市", "", ""), ("220000", "220200", None)),
    (("Guangdong Province, Shenzhen City", "", ""), ("440000", "440300", None)),
    (("广东省", "深圳市南山区", ""), ("440000", "440300", "440305")),
    # districts: with city context, or unique without it
    (("广东省", "广州市", "黄埔区"), ("440000", "440100", "440112")),
    (("", "广州", "Huangpu"), ("440000", "440100", "440112")),
    (("", "上海", "Huangpu"), ("310000", "310100", "310101")),
    (("", "", "海淀区"), ("110000", "110100", "110108")),
    (("", "", "Haidian"), ("110000", "110100", "110108")),
    (("", "", "余杭区"), ("330000", "330100", "330110")),
    (("", "", "Yuhang District"), ("330000", "330100", "330110")),
    (("", "", "龙华区"), None),  # 深圳 and 海口: ambiguous, tested below
    (("广东省", "", "龙华区"), ("440000", "440300", "440309")),
    (("海南", "", "龙华区"), ("460000", "460100", "460106")),
    (("", "长春", "朝阳区"), ("220000", "220100", "220104")),
    (("", "南京", "鼓楼区"), ("320000", "320100", "320106")),
    (("福建", "福州", "鼓楼"), ("350000", "350100", "350102")),
    (("", "", "相城区"), ("320000", "320500", "320507")),
    (("", "", "渝中区"), ("500000", "500100", "500103")),
    (("", "", "Yuzhong"), None),  # 渝中 (Chongqing) and 榆中 (Lanzhou), see below
    # province-administered county-level units given as a district
    (("海南省", "", "澄迈县"), ("460000", "469023", None)),
    (("", "", "澄迈"), ("460000", "469023", None)),
    (("海南", "澄迈县", "澄迈县"), ("460000", "469023", None)),
    (("湖北", "", "仙桃市"), ("420000", "429004", None)),
    (("", "东莞市", "东莞市"), ("440000", "441900", None)),
    # a county called a district: the exact pinyin (上城区, Hangzhou) is not in the city given,
    # the name without its suffix is (商城县)
    (("Henan", "Xinyang City", "Shangcheng District"), ("410000", "411500", "411524")),
    (("Henan", "Xinyang", "Shangcheng County"), ("410000", "411500", "411524")),
    (("Zhejiang", "Hangzhou", "Shangcheng District"), ("330000", "330100", "330102")),
    # consistent redundancy
    (("广东省", "广东省深圳市", "南山区"), ("440000", "440300", "440305")),
]
RESOLVED = [(args, exp) for args, exp in RESOLVED if exp is not None]


@pytest.mark.parametrize(("args", "expected"), RESOLVED, ids=["|".join(a) for a, _ in RESOLVED])
def test_resolves(args: tuple[str, str, str], expected: tuple) -> None:
    r = resolve(*args)
    assert r.problem is None, r.problem
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == expected
    deepest = "district" if expected[2] else "city" if expected[1] else "province"
    assert r.level == deepest
    assert r.how in {"exact zh", "short zh", "english", "pinyin", "district unique"}
    assert r.field is None and r.candidates == () and r.suggestion is None


def test_variant_count() -> None:
    assert len(RESOLVED) + len(_shared_rows()) > 200


# --- how -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "how"),
    [
        (("广东省", "", ""), "exact zh"),
        (("广东", "", ""), "short zh"),
        (("Inner Mongolia", "", ""), "english"),
        (("", "Hohhot", ""), "english"),
        (("Guangdong", "", ""), "english"),
        (("Guangdong Sheng", "", ""), "pinyin"),
        (("Neimenggu", "", ""), "english"),
        (("", "Huhehaote", ""), "pinyin"),
        (("广东省", "深圳市", "南山区"), "exact zh"),
        (("", "", "海淀区"), "district unique"),
        (("北京", "", "海淀区"), "district unique"),
        (("", "", ""), ""),
    ],
)
def test_how(args: tuple[str, str, str], how: str) -> None:
    assert resolve(*args).how == how


def test_combined_flag() -> None:
    assert resolve("", "深圳市南山区", "").combined
    assert not resolve("广东省", "深圳市", "南山区").combined


# --- ambiguity: a problem with candidates, never a pick ------------------------
@pytest.mark.parametrize(
    ("args", "field", "candidates", "level"),
    [
        (("", "", "朝阳区"), "district", {"朝阳区 (北京市)", "朝阳区 (长春市)"}, None),
        (
            ("", "", "Chaoyang District"),
            "district",
            {"朝阳区 (北京市)", "朝阳区 (长春市)", "潮阳区 (汕头市)"},
            None,
        ),
        (("", "", "Huangpu"), "district", {"黄浦区 (上海市)", "黄埔区 (广州市)"}, None),
        (("", "", "Huangpu District"), "district", {"黄浦区 (上海市)", "黄埔区 (广州市)"}, None),
        (
            ("", "", "鼓楼区"),
            "district",
            {"鼓楼区 (南京市)", "鼓楼区 (徐州市)", "鼓楼区 (福州市)", "鼓楼区 (开封市)"},
            None,
        ),
        (("江苏", "", "鼓楼区"), "district", {"鼓楼区 (南京市)", "鼓楼区 (徐州市)"}, "province"),
        (("", "", "龙华区"), "district", {"龙华区 (深圳市)", "龙华区 (海口市)"}, None),
        (("", "", "Nanshan"), "district", {"南山区 (深圳市)", "南山区 (鹤岗市)"}, None),
        (("", "", "市中区"), "district", None, None),
        (("", "", "Yuzhong"), "district", {"渝中区 (重庆市)", "榆中县 (兰州市)"}, None),
        (("", "Fuzhou", ""), "city", {"福州市 (福建省)", "抚州市 (江西省)"}, None),
        (("", "Suzhou", ""), "city", {"苏州市 (江苏省)", "宿州市 (安徽省)"}, None),
        (("", "Taizhou", ""), "city", {"泰州市 (江苏省)", "台州市 (浙江省)"}, None),
        (("", "Yulin", ""), "city", {"玉林市 (广西壮族自治区)", "榆林市 (陕西省)"}, None),
        (("", "Yichun", ""), "city", {"伊春市 (黑龙江省)", "宜春市 (江西省)"}, None),
        (("", "朝阳", ""), "city", None, "city"),  # 朝阳市 is a city: not ambiguous
    ],
)
def test_ambiguous(args, field, candidates, level) -> None:
    r = resolve(*args)
    if level == "city":  # the control case
        assert r.problem is None and r.city_adcode == "211300"
        return
    assert r.problem and "ambiguous" in r.problem
    assert r.field == field
    assert r.level == level
    assert len(r.candidates) >= 2 and len(r.candidate_adcodes) == len(r.candidates)
    if candidates is not None:
        assert set(r.candidates) == candidates
    assert r.district_adcode is None
    if field == "city":
        assert r.city_adcode is None


def test_ambiguous_message_lists_candidates() -> None:
    r = resolve("", "", "朝阳区")
    assert "朝阳区 (北京市)" in r.problem and "朝阳区 (长春市)" in r.problem


# --- unknown names: problem + did-you-mean, never a resolution ---------------------
@pytest.mark.parametrize(
    ("args", "field", "suggestion", "keeps"),
    [
        (("Guangdong", "Guangzhuo", ""), "city", "Guangzhou", ("440000", None)),
        (("", "Shenzen", ""), "city", "Shenzhen", (None, None)),
        (("Guangdnog", "", ""), "province", "Guangdong", (None, None)),
        (("Zhejaing", "", ""), "province", "Zhejiang", (None, None)),
        (("Sichaun", "Chengdu", ""), "province", "Sichuan", (None, None)),
        (("", "Hohot", ""), "city", "Hohhot", (None, None)),
        (("广东省", "深圳市", "南山去"), "district", "南山区", ("440000", "440300")),
        (("广东省", "深证市", ""), "city", "深圳市", ("440000", None)),
        (("Atlantis", "", ""), "province", None, (None, None)),
        (("广东省", "", "Nowhere"), "district", None, ("440000", None)),
    ],
)
def test_unknown(args, field, suggestion, keeps) -> None:
    r = resolve(*args)
    assert r.problem and r.field == field
    assert r.suggestion == suggestion
    if suggestion:
        assert f"did you mean {suggestion}?" in r.problem
    assert (r.province_adcode, r.city_adcode) == keeps
    assert r.district_adcode is None


def test_development_zones_are_not_districts() -> None:
    r = resolve("四川省", "成都市", "成都高新区")
    assert (r.level, r.city_adcode, r.field) == ("city", "510100", "district")
    assert "development zone" in r.problem
    r = resolve("河北省", "", "雄安新区")
    assert (r.level, r.province_adcode, r.city_adcode) == ("province", "130000", None)


def test_name_of_another_level() -> None:
    r = resolve("", "", "Guangdong")
    assert r.field == "district" and "province" in r.problem and r.level is None


# --- inconsistency -------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "field", "level"),
    [
        (("广东省", "杭州市", ""), "city", "province"),
        (("Guangdong", "Beijing", ""), "city", "province"),
        (("浙江", "南京", "鼓楼区"), "city", "province"),
        (("广东省", "深圳市", "海淀区"), "district", "city"),
        (("", "广州", "朝阳区"), "district", "city"),
        (("上海", "", "海淀区"), "district", "city"),
        (("北京", "上海", ""), "city", "province"),
    ],
)
def test_outside_given_place(args, field, level) -> None:
    r = resolve(*args)
    assert r.problem and r.field == field
    assert "not in" in r.problem or "contradicts" in r.problem
    assert r.level == level
    assert r.district_adcode is None


def test_city_outside_province_names_both() -> None:
    r = resolve("广东省", "杭州市", "")
    assert "杭州市" in r.problem and "广东省" in r.problem
    assert r.province_adcode == "440000" and r.city_adcode is None


# --- empty and hostile input ---------------------------------------------------
@pytest.mark.parametrize("empty", [None, "", "   ", float("nan"), "\t\n"])
def test_empty(empty) -> None:
    r = resolve(empty, empty, empty)
    assert r == Resolution()
    assert r.level is None and r.problem is None


def test_pandas_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    assert resolve(pd.NA, None, math.nan).level is None
    assert resolve(pd.NA, "深圳", None).city_adcode == "440300"


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 100_000,
        "广东" * 5_000,
        '=HYPERLINK("http://evil","click")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "@SUM(A1)",
        "北京\x00市",
        "\x1b[31m广东\x1b[0m",
        "'; DROP TABLE places; --",
        "<script>alert(1)</script>",
        "🏙️🏙️🏙️",
        "\u202e东广",
        "省市区县",
        "市",
        "...",
        "1234567",
    ],
)
def test_hostile_strings_are_unknown(hostile: str) -> None:
    for args in ((hostile, "", ""), ("", hostile, ""), ("", "", hostile)):
        r = resolve(*args)
        assert r.problem is not None
        assert r.level is None
        assert len(r.problem) < 400


def test_non_string_input() -> None:
    assert resolve(440000, None, None).problem is not None  # a number is not a name
    assert resolve(b"x", None, None).problem is not None


def test_resolution_is_frozen() -> None:
    r = resolve("广东", "", "")
    with pytest.raises(AttributeError):
        r.level = "city"  # type: ignore[misc]


def test_speed() -> None:
    resolve("广东省", "深圳市", "南山区")  # build the index
    from geodata.resolver import _lookup, _lookup_all, _parse, _resolve, _resolve_raw

    for f in (_resolve, _resolve_raw, _lookup, _lookup_all, _parse):
        f.cache_clear()
    names = [(r["province_zh"], r["city_zh"], r["district_zh"]) for r in _shared_rows()]
    t = time.perf_counter()
    for args in names:
        resolve(*args)
    uncached = (time.perf_counter() - t) / len(names)
    t = time.perf_counter()
    for _ in range(20):
        for args in names:
            resolve(*args)
    cached = (time.perf_counter() - t) / (20 * len(names))
    assert uncached < 0.005
    assert cached < 0.0001


# --- round trips over the whole gazetteer ------------------------------------------------------
def test_every_official_name_round_trips() -> None:
    from geodata.gazetteer import load_gazetteer

    g = load_gazetteer()
    names = {(a, lvl): n for a, lvl, n in zip(g["adcode"], g["level"], g["name_zh"], strict=True)}
    failures = []
    for row in g.itertuples():
        prov = names[(row.province_adcode, "province")]
        if row.level == "province":
            args, want = (row.name_zh, None, None), row.adcode
        elif row.level == "city":
            args, want = (prov, row.name_zh, None), row.adcode
        else:
            args, want = (prov, names[(row.parent_adcode, "city")], row.name_zh), row.adcode
        r = resolve(*args)
        got = {"province": r.province_adcode, "city": r.city_adcode, "district": r.district_adcode}
        if r.problem or got[row.level] != want:
            failures.append((args, r.problem))
    assert failures == []


def test_every_city_resolves_in_english_within_its_province() -> None:
    from geodata.gazetteer import load_gazetteer

    g = load_gazetteer()
    provs = g[g["level"] == "province"]
    prov_en = dict(zip(provs["adcode"], provs["name_en"], strict=True))
    cities = g[g["level"] == "city"]
    rows = zip(cities["adcode"], cities["province_adcode"], cities["name_en"], strict=True)
    for adcode, prov, en in rows:
        for city in (en, en.upper(), f"{en} City"):
            r = resolve(prov_en[prov], city, None)
            assert r.problem is None and r.city_adcode == adcode, (prov_en[prov], city, r.problem)


def test_random_junk_keeps_invariants() -> None:
    import random

    from geodata.gazetteer import load_gazetteer

    g = load_gazetteer()
    bits = list(g["short_zh"].sample(200, random_state=1)) + list(
        g["name_en"].sample(200, random_state=2)
    )
    bits += ["省", "市", "区", " ", "City", "District", "\x00", "=", "，", "·", "'", "-"]
    rng = random.Random(7)
    for _ in range(2000):
        args = tuple("".join(rng.choice(bits) for _ in range(rng.randint(0, 4))) for _ in range(3))
        r = resolve(*args)
        assert r.level in (None, "province", "city", "district")
        if r.district_adcode:
            assert r.city_adcode and r.province_adcode
        if r.city_adcode:
            assert r.province_adcode
        assert bool(r.candidates) <= bool(r.problem)
        assert bool(r.suggestion) <= bool(r.problem)
        if r.problem is None and any(a.strip() for a in args):
            assert r.level is not None


# --- issue 12: suffixes that make another place, combined strings, traditional, pinyin ------------
@pytest.mark.parametrize(
    ("args", "city"),
    [
        (("河北", "秦皇岛", "北戴河新区"), "130300"),  # not 北戴河区
        (("青海", "西宁", "城东新区"), "630100"),  # not 城东区
        (("黑龙江", "哈尔滨", "平房地区"), "230100"),  # not 平房区
    ],
)
def test_no_suffix_strip_that_makes_another_place(args, city) -> None:
    r = resolve(*args)
    assert r.district_adcode is None and r.city_adcode == city
    assert r.field == "district" and repr(args[2]) in r.problem


def test_old_prefecture_name_still_reads_at_city_level() -> None:
    assert resolve("", "吐鲁番地区", "").city_adcode == "650400"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("北京市朝阳区", ("110000", "110100", "110105")),
        ("山东省青岛市市北区", ("370000", "370200", "370203")),
        ("青岛市市南区", ("370000", "370200", "370202")),
        ("海南藏族自治州共和县", ("630000", "632500", "632521")),
        ("内蒙古自治区鄂伦春自治旗", ("150000", "150700", "150723")),
        ("廣東省深圳市南山區", ("440000", "440300", "440305")),
    ],
)
def test_combined_strings_people_write(value, expected) -> None:
    r = resolve(value, "", "")
    assert r.problem is None, r.problem
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == expected


def test_zone_inside_a_combined_string_keeps_province_and_city() -> None:
    r = resolve("贵州省贵阳市贵阳国家高新技术产业开发区", "", "")
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == ("520000", "520100", None)
    assert r.zone and "贵阳国家高新技术产业开发区" in r.problem


def test_city_districts_placeholder() -> None:
    assert resolve("北京市", "市辖区", "").city_adcode == "110100"
    assert resolve("北京市市辖区", "", "").problem is None
    r = resolve("广东", "深圳", "市辖区")
    assert (r.city_adcode, r.district_adcode, r.zone) == ("440300", None, True)


@pytest.mark.parametrize(
    ("value", "deepest"),
    [
        ("北京市朝阳区", "110105"),
        ("东乡族自治县", "622926"),
        ("吉林", "220000"),
        ("吉林市", "220200"),
        ("海淀", "110108"),
        ("Guangdong Shenzhen", "440300"),
        ("廣東省", "440000"),
    ],
)
def test_single_place_column(value, deepest) -> None:
    from geodata.resolver import resolve_place

    r = resolve_place(value)
    assert r.problem is None and _deepest(r) == deepest


def test_traditional_names() -> None:
    assert resolve("廣東省", "", "").province_adcode == "440000"
    assert resolve("臺灣", "", "").province_adcode == "710000"
    assert resolve("", "", "乾县").district_adcode == "610424"  # simplified name kept as written


def test_pinyin_by_syllables_is_ambiguous() -> None:
    r = resolve("ShanXi", "", "")
    assert r.level is None and "ambiguous" in r.problem
    assert set(r.candidate_adcodes) == {"140000", "610000"}
    assert resolve("ShanXi", "Taiyuan", "").province_adcode == "140000"
    assert resolve("ShanXi", "Xi'an", "").province_adcode == "610000"
    assert resolve("Shanxi", "", "").province_adcode == "140000"  # the official English name


@pytest.mark.parametrize(
    ("value", "city"),
    [("湖南省长沙市", "430100"), ("辽宁省朝阳市", "211300"), ("江西省南昌市", "360100")],
)
def test_combined_city_is_not_read_as_its_namesake_county(value, city) -> None:
    # 长沙市 is the city, not 长沙县 by its short name (the better-matched reading wins)
    r = resolve(value, "", "")
    assert (r.level, r.city_adcode, r.problem) == ("city", city, None)


# --- issue 20 item 4: places as people write them ------------------------------
@pytest.mark.parametrize(
    ("args", "expected", "level"),
    [
        (("Guangdong", "All", ""), ("440000", None, None), "province"),
        (("广东省", "全省", ""), ("440000", None, None), "province"),
        (("广东省", "省本级", ""), ("440000", None, None), "province"),
        (("湖南省", "省直", ""), ("430000", None, None), "province"),
        (("Sichuan", "ALL", ""), ("510000", None, None), "province"),
        (("Sichuan", "whole province", ""), ("510000", None, None), "province"),
        (("Sichuan", "Province-wide", ""), ("510000", None, None), "province"),
        (("广东省", "深圳市", "全市"), ("440000", "440300", None), "city"),
        (("广东省", "深圳市", "All"), ("440000", "440300", None), "city"),
        (("北京市", "全市", ""), ("110000", "110100", None), "city"),
    ],
)
def test_whole_province_markers(args, expected, level) -> None:
    r = resolve(*args)
    assert r.problem is None, r.problem
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == expected
    assert r.level == level


def test_whole_marker_without_a_province_is_a_problem() -> None:
    r = resolve("", "All", "")
    assert r.problem and r.field == "city" and "whole" in r.problem and r.level is None


def test_an_extra_marker_the_user_chose() -> None:
    from geodata.resolver import is_whole_marker

    assert is_whole_marker(" ALL ") and is_whole_marker("全省") and not is_whole_marker("Allen")
    assert is_whole_marker("Statewide", extra="statewide") and not is_whole_marker("Statewide")


@pytest.mark.parametrize(
    ("args", "city"),
    [
        (("", "Enshi Tujia and Miao Autonomous Prefecture", ""), "422800"),
        (("Sichuan", "Ngawa Tibetan and Qiang Autonomous Prefecture", ""), "513200"),
        (("Guizhou", "Qiandongnan Miao and Dong", ""), "522600"),
        (("Gansu", "Gannan Tibetan", ""), "623000"),
        (("Nei Mongol", "Ulaan Chab", ""), "150900"),
        (("Xinjiang Uygur", "Turfan", ""), "650400"),
        (("Qinghai", "Hainan Zangzu Zizhizhou", ""), "632500"),
        (("", "Haixi Mongol and Tibetan Autonomous Prefecture", ""), "632800"),
        (("Hubei", "Xiangfan", ""), "420600"),
    ],
)
def test_english_names_with_ethnic_qualifiers(args, city) -> None:
    r = resolve(*args)
    assert r.problem is None, r.problem
    assert (r.city_adcode, r.level) == (city, "city")


@pytest.mark.parametrize(
    ("name", "province"),
    [("Nei Mongol", "150000"), ("Xinjiang Uygur", "650000"), ("Nei Mongol Zizhiqu", "150000"),
     ("Ningxia Huizi Zizhiqu", "640000"), ("Shanxi Sheng", "140000"), ("Shaanxi Sheng", "610000")],
)  # fmt: skip
def test_province_names_as_gis_and_iso_write_them(name, province) -> None:
    r = resolve(name)
    assert r.problem is None and r.province_adcode == province


def test_a_suffix_naming_another_level_never_matches_there() -> None:
    r = resolve_place("Hainan Tibetan Autonomous Prefecture")  # not 海南省
    assert (r.province_adcode, r.city_adcode, r.problem) == ("630000", "632500", None)
    r = resolve("Hainan Tibetan Autonomous Prefecture")
    assert r.province_adcode is None and r.problem and "city-level" in r.problem
    r = resolve_place("Henan Sheng")  # not 河南蒙古族自治县 (Qinghai)
    assert (r.province_adcode, r.level) == ("410000", "province")


def test_an_ethnic_qualifier_only_matches_autonomous_units() -> None:
    r = resolve("", "", "Gannan Tibetan")  # 甘南县 (Heilongjiang) is not autonomous
    assert r.district_adcode is None and r.problem


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (("Henan", "Dengzhou", ""), ("410000", "411300", "411381")),
        (("河南省", "邓州市", ""), ("410000", "411300", "411381")),
        (("", "Dengzhou City", ""), ("410000", "411300", "411381")),
        (("Jilin", "Chaoyang", ""), ("220000", "220100", "220104")),
    ],
)
def test_county_level_city_in_the_city_column(args, codes) -> None:
    r = resolve(*args)
    assert r.problem is None and r.ok
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == codes
    assert r.level == "district"
    assert r.note and "district level" in r.note and args[1] in r.note


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (("Beijing", "Haidian", ""), ("110000", "110100", "110108")),
        (("北京", "朝阳", ""), ("110000", "110100", "110105")),  # not 朝阳市 (Liaoning)
        (("Shanghai", "Pudong New Area", ""), ("310000", "310100", "310115")),
        (("重庆市", "万州区", ""), ("500000", "500100", "500101")),
        (("", "海淀区", ""), ("110000", "110100", "110108")),
    ],
)
def test_a_district_in_a_municipality_city_column(args, codes) -> None:
    r = resolve(*args)
    assert r.problem is None and r.note is None
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == codes


@pytest.mark.parametrize(
    ("args", "region"),
    [
        (("台北市", "", ""), "710000"),
        (("", "台北市", ""), "710000"),
        (("", "臺北市", ""), "710000"),
        (("Taiwan", "Taipei", ""), "710000"),
        (("台湾省", "高雄", ""), "710000"),
        (("", "Kaohsiung", ""), "710000"),
        (("Hong Kong", "Kowloon", ""), "810000"),
        (("", "New Territories", ""), "810000"),
        (("Macao", "Macau Peninsula", ""), "820000"),
        (("Taiwan", "Taoyuan", ""), "710000"),
    ],
)
def test_taiwan_hong_kong_macao_names(args, region) -> None:
    r = resolve(*args)
    assert r.problem is None and r.suggestion is None
    assert (r.province_adcode, r.city_adcode, r.district_adcode) == (region, region, None)
    assert r.note and "as a whole" in r.note


def test_taipei_is_no_longer_beijing() -> None:
    r = resolve_place("台北市")
    assert r.province_adcode == "710000" and r.suggestion is None and "北京" not in (r.note or "")


@pytest.mark.parametrize(
    ("args", "candidates"),
    [
        (("", "Taoyuan", ""), {"台湾省", "桃源县 (常德市)"}),  # Taiwan's city or Hunan's county
        (("", "Yilan", ""), {"台湾省", "依兰县 (哈尔滨市)"}),
        (("", "Suzhou", ""), {"苏州市 (江苏省)", "宿州市 (安徽省)"}),  # not 肃州区
        (("Jiangsu", "Gulou", ""), {"鼓楼区 (南京市)", "鼓楼区 (徐州市)"}),
    ],
)
def test_still_never_a_guess(args, candidates) -> None:
    r = resolve(*args)
    assert r.problem and "ambiguous" in r.problem and r.field == "city"
    assert set(r.candidates) == candidates
    assert len(r.candidate_adcodes) == len(r.candidates)
    assert r.district_adcode is None and r.city_adcode is None


def test_a_taiwan_name_under_another_province_is_a_problem() -> None:
    r = resolve("Guangdong", "Taipei", "")
    assert r.problem and r.province_adcode == "440000" and r.city_adcode is None
