"""Free-text place names -> adcodes, without guessing.

``resolve(province, city, district)`` takes three free-text fields (any may be
empty, None or NaN) and returns a :class:`Resolution`. Accepted: official and
short Chinese names (广东省, 广东, 内蒙古), English and pinyin in any case and
spacing, with or without suffixes (Province, City, Shi, Sheng, Autonomous
Region, Municipality, SAR, District, Qu, County, Xian, Prefecture, League,
省/市/区/县/自治区 ...), combined strings in any field (深圳市南山区, 广东省深圳市, "Guangzhou
Huangpu District", "Beijing Haidian"), municipalities (and Hong Kong, Macau,
Taiwan) as province, city or both, and a district without its city when the
district name is unique in China.

It never guesses: an unknown, ambiguous or inconsistent name gives a
``problem`` naming the ``field``, the ``candidates`` (for ambiguity) or a did-
you-mean ``suggestion`` (rapidfuzz, for unknown names), and the Resolution
keeps only the levels it is sure of.

``how`` is the way the deepest resolved name matched: "exact zh" (official
Chinese name), "short zh" (广东, 深圳), "english" (official English name or alias:
Inner Mongolia, Hohhot, Macao), "pinyin" (plain pinyin, with or without the
suffix: Guangdong, Neimenggu, Shenzhen Shi), "district unique" (a district
given without its city, unique in China or in the given province); "" when
nothing was given. ``combined`` is True when a field held more than one name
(深圳市南山区). A name matching another place's official English name and this
place's plain pinyin resolves to the former ("Shanxi" is 山西; 陕西 is "Shaanxi").

A provincial-level unit that is one city-level unit (北京 110000 -> 110100,
天津, 上海, 重庆 500000 -> 500100; 香港 810000, 澳门 820000, 台湾 710000 are their
own city-level unit) also fills ``city_adcode`` when given alone as a province,
so its ``level`` is "city".

Development zones and new areas (成都高新区, 雄安新区), also at the end of a
combined string (贵州省贵阳市贵阳国家高新技术产业开发区), and 市辖区 are not
county-level districts: they get a problem with ``zone`` set and stay at the
level above. A suffix is never stripped when that names another real place
(北戴河新区 is not 北戴河区; 平房地区 is not 平房区). Combined strings are read
only as names that nest (北京市朝阳区 is Beijing's 朝阳区, never 北京 + 朝阳市).
Traditional characters (廣東省) are converted with OpenCC when the name as
written is unknown. Pinyin written by syllable (ShanXi) is ambiguous between
山西 and 陕西 unless a city or district decides.

``resolve_place(text)`` reads one free-text place of any level (a single
地区 / 所在地 / location column).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from geodata.gazetteer import SINGLE_CITY_PROVINCES, records
from geodata.names_en import EXCEPTIONS, SPECIAL_REGION_NAMES, latin_key, strip_ethnic
from geodata.script import to_simplified

LEVELS = ("province", "city", "district")
FIELDS = LEVELS
MAX_LEN = 100  # longer inputs are not place names: reported unknown without splitting
_RANK = {"exact zh": 0, "english": 1, "short zh": 2, "pinyin": 3}


@dataclass(frozen=True)
class Resolution:
    """What the resolver could place. ``level`` is the deepest level resolved (None: nothing)."""

    province_adcode: str | None = None
    city_adcode: str | None = None
    district_adcode: str | None = None
    level: str | None = None
    how: str = ""
    problem: str | None = None
    field: str | None = None
    candidates: tuple[str, ...] = ()
    suggestion: str | None = None
    # additions to the contract
    candidate_adcodes: tuple[str, ...] = ()
    combined: bool = False
    zone: bool = False  # the deepest name is a development zone / 市辖区: placed one level up
    # placed, but not as written: a county-level city given as a city, a Taiwan city placed at
    # Taiwan, a whole-province marker ... (the loader reports it as a warning)
    note: str | None = None

    @property
    def ok(self) -> bool:
        """Everything given was placed."""
        return self.problem is None


# --- name index -------------------------------------------------------------------------------
_ZH_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "特区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
# English / pinyin suffix words (longest first), and what they are in pinyin when kept
_EN_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            ("special administrative region", "tebiexingzhengqu"),
            ("autonomous region", "zizhiqu"),
            ("autonomous prefecture", "zizhizhou"),
            ("autonomous county", "zizhixian"),
            ("autonomous banner", "zizhiqi"),
            ("municipality", "shi"),
            ("municipal", "shi"),
            ("province", "sheng"),
            ("prefecture", "diqu"),
            ("prefecture-level city", "shi"),
            ("county-level city", "shi"),
            ("region", "diqu"),
            ("league", "meng"),
            ("banner", "qi"),
            ("district", "qu"),
            ("new area", "xinqu"),
            ("forestry district", "linqu"),
            ("county", "xian"),
            ("city", "shi"),
            ("sar", ""),
            ("shi", "shi"),
            ("sheng", "sheng"),
            ("qu", "qu"),
            ("xian", "xian"),
            ("meng", "meng"),
            ("diqu", "diqu"),
            ("zizhiqu", "zizhiqu"),
            ("zizhizhou", "zizhizhou"),
        },
        key=lambda p: -len(p[0]),
    )
)
_EN_ETHNIC = (
    "buyi",
    "kyrgyz",
    "kirghiz",
    "mongolia",
    "tajik",
    "xibe",
    "daur",
    "oroqen",
    "ewenki",
    "evenk",
    "tu",
    "salar",
    "dongxiang",
    "bonan",
    "yugur",
    "she",
    "yao",
    "gelao",
    "mulao",
    "maonan",
    "wa",
    "lahu",
    "naxi",
    "nu",
    "pumi",
    "achang",
    "derung",
    "jino",
    "blang",
    "deang",
    "manchu",
    "russian",
    "uzbek",
    "tatar",
    "hezhen",
    "monba",
    "lhoba",
    "zhuang",
    "hui",
    "uygur",
    "uyghur",
    "uighur",
    "tibetan",
    "mongol",
    "mongolian",
    "korean",
    "yi",
    "miao",
    "tujia",
    "dong",
    "buyei",
    "bouyei",
    "li",
    "dai",
    "hani",
    "bai",
    "kazak",
    "kazakh",
    "kirgiz",
    "qiang",
    "lisu",
    "jingpo",
)
_EN_PREFIX = ("city of ", "province of ")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZONE = re.compile(r"(新区|高新区|开发区|新城|园区|自贸区|示范区|试验区|合作区|片区|港区)$")


@dataclass(frozen=True)
class _Place:
    adcode: str
    level: str
    parent: str | None
    province: str
    name_zh: str
    name_en: str


@cache
def _places() -> dict[tuple[str, str], _Place]:
    out = {}
    for r in records():
        out[(r["adcode"], r["level"])] = _Place(
            r["adcode"],
            r["level"],
            r["parent_adcode"],
            r["province_adcode"],
            r["name_zh"],
            r["name_en"],
        )
    return out


def _add(index: dict, key: str, place: tuple[str, str], how: str) -> None:
    if not key:
        return
    slot = index.setdefault(key, {})
    if place not in slot or _RANK[how] < _RANK[slot[place]]:
        slot[place] = how


@cache
def _index() -> dict[str, dict[str, dict[tuple[str, str], str]]]:
    """level -> key -> {(adcode, level): how}. District level also holds self-district cities."""
    idx: dict[str, dict] = {lvl: {} for lvl in LEVELS}
    for r in records():
        place = (r["adcode"], r["level"])
        targets = [r["level"]]
        if r["level"] == "city" and r["self_district"]:
            targets.append("district")  # 澄迈县 given as a district
        for lvl in targets:
            ix = idx[lvl]
            _add(ix, r["name_zh"], place, "exact zh")
            _add(ix, r["short_zh"], place, "short zh")
            _add(ix, latin_key(r["name_en"]), place, "english")
            hit = EXCEPTIONS.get(r["adcode"]) or EXCEPTIONS.get((r["level"], r["name_zh"]))
            for alias in hit[1] if hit else ():
                _add(ix, latin_key(alias), place, "english")
            for py in {r["pinyin"], r["pinyin_full"]}:
                _add(ix, py, place, "pinyin")
                _add(ix, py.replace("v", "u"), place, "pinyin")
    for r in records():  # Shanxi Sheng is 山西, whose English name is Shanxi (陕西 is Shaanxi)
        if r["pinyin_full"].startswith(r["pinyin"]):
            key = latin_key(r["name_en"]) + r["pinyin_full"][len(r["pinyin"]) :]
            slot = idx[r["level"]].get(key, {})
            if len(slot) > 1 and (r["adcode"], r["level"]) in slot:
                _add(idx[r["level"]], key, (r["adcode"], r["level"]), "english")
    return idx


def _best(
    slot: dict[tuple[str, str], str], pinyin_style: bool = False
) -> dict[tuple[str, str], str]:
    """Keep the best-ranked matches only.

    An official name beats another place's short name, and an official English
    spelling beats another place's plain pinyin ("Shanxi" is 山西; 陕西 is
    officially "Shaanxi") unless the name is written as pinyin syllables
    ("ShanXi"). Places that match equally well stay ambiguous.
    """

    def rank(how: str) -> int:
        return _RANK["pinyin"] if pinyin_style and how == "english" else _RANK[how]

    top = min(rank(h) for h in slot.values())
    return {p: h for p, h in slot.items() if rank(h) == top}


# --- normalisation ----------------------------------------------------------------------------
def _clean(value: object) -> str | None:
    """None for empty input; the NFKC-normalised, space-collapsed text otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, str):
        try:
            if value != value:  # pd.NA, NaT raise or compare unequal
                return None
        except (TypeError, ValueError):
            return None
        value = str(value)
    text = unicodedata.normalize("NFKC", value)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")  # zero-width marks
    text = re.sub(r"[\t\n\r]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


# The levels an English suffix allows: "Hainan Tibetan Autonomous Prefecture" is never the
# province 海南, "Kashgar Prefecture" never the county-level city 喀什市.
_SUFFIX_LEVELS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "autonomous prefecture",
            "prefecture",
            "league",
            "zizhizhou",
            "meng",
            "diqu",
            "region",
            "prefecture-level city",
        ),
        ("city",),
    ),  # fmt: skip
    **dict.fromkeys(
        (
            "autonomous county",
            "autonomous banner",
            "banner",
            "county",
            "xian",
            "qi",
            "zizhixian",
            "zizhiqi",
            "district",
            "qu",
            "county-level city",
            "forestry district",
        ),
        ("city", "district"),
    ),  # fmt: skip
    **dict.fromkeys(("autonomous region", "zizhiqu", "province", "sheng"), ("province",)),
    **dict.fromkeys(("special administrative region", "sar"), ("province", "city")),
}
# ethnic groups in pinyin with 族 (Hainan Zangzu Zizhizhou, Qiandongnan Miaozu Dongzu ...)
_PY_ETHNIC = frozenset(
    re.findall(
        r"\w+",
        "zang hui miao tujia menggu chaoxian zhuang yi dong buyi bai hani dai li lisu wa she lahu "
        "shui naxi jingpo keerkezi tu dawoer mulao qiang bulang sala maonan gelao xibo achang pumi "
        "tajike nu ewenke deang baoan yugu jing dulong elunchun hezhe menba luoba jinuo hasake man "
        "weiwuer yao ge",
    )
)
_AUTONOMOUS_ONLY = "~"  # a key made by dropping an ethnic qualifier: only 自治 units match it


def _is_ethnic(word: str) -> bool:
    return word in _EN_ETHNIC or (word.endswith("zu") and word[:-2] in _PY_ETHNIC)


def _strip_ethnic_words(text: str) -> str | None:
    """ "enshi tujia and miao" -> "enshi"; None when the text ends in no ethnic group."""
    words = text.split()
    i, seen = len(words), False
    while i > 1 and (_is_ethnic(words[i - 1]) or (seen and words[i - 1] == "and")):
        seen = seen or words[i - 1] != "and"
        i -= 1
    return " ".join(words[:i]) if seen and i < len(words) else None


def _latin_variants(text: str, level: str | None = None) -> list[str]:
    """Keys to try for Latin text: as written, suffix in pinyin, suffixes stripped, ethnic
    qualifiers dropped (keys marked :data:`_AUTONOMOUS_ONLY`, below province level only)."""
    words = re.sub(r"[,;/()]+", " ", text.casefold()).split()
    s = " ".join(words)
    for pre in _EN_PREFIX:
        if s.startswith(pre):
            s = s[len(pre) :]
    out = [latin_key(s)]
    stripped = s
    changed = True
    while changed:
        changed = False
        for suf, py in _EN_SUFFIXES:
            if stripped.endswith(" " + suf):
                if level is not None and level not in _SUFFIX_LEVELS.get(suf, LEVELS):
                    return out  # a suffix naming another level: only the name as written
                base = stripped[: -len(suf) - 1].strip()
                out.append(latin_key(base) + py)
                stripped = base
                out.append(latin_key(stripped))
                changed = True
                break
    if level != "province" and (bare := _strip_ethnic_words(stripped)):
        out.append(_AUTONOMOUS_ONLY + latin_key(bare))
    return list(dict.fromkeys(k for k in out if k.strip(_AUTONOMOUS_ONLY)))


# Suffixes never stripped to find a name: 北戴河新区 is not 北戴河区, 城东新区 not 城东区. 地区 is
# stripped only at city level (吐鲁番地区 is the old name of 吐鲁番市; 平房地区 is not 平房区).
_KEEP_SUFFIX = {"新区": LEVELS, "地区": ("province", "district")}
_UNIT_END = re.compile(r"自治|[省市区县州旗盟]$")


def _zh_variants(text: str, level: str | None = None) -> list[str]:
    """Keys to try for Chinese text: as written, without its ethnic part, without a suffix."""
    s = re.sub(r"\s+", "", text)
    out = [s]
    bare = strip_ethnic(s)  # 昌吉回族自治州 -> 昌吉
    if not _UNIT_END.search(bare):  # but 内蒙古自治区鄂伦春自治旗 is not 内蒙古自治区
        out.append(bare)
    for suf in _ZH_SUFFIXES:
        if level in _KEEP_SUFFIX.get(suf, ()) or (level is None and suf in _KEEP_SUFFIX):
            continue
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            out.append(s[: -len(suf)])
    return list(dict.fromkeys(out))


def _variants(text: str, level: str) -> list[str]:
    return _zh_variants(text, level) if _CJK.search(text) else _latin_variants(text, level)


def _slot(ix: dict, key: str) -> dict[tuple[str, str], str]:
    """The places of one key; a key without its ethnic qualifier matches autonomous units only."""
    if not key.startswith(_AUTONOMOUS_ONLY):
        return ix.get(key) or {}
    ps = _places()
    slot = ix.get(key[1:]) or {}
    return {p: h for p, h in slot.items() if "自治" in ps[p].name_zh}


_SYLLABLE_CAPS = re.compile(r"[a-z][A-Z]")  # ShanXi, GuangDong: pinyin written by syllable


@lru_cache(maxsize=100_000)
def _lookup(text: str, level: str) -> dict[tuple[str, str], str]:
    """Places named ``text`` at ``level``: {(adcode, level): how}; {} when unknown.

    Traditional characters (廣東省) are tried in simplified form when the name as written is
    unknown. Pinyin written by syllable (ShanXi) is plain pinyin: an official English spelling
    (Shanxi = 山西) does not win over another place's pinyin (陕西).
    """
    ix = _index()[level]
    pinyin_style = bool(_SYLLABLE_CAPS.search(text))
    for key in _variants(text, level):
        slot = _slot(ix, key)
        if slot:
            return _best(slot, pinyin_style)
    simple = to_simplified(text)
    return _lookup(simple, level) if simple != text else {}


@lru_cache(maxsize=100_000)
def _lookup_all(text: str, level: str) -> dict[tuple[str, str], str]:
    """Places matching any variant of ``text`` (e.g. "Shangcheng" as well as "Shangcheng Qu").

    Used only inside a given province or city, when the first match lies outside it.
    """
    ix = _index()[level]
    out: dict[tuple[str, str], str] = {}
    for key in _variants(text, level):
        for place, how in _slot(ix, key).items():
            if place not in out or _RANK[how] < _RANK[out[place]]:
                out[place] = how
    return out


def _pieces(text: str) -> list[str]:
    """Split points: characters for Chinese, words for Latin text."""
    if _CJK.search(text):
        return list(re.sub(r"\s+", "", text))
    return text.split(" ")


def _join(parts: list[str], zh: bool) -> str:
    return "".join(parts) if zh else " ".join(parts)


_MAX_HEAD = {True: 12, False: 6}  # longest province/city name: characters (zh) or words (Latin)
_CITY_DISTRICTS = "市辖区"  # "the districts of a city" in official lists: no single district


@lru_cache(maxsize=100_000)
def _splits(text: str, min_level: int = 0) -> tuple[tuple[tuple[int, tuple], ...], ...]:
    """Every reading of ``text`` as names of increasing level: each ((level, matches), ...)."""
    out: list[tuple[tuple[int, tuple], ...]] = []
    for lvl in range(min_level, 3):
        if hit := _lookup(text, LEVELS[lvl]):
            out.append(((lvl, tuple(sorted(hit.items()))),))
    parts = _pieces(text)
    zh = bool(_CJK.search(text))
    for i in range(min(len(parts) - 1, _MAX_HEAD[zh]), 0, -1):
        head, tail = _join(parts[:i], zh), _join(parts[i:], zh)
        for lvl in range(min_level, 2):
            if hit := _lookup(head, LEVELS[lvl]):
                seg = (lvl, tuple(sorted(hit.items())))
                out.extend((seg, *rest) for rest in _splits(tail, lvl + 1))
    return tuple(out)


def _within(child: tuple[str, str], parent: tuple[str, str]) -> bool:
    """``child`` lies in ``parent`` (a district in its city or province, a city in its province)."""
    ps = _places()
    c, p = ps[child], ps[parent]
    if p.level == "province":
        return c.province == p.adcode
    if c.level == "city":  # a self-district city given as a district (澄迈县 / 澄迈县)
        return c.adcode == p.adcode
    return c.level == "district" and c.parent == p.adcode


def _consistent(chain: tuple[tuple[int, tuple], ...]) -> tuple[tuple[int, dict], ...] | None:
    """The chain with each name narrowed to the places that nest (None when nothing nests)."""
    segs = [(lvl, dict(m)) for lvl, m in chain]
    for k in range(1, len(segs)):  # down: children inside a parent
        lvl, m = segs[k]
        segs[k] = (lvl, {c: h for c, h in m.items() if any(_within(c, q) for q in segs[k - 1][1])})
        if not segs[k][1]:
            return None
    for k in range(len(segs) - 2, -1, -1):  # up: parents holding a child
        lvl, m = segs[k]
        segs[k] = (lvl, {q: h for q, h in m.items() if any(_within(c, q) for c in segs[k + 1][1])})
    return tuple(segs)


@lru_cache(maxsize=100_000)
def _parse(text: str) -> tuple[tuple[tuple[int, dict], ...], str | None, bool] | None:
    """A combined string (北京市朝阳区, 山东省青岛市市北区) as names that nest, deepest first.

    Readings that do not nest are dropped (北京 + 朝阳市 of Liaoning). Readings of the same depth
    are merged, so an ambiguity stays visible. When the string ends in a development zone or
    市辖区 (贵州省贵阳市贵阳国家高新技术产业开发区), the names before it are returned with the zone.
    """
    if found := _readings(text):
        return found[0], None, found[1]
    if not _CJK.search(text):
        return None
    parts = _pieces(text)
    for i in range(len(parts) - 2, 0, -1):
        tail = "".join(parts[i:])
        if (_ZONE.search(tail) and len(tail) >= 3) or tail == _CITY_DISTRICTS:
            head = _readings("".join(parts[:i]), max_level=1)  # a zone lies in a city
            if head:
                return head[0], tail, True
    return None


def _readings(text: str, max_level: int = 2) -> tuple[tuple[tuple[int, dict], ...], bool] | None:
    """The nesting readings of ``text``, merged, and whether it held several names.

    Readings as several names win, the best matched (official names before short ones), then the
    deepest; a single name matching at several levels
    takes the best-ranked match, then the shallowest level (吉林 is the province, 吉林市 the city).
    """
    chains = [
        c for c in (_consistent(ch) for ch in _splits(text, 0)) if c and c[-1][0] <= max_level
    ]
    if not chains:
        return None
    multi = [ch for ch in chains if len(ch) > 1]
    if multi:  # the best-matched names (湖南省长沙市: 长沙市 exactly, not 长沙县 by its short name)
        score = {id(ch): sum(min(_RANK[h] for h in m.values()) for _, m in ch) for ch in multi}
        best = min(score.values())
        multi = [ch for ch in multi if score[id(ch)] == best]
        deepest = max(ch[-1][0] for ch in multi)
        chains = [ch for ch in multi if ch[-1][0] == deepest]
    else:
        best = min(_RANK[h] for ch in chains for h in ch[0][1].values())
        chains = [ch for ch in chains if min(_RANK[h] for h in ch[0][1].values()) == best]
        chains = [min(chains, key=lambda ch: ch[0][0])]
    merged: dict[int, dict] = {}
    for ch in chains:
        for lvl, m in ch:
            slot = merged.setdefault(lvl, {})
            for place, how in m.items():
                if place not in slot or _RANK[how] < _RANK[slot[place]]:
                    slot[place] = how
    if len(chains) > 1:  # keep only levels every reading names, so none of them is dropped
        common = set.intersection(*({lvl for lvl, _ in ch} for ch in chains))
        merged = {lvl: m for lvl, m in merged.items() if lvl in common}
    return tuple(sorted(merged.items())), bool(multi)


# --- resolution -------------------------------------------------------------------------------
def _label(place: tuple[str, str]) -> str:
    ps = _places()
    p = ps[place]
    if p.level == "province":
        return p.name_zh
    parent = ps.get((p.parent, "city")) if p.level == "district" and p.parent else None
    if parent is None:
        parent = ps[(p.province, "province")]
    if parent.name_zh == p.name_zh:
        return p.name_zh
    return f"{p.name_zh} ({parent.name_zh})"


@cache
def _choices(level: str, latin: bool) -> dict[str, str]:
    """Key -> display name of every place at ``level`` for did-you-mean suggestions."""
    out: dict[str, str] = {}
    for r in records():
        if r["level"] != level:
            continue
        if latin:
            out.setdefault(latin_key(r["name_en"]), r["name_en"])
            out.setdefault(r["pinyin"], r["name_en"])
        else:
            out.setdefault(r["name_zh"], r["name_zh"])
            out.setdefault(r["short_zh"], r["name_zh"])
    return out


@cache
def _by_length(level: str, latin: bool) -> tuple[list[int], list[tuple[int, str]]]:
    """The keys of ``_choices(level, latin)`` as (position, key) sorted by length, and their
    lengths: the keys that can score at least a cutoff against a query are one slice of it."""
    ranked = sorted(enumerate(_choices(level, latin)), key=lambda pk: (len(pk[1]), pk[0]))
    return [len(k) for _, k in ranked], ranked


def _candidates(query: str, level: str, latin: bool, cutoff: float) -> list[str]:
    """The keys, in ``_choices`` order, whose length lets ``fuzz.ratio`` reach ``cutoff``: the
    ratio is at most 200·min(a, b)/(a + b) (an insertion or deletion per character of length
    difference), so the others cannot match and leaving them out changes no suggestion."""
    lengths, ranked = _by_length(level, latin)
    n, c = len(query), cutoff - 1  # one point of slack against rounding
    lo, hi = c * n / (200 - c), n * (200 - c) / c
    part = ranked[bisect.bisect_left(lengths, lo) : bisect.bisect_right(lengths, hi)]
    return [k for _, k in sorted(part)]


@lru_cache(maxsize=100_000)
def _suggest(text: str, level: str) -> str | None:
    latin = not _CJK.search(text)
    if latin:
        keys = _latin_variants(text, level)
        query = keys[-1].lstrip(_AUTONOMOUS_ONLY) if keys else ""
    else:
        query = re.sub(r"\s+", "", text)
    if not query or len(query) > 40:
        return None
    choices, cutoff = _choices(level, latin), 80 if latin else 65
    keys = _candidates(query, level, latin, cutoff)
    hit = process.extractOne(query, keys, scorer=fuzz.ratio, score_cutoff=cutoff) if keys else None
    return choices[hit[0]] if hit else None


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


def _unknown(value: str, field: str, context: str | None) -> tuple[str, str | None]:
    """Problem text and suggestion for a name not found at its level."""
    where = f" in {context}" if context else ""
    msg = f"unknown {field} {_short(value)!r}{where}"
    if len(value) <= MAX_LEN and not _CONTROL.search(value):
        for other in LEVELS:
            if other != field and (hit := _lookup(value, other)):
                labels = ", ".join(sorted(_label(p) for p in hit))
                return f"{msg}: it names a {other}-level unit ({labels}), not a {field}", None
        if field == "district" and _CJK.search(value) and _ZONE.search(value):
            return (
                f"{msg}: a development zone or new area, not a county-level district "
                "(placed at the level above)",
                None,
            )
        sugg = _suggest(value, field)
        if sugg:
            return f"{msg} — did you mean {sugg}?", sugg
    return msg, None


def resolve(province: object = None, city: object = None, district: object = None) -> Resolution:
    """Resolve free-text province, city and district names (any may be empty/None/NaN).

    Results are cached on the raw strings (and again on the normalised ones), so a loader may call
    this once per row of a large table.
    """
    if all(v is None or type(v) is str for v in (province, city, district)):
        return _resolve_raw(province, city, district)
    return _resolve(_clean(province), _clean(city), _clean(district))


def resolve_place(place: object) -> Resolution:
    """One free-text place of any level (a 地区 / 所在地 / location column): 广东, 深圳市, 海淀区,
    北京市朝阳区, 贵州省贵阳市贵阳国家高新技术产业开发区. ``field`` of a problem is "province"."""
    text = _clean(place)
    if text is None:
        return Resolution()
    if text == _CITY_DISTRICTS:
        return Resolution(problem="'市辖区' names no particular place", field="province")
    return _resolve_place(text)


@lru_cache(maxsize=100_000)
def _resolve_place(text: str) -> Resolution:
    parsed = _parse(text) if len(text) <= MAX_LEN and not _CONTROL.search(text) else None
    if parsed is None and (region := _special_region({f: None for f in FIELDS}, "province", text)):
        name = ps_name(region, "province")
        note = f"place {_short(text)!r} is in {name}: placed at {name} as a whole"
        return _with_note(_resolve_core(name, None, None), note)
    if parsed is None:
        sugg = next((g for lvl in LEVELS if (g := _suggest(text, lvl))), None)
        msg = f"unknown place {_short(text)!r}" + (f" — did you mean {sugg}?" if sugg else "")
        return Resolution(problem=msg, field="province", suggestion=sugg)
    segs, zone, combined = parsed
    cons: dict[str, list[tuple[str, str, dict]]] = {lvl: [] for lvl in LEVELS}
    for lvl, matches in segs:
        cons[LEVELS[lvl]].append(("province", text, dict(matches)))
    res = _Decision(cons, combined, {}).decide()
    if zone is None or res.problem:
        return res
    if zone == _CITY_DISTRICTS and res.province_adcode in SINGLE_CITY_PROVINCES:
        return res
    msg = f"place {_short(text)!r} ends in {zone!r}, which is not a county-level district"
    return _finish(res, True, msg + " (placed at the level above)", "province", (), None, zone=True)


@lru_cache(maxsize=200_000)
def _resolve_raw(province: str | None, city: str | None, district: str | None) -> Resolution:
    return _resolve(_clean(province), _clean(city), _clean(district))


@lru_cache(maxsize=200_000)
def _resolve(province: str | None, city: str | None, district: str | None) -> Resolution:
    given = {"province": province, "city": city, "district": district}
    for field in ("district", "city"):
        if given[field] and is_whole_marker(given[field]):
            return _whole(given, field)
    res = _resolve_core(province, city, district)
    if res.problem is None or res.field is None or res.zone or "ambiguous" in res.problem:
        return res  # an ambiguous name stays a problem with its candidates
    return _as_written_elsewhere(given, res) or res


# --- whole-province markers -------------------------------------------------------------------
WHOLE_MARKERS = frozenset(
    ("all", "全省", "全市", "省本级", "省直", "whole province", "province-wide", "provincewide",
     "province wide", "entire province", "whole city", "citywide", "city-wide")
)  # fmt: skip


def is_whole_marker(value: object, extra: str | None = None) -> bool:
    """A "the whole unit above" marker (All, 全省, 全市, 省本级, 省直, whole province, ...), case-
    and space-insensitive; ``extra`` is one more marker the user chose."""
    text = _clean(value)
    if text is None:
        return False
    key = text.casefold()
    return key in WHOLE_MARKERS or (extra is not None and key == (_clean(extra) or "").casefold())


def _whole(given: dict[str, str | None], field: str) -> Resolution:
    """A marker in the city column: the province; in the district column: the city (or the
    province when no city is given)."""
    marker = given[field] or ""
    keep = dict(given, **{field: None})
    if field == "city":
        keep["district"] = None if is_whole_marker(keep["district"]) else keep["district"]
    res = _resolve(keep["province"], keep["city"], keep["district"])
    if res.problem or res.level is not None:
        return res
    above = "province" if field == "city" else "city or province"
    return Resolution(
        problem=f"{field} {_short(marker)!r} means the whole {above}, but none is given",
        field=field,
    )


# --- names written at another level: a county-level city as a city, Taipei --------------------
def _as_written_elsewhere(given: dict[str, str | None], res: Resolution) -> Resolution | None:
    """A name that failed in its column but places elsewhere without a guess: a district-level
    unit in the city column (邓州市 under 南阳市; 海淀区 in Beijing's city column), or a city or
    region of Taiwan, Hong Kong or Macao (placed at that unit). Both at once: ambiguous."""
    field = res.field or ""
    value = given.get(field)
    if not value or len(value) > MAX_LEN or _CONTROL.search(value):
        return None
    region = _special_region(given, field, value)
    down = None
    if field == "city" and not given["district"]:
        alt = _resolve_core(given["province"], None, value)
        ambiguous = bool(alt.problem and alt.candidates and "ambiguous" in alt.problem)
        if alt.district_adcode or (ambiguous and alt.field == "district"):
            down = alt
        elif alt.ok and alt.city_adcode and alt.city_adcode not in SINGLE_CITY_PROVINCES.values():
            down = alt  # a province-administered county-level unit (仙桃, 澄迈)
    if region and down:
        labels = [ps_name(region, "province") or region]
        codes = [region]
        labels += list(down.candidates) or [_label_of(down)]
        codes += list(down.candidate_adcodes) or [down.district_adcode or down.city_adcode or ""]
        msg = f"ambiguous {field} {_short(value)!r}: {', '.join(labels)}"
        return _finish(Resolution(), False, msg, field, tuple(labels), None, tuple(codes))
    if region:
        name = ps_name(region, "province")
        note = f"{field} {_short(value)!r} is in {name}: placed at {name} as a whole"
        return _with_note(_resolve_core(name, None, None), note)
    if down is None:
        return None
    if down.problem:  # several district-level units of that name
        names = ", ".join(down.candidates)
        msg = f"ambiguous {field} {_short(value)!r}: it names district-level units {names}"
        return _finish(res, False, msg, field, down.candidates, None, down.candidate_adcodes)
    if down.province_adcode in SINGLE_CITY_PROVINCES:
        return down  # a municipality's district in its city column: the usual way to write it
    note = (
        f"city {_short(value)!r} is the district-level unit {_label_of(down)}: placed at "
        "district level under its city"
    )
    return _with_note(down, note)


def _label_of(res: Resolution) -> str:
    if res.district_adcode:
        return _label((res.district_adcode, "district"))
    code = res.city_adcode or res.province_adcode or ""
    return _label((code, "city")) if res.city_adcode else ps_name(code, "province") or code


def _with_note(res: Resolution, note: str) -> Resolution:
    from dataclasses import replace

    return replace(res, note=note) if res.ok else res


@cache
def _special_index() -> dict[str, str]:
    out: dict[str, str] = {}
    for zh, (region, english) in SPECIAL_REGION_NAMES.items():
        for key in (zh, zh[:-1] if zh[-1] in "市县" and len(zh) > 2 else zh):
            out[key] = region
        for name in english:
            out[latin_key(name)] = region
            out[latin_key(name) + "city"] = region
    return out


def _special_region(given: dict[str, str | None], field: str, value: str) -> str | None:
    """Taiwan's, Hong Kong's or Macao's unit for a name the gazetteer has no unit for, if the
    fields above it do not name another province."""
    ix = _special_index()
    text = re.sub(r"\s+", "", value) if _CJK.search(value) else latin_key(value)
    region = ix.get(text) or ix.get(re.sub(r"\s+", "", to_simplified(value)))
    if region is None:
        return None
    above = {f: (given[f] if LEVELS.index(f) < LEVELS.index(field) else None) for f in FIELDS}
    if any(above.values()):
        ctx = _resolve_core(above["province"], above["city"], None)
        if ctx.province_adcode not in (None, region):
            return None
    return region


@lru_cache(maxsize=200_000)
def _resolve_core(province: str | None, city: str | None, district: str | None) -> Resolution:
    given = {"province": province, "city": city, "district": district}
    if not any(given.values()):
        return Resolution()
    if city == _CITY_DISTRICTS or district == _CITY_DISTRICTS:
        return _city_districts(given)
    # constraints per level: list of (field, value, {place: how})
    cons: dict[str, list[tuple[str, str, dict]]] = {lvl: [] for lvl in LEVELS}
    combined = False
    fallback: dict[str, str] = {}
    zone: tuple[str, str] | None = None  # (field, zone name) of a combined string ending in one
    for fi, field in enumerate(FIELDS):
        value = given[field]
        if value is None:
            continue
        parsed: Any = None
        if len(value) <= MAX_LEN and not _CONTROL.search(value):
            if hit := _lookup(value, field):
                parsed = ((fi, hit),)
                fallback[field] = value  # looked up again only if needed
            elif (p := _parse(value)) and p[2]:
                parsed, combined = p[0], True
                zone = (field, p[1]) if p[1] else zone
        if parsed is None:
            # an unknown name: report it, resolve what the other fields allow above it
            ctx = _partial(given, field)
            msg, sugg = _unknown(value, field, ctx[1])
            return _finish(ctx[0], combined, msg, field, (), sugg, zone=_is_zone(value, field))
        for lvl, matches in parsed:
            cons[LEVELS[lvl]].append((field, value, dict(matches)))
    res = _Decision(cons, combined, fallback).decide()
    if zone is None or res.problem:
        return res
    field, name = zone
    if name == _CITY_DISTRICTS and res.province_adcode in SINGLE_CITY_PROVINCES:
        return res  # 北京市市辖区: the municipality's city-level unit (110100)
    msg = (
        f"{field} {_short(given[field] or '')!r} ends in {name!r}, a development zone or new "
        "area, not a county-level district (placed at the level above)"
    )
    if name == _CITY_DISTRICTS:
        msg = f"{field} {_short(given[field] or '')!r}: 市辖区 names no single district"
    return _finish(res, True, msg, field, (), None, zone=True)


def _is_zone(value: str, field: str) -> bool:
    return field == "district" and bool(_CJK.search(value) and _ZONE.search(value))


def _city_districts(given: dict[str, str | None]) -> Resolution:
    """市辖区 ("the districts of the city") as city or district: placed at the level above."""
    city = None if given["city"] == _CITY_DISTRICTS else given["city"]
    district = None if given["district"] == _CITY_DISTRICTS else given["district"]
    base = _resolve(given["province"], city, district)
    if base.problem:
        return base
    field = "district" if given["district"] == _CITY_DISTRICTS else "city"
    if field == "city" and base.city_adcode and district is None:
        return base  # 北京市 / 市辖区: the municipality's city-level unit
    where = "its city" if base.city_adcode else "the level above"
    msg = f"{field} '市辖区' (the districts of a city as a whole) names no single place: at {where}"
    return _finish(base, False, msg, field, (), None, zone=True)


def _partial(given: dict, failed: str) -> tuple[Resolution, str | None]:
    """Resolve the fields other than ``failed`` that are above it (for the context of a problem)."""
    keep = {f: (given[f] if LEVELS.index(f) < LEVELS.index(failed) else None) for f in FIELDS}
    if not any(keep.values()):
        return Resolution(), None
    res = _resolve(keep["province"], keep["city"], keep["district"])
    if res.problem:
        return Resolution(), None
    adcode = res.city_adcode or res.province_adcode
    lvl = "city" if res.city_adcode else "province"
    return res, ps_name(adcode, lvl)


def ps_name(adcode: str | None, level: str) -> str | None:
    """The official Chinese name of ``adcode`` at ``level`` (None when unknown)."""
    if adcode is None:
        return None
    p = _places().get((adcode, level))
    return p.name_zh if p else None


def _finish(
    base: Resolution,
    combined: bool,
    problem: str | None,
    field: str | None,
    candidates: tuple[str, ...],
    suggestion: str | None,
    candidate_adcodes: tuple[str, ...] = (),
    zone: bool = False,
) -> Resolution:
    return Resolution(
        province_adcode=base.province_adcode,
        city_adcode=base.city_adcode,
        district_adcode=base.district_adcode,
        level=base.level,
        how=base.how,
        problem=problem,
        field=field,
        candidates=candidates,
        suggestion=suggestion,
        candidate_adcodes=candidate_adcodes,
        combined=combined or base.combined,
        zone=zone,
    )


class _Problem(Exception):
    """Raised inside a decision step: the Resolution to return (the levels sure so far)."""

    def __init__(self, res: Resolution) -> None:
        super().__init__(res.problem)
        self.res = res


class _Decision:
    """The constraints of every field, narrowed level by level: province, city, district."""

    def __init__(self, cons: dict, combined: bool, fallback: dict) -> None:
        self.cons, self.combined, self.fallback = cons, combined, fallback
        self.ps = _places()
        self.prov: str | None = None
        self.provs: set[tuple[str, str]] | None = None  # several provinces: a city may pick one
        self.city: str | None = None
        self.dist: str | None = None
        self.how = ""

    def level(self) -> str | None:
        return (
            "district" if self.dist else "city" if self.city else "province" if self.prov else None
        )

    def result(
        self,
        problem: str | None = None,
        field: str | None = None,
        cands: Iterable[str] = (),
        codes: Iterable[str] = (),
    ) -> Resolution:
        level = self.level()
        return Resolution(
            province_adcode=self.prov,
            city_adcode=self.city,
            district_adcode=self.dist,
            level=level,
            how=self.how if level else "",
            problem=problem,
            field=field,
            candidates=tuple(cands),
            candidate_adcodes=tuple(codes),
            combined=self.combined,
        )

    def fail(self, problem: str, field: str, places: Iterable[tuple[str, str]] = ()) -> _Problem:
        places = sorted(places)
        return _Problem(
            self.result(problem, field, [_label(p) for p in places], [a for a, _ in places])
        )

    def decide(self) -> Resolution:
        try:
            self.province()
            self.city_level()
            self.district()
        except _Problem as stop:
            return stop.res
        if self.provs:  # several provinces and nothing below to choose between them
            field, value, _ = self.cons["province"][0]
            return self.fail(f"ambiguous province {value!r}", field, self.provs).res
        return self.result()

    def _common(self, level: str) -> tuple[set, str, str, dict]:
        common = set.intersection(*[set(m) for _, _, m in self.cons[level]])
        field, value, m0 = self.cons[level][0]
        if not common:
            field, value, _ = self.cons[level][-1] if level == "province" else (field, value, m0)
            raise self.fail(f"{field} {value!r} contradicts the {level} given", field)
        return common, field, value, m0

    def province(self) -> None:
        if not self.cons["province"]:
            return
        common, _, _, m0 = self._common("province")
        if len(common) > 1:  # ShanXi: 山西 or 陕西; a city or district may tell
            if not (self.cons["city"] or self.cons["district"]):
                field, value, _ = self.cons["province"][0]
                raise self.fail(f"ambiguous province {value!r}", field, common)
            self.provs = common
            return
        (place,) = common
        self.prov = place[0]
        self.how = m0[place]

    def _in_province(self, place: tuple[str, str]) -> bool:
        pl = self.ps[place]
        if self.provs:
            return any(pl.province == a for a, _ in self.provs)
        return self.prov is None or pl.province == self.prov

    def city_level(self) -> None:
        if not self.cons["city"]:
            if self.prov in SINGLE_CITY_PROVINCES:
                self.city = SINGLE_CITY_PROVINCES[self.prov]
            return
        common, field, value, m0 = self._common("city")
        inside = {p for p in common if self._in_province(p)}
        if not inside and len(self.cons["city"]) == 1 and field in self.fallback:
            m0 = _lookup_all(self.fallback[field], "city")
            inside = {p for p in m0 if self._in_province(p)}
        if not inside:
            labels = ", ".join(sorted(_label(p) for p in common))
            where = ps_name(self.prov, "province") or "the province given"
            raise self.fail(f"city {value!r} ({labels}) is not in {where}", field, common)
        if len(inside) > 1:
            labels = ", ".join(_label(p) for p in sorted(inside))
            raise self.fail(f"ambiguous city {value!r}: {labels}", field, inside)
        (place,) = inside
        self.city, self.prov, self.provs = place[0], self.ps[place].province, None
        self.how = m0.get(place, self.how)

    def _fits(self, place: tuple[str, str]) -> bool:
        pl = self.ps[place]
        if self.city is not None:
            return pl.parent == self.city if pl.level == "district" else pl.adcode == self.city
        return self._in_province(place)

    def district(self) -> None:
        if not self.cons["district"]:
            return
        common, field, value, m0 = self._common("district")
        inside = {p for p in common if self._fits(p)}
        if not inside and len(self.cons["district"]) == 1 and field in self.fallback:
            m0 = _lookup_all(self.fallback[field], "district")
            inside = {p for p in m0 if self._fits(p)}
        if not inside:
            where = ps_name(self.city, "city") if self.city else ps_name(self.prov, "province")
            labels = ", ".join(sorted(_label(p) for p in common))
            raise self.fail(
                f"district {value!r} is not in {where} (it is in {labels})", field, common
            )
        if len(inside) > 1:
            labels = ", ".join(_label(p) for p in sorted(inside))
            raise self.fail(f"ambiguous district {value!r}: {labels}", field, inside)
        (place,) = inside
        pl = self.ps[place]
        if pl.level == "city":  # a province-administered county-level unit (澄迈县)
            self.city, self.how = pl.adcode, m0[place]
        else:
            self.dist, self.city = pl.adcode, pl.parent
            self.how = m0[place] if self.cons["city"] else "district unique"
        self.prov, self.provs = pl.province, None


# --- reconciliation: candidates for a name no rule could place, and a search over the gazetteer
def place_label(adcode: str) -> str | None:
    """A place as a person picks it: "邓州市 (南阳市) · Dengzhou"; None for an unknown adcode."""
    ps = _places()
    for level in ("district", "city", "province"):
        p = ps.get((adcode, level))
        if p is not None:
            return f"{_label((adcode, level))} · {p.name_en}"
    return None


def _level_of(adcode: str) -> str | None:
    ps = _places()
    return next((lvl for lvl in ("province", "city", "district") if (adcode, lvl) in ps), None)


def suggest_places(
    text: object, level: str = "city", province: str | None = None, limit: int = 5
) -> list[str]:
    """Adcodes a person may have meant by ``text`` at ``level`` (inside ``province`` when
    given), best first: every reading of the name, then the nearest spellings. For a list to
    pick from, never a placement."""
    value = _clean(text)
    if value is None or len(value) > MAX_LEN or _CONTROL.search(value):
        return []
    ps = _places()
    out: list[str] = []
    for lvl in (level, *(x for x in LEVELS if x != level)):
        out += [a for a, _ in sorted(_lookup_all(value, lvl))]
    latin = not _CJK.search(value)
    variants = _latin_variants(value, level) if latin else [value]
    if not variants:  # no letters to compare (an emoji, punctuation): the exact readings only
        return list(dict.fromkeys(out))[:limit]
    query = variants[-1].lstrip(_AUTONOMOUS_ONLY) if latin else value
    choices = {
        k: (r["adcode"], r["level"])
        for r in records()
        if r["level"] == level and (province is None or r["province_adcode"] == province)
        for k in ((latin_key(r["name_en"]), r["pinyin"]) if latin else (r["name_zh"],))
    }
    for key, _score, _ in process.extract(query, list(choices), scorer=fuzz.ratio, limit=limit):
        out.append(choices[key][0])
    inside = [
        a for a in out if province is None or ps[(a, _level_of(a) or level)].province == province
    ]
    return list(dict.fromkeys(inside or out))[:limit]


def search_places(query: object, limit: int = 12) -> list[str]:
    """Adcodes whose Chinese, English or pinyin name starts with (then contains) ``query``,
    provinces and cities first: the reconciliation's search box."""
    value = _clean(query)
    if value is None or len(value) > 40:
        return []
    zh = bool(_CJK.search(value))
    key = re.sub(r"\s+", "", to_simplified(value)) if zh else latin_key(value)
    if not key:
        return []
    starts: list[str] = []
    contains: list[str] = []
    for r in records():
        names = (r["name_zh"],) if zh else (latin_key(r["name_en"]), r["pinyin"])
        if any(n.startswith(key) for n in names):
            starts.append(r["adcode"])
        elif any(key in n for n in names):
            contains.append(r["adcode"])
    return list(dict.fromkeys(starts + contains))[:limit]
