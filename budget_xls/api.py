"""One call per command, for Python users (and the CLI, which is options plus these calls).

    import budget_xls
    result = budget_xls.consolidate("inbox/", year=2022)
    budget_xls.write_outputs(result, "output/绩效目标汇总.xlsx")
    print(result.exit_code, len(result.projects), result.errors)

Nothing here prints; failures that stop a run raise ``RunError`` (a one-line Chinese
message), output problems ``OutputLocked``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal
from collections.abc import Callable, Iterable
from pathlib import Path

from budget_xls.discover import WORKBOOK_SUFFIXES, is_our_output
from budget_xls.model import Roster, RunResult
from budget_xls.outputs.atomic import OutputLocked
from budget_xls.pipeline import RunError, RunOptions

DEFAULT_OUTPUT = Path("output") / "绩效目标汇总.xlsx"


def default_report_path(output: Path) -> Path:
    return Path(output).with_suffix(".json")


def consolidate(folder: str | os.PathLike, *, year: int | None = None, ignore: Iterable[str] = (),
                strict: bool = False, roster: Roster | str | os.PathLike | None = None, jobs: int | None = None,
                outputs: Iterable[str | os.PathLike] = (), feedback: str | os.PathLike | None = None,
                progress: Callable[[str, int, int], None] | None = None,
                previous: Iterable[str | os.PathLike] = (), change_threshold: float | Decimal = 30,
                rulebook: str | None = None, stream: bool | None = None) -> RunResult:
    """Read and check every workbook under ``folder``; the run's ``RunResult`` (nothing is written).

    ``outputs`` are the paths the caller will write (the workbook, then the JSON report),
    ``feedback`` the folder of annotated copies: before anything is read they are checked
    against each other and against the inputs (``check_output_paths``), and skipped if
    they lie inside the folder.
    ``previous``: last year's run (its consolidated workbook, its JSON report or its folder
    of forms), and optionally the year before's: the P rules and ``result.comparison``.
    ``stream``: keep the forms' bulky parts on disk and stream the workbook's large sheets —
    None (the default) does so past ``limits.STREAM_ROWS`` output rows; True/False force it.
    """
    from budget_xls import engine, pipeline

    folder = Path(folder)
    if folder.is_file():
        raise RunError(f"{folder} 是一个文件，不是文件夹：consolidate 汇总一个文件夹中的全部工作簿；"
                       f"检查单个文件请用 budget-xls check {folder}")
    if not folder.is_dir():
        raise RunError(f"找不到文件夹：{folder}")
    _known_rulebook(rulebook)
    targets = [Path(p) for p in outputs]
    check_output_paths(folder, targets, Path(feedback) if feedback is not None else None)
    options = RunOptions(year=year, ignore=frozenset(ignore), strict=strict, exclude=frozenset(targets),
                         roster=load_roster(roster), jobs=jobs, progress=progress,
                         previous=load_previous(previous, jobs=jobs),
                         change_threshold=Decimal(str(change_threshold)), rulebook=rulebook, stream=stream)
    engine.tune_gc()
    return pipeline.consolidate(folder, options)


def check_output_paths(folder: Path, targets: list[Path], feedback: Path | None = None) -> None:
    """Refuse outputs that would overwrite an input, each other, or a file budget-xls did not write."""
    for target in targets[:1]:  # the workbook: never over a workbook we did not write
        refuse_foreign_output(target)
    seen: dict[str, Path] = {}
    for target in targets:
        key = _real(target)
        if key in seen:
            raise RunError(f"两个输出使用了同一个位置：{target}，请分别指定（-o 与 --report-json）")
        seen[key] = target
        if target.is_dir():
            raise RunError(f"输出位置是一个文件夹：{target}")
    for target in targets[1:]:  # the JSON report: never over a workbook nor over any file not ours
        if target.suffix.lower() in WORKBOOK_SUFFIXES:
            raise RunError(f"JSON 报告的位置 {target} 是工作簿文件名，可能覆盖输入或汇总表，请换一个位置（--report-json）")
        if target.exists() and not _is_our_report(target):
            raise RunError(f"JSON 报告的位置 {target} 已有文件且不是本工具生成的报告，为避免覆盖请换一个位置（--report-json）")
    if feedback is not None:
        fb = _real(feedback)
        if fb == _real(folder):
            raise RunError(f"审核意见文件夹不能是输入文件夹本身：{feedback}，请换一个文件夹（--feedback）")
        if feedback.exists() and not feedback.is_dir():
            raise RunError(f"审核意见文件夹的位置已有同名文件：{feedback}")
        for target in targets:
            if _real(target).startswith(fb.rstrip(os.sep) + os.sep):
                raise RunError(f"输出文件 {target} 位于审核意见文件夹 {feedback} 中，请分开存放")


def _real(path: Path) -> str:
    return os.path.realpath(os.path.abspath(path))


def _is_our_report(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    return head.startswith(b'{\n "tool": "budget-xls"') or head.startswith(b'{"tool": "budget-xls"')


def lock_outputs(output: str | os.PathLike = DEFAULT_OUTPUT):
    """The run's lock beside ``output`` (a context manager; ``.notes`` says when a stale one was taken over)."""
    from budget_xls.outputs.atomic import RunLock

    return RunLock(Path(output))


def check(paths: Iterable[str | os.PathLike], *, year: int | None = None, ignore: Iterable[str] = (),
          strict: bool = False, jobs: int | None = None, rulebook: str | None = None) -> RunResult:
    """Check individual workbooks (a sub-unit's pre-submission check); nothing is written."""
    from budget_xls import pipeline

    _known_rulebook(rulebook)
    return pipeline.check_paths([Path(p) for p in paths],
                                RunOptions(year=year, ignore=frozenset(ignore), strict=strict, jobs=jobs,
                                           rulebook=rulebook))


def write_outputs(result: RunResult, output: str | os.PathLike = DEFAULT_OUTPUT,
                  report_json: str | os.PathLike | None = None, feedback: str | os.PathLike | None = None,
                  annotated: list | None = None) -> list[Path]:
    """Write the consolidated workbook, its JSON report and (with ``feedback``) the annotated
    copies as one set: all are written to temporary files and moved into place only when
    every one is complete; on failure none is changed. Returns the paths written;
    ``annotated`` (a list), when given, receives the record of every copy."""
    from budget_xls.outputs import write_outputs as write

    output = Path(output)
    return write(result, output, Path(report_json) if report_json else default_report_path(output),
                 Path(feedback) if feedback is not None else None, annotated)


def annotate(result: RunResult, out_dir: str | os.PathLike) -> list:
    """Annotated copies of every workbook with findings, under ``out_dir`` (``Annotated`` records)."""
    from budget_xls.outputs.annotate import write_feedback

    return write_feedback(result.files, result.findings, result.sources, Path(out_dir))


def write_template(path: str | os.PathLike, year: int = 2022, projects: int = 1) -> Path:
    """The blank template for the sub-units."""
    from budget_xls.template import write_template as write

    path = Path(path)
    if path.is_dir():
        raise RunError(f"输出位置是一个文件夹：{path}")
    if path.exists() and not is_blank_template(path):
        raise RunError(f"文件 {path} 已存在，且不是本工具生成的空白模板（可能已填写或是其他文件），为避免覆盖请换一个位置（-o）")
    return write(path, year=year, projects=projects)


def is_blank_template(path: Path) -> bool:
    """A template exactly as ``write_template`` leaves it: written by budget-xls (creator, template
    stamp) and never saved by an office suite since (its fixed document time is unchanged). A
    template someone filled in and saved is not blank, and is never overwritten."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml") if zf.getinfo("docProps/core.xml").file_size < 65536 else b""
    except (KeyError, OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return (b"<dc:creator>budget-xls</dc:creator>" in core and b"template BXT-" in core and b"; blank" in core
            and b">2000-01-01T00:00:00Z<" in core)


def _known_rulebook(name: str | None) -> None:
    from budget_xls import rulebooks

    if name is not None and name not in rulebooks.PRESETS:
        raise RunError(f"未知的规则集：{name}（可用：{'、'.join(rulebooks.PRESETS)}）")


def load_roster(roster: Roster | str | os.PathLike | None) -> Roster | None:
    from budget_xls.roster import RosterError, read_roster

    if roster is None or isinstance(roster, Roster):
        return roster
    try:
        return read_roster(Path(roster))
    except RosterError as exc:
        raise RunError(str(exc)) from exc
    except OSError as exc:
        raise RunError(f"无法读取名单文件 {roster}：{exc}") from exc


def load_previous(paths: Iterable[str | os.PathLike], jobs: int | None = None) -> tuple:
    """Earlier years' runs (``compare.Previous``), last year first: each a JSON report, a
    consolidated workbook written by budget-xls, or a folder of forms (consolidated here)."""
    paths = [Path(p) for p in paths]
    if not paths:
        return ()
    from budget_xls import compare, pipeline
    from budget_xls.readback import ReadbackError, read_run

    runs = []
    for path in paths:
        if path.is_dir():
            result = pipeline.consolidate(path, RunOptions(jobs=jobs))
            runs.append(compare.Previous(str(path), result.year,
                                         [replace(compare.from_form(f), form=None) for f in result.projects]))
        elif not path.is_file():
            raise RunError(f"找不到上年的汇总文件或文件夹：{path}")
        else:
            try:
                runs.append(compare.from_report(read_run(path), str(path)))
            except ReadbackError as exc:
                raise RunError(str(exc)) from exc
    if all(r.year for r in runs):
        runs.sort(key=lambda r: -r.year)
    return tuple(runs)


def refuse_foreign_output(output: Path, option: str = "-o") -> None:
    """Never write over a workbook budget-xls did not write (an input among them), nor onto a folder."""
    if output.exists() and output.suffix.lower() in WORKBOOK_SUFFIXES and not is_our_output(output):
        raise RunError(f"输出文件 {output} 已存在且不是本工具生成的汇总表，为避免覆盖请换一个输出位置（{option}）")
    if output.is_dir():
        raise RunError(f"输出位置是一个文件夹：{output}")


def frames(source):
    """The run as pandas DataFrames (``budget_xls.dataframes.frames``; imports pandas)."""
    from budget_xls.dataframes import frames as build

    return build(source)


__all__ = ["DEFAULT_OUTPUT", "OutputLocked", "RunError", "RunResult", "annotate", "check", "consolidate", "frames",
           "lock_outputs", "write_outputs", "write_template"]
