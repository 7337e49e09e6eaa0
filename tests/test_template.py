"""The blank template: deterministic, complete, and what the reader anchors on."""

from __future__ import annotations

import datetime as dt

import subprocess
from pathlib import Path

import openpyxl

from budget_xls.template import FIELD_NAMES, write_template
from budget_xls.vocab import TEMPLATE_VERSION, VERSION_NAME
from tests.conftest import ROOT, needs_soffice, soffice

COMMITTED = ROOT / "input_templates" / "绩效目标申报模板.xlsx"


def test_committed_template_equals_a_fresh_one(tmp_path, run_cli):
    out = tmp_path / "t.xlsx"
    result = run_cli("template", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == COMMITTED.read_bytes(), "regenerate with: budget-xls template"


def test_template_has_guide_cover_and_project_sheets(tmp_path):
    path = write_template(tmp_path / "t.xlsx", year=2022, projects=3)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:5] == ["填表说明", "封面", "项目1", "项目2", "项目3"]
    guide = "\n".join(str(c.value) for c in wb["填表说明"]["A"] if c.value)
    for must in ("增加项目", "≥90%", "联系", "项目资金总额 = 财政资金 + 其他资金"):
        assert must in guide
    cover = [c.value for c in wb["封面"]["A"] if c.value]
    assert {"填报单位", "联系人", "联系电话", "填报日期"} <= set(cover)


def test_project_sheet_carries_every_official_label(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = wb["项目1"]
    texts = {str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for label in ("项目名称", "项目类别", "主管部门", "实施单位", "计划开始日期", "计划完成日期", "项目资金总额",
                  "其中：财政资金", "其他资金", "年度资金申请总额", "其中：当年财政拨款", "上年结转资金",
                  "年度总目标", "一级指标", "二级指标", "三级指标", "年度指标值", "项目经费情况说明",
                  "一、项目概述", "七、绩效目标", "支出内容", "测算依据", "单价", "数量", "金额", "合计"):
        assert label in texts, label
    assert any(t.startswith("项目总目标") for t in texts)
    assert "(2022 年度)" in texts


def test_template_defined_names_version_and_validations(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", year=2023))
    assert wb.defined_names[VERSION_NAME].attr_text == f'"{TEMPLATE_VERSION}"'
    ws = wb["项目1"]
    assert set(FIELD_NAMES.values()) <= set(ws.defined_names)
    assert ws.defined_names["项目名称"].attr_text == "'项目1'!$B$3"
    rules = ws.data_validations.dataValidation
    kinds = {(dv.type, str(dv.sqref)) for dv in rules}
    assert ("list", "E3") in kinds  # 项目类别
    dates = [dv for dv in rules if dv.type == "date"]
    assert {str(dv.sqref) for dv in dates} == {"B5", "E5"}
    serial = (dt.date(2023, 1, 1) - dt.date(1899, 12, 30)).days  # the template's --year 2023
    assert {(dv.formula1, dv.formula2) for dv in dates} == {(str(serial), str(serial + 364))}
    level2 = [dv for dv in rules if dv.type == "list" and "INDIRECT" in (dv.formula1 or "")]
    assert level2, "二级指标 dropdown depends on its 一级"
    money = [dv for dv in rules if dv.type == "custom" and "ROUND" in (dv.formula1 or "")]
    assert len(money) == 7
    assert ws.protection.sheet and not ws.protection.password
    assert ws["B3"].protection.locked is False and ws["A3"].protection.locked is True


def test_template_year_option_changes_header_and_validation(tmp_path, run_cli):
    out = tmp_path / "t.xlsx"
    assert run_cli("template", "-o", out, "--year", "2025", "--projects", "2").exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb["项目2"]["A2"].value == "(2025 年度)"
    lists = [c.value for c in wb["下拉列表"]["A"] if c.value]
    assert "成本指标" in lists  # the 2025 framework makes 成本指标 a 一级


@needs_soffice
def test_template_opens_in_libreoffice(tmp_path):
    out = write_template(tmp_path / "t.xlsx", projects=2)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "t.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "财政项目支出绩效目标申报表" in text and "年度指标值" in text


def test_defined_names_survive_an_apostrophe_in_the_sheet_name(tmp_path, recwarn):
    from budget_xls.ingest import read_file as process_file
    from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook

    spec = WorkbookSpec(year=2022, projects=[ProjectSpec(sheet="O'Neil 的项目", fields={"name": "测试项目"})])
    path = write_workbook(tmp_path / "a.xlsx", spec)
    assert not [w for w in recwarn if "Unknown sheet name" in str(w.message)]
    ws = openpyxl.load_workbook(path)["O'Neil 的项目"]
    assert ws.defined_names["项目名称"].attr_text == "'O''Neil 的项目'!$B$3"
    form = process_file(path, "a.xlsx").forms[0]
    assert form.layout == "template" and form.name == "测试项目" and form.get("name").cell == "B3"


def test_the_guides_examples_pass_the_rules(tmp_path):
    """The 填表说明 and the rules agree: indicators written as the guide's own examples raise no error,
    no warning and no hint about their values (I04–I06, I10–I13, I15)."""
    import re

    import openpyxl

    from budget_xls.template import write_template
    from tests.test_rules_factory import CLEAN_INDICATORS, check

    guide = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))["填表说明"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    quantitative = re.findall(r"[≥≤=]\d+(?:%|次|册|万元|天)", text.split("年度指标值写成")[1].split("\n")[0])
    assert {"≥90%", "=100%", "≥20次", "=3500册", "≤5万元", "≤30天"} <= set(quantitative)
    qualitative = re.findall(r"“([^“”]+)”", text.split("4. 定性指标")[1].split("不要写")[0])
    deadline = re.search(r"时效指标写明完成时间或时限（如“([^”]+)”", text).group(1)
    cost = re.search(r"成本指标用 ≤ 或 =（如“([^”]+)”", text).group(1)
    assert qualitative == ["好", "达到预期"] and "及时" not in qualitative
    names = {"%": "参训学员考核合格率", "次": "开展培训次数", "册": "印发手册数量", "万元": "设备采购成本",
             "天": "问题整改时限"}
    rows = [("产出指标", "数量指标", names[re.sub(r"[≥≤=\d]", "", v)] + str(i), v) for i, v in enumerate(quantitative)]
    rows += [(None, "质量指标", f"培训质量{i}", v) for i, v in enumerate(qualitative)]
    rows += [(None, "时效指标", "示范培训班完成时间", deadline), (None, "成本指标", "人均培训成本", cost)]
    rows += CLEAN_INDICATORS[8:]  # the clean form's 效益 and 满意度 rows
    findings = check(indicators=rows)
    value_codes = {"I04", "I05", "I06", "I10", "I11", "I12", "I13", "I15"}
    assert [(f.code, f.value) for f in findings if f.code in value_codes] == []
    assert [f for f in findings if f.severity in ("error", "warning")] == []
