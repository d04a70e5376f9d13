"""The view state: every filter and view setting, and its URL query string.

The URL is the state: a view is fully described by its query string, so a link reproduces it, the
back button steps through selections and several gunicorn workers need no shared memory. This module
is pure (no pandas, no Dash): parse a query string, apply a user event, encode it back.

Filters (each is one *dimension* for cross-filtering; see ``data.dimensions`` and ``data.query``):
    region   adcodes selected on the map (provinces or cities)
    date     ``date_from`` / ``date_to`` (ISO dates, inclusive)
    <category>  the codes picked in each categorical dimension of ``data.dimensions.CATEGORIES``
             (incentive, policy type, issuing level, stance, sector …): ``ViewState.picked(id)``
    text     free-text search over titles, issuer, summary and place names
    work_reports  whether government work reports are counted (default yes)
View settings (not filters): map level, drill-down province, measure, GDP year, timeline step,
language, pilot layer and the pilot fields it shows.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlencode

from data import periods
from data.dimensions import CATEGORY, FILTERS, is_dimension
from data.measures import GDP_YEARS, MEASURE

DIMENSIONS = FILTERS
MAP_LEVELS = ("province", "city")
MEASURES = tuple(MEASURE)
FREQS = periods.FREQS
LANGS = ("zh", "en")
#: How the map's values are cut into legend classes (mapclassify schemes) and how bars are ordered.
CLASSES = ("jenks", "quantiles", "equal")
BAR_ORDERS = ("value", "schema")

_ADCODE = re.compile(r"^[0-9]{6}$")  # ASCII digits only (\d also takes fullwidth ones)
_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
# Category values: the vocabulary's codes, or a label a user's table used as written (no commas:
# they separate values in the URL).
_VALUE = re.compile(r"^[^,\x00-\x1f\x7f]{1,60}$")
_MAX_TEXT = 200
#: The note of a link asking to compare fewer than two regions (the views stay merged).
NEEDS_TWO = "ignored compare=1: it needs two or more places selected"
_DATA_ID = re.compile(r"^[0-9a-f]{64}$")  # an uploaded table's content id (sha256, hex)


@dataclass(frozen=True)
class ViewState:
    """One view of the dashboard. Tuples are sorted so equal views compare and encode equal."""

    region: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    #: (dimension id, sorted codes) for each categorical dimension with a pick, in registry order
    picks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    text: str = ""
    work_reports: bool = True
    map_level: str = "province"
    drill: str | None = None
    measure: str = "count"
    gdp_year: int = 2020
    freq: str = "year"
    lang: str = "zh"
    pilots: bool = False
    pilot_field: tuple[str, ...] = ()
    #: the time slider's period (``data.periods``: 2020, 2020Q3, 2020-07); part of the date filter
    period: str | None = None
    #: the period shows everything up to its end (the cumulative count), not the period alone
    cumulative: bool = False
    classes: str = "jenks"
    order: str = "value"
    #: the uploaded table viewed (its content id, ``data.uploads``); None: the default table
    data: str | None = None
    #: split the timeline and breakdowns by region (``data.compare``; needs two regions or more)
    compare: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)
    #: where ``freq`` comes from: "url" (asked: always in the URL), "data" (no step asked: the
    #: table's dates pick it, ``data.diffusion.with_step``; never written), "" (made in code:
    #: written unless it is "year")
    freq_from: str = field(default="", compare=False)

    @classmethod
    def of(cls, **kw: Any) -> ViewState:
        """A state from keyword arguments where each categorical dimension is a keyword too:
        ``ViewState.of(region=("440000",), incentive=("subsidy",))``."""
        picks = {k: kw.pop(k) for k in list(kw) if k in CATEGORY}
        return cls(**kw, picks=_picks(picks))

    # ----------------------------------------------------------------- queries about the state
    @property
    def map_level_shown(self) -> str:
        """The map level actually shown: drilled into a province, the map shows its cities
        whatever ``map_level`` says."""
        return "city" if self.drill else self.map_level

    def picked(self, dimension: str) -> tuple[str, ...]:
        """The codes picked in a categorical dimension (``()`` when it does not filter)."""
        for dim, values in self.picks:
            if dim == dimension:
                return values
        return ()

    def with_picked(self, dimension: str, values: tuple[str, ...] | list[str]) -> ViewState:
        """The state with a categorical dimension's picks replaced (a bundled dimension or one of
        a table's own, ``data.dimensions.is_dimension``)."""
        if not is_dimension(dimension):
            raise ValueError(f"unknown filter dimension {dimension!r}")
        return replace(self, picks=_picks({**dict(self.picks), dimension: tuple(values)}))

    def active(self, dimension: str) -> bool:
        """Whether a filter dimension currently restricts the rows."""
        if dimension == "date":
            return self.date_from is not None or self.date_to is not None or bool(self.period)
        if dimension == "text":
            return bool(self.text)
        if dimension == "work_reports":
            return not self.work_reports
        if dimension == "region":
            return bool(self.region) or self.drill is not None
        return bool(self.picked(dimension))

    def compared(self) -> tuple[str, ...]:
        """The regions a compare view splits by: the ones the region filter keeps (drilled into a
        province, its selected cities; ``data.query``'s region mask ignores the rest)."""
        if self.drill:
            return tuple(a for a in self.region if a[:2] == self.drill[:2] and a != self.drill)
        return self.region

    def comparing(self) -> bool:
        """Whether the views are split by region: asked for, and two regions or more to split."""
        return self.compare and len(self.compared()) >= 2

    def has_filters(self) -> bool:
        return any(self.active(d) for d in DIMENSIONS)

    def without(self, dimension: str, value: str | None = None) -> ViewState:
        """The state with one filter (or one value of a list filter) removed."""
        if dimension == "date":
            return replace(self, date_from=None, date_to=None, period=None)
        if dimension == "text":
            return replace(self, text="")
        if dimension == "work_reports":
            return replace(self, work_reports=True)
        if dimension == "region":
            kept = () if value is None else tuple(v for v in self.region if v != value)
            return replace(self, region=kept)
        if is_dimension(dimension):
            current = self.picked(dimension)
            return self.with_picked(
                dimension, () if value is None else tuple(v for v in current if v != value)
            )
        raise ValueError(f"unknown filter dimension {dimension!r}")

    def cleared(self) -> ViewState:
        """All filters removed; view settings (map level, measure, language…) kept."""
        return ViewState(
            map_level=self.map_level,
            drill=self.drill,
            measure=self.measure,
            gdp_year=self.gdp_year,
            freq=self.freq,
            lang=self.lang,
            pilots=self.pilots,
            pilot_field=self.pilot_field,
            cumulative=self.cumulative,
            classes=self.classes,
            order=self.order,
            data=self.data,
        )

    def date_window(self) -> tuple[str | None, str | None]:
        """The dates the date filter keeps: the date range narrowed by the period (the period
        alone, or everything up to its end when ``cumulative``)."""
        lo, hi = self.date_from, self.date_to
        if self.period:
            start, end = periods.bounds(self.period)
            if not self.cumulative:
                lo = max(lo, start) if lo else start
            hi = min(hi, end) if hi else end
        return lo, hi

    def toggled(self, dimension: str, value: str) -> ViewState:
        """Add ``value`` to a list filter, or remove it if present (a click on a bar or region)."""
        current = self.region if dimension == "region" else self.picked(dimension)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        if dimension == "region":
            return replace(self, region=tuple(sorted(new)))
        return self.with_picked(dimension, new)


def _picks(values: dict[str, tuple[str, ...]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Picks in registry order (a table's own dimensions after the bundled ones, by id), each
    sorted and unique, empty ones left out (equal views are equal states)."""
    dims = [*CATEGORY, *sorted(d for d in values if d not in CATEGORY)]
    return tuple((dim, tuple(sorted(set(values[dim])))) for dim in dims if values.get(dim))


# --------------------------------------------------------------------------- parsing
def _split(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return out


def _iso(value: str, end: bool = False) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; return an ISO date or None if unreadable. With
    ``end``, a year or month means its last day (``to=2021`` includes all of 2021)."""
    m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2}))?(?:-([0-9]{1,2}))?", value.strip())
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2) or (12 if end else 1))
    if m.group(3):
        d = int(m.group(3))
    elif end:
        d = calendar.monthrange(y, mo)[1] if 1 <= mo <= 12 else 0
    else:
        d = 1
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


@cache
def _province_adcodes() -> frozenset[str]:
    from geodata.gazetteer import provinces  # the 34 provincial-level units

    return frozenset(provinces()["adcode"])


def _first(qs: dict[str, list[str]], key: str) -> str | None:
    """The first value of ``key`` in a parsed query string, or None."""
    values = qs.get(key)
    return values[0] if values else None


def parse_query(search: str | None) -> ViewState:
    """Parse ``?a=b&…`` into a state. Unknown or malformed values are ignored and listed in
    ``notes`` (shown to the user), never raised: a shared link with a typo still opens."""
    if not search:
        return ViewState(freq_from="data")
    return _read(parse_qs(search.lstrip("?"), keep_blank_values=False))


def settled(state: ViewState) -> ViewState:
    """The state as its link (``encode_query(state)``) reads: what ``parse_query`` would make of
    that query string, without writing and parsing it (the state an event made is shown as the
    URL it writes says; the values its checks refuse are dropped and noted the same way)."""
    qs: dict[str, list[str]] = {}
    for key, value in _pairs(state):
        if value:  # ``parse_qs`` drops blank values
            qs.setdefault(key, []).append(value)
    return _read(qs) if qs else ViewState(freq_from="data")


def _read(qs: dict[str, list[str]]) -> ViewState:
    """A state from a parsed query string (key -> its values)."""
    notes: list[str] = []
    kw: dict[str, Any] = {}

    def pick(name: str, allowed: tuple | None, pattern: re.Pattern | None = None) -> tuple:
        good = []
        for v in _split(qs.get(name, [])):
            if (allowed is not None and v in allowed) or (pattern is not None and pattern.match(v)):
                good.append(v)
            else:
                notes.append(f"ignored {name}={v[:40]!r}")
        return tuple(sorted(set(good)))

    kw["region"] = pick("region", None, _ADCODE)
    # bundled dimensions' keys and any other that may be a table's own (checked by ``restrict``)
    dims = [*CATEGORY, *(k for k in qs if k not in CATEGORY and is_dimension(k))]
    kw["picks"] = _picks({d: pick(d, None, _VALUE) for d in dims})
    for key, attr in (("from", "date_from"), ("to", "date_to")):
        raw = _first(qs, key)
        if raw:
            iso = _iso(raw, end=key == "to")
            if iso is None:
                notes.append(f"ignored {key}={raw[:40]!r}: not a date")
            kw[attr] = iso
    if kw.get("date_from") and kw.get("date_to") and kw["date_from"] > kw["date_to"]:
        # written the wrong way round: from the start of the earlier to the end of the later
        early, late = (qs.get("to") or [""])[0], (qs.get("from") or [""])[0]
        kw["date_from"], kw["date_to"] = _iso(early), _iso(late, end=True)
    text = (qs.get("q") or [""])[0]
    kw["text"] = "".join(ch for ch in text if ch.isprintable())[:_MAX_TEXT].strip()
    kw["work_reports"] = (qs.get("wr") or ["1"])[0] != "0"

    def one(name: str, allowed: tuple, default: Any, cast=str) -> Any:
        raw = _first(qs, name)
        if raw is None:
            return default
        try:
            value = cast(raw)
        except ValueError:
            value = None
        if value in allowed:
            return value
        notes.append(f"ignored {name}={raw[:40]!r}")
        return default

    kw["map_level"] = one("map", MAP_LEVELS, "province")
    kw["measure"] = one("measure", MEASURES, "count")
    kw["gdp_year"] = one("gdp", GDP_YEARS, 2020, int)
    kw["freq"] = one("freq", FREQS, "year")
    kw["freq_from"] = "url" if _first(qs, "freq") in FREQS else "data"
    kw["lang"] = one("lang", LANGS, "zh")
    kw["classes"] = one("classes", CLASSES, "jenks")
    kw["order"] = one("order", BAR_ORDERS, "value")
    kw["pilots"] = (qs.get("pilots") or ["0"])[0] == "1"
    kw["pilot_field"] = pick("pf", None, _TOKEN)
    kw["cumulative"] = (qs.get("cum") or ["0"])[0] == "1"
    kw["compare"] = one("compare", ("0", "1"), "0") == "1"
    kw.update(_checked_keys(qs, notes))
    return ViewState(**kw, notes=tuple(notes))


def _checked_keys(qs: dict[str, list[str]], notes: list[str]) -> dict[str, str]:
    """The keys whose value must pass a check (period, table id, drilled province): the good
    ones, the others listed in ``notes``."""
    checks = {
        "period": lambda v: bool(periods.parse(v)),
        "data": lambda v: bool(_DATA_ID.match(v)),
        "drill": lambda v: v in _province_adcodes(),
    }
    out: dict[str, str] = {}
    for key, ok in checks.items():
        value = _first(qs, key)
        if value is None:
            continue
        if ok(value):
            out[key] = value.strip() if key == "period" else value
        else:
            notes.append(f"ignored {key}={value[:40]!r}")
    return out


def restrict(
    state: ViewState, regions: Collection[str], known: Mapping[str, Collection[str]]
) -> ViewState:
    """``state`` with the values no table or map knows dropped and listed in ``notes``: a region
    that is no place of the map (``region=999999``), a category value that is neither a code of
    its vocabulary nor a label the table uses (``incentive=bogus``). A link with a typo opens, says
    what it ignored, and never filters everything away behind a chip nobody can read."""
    notes = list(state.notes)
    region = tuple(a for a in state.region if a in regions)
    notes += [f"ignored region={a!r}: no such place" for a in state.region if a not in regions]
    picks: dict[str, tuple[str, ...]] = {}
    for dim, values in state.picks:
        if dim not in known and dim not in CATEGORY:
            continue  # a key no dimension of this table has: ignored, as any unknown key
        allowed = known.get(dim, ())
        picks[dim] = tuple(v for v in values if v in allowed)
        notes += [f"ignored {dim}={v[:40]!r}: not in the table" for v in values if v not in allowed]
    if state.compare and len(replace(state, region=region).compared()) < 2:
        notes.append(NEEDS_TWO)
    kept = _picks(picks)
    if len(notes) == len(state.notes) and kept == state.picks:
        return state
    return replace(state, region=region, picks=kept, notes=tuple(notes))


def encode_query(state: ViewState) -> str:
    """The query string of a state, defaults omitted, in a stable order (``""`` for the default)."""
    pairs = _pairs(state)
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def _pairs(state: ViewState) -> list[tuple[str, str]]:
    """The (key, value) pairs of a state's query string, in order."""
    pairs: list[tuple[str, str]] = []
    if state.region:
        pairs.append(("region", ",".join(state.region)))
    for dim, values in state.picks:
        pairs.append((dim, ",".join(values)))
    if state.date_from:
        pairs.append(("from", state.date_from))
    if state.date_to:
        pairs.append(("to", state.date_to))
    if state.text:
        pairs.append(("q", state.text))
    if not state.work_reports:
        pairs.append(("wr", "0"))
    if state.period:
        pairs.append(("period", state.period))
    if state.cumulative:
        pairs.append(("cum", "1"))
    if state.compare:
        pairs.append(("compare", "1"))
    defaults = ViewState()
    for name, key in (
        ("map_level", "map"),
        ("drill", "drill"),
        ("measure", "measure"),
        ("gdp_year", "gdp"),
        ("freq", "freq"),
        ("lang", "lang"),
        ("classes", "classes"),
        ("order", "order"),
    ):
        value = getattr(state, name)
        if name == "freq" and state.freq_from:  # asked: always said; from the data: never
            if state.freq_from == "url":
                pairs.append((key, str(value)))
            continue
        if value != getattr(defaults, name):
            pairs.append((key, str(value)))
    if state.pilots:
        pairs.append(("pilots", "1"))
    if state.pilot_field:
        pairs.append(("pf", ",".join(state.pilot_field)))
    if state.data:
        pairs.append(("data", state.data))
    return pairs
