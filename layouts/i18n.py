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
    "source_line": "数据：{label} · {rows} 行{sourced} · 截至 {date}",
    "source_short": "数据：{label}（{rows} 行），截至 {date}",
    "sourced": "，每行附来源",
    "empty_chart": "没有符合这些筛选条件的政策",
    "legend_zero": "筛选后为 0",
    "none_apart": "另有 {n} 项{what}（未画入比例）",
    "drawn_filtered": "（仅含符合全部筛选条件的政策）",
    "ranked": "地区排名",
    "ranked_of": "{measure}，按{unit}排名",
    "classes": "分级方式",
    "classes_jenks": "自然断点",
    "classes_quantiles": "分位数",
    "classes_equal": "等间距",
    "bar_order": "条形排序",
    "order_value": "按数值",
    "order_schema": "按类别",
    "dl_title": "标题（可编辑）",
    "dl_note": "注释（可选）",
    "rank_more": "另有 {n} 个{unit}未列出",
    "unit_province": "省份",
    "unit_city": "城市",
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
    "pilots": "National pilots",
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
    "source_line": "Data: {label} · {rows} rows{sourced} · as of {date}",
    "source_short": "Data: {label} ({rows} rows), as of {date}",
    "sourced": ", each with its source",
    "empty_chart": "No policy matches these filters",
    "legend_zero": "0 under these filters",
    "none_apart": "{n} more {what} (not drawn to scale)",
    "drawn_filtered": " (drawn with only the policies matching every filter)",
    "ranked": "Regions ranked",
    "ranked_of": "{measure}, {unit} ranked",
    "classes": "Classes",
    "classes_jenks": "Natural breaks",
    "classes_quantiles": "Quantiles",
    "classes_equal": "Equal intervals",
    "bar_order": "Bar order",
    "order_value": "By value",
    "order_schema": "By category",
    "dl_title": "Title (editable)",
    "dl_note": "Note (optional)",
    "rank_more": "{n} more {unit} not listed",
    "unit_province": "provinces",
    "unit_city": "cities",
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

# Policy diffusion: the time slider and its player, the first-adoption map, the adoption curve.
ZH.update(
    {
        "period": "时期",
        "all_periods": "全部时期",
        "play": "播放",
        "pause": "暂停",
        "speed": "速度",
        "slow": "慢",
        "normal": "中",
        "fast": "快",
        "cumulative_switch": "累计至该时期",
        "period_in": "{p}",
        "period_up_to": "截至 {p}",
        "first_adoption": "首次采纳：首项政策的年份",
        "first_policy": "首项政策",
        "never": "从未",
        "never_long": "筛选条件下无政策",
        "adoption_curve": "采纳曲线：已有政策的地区数",
        "adopted_provinces": "已有政策的省级地区",
        "adopted_cities": "已有政策的城市",
        "share_of": "占全部 {n} 个的比例 (%)",
        "all_selected": "全部（当前筛选）",
        "undated_not_counted": "{n} 项日期不详，未计入",
        "small_multiples": "逐年政策分布",
        "frame_source_note": "每帧：{p}",
    }
)
EN.update(
    {
        "period": "Period",
        "all_periods": "All periods",
        "play": "Play",
        "pause": "Pause",
        "speed": "Speed",
        "slow": "Slow",
        "normal": "Normal",
        "fast": "Fast",
        "cumulative_switch": "Cumulative up to the period",
        "period_in": "{p}",
        "period_up_to": "up to {p}",
        "first_adoption": "First adoption: year of the first policy",
        "first_policy": "First policy",
        "never": "Never",
        "never_long": "no policy under the filters",
        "adoption_curve": "Adoption: regions with a policy",
        "adopted_provinces": "Provinces with a policy",
        "adopted_cities": "Cities with a policy",
        "share_of": "Share of all {n} (%)",
        "all_selected": "All (current filters)",
        "undated_not_counted": "{n} undated, not counted",
        "small_multiples": "Policies by place, year by year",
        "frame_source_note": "Frame: {p}",
    }
)


# --- your own table (issue 10)
ZH.update(
    {
        "upload": "用自己的表格",
        "upload_hint": "把 CSV、XLSX 或 Parquet 文件拖到这里，或点击选择（最大 {mb} MB）",
        "upload_template": "模板：",
        "upload_template_zh": "中文表头",
        "upload_template_en": "英文表头",
        "upload_private": "上传的表格只有持链接的人能看到，不会被列出。",
        "upload_gcj02": "经纬度为 GCJ-02 坐标（高德、腾讯地图），不是 WGS-84",
        "upload_banner": "{n} 行有问题 —— 查看",
        "upload_banner_ok": "表格已载入，没有发现问题。",
        "upload_unplaced": "{n} 行未能定位",
        "upload_undated": "{n} 行日期不详",
        "upload_dismiss": "关闭",
        "upload_problems": "检查报告：{n} 个问题",
        "upload_problems_csv": "下载问题清单 (CSV)",
        "upload_remove": "删除此表格",
        "upload_table": "当前表格：{name}（{rows} 行，上传于 {date}）",
        "upload_gone": "链接中的表格已不在服务器上（已删除或过期）。现在显示的是内置表格。",
        "upload_open_bundled": "打开内置表格",
        "col_line": "行",
        "col_field": "字段",
        "col_value": "值",
        "col_reason": "原因",
        "col_suggestion": "建议",
        "col_severity": "级别",
        "source_upload": "数据：{label}（{rows} 行{sourced}），上传于 {date}",
        "js_uploading": "正在上传 {pct}%…",
        "js_reading": "正在读取和检查表格…",
        "js_loaded": "已载入 {rows} 行。",
        "js_error": "无法使用此文件：",
        "js_interrupted": "上传中断，没有保存任何内容。请重试。",
        "js_too_big": "{name}：{size} MB，超过上传上限 {mb} MB。",
        "js_map_title": "哪一列是标题？",
        "js_map_where": "哪一列是日期或地点？",
        "js_map_go": "用这些列读取",
        "js_removed": "表格已删除。",
        "upload_unreachable": "暂时无法连接存放上传表格的存储，打不开这个链接中的表格。请稍后再试。"
        "页面不显示任何其他表格的数据。",
        "upload_retry": "重试",
        "js_unreachable": "暂时无法连接存放上传表格的存储，没有做任何更改。请稍后再试。",
        "upload_default_table": "当前表格：{name}（{rows} 行）",
        "upload_only_unplaced": "只显示未能定位的 {n} 行的问题。",
        "upload_only_undated": "只显示日期不详的 {n} 行的问题。",
        "upload_show_all": "显示全部问题",
    }
)
EN.update(
    {
        "upload": "Use your own table",
        "upload_hint": (
            "Drop a CSV, XLSX or Parquet file here, or click to pick one (up to {mb} MB)"
        ),
        "upload_template": "Template: ",
        "upload_template_zh": "Chinese headers",
        "upload_template_en": "English headers",
        "upload_private": "An uploaded table is never listed: only people with its link see it.",
        "upload_gcj02": "Longitude/latitude are GCJ-02 (AMap, Tencent maps), not WGS-84",
        "upload_banner": "{n} rows have problems — see them",
        "upload_banner_ok": "Table loaded; no problems found.",
        "upload_unplaced": "{n} rows not placed",
        "upload_undated": "{n} rows undated",
        "upload_dismiss": "Dismiss",
        "upload_problems": "Check report: {n} problems",
        "upload_problems_csv": "Download the problems (CSV)",
        "upload_remove": "Remove this table",
        "upload_table": "Table: {name} ({rows} rows, uploaded {date})",
        "upload_gone": (
            "The table this link names is no longer on the server (removed or expired). "
            "Showing the bundled table."
        ),
        "upload_open_bundled": "Open the bundled table",
        "col_line": "Line",
        "col_field": "Field",
        "col_value": "Value",
        "col_reason": "Reason",
        "col_suggestion": "Suggestion",
        "col_severity": "Severity",
        "source_upload": "Data: {label} ({rows} rows{sourced}), uploaded {date}",
        "js_uploading": "Uploading {pct}%…",
        "js_reading": "Reading and checking the table…",
        "js_loaded": "Loaded {rows} rows.",
        "js_error": "This file cannot be used: ",
        "js_interrupted": "The upload was interrupted; nothing was stored. Please try again.",
        "js_too_big": "{name}: {size} MB is over the upload limit of {mb} MB.",
        "js_map_title": "Which column holds the title?",
        "js_map_where": "Which column holds the date or the place?",
        "js_map_go": "Read it with these columns",
        "js_removed": "The table was removed.",
        "upload_unreachable": (
            "The store that keeps uploaded tables cannot be reached right now, so this link's "
            "table cannot be opened. Please try again later. Nothing from another table is shown."
        ),
        "upload_retry": "Try again",
        "js_unreachable": (
            "The store that keeps uploaded tables cannot be reached right now; nothing was "
            "changed. Please try again later."
        ),
        "upload_default_table": "Table: {name} ({rows} rows)",
        "upload_only_unplaced": "Showing only the problems of the {n} rows not placed.",
        "upload_only_undated": "Showing only the problems of the {n} undated rows.",
        "upload_show_all": "Show all problems",
    }
)


# --- export jobs that cannot finish (callbacks/service/background.py: the #export-notice)
ZH.update(
    {
        "export_store_failed": "导出失败：任务存储不可用（{problem}）。详情见服务器日志。",
        "export_no_result": "导出失败：任务未产生结果就结束了。详情见服务器日志。",
        "export_no_worker": (
            "导出已取消：{seconds} 秒内没有导出进程响应（未运行或全部繁忙）。请稍后再试，"
            "或请管理员启动 worker。"
        ),
        "store_disk_full": "磁盘已满",
        "store_folder_missing": "缓存文件夹不存在",
        "store_redis_down": "无法连接 Redis",
        "store_unusable": "无法读写",
    }
)
EN.update(
    {
        "export_store_failed": (
            "Export failed: the job store is not usable ({problem}). The server log has details."
        ),
        "export_no_result": (
            "Export failed: the job stopped without a result. The server log has details."
        ),
        "export_no_worker": (
            "Export cancelled: no export worker answered within {seconds} s (none running, or all "
            "busy). Try again later, or ask the administrator to start a worker."
        ),
        "store_disk_full": "the disk is full",
        "store_folder_missing": "its folder is missing",
        "store_redis_down": "Redis is not reachable",
        "store_unusable": "it cannot be read or written",
    }
)


# --- compare mode (issue 16 item 6: data/compare.py, layouts/compare_view.py)
ZH.update(
    {
        "compare": "分地区对比",
        "compare_need_two": "（需选择两个或以上地区）",
        "compared": "对比：{names}",
        "compare_incl": "{name}（含{within}）",
        "compare_overlap": "{name}的数字包含{within}。",
        "compare_left_out": "最多对比 {n} 个地区，未列入：{names}。",
        "compare_n": "{name}\u00a0{n}\u00a0项",
    }
)
EN.update(
    {
        "compare": "Compare places side by side",
        "compare_need_two": " (select two or more places)",
        "compared": "compared: {names}",
        "compare_incl": "{name} (incl. {within})",
        "compare_overlap": "{name} counts include {within}.",
        "compare_left_out": "At most {n} places are compared; left out: {names}.",
        "compare_n": "{name}\u00a0{n}",
    }
)

# --- w/identity: a table that is gone (removed, expired, unreachable), owners, origins
ZH.update(
    {
        "gone_removed": "这个表格已被上传者删除。页面不显示任何其他表格的数据。",
        "gone_expired": "这个表格已过期（超过 {days} 天未使用），已从服务器上移除。"
        "页面不显示任何其他表格的数据。",
        "gone_missing": "链接中的表格不在服务器上（已删除或过期）。页面不显示任何其他表格的数据。",
        "gone_unreachable": "暂时无法连接存放上传表格的存储，现在打不开这个表格。请稍后再试。",
        "gone_short_removed": "这个表格已被删除",
        "gone_short_expired": "这个表格已过期",
        "gone_short_missing": "这个表格不在服务器上",
        "gone_short_unreachable": "这个表格现在无法连接",
        "js_not_owner": "只有上传这个表格的人（在上传时使用的浏览器中）才能删除或保留它。",
        "js_refused": "请求被拒绝（来自其他网站，或页面已过期）。请重新加载页面后再试。",
        "js_pinned": "这个表格会一直保留，直到你删除它。",
        "js_unpinned": "这个表格会在长期不用后过期。",
        "js_pin": "一直保留",
        "export_timed_out": "导出失败：渲染程序在 {seconds} 秒内没有回应（可能无法启动 Chromium），"
        "任务已停止。详情见服务器日志。",
    }
)
EN.update(
    {
        "gone_removed": (
            "This table was removed by the person who uploaded it. Nothing from another table "
            "is shown."
        ),
        "gone_expired": (
            "This table has expired (unused for more than {days} days) and is no longer on the "
            "server. Nothing from another table is shown."
        ),
        "gone_missing": (
            "The table this link names is not on the server (removed or expired). Nothing from "
            "another table is shown."
        ),
        "gone_unreachable": (
            "This table cannot be reached now: the store that keeps uploaded tables does not "
            "answer. Please try again later."
        ),
        "gone_short_removed": "this table was removed",
        "gone_short_expired": "this table has expired",
        "gone_short_missing": "this table is not on the server",
        "gone_short_unreachable": "this table cannot be reached now",
        "js_not_owner": (
            "Only the person who uploaded this table (in the browser they uploaded it from) can "
            "remove or keep it."
        ),
        "js_refused": (
            "The request was refused (from another site, or the page is out of date). Reload "
            "the page and try again."
        ),
        "js_pinned": "This table is kept until you remove it.",
        "js_unpinned": "This table expires when it has not been used for a while.",
        "js_pin": "Keep this table",
        "export_timed_out": (
            "Export failed: the renderer did not answer within {seconds} s (Chromium may not "
            "start); the job was stopped. The server log has the details."
        ),
    }
)


# --- w/abuse: a request that failed on the server (callbacks/service/context.guarded, #page-error)
ZH.update(
    {"request_failed": "出错了：这一操作未能在服务器上完成，错误已记入日志。请重试或刷新页面。"}
)
EN.update(
    {
        "request_failed": (
            "Something went wrong: the server could not complete this action; the error was "
            "logged. Try again or reload the page."
        )
    }
)


# --- w/roles (issue 20 items 1, 2, 7, 8): charts of a table that lacks places or dates, the
# column panel
ZH.update(
    {
        "empty_none_placed": "没有一行能定位到地图上——见检查报告",
        "empty_none_dated": "没有一行有可读的日期——见检查报告",
        "role_none": "不使用（原样保留）",
        "role_title": "标题",
        "role_date": "日期",
        "role_province": "省份",
        "role_city": "城市",
        "role_district": "区县",
        "role_place": "地点（任意级别）",
        "role_issuer": "发文机关",
        "role_policy_type": "政策类型",
        "role_stance": "立场",
        "role_incentives": "激励方式",
        "role_amount": "金额",
        "role_sectors": "领域",
        "role_summary": "摘要",
        "role_source": "来源链接",
        "role_policy_id": "编号",
        "role_level": "层级",
        "role_lon": "经度",
        "role_lat": "纬度",
        "colpanel_title": "列：表格是怎样读取的",
        "colpanel_hint": "每列的用途由内容判断；可在下拉框中更改，立即重新读取（无需重新上传）。"
        "选两列为标题即合并为一个标题。",
        "colpanel_role_of": "{column} 列的用途",
        "colpanel_date_order": "日期顺序",
        "colpanel_whole": "“全省”标记",
        "colpanel_topic": "主题",
        "colpanel_topic_hint": "如：防疫措施",
        "order_infer": "自动判断",
        "order_mdy": "月/日/年",
        "order_dmy": "日/月/年",
        "order_ymd": "年/月/日",
        "js_rereading": "正在重新读取……",
        "js_reread_refused": "未应用：",
    }
)
EN.update(
    {
        "empty_none_placed": "No row could be placed on the map — see the report",
        "empty_none_dated": "No row has a date this app can read — see the report",
        "role_none": "not used (kept as is)",
        "role_title": "title",
        "role_date": "date",
        "role_province": "province",
        "role_city": "city",
        "role_district": "district",
        "role_place": "place (any level)",
        "role_issuer": "issuer",
        "role_policy_type": "policy type",
        "role_stance": "stance",
        "role_incentives": "incentives",
        "role_amount": "amount",
        "role_sectors": "sectors",
        "role_summary": "summary",
        "role_source": "source link",
        "role_policy_id": "id",
        "role_level": "level",
        "role_lon": "longitude",
        "role_lat": "latitude",
        "colpanel_title": "Columns: how the table was read",
        "colpanel_hint": "Each column's role comes from its values; change it in its menu and the "
        "table is read again at once (no new upload). Two title columns make one title.",
        "colpanel_role_of": "role of column {column}",
        "colpanel_date_order": "Date order",
        "colpanel_whole": "“Whole province” marker",
        "colpanel_topic": "Topic",
        "colpanel_topic_hint": "e.g. COVID-19 measures",
        "order_infer": "infer",
        "order_mdy": "month/day/year",
        "order_dmy": "day/month/year",
        "order_ymd": "year/month/day",
        "js_rereading": "Reading the table again …",
        "js_reread_refused": "Not applied: ",
    }
)


# --- reconciliation of unplaced names (w/resolver, issue 20 item 5)
ZH.update(
    {
        "reconcile": "未能定位的地名：为每个地名选择地点",
        "reconcile_summary": "{n} 个地名未能定位——为每个地名选择地点",
        "reconcile_hint": "一次选择适用于该地名的所有行；选择随表格保存在链接中。",
        "reconcile_rows": "{n} 行",
        "reconcile_row": "{n} 行",
        "reconcile_where": "列 {field} · 第 {lines} 行",
        "reconcile_pick": "选择地点或输入搜索…",
        "reconcile_apply": "应用选择",
        "reconcile_applying": "正在按所选地点重新读取表格…",
        "reconcile_none": "请先为至少一个地名选择地点。",
        "reconcile_failed": "未能应用：{error}",
        "reconcile_applied": "按你的选择定位的地名：{n} 个。",
        "reconcile_csv": "下载地名对照表（CSV）",
        "reconcile_clear": "撤销全部选择",
        "reconcile_more": "另有 {n} 个地名未列出（见检查报告）。",
    }
)
EN.update(
    {
        "reconcile": "Names not placed: choose a place for each",
        "reconcile_summary": "{n} names not placed — choose a place for each",
        "reconcile_hint": "A choice applies to every row with that name; it is kept with the "
        "table and in its link.",
        "reconcile_rows": "{n} rows",
        "reconcile_row": "{n} row",
        "reconcile_where": "column {field} · lines {lines}",
        "reconcile_pick": "Choose a place or type to search…",
        "reconcile_apply": "Apply choices",
        "reconcile_applying": "Reading the table again with your choices…",
        "reconcile_none": "Choose a place for at least one name first.",
        "reconcile_failed": "Could not apply: {error}",
        "reconcile_applied": "Names placed as you chose: {n}.",
        "reconcile_csv": "Download aliases (CSV)",
        "reconcile_clear": "Undo all choices",
        "reconcile_more": "{n} more names are not listed (see the check report).",
    }
)

# --- w/dims: a table's own dimensions (issue 20 item 6)
ZH.update(
    {
        "own_other": "属于其余 {n} 个值（只画出最常见的 {top} 个）",
        "source_upload_short": "数据：{label}（{rows} 行）",
    }
)
EN.update(
    {
        "own_other": "in the {n} other values (the {top} most frequent are drawn)",
        "source_upload_short": "Data: {label} ({rows} rows)",
    }
)


# w/time (issue 21): time steps from the data, exports that say what they leave out, rankings
ZH.update(
    {
        "week": "周",
        "day": "日",
        "first_adoption_by": "首次采纳：首项政策所在的{step}",
        "step_year": "年份",
        "step_quarter": "季度",
        "step_month": "月份",
        "step_week": "周",
        "step_day": "日期",
        "coarse_class": "日期只知到{p}",
        "coarse_counted": "日期只知到月或年，计在其末日",
        "rank_zeros": "{n} 个{unit}：0",
        "multiples_by": "每{step}一图",
        "skip_table": "跳到政策表",
        "chart_menu": "图表菜单",
    }
)
EN.update(
    {
        "week": "Week",
        "day": "Day",
        "first_adoption_by": "First adoption: {step} of the first policy",
        "step_year": "year",
        "step_quarter": "quarter",
        "step_month": "month",
        "step_week": "week",
        "step_day": "day",
        "coarse_class": "dated to the {p} only",
        "coarse_counted": "dated only to a month or year: counted on its last day",
        "rank_zeros": "{n} {unit}: 0",
        "multiples_by": "one map per {step}",
        "skip_table": "Skip to the policy table",
        "chart_menu": "Chart menu",
    }
)


# --- w/jobs: an upload parsed as a background job (callbacks/upload.py parse_job) ---
ZH.update(
    {
        "upload_job_waiting": "已收到文件，等待读取（{s} 秒）",
        "upload_job_reading": "正在读取：已读 {rows} 行（文件 {mb} MB，{s} 秒）",
        "upload_job_checking": "正在检查和定位 {rows} 行（{s} 秒）",
        "upload_job_storing": "正在保存 {rows} 行（{s} 秒）",
        "upload_job_cancel": "取消读取",
        "upload_job_done": "已载入 {rows} 行。",
        "upload_job_refused": "无法使用此文件：{error}",
        "upload_job_lost": "读取这个文件的进程意外结束，没有保存任何内容。请再上传一次。",
        "js_queued": "已收到文件，正在读取……",
        "js_job_lost": "读取这个文件的进程意外结束，没有保存任何内容。请再上传一次。",
        "js_cancelled": "已取消读取，没有保存任何内容。",
    }
)


EN.update(
    {
        "upload_job_waiting": "File received; waiting to be read ({s} s)",
        "upload_job_reading": "Reading: {rows} rows read ({mb} MB file, {s} s)",
        "upload_job_checking": "Checking and placing {rows} rows ({s} s)",
        "upload_job_storing": "Storing {rows} rows ({s} s)",
        "upload_job_cancel": "Cancel reading",
        "upload_job_done": "Loaded {rows} rows.",
        "upload_job_refused": "This file cannot be used: {error}",
        "upload_job_lost": "The process reading this file ended unexpectedly; nothing was "
        "stored. Please upload it again.",
        "js_queued": "File received; reading it…",
        "js_cancelled": "Reading cancelled; nothing was stored.",
        "js_job_lost": "The process reading this file ended unexpectedly; nothing was stored. "
        "Please upload it again.",
    }
)


# w/time2 (issue 21): rows dated less finely than the step, counted instead of drawn
ZH.update(
    {
        "coarse_not_drawn": "{n} 项日期只知到{p}，以{step}为单位时未画出",
    }
)
EN.update(
    {
        "coarse_not_drawn": "{n} dated to the {p} only, not drawn at {step} step",
    }
)


# w/ux (issue 24): the place filter's first option until every province and city has loaded
ZH.update({"places_loading": "正在载入全部省市……"})
EN.update({"places_loading": "Loading every province and city…"})


# --- w/timeline: a breakdown with no bar though policies match (none states its dimension)
ZH.update(
    {
        "empty_unstated": "符合筛选条件的政策共 {n} 项，均未提及{what}",
        "empty_unstated_one": "符合筛选条件的政策仅 1 项，未提及{what}",
    }
)
EN.update(
    {
        "empty_unstated": "None of the {n} matching policies states {what}",
        "empty_unstated_one": "The one matching policy does not state {what}",
    }
)


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
