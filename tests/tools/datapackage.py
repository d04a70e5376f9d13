"""Writes ``datapackage.json`` (Frictionless Data Package) for the bundled tables: one resource per
CSV with its fields in header order, their types and descriptions, the licence and the sources.
``tests/test_researchers.py`` checks the fields against the CSV headers.

python -m tests.tools.datapackage datapackage.json
"""

from __future__ import annotations

import csv
import json
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
#: field -> (Table Schema type, description); fields not listed are strings.
TYPES = {
    "date_issued": ("string", "YYYY-MM-DD, YYYY-MM or YYYY (precision varies); empty if undated"),
    "amount_cny": ("number", "largest single amount the source states, in yuan"),
    "incentives": ("string", "';'-separated incentive codes (data/README.md)"),
    "sectors": ("string", "';'-separated sector codes"),
    "source": ("string", "URL of the source, or the seed article's title and publisher"),
    "adcode": ("string", "6-digit administrative division code"),
    "year": ("integer", "year of the figure"),
    "gdp_100m_yuan": ("number", "gross regional product, 100 million yuan"),
    "population": ("integer", "resident population"),
    "ref_date": ("date", "reference date of the figure"),
}
RESOURCES = (
    ("policies", "data/policies.csv", "Government policies on blockchain, one row per document",
     "policy_id"),
    ("pilots", "data/pilots.csv", "National blockchain innovation pilots (2022 list)", "pilot_id"),
    ("gdp", "data/reference/gdp.csv", "Gross regional product by province (per-GDP maps)", None),
    ("population", "data/reference/population.csv",
     "Resident population by province, 7th census (per-capita maps)", None),
)  # fmt: skip


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def package() -> dict:
    resources = []
    for name, path, title, key in RESOURCES:
        fields = []
        for column in header(REPO / path):
            kind, description = TYPES.get(column, ("string", ""))
            field = {"name": column, "type": kind}
            if description:
                field["description"] = description
            fields.append(field)
        schema: dict = {"fields": fields}
        if key:
            schema["primaryKey"] = key
        resources.append({
            "name": name, "path": path, "title": title, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "profile": "tabular-data-resource", "schema": schema,
            "licenses": [LICENSE],
        })  # fmt: skip
    return {
        "profile": "tabular-data-package",
        "name": "policy-atlas-blockchain-policies",
        "title": "Chinese government policy on blockchain, by province and city",
        "description": (
            "Hand-researched tables behind Policy Atlas: policies (national, provincial, city, "
            "district), the national blockchain pilots and the reference figures of the per-capita "
            "and per-GDP maps. Every row names its source in its `source` column."
        ),
        "version": tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
            "version"
        ],
        "created": json.loads((REPO / "data" / "DATASET.json").read_text("utf-8"))["as_of"]
        + "T00:00:00Z",
        "licenses": [LICENSE],
        "contributors": [{"title": "Policy Atlas contributors", "role": "author"}],
        "sources": [
            {
                "title": "Issuing governments' own pages and news reports of them (China Banking "
                "News, 8btc, Blocking, PANews and others), per row in `source`"
            },
            {
                "title": "Cyberspace Administration of China: national blockchain innovation "
                "pilots (2022), as reported by the sources in pilots.csv"
            },
            {"title": "National Bureau of Statistics: 7th census communiqués (population)"},
            {"title": "China Statistical Yearbook (GDP), per row in gdp.csv"},
        ],  # fmt: skip
        "resources": resources,
    }


if __name__ == "__main__":
    text = json.dumps(package(), ensure_ascii=False, indent=2) + "\n"
    Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "datapackage.json").write_text(text, "utf-8")
