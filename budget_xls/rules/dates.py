"""D: plan dates against each other and against the budget year."""

from __future__ import annotations

from budget_xls.model import ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.vocab import FIELD_LABELS_CN


@rule("D01", "error", "计划日期不在预算年度内", "{field} {date} 不在 {year} 年度内",
      "计划开始和完成日期应在 {year}-01-01 至 {year}-12-31 之间；跨年度项目请按本年度填写。")
def d01_outside_year(form: ProjectForm, ctx: Context):
    """计划开始日期 and 计划完成日期 must lie inside the budget year.

    Why: the form applies for one budget year's money; dates outside it are typos
    (2021 for 2022) or a project that belongs to another year's budget.

    Bad: 计划完成日期 2023-12-31 on a 2022 form.
    Good: 2022-01-01 → 2022-12-31.
    """
    for key in ("start", "end"):
        d = form.date(key)
        if d and d.year != ctx.year:
            yield Hit(cell=form.get(key).cell, value=d.isoformat(),
                      fields={"field": FIELD_LABELS_CN[key], "date": d.isoformat(), "year": ctx.year})


@rule("D02", "error", "开始日期晚于完成日期", "计划开始日期 {start} 晚于计划完成日期 {end}",
      "请核对计划开始日期和计划完成日期，是否填反。")
def d02_start_after_end(form: ProjectForm, ctx: Context):
    """计划开始日期 must not be after 计划完成日期.

    Why: the plan period is the frame for every deadline of the project.

    Bad: 计划开始日期 2022-12-31, 计划完成日期 2022-01-01.
    Good: 2022-01-01 → 2022-12-31.
    """
    start, end = form.date("start"), form.date("end")
    if start and end and start > end:
        yield Hit(cell=form.get("start").cell, value=start.isoformat(),
                  fields={"start": start.isoformat(), "end": end.isoformat()})


@rule("D04", "error", "日期不存在", "“{field}”填写的日期不存在：{raw}",
      "请填写真实存在的日期（如 9 月只有 30 日，2 月没有 30 日）。")
def d04_nonexistent_date(form: ProjectForm, ctx: Context):
    """A date that does not exist, such as 2022年9月31日 or 2月30日.

    Why: such a date is a typo; guessing the intended day would be wrong half the time.

    Bad: 计划完成日期 2022年9月31日.
    Good: 计划完成日期 2022年9月30日.
    """
    for key, f in form.fields.items():
        if f.error and f.error.startswith("nonexistent:"):
            yield Hit(cell=f.cell, value=f.raw, fields={"field": FIELD_LABELS_CN.get(key, key), "raw": f.raw})
