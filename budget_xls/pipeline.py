"""The consolidation run: discover → read → parse → check → (writers).

``process_file`` handles one workbook and returns plain, picklable data, so it can run
in the calling process or in a worker. ``consolidate`` and ``check_paths`` assemble the
per-file results, settle the budget year, run the rules and the cross-file checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from budget_xls import limits
from budget_xls.discover import Found, discover, file_stat
from budget_xls.model import FileRecord, Finding, ProjectForm
from budget_xls.parser import SheetIndex, is_project_sheet, parse_sheet, read_cover
from budget_xls.reader import ReadError, read_bytes, read_workbook
from budget_xls.roster import Roster, RosterEntry, match_roster, roster_findings
from budget_xls.rules import Context, check_project, finding
from budget_xls.vocab import KNOWN_TEMPLATE_VERSIONS


class RunError(Exception):
    """The run cannot go on (exit 2); ``str(e)`` is a one-line Chinese message."""


@dataclass
class RunOptions:
    year: int | None = None
    ignore: frozenset[str] = frozenset()
    strict: bool = False
    exclude: frozenset[Path] = frozenset()  # our own output paths inside the folder
    roster: Roster | None = None  # --roster: the sub-units expected to submit
    jobs: int | None = None  # reading workers (engine.run_tasks); None = one per CPU
    progress: Callable[[str, int, int], None] | None = None  # (path, files done, total) as each is done


@dataclass
class FileResult:
    record: FileRecord
    forms: list[ProjectForm] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level (R01, R02)
    # sheet → (budget year, project findings): the rules, run in the worker that read the file
    # (precheck); assemble reuses them when that year is the run's settled year.
    checked: dict[str, tuple[int, list[Finding]]] = field(default_factory=dict)
    # sheet → the project's JSON report entry, encoded where the file was read (precheck)
    encoded: dict[str, str] = field(default_factory=dict)


def precheck(result: FileResult, year: int | None, ignore: frozenset[str]) -> FileResult:
    """What can be done where the file was read, in parallel with the other files: the project
    rules (for --year, else the form's own year) and the projects' JSON report entries."""
    from budget_xls.report import project_json

    for form in result.forms:
        y = year or form.year
        if y:
            result.checked[form.sheet] = (y, check_project(form, Context.for_year(y), ignore))
        result.encoded[form.sheet] = project_json(form)
    return result


@dataclass
class RunResult:
    folder: Path
    year: int
    files: list[FileRecord]
    projects: list[ProjectForm]
    findings: list[Finding]
    strict: bool = False
    roster: list[RosterEntry] | None = None  # every roster entry and where it was found
    sources: dict[str, Path] = field(default_factory=dict)  # FileRecord.file → path read
    encoded: dict[tuple[str, str], str] = field(default_factory=dict)  # (file, sheet) → JSON entry

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def exit_code(self) -> int:
        if self.errors or (self.strict and self.warnings):
            return 1
        return 0

    def findings_for(self, form: ProjectForm) -> list[Finding]:
        return [f for f in self.findings if f.file == form.file and f.sheet == form.sheet]


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


def process_file(path: Path, rel: str) -> FileResult:
    """Read one workbook into forms; never raises for bad input."""
    record = file_record(path, rel, "ok")
    try:
        data = read_bytes(path)  # read once: hashed here, parsed by the reader
    except ReadError as exc:
        try:  # too large to read whole: still fingerprint it for the manifest
            record.sha256 = sha256_of(path)
        except OSError:
            pass
        return _unreadable(record, str(exc))
    record.sha256 = hashlib.sha256(data).hexdigest()
    try:
        book = read_workbook(path, data)
    except ReadError as exc:
        return _unreadable(record, str(exc))
    result = FileResult(record)
    other_sheets = []
    for grid in book.sheets:
        index = SheetIndex.build(grid)
        if is_project_sheet(index):
            too_big = _oversized(grid)
            if too_big:  # the parser walks rows and columns up to the last value: bound them first
                return _unreadable(record, too_big)
            result.forms.append(parse_sheet(book, grid, index, rel))
        else:
            other_sheets.append(grid.name)
            if not record.cover:
                record.cover = read_cover(index)
    record.projects = len(result.forms)
    if book.template_version and book.template_version not in KNOWN_TEMPLATE_VERSIONS:
        result.findings.append(finding("R05", file=rel, value=book.template_version, version=book.template_version,
                                       known="、".join(sorted(KNOWN_TEMPLATE_VERSIONS))))
    years = [f.year for f in result.forms if f.year]
    record.year = Counter(years).most_common(1)[0][0] if years else None
    if not result.forms:
        record.status = "no_projects"
        record.reason = "没有找到项目申报表"
        result.findings.append(finding("R02", file=rel, sheets="、".join(other_sheets) or "无"))
    return result


def _oversized(grid) -> str | None:
    rows, cols = grid.max_row + 1, grid.max_col + 1
    if rows <= limits.MAX_ROWS and cols <= limits.MAX_COLS:
        return None
    return (f"项目表“{grid.name}”的数据区域过大（到第 {rows} 行、第 {cols} 列；申报表上限 {limits.MAX_ROWS} 行、"
            f"{limits.MAX_COLS} 列），未读取：请删除表格下方或右侧多余的内容后重新保存")


def _unreadable(record: FileRecord, reason: str) -> FileResult:
    record.status = "unreadable"
    record.reason = reason
    return FileResult(record, findings=[finding("R01", file=record.file, reason=reason)])


def _skipped(found: Found) -> FileResult:
    if found.is_file:
        return FileResult(file_record(found.path, found.rel, "skipped", found.skip))
    return FileResult(FileRecord(file=found.rel, status="skipped", reason=found.skip))


def consolidate(folder: Path, options: RunOptions) -> RunResult:
    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(f"找不到文件夹：{folder}")
    found = discover(folder, options.exclude)
    results = _process_found(found, options)
    result = assemble(folder, skip_identical(results), options)
    result.sources = {f.rel: f.path for f in found if not f.skip}
    return result


def _process_found(found: list[Found], options: RunOptions) -> list[FileResult]:
    """Skipped paths stay in place; the rest are read in worker processes (engine)."""
    from budget_xls.engine import Task, run_tasks

    done = 0

    def tick(rel: str) -> None:
        nonlocal done
        done += 1
        if options.progress:
            options.progress(rel, done, len(found))

    skipped = {f.rel: _skipped(f) for f in found if f.skip}
    for rel in skipped:
        tick(rel)
    tasks = [Task(f.path, f.rel) for f in found if not f.skip]
    read = iter(run_tasks(tasks, jobs=options.jobs, progress=tick, check=(options.year, options.ignore)))
    return [skipped[f.rel] if f.skip else next(read) for f in found]


def check_paths(paths: list[Path], options: RunOptions) -> RunResult:
    """Check individual workbooks (the sub-unit's pre-submission check)."""
    from budget_xls.engine import Task, run_tasks

    sources = {}
    for p in paths:
        if not p.is_file():
            raise RunError(f"找不到文件：{p}" if not p.exists() else f"不是文件：{p}")
    for p in paths:
        rel = p.name if len(paths) == 1 else p.as_posix()
        if rel in sources:
            continue  # the same path given twice
        sources[rel] = p
    results = run_tasks([Task(p, rel) for rel, p in sources.items()], jobs=options.jobs)
    result = assemble(Path("."), skip_identical(results), options)
    result.sources = sources
    return result


def skip_identical(results: list[FileResult]) -> list[FileResult]:
    """X03: a file with the same bytes as an earlier one is skipped; its projects are not counted."""
    first: dict[str, str] = {}
    out = []
    for r in results:
        rec = r.record
        if rec.status == "skipped" or not rec.sha256:
            out.append(r)
            continue
        original = first.setdefault(rec.sha256, rec.file)
        if original == rec.file:
            out.append(r)
            continue
        rec.status, rec.projects = "skipped", 0
        rec.reason = f"与“{original}”内容完全相同（重复提交），已跳过"
        out.append(FileResult(rec, findings=[finding("X03", file=rec.file, original=original)]))
    return out


def settle_year(results: list[FileResult], year: int | None) -> tuple[int, list[Finding]]:
    """The budget year: --year, else the one the forms' "(2022 年度)" headers agree on."""
    forms = [f for r in results for f in r.forms]
    found = Counter(f.year for f in forms if f.year)
    if year is None:
        if not found:
            if not forms:
                return dt.date.today().year, []
            raise RunError("无法从申报表中识别预算年度，请用 --year 指定（如 --year 2022）")
        year = found.most_common(1)[0][0]
    findings = [
        finding("R04", file=f.file, sheet=f.sheet, cell=f.year_cell, project=f.name,
                value=f.year, form_year=f.year, year=year)
        for f in forms if f.year and f.year != year
    ]
    return year, findings


def assemble(folder: Path, results: list[FileResult], options: RunOptions) -> RunResult:
    year, findings = settle_year(results, options.year)
    ctx = Context.for_year(year)
    files, projects = [], []
    encoded: dict[tuple[str, str], str] = {}
    for r in results:
        files.append(r.record)
        findings.extend(r.findings)
        for form in r.forms:
            projects.append(form)
            if form.sheet in r.encoded:
                encoded[(form.file, form.sheet)] = r.encoded[form.sheet]
            pre = r.checked.get(form.sheet)
            findings.extend(pre[1] if pre and pre[0] == year else check_project(form, ctx, options.ignore))
    findings.extend(duplicate_projects(projects))
    roster = None
    if options.roster is not None:
        roster = match_roster(options.roster, files, projects)
        findings.extend(roster_findings(options.roster, roster))
    findings = [f for f in findings if f.code not in options.ignore]
    findings.sort(key=Finding.sort_key)
    return RunResult(folder=folder, year=year, files=files, projects=projects,
                     findings=findings, strict=options.strict, roster=roster, encoded=encoded)


def duplicate_projects(projects: list[ProjectForm]) -> list[Finding]:
    """X01: the same 实施单位 + 项目名称 in more than one place; every place is named."""
    groups: dict[tuple[str, str], list[ProjectForm]] = {}
    for form in projects:
        name = form.name
        if not name:
            continue
        unit = form.get("implementer").value or ""
        key = ("".join(str(unit).split()), "".join(name.split()))
        groups.setdefault(key, []).append(form)
    out = []
    for (_, _), forms in groups.items():
        if len(forms) < 2:
            continue
        places = "；".join(f"{f.file}「{f.sheet}」" for f in forms)
        for form in forms:
            out.append(finding("X01", file=form.file, sheet=form.sheet, cell=form.get("name").cell,
                               project=form.name, value=form.name, name=form.name,
                               implementer=form.get("implementer").value or "（空）", places=places))
    return out
