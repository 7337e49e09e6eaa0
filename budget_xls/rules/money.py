"""M: the funding arithmetic of the form."""

from __future__ import annotations

from budget_xls.model import ProjectForm
from budget_xls.rules import Context, Hit, rule


def _all(form: ProjectForm, *keys: str):
    values = [form.amount(k) for k in keys]
    return None if any(v is None for v in values) else values


@rule("M01", "error", "项目资金总额与构成不符",
      "项目资金总额 {total} 元 ≠ 财政资金 {fiscal} 元 + 其他资金 {other} 元（相差 {diff} 元）",
      "项目资金总额应等于财政资金与其他资金之和，请核对这三个金额。")
def m01_project_total(form: ProjectForm, ctx: Context):
    """项目资金总额 must equal 其中：财政资金 + 其他资金 (the project-lifetime column).

    Why: the total is what the bureau budgets against; a total that is not the sum of
    its parts means one of the three figures is wrong.

    Bad: 项目资金总额 3,792,000 with 财政资金 3,700,000 and 其他资金 0.
    Good: 项目资金总额 3,792,000 = 3,792,000 + 0.
    """
    values = _all(form, "total", "fiscal", "other")
    if values and values[0] != values[1] + values[2]:
        total, fiscal, other = values
        yield Hit(cell=form.get("total").cell, value=total,
                  fields={"total": total, "fiscal": fiscal, "other": other, "diff": total - fiscal - other})


@rule("M02", "error", "年度资金申请总额与构成不符",
      "年度资金申请总额 {annual} 元 ≠ 当年财政拨款 {appropriation} 元 + 上年结转资金 {carryover} 元 + 其他资金 {other} 元（相差 {diff} 元）",
      "年度资金申请总额应等于当年财政拨款、上年结转资金与其他资金之和。")
def m02_annual_total(form: ProjectForm, ctx: Context):
    """年度资金申请总额 must equal 当年财政拨款 + 上年结转资金 + 其他资金 (the budget-year column).

    Why: the annual request is what the bureau appropriates this year.

    Bad: 年度资金申请总额 90,000 with 当年财政拨款 90,000 and 上年结转资金 90,000.
    Good: 年度资金申请总额 90,000 = 0 + 90,000 + 0 (a carried-over project).
    """
    values = _all(form, "annual", "appropriation", "carryover", "annual_other")
    if values and values[0] != values[1] + values[2] + values[3]:
        annual, appr, carry, other = values
        yield Hit(cell=form.get("annual").cell, value=annual,
                  fields={"annual": annual, "appropriation": appr, "carryover": carry, "other": other,
                          "diff": annual - appr - carry - other})


@rule("M03", "error", "年度申请超过项目总额",
      "年度资金申请总额 {annual} 元大于项目资金总额 {total} 元",
      "一年的申请不能超过项目全周期的总额，请核对两个总额。")
def m03_annual_exceeds_total(form: ProjectForm, ctx: Context):
    """年度资金申请总额 must not exceed 项目资金总额.

    Why: the annual request is a part of the project's total funding.

    Bad: 项目资金总额 90,000, 年度资金申请总额 120,000.
    Good: 项目资金总额 300,000 (three years), 年度资金申请总额 100,000.
    """
    values = _all(form, "annual", "total")
    if values and values[0] > values[1]:
        yield Hit(cell=form.get("annual").cell, value=values[0], fields={"annual": values[0], "total": values[1]})


@rule("M04", "warning", "单年度项目总额与年度申请不等",
      "项目在 {year} 年度内开始并完成，但项目资金总额 {total} 元 ≠ 年度资金申请总额 {annual} 元",
      "当年完成的项目，项目资金总额一般等于年度资金申请总额；如为跨年度项目请核对计划日期。")
def m04_single_year_mismatch(form: ProjectForm, ctx: Context):
    """A project that starts and ends inside the budget year should request its whole total this year.

    Never raised for multi-year projects (plan dates spanning years), whose total is cumulative.

    Why: a single-year project whose total differs from its annual request usually has a
    typo in one of the two totals.

    Bad: 2022-01-01 → 2022-12-31, 项目资金总额 500,000, 年度资金申请总额 400,000.
    Good: the same dates with both totals 400,000; or 2021-01-01 → 2023-12-31 with any split.
    """
    start, end = form.date("start"), form.date("end")
    values = _all(form, "total", "annual")
    if not (start and end and values):
        return
    if start.year == end.year == ctx.year and values[0] != values[1]:
        yield Hit(cell=form.get("annual").cell, value=values[1],
                  fields={"year": ctx.year, "total": values[0], "annual": values[1]})
