"""A factory for rule tests, and the realistic correctly filled form they start from.

``check(...)`` writes a real workbook with the template writer (``ProjectSpec``), reads it
back through the pipeline (reader → parser) and runs the project rules, so every rule test
also exercises the way the value arrives from a workbook.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from budget_xls.model import Finding, ProjectForm
from budget_xls.ingest import read_file as process_file
from budget_xls.rules import Context, check_project
from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook

ORG = "中共上海市松江区委组织部"

CLEAN_FIELDS: dict[str, Any] = dict(
    name="基层党员教育培训",
    category="经常性项目",
    supervisor=ORG,
    implementer="区党员电化教育中心",
    start=dt.date(2022, 1, 1),
    end=dt.date(2022, 12, 31),
    total=622000, fiscal=622000, other=0,
    annual=622000, appropriation=572000, carryover=50000, annual_other=0,
    goal_total=(
        "围绕学习贯彻习近平新时代中国特色社会主义思想，实现全年党员轮训全覆盖、党组织书记任期内培训全覆盖；"
        "举办居村党组织书记示范培训班4期，开展直播授课16次，录制优秀党课10部，提升党员教育培训质量。"
    ),
    goal_year=(
        "2022年10月31日前完成4期示范培训班；每季度开展4次直播授课；"
        "2022年11月30日前完成10部优秀党课录制并上报市级资源平台。"
    ),
)

CLEAN_INDICATORS: list[tuple[Any, Any, Any, Any]] = [
    ("产出指标", "数量指标", "居村党组织书记示范培训班", "=4期"),
    (None, None, "党员直播授课", "≥16次"),
    (None, None, "录制优秀党课", "≥10部"),
    (None, "质量指标", "参训学员结业考核合格率", "≥95%"),
    (None, None, "培训课程评估优良率", "≥90%"),
    (None, "时效指标", "示范培训班完成时间", "2022年10月31日前"),
    (None, None, "优秀党课上报时间", "2022年11月30日前"),
    (None, "成本指标", "示范培训班每期成本", "≤80000元/期"),
    ("效益指标", "社会效益指标", "党员教育培训覆盖率", "=100%"),
    (None, "可持续影响指标", "优秀党课纳入市级资源库", "≥3部"),
    ("满意度指标", "服务对象满意度指标", "参训党员满意度", "≥90%"),
]

CLEAN_NARRATIVE = dict(
    overview=(
        "区党员电化教育中心拟于2022年实施基层党员教育培训项目，经测算，预算总资金62.2万元。"
        "其中居村党组织书记示范培训班32万元；党员直播授课18.2万元；优秀党课录制12万元。"
    ),
    basis="《中国共产党党员教育管理工作条例》《2019—2023年全国党员教育培训工作规划》",
    implementer="区党员电化教育中心",
    plan=(
        "1. 4月、9月、10月分4期举办居村党组织书记示范培训班；\n"
        "2. 每季度面向全区党员开展4次直播授课，每次4学时；\n"
        "3. 录制10部优秀党课，上报至本市智慧党建资源平台。"
    ),
    period="2022年1月至2022年12月",
    budget=(
        "示范培训班8万元/期×4期=32万元；直播授课1.1375万元/次×16次=18.2万元；"
        "党课录制1.2万元/部×10部=12万元；合计62.2万元。"
    ),
    performance="见绩效目标申报表",
)

CLEAN_BUDGET: list[tuple[Any, Any, Any, Any, Any]] = [
    ("居村党组织书记示范培训班", "场地、师资、教材，每期8万元", 80000, 4, 320000),
    ("党员直播授课", "直播平台及课程制作，每次11375元", 11375, 16, 182000),
    ("优秀党课录制", "拍摄、剪辑、字幕，每部12000元", 12000, 10, 120000),
]


def clean_spec(sheet: str = "项目1") -> ProjectSpec:
    return ProjectSpec(sheet=sheet, fields=dict(CLEAN_FIELDS), indicators=list(CLEAN_INDICATORS),
                       narrative=dict(CLEAN_NARRATIVE), budget=list(CLEAN_BUDGET))


def spec(fields: dict | None = None, indicators: list | None = None, narrative: dict | None = None,
         budget: list | None = None) -> ProjectSpec:
    """The clean form with some parts changed: ``fields``/``narrative`` are merged, lists replace."""
    s = clean_spec()
    s.fields.update(fields or {})
    s.narrative.update(narrative or {})
    if indicators is not None:
        s.indicators = copy.deepcopy(indicators)
    if budget is not None:
        s.budget = list(budget)
    return s


def with_row(index: int, row: tuple) -> list:
    """CLEAN_INDICATORS with one row replaced."""
    rows = list(CLEAN_INDICATORS)
    rows[index] = row
    return rows


def read(project: ProjectSpec, year: int = 2022, path: Path | None = None) -> ProjectForm:
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="bx-rules-")) / "form.xlsx"
    write_workbook(path, WorkbookSpec(year=year, projects=[project]))
    result = process_file(path, path.name)
    assert len(result.forms) == 1, result.record
    return result.forms[0]


def check(project: ProjectSpec | None = None, year: int = 2022, **parts) -> list[Finding]:
    """Findings of the project rules on ``project`` (or on ``spec(**parts)``)."""
    form = read(project if project is not None else spec(**parts), year)
    return check_project(form, Context.for_year(year))


def check_form(form: ProjectForm, year: int = 2022) -> list[Finding]:
    return check_project(form, Context.for_year(year))


def codes(findings: list[Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def of(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# ---------------------------------------------------------------- the clean form itself


def test_realistic_clean_form_has_no_error_and_no_warning():
    findings = check(clean_spec())
    assert [(f.code, f.cell, f.message) for f in findings if f.severity != "info"] == []


def test_clean_form_is_read_completely():
    """Guard the guard: the clean form really carries what the rules look at."""
    form = read(clean_spec())
    assert len(form.indicators) == len(CLEAN_INDICATORS)
    assert {i.level1 for i in form.indicators} == {"产出指标", "效益指标", "满意度指标"}
    assert [line.amount.value for line in form.budget_lines] == [320000, 182000, 120000]
    assert form.narrative["overview"].value.startswith("区党员电化教育中心")
    assert form.amount("annual") == 622000 and form.amount("carryover") == 50000
    assert all(i.value.kind == "quantitative" for i in form.indicators if i.level2 != "时效指标")


def test_clean_form_in_2025_framework_lacks_only_the_cost_level():
    """The same table checked as a 2025 form: 成本指标 must be a 一级 of its own."""
    findings = check(clean_spec(), year=2022)
    assert not of(findings, "I02")
    form = read(clean_spec(), year=2022)
    later = check_form(form, year=2025)
    assert {f.message for f in of(later, "I02")} == {"缺少“成本指标”下的绩效指标"}
