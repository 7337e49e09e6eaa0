"""Each limit of README's Limits table at its edge: a file exactly at the limit is read, one
byte, cell, row, column or merged range over is refused with its own message.

The sizes are written as literals (the README's values), not read from budget_xls.limits:
a limit changed in the code must make these fail.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from budget_xls.ingest import read_file
from budget_xls.sniff import extent_refusal
from budget_xls.template import WorkbookSpec, write_workbook
from tests.test_hostile import add_value_at_row, edit_zip, project_part
from tests.test_rules_factory import clean_spec

MB = 1024 * 1024


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "base.xlsx"
    write_workbook(path, WorkbookSpec(year=2022, projects=[clean_spec()]))
    return path


def _status(path: Path) -> tuple[str, str | None, int]:
    result = read_file(path, path.name)
    return result.record.status, result.record.reason, len(result.forms)


def _read_ok(path: Path) -> None:
    assert _status(path) == ("ok", None, 1)


def _with_member(src: Path, dst: Path, name: str, data: bytes, method: int) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            b.writestr(info.filename, a.read(info))
        b.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return dst


# ---------------------------------------------------------------- file size: 50 MB


def test_file_size_50_mb(base, tmp_path):
    probe = _with_member(base, tmp_path / "probe.xlsx", "customXml/pad.bin", b"", zipfile.ZIP_STORED)
    pad = 50 * MB - probe.stat().st_size
    at = _with_member(base, tmp_path / "at.xlsx", "customXml/pad.bin", b"\0" * pad, zipfile.ZIP_STORED)
    assert at.stat().st_size == 50 * MB
    _read_ok(at)
    over = _with_member(base, tmp_path / "over.xlsx", "customXml/pad.bin", b"\0" * (pad + 1), zipfile.ZIP_STORED)
    assert _status(over) == ("unreadable", "文件过大（50.0 MB，上限 50 MB），不像是申报表：请删除无关内容后重新提交", 0)


# ---------------------------------------------------------------- uncompressed sizes: 30 MB, 200 MB


def _padded_sheet(base: Path, dst: Path, size: int) -> Path:
    part = project_part(base)

    def edit(name, data):
        if name != part:
            return data
        head, sep, rest = data.partition(b"?>")
        filler = size - len(data) - len(b"<!---->")
        return head + sep + b"<!--" + b"x" * filler + b"-->" + rest

    edit_zip(base, dst, edit)
    with zipfile.ZipFile(dst) as zf:
        assert zf.getinfo(part).file_size == size
    return dst


def test_sheet_part_30_mb(base, tmp_path):
    _read_ok(_padded_sheet(base, tmp_path / "at.xlsx", 30 * MB))
    assert _status(_padded_sheet(base, tmp_path / "over.xlsx", 30 * MB + 1)) == (
        "unreadable", "工作表数据超过 30 MB，不像是申报表，未读取", 0)


def test_all_parts_together_200_mb(base, tmp_path):
    with zipfile.ZipFile(base) as zf:
        used = sum(i.file_size for i in zf.infolist())
    at = _with_member(base, tmp_path / "at.xlsx", "customXml/pad.bin", b"\0" * (200 * MB - used),
                      zipfile.ZIP_DEFLATED)
    _read_ok(at)
    over = _with_member(base, tmp_path / "over.xlsx", "customXml/pad.bin", b"\0" * (200 * MB - used + 1),
                        zipfile.ZIP_DEFLATED)
    assert _status(over) == ("unreadable", "文件解压后超过 200 MB，不像是申报表（可能是压缩炸弹），未读取", 0)


# ---------------------------------------------------------------- a project sheet: 5,000 rows, 200 columns


_TOO_BIG = re.compile(r"^项目表“项目1”的数据区域过大（到第 (\d+) 行、第 (\d+) 列；申报表上限 5000 行、200 列），未读取："
                      r"请删除表格下方或右侧多余的内容后重新保存$")


def test_project_sheet_5000_rows(base, tmp_path):
    _read_ok(add_value_at_row(base, tmp_path / "at.xlsx", 5000))
    status, reason, forms = _status(add_value_at_row(base, tmp_path / "over.xlsx", 5001))
    assert (status, forms) == ("unreadable", 0)
    m = _TOO_BIG.match(reason)
    assert m and m.group(1) == "5001"


def _value_in_column(base: Path, dst: Path, column: str) -> Path:
    part = project_part(base)

    def edit(name, data):
        if name == part:
            return data.replace(b"</sheetData>", b'<row r="4000"><c r="%s4000"><v>1</v></c></row></sheetData>'
                                % column.encode())
        return data

    return edit_zip(base, dst, edit)


def test_project_sheet_200_columns(base, tmp_path):
    _read_ok(_value_in_column(base, tmp_path / "at.xlsx", "GR"))  # column 200
    status, reason, _ = _status(_value_in_column(base, tmp_path / "over.xlsx", "GS"))
    m = _TOO_BIG.match(reason or "")
    assert status == "unreadable" and m and m.groups() == ("4000", "201")


# ---------------------------------------------------------------- merged ranges: 5,000 a sheet


def _merges(base: Path, dst: Path, count: int) -> Path:
    part = project_part(base)
    refs = []
    for i in range(count):
        row, pair = 1000 + i // 50, i % 50
        left = _letters(2 * pair + 1)
        right = _letters(2 * pair + 2)
        refs.append(b'<mergeCell ref="%s%d:%s%d"/>' % (left.encode(), row, right.encode(), row))

    def edit(name, data):
        if name != part:
            return data
        old = re.search(rb"<mergeCells[^>]*>(.*?)</mergeCells>", data, flags=re.S)
        kept = re.findall(rb"<mergeCell [^>]*/>", old.group(1)) if old else []
        cells = kept + refs[: count - len(kept)]
        block = b'<mergeCells count="%d">%s</mergeCells>' % (len(cells), b"".join(cells))
        data = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", data, flags=re.S)
        return data.replace(b"</sheetData>", b"</sheetData>" + block, 1)

    return edit_zip(base, dst, edit)


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def test_merged_ranges_5000(base, tmp_path):
    _read_ok(_merges(base, tmp_path / "at.xlsx", 5000))
    assert _status(_merges(base, tmp_path / "over.xlsx", 5001)) == (
        "unreadable", "工作表“项目1”的合并单元格过多（5001 个，上限 5000）", 0)


# ---------------------------------------------------------------- cells holding a value: 200,000 a sheet


def _data_book(path: Path, cells: int) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("数据")
    for i in range(cells):
        ws.write_number(i // 500, i % 500, 1)
    wb.close()
    return path


def test_cells_per_sheet_200000(tmp_path):
    at = _status(_data_book(tmp_path / "at.xlsx", 200_000))
    assert at[0] == "no_projects" and at[2] == 0
    assert _status(_data_book(tmp_path / "over.xlsx", 200_001)) == (
        "unreadable", "工作表“数据”的单元格过多（超过 200000 个），不是申报表", 0)


# ---------------------------------------------------------------- cells spanned by a sheet's values: 20,000,000


def _one_value(ref: str) -> bytes:
    return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="%s"><c r="%s"><v>1</v></c></row></sheetData></worksheet>'
            % (re.sub("[A-Z]", "", ref).encode(), ref.encode()))


def test_sheet_area_20_million():
    assert _letters(1000) == "ALL"
    assert extent_refusal("表", _one_value("ALL20000")) is None  # 20,000 × 1,000
    assert extent_refusal("表", _one_value("ALL20001")) == (
        "工作表“表”的使用范围异常大（有数据的单元格到第 20001 行、第 1000 列），无法安全读取："
        "请删除表格末尾多余的行和列后重新保存")
    assert extent_refusal("表", _one_value("ALM20000")) is not None  # 20,000 × 1,001


def test_sheet_area_refused_before_a_reader_runs(base, tmp_path):
    part = project_part(base)

    def edit(name, data):
        if name == part:
            return data.replace(b"</sheetData>", b'<row r="20001"><c r="ALL20001"><v>1</v></c></row></sheetData>')
        return data

    assert _status(edit_zip(base, tmp_path / "over.xlsx", edit)) == (
        "unreadable", "工作表“项目1”的使用范围异常大（有数据的单元格到第 20001 行、第 1000 列），无法安全读取："
                      "请删除表格末尾多余的行和列后重新保存", 0)


# ---------------------------------------------------------------- a merged range's area: 10,000 cells


@pytest.mark.parametrize("rows, cols, mapped", [(100, 100, True), (1, 10_000, True), (1, 10_001, False),
                                                (101, 100, False)])
def test_merge_area_10000(rows, cols, mapped):
    from budget_xls.grid import Grid

    grid = Grid("表", {(0, 0): "标题", (rows - 1, cols - 1): "x"}, [(0, 0, rows - 1, cols - 1)],
                max_row=rows - 1, max_col=cols - 1)
    # inside a range small enough to map, every cell shows the top-left value; a larger one is left alone
    assert grid.value(rows - 1, cols - 2 if cols > 1 else 0) == ("标题" if mapped else None)
    assert grid.merge_extent(0, 0) == ((0, 0, rows - 1, cols - 1) if mapped else (0, 0, 0, 0))


# ---------------------------------------------------------------- the README's table is the code's


def test_readme_limits_table_states_the_code_limits():
    from budget_xls import engine, limits
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Limits", 1)[1].split("\n\n")[2]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table.splitlines()[2:]}
    assert rows["largest workbook file"] == f"{limits.MAX_FILE_BYTES // MB} MB" == "50 MB"
    assert rows["cells spanned by a sheet's values (rows × columns, any sheet)"] == f"{limits.MAX_SHEET_AREA:,}"
    assert rows["rows / columns of a project sheet"] == f"{limits.MAX_ROWS:,} / {limits.MAX_COLS}"
    assert rows["cells holding a value, per sheet"] == f"{limits.MAX_CELLS_PER_SHEET:,}"
    assert rows["merged ranges per sheet"] == f"{limits.MAX_MERGED_RANGES:,}"
    assert rows["read time per file"] == f"{limits.READ_TIMEOUT_S} s" == "60 s"
    assert rows["memory per reading worker (address space)"] == "1 GB"
    assert limits.WORKER_MEMORY_BYTES == 1024 ** 3
    merged = "cells covered by a sheet's merged ranges together (clipped to the cells holding values)"
    assert rows[merged] == f"{limits.MAX_MERGED_CELLS:,}" == "200,000"
    main = next(k for k in rows if k.startswith("memory of the main process"))
    assert rows[main] == f"{limits.MAIN_MEMORY_BYTES // 1024 ** 3} GB" == "4 GB"
    assert limits.MAIN_MEMORY_BYTES == 4 * 1024 ** 3
    assert f"at {limits.ROW_BYTES // 1024} KB a row held in memory" in main and limits.ROW_BYTES == 6 * 1024
    assert f"{limits.SPOOLED_ROW_BYTES // 1024} KB once the run is streamed" in main
    rows_streamed = limits.MAIN_MEMORY_BYTES / limits.SPOOLED_ROW_BYTES  # 4,194,304
    assert f"about {round(rows_streamed, -6) / 1e6:.0f} million rows" in main
    # the worker pool applies them unless told otherwise
    defaults = engine.run_tasks.__defaults__
    assert 60 in defaults and 1024 ** 3 in defaults


def test_workbook_xml_parts_over_5_mb_are_not_parsed(base, tmp_path):
    """workbook.xml / its rels over 5 MB: defined names and the stamp are not read (labels still are)."""
    from budget_xls.package import scan_package

    def pad(size):
        def edit(name, data):
            if name == "xl/workbook.xml":
                head, sep, rest = data.partition(b"?>")
                return head + sep + b"<!--" + b"x" * (size - len(data) - 7) + b"-->" + rest
            return data
        return edit

    at = scan_package(edit_zip(base, tmp_path / "at.xlsx", pad(5 * MB)).read_bytes())
    over = scan_package(edit_zip(base, tmp_path / "over.xlsx", pad(5 * MB + 1)).read_bytes())
    assert at.names and not over.names
