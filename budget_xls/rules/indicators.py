"""I: the three-level performance-indicator table."""

from __future__ import annotations

from budget_xls.indicators import level_key
from budget_xls.model import ProjectForm
from budget_xls.rules import Context, Hit, rule


@rule("I02", "error", "缺少必需的一级指标", "缺少“{level1}”下的绩效指标",
      "产出指标、效益指标、满意度指标每类至少填写一条三级指标。")
def i02_missing_level1(form: ProjectForm, ctx: Context):
    """Each required 一级指标 (产出, 效益, 满意度 in 2022) must have at least one indicator.

    Why: the bureau reviews output, effect and satisfaction together; a missing class
    makes the target set incomplete.

    Bad: a table with only 产出指标 rows.
    Good: at least one row each under 产出指标, 效益指标 and 满意度指标.
    """
    present = {i.level1 for i in form.indicators if i.name or i.raw}
    for level1 in ctx.framework.required:
        if level1 not in present:
            yield Hit(cell=form.indicator_header, fields={"level1": level1})


@rule("I03", "error", "三级指标缺少名称或指标值", "三级指标{what}：{text}",
      "每条三级指标都要有名称和年度指标值；如整行错位，请把内容移回对应列。")
def i03_incomplete_indicator(form: ProjectForm, ctx: Context):
    """A 三级指标 without a name, or without a 年度指标值.

    Why: an indicator without a target cannot be evaluated at year end.

    Bad: 三级指标 “2022 年度内完成干部工作目标任务” with the value cell empty.
    Good: “干部工作目标任务完成率” with “=100%”.
    """
    fw = ctx.framework
    for ind in form.indicators:
        if ind.name and not ind.raw:
            yield Hit(cell=ind.cells["value"], fields={"what": "缺少年度指标值", "text": ind.name})
        elif ind.raw and not ind.name and not fw.is_level_name(level_key(ind.raw)):
            yield Hit(cell=ind.cells["name"], value=ind.raw, fields={"what": "缺少名称", "text": ind.raw})
