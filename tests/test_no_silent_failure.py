"""Nothing the user gave is lost, nothing fails silently (issue 20 items 7, 8), and a re-read
(the column panel) keeps its choices with the table's id.

Tables: one whose every row names a place that does not exist (no row placed), one with no
readable date (no row dated): made here, following the bundled table's Chinese headers."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from data import config as settings
from data import export_tables, query
from data.details import INPUT, policy_details
from data.loaders import load_dataset
from data.read_options import ReadOptions
from data.state import parse_query
from data.uploads import Uploads
from layouts import viewmodel

FIX = Path(__file__).resolve().parent / "fixtures"
NOWHERE = (
    "标题,省份,日期,备注\n"
    "区块链发展意见一,火星省,2020-01-23,甲\n"
    "区块链发展意见二,月球省,2020-02-01,乙\n"
)
UNDATED = "标题,省份,日期,备注\n区块链发展意见一,广东省,,甲\n区块链发展意见二,浙江省,不详,乙\n"


def _table(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_dataset(str(path), cache=False)


def _shown(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations or () if a.visible is not False and a.text]


@pytest.mark.parametrize("query_string", ["?lang=en", "?lang=en&level=city", "?lang=en&view=spread",
                                          "?lang=en&compare=1&region=440000,330000"])  # fmt: skip
def test_a_table_that_places_no_row_draws_every_view_and_says_why(tmp_path, query_string) -> None:
    ds = _table(tmp_path, "nowhere.csv", NOWHERE)
    state = parse_query(query_string)
    out = viewmodel.views(ds, state, full=True)
    said = "No row could be placed on the map — see the report"
    for chart in ("map", "ranked", "adoption-map", "adoption-curve"):
        assert said in _shown(out.figures[chart]), chart
    viewmodel.views(ds, state, full=True, export=True)  # the export's drawing too


def test_a_table_with_no_dated_row_says_so_on_its_time_charts(tmp_path) -> None:
    ds = _table(tmp_path, "undated.csv", UNDATED)
    out = viewmodel.views(ds, parse_query("?lang=en&view=spread"), full=True)
    said = "No row has a date this app can read — see the report"
    for chart in ("timeline", "adoption-map", "adoption-curve"):
        assert said in _shown(out.figures[chart]), chart
    assert said not in _shown(out.figures["map"])  # the map has its places


def test_passthrough_columns_in_exports_and_details() -> None:
    ds = load_dataset(str(FIX / "gpl_covid_chn.csv"), cache=False)
    rows = query.selected_rows(ds.index, parse_query(""))
    frame = export_tables.export_frame(rows, "en")
    for header in ("adm0_name", "policy", "policy_description", "date_end", "optional", "notes"):
        assert header in frame.columns, header
    csv = pd.read_csv(io.BytesIO(export_tables.to_csv_bytes(frame)), dtype=str,
                      encoding="utf-8-sig", keep_default_na=False)  # fmt: skip
    assert set(csv["access_date"]) >= {"3/15/2020", "3/16/2020"}
    xlsx = pd.read_excel(io.BytesIO(export_tables.to_xlsx_bytes(frame)), dtype=str)
    assert "policy_description" in xlsx.columns and "optional" in xlsx.columns
    details = policy_details(ds.frame, 2, "en", ds.name_of)
    assert details[INPUT + "policy_description"] == (
        "public transit suspended, Wuhan airport/train/metro closed"
    )
    assert details[INPUT + "adm0_name"] == "CHN"


def test_a_reread_keeps_its_choices_with_its_id(tmp_path) -> None:
    uploads = Uploads(settings.load({"POLICY_ATLAS_HOME": str(tmp_path / "home")}))
    body = (FIX / "gpl_covid_chn.csv").read_bytes()
    first = uploads.ingest("gpl.csv", body)
    assert first.id and first.rows == 168
    meta = uploads.meta(first.id)
    assert meta is not None
    assert {r["column"]: r["field"] for r in meta["roles"]}["adm1_name"] == "province"
    assert len(meta["preview"]) == 5
    chosen = ReadOptions(columns=(("title", "policy"),), date_order="mdy", topic="COVID-19")
    again = uploads.reread(first.id, chosen, owner=first.owner)
    assert again.id and again.id != first.id
    # the same owner making the same choices: the same table
    assert uploads.reread(first.id, chosen, owner=first.owner).id == again.id
    meta2 = uploads.meta(again.id)
    assert meta2 is not None and meta2["name"] == "gpl.csv" and meta2["blob"] != meta["blob"]
    assert ReadOptions.from_dict(meta2["options"]) == chosen
    ds = uploads.dataset(again.id)
    assert ds is not None
    raw = pd.read_csv(FIX / "gpl_covid_chn.csv", dtype=str)
    assert ds.frame.sort_values("row")["title_en"].tolist() == raw["policy"].tolist()
    assert ds.frame["date"].notna().all()
    # a re-read of the re-read still finds the file; a senseless pick stores nothing
    third = uploads.reread(again.id, ReadOptions(columns=(("title", "policy_description"),)))
    assert third.id
    bad = uploads.reread(first.id, ReadOptions(columns=(("province", "date_start"),)))
    assert bad.id is None and bad.error and "cannot be the province" in bad.error
