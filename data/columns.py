"""Column matching: input headers (English or Chinese, any case) -> the fields the loader knows.

Fields: policy_id, date, level, province, city, district, issuer, issuer_zh, issuer_en, title,
title_zh, title_en, policy_type, stance, incentives, amount, sectors, summary, summary_zh,
summary_en, source. The generic fields (issuer, title, summary) are routed to their _zh or _en
column by content (mostly Chinese characters -> _zh).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

ALIASES: dict[str, tuple[str, ...]] = {
    "policy_id": ("policy_id", "id", "policy id", "编号", "政策编号", "序号", "no", "no."),
    "date": (
        "date_issued",
        "date",
        "issued",
        "issue date",
        "date issued",
        "publication date",
        "published",
        "release date",
        "发布日期",
        "发文日期",
        "印发日期",
        "日期",
        "发布时间",
        "印发时间",
        "发文时间",
        "时间",
        "成文日期",
        "颁布日期",
        "出台时间",
        "出台日期",
    ),  # fmt: skip
    "level": ("level", "层级", "级别", "行政级别", "政府层级", "发文层级"),
    "province": (
        "province_zh",
        "province",
        "prov",
        "省份",
        "省",
        "省级",
        "所在省份",
        "省市",
        "省/自治区/直辖市",
        "省（自治区、直辖市）",
        "省(自治区、直辖市)",
        "省区市",
    ),  # fmt: skip
    # one column holding any place, or a combined string (北京市朝阳区): used when there is no
    # province, city or district column
    "place": (
        "place",
        "location",
        "region",
        "area",
        "地区",
        "所在地",
        "所在地区",
        "地点",
        "行政区划",
    ),
    "city": ("city_zh", "city", "prefecture", "城市", "市", "地市", "地级市", "所在城市", "市州"),
    "district": (
        "district_zh",
        "district",
        "county",
        "区县",
        "区",
        "县",
        "区/县",
        "县区",
        "区（县）",
        "区(县)",
        "所在区县",
    ),  # fmt: skip
    "issuer": (
        "issuer",
        "issuing body",
        "authority",
        "发文机关",
        "发文单位",
        "发布机关",
        "发布机构",
        "发文机构",
        "发布单位",
        "制定机关",
        "颁布机关",
        "印发机关",
    ),  # fmt: skip
    "issuer_zh": ("issuing_body_zh", "issuer_zh"),
    "issuer_en": ("issuing_body_en", "issuer_en"),
    "title": (
        "title",
        "name",
        "policy",
        "policy name",
        "政策名称",
        "文件名称",
        "标题",
        "名称",
        "政策标题",
        "文件标题",
        "政策",
        "文件名",
    ),  # fmt: skip
    "title_zh": ("title_zh", "中文标题"),
    "title_en": ("title_en", "english title", "英文标题"),
    "policy_type": ("policy_type", "type", "policy type", "类型", "政策类型", "文件类型", "类别"),
    "stance": ("stance", "立场", "态度", "倾向", "政策取向"),
    "incentives": (
        "incentives",
        "incentive",
        "激励方式",
        "扶持方式",
        "激励措施",
        "扶持措施",
        "支持方式",
        "优惠政策",
        "扶持政策",
        "激励",
    ),  # fmt: skip
    "amount": (
        "amount_cny",
        "amount",
        "amount (cny)",
        "金额",
        "资金",
        "奖励金额",
        "扶持金额",
        "最高金额",
        "补贴金额",
        "资金规模",
    ),  # fmt: skip
    "sectors": ("sectors", "sector", "领域", "应用领域", "行业", "所属领域"),
    "summary": ("summary", "description", "摘要", "内容摘要", "简介", "主要内容", "内容"),
    "summary_zh": ("summary_zh",),
    "summary_en": ("summary_en",),
    "source": (
        "source",
        "url",
        "link",
        "来源",
        "链接",
        "网址",
        "出处",
        "原文链接",
        "来源链接",
        "信息来源",
    ),  # fmt: skip
    # coordinates instead of names (data/coords.py places them in the boundaries)
    "lon": ("lon", "lng", "long", "longitude", "经度", "x_wgs84"),
    "lat": ("lat", "latitude", "纬度", "y_wgs84"),
}

GENERIC = {"issuer": "issuer", "title": "title", "summary": "summary"}

_BRACKETS = re.compile(r"[（(\[【].*?[）)\]】]")
_SPACES = re.compile(r"[\s_\-]+")
_UNIT = re.compile(r"[（(\[【]\s*(万元|万|亿元|亿|元)\s*[）)\]】]")


def normalise(name: str) -> str:
    """Header text compared: NFKC, no BOM, lower case, spaces/underscores/hyphens as one space."""
    s = unicodedata.normalize("NFKC", str(name)).replace("\ufeff", "").strip().lower()
    return _SPACES.sub(" ", s).strip()


def _strip_brackets(s: str) -> str:
    return _BRACKETS.sub("", s).strip()


_LOOKUP: dict[str, str] = {}
for _field, _names in ALIASES.items():
    for _n in _names:
        _LOOKUP.setdefault(normalise(_n), _field)


def match_field(name: str) -> str | None:
    """The field a header names, or None; traditional characters too (發布日期)."""
    found = _match(normalise(name))
    if found is None:
        from geodata.script import to_simplified

        simple = to_simplified(normalise(name))
        found = _match(simple) if simple != normalise(name) else None
    return found


def _match(n: str) -> str | None:
    if n in _LOOKUP:
        return _LOOKUP[n]
    m = _strip_brackets(n)
    if m and m in _LOOKUP:
        return _LOOKUP[m]
    # "Date 日期", "省份/Province": every part that names a field must name the same one
    parts = [p for p in re.split(r"[\s/|:：]+", m or n) if p]
    found = {_LOOKUP[p] for p in parts if p in _LOOKUP}
    if len(parts) > 1 and len(found) == 1:
        return found.pop()
    return None


def exact_field(name: str) -> str | None:
    """The field a header names exactly (an alias, brackets aside), not by one of its words:
    "标题" is a title, "adm0_name" only contains a word ("name") that could be one."""
    n = normalise(name)
    return _LOOKUP.get(n) or _LOOKUP.get(_strip_brackets(n))


def header_unit(name: str) -> float:
    """Multiplier a header states for amounts: '金额（万元）' -> 10000."""
    m = _UNIT.search(unicodedata.normalize("NFKC", str(name)))
    if not m:
        return 1.0
    unit = m.group(1)
    return {"万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8, "元": 1.0}[unit]


def header_score(cells: list[str]) -> int:
    """How many cells of a row name a known field (used to find the header row)."""
    return sum(1 for c in cells if c and match_field(c) is not None)


@dataclass
class ColumnMap:
    fields: dict[str, str] = field(default_factory=dict)  # field -> input column
    extras: list[str] = field(default_factory=list)  # input columns passed through
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (col, field, used)
    amount_unit: float = 1.0
    # generic columns (标题/title…) whose values are split per row into _zh / _en by content
    split: dict[str, str] = field(default_factory=dict)  # generic field -> input column


_CJK = re.compile(r"[\u3400-\u9fff]")


def mostly_chinese(values: list[str]) -> bool:
    """At least half the non-empty values hold Chinese characters."""
    vals = [v for v in values if v]
    if not vals:
        return False
    return sum(1 for v in vals if _CJK.search(v)) * 2 >= len(vals)


def map_columns(columns: list[str], sample: dict[str, list[str]]) -> ColumnMap:
    """Map input columns to fields. `sample` holds a few values per column (for zh/en routing)."""
    cm = ColumnMap()
    for col in columns:
        f = match_field(col)
        if f in GENERIC:
            g = f
            f = f"{f}_zh" if mostly_chinese(sample.get(col, [])) else f"{f}_en"
            if f == "summary_en" and f in cm.fields:
                f = "summary_zh"
            if g not in cm.split and f not in cm.fields:
                cm.split[g] = col
        if f is None:
            cm.extras.append(col)
            continue
        if f in cm.fields:
            # a second title column in the other language is welcome
            alt = {"title_zh": "title_en", "title_en": "title_zh", "issuer_zh": "issuer_en",
                   "issuer_en": "issuer_zh"}.get(f)  # fmt: skip
            if alt and alt not in cm.fields:
                cm.fields[alt] = col
                continue
            cm.duplicates.append((col, f, cm.fields[f]))
            cm.extras.append(col)
            continue
        cm.fields[f] = col
        if f == "amount":
            cm.amount_unit = header_unit(col)
    return cm


def passthrough(frame: Any) -> list[str]:
    """The input's own columns the loader kept as written (not canonical ones): what the row
    details, the grid's column toggle and the exports show under their own headers."""
    from data.schema import CANONICAL_COLUMNS, EXTRA_COLUMNS

    known = set(CANONICAL_COLUMNS) | set(EXTRA_COLUMNS)
    return [str(c) for c in frame.columns if c not in known]


def own_header(name: str) -> str:
    """The header the user wrote for a passed-through column: the loader keeps a column whose
    header is also a canonical column's name (``date_end``) as ``input_<header>``."""
    from data.schema import CANONICAL_COLUMNS, EXTRA_COLUMNS

    bare = name.removeprefix("input_")
    return bare if bare != name and bare in set(CANONICAL_COLUMNS) | set(EXTRA_COLUMNS) else name
