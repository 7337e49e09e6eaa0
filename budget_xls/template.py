"""The blank workbook template that sub-units fill, one sheet per project.

The project sheet mirrors the official 财政项目支出绩效目标申报表 (five logical columns
A–E, the same labels and blocks), followed by the seven narrative sections of
项目经费情况说明 and a 年度预算安排 table. Every input cell carries a sheet-scoped
defined name and the workbook carries a version stamp: readers trust those first and
fall back to labels.

``write_workbook`` also fills the template from ``ProjectSpec`` records; that is how
the bundled examples are made, so they are true filled copies of this template.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from budget_xls import __version__
from budget_xls import fields as ft
from budget_xls.fields import CATEGORIES, R_DATES, R_GOAL, R_MONEY, R_NAME, R_SUPERVISOR
from budget_xls.model import col_letter as _col
from budget_xls.outputs.atomic import save
from budget_xls.outputs.packager import Workbook
from budget_xls.outputs.style import FIXED_TIME, FONT
from budget_xls.textwidth import line_count, row_height
from budget_xls.vocab import (
    FORM_TITLE,
    NARRATIVE_SECTIONS,
    NARRATIVE_TITLE,
    TEMPLATE_VERSION,
    VERSION_NAME,
    framework_for,
)

INDICATOR_ROWS = 40
BUDGET_ROWS = 12
NUMERALS = "一二三四五六七"

# 0-based rows of the project sheet (the field rows R_NAME … R_GOAL come with the field table,
# which holds each field's cell and defined name: see budget_xls/fields.py)
R_TITLE, R_YEAR = 0, 1
R_GOAL_HEAD = R_GOAL - 1  # R_MONEY: four rows (total, fiscal/appropriation, carry-over, other)
R_IND_HEAD = 11
R_IND = 12
R_NARR_TITLE = R_IND + INDICATOR_ROWS + 1
R_NARR = R_NARR_TITLE + 1
R_BUDGET_TITLE = R_NARR + len(NARRATIVE_SECTIONS) + 1
R_BUDGET_HEAD = R_BUDGET_TITLE + 1
R_BUDGET = R_BUDGET_HEAD + 1
R_BUDGET_TOTAL = R_BUDGET + BUDGET_ROWS



def field_cells() -> dict[str, tuple[int, int]]:
    """Input cell of each field of the table in force: key → (row, col); the defined-name anchors."""
    return {f.key: f.cell for f in ft.table() if f.cell is not None}


# Defined name of each field (Chinese, as a user sees it in the Name Box).
FIELD_NAMES: dict[str, str] = {f.key: f.name for f in ft.TABLE if f.name}
INDICATOR_NAME = "绩效指标表"
BUDGET_NAME = "预算安排表"
COVER_FIELDS = ("填报单位", "联系人", "联系电话", "填报日期")
COVER_SHEET = "封面"
GUIDE_SHEET = "填表说明"
LISTS_SHEET = "下拉列表"
GUIDE_WIDTH = 62
COLUMN_WIDTHS = (16, 26, 22, 44, 26)  # A–E of the project sheet


@dataclass
class ProjectSpec:
    """Values to put into one project sheet (used to build the examples).

    Values are written as given: str stays text (so "5066446.00" typed as text stays
    text), numbers stay numbers, dates become date cells.
    """

    sheet: str
    fields: dict[str, Any] = field(default_factory=dict)
    indicators: list[tuple[Any, Any, Any, Any]] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)
    budget: list[tuple[Any, Any, Any, Any, Any]] = field(default_factory=list)


@dataclass
class WorkbookSpec:
    year: int
    cover: dict[str, Any] = field(default_factory=dict)
    projects: list[ProjectSpec] = field(default_factory=list)
    contact: str = "（请填写部门联系人及电话）"


def write_template(path: str | os.PathLike, year: int = 2022, projects: int = 1) -> Path:
    """Write the blank template with ``projects`` empty project sheets."""
    spec = WorkbookSpec(year=year, projects=[ProjectSpec(sheet=f"项目{i + 1}") for i in range(projects)])
    return write_workbook(path, spec)


class _TemplateWorkbook(Workbook):
    """Every text plain (a filled form's cell "<r>…</r>" is text, not xlsxwriter's rich-text
    marker: ``packager.FastWorksheet``), zipped at xlsxwriter's default level."""

    zip_level = None


def write_workbook(path: str | os.PathLike, spec: WorkbookSpec) -> Path:
    def write(tmp: Path) -> None:
        wb = _TemplateWorkbook(
            str(tmp),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                # The Normal style sets column-width metrics: use the form's font, not Calibri.
                "default_format_properties": {"font_name": FONT, "font_size": 11},
            },
        )
        _build(wb, spec)
        wb.close()

    return save(Path(path), write)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "text_wrap": True}
        border = {**base, "border": 1}
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.subtitle = wb.add_format({**base, "align": "center"})
        self.label = wb.add_format({**border, "bold": True, "align": "center", "bg_color": "#F2F2F2"})
        self.label_left = wb.add_format({**border, "bold": True, "align": "left", "bg_color": "#F2F2F2"})
        self.blank = wb.add_format({**border, "bg_color": "#F2F2F2"})
        self.not_applicable = wb.add_format({**border, "bg_color": "#D9D9D9", "font_color": "#7F7F7F",
                                             "font_size": 9, "align": "center"})
        self.input = wb.add_format({**border, "locked": False})
        self.input_top = wb.add_format({**border, "locked": False, "valign": "top"})
        self.money = wb.add_format({**border, "locked": False, "num_format": "#,##0.00"})
        self.number = wb.add_format({**border, "locked": False, "num_format": "#,##0.##"})
        self.date = wb.add_format({**border, "locked": False, "num_format": "yyyy-mm-dd", "align": "left"})
        self.total = wb.add_format({**border, "bold": True, "num_format": "#,##0.00", "bg_color": "#F2F2F2"})
        self.text = wb.add_format({**base})
        self.text_bold = wb.add_format({**base, "bold": True, "font_size": 12})
        self.stamp = wb.add_format({**base, "font_color": "#808080", "font_size": 9})


def _blank(spec: WorkbookSpec) -> bool:
    """A template with nothing filled in (what ``write_template`` writes): marked so, so that the
    template command may replace it, and never a filled copy."""
    return not spec.cover and all(not (p.fields or p.indicators or p.narrative or p.budget) for p in spec.projects)


def _build(wb: xlsxwriter.Workbook, spec: WorkbookSpec) -> None:
    wb.set_properties(
        {
            "title": f"{spec.year}年度财政项目支出绩效目标申报表（填报模板）",
            "subject": FORM_TITLE,
            "author": "budget-xls",
            "comments": f"budget-xls {__version__}; template {TEMPLATE_VERSION}{'; blank' if _blank(spec) else ''}",
            "created": FIXED_TIME,
        }
    )
    wb.set_custom_property("budget-xls template", TEMPLATE_VERSION)
    wb.define_name(VERSION_NAME, f'="{TEMPLATE_VERSION}"')
    fmt = _Formats(wb)
    _guide_sheet(wb, fmt, spec)
    _cover_sheet(wb, fmt, spec)
    for project in spec.projects:
        _project_sheet(wb, fmt, spec.year, project)
    _lists_sheet(wb, spec.year)


def _guide_sheet(wb, fmt: _Formats, spec: WorkbookSpec) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, GUIDE_WIDTH)
    ws.hide_gridlines(2)
    fw = framework_for(spec.year)
    levels = "；".join(f"{l1}：{'、'.join(l2s)}" for l1, l2s in fw.levels.items())
    lines = [
        (fmt.title, f"{spec.year}年度财政项目支出绩效目标申报表 填表说明"),
        (fmt.text_bold, "一、基本要求"),
        (fmt.text, "1. 每个项目填写一张工作表（“项目1”“项目2”……），本说明页和“封面”页不要删除。"),
        (fmt.text, "2. 增加项目：右键点击“项目1”工作表标签 →“移动或复制”→ 勾选“建立副本”，再把副本改名（如“项目2”）。"
                   "请勿在工作表中自行增删表头、合并或拆分标签单元格。"),
        (fmt.text, "3. 灰底单元格为标签，已锁定；白底单元格为填写区。工作表保护未设密码，确需调整格式可在“审阅”中撤销保护。"),
        (fmt.text, "4. 封面页填写填报单位、联系人、联系电话和填报日期。"),
        (fmt.text_bold, "二、资金（单位：元，最多两位小数，不得为负数，空白不等于 0，没有的金额请填 0）"),
        (fmt.text, "1. 项目资金总额 = 财政资金 + 其他资金（项目全周期）。"),
        (fmt.text, "2. 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金（本预算年度）。"),
        (fmt.text, "3. 年度资金申请总额不得大于项目资金总额；当年完成的项目两者应相等。"),
        (fmt.text, f"4. 计划开始日期、计划完成日期应在 {spec.year} 年度内，格式如 {spec.year}-01-01。"),
        (fmt.text_bold, "三、绩效指标"),
        (fmt.text, f"1. 指标体系（{spec.year}年度）：{levels}。"),
        (fmt.text, "2. 产出指标、效益指标、满意度指标每类至少填写一条三级指标；同一一级、二级指标下有多条三级指标时，"
                   "一级、二级指标可只在第一行填写。"),
        (fmt.text, "3. 年度指标值写成“比较符 + 数值 + 单位”：≥90%、=100%、≥20次、=3500册、≤5万元、≤30天。"
                   "比较符用 ≥ ≤ = > <；比率类指标（…率、满意度）须带 %，且不超过 100%。"),
        (fmt.text, "4. 定性指标写明可评判的等级或结果：如“好”“达到预期”，不要写整句话；不要留“XX”“待填”等占位内容。"),
        (fmt.text, f"5. 成本指标用 ≤ 或 =（如“≤1500元/人”），不要用 ≥。时效指标写明完成时间或时限（如“{spec.year}年11月30日前”"
                   "“≤30天”），不要只写“及时”。"),
        (fmt.text_bold, "四、项目经费情况说明"),
        (fmt.text, "依次填写一、项目概述至七、绩效目标；说明中的金额单位为万元，应与申报表（元）一致，分项之和应等于总额。"),
        (fmt.text, "年度预算安排表逐行填写支出内容、测算依据、单价、数量、金额；金额 = 单价 × 数量，合计应等于年度资金申请总额。"),
        (fmt.text_bold, "五、联系方式"),
        (fmt.text, f"填表中如有疑问，请联系：{spec.contact}"),
        (fmt.stamp, f"模板版本 {TEMPLATE_VERSION}（budget-xls {__version__} 生成）"),
    ]
    for row, (style, text) in enumerate(lines):
        ws.write_string(row, 0, text, style)
        ws.set_row(row, text_height(text, GUIDE_WIDTH))
    ws.set_row(0, 30)
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _cover_sheet(wb, fmt: _Formats, spec: WorkbookSpec) -> None:
    ws = wb.add_worksheet(COVER_SHEET)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 44)
    ws.merge_range(0, 0, 0, 1, f"{spec.year}年度项目支出绩效目标申报 填报封面", fmt.title)
    ws.set_row(0, 32)
    for i, label in enumerate(COVER_FIELDS):
        row = 2 + i
        ws.set_row(row, 24)
        ws.write_string(row, 0, label, fmt.label)
        value = spec.cover.get(label)
        style = fmt.date if label == "填报日期" else fmt.input
        _write_value(ws, row, 1, value, style)
        wb.define_name(f"'{COVER_SHEET}'!{label}", f"='{COVER_SHEET}'!$B${row + 1}")
    ws.write_string(7, 0, "预算年度", fmt.label)
    ws.write_number(7, 1, spec.year, fmt.blank)
    ws.data_validation(5, 1, 5, 1, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(spec.year - 1, 1, 1), "maximum": dt.date(spec.year + 1, 12, 31),
        "input_title": "填报日期", "input_message": "如 2021-10-15",
        "error_title": "日期无效", "error_message": "请填写有效日期，如 2021-10-15。",
    })
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _project_sheet(wb, fmt: _Formats, year: int, project: ProjectSpec) -> None:
    ws = wb.add_worksheet(project.sheet)
    sheet_ref = "'" + project.sheet.replace("'", "''") + "'"  # in formulas: quotes doubled
    scope = f"'{project.sheet}'"  # xlsxwriter's name scope takes the sheet name as it is
    for col, width in enumerate(COLUMN_WIDTHS):
        ws.set_column(col, col, width)
    f = project.fields

    ws.merge_range(R_TITLE, 0, R_TITLE, 4, FORM_TITLE, fmt.title)
    ws.set_row(R_TITLE, 30)
    ws.merge_range(R_YEAR, 0, R_YEAR, 4, f"({year} 年度)", fmt.subtitle)

    def pair(row: int, left: str, right: str, lkey: str, rkey: str, style) -> None:
        ws.set_row(row, max(24, text_height(f.get(lkey), COLUMN_WIDTHS[1] + COLUMN_WIDTHS[2]),
                            text_height(f.get(rkey), COLUMN_WIDTHS[4])))
        ws.write_string(row, 0, left, fmt.label)
        ws.merge_range(row, 1, row, 2, "", style)
        _write_value(ws, row, 1, f.get(lkey), style)
        ws.write_string(row, 3, right, fmt.label)
        _write_value(ws, row, 4, f.get(rkey), style)

    pair(R_NAME, "项目名称", "项目类别", "name", "category", fmt.input)
    pair(R_SUPERVISOR, "主管部门", "实施单位", "supervisor", "implementer", fmt.input)
    pair(R_DATES, "计划开始日期", "计划完成日期", "start", "end", fmt.date)

    ws.merge_range(R_MONEY, 0, R_MONEY + 3, 0, "项目资金\n(元)", fmt.label)
    money_rows = (
        ("项目资金总额", "total", "年度资金申请总额", "annual"),
        ("其中：财政资金", "fiscal", "其中：当年财政拨款", "appropriation"),
        (None, None, "上年结转资金", "carryover"),
        ("其他资金", "other", "其他资金", "annual_other"),
    )
    for i, (llabel, lkey, rlabel, rkey) in enumerate(money_rows):
        row = R_MONEY + i
        ws.set_row(row, 22)
        if llabel:
            ws.write_string(row, 1, llabel, fmt.label_left)
            _write_value(ws, row, 2, f.get(lkey), fmt.money)
        else:  # the whole project has no carry-over line: one darker cell that says so, not two that look fillable
            ws.merge_range(row, 1, row, 2, "（项目资金无此项）", fmt.not_applicable)
        ws.write_string(row, 3, rlabel, fmt.label_left)
        _write_value(ws, row, 4, f.get(rkey), fmt.money)

    ws.merge_range(R_GOAL_HEAD, 0, R_GOAL, 0, "项目\n绩效\n目标", fmt.label)
    ws.merge_range(R_GOAL_HEAD, 1, R_GOAL_HEAD, 2, f"项目总目标 ({year}年-{year}年)", fmt.label)
    ws.merge_range(R_GOAL_HEAD, 3, R_GOAL_HEAD, 4, "年度总目标", fmt.label)
    ws.merge_range(R_GOAL, 1, R_GOAL, 2, "", fmt.input_top)
    ws.merge_range(R_GOAL, 3, R_GOAL, 4, "", fmt.input_top)
    _write_value(ws, R_GOAL, 1, f.get("goal_total"), fmt.input_top)
    _write_value(ws, R_GOAL, 3, f.get("goal_year"), fmt.input_top)
    goal_width = COLUMN_WIDTHS[1] + COLUMN_WIDTHS[2]
    ws.set_row(R_GOAL, max(150, text_height(f.get("goal_total"), goal_width),
                           text_height(f.get("goal_year"), COLUMN_WIDTHS[3] + COLUMN_WIDTHS[4])))

    last_ind = R_IND + INDICATOR_ROWS - 1
    ws.merge_range(R_IND_HEAD, 0, last_ind, 0, "绩效\n指标", fmt.label)
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值"), start=1):
        ws.write_string(R_IND_HEAD, col, text, fmt.label)
    for i in range(INDICATOR_ROWS):
        row = R_IND + i
        values = project.indicators[i] if i < len(project.indicators) else (None,) * 4
        for col, value in enumerate(values, start=1):
            _write_value(ws, row, col, value, fmt.input)
        ws.set_row(row, max(text_height(v, COLUMN_WIDTHS[c], minimum=20) for c, v in enumerate(values, start=1)))
    if len(project.indicators) > INDICATOR_ROWS:
        raise ValueError(f"{project.sheet}: more than {INDICATOR_ROWS} indicators")

    ws.set_h_pagebreaks([R_NARR_TITLE])  # 项目经费情况说明 starts a page of its own: it is not cut in two
    ws.merge_range(R_NARR_TITLE, 0, R_NARR_TITLE, 4, NARRATIVE_TITLE, fmt.title)
    ws.set_row(R_NARR_TITLE, 28)
    for i, (key, title) in enumerate(NARRATIVE_SECTIONS):
        row = R_NARR + i
        ws.write_string(row, 0, f"{NUMERALS[i]}、{title}", fmt.label_left)
        ws.merge_range(row, 1, row, 4, "", fmt.input_top)
        _write_value(ws, row, 1, project.narrative.get(key), fmt.input_top)
        ws.set_row(row, max(90 if key in ("overview", "plan") else 48,
                            text_height(project.narrative.get(key), sum(COLUMN_WIDTHS[1:]))))
        wb.define_name(f"{scope}!{title}", f"={sheet_ref}!$B${row + 1}")

    ws.merge_range(R_BUDGET_TITLE, 0, R_BUDGET_TITLE, 4, "年度预算安排明细（单位：元）", fmt.text_bold)
    for col, text in enumerate(("支出内容", "测算依据", "单价", "数量", "金额")):
        ws.write_string(R_BUDGET_HEAD, col, text, fmt.label)
    for i in range(BUDGET_ROWS):
        row = R_BUDGET + i
        values = project.budget[i] if i < len(project.budget) else (None,) * 5
        styles = (fmt.input, fmt.input, fmt.money, fmt.number, fmt.money)
        for col, (value, style) in enumerate(zip(values, styles)):
            _write_value(ws, row, col, value, style)
    ws.write_string(R_BUDGET_TOTAL, 0, "合计", fmt.label)
    for col in (1, 2, 3):
        ws.write_blank(R_BUDGET_TOTAL, col, None, fmt.blank)
    total = sum((v[4] for v in project.budget if isinstance(v[4], (int, float))), 0)
    ws.write_formula(R_BUDGET_TOTAL, 4, f"=SUM(E{R_BUDGET + 1}:E{R_BUDGET_TOTAL})", fmt.total, total)

    for spec in ft.table():
        if spec.cell is not None and spec.name:
            row, col = spec.cell
            wb.define_name(f"{scope}!{spec.name}", f"={sheet_ref}!${_col(col)}${row + 1}")
    wb.define_name(f"{scope}!{INDICATOR_NAME}", f"={sheet_ref}!$B${R_IND + 1}:$E${last_ind + 1}")
    wb.define_name(f"{scope}!{BUDGET_NAME}", f"={sheet_ref}!$A${R_BUDGET + 1}:$E${R_BUDGET_TOTAL + 1}")

    _project_validations(ws, year, last_ind)
    ws.freeze_panes(R_NAME, 0)
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(R_TITLE, R_YEAR)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.protect("", {
        "format_cells": True, "format_columns": True, "format_rows": True,
        "insert_rows": True, "delete_rows": True,
    })


def _project_validations(ws, year: int, last_ind: int) -> None:
    cells = field_cells()
    row, col = cells["category"]
    ws.data_validation(row, col, row, col, {
        "validate": "list", "source": list(CATEGORIES),
        "input_title": "项目类别", "input_message": "从下拉列表选择：经常性项目 或 一次性项目",
        "error_title": "项目类别", "error_message": "请选择“经常性项目”或“一次性项目”。",
    })
    for key in ft.keys_of(ft.DATE):
        row, col = cells[key]
        ws.data_validation(row, col, row, col, {
            "validate": "date", "criteria": "between",
            "minimum": dt.date(year, 1, 1), "maximum": dt.date(year, 12, 31),
            "input_title": "日期", "input_message": f"填写 {year} 年内的日期，如 {year}-01-01",
            "error_title": "日期不在预算年度内",
            "error_message": f"计划日期应在 {year}-01-01 至 {year}-12-31 之间。",
        })
    for key in ft.money_keys():
        row, col = cells[key]
        ref = f"{_col(col)}{row + 1}"
        ws.data_validation(row, col, row, col, {
            "validate": "custom", "value": f"=AND(ISNUMBER({ref}),{ref}>=0,ROUND({ref},2)={ref})",
            "input_title": "金额（元）", "input_message": "填写数字，单位元，最多两位小数；没有请填 0。",
            "error_title": "金额无效", "error_message": "金额须为不小于 0 的数字，最多两位小数（单位：元）。",
        })
    ws.data_validation(R_IND, 1, last_ind, 1, {
        "validate": "list", "source": "=一级指标列表",
        "input_title": "一级指标", "input_message": "同一一级指标下的后续行可留空",
        "error_title": "一级指标", "error_message": "请从下拉列表选择一级指标。",
    })
    ws.data_validation(R_IND, 2, last_ind, 2, {
        "validate": "list", "source": f'=INDIRECT(IF($B{R_IND + 1}="","全部二级指标",$B{R_IND + 1}))',
        "input_title": "二级指标", "input_message": "须属于本行（或上方）的一级指标",
        "error_title": "二级指标", "error_message": "请从下拉列表选择与一级指标对应的二级指标。",
    })
    ws.data_validation(R_IND, 4, last_ind, 4, {
        "validate": "any",
        "input_title": "年度指标值", "input_message": "比较符+数值+单位，如 ≥90%、=100次、≤1500元/人；定性如“好”“及时”",
    })
    for col in (2, 3, 4):
        ws.data_validation(R_BUDGET, col, R_BUDGET_TOTAL - 1, col, {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "error_title": "数值无效", "error_message": "请填写不小于 0 的数字。",
        })


def _lists_sheet(wb, year: int) -> None:
    """Hidden sheet with the dropdown lists (一级 names; 二级 lists named after their 一级)."""
    ws = wb.add_worksheet(LISTS_SHEET)
    fw = framework_for(year)
    level1 = list(fw.levels)
    for i, name in enumerate(level1):
        ws.write_string(i, 0, name)
    wb.define_name("一级指标列表", f"='{LISTS_SHEET}'!$A$1:$A${len(level1)}")
    all_level2: list[str] = []
    for col, (l1, l2s) in enumerate(fw.levels.items(), start=1):
        for row, l2 in enumerate(l2s):
            ws.write_string(row, col, l2)
        letter = _col(col)
        wb.define_name(l1, f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(l2s)}")
        all_level2.extend(l2s)
    last = len(fw.levels) + 1
    for row, l2 in enumerate(all_level2):
        ws.write_string(row, last, l2)
    letter = _col(last)
    wb.define_name("全部二级指标", f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(all_level2)}")
    ws.hide()
    ws.protect("")


def text_height(text: Any, width: float, line: float = 14.5, minimum: float = 18) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` units wide.

    The width is discounted by a tenth: office suites substitute 宋体 with wider fonts.
    """
    if text is None:
        return minimum
    return max(minimum, row_height(line_count(text, width / 1.1), line=line, pad=4))


def _write_value(ws, row: int, col: int, value: Any, style) -> None:
    """Write a spec value with the type it has (text stays text, never a formula)."""
    if value is None:
        ws.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, style)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), style)
    else:
        ws.write_string(row, col, str(value), style)
