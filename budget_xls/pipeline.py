"""A run: find the files, read them (``engine`` → ``ingest``), settle the year, check, assemble.

``consolidate`` (a folder) and ``check_paths`` (files a sub-unit checks) return a
``RunResult``; they never write anything. The writers (``outputs``) read that result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget_xls import engine, guards, limits
from budget_xls.discover import Found, discover
from budget_xls.ingest import file_record
from budget_xls.model import FileRecord, FileResult, Finding, ProjectForm, RunResult, result_rows
from budget_xls.review import review_run
from budget_xls.roster import Roster, match_roster
from budget_xls.rules import Context, RunFacts, check_file, check_project, check_run
from budget_xls.spool import SpoolError, Spooler, SpooledFindings, SpooledForms, SpooledMap, spool_result


class RunError(Exception):
    """The run cannot go on (exit 2); ``str(e)`` is a one-line Chinese message."""


@dataclass
class RunOptions:
    year: int | None = None
    ignore: frozenset[str] = frozenset()
    strict: bool = False
    exclude: frozenset[Path] = frozenset()  # our own output paths inside the folder
    roster: Roster | None = None  # --roster: the sub-units expected to submit
    rulebook: str | None = None  # --rulebook: a preset of rulebooks.PRESETS (None = default)
    jobs: int | None = None  # reading workers (engine.run_tasks); None = one per CPU
    progress: Callable[[str, int, int], None] | None = None  # (path, files done, total) as each is done
    previous: tuple = ()  # --previous: compare.Previous runs, last year first (P rules, 上年对比)
    change_threshold: Decimal = Decimal(30)  # --change-threshold, in % (P03)
    stream: bool | None = None  # spool the forms' bulky parts to disk: None = past limits.STREAM_ROWS rows


def consolidate(folder: Path, options: RunOptions) -> RunResult:
    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(f"找不到文件夹：{folder}")
    found = discover(folder, options.exclude)
    refuse_empty(folder, found)
    spooler = Spooler(options.stream)
    results = read_found(found, options, spooler)
    result = assemble(folder, skip_identical(results), options, spooler)
    result.sources = {f.rel: f.path for f in found if not f.skip}
    return result


def check_paths(paths: list[Path], options: RunOptions) -> RunResult:
    """Check individual workbooks (the sub-unit's pre-submission check)."""
    sources = {}
    for p in paths:
        if not p.is_file():
            raise RunError(f"找不到文件：{p}" if not p.exists() else f"不是文件：{p}")
    for p in paths:
        rel = p.name if len(paths) == 1 else p.as_posix()
        if rel in sources:
            continue  # the same path given twice
        sources[rel] = p
    tasks = [engine.Task(p, rel) for rel, p in sources.items()]
    spooler = Spooler(options.stream)
    results = read_tasks(tasks, options, spooler)
    result = assemble(Path("."), skip_identical(results), options, spooler)
    result.sources = sources
    return result


def refuse_empty(folder: Path, found: list[Found]) -> None:
    """No workbook at all in the inbox is not a clean run: say what is there instead (exit 2)."""
    if any(not f.skip for f in found):
        return
    files = [f.rel for f in found if f.is_file]
    if not files:
        raise RunError(f"文件夹 {folder} 中没有任何文件：请把各单位报送的工作簿（.xlsx/.xls/.ods）放入该文件夹")
    shown = "、".join(files[:8]) + (f" 等 {len(files)} 个" if len(files) > 8 else "")
    raise RunError(f"文件夹 {folder} 中没有可读取的工作簿（.xlsx/.xls/.ods），只有：{shown}；"
                   "请放入各单位报送的 Excel 工作簿（PDF、Word、图片请让报送单位改交 Excel 文件，压缩包请先解压）")


def read_found(found: list[Found], options: RunOptions, spooler: Spooler | None = None) -> list[FileResult]:
    """Skipped paths stay in place; the rest are read in worker processes (engine)."""
    done = 0

    def tick(rel: str) -> None:
        nonlocal done
        done += 1
        if options.progress:
            options.progress(rel, done, len(found))

    skipped = {f.rel: _skipped(f) for f in found if f.skip}
    for rel in skipped:
        tick(rel)
    tasks = [engine.Task(f.path, f.rel) for f in found if not f.skip]
    read = iter(read_tasks(tasks, options, spooler, progress=tick))
    out = [skipped[f.rel] if f.skip else next(read) for f in found]
    for f, r in zip(found, out):
        if f.annotated:
            r.record.annotated_copy = True
    return out


def read_tasks(tasks: list[engine.Task], options: RunOptions, spooler: Spooler | None = None,
               progress: Callable[[str], None] | None = None) -> list[FileResult]:
    """The files read (and their projects checked) in worker processes, admitted in input order
    by the memory budget and the spooler; a spool that cannot be written stops the run (exit 2)."""
    try:
        return engine.run_tasks(tasks, jobs=options.jobs, progress=progress,
                                check=(options.year, options.ignore, options.rulebook),
                                admit=RunBudget(spooler=spooler))
    except SpoolError as exc:
        raise RunError(str(exc)) from exc


class RunBudget:
    """The main process's memory budget (``limits.MAIN_MEMORY_BYTES``), spent file by file.

    The workers' memory is capped; the main process holds every form's rows until the
    workbook is written, at ``limits.ROW_BYTES`` each — ``limits.SPOOLED_ROW_BYTES`` once the
    ``spooler`` keeps the bulky parts on disk. Files are admitted in input order (so the
    outcome never depends on ``--jobs`` or timing); one that would pass the budget is refused
    with R01 and its forms dropped at once, and the files after it are still admitted while
    they fit. The spooler (when given) sees every admitted result after the budget.
    """

    def __init__(self, memory: int | None = None, spooler: Spooler | None = None) -> None:
        self.left = limits.MAIN_MEMORY_BYTES if memory is None else memory  # bytes
        self.spooler = spooler
        self.admitted: set[str] = set()  # SHA-256 of the files admitted so far

    def row_bytes(self, rows: int) -> int:
        spooled = self.spooler is not None and self.spooler.will_spool(rows)
        return limits.SPOOLED_ROW_BYTES if spooled else limits.ROW_BYTES

    def __call__(self, result: FileResult) -> FileResult:
        sha = result.record.sha256
        if sha and sha in self.admitted:
            # the same bytes as a file already admitted: skipped as X03 (skip_identical) — its
            # forms are dropped now, so it costs nothing while the other files are read
            return FileResult(result.record)
        rows = result_rows(result)
        cost = rows * self.row_bytes(rows)
        if cost <= self.left:
            self.left -= cost
            if sha:
                self.admitted.add(sha)
            return self.spooler(result) if self.spooler is not None else result
        record = result.record
        record.status, record.projects = "unreadable", 0
        record.reason = guards.over_run_budget(rows, self.left // self.row_bytes(rows))
        return FileResult(record)


def _skipped(found: Found) -> FileResult:
    if found.is_file:
        return FileResult(file_record(found.path, found.rel, "skipped", found.skip))
    return FileResult(FileRecord(file=found.rel, status="skipped", reason=found.skip))


def skip_identical(results: list[FileResult]) -> list[FileResult]:
    """A file with the same bytes as an earlier one is skipped (X03); its projects are not counted."""
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
        rec.status, rec.projects, rec.duplicate_of = "skipped", 0, original
        rec.reason = f"与“{original}”内容完全相同（重复提交），已跳过"
        out.append(FileResult(rec))
    return out


def settle_year(results: list[FileResult], year: int | None) -> int | None:
    """The budget year: --year, else the one the forms' "(2022 年度)" headers agree on; None when
    no form was read at all (every workbook unreadable): the clock never decides a budget year."""
    if year is not None:
        return year
    found = Counter(f.year for r in results for f in r.forms if f.year)
    if not found:
        if not any(r.forms for r in results):
            return None
        raise RunError("无法从申报表中识别预算年度，请用 --year 指定（如 --year 2022）")
    return found.most_common(1)[0][0]


def assemble(folder: Path, results: list[FileResult], options: RunOptions,
             spooler: Spooler | None = None) -> RunResult:
    """The run's result: every file's and project's findings (reusing the rules the workers
    ran when they judged the same year), then the rules across files."""
    year = settle_year(results, options.year)
    ctx = Context.for_year(year, options.rulebook) if year is not None else None
    spool = spooler.spool if spooler is not None else None
    files: list[FileRecord] = []
    projects: list[ProjectForm] | SpooledForms = []
    findings: list[Finding] | SpooledFindings = []
    encoded: dict[tuple, str] | SpooledMap = {}
    facts: dict[tuple, object] | SpooledMap = {}
    if spool is not None:
        # a spooled run keeps its light forms on disk, a record a file, and its findings too,
        # file by file as they are checked; the JSON entries and review measures are in the
        # forms' records
        projects = SpooledForms(spool)
        findings = SpooledFindings(spool)
        encoded, facts = SpooledMap(projects, 1), SpooledMap(projects, 2, year)
    for r in results:
        files.append(r.record)
        own = check_file(r, options.ignore)
        if spool is not None:
            spool_result(spool, r)  # a skipped file's empty result never met the spooler
            projects.extend(r.forms)  # by reference
        for form in r.forms:
            if spool is None:
                projects.append(form)
                if form.key in r.encoded:
                    encoded[form.key] = r.encoded[form.key]
                measured = r.facts.get(form.key)
                if measured and measured[0] == year:
                    facts[form.key] = measured[1]
            pre = r.checked.get(form.key)
            own.extend(pre[1] if pre and pre[0] == year else check_project(form, ctx, options.ignore))
        own = [f for f in own if f.code not in options.ignore]
        if spool is not None:
            findings.add(r.record.file, own)
        else:
            findings.extend(own)
    # (a form read means a settled year: ctx is None only when no form was read)
    roster = match_roster(options.roster, files, projects) if options.roster is not None else None
    comparison = None
    if options.previous:
        from budget_xls.compare import compare

        comparison = compare(list(options.previous), projects, options.change_threshold)
    across = check_run(RunFacts(year, results, options.roster, roster, comparison), options.ignore)
    findings.extend(f for f in across if f.code not in options.ignore)
    if spool is None:
        findings.sort(key=Finding.sort_key)  # (SpooledFindings: read back in this order)
    result = RunResult(folder=folder, year=year, files=files, projects=projects,
                       findings=findings, strict=options.strict, roster=roster, encoded=encoded,
                       comparison=comparison, facts=facts, streamed=spool is not None)
    result.spool = spool
    result.reviews = review_run(result, options.rulebook)
    return result
