"""The 汇总 sheet cell by cell: what a viewer that does not recalculate shows (the cached values),
and the formulas Excel/WPS recompute. Units that differ only in spaces are one group, a blank
unit is its own row (last), blank amounts add nothing, and the file line reconciles.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from budget_xls.template import WorkbookSpec, write_workbook
from tests.test_rules_factory import spec

D = Decimal
MONEY_HEADS = ["项目资金总额", "年度资金申请总额", "当年财政拨款", "上年结转资金", "其他资金"]
HEAD = ["序号", None, "项目数", "金额（元）", "", "", "", "", "金额（万元）", "", "", "", "", "错误数", "警告数"]
SUB = ["", "", ""] + MONEY_HEADS * 2 + ["", ""]


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    root = tmp_path_factory.mktemp("summary")
    inbox = root / "in"
    inbox.mkdir()
    write_workbook(inbox / "a.xlsx", WorkbookSpec(year=2022, projects=[spec(fields=dict(implementer="组织科"))]))
    write_workbook(inbox / "b.xlsx", WorkbookSpec(year=2022, projects=[spec(fields=dict(
        name="二", implementer="组织 科", category="一次性项目", total=D("100000.55"), fiscal=D("100000.55"),
        annual=D("100000.55"), appropriation=D("50000.55"), carryover=50000))]))
    write_workbook(inbox / "c.xlsx", WorkbookSpec(year=2022, projects=[spec(fields=dict(
        name="三", implementer=None, other=None))]))
    (inbox / "d.xlsx").write_bytes(b"junk")
    from budget_xls import api

    out = root / "o.xlsx"
    result = api.consolidate(inbox, outputs=(out, root / "o.json"), jobs=1)
    api.write_outputs(result, out, root / "o.json")
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("汇总")
    formulas = openpyxl.load_workbook(out)["汇总"]
    return sheet.to_python(), formulas, sorted(sheet.merged_cell_ranges)


def test_cached_values_as_a_viewer_shows_them(summary):
    cached, _, _ = summary
    assert cached[0][0] == "2022年度财政项目支出绩效目标汇总"
    assert cached[3][0] == "按实施单位汇总"
    assert cached[4] == ["序号", "实施单位"] + HEAD[2:]
    assert cached[5] == SUB
    assert cached[6] == [1, "组织科", 2, 722000.55, 722000.55, 622000.55, 100000, 0,
                         72.200055, 72.200055, 62.200055, 10, 0, 1, 2]
    assert cached[7] == [2, "（未填写）", 1, 622000, 622000, 572000, 50000, 0, 62.2, 62.2, 57.2, 5, 0, 2, 0]
    total = ["", "合计", 3, 1344000.55, 1344000.55, 1194000.55, 150000, 0,
             134.400055, 134.400055, 119.400055, 15, 0, 3, 2]
    assert cached[8] == total
    assert cached[10][0] == "按项目类别汇总"
    assert cached[11] == ["序号", "项目类别"] + HEAD[2:]
    assert cached[13] == [1, "一次性项目", 1, 100000.55, 100000.55, 50000.55, 50000, 0,
                          10.000055, 10.000055, 5.000055, 5, 0, 1, 2]
    assert cached[14] == [2, "经常性项目", 2, 1244000, 1244000, 1144000, 100000, 0, 124.4, 124.4, 114.4, 10, 0, 2, 0]
    assert cached[15] == total
    assert cached[17][0] == "文件核对"
    assert cached[18][1:8] == ["找到文件", "已读取", "其中无申报表", "无法读取", "已跳过", "核对", "读取项目"]
    assert cached[19][1:8] == [4, 3, 0, 1, 0, "一致", 3]
    assert cached[20][1] == "找到文件 4 个 = 已读取 3 个（其中无申报表 0 个）+ 无法读取 1 个 + 已跳过 0 个；读取项目 3 个。"
    assert cached[22][0] == "问题统计"
    assert cached[23][1:4] == ["错误", "警告", "提示"]
    assert cached[24][1:4] == [4, 2, 1]
    # 审核建议概况 (issue 18): grades and error/warning counts by dimension, per unit; the file-level
    # R01 of d.xlsx belongs to no unit, so the dimensions add up to the units' 5, not the run's 6
    assert cached[27][0].startswith("审核建议概况")
    assert cached[29][3:11] == ["优", "良", "中", "差", "完整性", "相关性", "适当性", "可行性"]
    assert cached[30][:11] == [1, "组织科", 2, 1, 0, 1, 0, 0, 0, 3, 0]
    assert cached[31][:11] == [2, "（未填写）", 1, 0, 0, 1, 0, 2, 0, 0, 0]
    assert cached[32][1:11] == ["合计", 3, 1, 0, 2, 0, 2, 0, 3, 0]
    assert len(cached) == 33


def test_formulas_count_and_sum_by_group_number(summary):
    _, ws, _ = summary
    p = "'项目清单'!"
    assert ws["C7"].value == f"=COUNTIFS({p}$Y$2:$Y$4,$A7)"
    assert ws["D7"].value == f"=ROUND(SUMIFS({p}$J$2:$J$4,{p}$Y$2:$Y$4,$A7),2)"
    assert [ws.cell(7, c).value for c in range(5, 9)] == [
        f"=ROUND(SUMIFS({p}${col}$2:${col}$4,{p}$Y$2:$Y$4,$A7),2)" for col in "MNOP"]
    assert [ws.cell(8, c).value for c in range(9, 14)] == [f"=ROUND({col}8/10000,6)" for col in "DEFGH"]
    assert ws["N8"].value == f"=SUMIFS({p}$U$2:$U$4,{p}$Y$2:$Y$4,$A8)"
    assert ws["O8"].value == f"=SUMIFS({p}$V$2:$V$4,{p}$Y$2:$Y$4,$A8)"
    assert ws["C9"].value == f"=COUNT({p}$A$2:$A$4)"
    assert ws["D9"].value == f"=ROUND(SUM({p}$J$2:$J$4),2)" and ws["O9"].value == f"=SUM({p}$V$2:$V$4)"
    assert ws["C14"].value == f"=COUNTIFS({p}$Z$2:$Z$4,$A14)"
    assert ws["B20"].value == "=COUNTA('文件清单'!$B$2:$B$5)"
    assert ws["C20"].value == ("=COUNTIF('文件清单'!$C$2:$C$5,\"已读取\")"
                               "+COUNTIF('文件清单'!$C$2:$C$5,\"无申报表\")")
    assert ws["E20"].value == "=COUNTIF('文件清单'!$C$2:$C$5,\"无法读取\")"
    assert ws["G20"].value == '=IF(B20=C20+E20+F20,"一致","不一致")'
    assert ws["H20"].value == "=SUM('文件清单'!$D$2:$D$5)"
    assert ws["B25"].value == "=COUNTIF('错误报告'!$B$2:$B$8,\"错误\")"


def test_header_cells_merged_as_printed(summary):
    heads = []
    for top in (4, 11):  # the two group tables: 序号 实施单位/项目类别 项目数 | 金额（元） | 金额（万元） | 错误数 警告数
        heads += [((top, 0), (top + 1, 0)), ((top, 1), (top + 1, 1)), ((top, 2), (top + 1, 2)),
                  ((top, 3), (top, 7)), ((top, 8), (top, 12)), ((top, 13), (top + 1, 13)), ((top, 14), (top + 1, 14))]
    assert summary[2][:len(heads)] == heads  # the batch-health block below has merges of its own


def test_a_run_without_projects_says_so_in_each_table(tmp_path):
    from budget_xls import api

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "x.xlsx").write_bytes(b"junk")
    out = tmp_path / "o.xlsx"
    result = api.consolidate(inbox, year=2022, outputs=(out, tmp_path / "o.json"), jobs=1)
    api.write_outputs(result, out, tmp_path / "o.json")
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("汇总")
    rows = sheet.to_python()
    assert [rows[i][0] for i in (3, 6, 7, 8, 11, 12, 13)] == [
        "按实施单位汇总", "（没有读取到项目）", "", "按项目类别汇总", "（没有读取到项目）", "", "文件核对"]
    assert ((6, 0), (6, 14)) in sheet.merged_cell_ranges and ((11, 0), (11, 14)) in sheet.merged_cell_ranges
    assert rows[15][1:8] == [1, 0, 0, 1, 0, "一致", 0]


def test_group_label_on_a_tie_is_the_first_in_text_order():
    from budget_xls.model import Field, ProjectForm
    from budget_xls.outputs.summary import group_projects

    def form(sheet, unit):
        return ProjectForm(file="a.xlsx", sheet=sheet, fields={"implementer": Field(unit, unit, "E4")})

    groups = group_projects([form("1", "ＩＴ中心"), form("2", "IT中心")], "implementer")
    assert [(g.number, g.label) for g in groups] == [(1, "IT中心")]
    groups = group_projects([form("1", "IT中心"), form("2", "ＩＴ中心")], "implementer")
    assert [(g.number, g.label) for g in groups] == [(1, "IT中心")]


def test_a_long_unit_name_wraps_with_its_row_height(tmp_path):
    from budget_xls import api
    from budget_xls.textwidth import row_height

    inbox = tmp_path / "in"
    inbox.mkdir()
    long_name = "中共上海市松江区委组织部下属区党员电化教育中心暨区委党校远程教育培训管理办公室"
    write_workbook(inbox / "a.xlsx", WorkbookSpec(year=2022, projects=[spec(fields=dict(implementer=long_name))]))
    write_workbook(inbox / "b.xlsx", WorkbookSpec(year=2022, projects=[spec(fields=dict(name="二", implementer="组织科"))]))
    out = tmp_path / "o.xlsx"
    result = api.consolidate(inbox, outputs=(out, tmp_path / "o.json"), jobs=1)
    api.write_outputs(result, out, tmp_path / "o.json")
    ws = openpyxl.load_workbook(out)["汇总"]
    assert [ws.cell(r, 2).value for r in (7, 8)] == ["中共上海市松江区委组织部下属区党员电化教育中心暨区委党校远程教育培训管理办公室", "组织科"]
    assert ws.column_dimensions["B"].width is not None
    assert ws.row_dimensions[7].height == 30.75 > row_height(1)  # two lines (the column is 40 wide at most)
    assert ws.row_dimensions[8].height is None


def test_the_total_rows_are_styled_across(summary):
    _, ws, _ = summary
    for row in (9, 16):
        cells = [ws.cell(row, c) for c in range(1, 16)]
        assert [c.font.b for c in cells] == [True] * 15, row
        assert len({c.fill.fgColor.rgb for c in cells}) == 1 and len({c.border.top.style for c in cells}) == 1


def test_the_file_check_reads_as_counts_and_a_centred_verdict(summary):
    """文件核对: the counts are whole numbers, the 一致/不一致 verdict is centred text."""
    _, ws, _ = summary
    assert [ws.cell(20, c).number_format for c in (2, 3, 4, 5, 6, 8)] == ["0"] * 6
    assert [ws.cell(20, c).alignment.horizontal for c in (2, 3, 4, 5, 6, 8)] == [None] * 6
    assert (ws["G20"].alignment.horizontal, ws["G20"].number_format) == ("center", "General")
