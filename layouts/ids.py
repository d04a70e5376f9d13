"""Every component id of the page, defined once; layouts and callbacks import these names.

Ids of things that exist once per registry entry are functions of that entry (a categorical
dimension's filter control and breakdown chart), so adding a dimension adds its ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from data.dimensions import CATEGORY, MAX_OWN, Category

# --- state and plumbing
URL = "url"
RENDERED = "rendered"  # store: what the figures on the page were drawn for
RENDERED_SEARCH = "rendered-search"  # the query string the views were last drawn for
MAP_SELECTION = "map-selection"  # store: the adcodes the maps outline (drawn in the browser)
ROOT = "root"
FOOTER = "footer"
URL_NOTES = "url-notes"
VIEW_TABLE = "view-table"  # store: the table and language the view shows (set when they change)
GRID_FIRST = "grid-first"  # store: the grid's first block for the view, sent with the views
GRID_REQUEST = "grid-request"  # store: a block request the first block cannot answer
# store: whether the grid is on (or near) the screen (assets/lazy_grid.js; None: not known yet)
GRID_IN_VIEW = "grid-in-view"
EXPORT_VIEW = "export-view"  # store: the view the open Download menu describes

# --- header
MAIN = "main"  # the skip link's target
MENU_TOGGLE = "menu-toggle"  # opens the header actions on a phone
HEADER_ACTIONS = "header-actions"
LANG_SHOWN = "lang-shown"  # store: the language the widgets' own texts are in
LANG_TOGGLE = "lang-toggle"
COPY_LINK = "copy-link"
COPY_STATUS = "copy-status"  # live region: "copied" after Copy link
TABLE_CARD = "table-section"  # the policy table's card (the second skip link's target)
PRESENT_TOGGLE = "present-toggle"
EXPORT_MENU = "export-menu"
DL_CHART = "dl-chart"
DL_FORMAT = "dl-format"
DL_SIZE = "dl-size"
DL_GO = "dl-go"
DL_BUSY = "dl-busy"
DL_STATUS = "dl-status"
DL_FILE = "dl-file"
PACK_GO = "pack-go"
PACK_PROGRESS = "pack-progress"
PACK_STATUS = "pack-status"
PACK_FILE = "pack-file"
EXPORT_NOTICE = "export-notice"  # an export job that cannot finish says why here
PAGE_ERROR = "page-error"  # a request that failed on the server says so here (w/abuse)

# --- filter bar, chips, summary
F_DATE = "f-date"
F_REGION = "f-region"
PLACES_SRC = "places-src"  # the URL of every place's option (assets/place_options.js)
F_TEXT = "f-text"
F_WR = "f-wr"
CHIPS = "chips"
CHIP = "chip"  # the ``type`` of the pattern-matching chip ids {"type": CHIP, "dim", "value"}
CLEAR_ALL = "clear-all"
COMPARE = "compare"  # split the timeline and breakdowns by region (layouts/compare_switch.py)
SUMMARY = "summary"

# --- charts and their controls
MAP = "map"
RANKED = "ranked"  # regions ranked by the map's measure, beside the map
TIMELINE = "timeline"
MAP_LEVEL = "map-level"
MEASURE = "measure"
MEASURE_NOTE = "measure-note"  # why the map shows another measure than the link asks
GDP_YEAR = "gdp-year"
PILOTS = "pilots"
PILOT_FIELD = "pilot-field"
DRILL_BTN = "drill-btn"
BACK_BTN = "back-btn"
MAP_BESIDE = "map-beside"
FREQ = "freq"
CLASSES = "classes"  # how the map's legend classes are cut
BAR_ORDER = "bar-order"  # breakdown bars by value or in category order
DL_TITLE = "dl-title"  # the Download panel's editable title
DL_NOTE = "dl-note"  # and its note

# --- diffusion: the time slider, its player, the first-adoption map and the adoption curve
PERIOD = "period"  # the slider (value: month number of the period's first month)
CUMULATIVE = "cumulative"
PLAY = "play"
SPEED = "speed"
PLAY_ASK = "play-ask"  # the view Play asks frames for (a query string)
PLAY_FRAMES = "play-frames"  # every frame of Play, sent once (layouts.play_frames)
PERIOD_LABEL = "period-label"
ADOPTION_MAP = "adoption-map"
ADOPTION_CURVE = "adoption-curve"

# --- tables
TABLE = "table"
TABLE_SEARCH = "table-search"
PILOT_TABLE = "pilot-table"
DETAIL = "detail"  # the detail panel of the policy a grid row shows
DETAIL_TITLE = "detail-title"
DETAIL_BODY = "detail-body"
DETAIL_ROW = "detail-row"  # store: the spreadsheet line of the policy shown
DETAIL_CLOSE = "detail-close"


def label_of(control: str) -> str:
    """The id of a control's visible label; ``assets/a11y.js`` names the control by it
    (``aria-labelledby``), whatever markup the control's library renders."""
    return f"{control}-label"


def filter_control(dimension: str) -> str:
    """The filter-bar dropdown of a categorical dimension (``f-incentive``)."""
    return f"f-{CATEGORY[dimension].id}"


def breakdown(dimension: str) -> str:
    """The breakdown chart of a categorical dimension (``bd-incentive``)."""
    return CATEGORY[dimension].chart_id


BREAKDOWNS: dict[str, str] = {breakdown(d): d for d in CATEGORY}
FILTER_CONTROLS: dict[str, str] = {filter_control(d): d for d in CATEGORY}
#: A table's own dimensions (``data.dimensions.dimensions_of``) fill these slots in order: a
#: breakdown chart, its card and its filter each (the page is static; a slot a table does not
#: fill is hidden).
OWN_CHARTS: tuple[str, ...] = tuple(f"bd-own-{i}" for i in range(1, MAX_OWN + 1))
OWN_FILTERS: tuple[str, ...] = tuple(f"f-own-{i}" for i in range(1, MAX_OWN + 1))
#: Every chart on the page, in page order.
FIGURES: tuple[str, ...] = (
    MAP,
    RANKED,
    TIMELINE,
    ADOPTION_MAP,
    ADOPTION_CURVE,
    *BREAKDOWNS,
    *OWN_CHARTS,
)


def card(chart: str) -> str:
    """The card around a breakdown chart (hidden when the table has not that dimension)."""
    return f"{chart}-card"


def field_of(control: str) -> str:
    """The filter-bar field around a dimension's filter (hidden likewise)."""
    return f"{control}-field"


def charts_of(dimensions: Sequence[Category]) -> dict[str, str]:
    """Chart id -> dimension id of a table's dimensions: a bundled one's own chart
    (``bd-incentive``), an own one's slot (``bd-own-1``) in order."""
    own = [d for d in dimensions if d.own]
    out = {breakdown(d.id): d.id for d in dimensions if not d.own}
    out.update({chart: d.id for chart, d in zip(OWN_CHARTS, own, strict=False)})
    return out


def filters_of(dimensions: Sequence[Category]) -> dict[str, str]:
    """Filter control id -> dimension id, as ``charts_of``."""
    own = [d for d in dimensions if d.own]
    out = {filter_control(d.id): d.id for d in dimensions if not d.own}
    out.update({control: d.id for control, d in zip(OWN_FILTERS, own, strict=False)})
    return out


# --- your own table (issue 10: layouts/upload_panel.py, callbacks/upload.py, assets/upload.js)
UPLOAD_CARD = "upload-card"
UPLOAD_DROP = "upload-drop"
UPLOAD_INPUT = "upload-input"
UPLOAD_PROGRESS = "upload-progress"
UPLOAD_STATUS = "upload-status"
UPLOAD_MAPPING = "upload-mapping"
UPLOAD_BANNER = "upload-banner"
UPLOAD_DISMISS = "upload-dismiss"
UPLOAD_DISMISSED = "upload-dismissed"  # session store: ids whose banner was dismissed
UPLOAD_PROBLEMS = "upload-problems"
UPLOAD_PROBLEMS_GRID = "upload-problems-grid"
UPLOAD_PROBLEMS_CSV = "upload-problems-csv"
UPLOAD_REMOVE = "upload-remove"
UPLOAD_TABLE = "upload-table"  # which table the page shows (its name, rows, upload date)
PILOT_TOGGLE_BOX = "pilot-toggle-box"
UPLOAD_BANNER_BOX = "upload-banner-box"
UPLOAD_PROBLEMS_TITLE = "upload-problems-title"
UPLOAD_SEE = "upload-see"  # the ``type`` of the banner's links {"type": UPLOAD_SEE, "group"}
UPLOAD_GROUP = "upload-group"  # which rows the check report shows (None: every problem)
UPLOAD_FILTER_BOX = "upload-filter-box"  # "showing only …" and the way back to all problems
UPLOAD_FILTER_NOTE = "upload-filter-note"
UPLOAD_SHOW_ALL = "upload-show-all"
UPLOAD_COLUMNS = "upload-columns"  # the column panel: each column's role, why, the first rows
UPLOAD_GCJ02 = "upload-gcj02"  # the table's longitude/latitude are GCJ-02 (AMap, Tencent)
# w/jobs: the parse as a background job (callbacks/upload.parse_job)
UPLOAD_JOB = "upload-job"  # store: {"job", "id"} set by assets/upload.js after the 202
UPLOAD_JOB_STATUS = "upload-job-status"  # the job's progress, then its outcome
UPLOAD_CANCEL = "upload-cancel"  # stops the job
UPLOAD_JOB_END = "upload-job-end"  # store: how the job ended (assets/upload.js says it)
UPLOAD_OWNER = "upload-owner"  # local store: the uploader's secret (assets/upload.js keeps it)

# --- reconciliation of unplaced names (w/resolver, issue 20 item 5: layouts/reconcile_panel.py)
RECONCILE = "reconcile"  # the section above the check report's grid
RECONCILE_LIST = "reconcile-list"  # one row per unplaced name
RECONCILE_SUMMARY = "reconcile-summary"  # "3 names not placed — choose a place for each"
RECONCILE_NAMES = "reconcile-names"  # store: the names, in the order of the rows
RECONCILE_PICK = "reconcile-pick"  # the ``type`` of each name's dropdown {"type", "index"}
RECONCILE_APPLY = "reconcile-apply"
RECONCILE_STATUS = "reconcile-status"
RECONCILE_APPLIED = "reconcile-applied"  # the picks the table was read with, and their CSV
RECONCILE_APPLIED_TEXT = "reconcile-applied-text"
RECONCILE_CSV = "reconcile-csv"
RECONCILE_CLEAR = "reconcile-clear"
# w/ops: the Download menu's data links and embed code (set in the browser: data_routes.py)
DL_LINK_CSV = "dl-link-csv"  # the view's policies at …/data.csv?<view>
DL_LINK_JSON = "dl-link-json"
DL_LINK_CHART = "dl-link-chart"  # the chosen chart's numbers at …/data/<chart>.csv?<view>
DL_LINK_PNG = "dl-link-png"  # the chart's picture, for sites that strip iframes
DL_EMBED_CODE = "dl-embed-code"  # the iframe to paste (…/?embed=<chart>&<view>)
