"""The machine-readable JSON report (a contract: extend it, never break it)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Iterable

from budget_xls import __version__
from budget_xls.model import JSON_ENCODER as _ENCODER
from budget_xls.model import ProjectForm, RunResult, project_entry
from budget_xls.outputs.atomic import OutputSet
from budget_xls.review import grade_counts, reviews_of
from budget_xls.rulebooks import GRADES
from budget_xls.rules import dimension_of


class Encoded(str):
    """An item already encoded as JSON (a project, encoded by the worker that read it)."""


def _project(result: RunResult, form: ProjectForm) -> dict | Encoded:
    text = result.encoded.get(form.key)
    return Encoded(text) if text is not None else project_entry(form)


def build_report(result: RunResult) -> dict:
    """The report as a dict; its projects, findings and reviews are produced one by one as
    ``dump`` writes them (a city's run never holds its whole report in memory)."""
    report = _base_report(result)
    if result.comparison is not None:  # --previous: a key of its own, the rest unchanged
        from budget_xls.compare import comparison_entry

        report["comparison"] = comparison_entry(result.comparison)
    return report


def _base_report(result: RunResult) -> dict:
    reviews = reviews_of(result)
    grades = grade_counts(reviews)
    return {
        "tool": "budget-xls",
        "version": __version__,
        "year": result.year,
        "summary": {
            "files": len(result.files),
            "projects": len(result.projects),
            "errors": result.errors,
            "warnings": result.warnings,
            "exit_code": result.exit_code,
            "proposed_grades": {g: grades[g] for g in GRADES},
        },
        "files": [
            {"file": f.file, "status": f.status, "sha256": f.sha256, "projects": f.projects,
             "size": f.size, "reason": f.reason}
            for f in result.files
        ],
        "projects": Items(_project(result, p) for p in result.projects),
        "findings": Items(
            {"code": f.code, "severity": f.severity, "file": f.file, "sheet": f.sheet, "cell": f.cell,
             "project": f.project, "message": f.message, "hint": f.hint, "value": f.value,
             **({"position": f.position} if f.position else {}), "dimension": dimension_of(f.code)}
            for f in result.findings
        ),
        "reviews": Items(r.to_json() for r in reviews),
        "roster": None if result.roster is None else [
            {"name": e.name, "submitted": e.submitted,
             "matches": [{"file": file, "by": what} for file, what in e.matches]}
            for e in result.roster
        ],
    }


def write_report(result: RunResult, path: Path, outputs: OutputSet | None = None, background: bool = False) -> Path:
    """Write the JSON report (staged in ``outputs`` when given, moved with the run's other outputs;
    ``background``: while the caller goes on, see ``OutputSet.stage``)."""
    if outputs is None:
        with OutputSet() as own:
            write_report(result, path, own)
            own.commit()
        return Path(path)
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            dump(build_report(result), fh)

    # Held in memory, the result is only read: the report is written by a forked child while
    # the workbook is written here. Streamed (a large run), it is written here: a child reads
    # every form and finding, and CPython's reference counts would copy their pages — most of
    # a large run's memory, twice.
    return outputs.stage(Path(path), write, background=background and result.spool is None)


class Items:
    """A list of the report produced while it is written (a generator, consumed once)."""

    def __init__(self, items: Iterable) -> None:
        self.items = items

    def __iter__(self):
        return iter(self.items)


def dump(report: dict, fh: IO[str]) -> None:
    """The report as JSON, one file / project / finding per line, written item by item.

    Readable and diff-friendly, and fast: json's C encoder runs only without ``indent``,
    so each item is encoded compactly by it (the indented pure-Python encoder took 0.4 s
    for 2,000 projects).
    """
    encode = _ENCODER.encode  # one encoder for every item: json.dumps(..., ensure_ascii=False) builds one per call
    write = fh.write
    write("{\n ")
    for i, (key, value) in enumerate(report.items()):
        write((",\n " if i else "") + encode(key) + ": ")
        if isinstance(value, (list, Items)):
            n = 0
            for item in value:
                write(("[\n  " if n == 0 else ",\n  ") + (item if isinstance(item, Encoded) else encode(item)))
                n += 1
            write("\n ]" if n else "[]")
        else:
            write(encode(value))
    write("\n}\n")


def dumps(report: dict) -> str:
    """``dump`` into a string."""
    out = io.StringIO()
    dump(report, out)
    return out.getvalue()
