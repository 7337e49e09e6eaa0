"""S: required fields, values outside their lists, values that cannot be read."""

from __future__ import annotations

from budget_xls.model import ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.rules.indicators import is_placeholder
from budget_xls import fields
from budget_xls.vocab import NARRATIVE_SECTIONS


@rule("S01", "error", "必填项为空", "必填项“{field}”为空", "{fix}")
def s01_required(form: ProjectForm, ctx: Context):
    """A required field that the form has is left empty.

    Required: 项目名称, 项目类别, 主管部门, 实施单位, 计划开始/完成日期, every money cell of
    both columns, 项目总目标 and 年度总目标. A blank money cell is not 0. Only fields whose
    label is on the form are asked for: another publisher's form that has no 上年结转资金 line
    is not "empty" there (S05 lists what it lacks, as a hint). On such forms, a part of an
    amount (其中：财政拨款, 其他资金 …) left blank beside a filled total means none; on the
    Shanghai form and our template every money cell must be filled.

    Why: the finance bureau rejects incomplete forms (完整性), and a blank amount
    cannot be checked against the others.

    Bad: 主管部门 left blank (as 党建工作 and 干部工作 in the 2022 seed).
    Good: 主管部门 = 中共上海市松江区委组织部.
    """
    strict = form.vintage in ("template", "shanghai")
    for spec in fields.table():
        if not spec.required:
            continue
        f = form.get(spec.key)
        if f.error or f.cell is None:
            continue  # unreadable or uncached: S03/R03/D04; not on this form: S05
        if not f.blank:
            continue
        if not strict and spec.kind == fields.MONEY and spec.key not in ("total", "annual"):
            total = form.get("total" if spec.side == "life" else "annual")
            if not total.blank or total.cell is None:
                continue
        yield Hit(cell=f.cell, fields={"field": spec.display, "fix": _fix_for(spec)})


def _fix_for(spec) -> str:
    """The fix hint for an empty field, fitting its kind."""
    if spec.kind == fields.MONEY:
        return f"请填写“{spec.display}”（单位元）；没有的请填 0，空白不等于 0。"
    if spec.kind == fields.DATE:
        return f"请填写“{spec.display}”，如 2022-01-01。"
    if spec.kind == fields.CHOICE and spec.choices:
        return f"请填写“{spec.display}”，从下拉列表中选择：{'、'.join(spec.choices)}。"
    if spec.kind == fields.GOAL:
        return f"请填写“{spec.display}”：写明要完成的工作、达到的数量和质量、完成时间。"
    return f"请填写“{spec.display}”。"


@rule("S02", "error", "取值不在允许范围内", "“{field}”的值“{current}”不在允许范围内（{allowed}）",
      "请从下拉列表中选择：{allowed}。")
def s02_out_of_list(form: ProjectForm, ctx: Context):
    """A value that must come from a list is something else.

    项目类别 must be 经常性项目 or 一次性项目 on the 2022 Shanghai form and our template; 项目性质
    (the later Shanghai form, beside a 项目类别 of its own list) must be 经常性项目, 阶段性项目 or
    一次性项目. Other publishers' forms have lists of their own and are not judged. (Unknown
    indicator level names are I01.)

    Why: the category decides which checks apply (a 一次性项目 must finish in the year).

    Bad: 项目类别 = 常规项目.
    Good: 项目类别 = 经常性项目.
    """
    for spec in fields.of_kind(fields.CHOICE):
        f = form.get(spec.key)
        allowed = _allowed(form, spec)
        if f.value and allowed and f.value not in allowed and "".join(str(f.value).split()) not in allowed:
            yield Hit(cell=f.cell, value=f.raw,
                      fields={"field": spec.display, "current": f.value, "allowed": "、".join(allowed)})


def _allowed(form: ProjectForm, spec) -> tuple[str, ...]:
    """A list field's values in the form's vintage: 项目类别 on the 2022 Shanghai form and our template
    (经常性/一次性项目), 项目性质 on the later Shanghai form; other publishers' lists are not ours to judge."""
    if form.vintage == "template" or (form.vintage == "shanghai" and spec.key == "category"
                                      and "nature" not in form.labels):
        return spec.choices if spec.key == "category" else ()
    if form.vintage == "shanghai" and spec.key == "nature":
        return spec.choices
    return ()


@rule("S03", "error", "金额或日期无法识别", "“{field}”{reason}",
      "金额请填数字（单位元，如 1250000.00）；日期请填日期（如 2022-01-01）。")
def s03_unreadable_value(form: ProjectForm, ctx: Context):
    """An amount or a date is present but cannot be read as one.

    Covers the form's fields and the 单价/数量/金额 of the 年度预算安排 lines.
    Amounts may be numbers or text such as `1,250,000.00`; dates may be date cells,
    serial numbers or text such as `2022-01-01`, `2022/1/1`, `2022年1月1日`.

    Why: a value the machine cannot read cannot be checked or summed.

    Bad: 项目资金总额 = 约380万; 计划开始日期 = 年初.
    Good: 项目资金总额 = 3792000; 计划开始日期 = 2022-01-01.
    """
    for key, f in form.fields.items():
        if f.error and f.error != "uncached" and not f.error.startswith(("nonexistent:", "excel:")):
            yield Hit(cell=f.cell, value=f.raw, fields={"field": fields.display(key), "reason": f.error})
    for line in form.budget_lines:
        for what, f in (("单价", line.unit_price), ("数量", line.quantity), ("金额", line.amount)):
            if f.error and f.error != "uncached" and not f.error.startswith("excel:"):
                yield Hit(cell=f.cell, value=f.raw,
                          fields={"field": f"年度预算安排第 {line.row + 1} 行{what}", "reason": f.error})


@rule("S04", "error", "填写了占位内容", "“{field}”中有占位内容：{text}",
      "把“XX”“××”“待填”“某某”等占位内容换成实际内容。")
def s04_placeholder(form: ProjectForm, ctx: Context):
    """A text field or a narrative section still holds a placeholder: XX, ××, 待填, 待定, 某某 ….

    Fields: 项目名称, 主管部门, 实施单位, 项目总目标, 年度总目标, and the seven sections of
    项目经费情况说明. (Placeholders in the indicator table are I12.)

    Why: a placeholder is an unfilled field that looks filled; S01 cannot see it.

    Bad: 实施单位 “XX科”; 年度总目标 “拟于XX月底前完成”.
    Good: 实施单位 “干部教育科”; 年度总目标 “拟于2022年11月30日前完成”.
    """
    for spec in fields.of_kind(fields.TEXT, fields.GOAL):
        f = form.get(spec.key)
        if isinstance(f.value, str) and is_placeholder(f.value):
            yield Hit(cell=f.cell, value=f.value[:200], fields={"field": spec.display, "text": f.value[:60]})
    titles = dict(NARRATIVE_SECTIONS)
    for key, f in form.narrative.items():
        if isinstance(f.value, str) and is_placeholder(f.value):
            yield Hit(cell=f.cell, value=f.value[:200], fields={"field": titles.get(key, key), "text": f.value[:60]})
