"""The grid's rows: one block at a time, sorted and filtered on the server, for any view."""

from data import query, table
from data.state import ViewState


def block(ds, state: ViewState | None = None, **kw):
    return table.block(ds.index, state or ViewState(), ds.name_of, **kw)


def test_a_block_is_a_slice_of_the_selection_newest_first_with_the_total(ds):
    rows, count = block(ds, ViewState(region=("440000",), lang="en"), start=0, end=5)
    assert count == query.summary(ds.index, ViewState(region=("440000",)))["policies"] == 20
    assert len(rows) == 5
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    rest, _ = block(ds, ViewState(region=("440000",), lang="en"), start=5, end=100)
    assert len(rest) == 15 and not {r["row"] for r in rows} & {r["row"] for r in rest}


def test_rows_show_names_dates_at_their_precision_and_keep_every_source(ds):
    rows, count = block(ds, ViewState(lang="en"), start=0, end=500)
    assert count == len(rows) == 181
    assert all(r["source"] for r in rows)
    assert {"2021", "2020-05", "2024-01-12"} <= {r["date"] for r in rows}
    assert any(r["place"] == "Longhua, Shenzhen" for r in rows)
    assert any(r["place"] == "Shenzhen" for r in rows)  # the deepest place, not "Guangdong She…"
    assert sum(1 for r in rows if r["place"] == "national (no place)") == 35
    assert not any(str(v) == "nan" for r in rows for v in r.values())
    zh, _ = block(ds, ViewState(region=("440300",)), start=0, end=50)
    assert all(r["place"].startswith("深圳市") for r in zh)


def test_sorting_by_amount_and_by_date_puts_blanks_last(ds):
    rows, _ = block(ds, sort_model=[{"colId": "amount", "sort": "desc"}], start=0, end=181)
    amounts = [r["amount"] for r in rows]
    stated = [a for a in amounts if a is not None]
    assert stated == sorted(stated, reverse=True) and stated[0] == 17_500_000
    assert amounts[len(stated) :] == [None] * (181 - len(stated))
    asc, _ = block(ds, sort_model=[{"colId": "date", "sort": "asc"}], start=0, end=181)
    assert asc[0]["date"] == "2013" and asc[-1]["date"] == ""


def test_column_filters_text_and_number(ds):
    f = {"title_en": {"filterType": "text", "type": "contains", "filter": "SHENZHEN"}}
    rows, count = block(ds, filter_model=f, start=0, end=100)
    assert count == len(rows) > 0 and all("shenzhen" in r["title_en"].lower() for r in rows)
    f = {"amount": {"filterType": "number", "type": "greaterThanOrEqual", "filter": 10_000_000}}
    rows, count = block(ds, filter_model=f, start=0, end=100)
    assert count == 3 and all(r["amount"] >= 10_000_000 for r in rows)
    both = {
        "place": {
            "filterType": "text",
            "operator": "OR",
            "conditions": [
                {"filterType": "text", "type": "startsWith", "filter": "广州"},
                {"filterType": "text", "type": "startsWith", "filter": "深圳"},
            ],
        }
    }
    rows, count = block(ds, filter_model=both, start=0, end=100)
    assert count > 0 and all(r["place"][:2] in ("广州", "深圳") for r in rows)


def test_quick_search_needs_every_word_and_hostile_text_is_just_text(ds):
    rows, count = block(ds, ViewState(lang="en"), quick="huangpu 2019", start=0, end=50)
    assert count >= 1 and all("Huangpu" in (r["place"] + r["title_en"]) for r in rows)
    rows, count = block(ds, quick='=HYPERLINK("x") \\ .* [', start=0, end=50)
    assert count == 0 and rows == []


def test_out_of_range_and_unknown_columns_are_harmless(ds):
    rows, count = block(ds, start=1000, end=1100)
    assert rows == [] and count == 181
    rows, _ = block(
        ds,
        sort_model=[{"colId": "nope", "sort": "asc"}],
        filter_model={"nope": {"filterType": "text", "type": "contains", "filter": "x"}},
        start=0,
        end=3,
    )
    assert len(rows) == 3


def test_malformed_grid_requests_are_ignored_not_errors(ds):
    rows, count = block(ds, start=None, end=None, sort_model={"colId": "date"}, filter_model=[])
    assert count == 181 and len(rows) == 100
    odd = {
        "amount": {"filterType": "text", "type": "contains", "filter": "1"},
        "title_en": {"filterType": "number", "type": "equals", "filter": 3},
    }
    rows, count = block(ds, filter_model=odd, start=0, end=5)
    assert count == 181
