"""The ``check`` report for the terminal: findings grouped by file and sheet.

Lines come as (text, style) segments; the CLI colours them. Nothing here prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from budget_xls.model import FileRecord, Finding, RunResult
from budget_xls.review import grade_counts, reviews_of
from budget_xls.rulebooks import GRADES
from budget_xls.rules import SEVERITY_CN

RANK = {"error": 0, "warning": 1, "info": 2}


def console_lines(files: list[FileRecord], findings: list[Finding]) -> Iterator[list[tuple[str, str | None]]]:
    """The check report as lines of (text, style) segments; style is a severity,
    "file", "sheet" or None. The CLI colours them; this module never prints."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    names = [r.file for r in files] + [name for name in by_file if name not in {r.file for r in files}]
    for name in names:
        own = by_file.get(name, [])
        yield [(name, "file"), ("：" + counts_text(own) if own else "：未发现问题", None)]
        sheet: object = object()
        for f in own:
            if f.sheet != sheet:
                sheet = f.sheet
                yield [("  ", None), (f"工作表「{f.sheet}」" if f.sheet else "（整个文件）", "sheet")]
            yield [("    ", None), (f"{f.cell or '—':<7}", None), (f"{SEVERITY_CN[f.severity]}", f.severity),
                   (f"  {f.code}  ", f.severity), (f.message, None)]
            if f.value not in (None, ""):
                yield [(" " * 22 + f"当前值：{_one_line(f.value)}", None)]
            if f.hint:
                yield [(" " * 22 + f"修改建议：{f.hint}", None)]
    yield [(f"合计：{len(files)} 个文件，{counts_text(findings)}", None)]


def counts_text(findings: Iterable[Finding]) -> str:
    n = {s: 0 for s in RANK}
    for f in findings:
        n[f.severity] += 1
    return f"错误 {n['error']} 条，警告 {n['warning']} 条，提示 {n['info']} 条"


def _one_line(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def grades_line(result: RunResult) -> str:
    """Projects by proposed grade (the draft review, sheet 目标审核)."""
    n = grade_counts(reviews_of(result))
    return "建议等级（机器初评）：" + "，".join(f"{g} {n[g]} 个" for g in GRADES)


def summary_lines(result: RunResult, output: Path, report_json: Path) -> list[str]:
    """The consolidate command's summary on stdout."""
    counts: dict[str, int] = {}
    for f in result.files:
        counts[f.status] = counts.get(f.status, 0) + 1
    return [
        f"预算年度：{result.year if result.year is not None else '未识别（没有读取到任何申报表）'}",
        f"文件：共 {len(result.files)} 个，已读取 {counts.get('ok', 0)}，无申报表 {counts.get('no_projects', 0)}，"
        f"无法读取 {counts.get('unreadable', 0)}，已跳过 {counts.get('skipped', 0)}",
        f"项目：{len(result.projects)} 个",
        f"问题：错误 {result.errors} 条，警告 {result.warnings} 条，"
        f"提示 {len(result.findings) - result.errors - result.warnings} 条",
        grades_line(result),
        *_named("无法读取的文件", [f"{f.file}（{_short(f.reason)}）" for f in result.files if f.status == "unreadable"]),
        *_named("未读取的非工作簿", [f.file for f in result.findings if f.code == "R07"]),
        *_named("名单中未提交的单位", [e.name for e in result.roster or [] if not e.submitted]),
        f"汇总工作簿：{output}",
        f"JSON 报告：{report_json}",
        *(["大批量模式：申报表的指标等暂存于临时文件、汇总表边写边存盘（内容与普通模式相同，运行结束时临时文件已删除）"]
          if result.streamed else []),
    ]


SHOWN = 10  # names listed on the console; the rest are in the workbook


def _named(what: str, names: list[str]) -> list[str]:
    if not names:
        return []
    more = f"，另有 {len(names) - SHOWN} 个见汇总工作簿" if len(names) > SHOWN else ""
    return [f"{what}（{len(names)} 个）：" + "、".join(names[:SHOWN]) + more]


def _short(reason: str | None, limit: int = 30) -> str:
    text = (reason or "").split("：")[0].split("，")[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"
