"""The drafted review (issue 18): a proposed grade per project with the findings behind it, per
dimension; rulebooks; the 目标审核 sheet, the batch health in 汇总 with its chart, the JSON and
the console summary."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pytest

from budget_xls import api, rulebooks
from budget_xls.rulebooks import GradeCap
from budget_xls.review import MANUAL, propose_grade
from budget_xls.rules import dimension_of
from tests.test_rules_factory import CLEAN_INDICATORS, check, spec, with_row


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    from tests.seed_data import EXAMPLES

    out = tmp_path_factory.mktemp("review") / "汇总.xlsx"
    result = api.consolidate(EXAMPLES, jobs=1)
    api.write_outputs(result, out)
    return result, out


def _review(result, name):
    (review,) = [r for r in result.reviews if r.form.name == name]
    return review


def test_each_seed_project_gets_a_proposed_grade_with_its_reasons(seed_run):
    result, _ = seed_run
    assert len(result.reviews) == len(result.projects) == 6
    for review in result.reviews:
        assert review.grade in ("优", "良", "中", "差") and review.reasons
        assert [d.dimension for d in review.dimensions] == ["完整性", "相关性", "适当性", "可行性"]
        for d in review.dimensions:  # what the form cannot show is always listed, never passed
            assert d.manual == MANUAL[d.dimension] and d.manual


def test_empty_supervisor_and_shifted_rows_are_not_graded_best(seed_run):
    result, _ = seed_run
    ganbu = _review(result, "干部工作")
    assert ganbu.grade == "中"
    completeness = {f.code for f in ganbu.dimensions[0].findings}
    assert {"S01", "I08"} <= completeness
    assert "完整性有错误" in ganbu.reasons[0]


def test_a_clean_seed_project_is_graded_best(seed_run):
    result, _ = seed_run
    kaifa = _review(result, "网络信息系统开发、升级、建设（历年已批复）")
    assert kaifa.grade == "优"
    assert all(f.severity == "info" for d in kaifa.dimensions for f in d.findings)


def test_the_grade_scheme_is_a_table_that_can_be_changed():
    from budget_xls.model import Finding

    def f(code, severity):
        return Finding(code, severity, "a.xlsx", "项目1", "A1", "甲", "m")

    findings = [f("S01", "error"), f("I04", "warning")]
    assert propose_grade(findings, rulebooks.DEFAULT_SCHEME)[0] == "中"
    assert propose_grade([f("I04", "warning")], rulebooks.DEFAULT_SCHEME)[0] == "良"
    assert propose_grade([f("Q02", "info")] * 2, rulebooks.DEFAULT_SCHEME)[0] == "优"
    assert propose_grade([f("Q02", "info")] * 3, rulebooks.DEFAULT_SCHEME)[0] == "良"
    strict = (GradeCap("差", "error", 1, dimension="完整性", reason="完整性有错误"),)
    grade, reasons = propose_grade(findings, strict)
    assert grade == "差" and reasons == ["完整性有错误 → 至多“差”"]


def test_quantified_share_and_vague_values_feed_the_review():
    rows = with_row(9, (None, "可持续影响指标", "优秀党课纳入市级资源库", "进一步提升"))
    rows[0] = ("产出指标", "数量指标", "居村党组织书记示范培训班", "明显增加")
    findings = check(indicators=rows)
    vague = [f for f in findings if f.code == "Q02"]
    assert len({f.cell for f in vague}) == 2 and {f.severity for f in vague} == {"info"}
    assert {f.message.split("（")[-1] for f in vague} == {"进一步）", "明显）"}


def test_cost_targets_above_the_annual_money_are_reported_after_converting_wan():
    above = check(indicators=with_row(7, (None, "成本指标", "项目总成本", "≤80万元")))
    (c01,) = [f for f in above if f.code == "C01"]
    assert "800,000.00" in c01.message and "622,000.00" in c01.message and c01.severity == "info"
    exact = check(indicators=with_row(7, (None, "成本指标", "项目总成本", "=62.2万元")))
    assert not [f for f in exact if f.code in ("C01", "C02")]


def test_unit_cost_times_quantity_against_the_total_cost():
    rows = CLEAN_INDICATORS[:8] + [(None, None, "项目总成本", "≤62.2万元")] + CLEAN_INDICATORS[8:]
    mismatch = check(indicators=rows)  # 8万元/期 × 4期 = 32万 as the only item of a 62.2万 total
    (c02,) = [f for f in mismatch if f.code == "C02"]
    assert "320,000.00" in c02.message and "622,000.00" in c02.message
    rows[7] = (None, "成本指标", "示范培训班每期成本", "≤155500元/期")  # × 4 = 622,000
    assert not [f for f in check(indicators=rows) if f.code == "C02"]


def test_a_rulebook_that_requires_cost_indicators_makes_them_warnings(tmp_path):
    from budget_xls.template import WorkbookSpec, write_workbook

    no_cost = spec(indicators=[r for r in CLEAN_INDICATORS if r[1] != "成本指标"])
    path = write_workbook(tmp_path / "a.xlsx", WorkbookSpec(year=2022, projects=[no_cost]))
    default = api.check([path], jobs=1)
    shanghai = api.check([path], jobs=1, rulebook="shanghai-2025")
    assert [f.severity for f in default.findings if f.code == "I14"] == ["info"]
    (i14,) = [f for f in shanghai.findings if f.code == "I14"]
    assert i14.severity == "warning" and "上海市" in i14.message
    assert default.reviews[0].grade == "优" and shanghai.reviews[0].grade == "良"
    with pytest.raises(api.RunError):
        api.check([path], rulebook="nowhere-1999")


def test_json_carries_dimensions_reviews_and_grade_counts(seed_run):
    _, out = seed_run
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert all(f["dimension"] == dimension_of(f["code"]) for f in report["findings"])
    assert sum(report["summary"]["proposed_grades"].values()) == 6
    ganbu = next(r for r in report["reviews"] if r["project"] == "干部工作")
    assert ganbu["proposed_grade"] == "中" and "参考" in ganbu["grade_note"]
    dims = {d["dimension"]: d for d in ganbu["dimensions"]}
    assert {"S01", "I08"} <= {f["code"] for f in dims["完整性"]["findings"]}
    assert dims["可行性"]["manual"] and ganbu["quantified"]["indicators"] > 0


def test_workbook_has_the_review_sheet_the_dimension_column_and_the_grade_chart(seed_run):
    result, out = seed_run
    wb = openpyxl.load_workbook(out)
    sheet = wb["目标审核"]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    for review in result.reviews:
        assert f"{review.form.name}" in text
    assert "需人工判断的内容" in text and "□ 绩效目标是否符合本单位职能和项目立项依据" in text
    grades = [(row[1].value or "")[:1] for row in sheet.iter_rows() if row[0].value == "建议等级"]
    assert grades == [r.grade for r in result.reviews] and "中" in grades
    # one row per dimension under each project's header row, as the bureau's 审核意见表 lays it out
    heads = [row[0].row for row in sheet.iter_rows() if row[0].value == "维度"]
    assert len(heads) == len(result.reviews)
    for head in heads:
        assert [sheet.cell(head + i, 1).value for i in range(1, 5)] == ["完整性", "相关性", "适当性", "可行性"]
    findings = wb["错误报告"]
    assert findings.cell(1, findings.max_column).value == "维度"
    assert {findings.cell(r, findings.max_column).value for r in range(2, findings.max_row + 1)} <= set(MANUAL)
    summary = wb["汇总"]
    cells = {c.value: c for row in summary.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(v.startswith("审核建议概况") for v in cells)
    formulas = [c.value for row in summary.iter_rows() for c in row
                if isinstance(c.value, str) and "建议" not in c.value and '"优"' in c.value]
    assert formulas and all(f.startswith("=COUNTIF") for f in formulas)
    with zipfile.ZipFile(out) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "stacked" in chart


def test_consolidate_prints_counts_by_grade(examples_copy, tmp_path, run_cli):
    result = run_cli("consolidate", examples_copy, "-o", tmp_path / "o.xlsx")
    line = next(x for x in result.stdout.splitlines() if x.startswith("建议等级"))
    assert line == "建议等级（机器初评）：优 1 个，良 2 个，中 3 个，差 0 个"


def test_the_review_measured_in_the_workers_equals_the_review_measured_here(seed_run):
    """The form-only measures (quantified share, vague values, costs) come from the reading
    workers; measured again in this process, every project's review is the same."""
    from dataclasses import replace

    from budget_xls.review import review_run

    result, _ = seed_run
    assert set(result.facts) == {f.key for f in result.projects}  # all measured where the files were read
    again = review_run(replace(result, facts={}))
    assert [r.to_json() for r in again] == [r.to_json() for r in result.reviews]


def test_a_dimension_with_many_findings_stays_within_one_printable_row():
    """Excel shows at most 409 points of a row: the findings that do not fit are counted, and
    the count points to 错误报告; the measured facts always come first."""
    from budget_xls.model import Finding
    from budget_xls.outputs.review_sheet import dimension_row
    from budget_xls.review import DimensionReview
    from budget_xls.textwidth import MAX_ROW_HEIGHT

    findings = [Finding(code="I04", severity="warning", file="a.xlsx", sheet="项目1", cell=f"E{20 + i}",
                        project="p", message=f"第{i}个指标“培训满意度调查结果”没有写明计量单位，请补充计量单位")
                for i in range(40)]
    d = DimensionReview("相关性", findings, ("人工判断的一项",), ["定量指标 3/7 个（43%）"])
    dimension, result, basis, manual, height = dimension_row(d)
    lines = basis.split("\n")
    assert lines[0] == "机器测算：定量指标 3/7 个（43%）" and manual == "□ 人工判断的一项"
    shown = [x for x in lines if x.startswith("警告 I04")]
    assert 5 <= len(shown) < 40 and lines[-1] == f"……另有 {40 - len(shown)} 条，见“错误报告”"
    assert height <= MAX_ROW_HEIGHT
    few = dimension_row(DimensionReview("相关性", findings[:2], (), []))
    assert few[2].count("\n") == 1 and "另有" not in few[2] and few[3] == ""
