"""Exports: safe spreadsheets, print-size images, the report pack, the CLI, offline."""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from data import export_tables, query
from data.load import load_table
from data.loaders import load_dataset
from data.state import parse_query
from layouts.charts import CHARTS
from layouts.exports import render

REPO = Path(__file__).resolve().parent.parent
HOSTILE = '=HYPERLINK("http://x","click")'
VIEW = "?region=440000&from=2019-01-01&to=2021-12-31"
RISKY = ("=", "+", "-", "@", "\t", "\r")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def gif_frames(data: bytes) -> list:
    from PIL import Image, ImageSequence

    assert data[:6] in (b"GIF87a", b"GIF89a"), "not a GIF"
    return [f.convert("RGB") for f in ImageSequence.Iterator(Image.open(io.BytesIO(data)))]


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# ----------------------------------------------------------------------------- spreadsheets
@pytest.fixture(scope="module")
def hostile_frame(tmp_path_factory):
    """The bundled table with hostile cells, read back through the normal loader."""
    src = (REPO / "data" / "policies.csv").read_text(encoding="utf-8")
    reader = list(csv.DictReader(io.StringIO(src)))
    reader[0]["title_zh"] = HOSTILE
    reader[0]["title_en"] = "+cmd|' /C calc'!A0"
    reader[1]["issuing_body_en"] = "@SUM(1+1)"
    reader[2]["summary_en"] = "-2+3"
    reader[3]["title_en"] = "\t=1+1"
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(reader[0]))
        w.writeheader()
        w.writerows(reader)
    result = load_table(path)
    assert result.fatal is None
    return export_tables.export_frame(result.frame)


def test_csv_has_bom_and_no_live_formula(hostile_frame):
    data = export_tables.to_csv_bytes(hostile_frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(hostile_frame)
    titles = {r["title_zh"] for r in rows}
    assert "'" + HOSTILE in titles and HOSTILE not in titles
    for r in rows:
        for name, value in r.items():
            if name in ("amount_cny", "row"):
                continue  # numbers stay numbers
            assert not value.startswith(RISKY), (name, value)
    assert any("广东" in r["title_zh"] for r in rows)  # Chinese survives


def test_csv_keeps_negative_numbers_numeric():
    import pandas as pd

    frame = pd.DataFrame({"title": ["-x", "ok"], "amount_cny": [-5.0, 2.5e6]})
    text = export_tables.to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["'-x,-5", "ok,2500000"]


def test_xlsx_typed_cells_and_no_formula(hostile_frame):
    import datetime as dt

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export_tables.to_xlsx_bytes(hostile_frame)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    cells = list(ws.iter_rows(min_row=2))
    assert len(cells) == len(hostile_frame)
    hostile = [r[col["title_zh"]] for r in cells if r[col["title_zh"]].value == HOSTILE]
    assert hostile and hostile[0].data_type == "s"
    for row in cells:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    dated = [r for r in cells if r[col["date"]].value is not None]
    assert dated and all(isinstance(r[col["date"]].value, dt.datetime) for r in dated)
    assert all(isinstance(r[col["date_start"]].value, dt.datetime) for r in dated)
    amounts = [r[col["amount_cny"]].value for r in cells if r[col["amount_cny"]].value is not None]
    assert amounts and all(isinstance(a, int | float) for a in amounts)
    years = [r for r in dated if r[col["date_precision"]].value == "year"]
    assert years and years[0][col["date"]].number_format == "yyyy"


def test_export_frame_keeps_every_filtered_row_and_source(ds):
    state = parse_query(VIEW)
    frame = export_tables.export_frame(query.selected_rows(ds.index, state))
    assert len(frame) == int(query.selection(ds.index, state).sum())
    assert frame["source"].str.len().gt(0).all()
    assert (
        set(frame["province_adcode"]) == {"440000"}
        or frame["city_adcode"].str.startswith("44").all()
    )


def test_print_sizes():
    assert render.SIZES["a4"].pixels == (3508, 2480)
    assert render.SIZES["16x9"].pixels == (4000, 2250)
    for size in render.SIZES.values():
        w, h = size.css
        assert round(w * size.scale) == size.pixels[0]
        assert abs(h * size.scale - size.pixels[1]) < 1


# ----------------------------------------------------------------------------- images + pack
@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from layouts.exports.report_pack import write_pack

    ds = load_dataset()
    out = tmp_path_factory.mktemp("pack")
    result = write_pack(ds, parse_query(VIEW), out, "http://example.org/" + VIEW)
    yield result
    render.stop()


@pytest.mark.export
@pytest.mark.slow
def test_pack_holds_what_it_promises(pack):
    assert pack.path is not None and pack.path.name == (
        "policy-atlas_guangdong_2019-2021_report.zip"
    )
    with zipfile.ZipFile(pack.path) as zf:
        names = set(zf.namelist())
        charts = [
            "policy-map",
            "policy-ranking",
            "policy-timeline",
            "policies-by-incentive",
            "policies-by-type",
            "policies-by-level",
            "policies-by-stance",
            "policies-by-sector",
        ]
        for c in charts:
            for ext in ("svg", "png"):
                assert f"charts/{c}_guangdong_2019-2021.{ext}" in names
        assert "charts/policy-atlas_guangdong_2019-2021.pdf" in names
        for c in ("first-adoption-map", "adoption-curve"):  # the diffusion charts, as every chart
            for ext in ("svg", "png"):
                assert f"charts/{c}_guangdong_2019-2021.{ext}" in names
        gif = zf.read("charts/policy-map-animation_guangdong_2019-2021.gif")
        multiples = zf.read("charts/policy-map-by-year_guangdong_2019-2021.png")
        assert "charts/policy-map-by-year_guangdong_2019-2021.pdf" in names
        assert {"data/policies.csv", "data/policies.xlsx", "CITATION.txt", "README.txt"} <= names
        for c in charts:  # the numbers behind each chart
            assert f"data/{c}_guangdong_2019-2021.csv" in names
        assert "data/policy-map_guangdong_2019-2021.gpkg" in names
        assert "data/policy-map_guangdong_2019-2021.geojson" in names
        assert "charts/policy-atlas_guangdong_2019-2021.html" in names
        citation = zf.read("CITATION.txt").decode()
        csv_bytes = zf.read("data/policies.csv")
        pdf = zf.read("charts/policy-atlas_guangdong_2019-2021.pdf")
        png = zf.read("charts/policy-map_guangdong_2019-2021.png")
        svg = zf.read("charts/policy-map_guangdong_2019-2021.svg").decode()
        readme = zf.read("README.txt").decode()
        pngs = {n: png_size(zf.read(n)) for n in names if n.endswith(".png")}
    # the README says what each PNG measures: the ranking is as tall as its bars, not A4
    assert "PNG: A4 landscape · 300 dpi (3508 x 2480 px)" in readme
    for name, (w, h) in pngs.items():
        assert (w, h) == (3508, 2480) or f"{name}: {w} x {h} px" in readme, name
    assert pngs["charts/policy-ranking_guangdong_2019-2021.png"] != (3508, 2480)
    rows = len(csv_bytes.decode("utf-8-sig").splitlines()) - 1
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and rows > 0
    assert "http://example.org/" + VIEW in citation
    assert "Guangdong" in citation and "广东省" in citation and "Filters: Filters:" not in citation
    assert f"Rows (policies):   {rows:,}" in citation
    assert "Data as of:" in citation and "Generated:" in citation
    assert pdf_pages(pdf) == len(charts) + 2  # one page per chart
    frames = gif_frames(gif)
    assert len(frames) == 3  # one frame per period of the view: 2019, 2020, 2021
    assert len({f.tobytes() for f in frames}) == 3  # each frame differs (values, period label)
    assert frames[0].size == (960, 720)
    assert png_size(multiples) == (3508, 2480)
    assert png_size(png) == (3508, 2480)
    assert b"pHYs" in png[:200]  # 300 dpi in the file
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert any("广东省" in t for t in texts)  # the filters, in words, as text
    assert any("广东省区块链政策，按省份，2019–2021 年" in t for t in texts)  # the title
    assert any("2026-11-22" in t for t in texts)  # the source line with the data date


@pytest.mark.export
@pytest.mark.slow
def test_single_chart_formats(pack):
    from layouts.exports.report_pack import chart_file

    ds = load_dataset()
    state = parse_query("?lang=en&type=action-plan")
    name, png = chart_file(ds, state, "bd-incentive", "png", "16x9")
    assert name == "policies-by-incentive_action-plan.png"
    assert png_size(png) == (4000, 2250)
    name, pdf = chart_file(ds, state, "timeline", "pdf")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF") and pdf_pages(pdf) == 1
    name, svg = chart_file(ds, parse_query(""), "map", "svg")
    assert name == "policy-map.svg"
    assert re.search(r"<text[^>]*>[^<]*南海诸岛", svg.decode())


# ----------------------------------------------------------------------------- CLI
def test_cli_bad_data_is_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "app.py", "--data", str(tmp_path / "nope.csv"), "--export", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10)
    return probe.returncode == 0


@pytest.mark.export
@pytest.mark.slow  # a whole report pack from the CLI, offline
def test_cli_export_with_network_unreachable(tmp_path):
    """``python app.py --export DIR --view Q`` in a network namespace with no route anywhere."""
    if not _unshare_works():
        pytest.skip("`unshare -n` is unavailable here (needs root or user namespaces)")
    no_net = (
        "import socket,sys\n"
        "try:\n"
        "    socket.create_connection(('151.101.1.229', 443), timeout=3)\n"  # cdn.plot.ly
        "    sys.exit('network reachable')\n"
        "except OSError:\n"
        "    pass\n"
    )
    probe = subprocess.run(["unshare", "-n", sys.executable, "-c", no_net], capture_output=True)
    assert probe.returncode == 0, probe.stderr
    proc = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "app.py",
            "--export",
            str(tmp_path),
            "--view",
            VIEW,
            "--base-url",
            "https://atlas.example.org/",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    zips = list(tmp_path.glob("*.zip"))
    assert [z.name for z in zips] == ["policy-atlas_guangdong_2019-2021_report.zip"]
    assert str(zips[0]) in proc.stdout
    with zipfile.ZipFile(zips[0]) as zf:
        chart_files = [n for n in zf.namelist() if n.startswith("charts/")]
        # SVG + PNG of each chart, the view as PDF and HTML, GIF, small multiples PNG and PDF
        assert len(chart_files) == 2 * len(CHARTS) + 2 + 3
        citation = zf.read("CITATION.txt").decode()
        png = zf.read("charts/policy-map_guangdong_2019-2021.png")
    assert png_size(png) == (3508, 2480)
    assert "https://atlas.example.org/?region=440000" in citation  # --base-url: absolute


# ----------------------------------------------------------------------------- the renderer
def _titled(text: str) -> dict:
    return {"data": [{"type": "bar", "x": [1], "y": [2]}], "layout": {"title": {"text": text}}}


@pytest.mark.export
def test_images_asked_for_at_once_each_get_their_own():
    # two readers downloading at the same moment (a threaded server): kaleido's own sync server
    # handed results back in finishing order, and six threads got each other's images
    from concurrent.futures import ThreadPoolExecutor

    names = [f"chart-number-{i}" for i in range(6)]
    with ThreadPoolExecutor(len(names)) as pool:
        images = list(pool.map(lambda n: render.to_bytes(_titled(n), "svg", "web"), names))
    for name, svg in zip(names, images, strict=True):
        assert name.encode() in svg
        assert sum(other.encode() in svg for other in names) == 1
    render.stop()


@pytest.mark.export
def test_a_crashed_chromium_is_started_again_for_the_next_image():
    import psutil

    assert b"before" in render.to_bytes(_titled("before"), "svg", "web")
    browsers = [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]
    assert browsers, "no Chromium runs for the renderer"
    for browser in browsers:
        browser.kill()
    assert b"after the crash" in render.to_bytes(_titled("after the crash"), "svg", "web")
    render.stop()
