"""The consolidated workbook in a real client: LibreOffice recalculates it and prints it.

Skipped when soffice is absent. LibreOffice normally keeps cached formula values; the
profile written here makes it recalculate on load (OOXMLRecalcMode 0), and a control
workbook with a wrong cached value proves that it did.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from budget_xls.outputs import workbook as writer
from budget_xls.pipeline import RunOptions, consolidate
from tests.conftest import needs_soffice, soffice
from tests.test_writer import UNIT_GROUPS, build_inbox

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""

pytestmark = needs_soffice


def convert(files: list[Path], to: str, outdir: Path, profile: Path) -> list[Path]:
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=240)
    ext = to.split(":")[0]
    out = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("lo")
    inbox = build_inbox(base / "inbox")
    (inbox / "说明.txt").write_text("x", encoding="utf-8")
    (inbox / "坏文件.xlsx").write_bytes(b"not a zip")
    out = base / "out" / "汇总.xlsx"
    writer.write_workbook(consolidate(inbox, RunOptions()), out)
    return out


def control_workbook(path: Path) -> Path:
    """=1+1 cached as 5: after a real recalculation it reads 2."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("x").write_formula(0, 0, "=1+1", None, 5)
    wb.close()
    return path


def test_every_formula_recalculates_to_the_cached_value(output, tmp_path):
    checked = recalculated_formulas(output, tmp_path, blank_results=False)
    # 5 unit and 2 category rows, each table's 合计 (13 formulas a row), file and finding checks
    # + 审核建议概况: per unit and 合计, 项目数 + four grades + four dimensions
    assert checked == (len(UNIT_GROUPS) + 1 + 2 + 1) * 13 + 7 + 3 + (len(UNIT_GROUPS) + 1) * 9


def recalculated_formulas(output: Path, tmp_path: Path, blank_results: bool = True) -> int:
    """Every formula of ``output`` recalculated by LibreOffice equals the value we cached; the count.
    ``blank_results``: a formula may cache an empty text (else every formula caches a value)."""
    control = control_workbook(tmp_path / "control.xlsx")
    recalced, control_out = convert([output, control], "xlsx:Calc MS Excel 2007 XML", tmp_path / "x", tmp_path / "p")
    assert openpyxl.load_workbook(control_out, data_only=True)["x"]["A1"].value == 2, "LibreOffice did not recalculate"
    ours_f, ours_v = openpyxl.load_workbook(output), openpyxl.load_workbook(output, data_only=True)
    theirs = openpyxl.load_workbook(recalced, data_only=True)
    checked = 0
    for ws in ours_f.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                cached, got = ours_v[ws.title][c.coordinate].value, theirs[ws.title][c.coordinate].value
                where = f"{ws.title}!{c.coordinate} {c.value}"
                if cached is None:  # an empty text result ("" where there is nothing to compare)
                    assert blank_results, where
                    assert got in (None, ""), (where, got)
                elif isinstance(cached, str):
                    assert got == cached, where
                else:
                    assert isinstance(got, (int, float)), (where, got)
                    assert abs(got - cached) <= 1e-6 * max(1.0, abs(cached)), (where, got, cached)
                checked += 1
    return checked


def test_the_comparison_with_last_year_recalculates_to_our_values(tmp_path):
    """上年对比 and 汇总's 与上年对比 block: live formulas whose cached values LibreOffice agrees with."""
    from budget_xls.api import load_previous
    from budget_xls.outputs import write_outputs
    from tests.previous_years import build_year

    last = consolidate(build_year(tmp_path / "2022", 2022), RunOptions(jobs=1))
    write_outputs(last, tmp_path / "o22" / "汇总.xlsx", tmp_path / "o22" / "汇总.json")
    this = consolidate(build_year(tmp_path / "2023", 2023),
                       RunOptions(jobs=1, previous=load_previous([tmp_path / "o22" / "汇总.xlsx"], jobs=1)))
    out = tmp_path / "o23" / "汇总.xlsx"
    write_outputs(this, out, out.with_suffix(".json"))
    assert "上年对比" in openpyxl.load_workbook(out).sheetnames
    comparison = sum(1 for row in openpyxl.load_workbook(out)["上年对比"].iter_rows() for c in row
                     if c.data_type == "f")
    assert comparison > 0
    assert recalculated_formulas(out, tmp_path) > comparison


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                    reason="poppler-utils (pdftotext, pdfinfo) is not installed")
def test_pdf_pages_are_a4_landscape_and_show_every_column(output, tmp_path):
    (pdf,) = convert([output], "pdf", tmp_path / "pdf", tmp_path / "p")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert sizes
    pages = page_texts(pdf)
    assert len(sizes) == len(pages)
    for (w, h), page in zip(sizes, pages):
        if "目标审核" in page.splitlines()[-1]:  # the drafted review prints as a document: A4 portrait
            assert abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2, (w, h)
        else:
            assert abs(float(w) - 841.9) < 2 and abs(float(h) - 595.3) < 2, (w, h)  # A4 landscape
    book = openpyxl.load_workbook(output)
    heads = {ws.title: [c.value for c in ws[1] if c.value] for ws in book.worksheets
             if ws.title not in ("汇总", "目标审核")}
    # A review block may run over a page: each page shows a dimension table's lines.
    heads["目标审核"] = ["需人工判断"]
    heads["汇总"] = ["按实施单位汇总", "按项目类别汇总", "金额（元）", "金额（万元）", "项目资金总额", "年度资金申请总额",
                   "当年财政拨款", "上年结转资金", "其他资金", "错误数", "警告数", "文件核对", "找到文件", "读取项目"]
    seen: dict[str, str] = {}
    for n, page in enumerate(page_texts(pdf), start=1):
        footer = next(line for line in page.splitlines() if f"第 {n} 页" in line)
        sheet = footer.split()[0]
        assert sheet in heads, footer
        flat = "".join(page.split())
        seen[sheet] = seen.get(sheet, "") + flat
        # a register too wide for one page repeats its key column(s) on every page
        assert "".join(heads[sheet][0].split()) in flat, (n, sheet)
    assert set(seen) == set(heads)
    for sheet, text in seen.items():  # every column prints on some page of its sheet
        missing = [h for head in heads[sheet] for h in head.split("\n") if "".join(h.split()) not in text]
        assert not missing, (sheet, missing)


def test_registers_print_at_a_readable_size(output):
    """No sheet is shrunk below 70 %: a register too wide for the page prints over several pages
    wide (its key columns repeated) at ≥ 70 %, the others are fitted to the width only when that
    keeps them at ≥ 70 % (estimated from the column widths, as the office suite will)."""
    from budget_xls.outputs.registers import MIN_PRINT_SCALE, fit_scale

    book = openpyxl.load_workbook(output)
    for ws in book.worksheets:
        scale = ws.page_setup.scale
        if scale is not None:
            assert scale >= MIN_PRINT_SCALE * 100, (ws.title, scale)
            assert ws.print_title_cols, ws.title
        elif ws.title != "汇总":
            widths = [ws.column_dimensions[c].width for c in sorted(ws.column_dimensions, key=len)]
            assert fit_scale(widths) >= MIN_PRINT_SCALE, ws.title
