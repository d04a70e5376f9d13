"""The dashboard's component tree. Static: every value in it is set from the URL by callbacks."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from data import schema
from layouts import viewmodel
from layouts.export_menu import export_menu, presentation_toggle
from layouts.i18n import t

GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 3},
}


def L(key: str, **fmt: object) -> list[html.Span]:
    """A label in both languages; CSS shows the one the page is in."""
    return [
        html.Span(t(key, "zh", **fmt), className="l-zh"),
        html.Span(t(key, "en", **fmt), className="l-en"),
    ]


def bilingual_options(vocab: dict[str, schema.Label], skip: tuple[str, ...] = ()) -> list[dict]:
    return [
        {
            "label": [html.Span(v.zh, className="l-zh"), html.Span(v.en, className="l-en")],
            "value": code,
            "search": f"{v.zh} {v.en} {code}",
        }
        for code, v in vocab.items()
        if code not in skip
    ]


def _field(label_key: str, control) -> html.Div:
    return html.Div([html.Label(L(label_key), className="field-label"), control], className="field")


def graph(graph_id: str, topojson_url: str, **kwargs) -> dcc.Graph:
    config = dict(GRAPH_CONFIG, topojsonURL=topojson_url)
    return dcc.Graph(id=graph_id, config=config, **kwargs)


def labelled_options(choices: list[tuple[str, str, str]]) -> list[dict]:
    """Dropdown options from (value, Chinese label, English label); searchable in both."""
    return [
        {
            "label": [html.Span(zh, className="l-zh"), html.Span(en, className="l-en")],
            "value": value,
            "search": f"{zh} {en}",
        }
        for value, zh, en in choices
    ]


def filter_bar(places: list[tuple[str, str, str]]) -> html.Div:
    multi = {"multi": True, "clearable": True, "placeholder": "—"}
    return html.Div(
        [
            _field(
                "date_range",
                dcc.DatePickerRange(
                    id="f-date",
                    display_format="YYYY-MM-DD",
                    clearable=True,
                    min_date_allowed="2000-01-01",
                    max_date_allowed="2030-12-31",
                    start_date_placeholder_text="YYYY-MM-DD",
                    end_date_placeholder_text="YYYY-MM-DD",
                ),
            ),
            _field("place", dcc.Dropdown(id="f-region", options=labelled_options(places), **multi)),
            _field(
                "level",
                dcc.Dropdown(id="f-level", options=bilingual_options(schema.LEVELS), **multi),
            ),
            _field(
                "type",
                dcc.Dropdown(id="f-type", options=bilingual_options(schema.POLICY_TYPES), **multi),
            ),
            _field(
                "incentive",
                dcc.Dropdown(
                    id="f-incentive", options=bilingual_options(schema.INCENTIVES), **multi
                ),
            ),
            _field(
                "stance",
                dcc.Dropdown(id="f-stance", options=bilingual_options(schema.STANCES), **multi),
            ),
            _field(
                "text",
                dcc.Input(
                    id="f-text",
                    type="search",
                    debounce=True,
                    maxLength=200,
                    placeholder=" / ".join(t("search_placeholder", lang) for lang in ("zh", "en")),
                ),
            ),
            html.Div(
                dcc.Checklist(
                    id="f-wr",
                    options=[{"label": L("work_reports"), "value": "on"}],
                    value=["on"],
                ),
                className="field field-check",
            ),
        ],
        className="filter-bar",
    )


def map_card(topojson_url: str, pilot_fields: list[tuple[str, str, str]]) -> html.Div:
    return html.Section(
        [
            html.Div(
                [
                    dcc.RadioItems(
                        id="map-level",
                        options=[
                            {"label": L("provinces"), "value": "province"},
                            {"label": L("cities"), "value": "city"},
                        ],
                        value="province",
                        inline=True,
                        className="segmented",
                    ),
                    dcc.Dropdown(
                        id="measure",
                        options=[
                            {"label": L(f"m_{m}"), "value": m}
                            for m in ("count", "share", "per_pop", "per_gdp")
                        ],
                        value="count",
                        clearable=False,
                        searchable=False,
                        className="measure",
                    ),
                    dcc.RadioItems(
                        id="gdp-year",
                        options=[{"label": str(y), "value": y} for y in (2020, 2023)],
                        value=2020,
                        inline=True,
                        className="segmented small",
                    ),
                    dcc.Checklist(
                        id="pilots",
                        options=[{"label": L("pilots"), "value": "on"}],
                        value=[],
                        className="pilot-toggle",
                    ),
                    dcc.Dropdown(
                        id="pilot-field",
                        options=labelled_options(pilot_fields),
                        multi=True,
                        placeholder="试点领域 / pilot field",
                        className="pilot-field",
                    ),
                    html.Button(id="drill-btn", className="link-button", hidden=True),
                    html.Button(L("back"), id="back-btn", className="link-button", hidden=True),
                ],
                className="card-controls",
            ),
            graph("map", topojson_url, className="map-graph", style={"height": "560px"}),
            html.Div(id="map-beside", className="beside"),
        ],
        className="card map-card",
    )


def timeline_card(topojson_url: str) -> html.Div:
    return html.Section(
        [
            html.Div(
                dcc.RadioItems(
                    id="freq",
                    options=[{"label": L(f), "value": f} for f in ("year", "quarter", "month")],
                    value="year",
                    inline=True,
                    className="segmented",
                ),
                className="card-controls",
            ),
            graph("timeline", topojson_url, style={"height": "320px"}),
        ],
        className="card",
    )


def breakdown_cards(topojson_url: str) -> html.Div:
    return html.Div(
        [
            html.Section(graph(f"bd-{d}", topojson_url), className="card")
            for d in viewmodel.BREAKDOWN_DIMS
        ],
        className="breakdowns",
    )


def table_card() -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    html.H2(L("table")),
                    dcc.Input(
                        id="table-search",
                        type="search",
                        placeholder=" / ".join(t("table_search", lang) for lang in ("zh", "en")),
                        className="table-search",
                    ),
                ],
                className="table-head",
            ),
            dag.AgGrid(
                id="table",
                # Infinite row model: the grid asks the server for the block it shows (sorted and
                # filtered there), so no interaction ever ships the whole selection.
                rowModelType="infinite",
                columnDefs=[],
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": "agTextColumnFilter",
                    "filterParams": {
                        "filterOptions": ["contains", "notContains", "equals", "startsWith"],
                        "maxNumConditions": 2,
                    },
                },
                dashGridOptions={
                    "pagination": True,
                    "paginationPageSize": 25,
                    "paginationPageSizeSelector": [25, 50, 100],
                    "cacheBlockSize": 25,
                    "maxBlocksInCache": 20,
                    "infiniteInitialRowCount": 25,
                    "enableCellTextSelection": True,
                    "tooltipShowDelay": 300,
                },
                style={"height": "560px"},
                className="ag-theme-quartz",
            ),
            html.Details(
                [
                    html.Summary(L("pilot_table")),
                    dag.AgGrid(
                        id="pilot-table",
                        rowData=[],
                        columnDefs=[],
                        defaultColDef={"sortable": True, "filter": True, "resizable": True},
                        style={"height": "420px"},
                        className="ag-theme-quartz",
                    ),
                ],
                className="pilot-details",
            ),
        ],
        className="card",
    )


def page(
    topojson_url: str,
    places: list[tuple[str, str, str]],
    pilot_fields: list[tuple[str, str, str]],
) -> html.Div:
    """The whole page. ``topojson_url``: where plotly's base topojson is served (never a CDN);
    ``places`` and ``pilot_fields``: (value, Chinese, English) choices of those two filters."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="rendered", storage_type="memory"),
            # The query string the views were last drawn for (tests and scripts wait on it).
            html.Div(id="rendered-search", hidden=True),
            html.Header(
                [
                    html.Div(
                        [html.H1(L("app_title")), html.P(L("app_subtitle"), className="subtitle")],
                        className="brand",
                    ),
                    html.Div(
                        [
                            html.Button(L("lang_switch"), id="lang-toggle", className="button"),
                            html.Div(
                                [
                                    dcc.Clipboard(id="copy-link", className="clipboard"),
                                    html.Span(L("copy_link")),
                                ],
                                className="button copy-link",
                                title="Copy link / 复制链接",
                            ),
                            export_menu(),
                            presentation_toggle(),
                        ],
                        className="header-actions",
                    ),
                ]
            ),
            filter_bar(places),
            html.Div(
                [
                    html.Div(id="chips", className="chips"),
                    html.Button(
                        L("clear_all"), id="clear-all", className="link-button", hidden=True
                    ),
                ],
                className="chip-row",
            ),
            html.Div(id="summary", className="summary", role="status"),
            html.Div(id="url-notes", className="note warning"),
            html.Main(
                [
                    html.Div(
                        [map_card(topojson_url, pilot_fields), timeline_card(topojson_url)],
                        className="col-main",
                    ),
                    html.Div(breakdown_cards(topojson_url), className="col-side"),
                ],
                className="grid",
            ),
            table_card(),
            html.Footer(id="footer", className="footer"),
        ],
        id="root",
        className="lang-zh",
    )
