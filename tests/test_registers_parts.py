"""Nothing lost past Excel's last row: a register continues on 名称(2), 名称(3) …, and 汇总's formulas,
the links and the file reconciliation cover every part.

The full-size test builds a run's records directly (no million files to read): ~100 projects of
10,500 indicators each, past 1,048,576 rows, written and read back row for row. The small-size
tests lower the sheet limit so that every register splits, and check the formulas in LibreOffice.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_xls.model import Field, FileRecord, Finding, Indicator, ProjectForm, RunResult
from budget_xls.indicators import parse_value
from budget_xls.outputs import registers
from budget_xls.outputs import workbook as writer
from budget_xls.pipeline import RunOptions, consolidate
from tests.test_writer import build_inbox, expected_by_unit


def _form(i: int, indicators: list[Indicator]) -> ProjectForm:
    amount = Decimal(1000 + i) / 100  # cents, so the sums are exact decimals
    form = ProjectForm(file=f"单位{i % 7}.xlsx", sheet=f"项目{i}")
    form.fields = {
        "name": Field(f"项目{i}", f"项目{i}", "B3"), "category": Field("经常性项目", "经常性项目", "E3"),
        "implementer": Field(f"单位{i % 7}", f"单位{i % 7}", "E4"),
        "start": Field("2022-01-01", dt.date(2022, 1, 1), "B5"), "end": Field("2022-12-31", dt.date(2022, 12, 31), "E5"),
        **{k: Field(str(amount), amount, "C6") for k in ("total", "fiscal", "annual", "appropriation")},
        **{k: Field("0", Decimal(0), "C9") for k in ("other", "carryover", "annual_other")},
    }
    form.indicators = indicators
    return form


def _run(projects: int, per_project: int) -> RunResult:
    value = parse_value("≥95%")
    shared = [Indicator("产出指标", "数量指标", f"指标{j}", "≥95%", value, 12 + j,
                        {"level1": "B13", "name": "D13", "value": "E13"}) for j in range(per_project)]
    forms = [_form(i, shared) for i in range(projects)]
    files = [FileRecord(file=f"单位{u}.xlsx", status="ok", projects=sum(1 for f in forms if f.file == f"单位{u}.xlsx"))
             for u in range(7)]
    findings = [Finding("I05", "info", f.file, f.sheet, "E13", f.name, "提示") for f in forms]
    return RunResult(folder=Path("."), year=2022, files=files, projects=forms, findings=findings)


@pytest.mark.slow
def test_more_rows_than_excel_holds_continue_on_a_second_sheet(tmp_path):
    from python_calamine import CalamineWorkbook

    run = _run(projects=100, per_project=10_500)  # 1,050,000 indicator rows
    out = writer.write_workbook(run, tmp_path / "大.xlsx")
    book = CalamineWorkbook.from_path(str(out))
    names = book.sheet_names
    assert names[0] == "汇总" and names[names.index("绩效指标") + 1] == "绩效指标(2)"
    first = book.get_sheet_by_name("绩效指标").to_python()
    second = book.get_sheet_by_name("绩效指标(2)").to_python()
    assert len(first) == registers.EXCEL_ROWS and first[0][0] == "序号" and second[0][0] == "序号"
    numbers = [r[0] for r in first[1:]] + [r[0] for r in second[1:]]
    assert len(numbers) == 1_050_000 and numbers[0] == 1 and numbers[-1] == 1_050_000
    assert all(b - a == 1 for a, b in zip(numbers, numbers[1:]))  # every row, in order, none twice


@pytest.fixture
def small_sheets(monkeypatch):
    monkeypatch.setattr(registers, "EXCEL_ROWS", 4)  # three data rows a sheet: every register splits


def test_every_register_continues_and_the_totals_cover_every_part(small_sheets, tmp_path):
    inbox = build_inbox(tmp_path / "inbox")
    out = tmp_path / "out" / "汇总.xlsx"
    writer.write_workbook(consolidate(inbox, RunOptions()), out)
    wb = openpyxl.load_workbook(out)
    names = wb.sheetnames
    for register in ("项目清单", "绩效指标", "错误报告"):
        parts = [n for n in names if n == register or n.startswith(register + "(")]
        assert len(parts) >= 2, register
        rows = [r for n in parts for r in wb[n].iter_rows(min_row=2, values_only=True)]
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # numbered on, none lost
    summary = wb["汇总"]
    formulas = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)
                and c.value.startswith("=")]
    assert any("'项目清单(2)'!" in f for f in formulas) and any("'错误报告(2)'!" in f for f in formulas)
    # cached values are the exact sums of the whole run
    cached = openpyxl.load_workbook(out, data_only=True)["汇总"]
    by_label: dict = {}
    for r in cached.iter_rows(values_only=True):  # the first table of 汇总 is the one by 实施单位
        if r[1] and r[1] not in by_label:
            by_label[r[1]] = r
    for label, sums in expected_by_unit().items():
        assert by_label[label][2] == sums["count"], label
        assert Decimal(str(by_label[label][3])) == sums["total"], label


def test_links_into_a_continued_register_land_on_its_row(small_sheets, tmp_path):
    inbox = build_inbox(tmp_path / "inbox")
    out = tmp_path / "汇总.xlsx"
    result = consolidate(inbox, RunOptions())
    writer.write_workbook(result, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["项目清单"]
    heads = [c.value for c in ws[1]]
    col = heads.index("错误报告") + 1
    for part in [n for n in wb.sheetnames if n.startswith("项目清单")]:
        for row in wb[part].iter_rows(min_row=2):
            cell = row[col - 1]
            if cell.hyperlink is None:
                continue
            target = cell.hyperlink.location
            sheet, ref = target.rsplit("!", 1)
            sheet = sheet.strip("'")
            assert sheet.startswith("错误报告")
            # the linked row of 错误报告 is a finding of this very project
            linked = wb[sheet][ref.replace("A", "H")].value
            assert linked == row[heads.index("项目名称")].value
