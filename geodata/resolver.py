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

Development zones and new areas (成都高新区, 雄安新区) are not county-level
districts: they get a problem and stay at the level above.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from geodata.gazetteer import SINGLE_CITY_PROVINCES, records
from geodata.names_en import EXCEPTIONS, latin_key, strip_ethnic

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
_ZONE = re.compile(r"(新区|高新区|开发区|新城|园区|自贸区|示范区|试验区|片区|港区)$")


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
    return idx


def _best(slot: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Keep the best-ranked matches only.

    An official name beats another place's short name, and an official English
    spelling beats another place's plain pinyin ("Shanxi" is 山西; 陕西 is
    officially "Shaanxi"). Places that match equally well stay ambiguous.
    """
    top = min(_RANK[h] for h in slot.values())
    return {p: h for p, h in slot.items() if _RANK[h] == top}


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


def _latin_variants(text: str) -> list[str]:
    """Keys to try for Latin text: as written, suffix in pinyin, suffixes stripped."""
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
                base = stripped[: -len(suf) - 1].strip()
                out.append(latin_key(base) + py)
                stripped = base
                out.append(latin_key(stripped))
                changed = True
                break
        else:
            for e in _EN_ETHNIC:
                if stripped.endswith(" " + e) and len(stripped.split()) > 1 and stripped != s:
                    stripped = stripped[: -len(e) - 1].strip()
                    out.append(latin_key(stripped))
                    changed = True
                    break
    return list(dict.fromkeys(k for k in out if k))


def _zh_variants(text: str) -> list[str]:
    s = re.sub(r"\s+", "", text)
    out = [s, strip_ethnic(s)]
    for suf in _ZH_SUFFIXES:
        if s.endswith(suf) and len(s) - len(suf) >= 2:
            out.append(s[: -len(suf)])
    return list(dict.fromkeys(out))


@lru_cache(maxsize=100_000)
def _lookup(text: str, level: str) -> dict[tuple[str, str], str]:
    """Places named ``text`` at ``level``: {(adcode, level): how}; {} when unknown."""
    ix = _index()[level]
    variants = _zh_variants(text) if _CJK.search(text) else _latin_variants(text)
    for key in variants:
        slot = ix.get(key)
        if slot:
            return _best(slot)
    return {}


@lru_cache(maxsize=100_000)
def _lookup_all(text: str, level: str) -> dict[tuple[str, str], str]:
    """Places matching any variant of ``text`` (e.g. "Shangcheng" as well as "Shangcheng Qu").

    Used only inside a given province or city, when the first match lies outside it.
    """
    ix = _index()[level]
    variants = _zh_variants(text) if _CJK.search(text) else _latin_variants(text)
    out: dict[tuple[str, str], str] = {}
    for key in variants:
        for place, how in ix.get(key, {}).items():
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


@lru_cache(maxsize=100_000)
def _parse(text: str, min_level: int = 0) -> tuple[tuple[int, tuple], ...] | None:
    """Split a combined string into names of increasing level: ((level, matches), ...)."""
    for lvl in range(min_level, 3):
        hit = _lookup(text, LEVELS[lvl])
        if hit:
            return ((lvl, tuple(sorted(hit.items()))),)
    parts = _pieces(text)
    zh = bool(_CJK.search(text))
    for i in range(len(parts) - 1, 0, -1):
        head = _join(parts[:i], zh)
        for lvl in range(min_level, 2):
            hit = _lookup(head, LEVELS[lvl])
            if hit:
                rest = _parse(_join(parts[i:], zh), lvl + 1)
                if rest:
                    return ((lvl, tuple(sorted(hit.items()))), *rest)
    return None


# --- resolution -------------------------------------------------------------------------------
def _label(place: tuple[str, str]) -> str:
    ps = _places()
    p = ps[place]
    if p.level == "province":
        return p.name_zh
    parent = ps.get((p.parent, "city")) if p.level == "district" else None
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


def _suggest(text: str, level: str) -> str | None:
    latin = not _CJK.search(text)
    if latin:
        keys = _latin_variants(text)
        query = keys[-1] if keys else ""
    else:
        query = re.sub(r"\s+", "", text)
    if not query or len(query) > 40:
        return None
    choices = _choices(level, latin)
    hit = process.extractOne(
        query, list(choices), scorer=fuzz.ratio, score_cutoff=80 if latin else 65
    )
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


@lru_cache(maxsize=200_000)
def _resolve_raw(province: str | None, city: str | None, district: str | None) -> Resolution:
    return _resolve(_clean(province), _clean(city), _clean(district))


@lru_cache(maxsize=200_000)
def _resolve(province: str | None, city: str | None, district: str | None) -> Resolution:
    given = {"province": province, "city": city, "district": district}
    if not any(given.values()):
        return Resolution()
    ps = _places()
    # constraints per level: list of (field, value, {place: how})
    cons: dict[str, list[tuple[str, str, dict]]] = {lvl: [] for lvl in LEVELS}
    combined = False
    fallback: dict[str, str] = {}
    for fi, field in enumerate(FIELDS):
        value = given[field]
        if value is None:
            continue
        parsed = None
        if len(value) <= MAX_LEN and not _CONTROL.search(value):
            hit = _lookup(value, field)
            if hit:
                parsed = ((fi, tuple(hit.items())),)
                fallback[field] = value  # looked up again only if needed
            else:
                p = _parse(value, 0)
                if p and (len(p) > 1):
                    parsed = p
                    combined = True
        if parsed is None:
            # an unknown name: report it, resolve what the other fields allow above it
            ctx = _partial(given, cons, field)
            msg, sugg = _unknown(value, field, ctx[1])
            return _finish(ctx[0], combined, msg, field, (), sugg)
        for lvl, matches in parsed:
            cons[LEVELS[lvl]].append((field, value, dict(matches)))

    return _decide(cons, combined, ps, fallback)


def _partial(given: dict, cons: dict, failed: str) -> tuple[Resolution, str | None]:
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
    )


def _decide(cons: dict, combined: bool, ps: dict, fallback: dict) -> Resolution:
    prov: str | None = None
    cityc: str | None = None
    dist: str | None = None
    how = ""

    def result(level, problem=None, field=None, cands=(), cand_codes=()):
        return Resolution(
            province_adcode=prov,
            city_adcode=cityc,
            district_adcode=dist,
            level=level,
            how=how if level else "",
            problem=problem,
            field=field,
            candidates=tuple(cands),
            suggestion=None,
            candidate_adcodes=tuple(cand_codes),
            combined=combined,
        )

    def current_level():
        return "district" if dist else "city" if cityc else "province" if prov else None

    # province ---------------------------------------------------------------------------------
    if cons["province"]:
        sets = [set(m) for _, _, m in cons["province"]]
        common = set.intersection(*sets)
        if not common:
            field, value, _ = cons["province"][-1]
            return result(None, f"{field} {value!r} contradicts the province given", field)
        if len(common) > 1:  # cannot happen with the current names; reported, not guessed
            field, value, _ = cons["province"][0]
            cands = sorted(common)
            return result(
                None,
                f"ambiguous province {value!r}",
                field,
                [_label(p) for p in cands],
                [a for a, _ in cands],
            )
        (place,) = common
        prov = place[0]
        how = cons["province"][0][2][place]

    # city ---------------------------------------------------------------------------------------
    if cons["city"]:
        common = set.intersection(*[set(m) for _, _, m in cons["city"]])
        field, value, m0 = cons["city"][0]
        if not common:
            return result(current_level(), f"{field} {value!r} contradicts the city given", field)
        inside = {p for p in common if prov is None or ps[p].province == prov}
        if not inside and len(cons["city"]) == 1 and field in fallback:
            alt = _lookup_all(fallback[field], "city")
            inside = {p for p in alt if prov is None or ps[p].province == prov}
            m0 = alt
        if not inside:
            labels = ", ".join(sorted(_label(p) for p in common))
            return result(
                current_level(),
                f"city {value!r} ({labels}) is not in {ps[(prov, 'province')].name_zh}",
                field,
                [_label(p) for p in sorted(common)],
                [a for a, _ in sorted(common)],
            )
        if len(inside) > 1:
            cands = sorted(inside)
            return result(
                current_level(),
                f"ambiguous city {value!r}: " + ", ".join(_label(p) for p in cands),
                field,
                [_label(p) for p in cands],
                [a for a, _ in cands],
            )
        (place,) = inside
        cityc = place[0]
        prov = ps[place].province
        how = m0.get(place, how)
    elif prov in SINGLE_CITY_PROVINCES:
        cityc = SINGLE_CITY_PROVINCES[prov]

    # district -----------------------------------------------------------------------------------
    if cons["district"]:
        common = set.intersection(*[set(m) for _, _, m in cons["district"]])
        field, value, m0 = cons["district"][0]
        if not common:
            return result(
                current_level(), f"{field} {value!r} contradicts the district given", field
            )

        def fits(p: tuple[str, str]) -> bool:
            pl = ps[p]
            if cityc is not None:
                return pl.parent == cityc if pl.level == "district" else pl.adcode == cityc
            return prov is None or pl.province == prov

        inside = {p for p in common if fits(p)}
        if not inside and len(cons["district"]) == 1 and field in fallback:
            alt = _lookup_all(fallback[field], "district")
            inside = {p for p in alt if fits(p)}
            m0 = alt
        if not inside:
            where = ps_name(cityc, "city") if cityc else ps_name(prov, "province")
            return result(
                current_level(),
                f"district {value!r} is not in {where} (it is in "
                + ", ".join(sorted(_label(p) for p in common))
                + ")",
                field,
                [_label(p) for p in sorted(common)],
                [a for a, _ in sorted(common)],
            )
        if len(inside) > 1:
            cands = sorted(inside)
            return result(
                current_level(),
                f"ambiguous district {value!r}: " + ", ".join(_label(p) for p in cands),
                field,
                [_label(p) for p in cands],
                [a for a, _ in cands],
            )
        (place,) = inside
        pl = ps[place]
        city_given = bool(cons["city"])
        if pl.level == "city":  # a province-administered county-level unit (澄迈县)
            cityc = pl.adcode
            how = m0[place]
        else:
            dist = pl.adcode
            cityc = pl.parent
            how = m0[place] if city_given else "district unique"
        prov = pl.province
    return result(current_level())
