"""Workbooks built in code for the reader/parser tests: the seed's projects filled into our
template, then edited the way departments edit them (rows inserted, labels retyped, cells
merged, values pasted as text, names lost, dimension declared A1:A1 …).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl

from budget_xls.model import ProjectForm
from budget_xls.ingest import read_file as process_file
from budget_xls.model import FileResult
from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook
from tests import seed_data
from tests.official_layout import write_official

# 年度预算安排 lines that add up to 党建工作's 3,792,000 元.
DANGJIAN_BUDGET = [
    ("党建工作经费", "按上年实际测算", 100000, 10, 1000000),
    ("党建服务中心专项经费", "按合同测算", 2325000, 1, 2325000),
    ("基层党建培训经费", "按培训计划测算", 467000, 1, 467000),
]


def template_book(path: Path, project: dict = seed_data.DANGJIAN, budget=None, unit: str = "组织科") -> Path:
    """One seed project filled into our template (defined names and version stamp)."""
    spec = seed_data.project_spec(project)
    if budget is not None:
        spec.budget = list(budget)
    cover = {"填报单位": unit, "联系人": "陈静", "联系电话": "021-57820001", "填报日期": seed_data.COVER_DATE}
    return write_workbook(path, WorkbookSpec(year=2022, cover=cover, projects=[spec]))


def official_book(path: Path, project: dict = seed_data.DANGJIAN) -> Path:
    return write_official(path, project)


def read_forms(path: Path) -> FileResult:
    return process_file(Path(path), Path(path).name)


def only_form(path: Path) -> ProjectForm:
    result = read_forms(path)
    assert result.record.status == "ok", result.record.reason
    assert len(result.forms) == 1, [f.sheet for f in result.forms]
    return result.forms[0]


def records(form: ProjectForm, budget: bool = True) -> dict:
    """What a form says, without where it says it: equal for every variant of one project."""
    out = {
        "year": form.year,
        "fields": {k: f.value for k, f in sorted(form.fields.items())},
        "errors": {k: f.error for k, f in sorted(form.fields.items()) if f.error},
        "indicators": [(i.level1, i.level2, i.name, i.raw) for i in form.indicators],
        "narrative": {k: f.value for k, f in sorted(form.narrative.items())},
    }
    if budget:
        out["budget"] = [(b.item, b.basis, b.unit_price.value, b.quantity.value, b.amount.value)
                         for b in form.budget_lines]
        out["budget_total"] = form.budget_total.value
    return out


def cells(form: ProjectForm) -> dict[str, str | None]:
    return {k: f.cell for k, f in form.fields.items()}


# ---------------------------------------------------------------- editing like a department


def edit(src: Path, dst: Path, change: Callable[[openpyxl.Workbook], None], recalc: bool = True) -> Path:
    """Load with openpyxl, change, save as dst.

    openpyxl drops cached formula values on save; with ``recalc`` the formulas are
    replaced by the values the source had cached (what Excel would show after saving),
    so that only the change under test differs.
    """
    wb = openpyxl.load_workbook(src)
    if recalc:
        cached = openpyxl.load_workbook(src, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.value = cached[ws.title][cell.coordinate].value
    change(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


_ABS_REF = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)")


def insert_rows(wb: openpyxl.Workbook, sheet: str, idx: int, amount: int = 1, shift_names: bool = True) -> None:
    """Insert rows before 1-based row ``idx`` as Excel does: merged ranges move or grow,
    and (with ``shift_names``) defined names move. openpyxl's own insert_rows moves cell
    values only; ``shift_names=False`` keeps its stale names, as a script would."""
    ws = wb[sheet]
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    for m in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(m))
    ws.insert_rows(idx, amount)
    for r0, c0, r1, c1 in merges:
        if r0 >= idx:
            r0, r1 = r0 + amount, r1 + amount
        elif r1 >= idx:
            r1 += amount
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    if shift_names:
        def shift(m: re.Match) -> str:
            row = int(m.group(2))
            return f"{m.group(1)}{row + amount if row >= idx else row}"

        for dn in ws.defined_names.values():
            dn.attr_text = _ABS_REF.sub(shift, dn.attr_text)


def drop_names(wb: openpyxl.Workbook, stamp_too: bool = True) -> None:
    """A workbook that lost its defined names (copied into a fresh workbook, say)."""
    for ws in wb.worksheets:
        for name in list(ws.defined_names):
            del ws.defined_names[name]
    if stamp_too:
        for name in list(wb.defined_names):
            del wb.defined_names[name]


def set_stamp(wb: openpyxl.Workbook, version: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    from budget_xls.vocab import VERSION_NAME

    if VERSION_NAME in wb.defined_names:
        del wb.defined_names[VERSION_NAME]
    wb.defined_names[VERSION_NAME] = DefinedName(VERSION_NAME, attr_text=f'"{version}"')


def rewrite_parts(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Copy a zip package, passing every part through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, change(info.filename, zin.read(info)))
    return dst


def wps_dimension(src: Path, dst: Path, ref: str = "A1:A1") -> Path:
    """What WPS often writes: every sheet declares a one-cell dimension."""
    def change(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data)
        return data

    return rewrite_parts(src, dst, change)


def to_xls(sources: list[Path], outdir: Path) -> list[Path]:
    """Convert workbooks with LibreOffice in one run (the caller skips without soffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}/p", "--headless",
                        "--convert-to", "xls", "--outdir", str(outdir), *map(str, sources)],
                       check=True, capture_output=True, timeout=300)
    return [outdir / (p.stem + ".xls") for p in sources]


def plain_spec_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with the given sheets of plain values (no template)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


__all__ = [
    "DANGJIAN_BUDGET", "ProjectSpec", "cells", "drop_names", "edit", "insert_rows", "official_book",
    "only_form", "plain_spec_book", "read_forms", "records", "rewrite_parts", "set_stamp",
    "template_book", "to_xls", "wps_dimension",
]
