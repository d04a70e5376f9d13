"""The dashboard's component tree. Static: every value in it is set from the URL by callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html
from dash.development.base_component import Component

from data import schema
from data.dimensions import CATEGORIES
from data.measures import GDP_YEARS, MEASURES
from data.state import BAR_ORDERS, CLASSES
from layouts import compare_switch, ids
from layouts.bilingual import L, aria, named
from layouts.export_menu import export_menu, presentation_toggle
from layouts.i18n import t
from layouts.player import FREQS, diffusion_card, freq_options, player
from layouts.upload_panel import report_panel, upload_card

GRAPH_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 3},
}


def bilingual_options(vocab: Mapping[str, schema.Label], skip: tuple[str, ...] = ()) -> list[dict]:
    return [
        {
            "label": [html.Span(v.zh, className="l-zh"), html.Span(v.en, className="l-en")],
            "value": code,
            "search": f"{v.zh} {v.en} {code}",
        }
        for code, v in vocab.items()
        if code not in skip
    ]


def _field(label_key: str, control: Any, **kw: Any) -> html.Div:
    """A control under its visible label; the label names the control (see :func:`named`)."""
    return html.Div(named(control, label_key, visible=True), className="field", **kw)


def own_field(control: str, multi: dict[str, Any]) -> html.Div:
    """The filter of a table's own dimension (a slot of ``ids.OWN_FILTERS``): its label (the
    column's header, as written) and options are set per table; hidden unless the table fills it
    (``layouts.own_dimensions.root_classes``)."""
    return html.Div(
        [
            html.Label(id=ids.label_of(control), className="field-label"),
            dcc.Dropdown(id=control, options=[], **multi),
        ],
        id=ids.field_of(control),
        className="field",
    )


def icon_menu() -> html.Span:
    """Three bars drawn by CSS: no glyph that a font may lack."""
    return html.Span(
        [html.Span(), html.Span(), html.Span()], className="icon-menu", **aria(hidden="true")
    )


#: What a chart slot shows before its data arrives: a quiet grey panel with an ellipsis, not
#: plotly's empty axes (-1 to 6).
LOADING_FIGURE: dict[str, Any] = {
    "data": [],
    "layout": {
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "paper_bgcolor": "#f5f7fa",
        "plot_bgcolor": "#f5f7fa",
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "annotations": [
            {"text": "…", "showarrow": False, "font": {"size": 32, "color": "#9aa5b1"}}
        ],
    },
}


def graph(graph_id: str, topojson_url: str, **kwargs: Any) -> dcc.Graph:
    config: Any = dict(GRAPH_CONFIG, topojsonURL=topojson_url)
    kwargs.setdefault("figure", LOADING_FIGURE)
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


#: The value of the place filter's "loading" option (``places_loading_option``).
PLACES_LOADING = "places-loading"


def places_loading_option() -> dict:
    """The place filter's first option while the page holds only some places (the full list is
    loaded after the first paint: callbacks/place_options.py): disabled, it says the list is
    not complete yet, and the full list replaces it (assets/place_options.js)."""
    return {"label": L("places_loading"), "value": PLACES_LOADING, "disabled": True}


def filter_bar(places: list[tuple[str, str, str]]) -> html.Div:
    multi: dict[str, Any] = {"multi": True, "clearable": True, "placeholder": "—"}
    return html.Div(
        [
            _field(
                "date_range",
                dcc.DatePickerRange(
                    id=ids.F_DATE,
                    display_format="YYYY-MM-DD",
                    clearable=True,
                    min_date_allowed="2000-01-01",
                    max_date_allowed="2030-12-31",
                    start_date_placeholder_text="YYYY-MM-DD",
                    end_date_placeholder_text="YYYY-MM-DD",
                ),
            ),
            _field(
                "place", dcc.Dropdown(id=ids.F_REGION, options=labelled_options(places), **multi)
            ),
            *[
                _field(
                    c.id,
                    dcc.Dropdown(
                        id=ids.filter_control(c.id), options=bilingual_options(c.vocab), **multi
                    ),
                    id=ids.field_of(ids.filter_control(c.id)),
                )
                for c in CATEGORIES
            ],
            *[own_field(control, multi) for control in ids.OWN_FILTERS],
            _field(
                "text",
                dcc.Input(
                    id=ids.F_TEXT,
                    type="search",
                    debounce=True,
                    maxLength=200,
                    placeholder=" / ".join(t("search_placeholder", lang) for lang in ("zh", "en")),
                ),
            ),
            html.Div(
                named(
                    dcc.Checklist(
                        id=ids.F_WR,
                        options=[{"label": L("work_reports"), "value": "on"}],
                        value=["on"],
                    ),
                    "work_reports",
                ),
                className="field field-check",
            ),
        ],
        className="filter-bar",
    )


def map_controls(pilot_fields: list[tuple[str, str, str]]) -> list[Any]:
    """The map's level, measure, GDP year and pilot controls, each named."""
    return [
        *named(
            dcc.RadioItems(
                id=ids.MAP_LEVEL,
                options=[
                    {"label": L("provinces"), "value": "province"},
                    {"label": L("cities"), "value": "city"},
                ],
                value="province",
                inline=True,
                className="segmented",
            ),
            "map_level",
        ),
        *named(
            dcc.Dropdown(
                id=ids.MEASURE,
                options=[{"label": L(f"m_{m.id}"), "value": m.id} for m in MEASURES],
                value="count",
                clearable=False,
                searchable=False,
                className="measure",
            ),
            "measure",
        ),
        *named(
            dcc.Dropdown(
                id=ids.CLASSES,
                options=[{"label": L(f"classes_{c}"), "value": c} for c in CLASSES],
                value=CLASSES[0],
                clearable=False,
                searchable=False,
                className="classes",
            ),
            "classes",
        ),
        *named(
            dcc.RadioItems(
                id=ids.GDP_YEAR,
                options=[{"label": str(y), "value": y} for y in GDP_YEARS],
                value=GDP_YEARS[0],
                inline=True,
                className="segmented small",
            ),
            "gdp_year",
        ),
        *named(
            dcc.Checklist(
                id=ids.PILOTS,
                options=[{"label": L("pilots"), "value": "on"}],
                value=[],
                className="pilot-toggle",
            ),
            "pilots_legend",
        ),
        *named(
            dcc.Dropdown(
                id=ids.PILOT_FIELD,
                options=labelled_options(pilot_fields),
                multi=True,
                placeholder="试点领域 / pilot field",
                className="pilot-field",
            ),
            "pilot_field",
        ),
    ]


def map_card(topojson_url: str, pilot_fields: list[tuple[str, str, str]]) -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    *map_controls(pilot_fields),
                    html.Button(id=ids.DRILL_BTN, className="link-button", hidden=True),
                    html.Button(L("back"), id=ids.BACK_BTN, className="link-button", hidden=True),
                    html.Div(id=ids.MEASURE_NOTE, className="note warning", role="status"),
                ],
                className="card-controls",
            ),
            html.Div(
                [
                    graph(ids.MAP, topojson_url, className="map-graph", style={"height": "560px"}),
                    graph(ids.RANKED, topojson_url, className="ranked-graph"),
                ],
                className="map-and-ranking",
            ),
            player(),
            html.Div(id=ids.MAP_BESIDE, className="beside"),
        ],
        className="card map-card",
    )


def timeline_card(topojson_url: str) -> html.Section:
    return html.Section(
        [
            html.Div(
                named(
                    dcc.RadioItems(
                        id=ids.FREQ,
                        options=freq_options(FREQS),
                        value="year",
                        inline=True,
                        className="segmented",
                    ),
                    "step",
                ),
                className="card-controls",
            ),
            graph(ids.TIMELINE, topojson_url, style={"height": "320px"}),
        ],
        className="card",
    )


def breakdown_cards(topojson_url: str) -> html.Div:
    order = dcc.RadioItems(
        id=ids.BAR_ORDER,
        options=[{"label": L(f"order_{o}"), "value": o} for o in BAR_ORDERS],
        value=BAR_ORDERS[0],
        inline=True,
        className="segmented small",
    )
    return html.Div(
        [
            html.Div(order, className="card-controls bar-order"),
            *[
                html.Section(graph(chart, topojson_url), className="card", id=ids.card(chart))
                for chart in ids.BREAKDOWNS
            ],
            *[
                html.Section(graph(chart, topojson_url), className="card", id=ids.card(chart))
                for chart in ids.OWN_CHARTS
            ],
        ],
        className="breakdowns",
    )


def policy_grid() -> dag.AgGrid:
    """The policy table (AG Grid, infinite row model)."""
    return dag.AgGrid(
        id=ids.TABLE,
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
            # AG Grid's own texts (paging, filters, "no rows") in the page's language.
            "getLocaleText": {"function": "gridText(params)"},
        },
        style={"height": "560px"},
        className="ag-theme-quartz row-details-grid",
    )


def table_card() -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    html.H2(L("table")),
                    *named(
                        dcc.Input(
                            id=ids.TABLE_SEARCH,
                            type="search",
                            placeholder=" / ".join(
                                t("table_search", lang) for lang in ("zh", "en")
                            ),
                            className="table-search",
                        ),
                        "table_search",
                    ),
                ],
                className="table-head",
            ),
            policy_grid(),
            html.P(L("detail_hint"), className="note"),
            dcc.Store(id=ids.DETAIL_ROW),
            html.Section(
                [
                    html.Button(L("close"), id=ids.DETAIL_CLOSE, className="button detail-close"),
                    html.Div(id=ids.DETAIL_BODY),
                ],
                id=ids.DETAIL,
                className="detail-panel",
                hidden=True,
                tabIndex="-1",
                **aria(labelledby=ids.DETAIL_TITLE, live="polite"),
            ),
            html.Details(
                [
                    html.Summary(L("pilot_table")),
                    dag.AgGrid(
                        id=ids.PILOT_TABLE,
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
        id=ids.TABLE_CARD,
        tabIndex="-1",
        className="card",
    )


def header() -> html.Header:
    """Title, skip link and the header actions (behind a menu button on a phone)."""
    return html.Header(
        [
            html.A(L("skip"), href="#" + ids.MAIN, className="skip-link"),
            html.A(L("skip_table"), href="#" + ids.TABLE_CARD, className="skip-link skip-table"),
            html.Div(
                [html.H1(L("app_title")), html.P(L("app_subtitle"), className="subtitle")],
                className="brand",
            ),
            html.Button(
                [icon_menu(), html.Span(L("menu"), className="menu-text")],
                id=ids.MENU_TOGGLE,
                className="button menu-toggle",
                **aria(expanded="false", controls=ids.HEADER_ACTIONS),
            ),
            html.Div(
                [
                    html.Button(L("lang_switch"), id=ids.LANG_TOGGLE, className="button"),
                    # a real button (Tab reaches it; Enter and Space press it): the copy is made
                    # by assets/a11y.js, which says "copied" in the live region beside it
                    html.Button(
                        L("copy_link"),
                        id=ids.COPY_LINK,
                        type="button",
                        className="button copy-link",
                        title="Copy link / 复制链接",
                    ),
                    html.Span(id=ids.COPY_STATUS, className="sr-only", **aria(live="polite")),
                    export_menu(),
                    presentation_toggle(),
                ],
                id=ids.HEADER_ACTIONS,
                className="header-actions",
            ),
        ]
    )


def page_stores(places_url: str | None) -> list[Component]:
    """The page's location and the stores its callbacks and scripts share."""
    return [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.RENDERED, storage_type="memory"),
        dcc.Store(id=ids.MAP_SELECTION),  # assets/map_selection.js draws it
        dcc.Store(id=ids.LANG_SHOWN),
        dcc.Store(id=ids.VIEW_TABLE),
        dcc.Store(id=ids.GRID_FIRST),
        dcc.Store(id=ids.GRID_REQUEST),
        dcc.Store(id=ids.GRID_IN_VIEW),  # assets/lazy_grid.js sets it
        dcc.Store(id=ids.EXPORT_VIEW),
        dcc.Store(id=ids.PLACES_SRC, data=places_url),
    ]


def page(
    topojson_url: str,
    places: list[tuple[str, str, str]],
    pilot_fields: list[tuple[str, str, str]],
    upload_max_mb: int = 50,
    places_url: str | None = None,
) -> html.Div:
    """The whole page. ``topojson_url``: where plotly's base topojson is served (never a CDN);
    ``places`` and ``pilot_fields``: (value, Chinese, English) choices of those two filters;
    ``places_url``: where the place filter's full options are served (``first_paint`` then
    keeps only the link's in the page; assets/place_options.js loads the rest)."""
    return html.Div(
        [
            *page_stores(places_url),
            # The query string the views were last drawn for (tests and scripts wait on it).
            html.Div(id=ids.RENDERED_SEARCH, hidden=True),
            # a callback that failed on the server (callbacks.service.context.guarded) says so here
            html.Div(id=ids.PAGE_ERROR, className="note warn", role="alert", hidden=True),
            header(),
            html.Main(
                [
                    filter_bar(places),
                    html.Div(
                        [
                            html.Div(id=ids.CHIPS, className="chips"),
                            html.Button(
                                L("clear_all"),
                                id=ids.CLEAR_ALL,
                                className="link-button",
                                hidden=True,
                            ),
                            html.Div(
                                named(compare_switch.checklist(), "compare"),
                                className="compare-switch",
                            ),
                        ],
                        className="chip-row",
                    ),
                    # the summary line and, at its right, the way to one's own table (no extra row)
                    html.Div(
                        [
                            html.Div(id=ids.SUMMARY, className="summary", role="status"),
                            upload_card(upload_max_mb),
                        ],
                        className="summary-row",
                    ),
                    html.Div(id=ids.URL_NOTES, className="note warning"),
                    report_panel(),
                    html.Div(
                        [
                            html.Div(
                                [
                                    map_card(topojson_url, pilot_fields),
                                    timeline_card(topojson_url),
                                    diffusion_card(topojson_url, GRAPH_CONFIG),
                                ],
                                className="col-main",
                            ),
                            html.Div(breakdown_cards(topojson_url), className="col-side"),
                        ],
                        id=ids.MAIN,
                        tabIndex="-1",
                        className="grid",
                    ),
                    table_card(),
                ]
            ),
            html.Footer(id=ids.FOOTER, className="footer"),
        ],
        id=ids.ROOT,
        className="lang-zh",
    )
