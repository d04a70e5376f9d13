"""The canonical policy frame and its vocabularies, with English and Chinese display labels.

The dashboard imports the labels from here; `data.parse` maps what people write onto the codes.
A value outside a vocabulary (an incentive label nobody foresaw, say) is kept as written: use
`label(VOCAB, code, lang)`, which falls back to the value itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Label:
    en: str
    zh: str


# Canonical columns, in order (docs/ARCHITECTURE.md). The loaded frame carries these first,
# then the raw text of every parsed field (*_raw), then the input's unknown columns, unchanged.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "row",
    "policy_id",
    "date",
    "date_precision",
    "date_raw",
    "level",
    "province_zh",
    "city_zh",
    "district_zh",
    "province_adcode",
    "city_adcode",
    "district_adcode",
    "placed",
    "issuer_zh",
    "issuer_en",
    "title_zh",
    "title_en",
    "policy_type",
    "stance",
    "incentives",
    "amount_cny",
    "sectors",
    "summary_en",
    "source",
    "is_work_report",
)

# Added by this project beyond the contract (always present, after the canonical columns).
EXTRA_COLUMNS: tuple[str, ...] = (
    "summary_zh",
    "date_end",  # the end of a date range (2020-01-23 to 2020-03-13; the start is `date`), or NaT
    "level_raw",
    "level_inferred",
    "policy_type_raw",
    "stance_raw",
    "incentives_raw",
    "amount_raw",
    "sectors_raw",
    "problems",
)

# strftime format of a date at its stated precision (2020, 2020-04, 2020-04-08).
DATE_FORMATS: dict[str, str] = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def format_date(date: Any, precision: object) -> str:
    """A date at its stated precision: 2020-04-08, 2020-04, 2021-Q2, 2020 ("" when missing)."""
    import pandas as pd

    if date is None or date == "" or pd.isna(date):
        return ""
    ts = pd.Timestamp(date)
    if precision == "quarter":
        return f"{ts.year}-Q{(ts.month - 1) // 3 + 1}"
    return ts.strftime(DATE_FORMATS.get(str(precision), "%Y-%m-%d"))


# Level of the issuing government.
LEVELS: dict[str, Label] = {
    "national": Label("national", "国家级"),
    "provincial": Label("provincial", "省级"),
    "city": Label("city", "市级"),
    "district": Label("district / county", "区县级"),
    "unknown": Label("unknown", "未知"),
}

# Where a row sits on the map (the deepest place resolved).
PLACED: dict[str, Label] = {
    "national": Label("national (no place)", "全国"),
    "province": Label("province", "省级"),
    "city": Label("city", "市级"),
    "district": Label("district / county", "区县级"),
    "unplaced": Label("not placed", "未定位"),
}

POLICY_TYPES: dict[str, Label] = {
    "five-year-plan": Label("five-year plan", "五年规划"),
    "action-plan": Label("action plan", "行动计划"),
    "guiding-opinion": Label("guiding opinion", "指导意见"),
    "support-measures": Label("support measures", "扶持措施"),
    "regulation": Label("regulation", "监管规定"),
    "pilot-designation": Label("pilot designation", "试点认定"),
    "white-paper": Label("white paper", "白皮书"),
    "other": Label("other", "其他"),
    "unknown": Label("not stated", "未注明"),
}

STANCES: dict[str, Label] = {
    "support": Label("support", "支持"),
    "restrict": Label("restrict", "限制"),
    "regulate": Label("regulate", "监管"),
    "unknown": Label("not stated", "未注明"),
}

INCENTIVES: dict[str, Label] = {
    "cash-reward": Label("cash reward", "现金奖励"),
    "subsidy": Label("subsidy", "补贴"),
    "tax-incentive": Label("tax incentive", "税收优惠"),
    "talent-residency": Label("talent and residency", "人才落户"),
    "industrial-park": Label("industrial park", "产业园"),
    "fund": Label("fund", "基金"),
    "rd-support": Label("R&D support", "研发支持"),
    "pilot-application": Label("pilot", "试点"),
    "office-rent": Label("office rent", "租金补贴"),
    "financing-support": Label("financing support", "融资支持"),
    "standards": Label("standards", "标准制定"),
    "none-stated": Label("none stated", "未提及"),
}

SECTORS: dict[str, Label] = {
    "finance": Label("finance", "金融"),
    "government-services": Label("government services", "政务服务"),
    "healthcare": Label("healthcare", "医疗健康"),
    "manufacturing": Label("manufacturing", "制造业"),
    "energy": Label("energy", "能源"),
    "judiciary": Label("judiciary", "司法"),
    "taxation": Label("taxation", "税务"),
    "trade": Label("trade", "贸易"),
    "education": Label("education", "教育"),
    "agriculture": Label("agriculture", "农业"),
    "logistics": Label("logistics", "物流"),
    "culture": Label("culture", "文化"),
    "food-safety": Label("food safety", "食品安全"),
}

PILOT_CATEGORIES: dict[str, Label] = {
    "comprehensive": Label("comprehensive pilot", "综合性试点"),
    "featured": Label("featured-field pilot", "特色领域试点"),
}


def label(vocab: dict[str, Label], code: object, lang: str = "en") -> str:
    """Label of `code` in `lang` ("en" or "zh"); a code outside `vocab` is shown as written."""
    if code is None or (isinstance(code, float) and code != code):
        return ""
    entry = vocab.get(str(code))
    if entry is None:
        return str(code)
    return entry.zh if lang == "zh" else entry.en
