"""D01–D04 and S01–S04: each fires on its case and stays quiet on the near miss."""

from __future__ import annotations

import datetime as dt

import pytest

from budget_xls.rules.dates import text_dates
from tests.test_rules_factory import check, of, with_row

# ---------------------------------------------------------------- D01, D02


def test_d01_end_outside_the_year_and_quiet_inside():
    [d01] = of(check(fields=dict(end=dt.date(2023, 3, 31))), "D01")
    assert d01.cell == "E5"
    assert of(check(fields=dict(end=dt.date(2022, 11, 30))), "D01") == []


def test_d02_start_after_end_and_quiet_in_order():
    findings = check(fields=dict(start=dt.date(2022, 12, 1), end=dt.date(2022, 3, 1)))
    assert [f.cell for f in of(findings, "D02")] == ["B5"]
    assert of(findings, "D03") == []  # no deadline check against a reversed period
    assert of(check(), "D02") == []


# ---------------------------------------------------------------- D03


@pytest.mark.parametrize("goal, shown", [
    ("拟于2023年3月底前完成验收。", "2023年3月底前"),
    ("拟于2023年3月完成验收。", "2023年3月"),
    ("下半年组建调研组，拟于2023-01-15前完成验收。", "2023-01-15"),
])
def test_d03_deadline_in_goal_after_the_plan(goal, shown):
    [d03] = of(check(fields=dict(goal_year=goal)), "D03")
    assert d03.cell == "D11" and shown in d03.message and "2022-01-01 至 2022-12-31" in d03.message


def test_d03_month_without_year_against_a_short_plan_period():
    findings = check(fields=dict(end=dt.date(2022, 10, 31), goal_year="11月底前完成。"),
                     indicators=with_row(6, (None, None, "优秀党课上报时间", "9月底")))
    assert [(f.cell, f.severity) for f in of(findings, "D03")] == [("D11", "warning")]


def test_d03_indicator_value_outside():
    findings = check(indicators=with_row(6, (None, None, "优秀党课上报时间", "2023年1月31日前")))
    assert [f.cell for f in of(findings, "D03")] == ["E19"]


def test_d03_quiet_on_seed_style_deadlines():
    goal = ("物业费拟于2022年11月30日前完成；阵地建设拟于2022年7月31日前完成拨款，下半年于9月底前完成验收；"
            "2023年1月前完成结算。")
    assert of(check(fields=dict(goal_total=goal, goal_year="11月底前完成。")), "D03") == []


def test_d03_full_width_digits_are_read():
    [d03] = of(check(fields=dict(goal_year="拟于２０２３年３月底前完成验收。")), "D03")
    assert "2023年3月底前" in d03.message


def test_text_dates_without_a_digit_name_no_date():
    assert text_dates("年底前完成验收", 2022) == ()


def test_text_dates_month_end_and_before():
    [nov] = text_dates("11月底前完成", 2022)
    assert nov.earliest == nov.latest == dt.date(2022, 11, 30)
    [sep] = text_dates("9月底", 2022)
    assert sep.latest == dt.date(2022, 9, 30)
    [jan] = text_dates("2023年1月前", 2022)
    assert jan.latest == dt.date(2022, 12, 31)


# ---------------------------------------------------------------- D04


def test_d04_nonexistent_date_in_goal_text():
    [d04] = of(check(fields=dict(goal_year="拟于2022年9月31日前完成。")), "D04")
    assert d04.cell == "D11" and "9月31日" in d04.message
    assert of(check(fields=dict(goal_year="拟于2022年9月31日前完成。")), "D03") == []


def test_d04_nonexistent_date_in_a_field():
    [d04] = of(check(fields=dict(end="2022年2月30日")), "D04")
    assert d04.cell == "E5"


def test_d04_quiet_on_real_dates():
    assert of(check(fields=dict(goal_year="拟于2022年9月30日前完成；2月28日前启动。")), "D04") == []


# ---------------------------------------------------------------- S01, S02, S03, S04


def test_s01_empty_supervisor_and_blank_money_is_not_zero():
    findings = check(fields=dict(supervisor=None, carryover=None, appropriation=622000))
    assert {(f.cell, f.message) for f in of(findings, "S01")} == {
        ("B4", "必填项“主管部门”为空"), ("E8", "必填项“上年结转资金”为空")}


def test_s01_quiet_on_zero():
    assert of(check(fields=dict(other=0, annual_other=0)), "S01") == []


def test_s02_category_outside_the_list():
    [s02] = of(check(fields=dict(category="常规项目")), "S02")
    assert s02.cell == "E3" and "常规项目" in s02.message and s02.value == "常规项目"


def test_s02_quiet_with_stray_space():
    assert of(check(fields=dict(category="经常性 项目")), "S02") == []


def test_s03_unreadable_amount_and_quiet_on_thousands_separators():
    [s03] = of(check(fields=dict(total="约62万")), "S03")
    assert s03.cell == "C6"
    assert of(check(fields=dict(total="622,000.00")), "S03") == []


@pytest.mark.parametrize("fields, narrative, cell", [
    (dict(implementer="XX科"), {}, "E4"),
    (dict(goal_year="拟于XX月底前完成"), {}, "D11"),
    ({}, dict(implementer="待填"), "B57"),
])
def test_s04_placeholder_in_a_field(fields, narrative, cell):
    assert [f.cell for f in of(check(fields=fields, narrative=narrative), "S04")] == [cell]


def test_s04_quiet_on_real_text():
    assert of(check(fields=dict(implementer="区党员电化教育中心（XIN）")), "S04") == []

