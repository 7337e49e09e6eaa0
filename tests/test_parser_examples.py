"""The bundled official-layout and .xls examples are what the issue asks for, and the
findings on them (and on edited copies) point at the cells a person has to fix."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from budget_xls.pipeline import RunOptions, consolidate
from tests import seed_data
from tests.conftest import EXAMPLES
from tests.fixtures import edit, insert_rows, official_book, only_form, records, template_book

OFFICIAL = EXAMPLES / "人才工作科（官方格式）.xlsx"


def test_official_example_has_merged_levels_and_spaced_labels():
    ws = openpyxl.load_workbook(OFFICIAL).active
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"项目 绩效 目标", "绩效 指标", "项目资金 (元)"} <= texts
    merged = [(m.min_col, m.min_row, m.max_row) for m in ws.merged_cells.ranges]
    level1 = [m for m in merged if m[0] == 2 and m[2] > m[1]]
    level2 = [m for m in merged if m[0] == 3 and m[2] > m[1]]
    assert level1 and level2, merged
    assert not openpyxl.load_workbook(OFFICIAL).defined_names  # no template names, no stamp


def test_official_and_xls_examples_read_to_the_seed():
    result = consolidate(EXAMPLES, RunOptions())
    by_file = {}
    for p in result.projects:
        by_file.setdefault(p.file, []).append(p)
    rencai, = by_file[OFFICIAL.name]
    xuanchuan, = by_file["公务员科.xls"]
    for form, seed in ((rencai, seed_data.RENCAI), (xuanchuan, seed_data.XUANCHUAN)):
        f = seed["fields"]
        assert form.name == f["name"] and form.amount("total") == Decimal(str(f["total"]).strip())
        assert [(i.name, i.raw) for i in form.indicators] == [
            (n, None if v is None else str(v)) for _, _, n, v in seed["indicators"]]
        assert form.narrative["implementer"].value == seed["narrative"]["implementer"]


def test_empty_supervisor_points_at_the_cell_to_fill(tmp_path):
    inbox = tmp_path / "inbox"
    template_book(inbox / "模板.xlsx", seed_data.DANGJIAN)
    official_book(inbox / "官方.xlsx", seed_data.GANBU)
    edit(template_book(tmp_path / "src.xlsx", seed_data.DANGJIAN, unit="其他"), inbox / "插行.xlsx",
         lambda wb: (insert_rows(wb, "党建工作", 2, 1, shift_names=False),
                     wb["党建工作"].__setitem__("A2", "填报说明：金额单位为元")))
    result = consolidate(inbox, RunOptions())
    s01 = {f.file: f.cell for f in result.findings if f.code == "S01" and "主管部门" in f.message}
    ws = openpyxl.load_workbook(inbox / "官方.xlsx").active
    row = next(c.row for c in ws["A"] if c.value == "主管部门")
    assert s01 == {"模板.xlsx": "B4", "官方.xlsx": f"B{row}", "插行.xlsx": "B5"}


def test_money_cell_of_an_unreadable_amount(tmp_path):
    src = template_book(tmp_path / "a.xlsx", seed_data.DANGJIAN)
    form = only_form(edit(src, tmp_path / "b.xlsx", lambda wb: wb["党建工作"].__setitem__("E8", "约9万")))
    carry = form.get("carryover")
    assert carry.cell == "E8" and carry.value is None and carry.raw == "约9万" and carry.error
    assert records(form)["fields"]["annual"] == Decimal(3792000)
