"""The rule registry: every check budget-xls makes, with a stable code.

A rule is a function registered with ``@rule(...)``: its code (never reused), its
severity, a Chinese title, a Chinese message template with named fields, a fix hint
and a docstring (what, why, a bad and a good example). Every rule *yields* ``Hit``
objects and never prints or raises for bad data; by scope it is given:

- ``project``: a ``ProjectForm`` and a ``Context`` (``check_project``, run per form);
- ``file``: a ``FileResult``, what reading one file gave (``check_file``: R01, R02, R05);
- ``run``: a ``RunFacts``, every file and project of the run (``check_run``: R04, X01–X03, and
  P01–P05 against last year's run when ``--previous`` is given).
"""

from __future__ import annotations

import inspect
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from budget_xls import rulebooks
from budget_xls.model import FileResult, Finding, ProjectForm, Roster, RosterEntry
from budget_xls.rulebooks import DIMENSIONS, Rulebook
from budget_xls.vocab import FRAMEWORK_2025, FRAMEWORK_COST_LEVEL, Framework, framework_for

SEVERITIES = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}

# The finance bureau's review dimension (四性, 财预〔2015〕88号) of each code registered without
# ``dimension=``: 完整性 — the form is complete and well formed; 相关性 — the indicators are
# refined, quantified and fit the target; 适当性 — money and cost fit the target; 可行性 — the
# plan (dates, periods) can be carried out. docs/review.md explains the choice.
DIMENSION_OF = {
    **dict.fromkeys(("R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "S01", "S02", "S03", "S04", "M01", "M02",
                     "M03", "M06", "D04", "I01", "I02", "I03", "I08", "I12", "I16", "X01", "X02", "X03", "P02"),
                    "完整性"),
    **dict.fromkeys(("I04", "I05", "I06", "I07", "I11", "I13", "I15"), "相关性"),
    **dict.fromkeys(("M04", "M05", "M07", "M08", "M09", "I09", "I10", "I14", "P01", "P03", "P04", "P05"), "适当性"),
    **dict.fromkeys(("D01", "D02", "D03"), "可行性"),
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a rule: where, what value, and the message's named fields."""

    cell: str | None = None
    value: Any = None
    fields: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None  # only when different from the form's sheet
    file: str | None = None  # run rules: the file the finding belongs to
    project: str | None = None  # run rules: the project it concerns
    position: int | None = None  # run rules: which form of its sheet


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    message: str
    hint: str
    scope: str  # project | file | run
    func: Callable[..., Iterable[Hit]] | None
    doc: str
    dimension: str = "完整性"  # 完整性 | 相关性 | 适当性 | 可行性

    def format(self, **fields: Any) -> str:
        return self.message.format_map(_Fields(fields))


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True)
class Context:
    year: int
    framework: Framework
    # What several rules derive from the form being checked (the indicator rows they judge):
    # computed once per form. check_project empties it before each form; entries hold the
    # form they were computed for and are used only for that very form.
    memo: dict[str, tuple[ProjectForm, Any]] = field(default_factory=dict, compare=False, repr=False)
    rulebook: Rulebook = rulebooks.DEFAULT  # --rulebook: levels and thresholds of the review rules

    def remember(self, key: str, form: ProjectForm, compute: Callable[[], Any]) -> Any:
        hit = self.memo.get(key)
        if hit is not None and hit[0] is form:
            return hit[1]
        value = compute()
        self.memo[key] = (form, value)
        return value

    @classmethod
    def for_year(cls, year: int, rulebook: Rulebook | str | None = None) -> "Context":
        book = rulebook if isinstance(rulebook, Rulebook) else rulebooks.get(rulebook)
        return cls(year=year, framework=framework_for(year), rulebook=book)


@dataclass(frozen=True)
class RunFacts:
    """What the run-scope rules judge: the settled year, every file's result, the roster."""

    year: int | None
    results: list[FileResult]
    roster: Roster | None = None
    roster_entries: list[RosterEntry] | None = None
    comparison: Any = None  # compare.Comparison with last year's run (--previous), for the P rules

    @property
    def projects(self) -> Iterator[ProjectForm]:
        """Every project, file after file (read once: a large run reads its forms back from disk)."""
        return (f for r in self.results for f in r.forms)


REGISTRY: dict[str, Rule] = {}
# Keyword arguments of finding(): a message field of the same name could never be filled.
_RESERVED_FIELDS = frozenset({"code", "file", "sheet", "cell", "project", "value", "position", "severity"})


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rule(code: str, severity: str, title: str, message: str, hint: str, scope: str = "project",
         dimension: str | None = None):
    """Register a rule function under a stable code (its review dimension given, or from DIMENSION_OF)."""
    assert severity in SEVERITIES, severity
    dimension = dimension or DIMENSION_OF.get(code)
    assert dimension in DIMENSIONS, f"{code}: give the rule a review dimension ({'/'.join(DIMENSIONS)})"
    assert scope in ("project", "file", "run"), scope
    clash = (template_fields(message) | template_fields(hint)) & _RESERVED_FIELDS
    assert not clash, f"{code}: message fields {sorted(clash)} are reserved"

    def register(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        REGISTRY[code] = Rule(code, severity, title, message, hint, scope, func, doc, dimension)
        return func

    return register


def explain(code: str) -> list[tuple[str, str]]:
    """A rule explained for users, in Chinese: (heading, text) pairs — what it checks, why, what its
    message and fix hint read like (placeholders filled from the bad example), a bad and a good example."""
    from budget_xls.rules.texts import TEXTS

    r = REGISTRY[code]
    t = TEXTS[code]
    example = {k: str(v) for k, v in dict(t.get("example", {})).items()}
    return [
        ("说明", str(t["what"])),
        ("原因", str(t["why"])),
        ("提示内容示例", r.message.format_map(_Fields(example))),
        ("修改建议", r.hint.format_map(_Fields(example))),
        ("错误示例", str(t["bad"])),
        ("正确示例", str(t["good"])),
    ]


def fmt_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def dimension_of(code: str) -> str:
    """The review dimension of a code (完整性 for a code no longer registered)."""
    r = REGISTRY.get(code)
    return r.dimension if r is not None else DIMENSION_OF.get(code, DIMENSIONS[0])


def finding(code: str, *, file: str, sheet: str | None = None, cell: str | None = None,
            project: str | None = None, value: Any = None, position: int | None = None,
            severity: str | None = None, **fields: Any) -> Finding:
    """Build the finding of a registered rule, its message and hint filled from ``fields``
    (``severity``: the level the run's rulebook gives it, when not the rule's own)."""
    r = REGISTRY[code]
    shown = {k: fmt_value(v) for k, v in fields.items()}
    return Finding(code=code, severity=severity or r.severity, file=file, sheet=sheet, cell=cell,
                   project=project, message=r.format(**shown), hint=r.hint.format_map(_Fields(shown)),
                   value=None if value is None else str(value), position=position)


def _rules(scope: str, ignore: frozenset[str]) -> Iterator[Rule]:
    return (r for r in REGISTRY.values() if r.scope == scope and r.code not in ignore)


def check_file(result: FileResult, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every file rule on what reading one file gave."""
    out: list[Finding] = []
    for r in _rules("file", ignore):
        for hit in r.func(result):
            out.append(finding(r.code, file=result.record.file, sheet=hit.sheet, cell=hit.cell,
                               project=hit.project, value=hit.value, **hit.fields))
    return out


def check_run(facts: RunFacts, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every run rule (across files) once."""
    out: list[Finding] = []
    for r in _rules("run", ignore):
        for hit in r.func(facts):
            out.append(finding(r.code, file=hit.file or "", sheet=hit.sheet, cell=hit.cell,
                               project=hit.project, value=hit.value, position=hit.position, **hit.fields))
    return out


def context_for(form: ProjectForm, ctx: Context) -> Context:
    """The context a form is judged in: the 成本-as-一级 framework when its table follows that model."""
    if form.cost_level and ctx.framework is not FRAMEWORK_2025:
        return Context(ctx.year, FRAMEWORK_COST_LEVEL, ctx.memo, ctx.rulebook)
    return ctx


def check_project(form: ProjectForm, ctx: Context, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every project rule on one form."""
    out: list[Finding] = []
    project = form.name
    ctx.memo.clear()
    ctx = context_for(form, ctx)
    levels = ctx.rulebook.severity
    for r in _rules("project", ignore):
        hits: Iterator[Hit] = r.func(form, ctx)
        for hit in hits:
            out.append(finding(r.code, file=form.file, sheet=hit.sheet or form.sheet, cell=hit.cell,
                               project=project, value=hit.value, position=form.position,
                               severity=levels.get(r.code), **hit.fields))
    return out


def _load_rule_modules() -> None:
    # Import order is catalogue order.
    from budget_xls.rules import read, structure, money, dates, indicators, quality, cost, crossfile, previous  # noqa: F401


_load_rule_modules()
