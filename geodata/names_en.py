"""Names of places: short Chinese names, plain pinyin and English names.

English names are derived from the short Chinese name with pypinyin (广东省 ->
Guangdong, 深圳市 -> Shenzhen, 南山区 -> Nanshan), written as one word with the
pinyin apostrophe (Xi'an, Lu'an). Only the official spellings that are *not*
plain pinyin are tabled here (:data:`EXCEPTIONS`): Inner Mongolia, Tibet,
Shaanxi, Hong Kong, Hohhot, Urumqi, Lhasa, ... and the Hong Kong / Macau
districts, whose official names are Cantonese or Portuguese. Place names whose
characters pypinyin reads wrongly (长治 is Changzhi, not Zhangzhi) are fixed by
registering phrases with pypinyin (:data:`PHRASES`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# --- pypinyin phrase fixes: place-name readings pypinyin gets wrong (checked by tests) --------
PHRASES: dict[str, list[list[str]]] = {
    "长治": [["cháng"], ["zhì"]],
    "朝阳": [["cháo"], ["yáng"]],
    "南乐": [["nán"], ["lè"]],
    "郫都": [["pí"], ["dū"]],
    "曾都": [["zēng"], ["dū"]],
    "单县": [["shàn"], ["xiàn"]],
    "乐陵": [["lào"], ["líng"]],
    "珲春": [["hún"], ["chūn"]],
    "六合": [["lù"], ["hé"]],
    "筠连": [["jūn"], ["lián"]],
    "长安": [["cháng"], ["ān"]],
    "大冶": [["dà"], ["yě"]],
    "芒市": [["máng"], ["shì"]],
    "厦门": [["xià"], ["mén"]],
    "重庆": [["chóng"], ["qìng"]],
    "蚌埠": [["bèng"], ["bù"]],
    "六安": [["lù"], ["ān"]],
    "丽水": [["lí"], ["shuǐ"]],
    "涡阳": [["guō"], ["yáng"]],
    "蔚县": [["yù"], ["xiàn"]],
    "番禺": [["pān"], ["yú"]],
    "铅山": [["yán"], ["shān"]],
    "乐亭": [["lào"], ["tíng"]],
    "莘县": [["shēn"], ["xiàn"]],
    "大埔": [["dà"], ["bù"]],
    "黄埔": [["huáng"], ["pǔ"]],
    "东阿": [["dōng"], ["ē"]],
    "浚县": [["xùn"], ["xiàn"]],
    "都安": [["dū"], ["ān"]],
    "会昌": [["huì"], ["chāng"]],
    "长乐": [["cháng"], ["lè"]],
    "乐清": [["yuè"], ["qīng"]],
    "乐都": [["lè"], ["dū"]],
    "洪洞": [["hóng"], ["tóng"]],
    "尉犁": [["yù"], ["lí"]],
    "沈丘": [["shěn"], ["qiū"]],
    "相城": [["xiàng"], ["chéng"]],
    "台州": [["tāi"], ["zhōu"]],
    "天台": [["tiān"], ["tāi"]],
    "车城": [["chē"], ["chéng"]],
    "柏乡": [["bǎi"], ["xiāng"]],
    "繁峙": [["fán"], ["shì"]],
    "枞阳": [["zōng"], ["yáng"]],
    "茌平": [["chí"], ["píng"]],
    "阆中": [["làng"], ["zhōng"]],
    "阆": [["làng"]],
    "綦江": [["qí"], ["jiāng"]],
    "漯河": [["luò"], ["hé"]],
    "闵行": [["mǐn"], ["háng"]],
    "马尾": [["mǎ"], ["wěi"]],
    "民乐": [["mín"], ["lè"]],
    "覃塘": [["qín"], ["táng"]],
    "龙圩": [["lóng"], ["xū"]],
    "浪卡子": [["làng"], ["kǎ"], ["zǐ"]],
    "长子": [["zhǎng"], ["zǐ"]],
}
# Characters read one way in every place name here (都 is dū in 花都, 宁都, 都匀; 什 is shí in 什邡,
# 克什克腾; 长 is cháng except in 长子县, which :data:`CHAR_EXCEPT` keeps).
CHAR_READING = {"都": "du", "什": "shi", "长": "chang"}
CHAR_EXCEPT = ("长子",)


@cache
def _pinyin():
    """pypinyin with the phrase fixes, imported on first use: building the gazetteer needs it,
    resolving names does not (the gazetteer stores the pinyin), so the app starts without it."""
    import pypinyin

    pypinyin.load_phrases_dict(PHRASES)
    return pypinyin


# --- official English names that are not plain pinyin -----------------------------------------
# key: (level, name_zh), or an adcode for names that repeat
# (Hong Kong's 东区 vs Panzhihua's 东区)
# value: (English name, aliases accepted by the resolver)
EXCEPTIONS: dict[tuple[str, str] | str, tuple[str, tuple[str, ...]]] = {
    # provinces
    ("province", "内蒙古自治区"): ("Inner Mongolia", ("Nei Mongol", "Neimenggu", "Nei Menggu")),
    ("province", "西藏自治区"): ("Tibet", ("Xizang",)),
    ("province", "陕西省"): ("Shaanxi", ()),
    ("province", "山西省"): ("Shanxi", ()),
    ("province", "广西壮族自治区"): ("Guangxi", ("Guangxi Zhuang",)),
    ("province", "宁夏回族自治区"): ("Ningxia", ("Ningxia Hui", "Ningxia Huizu", "Ningxia Huizi")),
    ("province", "新疆维吾尔自治区"): ("Xinjiang", ("Xinjiang Uygur", "Xinjiang Uyghur")),
    ("province", "香港特别行政区"): ("Hong Kong", ("Xianggang", "HK", "HKSAR")),
    ("province", "澳门特别行政区"): ("Macau", ("Macao", "Aomen", "MSAR")),
    ("province", "台湾省"): ("Taiwan", ()),
    ("province", "北京市"): ("Beijing", ("Peking",)),
    # city-level units with official non-pinyin spellings
    ("city", "香港特别行政区"): ("Hong Kong", ("Xianggang", "HK", "HKSAR")),
    ("city", "澳门特别行政区"): ("Macau", ("Macao", "Aomen", "MSAR")),
    ("city", "台湾省"): ("Taiwan", ()),
    ("city", "呼和浩特市"): ("Hohhot", ()),
    ("city", "呼伦贝尔市"): ("Hulunbuir", ()),
    ("city", "巴彦淖尔市"): ("Bayannur", ()),
    ("city", "乌兰察布市"): ("Ulanqab", ("Ulaan Chab", "Ulanchab")),
    ("city", "鄂尔多斯市"): ("Ordos", ()),
    ("city", "锡林郭勒盟"): ("Xilingol", ()),
    ("city", "兴安盟"): ("Hinggan", ()),
    ("city", "阿拉善盟"): ("Alxa", ()),
    ("city", "乌鲁木齐市"): ("Urumqi", ()),
    ("city", "克拉玛依市"): ("Karamay", ()),
    ("city", "吐鲁番市"): ("Turpan", ("Turfan",)),
    ("city", "哈密市"): ("Hami", ("Kumul",)),
    ("city", "和田地区"): ("Hotan", ("Khotan",)),
    ("city", "阿克苏地区"): ("Aksu", ()),
    ("city", "喀什地区"): ("Kashgar", ("Kashi",)),
    ("city", "阿勒泰地区"): ("Altay", ()),
    ("city", "塔城地区"): ("Tacheng", ("Qoqek", "Tarbagatay")),
    ("city", "伊犁哈萨克自治州"): ("Ili", ("Yili",)),
    ("city", "博尔塔拉蒙古自治州"): ("Bortala", ()),
    ("city", "克孜勒苏柯尔克孜自治州"): ("Kizilsu", ()),
    ("city", "巴音郭楞蒙古自治州"): ("Bayingolin", ("Bayin'gholin", "Bayingholin")),
    ("city", "昌吉回族自治州"): ("Changji", ()),
    ("city", "阿拉尔市"): ("Aral", ()),
    ("city", "图木舒克市"): ("Tumxuk", ()),
    ("city", "可克达拉市"): ("Kokdala", ()),
    ("city", "拉萨市"): ("Lhasa", ()),
    ("city", "日喀则市"): ("Shigatse", ("Xigaze",)),
    ("city", "林芝市"): ("Nyingchi", ("Nyingtri",)),
    ("city", "昌都市"): ("Qamdo", ("Chamdo",)),
    ("city", "那曲市"): ("Nagqu", ("Nagchu",)),
    ("city", "阿里地区"): ("Ngari", ()),
    ("city", "山南市"): ("Shannan", ("Lhoka",)),
    ("city", "果洛藏族自治州"): ("Golog", ()),
    ("city", "玉树藏族自治州"): ("Yushu", ("Gyegu",)),
    ("city", "海西蒙古族藏族自治州"): ("Haixi", ()),
    ("city", "甘孜藏族自治州"): ("Garze", ()),
    ("city", "阿坝藏族羌族自治州"): ("Ngawa", ("Aba",)),
    ("city", "西双版纳傣族自治州"): ("Xishuangbanna", ()),
    ("city", "德宏傣族景颇族自治州"): ("Dehong", ()),
    ("city", "迪庆藏族自治州"): ("Diqing", ("Deqen",)),
    ("city", "哈尔滨市"): ("Harbin", ()),
    ("city", "齐齐哈尔市"): ("Qiqihar", ()),
    ("city", "大兴安岭地区"): ("Da Hinggan Ling", ("Daxing'anling", "Greater Khingan")),
    # renamed prefecture-level cities, still written with their former names
    ("city", "襄阳市"): ("Xiangyang", ("Xiangfan",)),
    ("city", "普洱市"): ("Pu'er", ("Simao",)),
    # county-level cities named like their prefecture
    ("district", "阿克苏市"): ("Aksu", ()),
    ("district", "喀什市"): ("Kashgar", ("Kashi",)),
    ("district", "和田市"): ("Hotan", ()),
    ("district", "阿勒泰市"): ("Altay", ()),
    ("district", "塔什库尔干塔吉克自治县"): ("Taxkorgan", ()),
    # cnmaps' "directly administered" area of Haixi (大柴旦, 冷湖, 茫崖 administrative committees)
    "632825": ("Haixi (directly administered)", ()),
    # Hong Kong districts (official English names are Cantonese)
    "810001": ("Central and Western", ()),
    "810002": ("Wan Chai", ()),
    "810003": ("Eastern", ()),
    "810004": ("Southern", ()),
    "810005": ("Yau Tsim Mong", ()),
    "810006": ("Sham Shui Po", ()),
    "810007": ("Kowloon City", ()),
    "810008": ("Wong Tai Sin", ()),
    "810009": ("Kwun Tong", ()),
    "810010": ("Tsuen Wan", ()),
    "810011": ("Tuen Mun", ()),
    "810012": ("Yuen Long", ()),
    "810013": ("North", ()),
    "810014": ("Tai Po", ()),
    "810015": ("Sai Kung", ()),
    "810016": ("Sha Tin", ()),
    "810017": ("Kwai Tsing", ()),
    "810018": ("Islands", ()),
    # Macau parishes (Portuguese)
    "820001": ("Nossa Senhora de Fátima", ()),
    "820002": ("Santo António", ()),
    "820003": ("São Lázaro", ()),
    "820004": ("Sé", ()),
    "820005": ("São Lourenço", ()),
    "820006": ("Nossa Senhora do Carmo", ("Taipa",)),
    "820007": ("Cotai", ()),
    "820008": ("São Francisco Xavier", ("Coloane",)),
}

# --- Taiwan, Hong Kong and Macao: names the map has no unit for -----------------------------
# The gazetteer has Taiwan as one unit (710000) and Hong Kong / Macao with their districts; their
# cities and regions as people write them (台北市, Taipei, Kowloon, New Territories) are placed at
# that unit with a note. Kinmen (金门县) and Lienchiang (连江县) are left out: the gazetteer lists
# 金门县 under 泉州市 and 连江县 is also a county of 福州市.
SPECIAL_REGION_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "台北市": ("710000", ("Taipei", "Taibei")),
    "新北市": ("710000", ("New Taipei", "Xinbei")),
    "桃园市": ("710000", ("Taoyuan",)),
    "台中市": ("710000", ("Taichung", "Taizhong")),
    "台南市": ("710000", ("Tainan",)),
    "高雄市": ("710000", ("Kaohsiung", "Gaoxiong")),
    "基隆市": ("710000", ("Keelung", "Jilong")),
    "新竹市": ("710000", ("Hsinchu", "Xinzhu")),
    "嘉义市": ("710000", ("Chiayi", "Jiayi")),
    "新竹县": ("710000", ("Hsinchu County",)),
    "苗栗县": ("710000", ("Miaoli",)),
    "彰化县": ("710000", ("Changhua", "Zhanghua")),
    "南投县": ("710000", ("Nantou",)),
    "云林县": ("710000", ("Yunlin",)),
    "嘉义县": ("710000", ("Chiayi County",)),
    "屏东县": ("710000", ("Pingtung", "Pingdong")),
    "宜兰县": ("710000", ("Yilan", "Ilan")),
    "花莲县": ("710000", ("Hualien", "Hualian")),
    "台东县": ("710000", ("Taitung", "Taidong")),
    "澎湖县": ("710000", ("Penghu",)),
    "九龙": ("810000", ("Kowloon",)),
    "香港岛": ("810000", ("Hong Kong Island",)),
    "港岛": ("810000", ()),
    "新界": ("810000", ("New Territories",)),
    "澳门半岛": ("820000", ("Macau Peninsula", "Macao Peninsula")),
    "氹仔": ("820000", ()),
    "路环": ("820000", ()),
}

# --- Chinese suffixes -------------------------------------------------------------------------
# Ethnic-group names that precede 自治区/自治州/自治县/自治旗 (longest first when stripping).
_ETHNIC = sorted(
    {
        f"{g}{z}"
        for g in [
            "壮",
            "回",
            "维吾尔",
            "蒙古",
            "藏",
            "朝鲜",
            "苗",
            "彝",
            "土家",
            "侗",
            "布依",
            "瑶",
            "白",
            "哈尼",
            "傣",
            "黎",
            "傈僳",
            "佤",
            "畲",
            "拉祜",
            "水",
            "东乡",
            "纳西",
            "景颇",
            "柯尔克孜",
            "土",
            "达斡尔",
            "仫佬",
            "羌",
            "布朗",
            "撒拉",
            "毛南",
            "仡佬",
            "锡伯",
            "阿昌",
            "普米",
            "塔吉克",
            "怒",
            "乌孜别克",
            "俄罗斯",
            "鄂温克",
            "德昂",
            "保安",
            "裕固",
            "京",
            "塔塔尔",
            "独龙",
            "鄂伦春",
            "赫哲",
            "门巴",
            "珞巴",
            "基诺",
            "哈萨克",
            "满",
            "各",
        ]
        for z in ("族", "")
        if len(g) > 1 or z
    },
    key=len,
    reverse=True,
)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_SUFFIXES_ZH = {
    "province": ("特别行政区", "省", "市"),
    "city": ("特别行政区", "省", "地区", "林区", "盟", "市", "县"),
    "district": ("林区", "特区", "新区", "区", "县", "市", "旗"),
}


def strip_ethnic(name: str) -> str:
    """Remove 自治X and the ethnic-group names before it: 昌吉回族自治州 -> 昌吉."""
    for a in _AUTONOMOUS:
        if name.endswith(a) and len(name) > len(a) + 1:
            name = name[: -len(a)]
            changed = True
            while changed:
                changed = False
                for e in _ETHNIC:
                    if name.endswith(e) and len(name) - len(e) >= 2:
                        name = name[: -len(e)]
                        changed = True
                        break
            return name
    return name


def short_zh(name_zh: str, level: str) -> str:
    """Short Chinese name: 广东省 -> 广东, 内蒙古自治区 -> 内蒙古, 深圳市 -> 深圳, 南山区 -> 南山.

    Names that would shrink to a single character keep their suffix (城区, 忠县).
    """
    s = strip_ethnic(name_zh)
    if s != name_zh:
        return s
    for suf in _SUFFIXES_ZH[level]:
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            return s[: -len(suf)]
    return s


# --- pinyin -----------------------------------------------------------------------------------
def syllables(text: str) -> list[str]:
    """Plain pinyin syllables (lower case, no tones, ü written v)."""
    pypinyin = _pinyin()
    out = [p for p in pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors="ignore") if p]
    if len(out) == len(text) and not any(e in text for e in CHAR_EXCEPT):
        out = [CHAR_READING.get(c, p) for c, p in zip(text, out, strict=True)]
    return out


def pinyin_plain(text: str) -> str:
    """Plain pinyin of a name, one word, lower case, no tones: 张家口 -> zhangjiakou."""
    return "".join(syllables(text))


def pinyin_word(text: str) -> str:
    """Pinyin written as one capitalised word with the syllable apostrophe: 西安 -> Xi'an."""
    out = ""
    for i, syl in enumerate(syllables(text)):
        syl = syl.replace("v", "ü")
        if i and syl[0] in "aoe":
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def english_name(name_zh: str, level: str, adcode: str | None = None) -> str:
    """English name: an official exception where one exists, else the pinyin of the short name."""
    hit = exception(name_zh, level, adcode)
    if hit:
        return hit[0]
    return pinyin_word(short_zh(name_zh, level))


def exception(
    name_zh: str, level: str, adcode: str | None = None
) -> tuple[str, tuple[str, ...]] | tuple[()]:
    """The (English name, aliases) exception for a place, or ``()`` when there is none."""
    if adcode is not None and adcode in EXCEPTIONS:
        return EXCEPTIONS[adcode]
    return EXCEPTIONS.get((level, name_zh), ())


def latin_key(text: str) -> str:
    """Matching key for Latin text: accents, case, spaces, apostrophes and hyphens ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", text.casefold())
