"""A run as pandas DataFrames: ``budget_xls.frames(source)``.

``source`` is a ``RunResult``, a JSON report or a consolidated workbook written by
budget-xls (a path). The frames are the same whichever of the three a run comes from
(the workbook and the JSON of one run give equal frames): only what all three carry is
in them. pandas is imported here and nowhere else, so a run never pays for it.

- Money (``total`` … ``annual_other``, ``unit_price``, ``amount``, and the comparison's
  amounts) is ``decimal.Decimal`` in 元, exact to the 分 (object columns); other numbers
  (an indicator's ``value``, a budget line's ``quantity``) are ``Decimal`` as written.
- Dates (``start``, ``end``) are ``datetime.date``; blanks are ``None``.
- Column names are English and stable; ``COLUMNS_CN`` maps each to the header of the
  workbook column it comes from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from budget_xls import fields as ft
from budget_xls.readback import (
    COMPARISON_INDICATOR_COLUMNS,
    COMPARISON_PROJECT_COLUMNS,
    money,
    read_run,
    text,
    to_date,
    to_decimal,
)

PROJECT_FIELDS = [spec.key for spec in ft.table() if spec.column]
PROJECT_COLUMNS = ["file", "sheet", *PROJECT_FIELDS]
INDICATOR_COLUMNS = ["file", "sheet", "project", "level1", "level2", "name", "raw", "operator", "value", "unit",
                     "kind", "cell"]
BUDGET_COLUMNS = ["file", "sheet", "project", "item", "basis", "unit_price", "quantity", "amount", "row"]
FINDING_COLUMNS = ["code", "severity", "file", "sheet", "cell", "project", "message", "value", "hint"]
FILE_COLUMNS = ["file", "status", "projects", "reason", "size", "sha256"]
COMPARISON_COLUMNS = [k for k, _ in COMPARISON_PROJECT_COLUMNS]
CHANGE_COLUMNS = [k for k, _ in COMPARISON_INDICATOR_COLUMNS]

# English column → the workbook's header (sheet: header).
COLUMNS_CN: dict[str, dict[str, str]] = {
    "projects": {"file": "文件", "sheet": "工作表",
                 **{spec.key: spec.column.replace("\n", "") for spec in ft.table() if spec.column}},
    "indicators": {"file": "文件", "sheet": "工作表", "project": "项目名称", "level1": "一级指标", "level2": "二级指标",
                   "name": "三级指标", "raw": "原始值", "operator": "比较符", "value": "数值", "unit": "单位",
                   "kind": "定量/定性", "cell": "单元格"},
    "budget_lines": {"file": "文件", "sheet": "工作表", "project": "项目名称", "item": "支出内容", "basis": "测算依据",
                     "unit_price": "单价", "quantity": "数量", "amount": "金额", "row": "行号"},
    "findings": {"code": "代码", "severity": "级别", "file": "文件", "sheet": "工作表", "cell": "单元格",
                 "project": "项目", "message": "说明", "value": "当前值", "hint": "修改建议"},
    "files": {"file": "文件", "status": "状态", "projects": "项目数", "reason": "原因", "size": "大小(字节)",
              "sha256": "SHA-256"},
    "comparison": dict(COMPARISON_PROJECT_COLUMNS),
    "changes": dict(COMPARISON_INDICATOR_COLUMNS),
}
_MONEY = {"total", "fiscal", "other", "annual", "appropriation", "carryover", "annual_other", "unit_price", "amount",
          "previous_total", "previous_annual", "annual_change"}
_INTS = {"projects", "size", "row", "previous_indicators", "indicators", "raised", "lowered", "removed", "added"}
_DATES = {"start", "end"}
_NUMBERS = {"value", "quantity", "annual_change_pct"}


@dataclass
class Frames:
    """The run's tables; ``comparison`` and ``changes`` are None when the run had no --previous."""

    projects: Any
    indicators: Any
    budget_lines: Any
    findings: Any
    files: Any
    comparison: Any = None  # one row per project: 新增 / 延续 / 未再申报, money, counts
    changes: Any = None  # one row per changed indicator of a continuing project

    def __iter__(self):
        return iter(("projects", "indicators", "budget_lines", "findings", "files", "comparison", "changes"))

    def __getitem__(self, name: str):
        return getattr(self, name)


def _value(column: str, value: Any) -> Any:
    if column in _MONEY:
        return money(value)
    if column in _INTS:
        d = to_decimal(value)
        return None if d is None else int(d)
    if column in _DATES:
        return to_date(value)
    if column in _NUMBERS:
        d = to_decimal(value)
        return None if d is None else (Decimal(int(d)) if d == d.to_integral_value() else d)
    return text(value)


def _frame(pd, rows: list[dict], columns: list[str]):
    data = {c: [_value(c, r.get(c)) for r in rows] for c in columns}
    return pd.DataFrame(data, columns=columns, dtype=object)


def _report(source: Any) -> dict:
    if isinstance(source, (str, os.PathLike)):
        return read_run(Path(source))
    if isinstance(source, dict):
        return source
    from budget_xls.outputs.report import build_report, dumps  # a RunResult
    import json

    return json.loads(dumps(build_report(source)), parse_float=Decimal)


def frames(source: Any) -> Frames:
    """A ``RunResult``, a JSON report path or a consolidated workbook path → ``Frames``."""
    import pandas as pd

    report = _report(source)
    projects, indicators, budget = [], [], []
    for p in report.get("projects") or []:
        row = {"file": p.get("file"), "sheet": p.get("sheet"), **{k: p.get(k) for k in PROJECT_FIELDS},
               **(p.get("funds") or {})}
        projects.append(row)
        for i in p.get("indicators") or []:
            op = i.get("operator")
            if op is not None and i.get("kind") == "quantitative":
                from budget_xls.indicators import parse_value

                if parse_value(i.get("raw")).implied_operator:  # the workbook shows an implied "="
                    op = None
            indicators.append({"file": p.get("file"), "sheet": p.get("sheet"), "project": p.get("name"), **i,
                               "operator": op})
        for b in p.get("budget_lines") or []:
            budget.append({"file": p.get("file"), "sheet": p.get("sheet"), "project": p.get("name"), **b})
    out = Frames(
        projects=_frame(pd, projects, PROJECT_COLUMNS),
        indicators=_frame(pd, indicators, INDICATOR_COLUMNS),
        budget_lines=_frame(pd, budget, BUDGET_COLUMNS),
        findings=_frame(pd, report.get("findings") or [], FINDING_COLUMNS),
        files=_frame(pd, report.get("files") or [], FILE_COLUMNS),
    )
    comparison = report.get("comparison")
    if comparison:
        out.comparison = _frame(pd, comparison.get("projects") or [], COMPARISON_COLUMNS)
        out.changes = _frame(pd, comparison.get("indicators") or [], CHANGE_COLUMNS)
    return out
