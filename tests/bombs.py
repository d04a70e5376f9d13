"""Hostile files for the bounded-parse tests and the soak, made in memory (never stored): XLSX zip
bombs, a Parquet dictionary bomb, a CSV 16 k columns wide, a table with one huge cell."""

from __future__ import annotations

import io
import zipfile

import numpy as np

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _col(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def xlsx(rows: int, cols: int, shared: str, dimension: str | None = None) -> bytes:
    """A workbook of ``rows`` × ``cols`` cells below a header, every cell the one shared string
    ``shared`` (a shared-strings bomb when it is long), streamed into the zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        header = ["标题", "日期", "省份"] + [f"c{j}" for j in range(3, cols)]
        strings = [shared, *header]
        sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
        z.writestr("xl/sharedStrings.xml", f'<sst {_NS} count="{len(strings)}">{sst}</sst>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            fh.write(f"<worksheet {_NS}>{dim}<sheetData>".encode())
            head = "".join(f'<c r="{_col(j + 1)}1" t="s"><v>{j + 1}</v></c>' for j in range(cols))
            fh.write(f'<row r="1">{head}</row>'.encode())
            for i in range(2, rows + 2):
                cells = "".join(f'<c r="{_col(j + 1)}{i}" t="s"><v>0</v></c>' for j in range(cols))
                fh.write(f'<row r="{i}">{cells}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def parquet_dictionary_bomb(rows: int = 2_000_000, length: int = 2_000) -> bytes:
    """A Parquet file of a few KB whose one column repeats one long value ``rows`` times
    (dictionary encoded: one dictionary entry, run-length encoded indices)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    value = "政" * length
    titles = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), [value])
    dates = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), ["2020"])
    table = pa.table({"标题": titles, "日期": dates, "省份": dates})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", use_dictionary=True)
    return buf.getvalue()


def wide_csv(columns: int = 16_384) -> bytes:
    """A CSV ``columns`` wide (about 197 KB at 16 k columns): a header and one row."""
    header = ",".join(f"c{j}" for j in range(columns))
    row = ",".join(str(j % 10) for j in range(columns))
    return f"{header}\n{row}\n".encode()


def huge_cell_csv(chars: int = 9_000) -> bytes:
    """A CSV of about 10 KB whose one title cell holds ``chars`` characters."""
    title = "区块链" * (chars // 3)
    return f"标题,日期,省份\n{title},2020-05-01,广东省\n测试,2021-01-01,北京市\n".encode()


def big_xlsx(rows: int = 1_048_575) -> bytes:
    """A plain policy-like workbook of ``rows`` rows (Excel's most) of title, date, province
    (inline strings, streamed into the zip): the 1 M-row case of the bench."""
    provinces = ["广东省", "北京市", "浙江省", "四川省", "湖南省", "上海市"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT.replace(_SST_OVERRIDE, ""))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.replace(_SST_REL, ""))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<worksheet {_NS}><dimension ref="A1:C{rows + 1}"/><sheetData>'.encode())
            fh.write(_inline_row(1, ["标题", "日期", "省份"]))
            for i in range(rows):
                day = f"20{16 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
                fh.write(_inline_row(i + 2, [f"政策{i}", day, provinces[i % 6]]))
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


_SST_OVERRIDE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


def _inline_row(r: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{_col(j + 1)}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
        for j, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'.encode()
