"""C: cost indicators (成本指标, 经济成本) against the money the form asks for.

Each cost indicator with a money unit is classified — 总成本 (the whole cost), 单位成本
(per person, per session: a unit such as 元/人) or 分项成本 (one item of the cost) — and its
value converted to 元 exactly (万元 × 10000, Decimal). The missing-cost hint is I14; a cost
target written as a floor (≥) is I10. These rules are hints by default; a rulebook that
requires cost indicators (shanghai-2025, central-2021) makes them warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budget_xls.model import Indicator, ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.rules.dates import multi_year
from budget_xls.rules.indicators import _is_cost, _valued, levels
from budget_xls.textnorm import squash

TOTAL, UNIT, ITEM = "总成本", "单位成本", "分项成本"
_MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "千元": Decimal(1000), "亿元": Decimal(100000000)}
_TOTAL_NAME = re.compile(r"总成本|总费用|总投入|总经费|总预算|总额|成本总|费用总|合计")
_UNIT_NAME = re.compile(r"单位成本|人均|户均|次均|均价|单价|平均|每[人户次场期个件项名天班所]")
QUANTITY = "数量指标"


@dataclass(frozen=True, slots=True)
class Cost:
    indicator: Indicator
    kind: str  # 总成本 | 单位成本 | 分项成本
    yuan: Decimal  # the value in 元 (per unit for a 单位成本)
    per: str | None  # a 单位成本's denominator: "人" for 元/人


def money_unit(unit: str | None) -> tuple[Decimal, str | None] | None:
    """(factor to 元, denominator) of a money unit: "万元" → (10000, None), "元/人" → (1, "人")."""
    if not unit:
        return None
    base, _, per = unit.partition("/")
    factor = _MONEY_UNITS.get(base.strip())
    if factor is None:
        return None
    return factor, (per.strip() or None) if per else None


def costs(form: ProjectForm, ctx: Context) -> list[Cost]:
    """Every cost indicator of the form with a money value, classified and in 元."""
    return ctx.remember("costs", form, lambda: list(_costs(form, ctx)))


def _costs(form: ProjectForm, ctx: Context):
    fw = ctx.framework
    for ind in _valued(form, ctx):
        v = ind.value
        if v.kind != "quantitative" or v.number is None or not _is_cost(ind, fw):
            continue
        money = money_unit(v.unit)
        if money is None:
            continue
        factor, per = money
        name = squash(ind.name or "")
        if per or _UNIT_NAME.search(name):
            kind = UNIT
        elif _TOTAL_NAME.search(name):
            kind = TOTAL
        else:
            kind = ITEM
        yield Cost(ind, kind, v.number * factor, per)


def total_cost(totals: list[Cost]) -> Decimal:
    """What several 总成本 targets add up to: their sum, unless the largest covers the others
    (“出差总成本 1万, 劳务总成本 2万, 年度预算总成本 3万”: items named 总成本 and their total)."""
    amounts = sorted((c.yuan for c in totals), reverse=True)
    if len(amounts) > 1 and amounts[0] >= sum(amounts[1:], Decimal(0)):
        return amounts[0]
    return sum(amounts, Decimal(0))


def cost_reference(form: ProjectForm) -> tuple[Decimal | None, str]:
    """The money cost targets are compared with: this year's request (the project total on a
    multi-year project, whose cost indicators often state the whole cost)."""
    annual, total = form.amount("annual"), form.amount("total")
    if multi_year(form) and total is not None:
        return total, "项目资金总额"
    if annual is not None:
        return annual, "年度资金申请总额"
    return total, "项目资金总额"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


@rule("C01", "info", "成本指标超过申请资金", "{what}合计 {cost} 元，超过{ref_name} {ref} 元",
      "核对成本指标的金额和单位（元/万元）：总成本不应超过申请的资金；分项成本之和也不应超过。",
      dimension="适当性")
def c01_cost_above_money(form: ProjectForm, ctx: Context):
    """The 总成本 targets (or, when there is none, the 分项成本 targets) add up to more than the
    年度资金申请总额 (the 项目资金总额 on a multi-year project), after converting 万元 to 元.

    Why: a cost target above the money applied for is a typo (元 for 万元) or a budget that
    does not cover the work; Shanghai's 2025 guidance asks cost indicators to match the budget.

    Bad: 年度资金申请总额 622,000 元, 成本指标 “项目总成本” “≤80万元”.
    Good: “项目总成本” “≤62.2万元”.
    """
    found = costs(form, ctx)
    totals = [c for c in found if c.kind == TOTAL]
    chosen, what = (totals, "总成本指标") if totals else ([c for c in found if c.kind == ITEM], "分项成本指标")
    ref, ref_name = cost_reference(form)
    if not chosen or not ref:  # no money, or 0 (the money identities, M01–M03, judge that)
        return
    amount = total_cost(chosen)
    if amount > ref:
        yield Hit(cell=chosen[0].indicator.cell, value=chosen[0].indicator.raw,
                  fields={"what": what, "cost": yuan(amount), "ref_name": ref_name, "ref": yuan(ref)})


def _matching_quantity(cost: Cost, quantities: list[Indicator]) -> Indicator | None:
    """The 数量指标 counted in the cost's denominator (元/人 → a count in 人); among several,
    the one whose name shares most with the cost's name, when that is unambiguous."""
    same = [q for q in quantities if q.value.unit == cost.per]
    if len(same) <= 1:
        return same[0] if same else None
    name = squash(cost.indicator.name or "")
    pairs = {name[i:i + 2] for i in range(len(name) - 1)}
    scored = sorted(((len(pairs & {squash(q.name)[i:i + 2] for i in range(len(squash(q.name)) - 1)}), j)
                     for j, q in enumerate(same)), reverse=True)
    if scored[0][0] >= 2 and scored[0][0] > scored[1][0]:
        return same[scored[0][1]]
    return None


@rule("C02", "info", "单位成本与数量不符", "单位成本“{name}”{unit_cost} × 数量“{qname}”{qty} = {product} 元，"
      "与{ref_name} {ref} 元相差超过 {tolerance}",
      "核对单位成本、数量和总额：单位成本 × 数量应与总成本（无总成本时不超过申请资金）相符。", dimension="适当性")
def c02_unit_cost_mismatch(form: ProjectForm, ctx: Context):
    """A 单位成本 (元/人, 万元/期 …) times the 数量指标 counted in the same unit is far from the total:
    above the 总成本 target (or, without one, the money applied for) by more than the rulebook's
    tolerance (default 10%), or — when it is the form's only cost item — below the 总成本 target
    by more than it.

    Why: unit cost × quantity is how the budget was calculated (测算依据); a product that does
    not fit the total shows a wrong unit cost, quantity or total.

    Bad: “每期培训成本” “≤8万元/期” and “培训班” “=4期” with 总成本 “≤62.2万元” (32万 ≠ 62.2万 as the only item)
    or with 年度资金申请总额 200,000 元.
    Good: “每期培训成本” “≤8万元/期”, “培训班” “=4期”, 年度资金申请总额 622,000 元.
    """
    found = costs(form, ctx)
    units = [c for c in found if c.kind == UNIT and c.per]
    if not units:
        return
    fw = ctx.framework
    quantities = [i for i in _valued(form, ctx) if levels(i, fw)[1] == QUANTITY and i.value.kind == "quantitative"
                  and i.value.number is not None and i.value.unit]
    totals = [c for c in found if c.kind == TOTAL]
    if totals:
        ref, ref_name = total_cost(totals), "总成本指标"
    else:
        ref, ref_name = cost_reference(form)
    if ref is None or ref <= 0:
        return
    tolerance = ctx.rulebook.unit_cost_tolerance
    alone = bool(totals) and len(found) == len(totals) + 1
    for cost in units:
        qty = _matching_quantity(cost, quantities)
        if qty is None:
            continue
        product = cost.yuan * qty.value.number
        over = product > ref * (1 + tolerance)
        under = alone and product < ref * (1 - tolerance)
        if over or under:
            yield Hit(cell=cost.indicator.cell, value=cost.indicator.raw,
                      fields={"name": cost.indicator.name, "unit_cost": cost.indicator.raw, "qname": qty.name,
                              "qty": qty.raw, "product": yuan(product), "ref_name": ref_name, "ref": yuan(ref),
                              "tolerance": f"{tolerance:.0%}"})
