"""D: plan dates against each other and against the budget year, and dates in the text."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from budget_xls.model import ProjectForm
from budget_xls.rules import Context, Hit, rule
from budget_xls.textnorm import nfkc
from budget_xls import fields

# "2022年11月30日前", "11月底前", "9月底", "2023年3月", "11 月下旬", "2022-11-30".
_CN_DATE = re.compile(
    r"(?:(?<!\d)(?P<y>\d{4})\s*年\s*)?(?<![\d.])(?P<m>\d{1,2})\s*月"
    r"(?:\s*(?P<d>\d{1,2})\s*[日号])?(?P<part>\s*(?:份|底|末|上旬|中旬|下旬|初))?(?P<before>\s*(?:以前|之前|前))?"
)
_ISO_DATE = re.compile(r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d.])")
_DIGIT = re.compile(r"\d")  # any digit, full-width ones too
_PART_DAYS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20)}


@dataclass(frozen=True, slots=True)
class TextDate:
    """A date named in free text: the span of days it can mean, or None when it does not exist."""

    text: str
    earliest: dt.date | None
    latest: dt.date | None

    @property
    def exists(self) -> bool:
        return self.earliest is not None


def text_dates(text: str, year: int) -> tuple[TextDate, ...]:
    """Dates and months named in a goal or indicator text; a month without a year is in ``year``."""
    if not _DIGIT.search(text):  # most texts name no date: D03 and D04 read every text of every form
        return ()
    return _text_dates(text, year)


@lru_cache(maxsize=4096)
def _text_dates(text: str, year: int) -> tuple[TextDate, ...]:
    text = nfkc(text)
    found = [_resolve(m.group(0), int(m["y"]), int(m["m"]), int(m["d"]), "", "") for m in _ISO_DATE.finditer(text)]
    for m in _CN_DATE.finditer(text):
        y = int(m["y"]) if m["y"] else year
        d = int(m["d"]) if m["d"] else None
        found.append(_resolve(m.group(0).strip(), y, int(m["m"]), d, (m["part"] or "").strip(), m["before"] or ""))
    return tuple(found)


def _resolve(text: str, y: int, mo: int, d: int | None, part: str, before: str) -> TextDate:
    if not 1 <= mo <= 12:
        return TextDate(text, None, None)
    last = calendar.monthrange(y, mo)[1]
    if d is not None:
        if not 1 <= d <= last:
            return TextDate(text, None, None)
        day = dt.date(y, mo, d)
        return TextDate(text, day, day)
    if before and not part:
        # "2023年1月前": before the month starts, i.e. by the last day of the month before.
        day = dt.date(y, mo, 1) - dt.timedelta(days=1)
        return TextDate(text, day, day)
    if part in ("底", "末", "下旬"):
        lo = last if part != "下旬" else 21
        return TextDate(text, dt.date(y, mo, lo), dt.date(y, mo, last))
    lo, hi = _PART_DAYS.get(part, (1, last))
    return TextDate(text, dt.date(y, mo, lo), dt.date(y, mo, hi))


def _texts(form: ProjectForm) -> Iterator[tuple[str, str, str]]:
    """(cell, what, text) of every goal and indicator text a deadline may stand in."""
    for key in ("goal_total", "goal_year"):
        f = form.get(key)
        if f.cell and isinstance(f.value, str):
            yield f.cell, fields.display(key), f.value
    for ind in form.indicators:
        if ind.name:
            yield ind.cells["name"], "三级指标", ind.name
        if ind.raw:
            yield ind.cell, f"指标值（{ind.name or '未命名指标'}）", ind.raw


def _dated_texts(form: ProjectForm, ctx: Context) -> list[tuple[str, str, str, tuple[TextDate, ...]]]:
    """(cell, what, text, dates) of the texts that name a date: D03 and D04 both read every text."""
    return ctx.remember("dated_texts", form, lambda: [(cell, what, text, dates) for cell, what, text in _texts(form)
                                                      if (dates := text_dates(text, ctx.year))])


_MULTI_YEAR = re.compile(r"阶段性|跨年|多年")


def multi_year(form: ProjectForm) -> bool:
    """A project that runs over several years: its 项目性质/项目类别 says so (阶段性项目, 跨年度), its
    project total is larger than this year's request (the total is cumulative), or — on another
    publisher's form, which has no 经常性/一次性 category to say otherwise — its plan period spans years."""
    for key in ("nature", "category"):
        value = form.get(key).value
        if isinstance(value, str) and _MULTI_YEAR.search(value):
            return True
    total, annual = form.amount("total"), form.amount("annual")
    if total is not None and annual is not None and total > annual:
        return True
    start, end = form.date("start"), form.date("end")
    return form.vintage == "other" and bool(start and end and start.year != end.year)


@rule("D01", "error", "计划日期不在预算年度内", "{field} {date} 不在 {year} 年度内",
      "计划开始和完成日期应在 {year}-01-01 至 {year}-12-31 之间；跨年度项目请核对项目性质和项目资金总额。")
def d01_outside_year(form: ProjectForm, ctx: Context):
    """计划开始日期 and 计划完成日期 must lie inside the budget year — for a single-year project.

    A multi-year project (阶段性项目, 跨年度; a project total larger than the annual request;
    on another publisher's form, a plan period over several years) may start before and end
    after the budget year: its period must only include the budget year.

    Why: the form applies for one budget year's money; dates outside it are typos
    (2021 for 2022) or a project that belongs to another year's budget.

    Bad: 计划完成日期 2023-12-31 on a 2022 经常性项目; a 阶段性项目 from 2019 to 2021 on a 2022 form.
    Good: 2022-01-01 → 2022-12-31; a 阶段性项目 from 2021-01-01 to 2023-12-31 on a 2022 form.
    """
    start, end = form.date("start"), form.date("end")
    if multi_year(form):
        if end and end.year < ctx.year:
            yield Hit(cell=form.get("end").cell, value=end.isoformat(),
                      fields={"field": fields.display("end"), "date": end.isoformat(), "year": ctx.year})
        elif start and start.year > ctx.year:
            yield Hit(cell=form.get("start").cell, value=start.isoformat(),
                      fields={"field": fields.display("start"), "date": start.isoformat(), "year": ctx.year})
        return
    for key in ("start", "end"):
        d = form.date(key)
        if d and d.year != ctx.year:
            yield Hit(cell=form.get(key).cell, value=d.isoformat(),
                      fields={"field": fields.display(key), "date": d.isoformat(), "year": ctx.year})


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


@rule("D03", "warning", "文字中的时间不在计划期内",
      "“{field}”中的时间 {dates} 不在计划期 {start} 至 {end} 内",
      "绩效目标和指标中的完成时间应在计划开始日期与计划完成日期之间；请核对文字中的时间或计划日期。")
def d03_text_deadline_outside(form: ProjectForm, ctx: Context):
    """A date or month named in a goal or an indicator falls outside the plan period.

    Read: "拟于2022年11月30日前", "2022-11-30", "9月底" (the 30th), "11月底前" (the 30th),
    "11月下旬", "2023年3月" (the whole month). A month without a year is in the budget year.
    The plan period is 计划开始日期 → 计划完成日期 (the budget year where they are missing).
    One finding per cell, listing every date outside. Dates that do not exist are D04.

    Why: a deadline after the plan ends (or before it starts) means either the plan
    period or the target is wrong; the bureau cannot fund work outside the period.

    Bad: plan 2022-01-01 → 2022-12-31, 年度总目标 “拟于2023年3月底前完成验收”.
    Good: “拟于2022年11月30日前完成验收”.
    """
    start, end = form.date("start"), form.date("end")
    if form.get("start").cell is None and form.get("end").cell is None and form.vintage == "other":
        return  # a form without plan dates (a 专项资金 table may run past its year): nothing to hold them to
    lo = start or dt.date(ctx.year, 1, 1)
    hi = end or dt.date(ctx.year, 12, 31)
    if lo > hi:
        return  # D02
    for cell, what, text, dates in _dated_texts(form, ctx):
        outside = [d.text for d in dates if d.exists and (d.latest < lo or d.earliest > hi)]
        if outside:
            yield Hit(cell=cell, value=text[:200],
                      fields={"field": what, "dates": "、".join(dict.fromkeys(outside)),
                              "start": lo.isoformat(), "end": hi.isoformat()})


@rule("D04", "error", "日期不存在", "“{field}”填写的日期不存在：{raw}",
      "请填写真实存在的日期（如 9 月只有 30 日，2 月没有 30 日）。")
def d04_nonexistent_date(form: ProjectForm, ctx: Context):
    """A date that does not exist, such as 2022年9月31日 or 2月30日, in a date field or in the
    text of a goal or an indicator ("拟于9月31日前完成").

    Why: such a date is a typo; guessing the intended day would be wrong half the time.

    Bad: 计划完成日期 2022年9月31日.
    Good: 计划完成日期 2022年9月30日.
    """
    for key, f in form.fields.items():
        if f.error and f.error.startswith("nonexistent:"):
            yield Hit(cell=f.cell, value=f.raw, fields={"field": fields.display(key), "raw": f.raw})
    for cell, what, text, dates in _dated_texts(form, ctx):
        bad = [d.text for d in dates if not d.exists]
        if bad:
            yield Hit(cell=cell, value=text[:200], fields={"field": what, "raw": "、".join(dict.fromkeys(bad))})
