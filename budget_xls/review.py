"""The finance bureau's review, drafted: per project and per dimension (完整性/相关性/适当性/可行性)
what the machine checked and the findings behind it, what only a reviewer can judge, and a
proposed grade (优/良/中/差) from the rulebook's grade scheme (``rulebooks.GradeCap``).

The grade is a proposal for the reviewer, never a verdict: the machine sees the form only,
so relevance to the unit's functions, the need for the money and the ambition of a target
are always listed as 需人工判断 and never counted as passed. docs/review.md explains the scheme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from budget_xls import rulebooks
from budget_xls.model import Finding, ProjectForm, RunResult
from budget_xls.rulebooks import DIMENSIONS, GRADES, GradeCap, Rulebook
from budget_xls.rules import Context, context_for, dimension_of
from budget_xls.rules.cost import Cost, costs
from budget_xls.rules.quality import quantified, vague_values
from budget_xls.spool import SpooledFindings

# What a form cannot show, per dimension: always printed, never implied to have passed.
MANUAL: dict[str, tuple[str, ...]] = {
    "完整性": ("项目概述、立项依据、实施方案等申报材料是否齐备，绩效目标是否清晰反映项目内容",),
    "相关性": ("绩效目标是否符合本单位职能和项目立项依据", "绩效指标是否反映项目的主要产出和效果"),
    "适当性": ("资金规模是否与工作任务相匹配、是否确有必要", "目标值是否过高或过低（对照历史水平、行业标准）"),
    "可行性": ("实施方案和保障措施是否可行、能否如期完成", "目标是否过于容易实现（对照上年实际完成值）"),
}
GRADE_MEANING = {"优": "可进入预算编制", "良": "按意见修改后进入预算编制", "中": "退回修改后重新报送", "差": "不予纳入预算"}
PROPOSAL_NOTE = "机器初评，供审核人参考；最终等级由审核人确定"


@dataclass
class DimensionReview:
    dimension: str
    findings: list[Finding]
    manual: tuple[str, ...]
    facts: list[str] = field(default_factory=list)  # what the machine measured (shares, sums)

    @property
    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    @property
    def result(self) -> str:
        n = self.counts
        if not self.findings:
            return "机器核对未发现问题"
        return "、".join(f"{word} {n[sev]} 条" for sev, word in (("error", "错误"), ("warning", "警告"), ("info", "提示"))
                        if n[sev])


@dataclass
class ProjectReview:
    form: ProjectForm
    grade: str
    reasons: list[str]
    dimensions: list[DimensionReview]
    quantitative: int
    valued: int
    vague: int
    costs: list[Cost]

    @property
    def unit(self) -> str:
        value = self.form.get("implementer").value
        return str(value).strip() if value is not None else ""

    def to_json(self) -> dict:
        form = self.form
        return {
            "file": form.file, "sheet": form.sheet, **({"position": form.position} if form.position else {}),
            "project": form.name, "implementer": self.unit or None,
            "proposed_grade": self.grade, "grade_note": PROPOSAL_NOTE, "reasons": self.reasons,
            "quantified": {"quantitative": self.quantitative, "indicators": self.valued,
                           "share": float(round(Decimal(self.quantitative) / self.valued, 4)) if self.valued else None},
            "vague_values": self.vague,
            "costs": [{"name": c.indicator.name, "cell": c.indicator.cell, "value": c.indicator.raw, "kind": c.kind,
                       "yuan": _json_money(c.yuan), "per": c.per} for c in self.costs],
            "dimensions": [{"dimension": d.dimension, "result": d.result,
                            "errors": d.counts["error"], "warnings": d.counts["warning"], "infos": d.counts["info"],
                            "facts": d.facts,
                            "findings": [{"code": f.code, "severity": f.severity, "cell": f.cell, "message": f.message}
                                         for f in d.findings],
                            "manual": list(d.manual)} for d in self.dimensions],
        }


def _json_money(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def propose_grade(findings: list[Finding], scheme: tuple[GradeCap, ...]) -> tuple[str, list[str]]:
    """The lowest grade any cap of ``scheme`` allows, and one reason per grade level that applies
    (the first cap in scheme order), worst first; 优 with its reason when no cap applies."""
    grade, by_level = GRADES[0], {}
    for cap in scheme:
        n = sum(1 for f in findings if f.severity == cap.severity
                and (cap.dimension is None or dimension_of(f.code) == cap.dimension)
                and (not cap.codes or f.code in cap.codes))
        if n >= cap.at_least:
            by_level.setdefault(cap.grade, f"{cap.reason.format(n=n)} → 至多“{cap.grade}”")
            if GRADES.index(cap.grade) > GRADES.index(grade):
                grade = cap.grade
    if not by_level:
        return grade, ["机器可核对的内容未发现错误和警告（需人工判断的内容除外）"]
    return grade, [by_level[g] for g in reversed(GRADES) if g in by_level]


@dataclass(frozen=True, slots=True)
class FormFacts:
    """What the review measures on the form alone (no findings needed): measured where the file
    was read, in the reading worker, for the form's budget year (``ingest.precheck``)."""

    quantitative: int
    valued: int
    vague: int
    costs: tuple[Cost, ...]


def form_facts(form: ProjectForm, ctx: Context) -> FormFacts:
    ctx.memo.clear()
    ctx = context_for(form, ctx)
    part, whole = quantified(form, ctx)
    return FormFacts(part, whole, len(vague_values(form, ctx)), tuple(costs(form, ctx)))


def review_project(form: ProjectForm, findings: list[Finding], ctx: Context,
                   facts: FormFacts | None = None) -> ProjectReview:
    """The drafted review of one form; ``facts`` when they were measured already (same year)."""
    if facts is None:
        facts = form_facts(form, ctx)
    part, whole, vague, found = facts.quantitative, facts.valued, facts.vague, list(facts.costs)
    grade, reasons = propose_grade(findings, ctx.rulebook.scheme)
    dims = {d: DimensionReview(d, [], MANUAL[d]) for d in DIMENSIONS}
    for f in findings:
        dims[dimension_of(f.code)].findings.append(f)
    dims["相关性"].facts.append(f"定量指标 {part}/{whole} 个（{_share(part, whole)}），用语模糊的指标值 {vague} 个")
    if found:
        kinds = Counter(c.kind for c in found)
        dims["适当性"].facts.append("成本指标 " + "、".join(f"{k} {n} 个" for k, n in sorted(kinds.items())))
    else:
        dims["适当性"].facts.append("没有可换算为金额的成本指标")
    return ProjectReview(form, grade, reasons, list(dims.values()), part, whole, vague, found)


def _share(part: int, whole: int) -> str:
    return f"{Decimal(100 * part) / Decimal(whole):.0f}%" if whole else "—"


def review_run(result: RunResult, rulebook: Rulebook | str | None = None) -> list[ProjectReview] | RunReviews:
    """A ProjectReview per project of the run, in project order (drafted when read, for a
    streamed run: ``RunReviews``)."""
    reviews = RunReviews(result, rulebook)
    return reviews if result.streamed else list(reviews)


class RunReviews(Sequence):
    """The run's reviews, drafted again each time they are read instead of held: a streamed
    run's 20,000 reviews took 30 MB, and drafting one costs little (the form-only measures
    come from the reading workers; the grade is a count of findings)."""

    def __init__(self, result: RunResult, rulebook: Rulebook | str | None = None) -> None:
        self.book = rulebook if isinstance(rulebook, Rulebook) else rulebooks.get(rulebook)
        self.result = result
        self._grades: dict[tuple, str] | None = None
        self.findings_of: Callable[[tuple], list[Finding]]
        if isinstance(result.findings, SpooledFindings):
            self.findings_of = result.findings.of_form  # read from the spool, a file at a time
        else:
            by_form: dict[tuple, list[Finding]] = {}
            for f in result.findings:
                by_form.setdefault(f.form_key, []).append(f)
            self.findings_of = lambda key: by_form.get(key, [])

    def review(self, form: ProjectForm, ctx: Context) -> ProjectReview:
        return review_project(form, self.findings_of(form.key), ctx, self.result.facts.get(form.key))

    def grades(self) -> dict[tuple, str]:
        """Each project's proposed grade by ``ProjectForm.key``, in project order: drafted once,
        then kept for 项目清单, 汇总 and the console, which need no more of the review."""
        if self._grades is None:
            self._grades = {r.form.key: r.grade for r in self}
        return self._grades

    def __len__(self) -> int:
        return len(self.result.projects)

    def __iter__(self) -> Iterator[ProjectReview]:
        ctx = Context.for_year(self.result.year, self.book)
        return (self.review(form, ctx) for form in self.result.projects)

    def __getitem__(self, i):
        ctx = Context.for_year(self.result.year, self.book)
        if isinstance(i, slice):
            return [self.review(form, ctx) for form in self.result.projects[i]]
        return self.review(self.result.projects[i], ctx)


def reviews_of(result: RunResult) -> list[ProjectReview]:
    """The run's reviews (computed with the default rulebook when the run did not attach them)."""
    if len(result.reviews) != len(result.projects):
        result.reviews = review_run(result)
    return result.reviews


def grades_of(reviews: list[ProjectReview] | RunReviews) -> dict[tuple, str]:
    """The proposed grades by ``ProjectForm.key``, in project order (a streamed run's
    ``RunReviews`` keeps them)."""
    return reviews.grades() if isinstance(reviews, RunReviews) else {r.form.key: r.grade for r in reviews}


def grade_counts(reviews: list[ProjectReview] | RunReviews) -> Counter:
    return Counter(grades_of(reviews).values())
