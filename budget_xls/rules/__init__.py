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

from budget_xls.model import FileResult, Finding, ProjectForm, Roster, RosterEntry
from budget_xls.vocab import FRAMEWORK_2025, FRAMEWORK_COST_LEVEL, Framework, framework_for

SEVERITIES = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


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

    def remember(self, key: str, form: ProjectForm, compute: Callable[[], Any]) -> Any:
        hit = self.memo.get(key)
        if hit is not None and hit[0] is form:
            return hit[1]
        value = compute()
        self.memo[key] = (form, value)
        return value

    @classmethod
    def for_year(cls, year: int) -> "Context":
        return cls(year=year, framework=framework_for(year))


@dataclass(frozen=True)
class RunFacts:
    """What the run-scope rules judge: the settled year, every file's result, the roster."""

    year: int | None
    results: list[FileResult]
    roster: Roster | None = None
    roster_entries: list[RosterEntry] | None = None
    comparison: Any = None  # compare.Comparison with last year's run (--previous), for the P rules

    @property
    def projects(self) -> list[ProjectForm]:
        return [f for r in self.results for f in r.forms]


REGISTRY: dict[str, Rule] = {}
# Keyword arguments of finding(): a message field of the same name could never be filled.
_RESERVED_FIELDS = frozenset({"code", "file", "sheet", "cell", "project", "value", "position"})


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rule(code: str, severity: str, title: str, message: str, hint: str, scope: str = "project"):
    """Register a rule function under a stable code."""
    assert severity in SEVERITIES, severity
    assert scope in ("project", "file", "run"), scope
    clash = (template_fields(message) | template_fields(hint)) & _RESERVED_FIELDS
    assert not clash, f"{code}: message fields {sorted(clash)} are reserved"

    def register(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        REGISTRY[code] = Rule(code, severity, title, message, hint, scope, func, doc)
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


def finding(code: str, *, file: str, sheet: str | None = None, cell: str | None = None,
            project: str | None = None, value: Any = None, position: int | None = None, **fields: Any) -> Finding:
    """Build the finding of a registered rule, its message and hint filled from ``fields``."""
    r = REGISTRY[code]
    shown = {k: fmt_value(v) for k, v in fields.items()}
    return Finding(code=code, severity=r.severity, file=file, sheet=sheet, cell=cell,
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


def check_project(form: ProjectForm, ctx: Context, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every project rule on one form."""
    out: list[Finding] = []
    project = form.name
    ctx.memo.clear()
    if form.cost_level and ctx.framework is not FRAMEWORK_2025:
        ctx = Context(ctx.year, FRAMEWORK_COST_LEVEL, ctx.memo)  # the form follows the 成本-as-一级 model
    for r in _rules("project", ignore):
        hits: Iterator[Hit] = r.func(form, ctx)
        for hit in hits:
            out.append(finding(r.code, file=form.file, sheet=hit.sheet or form.sheet, cell=hit.cell,
                               project=project, value=hit.value, position=form.position, **hit.fields))
    return out


def _load_rule_modules() -> None:
    # Import order is catalogue order.
    from budget_xls.rules import read, structure, money, dates, indicators, crossfile, previous  # noqa: F401


_load_rule_modules()
