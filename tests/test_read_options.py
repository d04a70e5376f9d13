"""ReadOptions: the record of a user's reading choices round-trips, and bad input is one line."""

from __future__ import annotations

import pytest

from data.load import load_table
from data.read_options import ReadOptions, parse_columns_arg


def test_round_trip_and_digest() -> None:
    opts = ReadOptions(
        columns=(("province", "adm1_name"), ("title", "policy+policy_description")),
        date_order="mdy",
        whole_marker="All",
        topic="COVID-19 measures",
        aliases=(("Turfan", "650400"),),
    )
    again = ReadOptions.from_json(opts.to_json())
    assert again == opts
    assert again.digest() == opts.digest()
    assert len(opts.digest()) == 12
    assert ReadOptions().digest() != opts.digest()
    assert ReadOptions.from_json("") == ReadOptions()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"date_order": "xyz"}', "mdy, dmy, ymd"),
        ('{"columns": [["a"]]}', "not a pair"),
        ('{"colour": 1}', "unknown reading option"),
        ('{"aliases": [["Turfan", "65"]]}', "6-digit adcode"),
        ('{"topic": 3}', "must be text"),
    ],
)
def test_bad_input_is_one_clear_line(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as info:
        ReadOptions.from_json(text)
    assert "\n" not in str(info.value)


def test_columns_argument() -> None:
    assert parse_columns_arg("province=adm1_name, title=policy+policy_description") == {
        "province": "adm1_name",
        "title": "policy+policy_description",
    }
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_columns_arg("province")


def test_load_table_carries_options_and_mapping(tmp_path) -> None:
    path = tmp_path / "t.csv"
    body = "标题,地点,日期\n关于促进区块链发展的意见,广东省,2020-01-23\n"
    path.write_text(body, encoding="utf-8")
    opts = ReadOptions(date_order="ymd")
    res = load_table(path, options=opts, mapping={"province": "地点"})
    assert res.options.date_order == "ymd"
    assert res.options.column_map() == {"province": "地点"}
    assert res.frame["province_adcode"].tolist() == ["440000"]
