"""This year's projects against last year's run (``consolidate --previous``).

Last year's run arrives as a report-shaped dict (``readback``: its JSON report or its
consolidated workbook; a folder of forms is consolidated first, by ``api``). Projects
are matched by 实施单位 + 项目名称, indicators by 二级 + 三级 name, all normalised
(whitespace, width, punctuation). A project renamed under the same unit with a
near-identical name is only *offered* as a likely match: it stays 新增 / 未再申报.

Targets are compared by how demanding they are: ``≥ 98%`` → ``≥ 92%`` is 降低 (less
demanding), ``≤ 1500元`` → ``≤ 1800元`` too; ``=`` reads as ``≥`` (a planned count), and as
``≤`` under 成本指标. Values in other units (unless 元/万元), qualitative values and
changed operators are 改变 (changed, not ranked).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from budget_xls.indicators import Value, parse_value
from budget_xls.model import ProjectForm
from budget_xls.readback import money
from budget_xls.textnorm import nfkc

NEW, CONTINUING, DROPPED = "新增", "延续", "未再申报"
RAISED, LOWERED, SAME, CHANGED, ADDED, REMOVED = "要求提高", "要求降低", "不变", "改变", "新增", "删除"
LIKELY_RATIO = 0.8  # difflib ratio of two normalised names under the same unit
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_UNIT_FACTOR = {"万元": Decimal(10000), "元": Decimal(1)}


def norm(text: Any) -> str:
    """A name as matched: width unified, whitespace and punctuation removed."""
    return _PUNCT.sub("", nfkc(str(text))) if text else ""


def norm_raw(raw: Any) -> str:
    """A target as compared for "identical": width unified, whitespace removed."""
    return re.sub(r"\s+", "", nfkc(str(raw))) if raw not in (None, "") else ""


@dataclass
class Ind:
    level2: str | None
    name: str | None
    raw: str | None
    value: Value
    cell: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (norm(self.level2), norm(self.name))


@dataclass
class Proj:
    """A project of either year, as far as the comparison needs it."""

    implementer: str | None
    name: str | None
    total: Decimal | None
    annual: Decimal | None
    carryover: Decimal | None
    indicators: list[Ind]
    file: str | None = None
    sheet: str | None = None
    form: ProjectForm | None = None  # this year's projects only

    @property
    def key(self) -> tuple[str, str]:
        return (norm(self.implementer), norm(self.name))


@dataclass
class Previous:
    """One earlier year's run: where it came from, its year, its projects."""

    source: str
    year: int | None
    projects: list[Proj]


@dataclass
class IndicatorChange:
    level2: str | None
    name: str | None
    previous_raw: str | None
    raw: str | None
    direction: str
    cell: str | None = None  # this year's value cell (None for a removed indicator)
    older_raw: str | None = None  # the year before last, when given and matched


@dataclass
class ProjectChange:
    status: str
    current: Proj | None
    previous: Proj | None
    likely: Proj | None = None  # 新增: a near-identical name of last year's (or 未再申报: of this year's)
    changes: list[IndicatorChange] = field(default_factory=list)  # every matched/added/removed indicator

    @property
    def unit(self) -> str | None:
        return (self.current or self.previous).implementer

    @property
    def name(self) -> str | None:
        return (self.current or self.previous).name

    def count(self, direction: str) -> int:
        return sum(1 for c in self.changes if c.direction == direction)


@dataclass
class Comparison:
    previous: list[Previous]  # last year first
    threshold: Decimal  # --change-threshold, in %
    projects: list[ProjectChange]

    def for_form(self, form: ProjectForm) -> ProjectChange | None:
        for p in self.projects:
            if p.current is not None and p.current.form is form:
                return p
        return None


# ---------------------------------------------------------------- building the records


def from_form(form: ProjectForm) -> Proj:
    return Proj(form.get("implementer").value, form.name, form.amount("total"), form.amount("annual"),
                form.amount("carryover"),
                [Ind(i.level2, i.name, i.raw, i.value, i.cell) for i in form.indicators if i.name or i.raw],
                form.file, form.sheet, form)


def from_report(report: dict, source: str) -> Previous:
    """A run read back (``readback``) → its projects."""
    projects = []
    for p in report.get("projects") or []:
        funds = p.get("funds") or {}
        inds = [Ind(i.get("level2"), i.get("name"), i.get("raw"), parse_value(i.get("raw")))
                for i in p.get("indicators") or [] if i.get("name") or i.get("raw")]
        projects.append(Proj(p.get("implementer"), p.get("name"), money(funds.get("total")),
                             money(funds.get("annual")), money(funds.get("carryover")), inds,
                             p.get("file"), p.get("sheet")))
    year = report.get("year")
    return Previous(source, year if isinstance(year, int) else None, projects)


# ---------------------------------------------------------------- comparing


def _demand(level2: str | None, op: str | None) -> int:
    """+1 when a higher number is more demanding, -1 when lower is, 0 when neither."""
    if op in ("≥", ">"):
        return 1
    if op in ("≤", "<"):
        return -1
    if op == "=" or op is None:
        return -1 if "成本" in (level2 or "") else 1
    return 0


def direction(level2: str | None, old: Value, new: Value, old_raw: Any, new_raw: Any) -> str:
    if norm_raw(old_raw) == norm_raw(new_raw):
        return SAME
    if old.kind != "quantitative" or new.kind != "quantitative" or old.number is None or new.number is None:
        return CHANGED
    a, b = old.number, new.number
    if old.unit != new.unit:
        if old.unit in _UNIT_FACTOR and new.unit in _UNIT_FACTOR:
            a, b = a * _UNIT_FACTOR[old.unit], b * _UNIT_FACTOR[new.unit]
        else:
            return CHANGED
    sign_old, sign_new = _demand(level2, old.operator), _demand(level2, new.operator)
    if sign_old != sign_new or sign_old == 0:
        return CHANGED
    if a == b:
        return SAME
    return RAISED if (b - a) * sign_new > 0 else LOWERED


def compare_indicators(old: list[Ind], new: list[Ind], older: list[Ind] | None = None) -> list[IndicatorChange]:
    """Matched pairs in this year's order, then last year's indicators not matched (删除)."""
    pool: dict[tuple, list[Ind]] = {}
    for ind in old:
        pool.setdefault(ind.key, []).append(ind)
    older_pool: dict[tuple, list[Ind]] = {}
    for ind in older or []:
        older_pool.setdefault(ind.key, []).append(ind)
    out = []
    for ind in new:
        match = pool.get(ind.key)
        before = older_pool.get(ind.key)
        older_raw = before.pop(0).raw if before else None
        if match:
            prev = match.pop(0)
            out.append(IndicatorChange(ind.level2, ind.name, prev.raw, ind.raw,
                                       direction(ind.level2, prev.value, ind.value, prev.raw, ind.raw), ind.cell,
                                       older_raw))
        else:
            out.append(IndicatorChange(ind.level2, ind.name, None, ind.raw, ADDED, ind.cell))
    for left in pool.values():
        for prev in left:
            out.append(IndicatorChange(prev.level2, prev.name, prev.raw, None, REMOVED))
    return out


def _likely(proj: Proj, candidates: list[Proj]) -> Proj | None:
    best, best_ratio = None, LIKELY_RATIO
    unit, name = proj.key
    for c in candidates:
        if c.key[0] != unit or not name or not c.key[1]:
            continue
        ratio = difflib.SequenceMatcher(None, name, c.key[1]).ratio()
        if ratio >= best_ratio:
            best, best_ratio = c, ratio
    return best


def compare(previous: list[Previous], forms: list[ProjectForm], threshold: Decimal = Decimal(30)) -> Comparison:
    """This year's forms against the previous years' runs (last year first)."""
    current = [from_form(f) for f in forms]
    last = previous[0].projects if previous else []
    older = {p.key: p for p in previous[1].projects} if len(previous) > 1 else {}
    by_key: dict[tuple, list[Proj]] = {}
    for p in last:
        by_key.setdefault(p.key, []).append(p)
    rows: list[ProjectChange] = []
    for p in current:
        match = by_key.get(p.key)
        if match:
            prev = match.pop(0)
            before = older.get(p.key)
            rows.append(ProjectChange(CONTINUING, p, prev,
                                      changes=compare_indicators(prev.indicators, p.indicators,
                                                                 before.indicators if before else None)))
        else:
            rows.append(ProjectChange(NEW, p, None, changes=[IndicatorChange(i.level2, i.name, None, i.raw, ADDED, i.cell)
                                                             for i in p.indicators]))
    dropped = [p for ps in by_key.values() for p in ps]
    new_projects = [r.current for r in rows if r.status == NEW]
    for r in rows:
        if r.status == NEW:
            r.likely = _likely(r.current, dropped)
    for p in sorted(dropped, key=lambda p: last.index(p)):
        rows.append(ProjectChange(DROPPED, None, p, _likely(p, new_projects),
                                  [IndicatorChange(i.level2, i.name, i.raw, None, REMOVED) for i in p.indicators]))
    return Comparison(list(previous), threshold, rows)


def change_pct(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    """The change in %, to two places (None without both amounts or from 0)."""
    if old is None or new is None or old == 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # as Excel's ROUND


# ---------------------------------------------------------------- the JSON report's "comparison"


def comparison_entry(c: Comparison) -> dict:
    """The report's ``comparison`` key (a contract, like the rest of the report)."""
    def num(d):
        if d is None:
            return None
        return int(d) if d == d.to_integral_value() else float(d)

    projects, indicators = [], []
    for r in c.projects:
        cur, prev = r.current, r.previous
        annual_change = cur.annual - prev.annual if cur and prev and cur.annual is not None and prev.annual is not None else None
        projects.append({
            "status": r.status, "implementer": r.unit, "name": r.name,
            "likely_match": r.likely.name if r.likely else None,
            "file": cur.file if cur else None, "sheet": cur.sheet if cur else None,
            "previous_total": num(prev.total) if prev else None, "total": num(cur.total) if cur else None,
            "previous_annual": num(prev.annual) if prev else None, "annual": num(cur.annual) if cur else None,
            "annual_change": num(annual_change),
            "annual_change_pct": num(change_pct(prev.annual, cur.annual)) if cur and prev else None,
            "previous_indicators": len(prev.indicators) if prev else None,
            "indicators": len(cur.indicators) if cur else None,
            "raised": r.count(RAISED), "lowered": r.count(LOWERED), "removed": r.count(REMOVED),
            "added": r.count(ADDED),
        })
        if r.status != CONTINUING:
            continue
        for ch in r.changes:
            if ch.direction != SAME:
                indicators.append({"implementer": r.unit, "project": r.name, "level2": ch.level2, "name": ch.name,
                                   "previous_raw": ch.previous_raw, "raw": ch.raw, "direction": ch.direction})
    return {"previous": [{"source": p.source, "year": p.year} for p in c.previous],
            "change_threshold": num(c.threshold), "projects": projects, "indicators": indicators}
