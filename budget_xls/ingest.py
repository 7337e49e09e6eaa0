"""One file, start to end: fingerprint → sniff → read → parse → the project rules.

``read_file`` handles one workbook and returns plain, picklable records (``FileResult``),
so it runs in a reading worker (``engine``) as well as in the calling process. It never
raises for bad input: a file that cannot be read is marked unreadable with a plain reason
(``guards``), and rule R01 reports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

from budget_xls import guards, limits
from budget_xls.discover import file_stat
from budget_xls.model import FileRecord, FileResult, encode_project
from budget_xls.parser import SheetIndex, find_blocks, looks_like_a_form, parse_block, read_cover
from budget_xls.reader import ReadError, read_bytes, read_workbook
from budget_xls.rules import Context, check_project


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_record(path: Path, rel: str, status: str, reason: str | None = None) -> FileRecord:
    """A manifest entry with the file's size and modification time (UTC) when it is a regular file."""
    record = FileRecord(file=rel, status=status, reason=reason)
    st = file_stat(path)
    if st is not None:
        record.size = st.st_size
        record.modified = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).replace(microsecond=0).isoformat()
    return record


def read_file(path: Path, rel: str) -> FileResult:
    """Read one workbook into forms; never raises for bad input."""
    record = file_record(path, rel, "ok")
    try:
        data = read_bytes(path)  # read once: hashed here, parsed by the reader
    except ReadError as exc:
        try:  # too large to read whole: still fingerprint it for the manifest
            record.sha256 = sha256_of(path)
        except OSError:
            pass
        return unreadable(record, str(exc))
    record.sha256 = hashlib.sha256(data).hexdigest()
    try:
        book = read_workbook(path, data)
    except ReadError as exc:
        return unreadable(record, str(exc))
    result = FileResult(record)
    for grid in book.sheets:
        index = SheetIndex.build(grid)
        blocks = find_blocks(index)
        if blocks:
            rows, cols = grid.max_row + 1, grid.max_col + 1
            if rows > limits.MAX_ROWS or cols > limits.MAX_COLS:
                # the parser walks rows and columns up to the last value: bound them first
                return unreadable(record, guards.project_sheet_too_big(grid.name, rows, cols))
            forms = [parse_block(book, grid, index, rel, b) for b in blocks]
            if len(forms) > 1:
                for i, form in enumerate(forms, start=1):
                    form.position = i
            result.forms.extend(forms)
            if grid.visibility != "visible":
                result.hidden_sheets[grid.name] = grid.visibility
        else:
            result.other_sheets.append(grid.name)
            why = looks_like_a_form(index)
            if why:
                result.formlike[grid.name] = why
            if not record.cover:
                record.cover = read_cover(index)
    record.projects = len(result.forms)
    record.template_version = book.template_version
    years = [f.year for f in result.forms if f.year]
    record.year = Counter(years).most_common(1)[0][0] if years else None
    if not result.forms:
        record.status = "no_projects"
        record.reason = "没有找到项目申报表"
    return result


def unreadable(record: FileRecord, reason: str) -> FileResult:
    record.status = "unreadable"
    record.reason = reason
    return FileResult(record)


def failed(path: Path, rel: str, reason: str) -> FileResult:
    """An unreadable result for a file whose reading worker could not deliver one."""
    record = file_record(path, rel, "unreadable")
    if record.size is not None:
        try:
            record.sha256 = sha256_of(path)
        except OSError:
            pass
    return unreadable(record, reason)


def precheck(result: FileResult, year: int | None, ignore: frozenset[str], rulebook: str | None = None) -> FileResult:
    """What can be done where the file was read, in parallel with the other files: the project
    rules (for --year, else the form's own year), the review's measures of each form and the
    projects' JSON report entries."""
    from budget_xls.review import form_facts

    for form in result.forms:
        y = year or form.year
        if y:
            ctx = Context.for_year(y, rulebook)
            result.checked[form.key] = (y, check_project(form, ctx, ignore))
            result.facts[form.key] = (y, form_facts(form, ctx))
        result.encoded[form.key] = encode_project(form)
    return result


def ingest(path: Path, rel: str, check: tuple | None = None) -> FileResult:
    """``read_file``, then (with ``check`` = (year, ignored codes[, rulebook name])) ``precheck``."""
    result = globals()["read_file"](path, rel)  # looked up at call time: tests replace it
    return precheck(result, *check) if check is not None else result
