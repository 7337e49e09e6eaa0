"""P: this year's projects against last year's run (``consolidate --previous``).

Run once over the run (``RunFacts.comparison``, built by ``compare.compare``); quiet when
no previous run is given. A normal year-on-year update — targets kept or raised,
indicators reworded under the same 二级, money changed together with the targets — is
quiet: the rules name what a 财政局 reviewer asks about first.
"""

from __future__ import annotations

from budget_xls.compare import ADDED, CONTINUING, LOWERED, NEW, REMOVED, SAME, change_pct, norm, norm_raw
from budget_xls.rules import Hit, RunFacts, rule


def _hit(change, cell: str | None, value=None, **fields) -> Hit:
    form = change.current.form
    return Hit(file=form.file, sheet=form.sheet, cell=cell, project=form.name, position=form.position,
               value=value, fields=fields)


def _continuing(facts: RunFacts):
    if facts.comparison is None:
        return
    for change in facts.comparison.projects:
        if change.status == CONTINUING and change.current.form is not None:
            yield change


@rule("P01", "warning", "延续项目指标值低于上年",
      "延续项目的“{indicator}”指标值由上年的“{old}”改为“{new}”，要求降低了",
      "延续项目的绩效目标一般不应低于上年；如确需调低，请在项目说明中写明原因（如任务量调整），否则请恢复上年水平。",
      scope="run")
def p01_target_lowered(facts: RunFacts):
    """A continuing project's quantitative target is less demanding than last year's.

    Compared by the target's direction: a ``≥``/``>`` (and ``=`` on a count or a rate)
    target lowered, a ``≤``/``<`` (and ``=`` under 成本指标) target raised; in the same
    unit, or in 元/万元 converted. A target whose unit, operator or kind changed is only
    listed in 上年对比 as 改变.

    Why: 适当性 review — "目标过低" is the first thing a reviewer looks for, and a target
    quietly eased on a project funded every year is where it hides.

    Bad: 服务对象满意度 ≥98% last year, ≥92% this year.
    Good: ≥98% again (or ≥99%).
    """
    for change in _continuing(facts):
        for ch in change.changes:
            if ch.direction == LOWERED:
                yield _hit(change, ch.cell, ch.raw, indicator=ch.name or "", old=ch.previous_raw, new=ch.raw)


@rule("P02", "warning", "上年指标被删除",
      "延续项目删除了上年的“{level2}—{indicator}”（上年指标值“{old}”），同一二级指标下没有新增指标替代",
      "请确认删除的原因；如工作内容未变，请保留该指标，或在同一二级指标下设置替代指标。",
      scope="run")
def p02_indicator_dropped(facts: RunFacts):
    """An indicator of last year is gone from a continuing project, and nothing new stands
    under its 二级指标 in its place.

    Indicators are matched by 二级 + 三级 name (whitespace, width and punctuation
    ignored). A reworded indicator under the same 二级 counts as a replacement (quiet).

    Why: dropping the one indicator a project missed last year is the easiest way to
    make its targets look met; the reviewer wants to see it.

    Bad: last year 质量指标 — 课程评估优良率 ≥90%; this year no 质量指标 row replaces it.
    Good: this year 质量指标 — 培训课程评估优良率 ≥90% (reworded, same 二级).
    """
    for change in _continuing(facts):
        added = {norm(ch.level2) for ch in change.changes if ch.direction == ADDED}
        form = change.current.form
        for ch in change.changes:
            if ch.direction == REMOVED and norm(ch.level2) not in added:
                yield _hit(change, form.indicator_header or form.get("name").cell, ch.previous_raw,
                           level2=ch.level2 or "（无二级指标）", indicator=ch.name or "", old=ch.previous_raw or "")


@rule("P03", "warning", "资金大幅变动而指标未变",
      "年度资金申请总额由上年的 {old} 元变为 {new} 元（{pct}%），超过 ±{threshold}%，但绩效指标与上年完全相同",
      "资金大幅增减时，产出和效益目标通常应随之调整；请复核指标值，或在项目说明中写明资金变动的原因。",
      scope="run")
def p03_money_without_targets(facts: RunFacts):
    """A continuing project's 年度资金申请总额 changed by more than the threshold (default
    ±30 %, ``--change-threshold``) while every indicator is the same as last year's (same
    indicators, same targets, none added or removed).

    Why: 适当性 — "资金过大或过小": 40 % more money for exactly the same outputs is
    either an unexplained cost rise or targets copied over without thought.

    Bad: 年度资金 1,000,000 → 1,400,000 元, every indicator copied unchanged.
    Good: 1,000,000 → 1,400,000 元 with 培训班 =4期 → =6期; or 1,000,000 → 1,100,000 元.
    """
    if facts.comparison is None:
        return
    threshold = facts.comparison.threshold
    for change in _continuing(facts):
        old, new = change.previous.annual, change.current.annual
        pct = change_pct(old, new)
        if pct is None or abs(pct) <= threshold or not change.changes:
            continue
        if all(ch.direction == SAME for ch in change.changes):
            form = change.current.form
            yield _hit(change, form.get("annual").cell, new, old=old, new=new,
                       pct=f"{pct:+}", threshold=format(threshold.normalize(), "f"))


@rule("P04", "warning", "新项目列有上年结转资金",
      "项目在上年的汇总中没有记录，却列有上年结转资金 {carryover} 元{near}",
      "请核对：如为上年项目更名，请沿用上年的项目名称和实施单位；如确为新项目，上年结转资金应为 0。",
      scope="run")
def p04_carryover_without_record(facts: RunFacts):
    """上年结转资金 > 0 on a project that last year's run does not have (by 实施单位 +
    项目名称). A project of last year with a near-identical name under the same unit is
    named in the message, never assumed to be the same project.

    Why: money carried over from last year must belong to a project funded last year;
    otherwise the carry-over is misfiled or the project was renamed and its history lost.

    Bad: 网络信息系统开发 with 上年结转资金 90,000 元, absent from last year's workbook.
    Good: the same project, listed last year under the same unit and name.
    """
    if facts.comparison is None:
        return
    for change in facts.comparison.projects:
        if change.status != NEW or change.current.form is None:
            continue
        carry = change.current.carryover
        if carry is not None and carry > 0:
            form = change.current.form
            near = f"（上年有名称相近的项目“{change.likely.name}”，未自动合并）" if change.likely else ""
            yield _hit(change, form.get("carryover").cell, carry, carryover=carry, near=near)


@rule("P05", "info", "指标值连续三年相同",
      "“{indicator}”的指标值“{target}”已连续三年（{years}）相同",
      "延续项目的目标值宜参考上年实际完成情况（历史标准）确定；如上年已超额完成，可考虑适当提高。",
      scope="run")
def p05_same_three_years(facts: RunFacts):
    """A quantitative 三级 target identical in this year's form and in the two previous
    years' runs (given with ``--previous`` twice). Qualitative values (及时, 规范) are
    not counted: they seldom change and say nothing new when they do.

    Why: 财预〔2021〕101号 sets targets from 历史标准 (last year's actual or the three-year
    average); a figure copied for the third time was probably not re-set from either.

    Bad: 党员直播授课 ≥16次 in 2021, 2022 and 2023.
    Good: ≥16次, ≥16次, then ≥20次 after two years of 20 delivered.
    """
    if facts.comparison is None or len(facts.comparison.previous) < 2:
        return
    years = "、".join(str(p.year) for p in reversed(facts.comparison.previous[:2]) if p.year)
    for change in _continuing(facts):
        form = change.current.form
        for ch in change.changes:
            if (ch.direction == SAME and ch.older_raw is not None and norm_raw(ch.older_raw) == norm_raw(ch.raw)
                    and _quantitative(form, ch.cell)):
                yield _hit(change, ch.cell, ch.raw, indicator=ch.name or "", target=ch.raw,
                           years=f"{years}、{facts.year}" if years else f"至{facts.year}")


def _quantitative(form, cell: str | None) -> bool:
    """A quantitative target that could be raised (not a 100 % rate, already at its ceiling)."""
    for i in form.indicators:
        if i.cell == cell and i.value.kind == "quantitative":
            return not (i.value.unit == "%" and i.value.number is not None and i.value.number >= 100)
    return False
