"""The gazetteer table (geodata/gazetteer.csv) and its lookups."""

from __future__ import annotations

import pytest

from geodata import gazetteer as gz
from geodata.gazetteer import load_gazetteer
from geodata.names_en import EXCEPTIONS, english_name, pinyin_plain, short_zh

COLUMNS = [
    "adcode",
    "level",
    "parent_adcode",
    "province_adcode",
    "name_zh",
    "short_zh",
    "name_en",
    "pinyin",
    "lon",
    "lat",
    "self_district",
    "pinyin_full",
]


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def test_columns_and_types(g) -> None:
    assert list(g.columns) == COLUMNS
    assert g["adcode"].map(lambda a: isinstance(a, str) and len(a) == 6 and a.isdigit()).all()
    assert g["province_adcode"].str.fullmatch(r"\d{4}00").all()
    assert not g[["adcode", "level"]].duplicated().any()
    assert g["level"].isin(["province", "city", "district"]).all()
    assert g["name_zh"].str.len().gt(0).all() and g["name_en"].str.len().gt(0).all()
    assert g["pinyin"].str.fullmatch(r"[a-z]+").all()
    assert g["pinyin_full"].str.fullmatch(r"[a-z]+").all()


def test_sorted_deterministically(g) -> None:
    order = {"province": 0, "city": 1, "district": 2}
    keys = list(zip(g["adcode"], g["level"].map(order), strict=True))
    assert keys == sorted(keys)


def test_counts(g) -> None:
    counts = g["level"].value_counts().to_dict()
    assert counts == {"province": 34, "city": 370, "district": 2840}


def test_only_three_adcodes_repeat(g) -> None:
    dup = g[g["adcode"].duplicated(keep=False)]
    assert set(dup["adcode"]) == {"710000", "810000", "820000"}
    assert set(dup["level"]) == {"province", "city"}


def test_parents(g) -> None:
    cities = g[g["level"] == "city"]
    provinces = set(g.loc[g["level"] == "province", "adcode"])
    assert g.loc[g["level"] == "province", "parent_adcode"].isna().all()
    assert set(cities["parent_adcode"]) == provinces
    assert (cities["parent_adcode"] == cities["province_adcode"]).all()
    city_codes = set(cities["adcode"])
    districts = g[g["level"] == "district"]
    assert districts["parent_adcode"].isin(city_codes).all()
    # a district's province is its city's province
    prov_of_city = dict(zip(cities["adcode"], cities["province_adcode"], strict=True))
    assert (districts["parent_adcode"].map(prov_of_city) == districts["province_adcode"]).all()
    # every district adcode shares its province's first two digits
    assert (districts["adcode"].str[:2] == districts["province_adcode"].str[:2]).all()


def test_every_province_has_a_city(g) -> None:
    cities = g[g["level"] == "city"]
    assert set(cities["province_adcode"]) == set(g.loc[g["level"] == "province", "adcode"])


@pytest.mark.parametrize(
    ("prov", "city"),
    [("110000", "110100"), ("120000", "120100"), ("310000", "310100"), ("500000", "500100")],
)
def test_municipalities(g, prov: str, city: str) -> None:
    row = g[(g["adcode"] == city) & (g["level"] == "city")].iloc[0]
    assert row["parent_adcode"] == prov
    assert row["name_zh"] == g[(g["adcode"] == prov)].iloc[0]["name_zh"]
    districts = g[(g["level"] == "district") & (g["province_adcode"] == prov)]
    assert len(districts) >= 10
    assert (districts["parent_adcode"] == city).all()
    assert not ((g["adcode"] == prov) & (g["level"] == "city")).any()


def test_chongqing_renumbered(g) -> None:
    assert g[g["adcode"] == "500000"]["level"].tolist() == ["province"]
    assert g[g["adcode"] == "500100"]["level"].tolist() == ["city"]
    assert g[g["name_zh"] == "忠县"]["parent_adcode"].tolist() == ["500100"]


def test_haidian(g) -> None:
    row = g[g["adcode"] == "110108"].iloc[0]
    assert (row["name_zh"], row["level"], row["parent_adcode"]) == ("海淀区", "district", "110100")
    assert row["name_en"] == "Haidian"


@pytest.mark.parametrize("adcode", ["810000", "820000", "710000"])
def test_hk_macau_taiwan_are_their_own_city(g, adcode: str) -> None:
    rows = g[g["adcode"] == adcode].set_index("level")
    assert rows.loc["city", "parent_adcode"] == adcode
    assert rows.loc["city", "name_en"] == rows.loc["province", "name_en"]


@pytest.mark.parametrize(
    ("name", "adcode"),
    [
        ("澄迈县", "469023"),
        ("琼海市", "469002"),
        ("济源市", "419001"),
        ("仙桃市", "429004"),
        ("潜江市", "429005"),
        ("天门市", "429006"),
        ("神农架林区", "429021"),
        ("石河子市", "659001"),
        ("东莞市", "441900"),
        ("三沙市", "460300"),
    ],
)
def test_province_administered_units_are_cities(g, name: str, adcode: str) -> None:
    rows = g[g["adcode"] == adcode]
    assert rows["level"].tolist() == ["city"]
    assert rows["name_zh"].tolist() == [name]


def test_centroids_in_china(g) -> None:
    assert g["lon"].between(73, 136).all() and g["lat"].between(3, 54).all()
    shenzhen = g[(g["adcode"] == "440300")].iloc[0]
    assert 113.7 < shenzhen["lon"] < 114.6 and 22.4 < shenzhen["lat"] < 22.9
    assert (g["lon"].round(4) == g["lon"]).all()


@pytest.mark.parametrize(
    ("adcode", "level", "short", "en"),
    [
        ("440000", "province", "广东", "Guangdong"),
        ("150000", "province", "内蒙古", "Inner Mongolia"),
        ("540000", "province", "西藏", "Tibet"),
        ("610000", "province", "陕西", "Shaanxi"),
        ("140000", "province", "山西", "Shanxi"),
        ("450000", "province", "广西", "Guangxi"),
        ("640000", "province", "宁夏", "Ningxia"),
        ("650000", "province", "新疆", "Xinjiang"),
        ("810000", "province", "香港", "Hong Kong"),
        ("820000", "province", "澳门", "Macau"),
        ("710000", "province", "台湾", "Taiwan"),
        ("110000", "province", "北京", "Beijing"),
        ("500000", "province", "重庆", "Chongqing"),
        ("440300", "city", "深圳", "Shenzhen"),
        ("130700", "city", "张家口", "Zhangjiakou"),
        ("150100", "city", "呼和浩特", "Hohhot"),
        ("650100", "city", "乌鲁木齐", "Urumqi"),
        ("540100", "city", "拉萨", "Lhasa"),
        ("653100", "city", "喀什", "Kashgar"),
        ("230100", "city", "哈尔滨", "Harbin"),
        ("150700", "city", "呼伦贝尔", "Hulunbuir"),
        ("652300", "city", "昌吉", "Changji"),
        ("654000", "city", "伊犁", "Ili"),
        ("540200", "city", "日喀则", "Shigatse"),
        ("513200", "city", "阿坝", "Ngawa"),
        ("532800", "city", "西双版纳", "Xishuangbanna"),
        ("430100", "city", "长沙", "Changsha"),
        ("220100", "city", "长春", "Changchun"),
        ("350200", "city", "厦门", "Xiamen"),
        ("341500", "city", "六安", "Lu'an"),
        ("340300", "city", "蚌埠", "Bengbu"),
        ("331100", "city", "丽水", "Lishui"),
        ("140400", "city", "长治", "Changzhi"),
        ("411100", "city", "漯河", "Luohe"),
        ("610100", "city", "西安", "Xi'an"),
        ("429021", "city", "神农架", "Shennongjia"),
        ("440305", "district", "南山", "Nanshan"),
        ("440112", "district", "黄埔", "Huangpu"),
        ("310101", "district", "黄浦", "Huangpu"),
        ("440114", "district", "花都", "Huadu"),
        ("440113", "district", "番禺", "Panyu"),
        ("310112", "district", "闵行", "Minhang"),
        ("500233", "district", "忠县", "Zhongxian"),
        ("341621", "district", "涡阳", "Guoyang"),
        ("810002", "district", "湾仔", "Wan Chai"),
    ],
)
def test_names(g, adcode: str, level: str, short: str, en: str) -> None:
    row = g[(g["adcode"] == adcode) & (g["level"] == level)].iloc[0]
    assert (row["short_zh"], row["name_en"]) == (short, en)


def test_exceptions_all_used(g) -> None:
    names = set(zip(g["level"], g["name_zh"], strict=True))
    for key in EXCEPTIONS:
        if isinstance(key, tuple):
            assert key in names, key
        else:
            assert key in set(g["adcode"]), key


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("广西壮族自治区", "province", "广西"),
        ("新疆维吾尔自治区", "province", "新疆"),
        ("香港特别行政区", "province", "香港"),
        ("巴音郭楞蒙古自治州", "city", "巴音郭楞"),
        ("海西蒙古族藏族自治州", "city", "海西"),
        ("黔东南苗族侗族自治州", "city", "黔东南"),
        ("克孜勒苏柯尔克孜自治州", "city", "克孜勒苏"),
        ("锡林郭勒盟", "city", "锡林郭勒"),
        ("大兴安岭地区", "city", "大兴安岭"),
        ("浦东新区", "district", "浦东"),
        ("城区", "district", "城区"),
        ("石柱土家族自治县", "district", "石柱"),
        ("苏州市", "city", "苏州"),
    ],
)
def test_short_zh(name: str, level: str, short: str) -> None:
    assert short_zh(name, level) == short


def test_pinyin_helpers() -> None:
    assert pinyin_plain("张家口") == "zhangjiakou"
    assert english_name("长子县", "district") == "Zhangzi"  # the one 长 read zhǎng
    assert english_name("吕梁市", "city") == "Lüliang"


def test_lookups() -> None:
    assert gz.name_of("440000") == "广东省"
    assert gz.name_of("440000", "en") == "Guangdong"
    assert gz.name_of("440000", short=True) == "广东"
    assert gz.name_of("440300", "en") == "Shenzhen"
    assert gz.name_of("999999") is None and gz.name_of(None) is None
    assert gz.province_of("440305") == "440000"
    assert gz.city_of("440305") == "440300"
    assert gz.city_of("110108") == "110100"
    assert gz.city_of("110000") == "110100"
    assert gz.city_of("810000") == "810000"
    assert gz.city_of("440000") is None
    assert gz.level_of("440300") == "city"
    assert "440300" in gz.children("440000")
    assert "440305" in gz.children("440300")
    assert gz.children("110000") == ("110100",)
    assert len(gz.provinces()) == 34
    assert len(gz.cities("440000")) == 21
    assert len(gz.districts("110100")) == 16
    assert gz.row("810000", "city")["level"] == "city"


def test_is_province_is_the_one_rule_for_a_provincial_code():
    from geodata.gazetteer import is_province, province_code

    assert is_province("440000") and is_province("810000")
    assert not is_province("440300") and not is_province("110100")
    assert province_code("440305") == "440000"
    # the rule agrees with the gazetteer: every province listed is one, no city-level unit is
    assert all(is_province(a) for a in gz.provinces()["adcode"])
    both = {"810000", "820000", "710000"}  # a province and its own city-level unit
    assert not any(is_province(a) for a in gz.cities()["adcode"] if a not in both)
