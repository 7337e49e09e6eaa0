"""The rule registry: every check budget-xls makes, with a stable code.

A rule is a function registered with ``@rule(...)``: its code (never reused), its
severity, a Chinese title, a Chinese message template with named fields, a fix hint
and a docstring (what, why, a bad and a good example). Project rules take a
``ProjectForm`` and a ``Context`` and *yield* ``Hit`` objects; they never print or
raise for bad data. Rules about files and runs (R01, R02, X01 …) are registered the
same way so that they are documented alike, and are emitted by the pipeline through
``finding()``.
"""

from __future__ import annotations

import inspect
import string
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from budget_xls.model import Finding, ProjectForm
from budget_xls.vocab import Framework, framework_for

SEVERITIES = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a rule: where, what value, and the message's named fields."""

    cell: str | None = None
    value: Any = None
    fields: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None  # only when different from the form's sheet


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


REGISTRY: dict[str, Rule] = {}
# Keyword arguments of finding(): a message field of the same name could never be filled.
_RESERVED_FIELDS = frozenset({"code", "file", "sheet", "cell", "project", "value"})


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def rule(code: str, severity: str, title: str, message: str, hint: str, scope: str = "project"):
    """Register a rule function under a stable code."""
    assert severity in SEVERITIES, severity
    clash = (template_fields(message) | template_fields(hint)) & _RESERVED_FIELDS
    assert not clash, f"{code}: message fields {sorted(clash)} are reserved"

    def register(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        doc = inspect.cleandoc(func.__doc__ or "")
        REGISTRY[code] = Rule(code, severity, title, message, hint, scope,
                              func if scope == "project" else None, doc)
        return func

    return register


def fmt_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def finding(code: str, *, file: str, sheet: str | None = None, cell: str | None = None,
            project: str | None = None, value: Any = None, **fields: Any) -> Finding:
    """Build the finding of a registered rule (used for file- and run-scope rules)."""
    r = REGISTRY[code]
    shown = {k: fmt_value(v) for k, v in fields.items()}
    return Finding(code=code, severity=r.severity, file=file, sheet=sheet, cell=cell,
                   project=project, message=r.format(**shown), hint=r.hint.format_map(_Fields(shown)),
                   value=None if value is None else str(value))


def check_project(form: ProjectForm, ctx: Context, ignore: frozenset[str] = frozenset()) -> list[Finding]:
    """Run every project rule on one form."""
    out: list[Finding] = []
    project = form.name
    ctx.memo.clear()
    for r in REGISTRY.values():
        if r.func is None or r.code in ignore:
            continue
        hits: Iterator[Hit] = r.func(form, ctx)
        for hit in hits:
            out.append(finding(r.code, file=form.file, sheet=hit.sheet or form.sheet, cell=hit.cell,
                               project=project, value=hit.value, **hit.fields))
    return out


def _load_rule_modules() -> None:
    # Import order is catalogue order.
    from budget_xls.rules import read, structure, money, dates, indicators, crossfile  # noqa: F401


_load_rule_modules()
