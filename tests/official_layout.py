"""Write a project the way office suites export the official 申报表 (not our template).

The layout follows shared/domain.md: narrative first (section headings with the text
below them), then the form in five columns with block labels merged down column A,
一级/二级 cells merged vertically, labels with stray spaces ("项目 绩效 目标",
"满意度指 标"), dates typed as text, no defined names and no version stamp.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

from budget_xls.vocab import NARRATIVE_SECTIONS

FIXED = dt.datetime(2000, 1, 1)
NUMERALS = "一二三四五六七"


def write_official(path: Path, project: dict, spaced_labels: bool = True) -> Path:
    return write_official_book(path, [project], spaced_labels)


def write_official_book(path: Path, projects: list[dict], spaced_labels: bool = True) -> Path:
    """Several projects, one official-layout sheet each, in one workbook."""
    wb = openpyxl.Workbook()
    for i, project in enumerate(projects):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = project["sheet"]
        fill_official_sheet(ws, project, spaced_labels)
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "WPS"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def fill_official_sheet(ws, project: dict, spaced_labels: bool = True) -> None:
    f = project["fields"]
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="宋体", size=11)
    for col, width in zip("ABCDE", (14, 24, 22, 40, 22)):
        ws.column_dimensions[col].width = width

    row = 1
    ws.cell(row, 1, "项目经费情况说明")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    row += 2
    for i, (key, title) in enumerate(NARRATIVE_SECTIONS):
        ws.cell(row, 1, f"{NUMERALS[i]}、{title}")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        text = project["narrative"].get(key)
        if text:
            ws.cell(row + 1, 1, text)
            ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=5)
            ws.cell(row + 1, 1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 3

    top = row
    ws.cell(row, 1, "财政项目支出绩效目标申报表")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    ws.cell(row + 1, 1, "(2022 年度)")
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=5)
    row += 2

    def put(r, c, value):
        cell = ws.cell(r, c, value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed text such as "=100", not a formula
        cell.border = box
        cell.font = font
        return cell

    put(row, 1, "项目名称"), put(row, 2, f["name"]), put(row, 3, "项目类别"), put(row, 4, f["category"])
    put(row + 1, 1, "主管部门"), put(row + 1, 2, f["supervisor"]), put(row + 1, 3, "实施单位"), put(row + 1, 4, f["implementer"])
    put(row + 2, 1, "计划开始日期"), put(row + 2, 2, f["start"]), put(row + 2, 3, "计划完成日期"), put(row + 2, 4, f["end"])
    for r in range(row, row + 3):
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
    row += 3

    money = row
    put(row, 1, "项目资金 (元)" if spaced_labels else "项目资金(元)")
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 3, end_column=1)
    lines = (
        ("项目资金总额", "total", "年度资金申请总额", "annual"),
        ("其中：财政资金", "fiscal", "其中：当年财政拨款", "appropriation"),
        (None, None, "上年结转资金", "carryover"),
        ("其他资金", "other", "其他资金", "annual_other"),
    )
    for i, (ll, lk, rl, rk) in enumerate(lines):
        r = money + i
        if ll:
            put(r, 2, ll), put(r, 3, f[lk])
        put(r, 4, rl), put(r, 5, f[rk])
    row += 4

    put(row, 1, "项目 绩效 目标" if spaced_labels else "项目绩效目标")
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
    put(row, 2, "项目总目标 (2022 年- 2022 年)")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
    put(row, 4, "年度总目标")
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=5)
    put(row + 1, 2, f["goal_total"]).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=3)
    put(row + 1, 4, f["goal_year"])
    ws.merge_cells(start_row=row + 1, start_column=4, end_row=row + 1, end_column=5)
    row += 2

    head = row
    put(row, 1, "绩效 指标" if spaced_labels else "绩效指标")
    for c, text in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值"), start=2):
        put(row, c, text)
    rows = project["indicators"]
    first = row + 1
    for i, (l1, l2, name, value) in enumerate(rows):
        r = first + i
        for c, v in enumerate((l1, l2, name, value), start=2):
            if v is not None:
                put(r, c, v)
    last = first + len(rows) - 1
    ws.merge_cells(start_row=head, start_column=1, end_row=last, end_column=1)
    # 一级/二级 merged down over their continuation rows, as the official form does.
    for col in (2, 3):
        start = None
        for i in range(len(rows) + 1):
            r = first + i
            value = ws.cell(r, col).value if i < len(rows) else "END"
            if value is not None:
                if start is not None and r - 1 > start:
                    ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
                start = r
