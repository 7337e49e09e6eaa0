"""Every variant a department returns reads to the same records as the clean template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_xls.pipeline import RunOptions, consolidate
from tests import seed_data
from tests.fixtures import (
    DANGJIAN_BUDGET,
    cells,
    drop_names,
    edit,
    insert_rows,
    official_book,
    only_form,
    records,
    template_book,
)

SHEET = "党建工作"


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return template_book(tmp_path_factory.mktemp("clean") / "clean.xlsx", budget=DANGJIAN_BUDGET)


@pytest.fixture(scope="module")
def expected(clean) -> dict:
    return records(only_form(clean))


def test_clean_template_reads_the_seed(clean, expected):
    """The baseline the variants are compared with is itself the seed's project."""
    f = seed_data.DANGJIAN["fields"]
    fields = expected["fields"]
    assert fields["name"] == "党建工作" and fields["supervisor"] is None
    assert fields["total"] == Decimal(3792000) and fields["carryover"] == Decimal(0)
    assert fields["start"] == dt.date(2022, 1, 1) and fields["end"] == dt.date(2022, 12, 31)
    assert fields["goal_year"] == f["goal_year"]
    assert len(expected["indicators"]) == len(seed_data.DANGJIAN["indicators"])
    assert expected["indicators"][4] == ("产出指标", "数量指标", "制作发放《发展党员工作手册》", "=4000")
    assert expected["narrative"]["implementer"] == seed_data.DANGJIAN["narrative"]["implementer"]
    assert [b[4] for b in expected["budget"]] == [Decimal(1000000), Decimal(2325000), Decimal(467000)]
    assert expected["budget_total"] == Decimal(3792000)
    assert expected["errors"] == {} and expected["year"] == 2022
    form = only_form(clean)
    assert form.layout == "template"
    assert cells(form)["supervisor"] == "B4" and cells(form)["total"] == "C6"


# ---------------------------------------------------------------- rows inserted


@pytest.mark.parametrize("shift_names", [True, False], ids=["names-moved", "names-stale"])
def test_rows_inserted_inside_money_block(clean, expected, tmp_path, shift_names):
    """Rows inserted between 项目资金总额 and 其中：财政资金, and before the money block."""
    def change(wb):
        insert_rows(wb, SHEET, 7, 2, shift_names)  # inside the block (after row 6)
        insert_rows(wb, SHEET, 4, 1, shift_names)  # above 主管部门

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert records(form) == expected
    # Every field still points at its own cell, wherever it moved to.
    assert cells(form)["supervisor"] == "B5"
    assert cells(form)["total"] == "C7"
    assert cells(form)["fiscal"] == "C10"
    assert cells(form)["annual_other"] == "E12"


@pytest.mark.parametrize("shift_names", [True, False], ids=["names-moved", "names-stale"])
def test_rows_inserted_inside_indicator_table(clean, expected, tmp_path, shift_names):
    """Blank rows inside the 产出/数量 group (merged 一级 grows over them) and after it."""
    def change(wb):
        ws = wb[SHEET]
        ws.merge_cells("B13:B20")  # 产出指标 over its eight rows, as Excel users merge it
        insert_rows(wb, SHEET, 15, 2, shift_names)
        insert_rows(wb, SHEET, 24, 1, shift_names)

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert records(form) == expected
    rows = [i.cells["value"] for i in form.indicators]
    assert rows[:4] == ["E13", "E14", "E17", "E18"]


def test_labels_only_with_rows_inserted(clean, expected, tmp_path):
    """No defined names and no stamp: the label path alone reads the same records."""
    def change(wb):
        drop_names(wb)
        insert_rows(wb, SHEET, 8, 1, shift_names=False)
        insert_rows(wb, SHEET, 20, 3, shift_names=False)

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert form.layout == "official" and form.template_version is None
    assert records(form) == expected
    assert cells(form)["carryover"] == "E9"


# ---------------------------------------------------------------- labels retyped, cells merged


RETYPED = {
    "A3": "项 目 名 称",
    "D3": "项目类别：",
    "A4": "主管部门\u3000",
    "D4": "＊实施单位",
    "A5": "一、计划开始日期",
    "D5": "计划完成日期:",
    "B6": "项目资金总额（元）",
    "B7": "其中: 财政资金",
    "D7": "其中 ：当年财政拨款",
    "D8": "（1）上年结转资金",
    "B9": "其他 资金",
    "D9": "其他资金\u3000",
    "B10": "项目总目标（２０２２年－２０２２年）",
    "D10": "年 度 总 目 标",
    "B12": "一级 指标",
    "C12": "二级指标 ",
    "D12": "三级\u3000指标",
    "E12": "年度指标值：",
}


@pytest.mark.parametrize("keep_names", [False, True], ids=["labels-only", "with-names"])
def test_labels_retyped(clean, expected, tmp_path, keep_names):
    def change(wb):
        ws = wb[SHEET]
        for ref, text in RETYPED.items():
            ws[ref] = text
        for row in range(55, 62):  # the narrative headings, numbered every which way
            label = ws[f"A{row}"].value
            ws[f"A{row}"] = {55: "（一）", 56: "2.", 57: "3、", 58: "(四)"}.get(row, "") + label[2:] + " "
        if not keep_names:
            drop_names(wb)

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert records(form) == expected


def test_cells_merged(clean, expected, tmp_path):
    """一级/二级 merged vertically over their groups, labels merged over two columns."""
    def change(wb):
        ws = wb[SHEET]
        for ref in ("B13:B20", "C13:C17", "C18:C19", "B21:B23"):
            ws.merge_cells(ref)
        ws.merge_cells("A2:E2")
        drop_names(wb)

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert records(form) == expected


# ---------------------------------------------------------------- values as text, dates


def test_amounts_pasted_as_text(clean, expected, tmp_path):
    def change(wb):
        ws = wb[SHEET]
        ws["C6"] = "3,792,000.00"
        ws["C7"] = " 3792000.00 "
        ws["E6"] = "３７９２０００"
        ws["E7"] = "3,792,000"
        ws["E8"] = "0.00"
        ws["C9"] = "０"

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    got = records(form)
    assert got == expected
    assert form.get("total").raw == "3,792,000.00"


@pytest.mark.parametrize("start", [
    dt.date(2022, 1, 1), dt.datetime(2022, 1, 1), 44562, "44562", "2022-01-01", "2022/1/1", "2022年1月1日",
    "2022.1.1", "２０２２年１月１日", " 2022-1-1 ",
], ids=repr)
def test_dates_in_every_shape(clean, expected, tmp_path, start):
    def change(wb):
        wb[SHEET]["B5"] = start
        wb[SHEET]["E5"] = "2022年12月31日"

    form = only_form(edit(clean, tmp_path / "v.xlsx", change))
    assert records(form) == expected
    assert form.get("start").value == dt.date(2022, 1, 1)


def test_nonexistent_date_is_an_error_not_a_guess(clean, tmp_path):
    form = only_form(edit(clean, tmp_path / "v.xlsx", lambda wb: wb[SHEET].__setitem__("E5", "2022年9月31日")))
    assert form.get("end").value is None and form.get("end").error.startswith("nonexistent")


# ---------------------------------------------------------------- formulas


def test_formula_without_cached_value_is_missing_and_r03(clean, tmp_path):
    """openpyxl stores formulas without a value: the amount is missing, never 0, and R03 says where."""
    def change(wb):
        ws = wb[SHEET]
        ws["C6"] = "=C7+C9"
        ws["E15"] = "=1+1"

    path = edit(clean, tmp_path / "inbox" / "f.xlsx", change)
    form = only_form(path)
    total = form.get("total")
    assert total.value is None and total.error == "uncached" and total.cell == "C6"
    assert form.indicators[2].raw is None
    result = consolidate(path.parent, RunOptions())
    r03 = {f.cell for f in result.findings if f.code == "R03"}
    assert {"C6", "E15"} <= r03
    project = result.projects[0]
    assert project.amount("total") is None


def test_formula_with_cached_value_is_read(clean, tmp_path):
    """XlsxWriter wrote the 合计 formula with its value: the cached value is used, no R03."""
    form = only_form(clean)
    assert form.budget_total.value == Decimal(3792000) and form.budget_total.error is None
    assert form.uncached == []


# ---------------------------------------------------------------- official layout


@pytest.mark.parametrize("project", seed_data.ALL_PROJECTS, ids=lambda p: p["sheet"])
def test_official_layout_reads_like_the_template(tmp_path, project):
    """Narrative above the form with text below each heading, merged 一级/二级, spaced labels."""
    template = only_form(template_book(tmp_path / "t.xlsx", project))
    official = only_form(official_book(tmp_path / "o.xlsx", project))
    assert official.layout == "official"
    assert records(official, budget=False) == records(template, budget=False)


def test_official_layout_points_at_its_own_cells(tmp_path):
    form = only_form(official_book(tmp_path / "o.xlsx", seed_data.DANGJIAN))
    wb = openpyxl.load_workbook(tmp_path / "o.xlsx")
    ws = wb.active
    label_row = next(c.row for c in ws["A"] if c.value == "主管部门")
    assert cells(form)["supervisor"] == f"B{label_row}"
    assert ws[f"A{label_row}"].value == "主管部门" and ws[f"B{label_row}"].value is None
    # The narrative's cell is the text under its heading.
    heading = next(c.row for c in ws["A"] if c.value == "三、实施主体")
    assert form.narrative["implementer"].cell == f"A{heading + 1}"


def test_official_narrative_paragraphs_in_separate_rows(tmp_path):
    """An export that puts each paragraph of 实施方案 in its own row keeps them all."""
    def change(wb):
        ws = wb.active
        heading = next(c.row for c in ws["A"] if c.value == "四、实施方案")
        insert_rows(wb, ws.title, heading + 2, 2)
        ws.cell(heading + 2, 1, "第二段")
        ws.cell(heading + 3, 1, "第三段")

    src = official_book(tmp_path / "o.xlsx", seed_data.RENCAI)
    form = only_form(edit(src, tmp_path / "v.xlsx", change))
    text = form.narrative["plan"].value
    assert text.startswith(seed_data.RENCAI["narrative"]["plan"][:10]) and text.endswith("第二段\n第三段")
    assert form.narrative["period"].value == "（具体见表格）".replace("（", "(").replace("）", ")") or \
        form.narrative["period"].value == seed_data.RENCAI["narrative"]["period"]


def test_narrative_heading_and_text_in_one_cell(tmp_path):
    def change(wb):
        ws = wb.active
        heading = next(c.row for c in ws["A"] if c.value == "一、项目概述")
        text = ws.cell(heading + 1, 1).value
        ws.cell(heading, 1, "一、项目概述：" + text)
        ws.cell(heading + 1, 1, None)

    src = official_book(tmp_path / "o.xlsx", seed_data.DANGJIAN)
    form = only_form(edit(src, tmp_path / "v.xlsx", change))
    assert form.narrative["overview"].value == seed_data.DANGJIAN["narrative"]["overview"]


def test_budget_table_found_by_its_header_wherever_it_stands(tmp_path):
    """The 年度预算安排 table under section 六 of an official export."""
    def change(wb):
        ws = wb.active
        heading = next(c.row for c in ws["A"] if c.value == "六、年度预算安排")
        insert_rows(wb, ws.title, heading + 2, 6)
        for i, row in enumerate([("支出内容", "测算依据", "单价（元）", "数量", "金额（元）"), *DANGJIAN_BUDGET,
                                 ("合计", None, None, None, 3792000)]):
            for j, v in enumerate(row, start=1):
                ws.cell(heading + 2 + i, j, v)

    src = official_book(tmp_path / "o.xlsx", seed_data.DANGJIAN)
    form = only_form(edit(src, tmp_path / "v.xlsx", change))
    assert [(b.item, b.amount.value) for b in form.budget_lines] == [(i, Decimal(a)) for i, *_, a in DANGJIAN_BUDGET]
    assert form.budget_total.value == Decimal(3792000)
    assert len(form.indicators) == len(seed_data.DANGJIAN["indicators"])
    assert form.narrative["budget"].value == "(具体见表格)"


def test_labels_typed_together_with_their_values(tmp_path):
    """"项目名称：党建工作" in one cell reads like a label with its value beside it."""
    src = official_book(tmp_path / "o.xlsx", seed_data.DANGJIAN)
    clean_form = only_form(src)

    def merge_into_label(wb):
        ws = wb[SHEET]
        for row in ws.iter_rows():
            for cell in row:
                label = cell.value
                if label not in ("项目名称", "实施单位", "计划开始日期", "项目资金总额", "其中：当年财政拨款"):
                    continue
                value_cell = ws.cell(cell.row, cell.column + 1)
                cell.value = f"{label}：{value_cell.value}"
                value_cell.value = None

    form = only_form(edit(src, tmp_path / "inline.xlsx", merge_into_label))
    assert records(form) == records(clean_form)
    assert form.get("name").cell == _left_of(clean_form.get("name").cell)  # the label's own cell
    assert form.get("appropriation").cell == _left_of(clean_form.get("appropriation").cell)
    assert form.get("implementer").value == seed_data.ORG


def _left_of(a1_ref: str) -> str:
    col, row = a1_ref[0], a1_ref[1:]
    return chr(ord(col) - 1) + row
