"""The columns of the policy grid and the pilot table, and the pilot table's rows."""

from __future__ import annotations

from data import schema
from data.dataset import Dataset
from data.state import ViewState
from layouts.i18n import t
from layouts.present_common import cell_text, visible_pilots


def table_columns(lang: str) -> list[dict]:
    def col(field_: str, key: str, **kw) -> dict:
        return {"field": field_, "headerName": t(key, lang), **kw}

    return [
        # Dates are text at their stated precision (2020, 2020-04, 2020-04-08), which sorts right.
        col("date", "col_date", width=110, cellDataType="text"),
        col("place", "col_place", width=160, tooltipField="place"),
        col("title_zh", "col_title_zh", width=250, tooltipField="title_zh"),
        col("title_en", "col_title_en", width=280, tooltipField="title_en"),
        col("source", "col_source", width=200, cellRenderer="SourceLink"),
        col("level", "col_level", width=100),
        col("issuer", "col_issuer", width=200, tooltipField="issuer"),
        col("type", "col_type", width=130),
        col("stance", "col_stance", width=90),
        col("incentives", "col_incentives", width=200),
        col(
            "amount",
            "col_amount",
            width=130,
            type="rightAligned",
            filter="agNumberColumnFilter",
            filterParams={
                "filterOptions": [
                    "greaterThanOrEqual",
                    "lessThanOrEqual",
                    "inRange",
                    "equals",
                    "blank",
                    "notBlank",
                ],
                "maxNumConditions": 1,
            },
            valueFormatter={
                "function": "params.value == null ? '' : d3.format(',.0f')(params.value)"
            },
        ),
        col("placed", "col_status", width=110),
    ]


def pilot_rows(ds: Dataset, state: ViewState) -> list[dict]:
    lang = state.lang
    p = visible_pilots(ds, state)
    out = []
    for r in p.to_dict("records"):
        out.append(
            {
                "category": schema.label(schema.PILOT_CATEGORIES, r.get("category"), lang),
                "field": cell_text(r.get("field_zh") if lang == "zh" else r.get("field_en")),
                "organisation": cell_text(r.get("organisation_zh")),
                "place": " ".join(
                    cell_text(x)
                    for x in (r.get("province_zh"), r.get("city_zh"), r.get("district_zh"))
                    if cell_text(x)
                ),
                "source": cell_text(r.get("source")),
            }
        )
    return out


def pilot_columns(lang: str) -> list[dict]:
    zh = lang == "zh"
    return [
        {"field": "category", "headerName": "类别" if zh else "Category", "width": 150},
        {"field": "field", "headerName": "领域" if zh else "Field", "width": 220},
        {"field": "organisation", "headerName": "单位" if zh else "Organisation", "width": 260},
        {"field": "place", "headerName": "地区" if zh else "Place", "width": 200},
        {
            "field": "source",
            "headerName": "来源" if zh else "Source",
            "width": 240,
            "cellRenderer": "SourceLink",
        },
    ]
