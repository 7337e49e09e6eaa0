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
                outputs: Iterable[str | os.PathLike] = (),
                progress: Callable[[str, int, int], None] | None = None) -> RunResult:
    """Read and check every workbook under ``folder``; the run's ``RunResult`` (nothing is written).

    ``outputs`` are the paths the caller will write: they are refused when they would
    overwrite something that is not ours, and skipped if they lie inside the folder.
    """
    from budget_xls import engine, pipeline

    folder = Path(folder)
    if not folder.is_dir():
        raise RunError(f"找不到文件夹：{folder}")
    targets = [Path(p) for p in outputs]
    for target, option in zip(targets, ("-o", "--report-json")):  # never over a workbook we did not write
        refuse_foreign_output(target, option)
    options = RunOptions(year=year, ignore=frozenset(ignore), strict=strict, exclude=frozenset(targets),
                         roster=load_roster(roster), jobs=jobs, progress=progress)
    engine.tune_gc()
    return pipeline.consolidate(folder, options)


def check(paths: Iterable[str | os.PathLike], *, year: int | None = None, ignore: Iterable[str] = (),
          strict: bool = False, jobs: int | None = None) -> RunResult:
    """Check individual workbooks (a sub-unit's pre-submission check); nothing is written."""
    from budget_xls import pipeline

    return pipeline.check_paths([Path(p) for p in paths],
                                RunOptions(year=year, ignore=frozenset(ignore), strict=strict, jobs=jobs))


def write_outputs(result: RunResult, output: str | os.PathLike = DEFAULT_OUTPUT,
                  report_json: str | os.PathLike | None = None) -> list[Path]:
    """Write the consolidated workbook and the JSON report (as one set); their paths."""
    from budget_xls.outputs import write_outputs as write

    output = Path(output)
    return write(result, output, Path(report_json) if report_json else default_report_path(output))


def annotate(result: RunResult, out_dir: str | os.PathLike) -> list:
    """Annotated copies of every workbook with findings, under ``out_dir`` (``Annotated`` records)."""
    from budget_xls.outputs.annotate import write_feedback

    return write_feedback(result.files, result.findings, result.sources, Path(out_dir))


def write_template(path: str | os.PathLike, year: int = 2022, projects: int = 1) -> Path:
    """The blank template for the sub-units."""
    from budget_xls.template import write_template as write

    return write(path, year=year, projects=projects)


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


def refuse_foreign_output(output: Path, option: str = "-o") -> None:
    """Never write over a workbook budget-xls did not write (an input among them), nor onto a folder."""
    if output.exists() and output.suffix.lower() in WORKBOOK_SUFFIXES and not is_our_output(output):
        raise RunError(f"输出文件 {output} 已存在且不是本工具生成的汇总表，为避免覆盖请换一个输出位置（{option}）")
    if output.is_dir():
        raise RunError(f"输出位置是一个文件夹：{output}")


__all__ = ["DEFAULT_OUTPUT", "OutputLocked", "RunError", "RunResult", "annotate", "check", "consolidate",
           "write_outputs", "write_template"]
