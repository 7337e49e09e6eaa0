"""M: the funding arithmetic of the form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from decimal import Context as DecimalContext
from typing import Iterator

from budget_xls.model import BudgetLine, ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.textnorm import nfkc
from budget_xls import fields
from budget_xls.vocab import NARRATIVE_SECTIONS

NARRATIVE_TITLES = dict(NARRATIVE_SECTIONS)


def _all(form: ProjectForm, *keys: str, parts: bool = False):
    """The amounts of ``keys``, or None when one is missing.

    With ``parts`` (the first key a total, the rest its parts): on another publisher's form a part
    that is blank, or absent while another part is on the form (no 上年结转资金 line), counts as 0
    once the total is filled; on the Shanghai form and our template a blank is never 0 (S01).
    """
    values = [form.amount(k) for k in keys]
    if parts and form.vintage == "other" and values[0] is not None:
        on_form = [k for k in keys[1:] if form.get(k).cell is not None and form.amount(k) is not None]
        if on_form:
            values = [values[0]] + [v if v is not None or form.get(k).error else Decimal(0)
                                    for k, v in zip(keys[1:], values[1:])]
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
    values = _all(form, "total", "fiscal", "other", parts=True)
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
    values = _all(form, "annual", "appropriation", "carryover", "annual_other", parts=True)
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


# ---------------------------------------------------------------- narrative amounts (M05)

_WAN = Decimal(10000)
# An amount in 万元 in the narrative; "万元/人" and "每…万元" are unit prices, not totals.
_NARRATIVE_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*万元(?!\s*[/每])")
_TOTAL_WORDS = re.compile(r"总资金|总预算|预算总|总额|总计|合计|共计|共需|总经费|经费总|总投资|资金总")
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")
NARRATIVE_KEYS = ("overview", "budget")


@dataclass(frozen=True, slots=True)
class WanAmount:
    """An amount written in 万元, with the half-unit of its last digit (its rounding envelope)."""

    text: str
    wan: Decimal
    half: Decimal  # in 万元
    is_total: bool

    @property
    def yuan(self) -> Decimal:
        return self.wan * _WAN


def narrative_amounts(text: str) -> list[WanAmount]:
    return list(_narrative_amounts(text))


@lru_cache(maxsize=1024)  # M05 and M09 (twice) read the same narrative of each form; a WanAmount is immutable
def _narrative_amounts(text: str) -> tuple[WanAmount, ...]:
    text = nfkc(text)
    out: list[WanAmount] = []
    prev_end = 0
    for m in _NARRATIVE_AMOUNT.finditer(text):
        before = text[prev_end:m.start()]
        clause = _CLAUSE_END.split(before)[-1][-20:]
        prev_end = m.end()
        digits, frac = m.group(1).replace(",", ""), m.group(2) or ""
        places = len(frac) - 1 if frac else 0
        out.append(WanAmount(m.group(0), Decimal(digits + frac), Decimal(5) / Decimal(10) ** (places + 1),
                             bool(_TOTAL_WORDS.search(clause))))
    return tuple(out)


def _plain(n: Decimal) -> str:
    return format(n.normalize(), "f")


@rule("M05", "warning", "说明中的金额与申报表不一致", "项目经费情况说明（{section}）：{detail}",
      "说明中的金额以万元计，应与申报表（元）一致，分项之和应等于总额；请核对说明或申报表中的金额。")
def m05_narrative_amounts(form: ProjectForm, ctx: Context):
    """Amounts in the narrative (万元) disagree with the form (元), or its sub-items don't add up.

    In 一、项目概述 and 六、年度预算安排: the amount named as a total (预算总资金, 合计, 共计 …)
    is compared with 年度资金申请总额 and 项目资金总额 (agreeing with either is enough), and the
    other amounts of the same section, as sub-items, are added up and compared with that total.
    A lone amount counts as the total; in 年度预算安排, amounts without a named total are added
    up and compared with the form. Rounding is allowed: "约379.2万元" covers 3,791,500–3,792,500 元
    (half a unit of the last digit written, summed over the sub-items).

    Why: the narrative is what reviewers read first; a sub-budget that does not add up
    means either a line of work is over-funded or the form's total is wrong.

    Bad: 预算总资金约为379.2万元, sub-items 100 + 232.5 + 62.2 = 394.7 万元 (党建工作, 2022 seed).
    Good: 预算总资金62.2万元, of which 32 + 18.2 + 12 万元; form 622,000 元.
    """
    targets = [v for v in (form.amount("annual"), form.amount("total")) if v is not None]
    if wan_typed_as_yuan(form):
        targets = [t * _WAN for t in targets]  # M09 reports the cells; the narrative is then compared in 元
    for key in NARRATIVE_KEYS:
        f = form.narrative.get(key)
        if not f or not f.value or not f.cell:
            continue
        section = NARRATIVE_TITLES[key]
        for detail in _narrative_problems(narrative_amounts(str(f.value)), targets, key == "budget"):
            yield Hit(cell=f.cell, value=str(f.value)[:200], fields={"section": section, "detail": detail})


def wan_typed_as_yuan(form: ProjectForm) -> list[tuple[str, Decimal, WanAmount]]:
    """Money cells of a 元 form that hold a 万元 figure: the cell's number equals an amount the
    narrative gives in 万元 (379.2 in the cell, "预算总资金约为379.2万元" in 项目概述), while nothing
    in the narrative agrees with it read as 元. (key, the cell's amount, the narrative amount)."""
    if form.money_unit != "元":
        return []
    amounts = [a for key in NARRATIVE_KEYS if (f := form.narrative.get(key)) and f.value
               for a in narrative_amounts(str(f.value))]
    if not amounts:
        return []
    out = []
    for key in ("total", "annual"):
        v = form.amount(key)
        if v is None or v == 0:
            continue
        as_yuan = [a for a in amounts if abs(a.yuan - v) <= a.half * _WAN]
        as_wan = [a for a in amounts if abs(a.wan - v) <= a.half]
        if as_wan and not as_yuan:
            out.append((key, v, as_wan[0]))
    return out


@rule("M09", "error", "金额疑似以万元填入元栏", "“{field}”填写 {amount}（单位元），与说明中的“{text}”数字相同：疑似把万元数填进了元栏，应为 {likely} 元",
      "申报表金额单位为元：请把万元数乘以 10000 后填写（如 379.2 万元填 3792000）；同一栏目的财政资金、其他资金等也请一并核对。")
def m09_wan_in_yuan(form: ProjectForm, ctx: Context):
    """A 元 money cell holds a 万元 figure: its number equals an amount the narrative gives in 万元
    (项目概述 or 年度预算安排), and no narrative amount agrees with it read in 元.

    Small projects whose narrative agrees with the 元 figures (0.5 万元 and 5,000 元) stay quiet;
    so do forms in 万元 (their amounts are converted) and forms without a narrative.

    Why: 379.2 typed for 3,792,000 元 makes the project ten thousand times too small in every
    total of the department; the identities of the form (M01–M03) still hold, so nothing else
    catches it.

    Bad: 项目资金总额 379.2, 项目概述 “预算总资金约为379.2万元”.
    Good: 项目资金总额 3792000.
    """
    for key, amount, wan in wan_typed_as_yuan(form):
        yield Hit(cell=form.get(key).cell, value=amount,
                  fields={"field": fields.display(key), "amount": _plain(amount), "text": wan.text,
                          "likely": _yuan(amount * _WAN)})


def _narrative_problems(amounts: list[WanAmount], targets: list[Decimal], exhaustive: bool) -> Iterator[str]:
    totals = [a for a in amounts if a.is_total]
    if not totals and len(amounts) == 1:
        totals = amounts
    if totals:
        total = totals[0]
        items = [a for a in amounts if a is not total and not a.is_total]
        if targets and not _near(total.yuan, targets, total.half * _WAN):
            yield f"总额 {_plain(total.wan)} 万元与申报表 {_yuan(targets[0])} 元不一致"
        if len(items) >= 2:
            s = sum((a.wan for a in items), Decimal(0))
            tol = sum((a.half for a in items), total.half)
            if abs(s - total.wan) > tol:
                terms = " + ".join(_plain(a.wan) for a in items)
                yield f"分项 {terms} = {_plain(s)} 万元，与总额 {_plain(total.wan)} 万元不一致"
    elif exhaustive and len(amounts) >= 2 and targets:
        s = sum((a.wan for a in amounts), Decimal(0))
        if not _near(s * _WAN, targets, sum((a.half for a in amounts), Decimal(0)) * _WAN):
            terms = " + ".join(_plain(a.wan) for a in amounts)
            yield f"各项 {terms} = {_plain(s)} 万元，与申报表 {_yuan(targets[0])} 元不一致"


def _near(yuan: Decimal, targets: list[Decimal], tol: Decimal) -> bool:
    return any(abs(yuan - t) <= tol for t in targets)


def _yuan(n: Decimal) -> str:
    return f"{n:,.2f}"


# ---------------------------------------------------------------- amounts themselves (M06)

_CENT = Decimal("0.01")
# Amounts are < 10**15 (textnorm.MAX_AMOUNT) but 单价 × 数量 can reach 10**30: round in a
# context wide enough that quantize never overflows the default 28 digits.
WIDE = DecimalContext(prec=60)


def _money_cells(form: ProjectForm) -> Iterator[tuple[str, str | None, Decimal, bool]]:
    """(what, cell, amount, is_money) for every amount of the form and of the budget table."""
    for key in fields.money_keys():
        v = form.amount(key)
        if v is not None:
            yield fields.display(key), form.get(key).cell, v, True
    for line in form.budget_lines:
        label = f"年度预算安排第 {line.row + 1} 行"
        for what, f, is_money in (("单价", line.unit_price, True), ("数量", line.quantity, False),
                                  ("金额", line.amount, True)):
            if isinstance(f.value, Decimal):
                yield f"{label}{what}", f.cell, f.value, is_money


@rule("M06", "error", "金额为负数或超过两位小数", "“{field}” {amount} {problem}",
      "金额以元为单位，不小于 0，最多两位小数（到分）。")
def m06_bad_amount(form: ProjectForm, ctx: Context):
    """A negative amount (or 数量), or an amount with more than 2 decimals (finer than a 分).

    Covers the seven money cells and the 单价/数量/金额 of every 年度预算安排 line.

    Why: money in 元 is never negative on this form and is kept to the 分; a third
    decimal is a pasted formula result or a 万元 figure typed into a 元 cell.

    Bad: 其他资金 −5,000; 项目资金总额 3792000.456.
    Good: 其他资金 0; 项目资金总额 3792000.46.
    """
    for what, cell, value, is_money in _money_cells(form):
        if value < 0:
            problem = "为负数"
        elif is_money and value != value.quantize(_CENT, context=WIDE):
            problem = "超过两位小数"
        else:
            continue
        yield Hit(cell=cell, value=value, fields={"field": what, "amount": _plain(value), "problem": problem})


# ---------------------------------------------------------------- budget table (M07, M08)


def _product(line: BudgetLine) -> Decimal | None:
    p, q = line.unit_price.value, line.quantity.value
    if isinstance(p, Decimal) and isinstance(q, Decimal):
        return (p * q).quantize(_CENT, rounding=ROUND_HALF_UP, context=WIDE)
    return None


@rule("M07", "error", "年度预算安排明细不符", "年度预算安排{where}：{left} ≠ {right}（相差 {diff} 元）",
      "每行金额 = 单价 × 数量；各行金额之和应等于年度资金申请总额。")
def m07_budget_table(form: ProjectForm, ctx: Context):
    """The 年度预算安排 lines don't add up to 年度资金申请总额, or a line's 单价 × 数量 ≠ 金额.

    A line without 金额 counts with 单价 × 数量 when both are there. The sum is recomputed
    from the lines (a cached 合计 is never trusted). An entirely empty table is M08 (info),
    not this error; a form without a budget table at all (the official layout) is not checked.

    Why: the lines are the basis of the annual request; when they don't add up, either
    a line or the request is wrong.

    Bad: lines 320,000 + 182,000 + 120,000 = 622,000 with 年度资金申请总额 650,000;
    单价 12,000 × 数量 10 with 金额 100,000.
    Good: 80,000 × 4 = 320,000; lines summing to the 622,000 requested.
    """
    total = Decimal(0)
    counted = 0
    for line in form.budget_lines:
        product = _product(line)
        amount = line.amount.value if isinstance(line.amount.value, Decimal) else None
        if amount is not None and product is not None and amount != product:
            item = f"“{line.item}”" if line.item else ""
            yield Hit(cell=line.amount.cell, value=amount,
                      fields={"where": f"第 {line.row + 1} 行{item}",
                              "left": f"单价 {_yuan(line.unit_price.value)} × 数量 {_plain(line.quantity.value)} = {_yuan(product)} 元",
                              "right": f"金额 {_yuan(amount)} 元", "diff": _yuan(product - amount)})
        value = amount if amount is not None else product
        if value is not None:
            total += value
            counted += 1
    annual = form.amount("annual")
    if counted and annual is not None and total != annual:
        yield Hit(cell=form.budget_total.cell or form.get("annual").cell, value=total,
                  fields={"where": "明细合计", "left": f"{_yuan(total)} 元",
                          "right": f"年度资金申请总额 {_yuan(annual)} 元", "diff": _yuan(total - annual)})


@rule("M08", "info", "年度预算安排明细未填写", "年度预算安排明细表没有填写任何支出内容",
      "请逐行填写支出内容、测算依据、单价、数量和金额，合计应等于年度资金申请总额。")
def m08_budget_table_empty(form: ProjectForm, ctx: Context):
    """The form has a 年度预算安排 table, but not one line of it is filled.

    A hint, not an error: the official form has no such table and the narrative may
    describe the budget instead. Forms without the table are not reported.

    Why: without lines the annual request cannot be traced to its costs (适当性 review).

    Bad: the template's table left blank, 六、年度预算安排 “（具体见表格）”.
    Good: 示范培训班 80,000 × 4 = 320,000, … 合计 622,000.
    """
    if form.budget_header and not form.budget_lines:
        yield Hit(cell=form.budget_header)
