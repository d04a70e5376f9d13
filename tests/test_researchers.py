"""What a researcher cites and reuses: CITATION.cff, the changelog and datapackage.json agree with
the project's version, and the data package describes the bundled CSVs as they are."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = json.loads((REPO / "datapackage.json").read_text("utf-8"))
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def _rows(path: str) -> tuple[list[str], list[dict]]:
    with (REPO / path).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_the_package_covers_every_bundled_table():
    paths = {r["path"] for r in PACKAGE["resources"]}
    bundled = {"data/policies.csv", "data/pilots.csv"}
    bundled |= {f"data/reference/{p.name}" for p in (REPO / "data" / "reference").glob("*.csv")}
    assert paths == bundled
    assert PACKAGE["licenses"][0]["name"] == "CC-BY-4.0"
    assert PACKAGE["version"] == VERSION and PACKAGE["sources"]


@pytest.mark.parametrize("resource", PACKAGE["resources"], ids=lambda r: r["name"])
def test_schema_fields_are_the_csv_header_and_the_values_fit_their_types(resource):
    header, rows = _rows(resource["path"])
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    parse = {"integer": int, "number": float, "date": date.fromisoformat, "string": str}
    for line, row in enumerate(rows, start=2):
        for field in fields:
            value = row[field["name"]]
            if value != "":
                try:
                    parse[field["type"]](value)
                except ValueError:
                    pytest.fail(f"{resource['path']} line {line}, {field['name']}: {value!r}")
    key = resource["schema"].get("primaryKey")
    if key:
        assert len({r[key] for r in rows}) == len(rows)


def test_citation_and_changelog_name_this_version():
    cff = (REPO / "CITATION.cff").read_text("utf-8")
    assert re.search(rf"^version: {re.escape(VERSION)}$", cff, re.M)
    assert re.search(r"^cff-version: 1\.2\.0$", cff, re.M)
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert f"## [{VERSION}]" in changelog
