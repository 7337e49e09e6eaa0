"""I: the three-level performance-indicator table.

Precedence, so that one defect gives one finding:

1. I08 (row shifted) wins: a row it reports is skipped by every other row rule
   (I01, I03–I07, I09–I13, I15). Moving the row's cells back fixes all of them at once.
2. I12 (placeholder): a name or value that is a placeholder is not judged further
   (no I04/I05/I06/I11/I13/I15 on a value that is still ``XX``).
3. I03 stays quiet on a value cell that R03 reports (formula without a cached value).
4. I06 before I04: a rate-type value without a unit gets I06 (add %), not also I04.
5. I01 reports a wrong level once, on the first row of its group (where the merged or
   carried-down cell is typed), not on every row that inherits it.
6. I09 (cost figure misfiled) before I11/I15 on the same row; I11 (a rate or count with a
   qualitative value) before I13 on a 时效指标 such as 及时率 “及时”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from budget_xls.indicators import canonical_level, level_key, resolve_levels
from budget_xls.model import Indicator, ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.textnorm import nfkc, squash
from budget_xls.vocab import FRAMEWORK_2022, FRAMEWORK_2025, Framework

COST = "成本指标"
TIMELINESS = "时效指标"
OUTPUT = "产出指标"
OUTPUT_EXPECTED = ("数量指标", "质量指标", "时效指标")

# Rate-type names: …率 (not 效率/频率/率先 …) and 满意度 (not 满意度调查, a survey).
_RATE_NAME = re.compile(r"满意度(?!调查|测评|问卷|调研)|(?<![效频汇利税功])率(?!先|领)")
_COUNT_NAME = re.compile(r"(?:次数|人数|人次|场次|个数|数量|件数|期数|册数|户数|家数)$")
_MONEY_IN_NAME = re.compile(r"\d[\d,]*(?:\.\d+)?万?元")
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[Xx×＊*]{2,}(?![A-Za-z])|待填|待定|待补充|某某|[○□]{2,}|此处填写|请填写"
)
_SENTENCE_PUNCT = re.compile(r"[，,。；;！？!?]")
SENTENCE_LEN = 16
# Something a 时效指标 can be checked against: a date, a month, a duration, a quarter.
_TIME_CHECKABLE = re.compile(
    r"\d\s*(?:年|月|日|号|天|小时|周|个?工作日)|季度|上半年|下半年|年底|年末|年内|年度内|月底|月末"
    r"|\d{4}\s*[.\-/]\s*\d{1,2}"  # 2023.07, 2023-07-31
)

# Every level name of every framework (canonical form, with 指标): such a name standing in the
# 三级 or value column means the row slid sideways. Bare aliases ("满意度") are not included:
# they are plausible indicator names.
_LEVEL_NAMES = frozenset(
    name
    for fw in (FRAMEWORK_2022, FRAMEWORK_2025)
    for name in (*fw.levels, *fw.level2_names(), *(a for a in fw.aliases if a.endswith("指标")))
)


@lru_cache(maxsize=8192)
def is_rate_name(name: str | None) -> bool:
    return bool(name) and _RATE_NAME.search(squash(name)) is not None


@lru_cache(maxsize=8192)
def is_count_name(name: str | None) -> bool:
    return bool(name) and _COUNT_NAME.search(squash(name)) is not None


@lru_cache(maxsize=8192)
def is_placeholder(text: str | None) -> bool:
    return bool(text) and PLACEHOLDER.search(nfkc(text)) is not None


def _is_level_name(text: str | None) -> bool:
    # Every level name holds 标, and no character but 标 itself normalises to one: a text without
    # it is none, and most texts asked about (every indicator's name and value) need no key.
    return bool(text) and "标" in text and level_key(text) in _LEVEL_NAMES


# ---------------------------------------------------------------- row shift (I08)


@dataclass(frozen=True, slots=True)
class Shift:
    cell: str
    column: str
    what: str
    text: str
    rest: str


def shifted_rows(form: ProjectForm, ctx: Context | None = None) -> dict[int, Shift]:
    """Rows whose cells slid into the wrong column, by sheet row."""
    if ctx is not None:
        return ctx.remember("shifted", form, lambda: shifted_rows(form))
    out: dict[int, Shift] = {}
    previous: tuple | None = None
    for ind in form.indicators:
        group = (ind.level1_raw, ind.level2_raw)
        new_group, previous = group != previous, group
        if _is_level_name(ind.name):
            out[ind.row] = Shift(ind.cells["name"], "三级指标", "层级名称", ind.name, ind.raw or "（空）")
        elif _is_level_name(ind.raw):
            out[ind.row] = Shift(ind.cells["value"], "年度指标值", "层级名称", ind.raw, ind.name or "（空）")
        elif (new_group and not ind.name and ind.raw and ind.level2_raw and "level2" in ind.cells
              and not _is_level_name(ind.level2_raw) and len(level_key(ind.level2_raw) or "") > 6):
            out[ind.row] = Shift(ind.cells["level2"], "二级指标", "指标名称", ind.level2_raw, ind.raw)
    return out


def _rows(form: ProjectForm, ctx: Context, *, names: bool = True) -> list[Indicator]:
    """Indicators that the row rules judge: not shifted (I08), and with a real name."""
    def compute() -> list[Indicator]:
        shifted = shifted_rows(form, ctx)
        return [i for i in form.indicators
                if i.row not in shifted and (not names or (i.name and not is_placeholder(_without_hint(i.name))))]

    return ctx.remember(f"rows:{names}", form, compute)


_TEMPLATE_HINT = re.compile(r"[(（]\s*[<>=≥≤≧≦]?\s*[*＊xX×]{1,3}\s*[^()（）]{0,6}[)）]\s*$")


def _without_hint(name: str) -> str:
    """A name without the template's hint left at its end ("苗木成活率(≥**%)" → "苗木成活率"): I12 reports
    the hint, and the indicator itself is still judged."""
    return _TEMPLATE_HINT.sub("", name)


def _valued(form: ProjectForm, ctx: Context) -> list[Indicator]:
    """Indicators with a real name and a real (non-placeholder) value."""
    return ctx.remember("valued", form, lambda: [i for i in _rows(form, ctx) if i.raw and not is_placeholder(i.raw)
                                                 and not unit_only(i.raw)])


_UNIT_ONLY = re.compile(r"^[<>=≥≤≧≦═＜＞＝]*(?:%|％|[个次人件份册期场项户家所座条辆台套天月年元米亩吨]|"
                        r"万元|万亩|万人|公里|千米|平方米|立方米|人次|学时|百分比)$")


@lru_cache(maxsize=4096)
def unit_only(raw: str | None) -> bool:
    """A value that is only the template's unit or sign ("公里", "≧ %"): the number was never filled in."""
    return bool(raw) and _UNIT_ONLY.match("".join(nfkc(raw).split())) is not None


def levels(ind: Indicator, fw: Framework) -> tuple[str | None, str | None]:
    """The row's (一级, 二级) in the run's framework, read by what the level cells name (a 二级 name
    in the 一级 column, a 一级 name under a wider heading), as the parser reads them."""
    key = (ind.level1_raw, ind.level2_raw, fw.year_from)
    found = _RESOLVED.get(key)
    if found is None:
        if len(_RESOLVED) > 8192:
            _RESOLVED.clear()
        found = _RESOLVED[key] = resolve_levels(ind.level1_raw, ind.level2_raw, fw)
    return found


_RESOLVED: dict[tuple, tuple[str | None, str | None]] = {}


def _is_cost(ind: Indicator, fw: Framework) -> bool:
    l1, l2 = levels(ind, fw)
    return l2 == COST or l1 == COST or fw.parent_of(l2 or "") == COST


# ---------------------------------------------------------------- rules


@rule("I01", "error", "指标层级不正确", "{level}{problem}",
      "一级指标请填：{level1_names}；二级指标须属于其一级指标（如“数量指标”属于“产出指标”）。")
def i01_level(form: ProjectForm, ctx: Context):
    """A 一级 or 二级指标 that is empty, not in the year's framework, or under the wrong 一级.

    Level names are compared after normalisation: stray spaces (满意度指 标), full-width
    characters and old names (环境效益指标 → 生态效益指标, 社会公众或服务对象满意度指标 →
    服务对象满意度指标) are accepted. Reported once per group, on the row where the level is
    typed (the rows below inherit it). Rows reported by I08 are skipped.

    Why: the bureau aggregates indicators by level; an indicator under an unknown or wrong
    level is counted in the wrong place or not at all.

    Bad: 二级指标 “社会效益指标” under 一级指标 “产出指标”; 一级指标 “成效指标”.
    Good: 产出指标 → 数量指标; 效益指标 → 社会效益指标.
    """
    fw = ctx.framework
    fields = {"level1_names": "、".join(fw.levels)}
    shifted = shifted_rows(form, ctx)
    seen1: object = object()
    seen2: object = object()
    # Groups are tracked over every row (a shifted row may open a group), hits only on the others.
    for ind in form.indicators:
        l1, l2 = levels(ind, fw)
        if ind.level1_raw != seen1:
            seen1, seen2 = ind.level1_raw, object()
            problem = _level1_problem(l1, fw, ctx.year)
            if problem and ind.row not in shifted:
                yield Hit(cell=ind.cells["level1"], value=ind.level1_raw,
                          fields={**fields, "level": "一级指标", "problem": problem})
        if l1 not in fw.levels or ind.level2_raw == seen2:
            continue
        seen2 = ind.level2_raw
        if l2 is None and (ind.level2_raw or "level2" not in ind.cells):
            continue  # no 二级 column, or a 一级 name standing in it under a wider heading
        problem = _level2_problem(l1, l2, fw, ctx.year)
        if problem and ind.row not in shifted:
            yield Hit(cell=ind.cells.get("level2", ind.cells["level1"]), value=ind.level2_raw,
                      fields={**fields, "level": "二级指标", "problem": problem})


def _level1_problem(l1: str | None, fw: Framework, year: int) -> str | None:
    if not l1:
        return "为空"
    if l1 not in fw.levels:
        return f"“{l1}”不是 {year} 年度指标体系中的一级指标"
    return None


def _level2_problem(l1: str, l2: str | None, fw: Framework, year: int) -> str | None:
    if not l2:
        return "为空"
    parent = fw.parent_of(l2)
    if parent is None:
        return f"“{l2}”不是 {year} 年度指标体系中的二级指标"
    if parent == "满意度指标" and l1 == "效益指标":
        return None  # the older framework put satisfaction under 效益指标 (社会公众或服务对象满意度指标)
    if parent != l1:
        return f"“{l2}”不属于一级指标“{l1}”（应属于“{parent}”）"
    return None


@rule("I02", "error", "缺少必需的一级指标", "缺少“{level1}”下的绩效指标",
      "产出指标、效益指标、满意度指标每类至少填写一条三级指标。")
def i02_missing_level1(form: ProjectForm, ctx: Context):
    """Each required 一级指标 (产出, 效益, 满意度 in 2022; 成本 too from 2025) must have an indicator.

    Why: the bureau reviews output, effect and satisfaction together; a missing class
    makes the target set incomplete.

    Bad: a table with only 产出指标 rows.
    Good: at least one row each under 产出指标, 效益指标 and 满意度指标.
    """
    fw = ctx.framework
    present = set()
    for i in form.indicators:
        if i.name or i.raw:
            l1, l2 = levels(i, fw)
            present.update((l1, fw.parent_of(l2 or "")))
            if l2 == COST and form.vintage == "other":
                present.add(COST)  # a cost indicator under 产出指标 (forms outside Shanghai's 2025 model)
    for level1 in fw.required:
        if level1 not in present:
            yield Hit(cell=form.indicator_header, fields={"level1": level1})


@rule("I03", "error", "三级指标缺少名称或指标值", "三级指标{what}：{text}",
      "每条三级指标都要有名称和年度指标值；如整行错位，请把内容移回对应列。")
def i03_incomplete_indicator(form: ProjectForm, ctx: Context):
    """A 三级指标 without a name, or without a 年度指标值 (a value that is only the template's unit or
    sign, "公里" or "≧ %", has no value either).

    Quiet on rows I08 reports (a shifted row), and on a value cell that holds a formula
    without a cached value (R03 reports that cell).

    Why: an indicator without a target cannot be evaluated at year end.

    Bad: 三级指标 “全区组工干部参训” with the value cell empty.
    Good: “全区组工干部参训率” with “=100%”.
    """
    uncached = {cell for cell, _ in form.uncached} | {cell for cell, _, _ in form.excel_errors}
    for ind in _rows(form, ctx, names=False):
        if ind.name and not ind.raw and ind.cells["value"] not in uncached:
            yield Hit(cell=ind.cells["value"], fields={"what": "缺少年度指标值", "text": ind.name})
        elif ind.name and unit_only(ind.raw):
            yield Hit(cell=ind.cells["value"], value=ind.raw,
                      fields={"what": f"只填了单位“{ind.raw}”，缺少数值", "text": ind.name})
        elif ind.raw and not ind.name and ind.cells["name"] not in uncached:
            yield Hit(cell=ind.cells["name"], value=ind.raw, fields={"what": "缺少名称", "text": ind.raw})


@rule("I04", "warning", "定量指标值缺少单位", "“{name}”的指标值“{raw}”没有计量单位",
      "在数值后写明单位，如 ≥2次、=3500册、≤1500元/人；比率请用 %。")
def i04_no_unit(form: ProjectForm, ctx: Context):
    """A quantitative 年度指标值 (a number) without a unit.

    Rate-type names (…率, 满意度) are reported by I06 instead (the unit they need is %).

    Why: “≥2” could be 2 meetings, 2 batches or 2 days; the value cannot be checked at
    year end without knowing what is counted.

    Bad: 制作发放《党支部工作手册》 “=3500”.
    Good: 制作发放《党支部工作手册》 “=3500册”.
    """
    for ind in _valued(form, ctx):
        v = ind.value
        if v.kind == "quantitative" and not v.unit and not is_rate_name(ind.name):
            yield Hit(cell=ind.cells.get("unit", ind.cell), value=ind.raw, fields={"name": ind.name, "raw": ind.raw})


@rule("I05", "info", "指标值缺少比较符", "“{name}”的指标值“{raw}”没有比较符，按“=”理解",
      "在数值前写明比较符：≥（不少于）、≤（不超过）或 =（等于），如 ≥12次。")
def i05_no_operator(form: ProjectForm, ctx: Context):
    """A quantitative 年度指标值 without an operator (≥ ≤ = > <); it is read as "=".

    Phrases count as operators: 不少于/不低于/…以上 (≥), 不超过/不高于/…以内 (≤).

    Why: “12” may mean at least 12 or exactly 12; the evaluator needs to know which.

    Bad: 公务员管理者培训 “12”.
    Good: 公务员管理者培训 “≥12期” (or “不少于12期”).
    """
    for ind in _valued(form, ctx):
        if ind.value.implied_operator:
            yield Hit(cell=ind.cells.get("operator", ind.cell), value=ind.raw, fields={"name": ind.name, "raw": ind.raw})


@rule("I06", "warning", "比率类指标值不规范", "“{name}”的指标值“{raw}”{problem}",
      "比率类指标（…率、满意度）的值写成百分数，且不超过 100%，如 ≥90%、=100%。")
def i06_rate(form: ProjectForm, ctx: Context):
    """A rate-type indicator (…率, 满意度, 知晓率, 覆盖率 …) whose value is not in %, or a % above 100.

    Why: “≥90” on a 知晓率 may be 90% or 90 people; a rate above 100% is impossible.

    Bad: 干部体检资金使用率 “>=90”; 参训率 “=120%”.
    Good: 干部体检资金使用率 “≥90%”.
    """
    for ind in _valued(form, ctx):
        v = ind.value
        if v.kind != "quantitative":
            continue
        if v.unit == "%" and v.number is not None and v.number > 100:
            problem = "超过 100%"
        elif is_rate_name(ind.name) and v.unit != "%":
            problem = "没有使用 %（比率类指标）"
        else:
            continue
        yield Hit(cell=ind.cell, value=ind.raw, fields={"name": ind.name, "raw": ind.raw, "problem": problem})


@rule("I07", "warning", "三级指标重复", "三级指标“{name}”重复出现（另见 {first}）",
      "删除重复的指标，或把两条改成可区分的名称。")
def i07_duplicate(form: ProjectForm, ctx: Context):
    """The same 三级指标 name twice in one project (compared without spaces, full/half width unified).

    Reported on the second (and any later) occurrence, naming the first.

    Why: a duplicated indicator is usually a copy-paste slip: one of the two was meant
    to be another indicator, or the two carry conflicting targets.

    Bad: “参训党员满意度 ≥90%” in row 20 and again in row 27.
    Good: each 三级指标 once.
    """
    first: dict[str, str] = {}
    for ind in _rows(form, ctx):
        key = squash(ind.name)
        if key in first:
            yield Hit(cell=ind.cells["name"], value=ind.name, fields={"name": ind.name, "first": first[key]})
        else:
            first[key] = ind.cells["name"]


@rule("I08", "error", "指标行错位", "指标行错位：{column}列填的是{what}“{text}”（本行另有：{rest}）",
      "层级名称只填在一级/二级指标列，三级指标名称填在三级指标列，指标值填在年度指标值列；请把本行内容移回对应的列。")
def i08_shifted_row(form: ProjectForm, ctx: Context):
    """An indicator row slid sideways: a level name stands in the 三级指标 or value column,
    or an indicator name stands in the 二级指标 column with the 三级 column empty.

    This is the first rule of the indicator table: a row it reports is not judged by the
    others (no I01/I03/I04 … on the same cells), because moving the cells back fixes them all.

    Why: after a shift every cell of the row is read as the wrong thing; the indicator
    has, in effect, no name or no value.

    Bad: 三级指标 “时效指标”, 年度指标值 “2022 年度内完成干部工作目标任务”.
    Good: 二级指标 “时效指标”, 三级指标 “干部工作目标任务完成时间”, 年度指标值 “2022年12月31日前”.
    """
    for shift in shifted_rows(form, ctx).values():
        yield Hit(cell=shift.cell, value=shift.text,
                  fields={"column": shift.column, "what": shift.what, "text": shift.text, "rest": shift.rest})


@rule("I09", "warning", "成本内容误填为其他指标", "“{name}”是成本金额，却填在“{level2}”下（指标值“{raw}”）",
      "成本内容请填在“成本指标”下，并写成可核对的金额，如三级指标“局级干部人均体检费”、指标值“≤1500元/人”。")
def i09_misfiled_cost(form: ProjectForm, ctx: Context):
    """A 三级指标 whose name carries a cost figure (… 1500 元/人) but that is not a 成本指标.

    Why: the cost then escapes the cost review, and its value (often 规范) says nothing
    about the money.

    Bad: 数量指标 “局级干部体检费 1500 元/人” with value “规范”.
    Good: 成本指标 “局级干部人均体检费” with value “≤1500元/人”.
    """
    fw = ctx.framework
    for ind in _rows(form, ctx):
        if _MONEY_IN_NAME.search(squash(ind.name)) and not _is_cost(ind, fw):
            yield Hit(cell=ind.cells["name"], value=ind.name,
                      fields={"name": ind.name, "level2": ind.level2 or ind.level1 or "？", "raw": ind.raw or "（空）"})


@rule("I10", "warning", "成本指标使用了下限", "成本指标“{name}”的指标值“{raw}”是下限（{operator}）",
      "成本是上限：请用 ≤ 或 =，如 ≤1500元/人。")
def i10_cost_lower_bound(form: ProjectForm, ctx: Context):
    """A 成本指标 with ≥ or > : a cost target is a ceiling, not a floor.

    Rates filed under 成本指标 (预算执行率 ≥90%, 成本控制率) are not amounts and are not judged.

    Why: “≥1500元/人” rewards spending more; the bureau reads cost indicators as limits.

    Bad: 成本指标 “人均培训成本” “≥1200元/人”.
    Good: “≤1200元/人”.
    """
    fw = ctx.framework
    for ind in _valued(form, ctx):
        if ind.value.operator in ("≥", ">") and ind.value.unit != "%" and _is_cost(ind, fw):
            yield Hit(cell=ind.cell, value=ind.raw,
                      fields={"name": ind.name, "raw": ind.raw, "operator": ind.value.operator})


@rule("I11", "warning", "比率或数量指标填了定性值", "“{name}”是{kind}指标，指标值却是“{raw}”",
      "比率类指标填百分数（如 ≥90%），数量类指标填数量和单位（如 ≥20次）。")
def i11_qualitative_on_measure(form: ProjectForm, ctx: Context):
    """A rate-type (…率, 满意度) or count-type (…次数, 人数, 数量) name with a qualitative value.

    Not raised for a 满意度调查 (a survey is not a rate).

    Why: a rate or a count promises a figure; “及时” or “满意” cannot be checked against one.

    Bad: 宣讲活动开展及时率 “及时”; 干部和群众满意度普遍提高 “满意”.
    Good: 宣讲活动开展及时率 “=100%”; 服务对象满意度 “≥90%”.
    """
    for ind in _valued(form, ctx):
        if ind.value.kind != "qualitative" or _MONEY_IN_NAME.search(squash(ind.name)):
            continue
        kind = "比率类" if is_rate_name(ind.name) else "数量类" if is_count_name(ind.name) else None
        if kind:
            yield Hit(cell=ind.cell, value=ind.raw, fields={"name": ind.name, "raw": ind.raw, "kind": kind})


@rule("I12", "error", "指标中有占位内容", "三级指标{where}是占位内容“{text}”",
      "把“XX”“××”“待填”“某某”等占位内容换成实际的指标名称和指标值。")
def i12_placeholder(form: ProjectForm, ctx: Context):
    """A 三级指标 name or value that is still a placeholder: XX, ××, 待填, 待定, 某某, □□ ….

    Why: a placeholder is an unfilled cell that looks filled; it passes a glance but not
    the review.

    Bad: 年度指标值 “≥XX次”; 三级指标 “某某培训参训率”.
    Good: 年度指标值 “≥4次”.
    """
    for ind in form.indicators:
        if is_placeholder(ind.name):
            yield Hit(cell=ind.cells["name"], value=ind.name, fields={"where": "名称", "text": ind.name})
        if is_placeholder(ind.raw):
            yield Hit(cell=ind.cell, value=ind.raw, fields={"where": "指标值", "text": ind.raw})


@rule("I13", "info", "时效指标无法核对", "时效指标“{name}”的指标值“{raw}”没有可核对的时间",
      "时效指标写明完成时间或时限，如“2022年11月30日前”“≤30天”“按时完成率=100%”。")
def i13_timeliness_uncheckable(form: ProjectForm, ctx: Context):
    """A 时效指标 with nothing checkable: neither the name nor the value names a date, a month,
    a duration, nor is the value a figure (such as an on-time rate).

    A hint: real forms, the official Shanghai ones included, commonly give 及时 as a 时效 target;
    the review prefers a date or a rate, but the form is not wrong for it.

    Why: “及时” on every 时效指标 (as in the whole 2022 seed) cannot be evaluated at year end.

    Bad: 时效指标 “各项工作严格按照时间节点圆满完成” “及时”.
    Good: 时效指标 “示范培训班完成时间” “2022年10月31日前”; “资料上报及时率” “=100%”.
    """
    fw = ctx.framework
    for ind in _valued(form, ctx):
        if levels(ind, fw)[1] != TIMELINESS or ind.value.kind == "quantitative":
            continue
        if is_rate_name(ind.name) or is_count_name(ind.name):
            continue  # I11 asks for the figure already
        if not (_TIME_CHECKABLE.search(nfkc(ind.name)) or _TIME_CHECKABLE.search(nfkc(ind.raw))):
            yield Hit(cell=ind.cell, value=ind.raw, fields={"name": ind.name, "raw": ind.raw})


@rule("I14", "info", "未设置成本指标", "产出指标下没有成本指标（{why}）",
      "建议在产出指标下增加成本指标，如“人均培训成本 ≤1200元/人”。")
def i14_no_cost(form: ProjectForm, ctx: Context):
    """No 成本指标 in a year whose framework does not yet require one (a hint).

    From 2025 成本指标 is a required 一级 and its absence is I02. A rulebook that requires cost
    indicators (``--rulebook shanghai-2025``, ``central-2021``) makes it a warning.

    Why: the bureau increasingly reviews unit costs; adding one now eases next year's form.

    Bad: a 2022 table with 数量, 质量 and 时效 but no 成本指标 (every seed project).
    Good: 成本指标 “局级干部人均体检费” “≤1500元/人”.
    """
    fw = ctx.framework
    if COST in fw.levels or not form.indicators:
        return
    if not any(_is_cost(i, fw) for i in form.indicators):
        book = ctx.rulebook
        why = (f"按所选规则集“{book.title}”应设置成本指标" if book.cost_required
               else f"{ctx.year} 年度不强制，2025 年起成本指标为必填的一级指标")
        yield Hit(cell=form.indicator_header, fields={"why": why})


@rule("I15", "warning", "指标值是一段话", "“{name}”的指标值是一段话：“{raw}”",
      "指标值写成可评判的结果：数值（≥90%、=4次）或简短的等级（好、达到预期）；说明性文字请写入三级指标名称或绩效目标。")
def i15_sentence_value(form: ProjectForm, ctx: Context):
    """A qualitative 年度指标值 that is a sentence (clause punctuation, or longer than 16 characters).

    Why: a sentence describes work instead of stating a result that can be judged
    at year end.

    Bad: 年度指标值 “通过开展培训，提升干部能力”.
    Good: 年度指标值 “达到预期”, or a figure such as “≥95%”.
    """
    for ind in _valued(form, ctx):
        if ind.value.kind != "qualitative" or _MONEY_IN_NAME.search(squash(ind.name)):
            continue
        text = squash(ind.raw)
        if _SENTENCE_PUNCT.search(text) or len(text) > SENTENCE_LEN:
            yield Hit(cell=ind.cell, value=ind.raw, fields={"name": ind.name, "raw": ind.raw})


@rule("I16", "warning", "产出指标不完整", "产出指标下缺少“{level2}”",
      "产出指标下应分别设置数量指标、质量指标和时效指标。")
def i16_output_incomplete(form: ProjectForm, ctx: Context):
    """产出指标 is present but lacks one of 数量指标, 质量指标, 时效指标.

    Not raised when 产出指标 has no indicator at all (that is I02).

    Why: output is reviewed on how much, how well and how fast; one missing side leaves
    a target unmeasured.

    Bad: 产出指标 with only 数量指标 rows.
    Good: at least one 数量指标, one 质量指标 and one 时效指标.
    """
    fw = ctx.framework
    present = {levels(i, fw)[1] for i in form.indicators if levels(i, fw)[0] == OUTPUT and (i.name or i.raw)}
    if not present:
        return
    # A level name pushed into the 三级/value column by a shifted row (I08) still counts.
    present.update(canonical_level(s.text, fw) for s in shifted_rows(form, ctx).values())
    for level2 in OUTPUT_EXPECTED:
        if level2 in fw.levels.get(OUTPUT, ()) and level2 not in present:
            yield Hit(cell=form.indicator_header, fields={"level2": level2})
