"""Plain data records that flow from the reader to the writers.

Everything parsed from a workbook keeps where it came from (sheet + A1 cell), so that
every finding can point at the cell a person has to fix.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from budget_xls import fields as form_fields

T = TypeVar("T")


def compact_pickle(cls: type[T] | None = None, *, shared: tuple[str, ...] = ()) -> type[T]:
    """Pickle a slotted dataclass as ``(class, field values)``.

    The workers send every parsed form to the main process. The dataclass default for
    slotted classes calls ``fields()`` for every object on both sides, which made
    unpickling cost a quarter of reading the file in the first place; this form is read
    back through ``__init__`` with positional arguments.

    ``shared``: fields whose short texts recur from file to file (a rule's code and hint, a
    cell's A1, a unit's name): read back as one string each (``sys.intern``), which a city's
    run of 20,000 forms, held until the workbook is written, needs once instead of each time.
    """
    if cls is None:
        return lambda c: compact_pickle(c, shared=shared)
    names = [f.name for f in fields(cls)]
    get = attrgetter(*names)
    if shared:
        positions = tuple(names.index(n) for n in shared)
        cls.__reduce__ = lambda self: (_shared_strings, (cls, positions, get(self)))
    elif len(names) == 1:
        cls.__reduce__ = lambda self: (cls, (get(self),))
    else:
        cls.__reduce__ = lambda self: (cls, get(self))
    return cls


SHARED_TEXT = 64  # characters: longer texts (messages, goals) are rarely the same twice


def _shared_strings(cls: type, positions: tuple[int, ...], values: tuple) -> Any:
    values = list(values)
    for i in positions:
        v = values[i]
        if type(v) is str and len(v) <= SHARED_TEXT:
            values[i] = sys.intern(v)
    return cls(*values)


@lru_cache(maxsize=4096)  # the parser names tens of cells per indicator row: A1 text for each
def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=1 << 15)  # one string per cell: a file's forms share it when pickled (less to send and keep)
def a1(row: int, col: int) -> str:
    """0-based (row, col) → A1 reference."""
    return f"{col_letter(col)}{row + 1}"


@compact_pickle(shared=("raw", "value", "cell"))
@dataclass(frozen=True, slots=True)
class Field:
    """One parsed form field: the raw cell value, its parsed value and its cell.

    ``cell`` is None when the label was not found at all; ``raw`` is None when the
    label was found but its value cell is empty (the cell then is the expected
    value cell, so a finding can still point somewhere useful).
    """

    raw: Any = None
    value: Any = None
    cell: str | None = None
    error: str | None = None  # why the raw value could not be parsed (S03)
    unit: str | None = None  # money: the unit the form used ("万元" when converted from it, "元")

    @property
    def blank(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


MISSING = Field()


@compact_pickle
@dataclass(frozen=True, slots=True)
class Indicator:
    level1: str | None
    level2: str | None
    name: str | None
    raw: str | None
    value: Any  # indicators.Value
    row: int  # 0-based sheet row
    cells: dict[str, str]  # role → A1: "level1", "level2", "name", "value"
    level1_raw: str | None = None
    level2_raw: str | None = None
    others: dict[str, str] | None = None  # other horizons' or places' values: column header → raw

    @property
    def cell(self) -> str:
        return self.cells["value"]


@compact_pickle
@dataclass(frozen=True, slots=True)
class BudgetLine:
    item: str | None
    basis: str | None
    unit_price: Field
    quantity: Field
    amount: Field
    row: int


@compact_pickle
@dataclass(slots=True)
class ProjectForm:
    file: str
    sheet: str
    fields: dict[str, Field] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_header: str | None = None  # A1 of the 一级指标 header, when found
    narrative: dict[str, Field] = field(default_factory=dict)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    budget_total: Field = MISSING  # the 合计 row of 年度预算安排
    budget_header: str | None = None
    year: int | None = None  # from the form's "(2022 年度)" header
    year_cell: str | None = None
    layout: str = "official"  # "template" when our version stamp was found
    # Cells (A1, what) inside the indicator or budget tables that are formulas without a
    # cached value: read as missing, reported by R03.
    uncached: list[tuple[str, str]] = field(default_factory=list)
    template_version: str | None = None
    labels: tuple[str, ...] = ()  # keys of the fields whose label the form carries
    vintage: str = "shanghai"  # template | shanghai (the official 申报表) | other (another publisher's form)
    cost_level: bool = False  # the table has 成本指标 as a 一级 (经济/社会/生态环境成本指标) before 2025
    position: int | None = None  # the form's place on its sheet when several share it (1, 2, …)
    # Table cells (A1, what, "#REF!") whose cached value is an Excel error: read as missing, reported by R09.
    excel_errors: list[tuple[str, str, str]] = field(default_factory=list)
    # Values in hidden rows that contradict the visible ones, which were read (R10):
    # (hidden value's A1, field key, hidden value, visible value's A1, visible value)
    hidden_values: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)

    def get(self, key: str) -> Field:
        return self.fields.get(key, MISSING)

    @property
    def name(self) -> str | None:
        v = self.get("name").value
        return v if v else None

    @property
    def location(self) -> str:
        return f"{self.file}!{self.sheet}"

    @property
    def key(self) -> tuple[str, str, int]:
        """(file, sheet, place on the sheet): unique, also when several forms share a sheet."""
        return (self.file, self.sheet, self.position or 0)

    def amount(self, key: str) -> Decimal | None:
        v = self.get(key).value
        return v if isinstance(v, Decimal) else None

    def date(self, key: str) -> dt.date | None:
        v = self.get(key).value
        return v if isinstance(v, dt.date) else None

    @property
    def money_unit(self) -> str | None:
        """The unit the form's amounts were written in ("万元" or "元"), None when it has none."""
        money = form_fields.money_keys()
        units = [f.unit or "元" for k, f in self.fields.items() if k in money and isinstance(f.value, Decimal)]
        if not units:
            return None
        return "万元" if "万元" in units else "元"


@compact_pickle(shared=("code", "severity", "file", "sheet", "cell", "project", "hint", "value"))
@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str  # "error" | "warning" | "info"
    file: str
    sheet: str | None
    cell: str | None
    project: str | None
    message: str
    hint: str = ""
    value: str | None = None  # the current value, as text, for the report
    position: int | None = None  # which form of the sheet, when several share it (ProjectForm.position)

    @property
    def form_key(self) -> tuple[str, str, int]:
        return (self.file, self.sheet or "", self.position or 0)

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.position or 0, _cell_key(self.cell), self.code, self.message)


def _cell_key(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (-1, -1)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch.upper()) - 64)
    return (int(digits or 0), col)


@compact_pickle
@dataclass(slots=True)
class FileRecord:
    """One path found under the input folder, whatever became of it."""

    file: str  # relative to the input folder, '/' separators
    status: str  # ok | unreadable | no_projects | skipped
    sha256: str | None = None
    size: int | None = None
    modified: str | None = None  # ISO time of the file's mtime (UTC)
    projects: int = 0
    reason: str | None = None
    cover: dict[str, str] = field(default_factory=dict)  # 封面: 填报单位, 联系人 …
    year: int | None = None
    template_version: str | None = None  # the stamp (defined name 模板版本), when there is one
    duplicate_of: str | None = None  # X03: the earlier file with the same bytes
    annotated_copy: bool = False  # R08: one of our annotated copies, sent back (read like any workbook)


# ---------------------------------------------------------------- run records


@dataclass
class FileResult:
    """What reading one file gave: its manifest entry, its forms and its file-level findings."""

    record: FileRecord
    forms: list[ProjectForm] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)  # sheets that hold no form
    formlike: dict[str, str] = field(default_factory=dict)  # sheet → why it looks like a form (no project read)
    hidden_sheets: dict[str, str] = field(default_factory=dict)  # sheet holding forms → hidden | veryhidden (R11)
    # form key → (budget year, project findings): the rules, run in the worker that read the file;
    # the run reuses them when that year is its settled year.
    checked: dict[tuple, tuple[int, list[Finding]]] = field(default_factory=dict)
    # form key → the project's JSON entry (``encode_project``), encoded where the file was read
    encoded: dict[tuple, str] = field(default_factory=dict)
    # form key → (budget year, review.FormFacts): the review's form-only measures, like ``checked``
    facts: dict[tuple, tuple[int, Any]] = field(default_factory=dict)


def result_rows(result: FileResult) -> int:
    """The rows a file adds to the run's outputs: its projects, indicators, budget lines and findings."""
    rows = sum(1 + len(f.indicators) + len(f.budget_lines) for f in result.forms)
    return rows + sum(len(found) for _, found in result.checked.values())


@dataclass(frozen=True, slots=True)
class Roster:
    """The sub-units expected to submit (``--roster``)."""

    file: str  # as the user named it
    names: tuple[str, ...]


@dataclass(slots=True)
class RosterEntry:
    name: str
    matches: list[tuple[str, str]] = field(default_factory=list)  # (file, 填报单位|实施单位|主管部门|文件名)

    @property
    def submitted(self) -> bool:
        return bool(self.matches)

    @property
    def matched_text(self) -> str:
        """Where it was found, per file: "组织科.xlsx（填报单位、实施单位）；…"."""
        by_file: dict[str, list[str]] = {}
        for file, what in self.matches:
            by_file.setdefault(file, []).append(what)
        return "；".join(f"{file}（{'、'.join(whats)}）" for file, whats in by_file.items())


@dataclass
class RunResult:
    """A whole run: every file, every project, every finding, in a settled budget year."""

    folder: Path
    year: int | None  # None only when no form was read at all
    files: list[FileRecord]
    projects: list[ProjectForm]
    findings: list[Finding]
    strict: bool = False
    roster: list[RosterEntry] | None = None  # every roster entry and where it was found
    sources: dict[str, Path] = field(default_factory=dict)  # FileRecord.file → path read
    encoded: dict[tuple, str] = field(default_factory=dict)  # ProjectForm.key → JSON entry
    comparison: Any = None  # compare.Comparison with last year's run, when --previous was given
    reviews: list = field(default_factory=list)  # review.ProjectReview per project, in project order
    facts: dict[tuple, Any] = field(default_factory=dict)  # ProjectForm.key → review.FormFacts measured in the worker
    # A large run: the forms' bulky parts were spooled to disk (``spool``) and the writer streams
    # its large sheets (the same cells as a run held in memory).
    streamed: bool = False
    spool: Any = None

    def _count(self, severity: str) -> int:
        counted = getattr(self.findings, "severities", None)  # spool.SpooledFindings counts as it goes
        if counted is not None:
            return counted[severity]
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self._count("error")

    @property
    def warnings(self) -> int:
        return self._count("warning")

    @property
    def exit_code(self) -> int:
        if self.errors or (self.strict and self.warnings):
            return 1
        return 0

    def findings_for(self, form: ProjectForm) -> list[Finding]:
        return [f for f in self.findings if f.form_key == form.key]


# ---------------------------------------------------------------- serialisation (the JSON contract)


def json_number(value: Any) -> int | float | None:
    """A Decimal as JSON: an integer stays an integer; None for anything else."""
    if not isinstance(value, Decimal):
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _json_value(form: ProjectForm, spec) -> Any:
    value = form.get(spec.key).value
    if spec.kind == form_fields.MONEY:
        return json_number(value)
    if spec.kind == form_fields.DATE:
        return value.isoformat() if isinstance(value, dt.date) else None
    return value


def project_entry(form: ProjectForm) -> dict:
    """A project's entry of the JSON report (a contract: extend it, never break it)."""
    table = form_fields.table()
    entry: dict[str, Any] = {"file": form.file, "sheet": form.sheet}
    for spec in table:
        if spec.json == "top":
            entry[spec.key] = _json_value(form, spec)
    entry["funds"] = {spec.key: _json_value(form, spec) for spec in table if spec.json == "funds"}
    entry["indicators"] = [
        {
            "level1": i.level1,
            "level2": i.level2,
            "name": i.name,
            "raw": i.raw,
            "operator": None if i.value.implied_operator else i.value.operator,
            "value": json_number(i.value.number),
            "unit": i.value.unit,
            "kind": i.value.kind,
            "cell": i.cell,
            **({"other_values": i.others} if i.others else {}),
        }
        for i in form.indicators
    ]
    entry["budget_lines"] = [
        {"item": b.item, "basis": b.basis, "unit_price": json_number(b.unit_price.value),
         "quantity": json_number(b.quantity.value), "amount": json_number(b.amount.value),
         "row": b.row + 1}
        for b in form.budget_lines
    ]
    entry["layout"] = form.layout
    entry["money_unit"] = form.money_unit
    if form.position:
        entry["position"] = form.position
    return entry


JSON_ENCODER = json.JSONEncoder(ensure_ascii=False)


def encode_project(form: ProjectForm) -> str:
    """A project's report entry as JSON text: each worker encodes the projects it read, so
    the main process only joins them."""
    return JSON_ENCODER.encode(project_entry(form))
