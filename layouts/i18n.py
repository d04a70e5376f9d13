"""Interface strings: one catalogue per language, plus the names the registries define.

Static labels are rendered in both languages and one is hidden by CSS (``.lang-zh .l-en``), so the
language switch is instant and needs no server round trip; figures and the grid, which draw their
own text, are rebuilt in the chosen language. The names of filter dimensions, breakdown charts and
map measures come from their registries (``data.dimensions``, ``data.measures``) under the keys
``<dimension id>``, ``by_<dimension id>`` and ``m_<measure id>``, so each is written once.
"""

from __future__ import annotations

from data.dimensions import CATEGORIES
from data.measures import MEASURES
from data.schema import Label

ZH: dict[str, str] = {
    "app_title": "区块链政策地图",
    "app_subtitle": "中国各省市区块链产业政策",
    "filters": "筛选",
    "date_range": "日期范围",
    "place": "地区",
    "text": "搜索",
    "search_placeholder": "标题、机关、地名…",
    "work_reports": "计入政府工作报告",
    "clear_all": "清除全部",
    "copy_link": "复制链接",
    "copied": "已复制",
    "map": "政策分布",
    "map_level": "地图层级",
    "provinces": "省级",
    "cities": "市级",
    "measure": "指标",
    "gdp_year": "GDP 年份",
    "pilots": "显示国家区块链创新应用试点",
    "pilots_legend": "国家区块链创新应用试点",
    "drill": "查看{name}各市",
    "back": "返回全国",
    "timeline": "发布时间",
    "step": "时间粒度",
    "year": "年",
    "quarter": "季度",
    "month": "月",
    "count": "政策数",
    "cumulative": "累计",
    "table": "政策列表",
    "table_search": "在表中查找",
    "pilot_table": "国家区块链创新应用试点",
    "col_date": "日期",
    "col_place": "地区",
    "col_level": "层级",
    "col_title_zh": "标题（中文）",
    "col_title_en": "标题（英文）",
    "col_issuer": "发文机关",
    "col_type": "类型",
    "col_stance": "取向",
    "col_incentives": "激励方式",
    "col_amount": "金额（元）",
    "col_source": "来源",
    "col_status": "定位",
    "no_record": "无政策记录",
    "no_reference": "无人口或 GDP 数据，无法按此指标着色",
    "filtered_zero": "筛选后为零",
    "national_beside": "全国性政策（无地区）：{n} 项",
    "unplaced_beside": "未能定位：{n} 项",
    "province_only_beside": "仅到省级、市级地图不显示：{n} 项",
    "all_data": "全部数据",
    "source_line": "数据：Policy Atlas 政策表（{rows} 行，每行附来源），截至 {date}",
    "source_short": "数据：Policy Atlas（{rows} 行），截至 {date}",
    "undated_note": "另有 {n} 项日期不详",
    "summary": (
        "{policies} 项政策 · {provinces} 个省级地区 · {cities} 个城市 · 明确金额合计 {amount}"
    ),
    "of_total": "（共 {total} 项）",
    "lang_switch": "English",
    "filters_in_words": "筛选：",
    "no_filters": "无筛选（全部政策）",
    "wr_excluded": "不含政府工作报告",
    "search_for": "搜索“{q}”",
    "date_from_to": "{a} 至 {b}",
    "since": "{a} 起",
    "until": "至 {b}",
    "url_notes": "链接中有无法识别的参数，已忽略：",
    "skip": "跳到地图和图表",
    "menu": "菜单",
    "pilot_field": "试点领域",
    "col_sectors": "应用领域",
    "col_work_report": "政府工作报告",
    "col_summary": "摘要",
    "col_problems": "数据问题",
    "yes": "是",
    "close": "关闭",
    "detail": "政策详情",
    "detail_hint": "点击表中一行（或在行上按回车）查看全部字段",
    "dd_select_all": "全选",
    "dd_deselect_all": "取消全选",
    "dd_selected_count": "已选 {num_selected} 项",
    "dd_search": "搜索",
    "dd_clear_search": "清除搜索",
    "dd_clear_selection": "清除选择",
    "dd_no_options_found": "无匹配选项",
    "pilot_field_placeholder": "试点领域",
    "measure_fallback": "“{asked}”只适用于省级地图（城市没有人口和 GDP 数据），当前显示“{shown}”",
    "loading": "加载中…",
}

EN: dict[str, str] = {
    "app_title": "Policy Atlas",
    "app_subtitle": "Chinese government policy on blockchain, by province and city",
    "filters": "Filters",
    "date_range": "Date range",
    "place": "Place",
    "text": "Search",
    "search_placeholder": "title, issuer, place…",
    "work_reports": "Count government work reports",
    "clear_all": "Clear all",
    "copy_link": "Copy link",
    "copied": "Copied",
    "map": "Policies by place",
    "map_level": "Map level",
    "provinces": "Provinces",
    "cities": "Cities",
    "measure": "Measure",
    "gdp_year": "GDP year",
    "pilots": "Show national blockchain pilots",
    "pilots_legend": "National blockchain pilots",
    "drill": "Show the cities of {name}",
    "back": "Back to all of China",
    "timeline": "Policies over time",
    "step": "Step",
    "year": "Year",
    "quarter": "Quarter",
    "month": "Month",
    "count": "Policies",
    "cumulative": "Cumulative",
    "table": "Policies",
    "table_search": "Find in table",
    "pilot_table": "National blockchain innovation pilots",
    "col_date": "Date",
    "col_place": "Place",
    "col_level": "Level",
    "col_title_zh": "Title (Chinese)",
    "col_title_en": "Title (English)",
    "col_issuer": "Issuer",
    "col_type": "Type",
    "col_stance": "Stance",
    "col_incentives": "Incentives",
    "col_amount": "Amount (yuan)",
    "col_source": "Source",
    "col_status": "Placed",
    "no_record": "No recorded policy",
    "no_reference": "no population or GDP figure for this measure",
    "filtered_zero": "None under current filters",
    "national_beside": "National policies (no region): {n}",
    "unplaced_beside": "Not placed on the map: {n}",
    "province_only_beside": "Province-level only, not on the city map: {n}",
    "all_data": "All data",
    "source_line": (
        "Data: Policy Atlas policy table ({rows} rows, each with its source), as of {date}"
    ),
    "source_short": "Data: Policy Atlas ({rows} rows), as of {date}",
    "undated_note": "{n} more undated",
    "summary": "{policies} · {provinces} · {cities} · stated amounts {amount}",
    "of_total": " (of {total})",
    "lang_switch": "中文",
    "filters_in_words": "Filters: ",
    "no_filters": "none (all policies)",
    "wr_excluded": "excluding government work reports",
    "search_for": "search “{q}”",
    "date_from_to": "{a} to {b}",
    "since": "from {a}",
    "until": "until {b}",
    "url_notes": "Some link parameters were not understood: ",
    "skip": "Skip to the map and charts",
    "menu": "Menu",
    "pilot_field": "Pilot field",
    "col_sectors": "Sectors",
    "col_work_report": "Government work report",
    "col_summary": "Summary",
    "col_problems": "Problems in the data",
    "yes": "yes",
    "close": "Close",
    "detail": "Policy details",
    "detail_hint": "Click a row (or press Enter on it) to see every field",
    "dd_select_all": "Select all",
    "dd_deselect_all": "Deselect all",
    "dd_selected_count": "{num_selected} selected",
    "dd_search": "Search",
    "dd_clear_search": "Clear search",
    "dd_clear_selection": "Clear selection",
    "dd_no_options_found": "No options found",
    "pilot_field_placeholder": "pilot field",
    "measure_fallback": (
        "“{asked}” applies to the province map only (cities have no population or GDP"
        " figures); the map shows “{shown}”"
    ),
    "loading": "Loading…",
}


def _registry_names() -> dict[str, Label]:
    names: dict[str, Label] = {}
    for c in CATEGORIES:
        names[c.id] = c.name
        names[f"by_{c.id}"] = c.chart_name
    for m in MEASURES:
        names[f"m_{m.id}"] = m.name
    return names


for _key, _label in _registry_names().items():
    ZH[_key], EN[_key] = _label.zh, _label.en
CATALOGUES: dict[str, dict[str, str]] = {"zh": ZH, "en": EN}


def t(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang`` ("zh" or "en"), formatted with ``fmt``."""
    text = CATALOGUES["zh" if lang == "zh" else "en"][key]
    return text.format(**fmt) if fmt else text
