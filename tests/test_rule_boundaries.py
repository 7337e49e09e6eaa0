"""Each rule at its edge, through a real workbook: the day before and after, equal and one
cent over, single-year and multi-year. A rule moved by a day or a cent, a term dropped from
an identity or a comparison reversed makes one of these fail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_xls.rules.indicators import SENTENCE_LEN
from tests.test_rules_factory import CLEAN_INDICATORS, check, of, spec, with_row

D = Decimal
Y = dt.date(2022, 1, 1), dt.date(2022, 12, 31)


def _money(**changes) -> dict:
    base = dict(total=622000, fiscal=622000, other=0, annual=622000, appropriation=572000, carryover=50000,
                annual_other=0)
    base.update(changes)
    return base


def _msgs(fields: dict | None = None, code: str = "", **parts) -> list[str]:
    return [f.message for f in of(check(fields=fields, **parts), code)]


# ---------------------------------------------------------------- M01 M02 M03 M04


@pytest.mark.parametrize("money, message", [
    (_money(), None),
    (_money(total=622000, fiscal=600000, other=22000, annual=600000, appropriation=550000, carryover=50000), None),
    (_money(total=D("622000.01"), annual=D("622000.01"), appropriation=D("572000.01")),
     "项目资金总额 622,000.01 元 ≠ 财政资金 622,000.00 元 + 其他资金 0.00 元（相差 0.01 元）"),
    (_money(total=D("621999.99"), annual=D("621999.99"), appropriation=D("571999.99")),
     "项目资金总额 621,999.99 元 ≠ 财政资金 622,000.00 元 + 其他资金 0.00 元（相差 -0.01 元）"),
    (_money(fiscal=600000, other=D("22000.01")),
     "项目资金总额 622,000.00 元 ≠ 财政资金 600,000.00 元 + 其他资金 22,000.01 元（相差 -0.01 元）"),
])
def test_m01_project_identity_to_the_cent(money, message):
    assert _msgs(money, "M01") == ([message] if message else [])


@pytest.mark.parametrize("money, diff", [
    (_money(), None),
    (_money(appropriation=0, carryover=622000), None),
    (_money(appropriation=500000, carryover=50000, annual_other=72000, other=72000, fiscal=550000), None),
    (_money(appropriation=D("572000.01")), "-0.01"),
    (_money(carryover=D("50000.01")), "-0.01"),
    (_money(appropriation=500000, carryover=50000, annual_other=D("72000.01"), other=72000, fiscal=550000), "-0.01"),
    (_money(carryover=D("49999.99")), "0.01"),
])
def test_m02_annual_identity_every_term(money, diff):
    found = _msgs(money, "M02")
    assert len(found) == (1 if diff else 0)
    if diff:
        assert found[0].endswith(f"（相差 {diff} 元）")


@pytest.mark.parametrize("annual, fires", [(622000, False), (D("622000.01"), True), (D("621999.99"), False)])
def test_m03_annual_equal_to_total_passes_one_cent_over_fires(annual, fires):
    money = _money(annual=annual, appropriation=annual - 50000)
    found = _msgs(money, "M03")
    assert found == ([f"年度资金申请总额 {annual:,.2f} 元大于项目资金总额 622,000.00 元"] if fires else [])


@pytest.mark.parametrize("start, end, fires", [
    (Y[0], Y[1], True),                        # single-year: the totals should agree
    (dt.date(2022, 6, 1), dt.date(2022, 6, 1), True),
    (dt.date(2021, 12, 31), Y[1], False),      # starts the day before the year: multi-year
    (Y[0], dt.date(2023, 1, 1), False),        # ends the day after: multi-year
])
def test_m04_single_year_only(start, end, fires):
    money = _money(total=700000, fiscal=700000)
    found = _msgs(dict(money, start=start, end=end), "M04")
    assert found == (["项目在 2022 年度内开始并完成，但项目资金总额 700,000.00 元 ≠ 年度资金申请总额 622,000.00 元"]
                     if fires else [])


def test_m04_equal_totals_one_cent_apart():
    assert _msgs(_money(), "M04") == []
    money = _money(annual=D("621999.99"), appropriation=D("571999.99"))
    assert len(_msgs(money, "M04")) == 1


# ---------------------------------------------------------------- M06 M07


@pytest.mark.parametrize("other, problem", [
    (0, None), (D("0.01"), None), (D("0.10"), None), (D("0.001"), "超过两位小数"), (D("-0.01"), "为负数"),
])
def test_m06_cents_and_sign(other, problem):
    money = _money(other=other, total=622000 + other, annual=622000 + other, annual_other=other)
    found = _msgs(money, "M06")
    if problem is None:
        assert found == []
    else:
        assert f"“其他资金（项目）” {other} {problem}" in found
        assert f"“其他资金（年度）” {other} {problem}" in found


@pytest.mark.parametrize("amount, fires", [(320000, False), (D("320000.01"), True), (D("319999.99"), True)])
def test_m07_line_is_price_times_quantity(amount, fires):
    budget = [("居村党组织书记示范培训班", "每期8万元", 80000, 4, amount),
              ("党员直播授课", "每次11375元", 11375, 16, 182000),
              ("优秀党课录制", "每部12000元", 12000, 10, D("120000") - (amount - 320000))]
    found = _msgs(code="M07", budget=budget)
    if not fires:
        assert found == []
    else:
        diff = 320000 - amount
        assert found[0] == (f"年度预算安排第 65 行“居村党组织书记示范培训班”：单价 80,000.00 × 数量 4 = 320,000.00 元"
                            f" ≠ 金额 {amount:,.2f} 元（相差 {diff} 元）")
        assert len(found) == 2  # the other line's amount was moved the other way


# ---------------------------------------------------------------- D01 D02


@pytest.mark.parametrize("start, end, cells", [
    (Y[0], Y[1], []),
    (dt.date(2021, 12, 31), Y[1], ["计划开始日期 2021-12-31 不在 2022 年度内"]),
    (Y[0], dt.date(2023, 1, 1), ["计划完成日期 2023-01-01 不在 2022 年度内"]),
])
def test_d01_single_year_day_before_and_after(start, end, cells):
    assert _msgs(dict(start=start, end=end), "D01") == cells


MULTI = _money(total=1866000, fiscal=1866000)  # a cumulative total: a multi-year project


@pytest.mark.parametrize("start, end, cells", [
    (dt.date(2021, 1, 1), dt.date(2023, 12, 31), []),
    (dt.date(2020, 1, 1), Y[0], []),                     # ends on the first day of the year
    (Y[1], dt.date(2024, 12, 31), []),                   # starts on the last day
    (dt.date(2020, 1, 1), dt.date(2021, 12, 31), ["计划完成日期 2021-12-31 不在 2022 年度内"]),
    (dt.date(2023, 1, 1), dt.date(2024, 12, 31), ["计划开始日期 2023-01-01 不在 2022 年度内"]),
])
def test_d01_multi_year_period_must_include_the_year(start, end, cells):
    assert _msgs(dict(MULTI, start=start, end=end), "D01") == cells


@pytest.mark.parametrize("category", ["阶段性项目", "跨年度项目"])
def test_d01_multi_year_by_category(category):
    fields = dict(category=category, start=dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    assert _msgs(fields, "D01") == []


@pytest.mark.parametrize("start, end, fires", [
    (dt.date(2022, 6, 1), dt.date(2022, 6, 1), False),
    (dt.date(2022, 6, 1), dt.date(2022, 6, 2), False),
    (dt.date(2022, 6, 2), dt.date(2022, 6, 1), True),
])
def test_d02_start_equal_to_end_passes_a_day_later_fires(start, end, fires):
    assert _msgs(dict(start=start, end=end), "D02") == (
        [f"计划开始日期 {start} 晚于计划完成日期 {end}"] if fires else [])


# ---------------------------------------------------------------- D03 D04


PLAN = dict(start=dt.date(2022, 3, 1), end=dt.date(2022, 11, 30))


@pytest.mark.parametrize("goal, outside", [
    ("拟于2022年3月1日启动", None),
    ("拟于2022年2月28日启动", "2022年2月28日"),
    ("拟于2022年11月30日前完成", None),
    ("拟于2022年12月1日前完成", "2022年12月1日前"),
    ("11月底前完成", None),
    ("12月前完成", None),               # before December: by 30 November
    ("2022-11-30完成", None),
    ("2022-12-01完成", "2022-12-01"),
    ("2月下旬启动", "2月下旬"),
    ("3月上旬启动", None),
])
def test_d03_text_dates_at_the_plan_edges(goal, outside):
    found = _msgs(dict(PLAN, goal_year=goal), "D03")
    assert found == ([f"“年度总目标”中的时间 {outside} 不在计划期 2022-03-01 至 2022-11-30 内"] if outside else [])


def test_d03_month_end_against_a_plan_ending_the_day_before():
    found = _msgs(dict(start=Y[0], end=dt.date(2022, 11, 29), goal_year="11月底前完成"), "D03")
    assert "“年度总目标”中的时间 11月底前 不在计划期 2022-01-01 至 2022-11-29 内" in found
    assert _msgs(dict(start=Y[0], end=dt.date(2022, 11, 30), goal_year="11月底前完成"), "D03") == []


@pytest.mark.parametrize("goal, bad", [
    ("拟于2022年9月30日前完成", None), ("拟于2022年9月31日前完成", "2022年9月31日前"),
    ("2月28日前完成", None), ("2月29日前完成", "2月29日前"), ("12月完成", None), ("13月完成", "13月"),
])
def test_d04_days_that_do_not_exist(goal, bad):
    found = _msgs(dict(goal_year=goal), "D04")
    assert found == ([f"“年度总目标”填写的日期不存在：{bad}"] if bad else [])


# ---------------------------------------------------------------- indicators at their edges


def _ind(row: int, value: str, name: str | None = None, code: str = "") -> list[str]:
    level1, level2, old_name, _ = CLEAN_INDICATORS[row]
    return _msgs(code=code, indicators=with_row(row, (level1, level2, name or old_name, value)))


@pytest.mark.parametrize("value, problem", [
    ("=100%", None), ("≤100%", None), ("=100.01%", "超过 100%"), ("≥101%", "超过 100%"), ("≥90", "没有使用 %（比率类指标）"),
])
def test_i06_rate_at_one_hundred(value, problem):
    found = _ind(10, value, code="I06")  # 参训党员满意度
    assert found == ([f"“参训党员满意度”的指标值“{value}”{problem}"] if problem else [])


@pytest.mark.parametrize("value, fires", [
    ("≤80000元/期", False), ("=80000元/期", False), ("<80000元/期", False),
    ("≥80000元/期", True), (">80000元/期", True), ("不少于80000元/期", True), ("不超过80000元/期", False),
    ("≥90%", False),
])
def test_i10_cost_ceiling_not_floor(value, fires):
    assert len(_ind(7, value, code="I10")) == (1 if fires else 0)


def test_i15_sentence_length_edge():
    assert SENTENCE_LEN == 16
    at = "达" * 16
    assert _ind(5, at, code="I15") == []
    assert len(_ind(5, at + "成", code="I15")) == 1
    assert len(_ind(5, "按时，完成", code="I15")) == 1


@pytest.mark.parametrize("value, i04, i05", [
    ("=3500册", 0, 0), ("=3500", 1, 0), ("3500册", 0, 1), ("3500", 1, 1), ("不少于3500册", 0, 0),
])
def test_i04_i05_unit_and_operator(value, i04, i05):
    findings = check(indicators=with_row(1, (None, None, "制作发放党支部工作手册", value)))
    assert (len(of(findings, "I04")), len(of(findings, "I05"))) == (i04, i05)


# ---------------------------------------------------------------- another publisher's form (vintage "other")


def _other(blank: tuple[str, ...] = (), absent: tuple[str, ...] = (), **dates):
    """The clean form read back, then shaped like another publisher's: parts left blank (the
    cell there, empty) or absent (no such line on the form)."""
    import dataclasses

    from tests.test_rules_factory import read

    form = read(spec(fields=dates or None))
    form.vintage = "other"
    for key in blank:
        form.fields[key] = dataclasses.replace(form.get(key), raw=None, value=None)
    for key in absent:
        form.fields.pop(key, None)
    return form


def _codes_of(form, code):
    from tests.test_rules_factory import check_form

    return [f.message for f in of(check_form(form), code)]


def test_other_publishers_blank_parts_count_as_zero():
    form = _other(blank=("carryover",))
    form.fields["appropriation"] = form.get("annual")  # 622000 = 622000 + (blank) + 0
    assert _codes_of(form, "M02") == []
    form = _other(blank=("other",))  # 622000 = 622000 + (blank)
    assert _codes_of(form, "M01") == []


def test_other_publishers_blank_part_still_has_to_add_up():
    form = _other(blank=("carryover",))  # 622000 ≠ 572000 + 0 + 0
    assert _codes_of(form, "M02") == [
        "年度资金申请总额 622,000.00 元 ≠ 当年财政拨款 572,000.00 元 + 上年结转资金 0.00 元 + 其他资金 0.00 元（相差 50,000.00 元）"]


def test_other_publishers_absent_part_counts_as_zero_but_not_a_blank_total():
    form = _other(absent=("annual_other",))
    assert _codes_of(form, "M02") == []
    form = _other(blank=("annual",))  # the total itself blank: nothing to check against
    assert _codes_of(form, "M02") == []
    form = _other(blank=("appropriation", "carryover", "annual_other"))  # no part on the form: nothing to add
    assert _codes_of(form, "M02") == []


def test_on_our_template_a_blank_part_is_never_zero():
    import dataclasses

    from tests.test_rules_factory import read

    form = read(spec())
    form.fields["carryover"] = dataclasses.replace(form.get("carryover"), raw=None, value=None)
    form.fields["appropriation"] = form.get("annual")
    assert _codes_of(form, "M02") == []  # blank → not checked (S01 asks for it), not read as 0
    form.fields["appropriation"] = dataclasses.replace(form.get("annual"), value=Decimal(1))
    assert _codes_of(form, "M02") == []


def test_other_publishers_multi_year_by_plan_period():
    # no 经常性/一次性 category to say otherwise: a period over several years is multi-year
    form = _other(start=dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    assert _codes_of(form, "D01") == []
    form = _other(start=dt.date(2022, 1, 1), end=dt.date(2023, 12, 31))
    assert _codes_of(form, "D01") == []
    later = _other(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert _codes_of(later, "D01") == ["计划开始日期 2023-01-01 不在 2022 年度内", "计划完成日期 2023-12-31 不在 2022 年度内"]


def test_other_publishers_form_without_plan_dates_has_no_d03():
    form = _other(absent=("start", "end"))
    form.fields["goal_year"] = _with_text(form.get("goal_year"), "2023年3月底前完成验收")
    assert _codes_of(form, "D03") == []
    form.vintage = "template"
    assert len(_codes_of(form, "D03")) == 1  # our form: the budget year stands in for the plan


def _with_text(f, value):
    import dataclasses

    return dataclasses.replace(f, raw=value, value=value)


# ---------------------------------------------------------------- M05: the narrative's rounding envelope


def _m05(overview=None, budget=None, **money):
    narrative = {}
    if overview is not None:
        narrative["overview"] = overview
    if budget is not None:
        narrative["budget"] = budget
    return _msgs(money or None, "M05", narrative=narrative)


NO_AMOUNT = "按实际支出结算。"


@pytest.mark.parametrize("total, fires", [(622500, False), (D("622500.01"), True), (621500, False),
                                           (D("621499.99"), True)])
def test_m05_total_in_wan_within_half_its_last_digit(total, fires):
    money = _money(total=total, fiscal=total, annual=total, appropriation=total - 50000)
    found = _m05("经测算，预算总资金62.2万元。", NO_AMOUNT, **money)
    assert found == ([f"项目经费情况说明（项目概述）：总额 62.2 万元与申报表 {total:,.2f} 元不一致"] if fires else [])


@pytest.mark.parametrize("text, fires", [
    ("预算总资金62万元。", False),        # ± 5,000 元 around 620,000
    ("预算总资金62.20万元。", False),     # exactly 622,000
    ("预算总资金62.19万元。", True),      # ± 50 元 around 621,900
    ("项目预算62.3万元。", True),          # a single amount is the total even without a total word
    ("培训班50万元，授课12.3万元。", False),  # two items in the overview are not checked against the form
])
def test_m05_total_precision(text, fires):
    assert len(_m05(text, NO_AMOUNT)) == (1 if fires else 0)


@pytest.mark.parametrize("last, fires", [("12.02", False), ("12.03", True), ("11.98", False), ("11.97", True)])
def test_m05_items_against_their_total(last, fires):
    text = f"示范培训班32.00万元；直播授课18.20万元；党课录制{last}万元；合计62.20万元。"
    found = _m05(NO_AMOUNT, text)
    terms = f"32 + 18.2 + {Decimal(last).normalize()}"
    assert found == ([f"项目经费情况说明（年度预算安排）：分项 {terms} = {Decimal('50.2') + Decimal(last)} 万元，"
                      f"与总额 62.2 万元不一致"] if fires else [])


def test_m05_two_items_without_a_total_against_the_form():
    assert _m05(NO_AMOUNT, "培训班50.00万元；直播授课12.20万元。") == []
    assert _m05(NO_AMOUNT, "培训班50.00万元；直播授课12.30万元。") == [
        "项目经费情况说明（年度预算安排）：各项 50 + 12.3 = 62.3 万元，与申报表 622,000.00 元不一致"]


def test_m05_total_and_two_items():
    assert len(_m05(NO_AMOUNT, "培训班50.00万元；授课12.30万元；合计62.20万元。")) == 1
    assert _m05(NO_AMOUNT, "培训班50.00万元；授课12.20万元；合计62.20万元。") == []


def test_m05_a_total_word_counts_within_twenty_characters_of_its_clause():
    near = "总额" + "为" * 18 + "62.3万元；培训班50.00万元；授课12.20万元。"
    far = "总额" + "为" * 19 + "62.3万元；培训班50.00万元；授课12.20万元。"
    assert len(_m05(NO_AMOUNT, near)) == 2  # 62.3 is the total: off the form and off its items
    assert _m05(NO_AMOUNT, far) == [
        "项目经费情况说明（年度预算安排）：各项 62.3 + 50 + 12.2 = 124.5 万元，与申报表 622,000.00 元不一致"]


# ---------------------------------------------------------------- D03: parts of a month


@pytest.mark.parametrize("goal, outside", [
    ("11月上旬完成", None), ("11月中旬完成", None), ("11月下旬完成", None), ("11月初完成", None),
    ("12月初完成", "12月初"), ("12月上旬完成", "12月上旬"), ("3月份启动", None), ("2月底启动", "2月底"),
])
def test_d03_parts_of_a_month(goal, outside):
    found = _msgs(dict(PLAN, goal_year=goal), "D03")
    assert found == ([f"“年度总目标”中的时间 {outside} 不在计划期 2022-03-01 至 2022-11-30 内"] if outside else [])


@pytest.mark.parametrize("end, goal, fires", [
    (dt.date(2022, 11, 11), "11月中旬完成", False), (dt.date(2022, 11, 10), "11月中旬完成", True),
    (dt.date(2022, 11, 1), "11月上旬完成", False), (dt.date(2022, 10, 31), "11月上旬完成", True),
    (dt.date(2022, 11, 1), "11月初完成", False), (dt.date(2022, 10, 31), "11月初完成", True),
    (dt.date(2022, 11, 21), "11月下旬完成", False), (dt.date(2022, 11, 20), "11月下旬完成", True),
])
def test_d03_parts_of_a_month_at_the_plan_end(end, goal, fires):
    """A part of a month is outside only when all of it is: 中旬 is the 11th to the 20th."""
    found = [m for m in _msgs(dict(start=Y[0], end=end, goal_year=goal), "D03") if m.startswith("“年度总目标”")]
    assert len(found) == (1 if fires else 0)


@pytest.mark.parametrize("start, goal, fires", [
    (dt.date(2022, 11, 10), "11月上旬启动", False), (dt.date(2022, 11, 11), "11月上旬启动", True),
    (dt.date(2022, 11, 20), "11月中旬启动", False), (dt.date(2022, 11, 21), "11月中旬启动", True),
    (dt.date(2022, 11, 10), "11月初启动", False), (dt.date(2022, 11, 11), "11月初启动", True),
])
def test_d03_parts_of_a_month_at_the_plan_start(start, goal, fires):
    found = [m for m in _msgs(dict(start=start, end=Y[1], goal_year=goal), "D03") if m.startswith("“年度总目标”")]
    assert len(found) == (1 if fires else 0)


def test_d03_and_d04_read_indicator_names_and_values():
    rows = with_row(5, (None, "时效指标", "2023年1月5日前完成结项", "2022年9月31日前"))
    findings = check(indicators=rows)
    assert [f.message for f in of(findings, "D03")] == [
        "“三级指标”中的时间 2023年1月5日前 不在计划期 2022-01-01 至 2022-12-31 内"]
    assert [f.message for f in of(findings, "D04")] == ["“指标值（2023年1月5日前完成结项）”填写的日期不存在：2022年9月31日前"]


# ---------------------------------------------------------------- what the findings carry, and partial input


def test_m03_finding_shows_the_annual_amount():
    money = _money(annual=D("622000.01"), appropriation=D("572000.01"))
    (m03,) = of(check(fields=money), "M03")
    assert m03.value == "622000.01" and m03.cell == "E6"


def test_m04_without_a_start_date_is_not_judged():
    money = _money(total=700000, fiscal=700000)
    findings = check(fields=dict(money, start=None))
    assert of(findings, "M04") == [] and [f.code for f in of(findings, "S01")] == ["S01"]


def test_m06_budget_lines_quantity_may_have_decimals_price_not():
    budget = [("居村党组织书记示范培训班", "每期8万元", D("80000.001"), 4, D("320000.00")),
              ("党员直播授课", "每次11375元", 11375, D("16.125"), D("183421.88")),
              ("优秀党课录制", "每部12000元", 12000, -10, -120000)]
    found = _msgs(code="M06", budget=budget)
    assert "“年度预算安排第 65 行单价” 80000.001 超过两位小数" in found
    assert not any("第 66 行数量" in m for m in found)
    assert "“年度预算安排第 67 行数量” -10 为负数" in found and "“年度预算安排第 67 行金额” -120000 为负数" in found


def test_m07_a_line_without_quantity_counts_its_amount():
    budget = [("居村党组织书记示范培训班", "每期8万元", 80000, None, 320000),
              ("党员直播授课", "每次11375元", None, None, 182000),
              ("优秀党课录制", "每部12000元", 12000, 10, None)]  # 单价 × 数量 stands in for the blank amount
    assert _msgs(code="M07", budget=budget) == []
    budget[2] = ("优秀党课录制", "每部12000元", 12000, 11, None)
    assert _msgs(code="M07", budget=budget) == [
        "年度预算安排明细合计：634,000.00 元 ≠ 年度资金申请总额 622,000.00 元（相差 12,000.00 元）"]


def test_d03_blank_start_means_the_first_of_january():
    found = [m for m in _msgs(dict(start=None, end=Y[1], goal_year="2022年1月1日启动"), "D03")
             if m.startswith("“年度总目标”")]
    assert found == []
    found = _msgs(dict(start=Y[0], end=None, goal_year="2023年1月1日完成"), "D03")
    assert "“年度总目标”中的时间 2023年1月1日 不在计划期 2022-01-01 至 2022-12-31 内" in found


def test_d03_a_one_day_plan_still_holds_its_dates():
    day = dt.date(2022, 6, 1)
    found = [m for m in _msgs(dict(start=day, end=day, goal_year="2022年7月1日完成"), "D03")
             if m.startswith("“年度总目标”")]
    assert found == ["“年度总目标”中的时间 2022年7月1日 不在计划期 2022-06-01 至 2022-06-01 内"]


def test_d03_a_whole_month_is_inside_when_its_first_day_is():
    plan = dict(start=Y[0], end=dt.date(2022, 3, 1))
    assert [m for m in _msgs(dict(plan, goal_year="3月份启动"), "D03") if m.startswith("“年度总目标”")] == []


def test_d03_a_goal_that_is_a_number_is_not_read_as_text():
    findings = check(fields=dict(goal_year=20230101))
    assert [f for f in findings if f.code in ("D03", "D04") and f.cell == "D11"] == []


@pytest.mark.parametrize("code, goal", [("D03", "2023年3月1日完成验收；"), ("D04", "2022年9月31日完成验收；")])
def test_long_texts_are_shown_cut_at_200_characters(code, goal):
    text = goal + "继续推进各项工作" * 40
    (finding,) = [f for f in of(check(fields=dict(goal_year=text)), code) if f.cell == "D11"]
    assert finding.value == text[:200]


def test_m05_long_narrative_is_shown_cut_at_200_characters():
    text = "经测算，预算总资金62.3万元。" + "按计划推进" * 60
    (finding,) = _m05_findings(text)
    assert finding.value == text[:200]


def _m05_findings(overview):
    return of(check(narrative={"overview": overview, "budget": NO_AMOUNT}), "M05")


# ---------------------------------------------------------------- S01–S04 by the form in hand


def test_s01_our_template_asks_for_every_part():
    assert _msgs(dict(carryover=None), "S01") == ["必填项“上年结转资金”为空"]


def test_s01_other_publishers_parts_beside_a_filled_total_mean_none():
    form = _other(blank=("carryover",))
    assert _codes_of(form, "S01") == []
    form = _other(blank=("carryover", "annual"))  # the total blank too: both are asked for
    assert _codes_of(form, "S01") == ["必填项“年度资金申请总额”为空", "必填项“上年结转资金”为空"]
    form = _other(blank=("name",))  # not money: always asked for
    assert _codes_of(form, "S01") == ["必填项“项目名称”为空"]


def test_s01_other_publishers_part_without_its_total_on_the_form():
    form = _other(blank=("carryover",), absent=("annual",))
    assert _codes_of(form, "S01") == []


@pytest.mark.parametrize("category, vintage, fires", [
    ("经常性项目", "template", False), ("一次性项目", "template", False), ("经常 性项目", "template", False),
    ("阶段性项目", "template", True), ("阶段性项目", "shanghai", True), ("阶段性项目", "other", False),
    ("专项业务费", "other", False),
])
def test_s02_category_list_by_vintage(category, vintage, fires):
    from tests.test_rules_factory import read

    form = read(spec(fields=dict(category=category)))
    form.vintage = vintage
    found = _codes_of(form, "S02")
    assert found == ([f"“项目类别”的值“{category}”不在允许范围内（经常性项目、一次性项目）"] if fires else [])


def test_s02_a_shanghai_form_with_nature_judges_nature_not_category():
    import dataclasses

    from tests.test_rules_factory import read

    form = read(spec(fields=dict(category="专项业务费")))
    form.vintage = "shanghai"
    form.labels = tuple(form.labels) + ("nature",)
    form.fields["nature"] = dataclasses.replace(form.get("category"), raw="跨年项目", value="跨年项目")
    assert _codes_of(form, "S02") == ["“项目性质”的值“跨年项目”不在允许范围内（经常性项目、阶段性项目、一次性项目）"]
    form.fields["nature"] = dataclasses.replace(form.get("category"), raw="阶段性项目", value="阶段性项目")
    assert _codes_of(form, "S02") == []


@pytest.mark.parametrize("value, fires", [("约62万", True), ("622,000.00", False), ("六十二万", True)])
def test_s03_unreadable_amounts(value, fires):
    found = _msgs(dict(other=value), "S03")
    assert len(found) == (1 if fires else 0)
    if fires:
        assert found[0] == f"“其他资金（项目）”无法识别为金额：{value}"


def test_s03_not_for_days_that_do_not_exist():
    findings = check(fields=dict(end="2022年9月31日"))
    assert of(findings, "S03") == [] and [f.message for f in of(findings, "D04")] == [
        "“计划完成日期”填写的日期不存在：2022年9月31日"]


def test_s03_budget_line_amount():
    budget = [("居村党组织书记示范培训班", "每期8万元", 80000, 4, "三十二万"), *CLEAN_BUDGET_REST]
    assert _msgs(code="S03", budget=budget) == ["“年度预算安排第 65 行金额”无法识别为金额：三十二万"]


CLEAN_BUDGET_REST = [("党员直播授课", "每次11375元", 11375, 16, 182000), ("优秀党课录制", "每部12000元", 12000, 10, 120000)]


@pytest.mark.parametrize("name, fires", [("XX项目", True), ("某某培训", True), ("待填", True), ("基层党员教育培训", False)])
def test_s04_placeholders_in_text_fields(name, fires):
    assert _msgs(dict(name=name), "S04") == ([f"“项目名称”中有占位内容：{name}"] if fires else [])


def test_s04_placeholder_in_the_narrative_cut_for_the_message():
    text = "XX" + "说明" * 150
    (finding,) = of(check(narrative={"basis": text}), "S04")
    assert finding.message == f"“立项依据”中有占位内容：{text[:60]}" and finding.value == text[:200]


def test_other_publishers_blank_total_is_not_zero_for_m03_m04():
    form = _other(blank=("total",))
    assert _codes_of(form, "M03") == [] and _codes_of(form, "M04") == []


def test_other_publishers_one_blank_part_is_zero_in_m01():
    import dataclasses

    form = _other(blank=("other",))
    form.fields["fiscal"] = dataclasses.replace(form.get("fiscal"), value=D(600000))
    assert _codes_of(form, "M01") == [
        "项目资金总额 622,000.00 元 ≠ 财政资金 600,000.00 元 + 其他资金 0.00 元（相差 22,000.00 元）"]
    form = _other(blank=("fiscal",))
    form.fields["other"] = dataclasses.replace(form.get("other"), value=D(600000))
    assert _codes_of(form, "M01") == [
        "项目资金总额 622,000.00 元 ≠ 财政资金 0.00 元 + 其他资金 600,000.00 元（相差 22,000.00 元）"]


def test_m05_items_without_a_total_within_their_rounding():
    money = _money(total=622500, fiscal=622500, annual=622500, appropriation=572500)
    assert _m05(NO_AMOUNT, "培训班50万元；授课12.2万元。", **money) == []  # ±0.55 万元 around 62.2


def test_m05_without_amounts_on_the_form_says_nothing():
    assert _m05("经测算，预算总资金62.3万元。", NO_AMOUNT, total=None, annual=None) == []


# ---------------------------------------------------------------- indicator rules: what each one looks at


def _ind_findings(rows, codes, year=2022):
    return [(f.code, f.cell, f.message) for f in check(indicators=rows, year=year) if f.code in codes]


def test_i09_message_names_the_level_it_sits_under():
    rows = with_row(1, (None, None, "局级干部体检费 1500 元/人", "规范"))
    assert _ind_findings(rows, {"I09", "I11", "I15"}) == [
        ("I09", "D14", "“局级干部体检费 1500 元/人”是成本金额，却填在“数量指标”下（指标值“规范”）")]


def test_i13_only_for_timeliness_indicators():
    assert _ind_findings(with_row(3, (None, "质量指标", "培训质量", "规范")), {"I13"}) == []
    assert [c for c, _, _ in _ind_findings(with_row(5, (None, "时效指标", "示范培训班完成时间", "及时")), {"I13"})] == ["I13"]


def test_i15_not_for_long_quantitative_values():
    assert _ind_findings(with_row(1, (None, None, "培训人次", "=1,234,567,890.12元/人次")), {"I15"}) == []


def test_i14_not_when_cost_is_a_level_of_its_own():
    rows = [r for r in CLEAN_INDICATORS if r[1] != "成本指标"]
    assert [c for c, _, _ in _ind_findings(rows, {"I14"})] == ["I14"]
    assert _ind_findings(rows, {"I14"}, year=2025) == []


def test_i16_a_named_row_without_value_still_covers_its_level():
    rows = [r for r in CLEAN_INDICATORS if r[2] != "优秀党课上报时间"]
    rows[5] = (None, "时效指标", "示范培训班完成时间", None)
    found = _ind_findings(rows, {"I16", "I03"})
    assert found == [("I03", "E18", "三级指标缺少年度指标值：示范培训班完成时间")]


def test_i03_a_value_without_a_name():
    assert _ind_findings(with_row(1, (None, None, None, "≥16次")), {"I03"}) == [("I03", "D14", "三级指标缺少名称：≥16次")]


def test_a_placeholder_value_is_i12_only():
    rows = with_row(10, ("满意度指标", "服务对象满意度指标", "参训党员满意度", "XX"))
    assert _ind_findings(rows, {"I12", "I11", "I06", "I15", "I03"}) == [
        ("I12", "E23", "三级指标指标值是占位内容“XX”")]


def test_s04_placeholder_in_a_field_cut_for_the_message():
    text = "XX" + "项目" * 150
    (finding,) = of(check(fields=dict(goal_total=text)), "S04")
    assert finding.message == f"“项目总目标”中有占位内容：{text[:60]}" and finding.value == text[:200]


def test_s01_hint_by_kind_of_field():
    findings = check(fields=dict(carryover=None, end=None, category=None, goal_year=None, implementer=None))
    hints = {f.message: f.hint for f in of(findings, "S01")}
    assert hints == {
        "必填项“上年结转资金”为空": "请填写“上年结转资金”（单位元）；没有的请填 0，空白不等于 0。",
        "必填项“计划完成日期”为空": "请填写“计划完成日期”，如 2022-01-01。",
        "必填项“项目类别”为空": "请填写“项目类别”，从下拉列表中选择：经常性项目、一次性项目。",
        "必填项“年度总目标”为空": "请填写“年度总目标”：写明要完成的工作、达到的数量和质量、完成时间。",
        "必填项“实施单位”为空": "请填写“实施单位”。",
    }


def test_m05_a_second_total_is_not_an_item():
    text = "总预算62.2万元：培训班32万元；授课30.2万元；合计62.2万元。"
    assert _m05(NO_AMOUNT, text) == []


def test_i02_a_cost_indicator_under_output_counts_on_another_publishers_form():
    from tests.test_rules_factory import check_form, read

    form = read(spec())
    assert [f.message for f in of(check_form(form, year=2025), "I02")] == ["缺少“成本指标”下的绩效指标"]
    form.vintage = "other"
    assert of(check_form(form, year=2025), "I02") == []
    form.vintage = "shanghai"
    assert len(of(check_form(form, year=2025), "I02")) == 1


# ---------------------------------------------------------------- I08: a name typed in the 二级 column


def _i_codes(rows, codes=("I01", "I03", "I08")):
    return [(f.code, f.cell, f.message) for f in check(indicators=rows) if f.code in codes and f.cell in ("C21", "D21")]


def test_i08_a_name_in_the_level2_column_from_seven_characters():
    """A nameless row whose 二级 cell holds text longer than a level name (6 characters, as
    可持续影响指标 without 指标) is a name typed one column left: I08, not I01 + I03."""
    six = _i_codes(with_row(8, (None, "培训覆盖情况", None, "=100%")))
    assert [c for c, _, _ in six] == ["I01", "I03"]
    seven = _i_codes(with_row(8, (None, "培训覆盖率情况", None, "=100%")))
    assert seven == [("I08", "C21", "指标行错位：二级指标列填的是指标名称“培训覆盖率情况”（本行另有：=100%）")]


def test_i08_for_the_first_row_of_the_group_only():
    rows = list(CLEAN_INDICATORS)
    rows[8] = (None, "党员教育培训覆盖情况", None, "=100%")
    rows[9] = (None, None, None, "≥3部")  # the next row, same 二级 group carried down: a nameless value
    found = [(f.code, f.cell) for f in check(indicators=rows) if f.code in ("I03", "I08")]
    assert found == [("I03", "D22"), ("I08", "C21")]


def test_shifted_rows_alike_with_and_without_a_run_context():
    from budget_xls.rules import Context
    from budget_xls.rules.indicators import shifted_rows
    from budget_xls.vocab import framework_for
    from tests.test_rules_factory import read

    form = read(spec(indicators=with_row(8, (None, "党员教育培训覆盖情况", None, "=100%"))))
    alone = shifted_rows(form)
    assert list(alone) == [20] and alone[20].cell == "C21" and alone[20].column == "二级指标"  # 0-based rows
    assert shifted_rows(form, Context(2022, framework_for(2022))) == alone


def test_i08_a_level_name_in_the_value_column_names_what_else_the_row_holds():
    found = [(f.code, f.cell, f.message) for f in check(indicators=with_row(1, (None, None, "党员直播授课", "效益指标")))
             if f.code == "I08"]
    assert found == [("I08", "E14", "指标行错位：年度指标值列填的是层级名称“效益指标”（本行另有：党员直播授课）")]


def test_a_nameless_value_is_judged_by_i03_alone():
    """A value without a name is one finding (I03); the value rules (unit, operator) wait for its name."""
    assert [(f.code, f.cell) for f in check(indicators=with_row(1, (None, None, None, "3500")))
            if f.cell == "D14"] == [("I03", "D14")]


# ---------------------------------------------------------------- M09: a 万元 figure in a 元 cell


def _m09(total, annual=None, overview="经测算，预算总资金62.2万元。", budget="（具体见表格）"):
    annual = total if annual is None else annual
    findings = check(fields=dict(total=total, fiscal=total, annual=annual, appropriation=annual, carryover=0),
                     narrative=dict(overview=overview, budget=budget), budget=[])
    return [(f.cell, f.message) for f in of(findings, "M09")]


def test_m09_both_totals_with_the_likely_amount():
    assert _m09(Decimal("62.2")) == [
        ("C6", "“项目资金总额”填写 62.2（单位元），与说明中的“62.2万元”数字相同：疑似把万元数填进了元栏，应为 622,000.00 元"),
        ("E6", "“年度资金申请总额”填写 62.2（单位元），与说明中的“62.2万元”数字相同：疑似把万元数填进了元栏，应为 622,000.00 元")]


@pytest.mark.parametrize("total, fires", [
    (Decimal("62.25"), True), (Decimal("62.15"), True),  # within the narrative's rounding (one decimal: ±0.05)
    (Decimal("62.26"), False), (Decimal("62.14"), False), (Decimal("0"), False),
])
def test_m09_within_the_narratives_rounding(total, fires):
    assert [c for c, _ in _m09(total, annual=Decimal("622000"))] == (["C6"] if fires else [])


def test_m09_quiet_when_the_narrative_agrees_in_yuan_or_has_no_amount():
    # 0.5 万元 and 5,000 元 agree: a small project typed correctly
    assert _m09(Decimal("5000"), overview="经测算，预算总资金0.5万元。") == []
    # 0.5 typed and 0.5 万元 said, while 5,000 元 is what it means: the error case
    assert [c for c, _ in _m09(Decimal("0.5"), overview="经测算，预算总资金0.5万元。")] == ["C6", "E6"]
    assert _m09(Decimal("62.2"), overview="经测算，项目资金按标准安排。", budget="（具体见表格）") == []
