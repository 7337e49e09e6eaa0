"""M05–M08 (and S03 on budget lines): each fires on its case and stays quiet on the near miss."""

from __future__ import annotations

from decimal import Decimal

from budget_xls.rules.money import narrative_amounts
from tests.test_rules_factory import CLEAN_BUDGET, check, of

# ---------------------------------------------------------------- M05


def test_m05_sub_items_do_not_sum_to_the_total():
    overview = ("拟于2022年1月至12月实施党建工作专项经费，经测算，预算总资金约为379.2万元。其中党建工作经费项目，"
                "经测算，预算资金约100万元；党建服务中心专项经费，经测算，预算资金约232.5万元；"
                "基层党建培训经费项目，经测算，预算资金约62.2万元。")
    findings = check(fields=dict(total=3792000, fiscal=3792000, annual=3792000, appropriation=3742000),
                     narrative=dict(overview=overview, budget="（具体见表格）"), budget=[])
    m05 = of(findings, "M05")
    assert len(m05) == 1
    assert "100 + 232.5 + 62.2 = 394.7 万元" in m05[0].message and "379.2 万元" in m05[0].message
    assert m05[0].cell == "B55" and m05[0].severity == "warning"


def test_m05_total_disagrees_with_the_form():
    findings = check(narrative=dict(overview="经测算，预算总资金约为65万元。", budget="（具体见表格）"))
    [m05] = of(findings, "M05")
    assert "总额 65 万元与申报表 622,000.00 元不一致" in m05.message


def test_m05_budget_section_items_without_a_total_disagree_with_the_form():
    findings = check(narrative=dict(budget="示范培训班32万元；直播授课18.2万元；党课录制10万元。"))
    [m05] = of(findings, "M05")
    assert "年度预算安排" in m05.message and "60.2 万元" in m05.message


def test_m05_quiet_within_the_rounding_envelope():
    # 约62.2万元 covers 621,500–622,500 元; the form says 621,800.
    fields = dict(total=621800, fiscal=621800, annual=621800, appropriation=571800)
    budget = [CLEAN_BUDGET[0], CLEAN_BUDGET[1], ("优秀党课录制", "拍摄", 11980, 10, 119800)]
    findings = check(fields=fields, budget=budget,
                     narrative=dict(overview="经测算，预算总资金约62.2万元。", budget="（具体见表格）"))
    assert of(findings, "M05") == []


def test_m05_quiet_when_items_add_up_and_unit_prices_are_ignored():
    # The clean form's budget section has 8万元/期 and 1.1375万元/次: unit prices, not items.
    assert of(check(), "M05") == []


def test_narrative_amounts_envelope_and_total():
    amounts = narrative_amounts("预算总资金约为379.2万元，其中甲项目约100万元，乙约1,200.5万元，每人0.5万元/年")
    assert [(a.wan, a.half, a.is_total) for a in amounts] == [
        (Decimal("379.2"), Decimal("0.05"), True),
        (Decimal("100"), Decimal("0.5"), False),
        (Decimal("1200.5"), Decimal("0.05"), False),
    ]


# ---------------------------------------------------------------- M06


def test_m06_negative_and_three_decimals():
    findings = check(fields=dict(other=-100, total=621900, annual_other=0),
                     budget=[*CLEAN_BUDGET[:2], ("优秀党课录制", "拍摄", 12000, 10, "120000.005")])
    m06 = of(findings, "M06")
    assert {(f.cell, f.message) for f in m06} == {
        ("C9", "“其他资金（项目）” -100 为负数"),
        ("E67", "“年度预算安排第 67 行金额” 120000.005 超过两位小数"),
    }


def test_m06_quiet_on_cents_and_zero():
    fields = dict(total="622000.50", fiscal="622000.50", annual="622000.50", appropriation="572000.50")
    budget = [*CLEAN_BUDGET[:2], ("优秀党课录制", "拍摄", "12000.05", 10, "120000.50")]
    findings = check(fields=fields, budget=budget, narrative=dict(budget="（具体见表格）"))
    assert of(findings, "M06") == [] and of(findings, "M07") == []


# ---------------------------------------------------------------- M07


def test_m07_line_product_differs_from_amount():
    budget = [*CLEAN_BUDGET[:2], ("优秀党课录制", "拍摄", 12000, 10, 100000)]
    m07 = of(check(budget=budget), "M07")
    line = [f for f in m07 if f.cell == "E67"]
    assert len(line) == 1 and "单价 12,000.00 × 数量 10 = 120,000.00 元 ≠ 金额 100,000.00 元" in line[0].message
    # The lines now sum to 602,000: the 合计 is reported too (a second, distinct defect).
    total = [f for f in m07 if f.cell == "E77"]
    assert len(total) == 1 and "602,000.00 元 ≠ 年度资金申请总额 622,000.00 元" in total[0].message


def test_m07_lines_do_not_sum_to_the_annual_request():
    findings = check(fields=dict(total=650000, fiscal=650000, annual=650000, appropriation=600000),
                     narrative=dict(overview="预算总资金65万元。", budget="（具体见表格）"))
    [m07] = of(findings, "M07")
    assert m07.cell == "E77" and "相差 -28,000.00 元" in m07.message


def test_m07_quiet_when_lines_add_up_and_line_without_amount_uses_the_product():
    budget = [*CLEAN_BUDGET[:2], ("优秀党课录制", "拍摄", 12000, 10, None)]
    assert of(check(budget=budget), "M07") == []


def test_m07_and_m08_on_an_empty_budget_table():
    findings = check(budget=[], narrative=dict(budget="（具体见表格）"))
    assert of(findings, "M07") == []
    [m08] = of(findings, "M08")
    assert m08.severity == "info" and m08.cell == "A64"


def test_m08_quiet_when_the_table_has_lines():
    assert of(check(), "M08") == []


def test_s03_reports_an_unreadable_budget_amount():
    budget = [*CLEAN_BUDGET[:2], ("优秀党课录制", "拍摄", 12000, 10, "约12万")]
    [s03] = of(check(budget=budget), "S03")
    assert s03.cell == "E67" and "年度预算安排第 67 行金额" in s03.message
