"""Interface strings in Chinese and English.

Static labels are rendered in both languages and one is hidden by CSS (``.lang-zh .l-en``), so the
language switch is instant and needs no server round trip; figures and the grid, which draw their
own text, are rebuilt in the chosen language.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("区块链政策地图", "Policy Atlas"),
    "app_subtitle": (
        "中国各省市区块链产业政策",
        "Chinese government policy on blockchain, by province and city",
    ),
    "filters": ("筛选", "Filters"),
    "date_range": ("日期范围", "Date range"),
    "place": ("地区", "Place"),
    "level": ("发文层级", "Issuing level"),
    "type": ("政策类型", "Policy type"),
    "incentive": ("激励方式", "Incentive"),
    "stance": ("政策取向", "Stance"),
    "text": ("搜索", "Search"),
    "search_placeholder": ("标题、机关、地名…", "title, issuer, place…"),
    "work_reports": ("计入政府工作报告", "Count government work reports"),
    "clear_all": ("清除全部", "Clear all"),
    "copy_link": ("复制链接", "Copy link"),
    "copied": ("已复制", "Copied"),
    "map": ("政策分布", "Policies by place"),
    "map_level": ("地图层级", "Map level"),
    "provinces": ("省级", "Provinces"),
    "cities": ("市级", "Cities"),
    "measure": ("指标", "Measure"),
    "m_count": ("政策数", "Policy count"),
    "m_share": ("占地图所示政策的比例 (%)", "Share of the policies on the map (%)"),
    "m_per_pop": ("每千万常住人口政策数", "Policies per 10 million residents"),
    "m_per_gdp": ("每千亿元GDP政策数", "Policies per 100 billion yuan of GDP"),
    "gdp_year": ("GDP 年份", "GDP year"),
    "pilots": ("显示国家区块链创新应用试点", "Show national blockchain pilots"),
    "pilots_legend": ("国家区块链创新应用试点", "National blockchain pilots"),
    "drill": ("查看{name}各市", "Show the cities of {name}"),
    "back": ("返回全国", "Back to all of China"),
    "timeline": ("发布时间", "Policies over time"),
    "step": ("时间粒度", "Step"),
    "year": ("年", "Year"),
    "quarter": ("季度", "Quarter"),
    "month": ("月", "Month"),
    "count": ("政策数", "Policies"),
    "cumulative": ("累计", "Cumulative"),
    "by_incentive": ("按激励方式", "By incentive"),
    "by_type": ("按政策类型", "By policy type"),
    "by_level": ("按发文层级", "By issuing level"),
    "by_stance": ("按政策取向", "By stance"),
    "table": ("政策列表", "Policies"),
    "table_search": ("在表中查找", "Find in table"),
    "pilot_table": ("国家区块链创新应用试点", "National blockchain innovation pilots"),
    "col_date": ("日期", "Date"),
    "col_place": ("地区", "Place"),
    "col_level": ("层级", "Level"),
    "col_title_zh": ("标题（中文）", "Title (Chinese)"),
    "col_title_en": ("标题（英文）", "Title (English)"),
    "col_issuer": ("发文机关", "Issuer"),
    "col_type": ("类型", "Type"),
    "col_stance": ("取向", "Stance"),
    "col_incentives": ("激励方式", "Incentives"),
    "col_amount": ("金额（元）", "Amount (yuan)"),
    "col_source": ("来源", "Source"),
    "col_status": ("定位", "Placed"),
    "no_record": ("无政策记录", "No recorded policy"),
    "no_reference": (
        "无人口或 GDP 数据，无法按此指标着色",
        "no population or GDP figure for this measure",
    ),
    "filtered_zero": ("筛选后为零", "None under current filters"),
    "national_beside": ("全国性政策（无地区）：{n} 项", "National policies (no region): {n}"),
    "unplaced_beside": ("未能定位：{n} 项", "Not placed on the map: {n}"),
    "province_only_beside": (
        "仅到省级、市级地图不显示：{n} 项",
        "Province-level only, not on the city map: {n}",
    ),
    "all_data": ("全部数据", "All data"),
    "source_line": (
        "数据：Policy Atlas 政策表（{rows} 行，每行附来源），截至 {date}",
        "Data: Policy Atlas policy table ({rows} rows, each with its source), as of {date}",
    ),
    "source_short": (
        "数据：Policy Atlas（{rows} 行），截至 {date}",
        "Data: Policy Atlas ({rows} rows), as of {date}",
    ),
    "undated_note": ("另有 {n} 项日期不详", "{n} more undated"),
    "summary": (
        "{policies} 项政策 · {provinces} 个省级地区 · {cities} 个城市 · 明确金额合计 {amount}",
        "{policies} · {provinces} · {cities} · stated amounts {amount}",
    ),
    "of_total": ("（共 {total} 项）", " (of {total})"),
    "lang_switch": ("English", "中文"),
    "filters_in_words": ("筛选：", "Filters: "),
    "no_filters": ("无筛选（全部政策）", "none (all policies)"),
    "wr_excluded": ("不含政府工作报告", "excluding government work reports"),
    "search_for": ("搜索“{q}”", "search “{q}”"),
    "date_from_to": ("{a} 至 {b}", "{a} to {b}"),
    "since": ("{a} 起", "from {a}"),
    "until": ("至 {b}", "until {b}"),
    "url_notes": ("链接中有无法识别的参数，已忽略：", "Some link parameters were not understood: "),
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang`` ("zh" or "en"), formatted with ``fmt``."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text
