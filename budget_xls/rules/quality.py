"""Q and G: how far the targets are quantified, vague wording, and an annual goal that only
repeats the project goal (the review's 相关性: 指标细化量化; 完整性 of a multi-year target).

Q01 and Q02 are hints (info): they feed the proposed grade of the draft review
(``budget_xls.review``); a rulebook can raise them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from budget_xls.model import Indicator, ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.rules.dates import _MULTI_YEAR, multi_year
from budget_xls.rules.indicators import _valued
from budget_xls.textnorm import nfkc

# Words that make a qualitative value unmeasurable: a direction with no amount or level.
VAGUE = re.compile(r"进一步|不断|明显|显著|有效|大幅|逐步|稳步|持续|较大|积极|切实|全面|充分|一定程度|有所|尽量|力争")
REPEAT_RATIO = 0.9  # G01: goals this similar (after removing spaces and punctuation) repeat each other
_NOT_TEXT = re.compile(r"[\s\W_]+")


def valued(form: ProjectForm, ctx: Context) -> list[Indicator]:
    """The indicators with a real name and value (what the quantified share is taken over)."""
    return _valued(form, ctx)


def quantified(form: ProjectForm, ctx: Context) -> tuple[int, int]:
    """(quantitative values, valued indicators) of a form."""
    rows = valued(form, ctx)
    return sum(1 for i in rows if i.value.kind == "quantitative"), len(rows)


@lru_cache(maxsize=8192)
def vague_word(raw: str | None) -> str | None:
    """The vague word in a qualitative value ("进一步提升" → "进一步"), None when there is none."""
    m = VAGUE.search(nfkc(raw or ""))
    return m.group(0) if m else None


def vague_values(form: ProjectForm, ctx: Context) -> list[tuple[Indicator, str]]:
    return ctx.remember("vague", form, lambda: [
        (i, w) for i in valued(form, ctx) if i.value.kind == "qualitative" and (w := vague_word(i.raw))])


def percent(part: int, whole: int) -> str:
    return f"{Decimal(100 * part) / Decimal(whole):.0f}%" if whole else "—"


@rule("Q01", "info", "定量指标占比偏低", "定量指标 {part}/{whole} 个（{share}），低于 {floor}",
      "能量化的指标请写成“比较符 + 数值 + 单位”（如 ≥95%、=4期、≤1500元/人），定性指标只留给无法量化的效果。",
      dimension="相关性")
def q01_low_quantified_share(form: ProjectForm, ctx: Context):
    """Less than the rulebook's share (default 50%) of the indicator values are quantitative.

    Why: the review asks that indicators be 细化、量化 (财预〔2015〕88号); a table of 好 / 及时 /
    有效提升 cannot be checked at year end. The share also feeds the proposed grade.

    Bad: four of six values are 好、及时、规范、有效提升.
    Good: ≥95%, =4期, 2022年10月31日前 and 满意度 ≥90%, with one qualitative 社会效益 value.
    """
    part, whole = quantified(form, ctx)
    floor = ctx.rulebook.min_quantified_share
    if whole and Decimal(part) / Decimal(whole) < floor:
        yield Hit(cell=form.indicator_header, value=percent(part, whole),
                  fields={"part": part, "whole": whole, "share": percent(part, whole), "floor": f"{floor:.0%}"})


@rule("Q02", "info", "指标值用语模糊", "“{name}”的指标值“{raw}”用语模糊（{word}）",
      "写明可衡量的结果：数值（≥95%、减少10%）或明确的等级（达到预期、好）。", dimension="相关性")
def q02_vague_value(form: ProjectForm, ctx: Context):
    """A qualitative value built on a vague word: 进一步, 不断, 明显, 显著, 有效, 逐步, 持续, 全面 ….

    Why: “进一步提升” has no level that says whether the target was met; the review counts
    such values against the indicator's 可衡量 quality. Three or more make the proposed grade 良 at best.

    Bad: 社会效益指标 “干部能力” “进一步提升”.
    Good: “干部培训考核合格率” “≥95%”.
    """
    for ind, word in vague_values(form, ctx):
        yield Hit(cell=ind.cell, value=ind.raw, fields={"name": ind.name, "raw": ind.raw, "word": word})


def _several_years(form: ProjectForm) -> bool:
    """Multi-year as D01 reads it, except a plan period of a year or less that only crosses
    New Year (a seven-month service from July to January): its one goal may serve both years."""
    if not multi_year(form):
        return False
    if any(isinstance(form.get(k).value, str) and _MULTI_YEAR.search(form.get(k).value) for k in ("nature", "category")):
        return True
    total, annual = form.amount("total"), form.amount("annual")
    if total is not None and annual is not None and total > annual:
        return True
    start, end = form.date("start"), form.date("end")
    return bool(start and end and (end - start).days > 366)


def _bare(text) -> str:
    return _NOT_TEXT.sub("", nfkc(str(text))) if text else ""


@rule("G01", "warning", "年度目标照抄总目标", "多年度项目的年度总目标与项目总目标相同",
      "年度总目标写本年度要完成的部分（本年的工作量、节点和效果），不要照抄项目总目标。", dimension="完整性")
def g01_annual_repeats_total(form: ProjectForm, ctx: Context):
    """On a multi-year project (阶段性, 跨年度, a total larger than this year's request), the
    年度总目标 repeats the 项目总目标 (the same text once spaces and punctuation are removed, or
    ≥90% alike).

    Why: the year's money buys the year's part of the work; a copied goal leaves the year's
    target undefined. On a single-year project the two goals may rightly be the same.

    Bad: 阶段性项目 2021–2023, both goals “完成全区100公里道路改造”.
    Good: 年度总目标 “2022年完成40公里道路改造，累计完成70公里”.
    """
    if not _several_years(form):
        return
    total, year = _bare(form.get("goal_total").value), _bare(form.get("goal_year").value)
    if len(total) < 4 or len(year) < 4:
        return
    if total == year or SequenceMatcher(None, total, year, autojunk=False).ratio() >= REPEAT_RATIO:
        yield Hit(cell=form.get("goal_year").cell, value=form.get("goal_year").value)
