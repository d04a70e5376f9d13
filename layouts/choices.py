"""The choice lists the page offers for a table: places for the place filter, pilot fields."""

from __future__ import annotations

from data.dataset import Dataset
from layouts.present_common import cell_text


def place_choices(ds: Dataset) -> list[tuple[str, str, str]]:
    """(adcode, Chinese label, English label) of every province, then every city-level unit, for
    the place filter (choosing a region without the map)."""
    out = []
    provinces = ds.regions("province")
    names = dict(zip(provinces["adcode"], provinces["name_en"], strict=True))
    zh_names = dict(zip(provinces["adcode"], provinces["name_zh"], strict=True))
    out += [(a, z, e) for a, z, e in provinces[["adcode", "name_zh", "name_en"]].itertuples(False)]
    cities = ds.regions("city")
    for a, z, e, p in cities[["adcode", "name_zh", "name_en", "province_adcode"]].itertuples(False):
        if a in names:  # Hong Kong, Macau, Taiwan: already listed as provinces
            continue
        if z == zh_names.get(p):  # municipalities: 北京市 (北京市) says nothing more
            out.append((a, f"{z}（市辖区）", f"{e} (city)"))
        else:
            out.append((a, f"{z}（{zh_names.get(p, '')}）", f"{e}, {names.get(p, '')}"))
    return out


def pilot_field_choices(ds: Dataset) -> list[tuple[str, str, str]]:
    """(code, Chinese label, English label) of each pilot field in the pilot table."""
    fields = ds.pilots.drop_duplicates("field_code")
    out = []
    for r in fields.to_dict("records"):
        if r["category"] == "comprehensive":
            zh, en = "综合性试点", "comprehensive (multi-field)"
        elif cell_text(r["field_zh"]) or cell_text(r["field_en"]):
            zh = cell_text(r["field_zh"]) or cell_text(r["field_en"])
            en = cell_text(r["field_en"]) or cell_text(r["field_zh"])
        else:
            zh, en = "领域未记录", "field not recorded"
        out.append((r["field_code"], zh, en))
    return out
