"""A run read back from what budget-xls wrote: its JSON report, or its consolidated workbook.

Both give the same report-shaped dict (the JSON report's keys): ``year``, ``files``,
``projects`` (each with ``funds``, ``indicators``, ``budget_lines``), ``findings`` and,
when the run compared with last year, ``comparison``. Amounts are ``Decimal`` in 元,
dates ``datetime.date``. The workbook is read by its sheets' header names, not by
column positions, so a register that gains columns keeps being read; a register that
continues on further sheets (``项目清单 (2)``, ``项目清单2``) is read on. Columns the
workbook has no room for (项目性质, an indicator's other horizons, a form's position)
are absent from a run read back from the workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from budget_xls import fields as ft
from budget_xls.discover import is_our_output

SUMMARY, PROJECTS, INDICATORS, BUDGET, FINDINGS, FILES = "汇总", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"
COMPARISON = "上年对比"
SEVERITY_OF = {"错误": "error", "警告": "warning", "提示": "info"}
STATUS_OF = {"已读取": "ok", "无法读取": "unreadable", "无申报表": "no_projects", "已跳过": "skipped"}
KIND_OF = {"定量": "quantitative", "定性": "qualitative"}
_YEAR = re.compile(r"(\d{4})\s*年度")


class ReadbackError(Exception):
    """The file is not a run budget-xls wrote (one-line Chinese message)."""


# ---------------------------------------------------------------- values


def to_decimal(value: Any) -> Decimal | None:
    """A number as JSON or a spreadsheet gives it → Decimal (floats by their shortest repr)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def money(value: Any) -> Decimal | None:
    d = to_decimal(value)
    return None if d is None else d.quantize(Decimal("0.01"))


def to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def integer(value: Any) -> int | None:
    d = to_decimal(value)
    return None if d is None else int(d)


# ---------------------------------------------------------------- JSON


def read_json(path: Path) -> dict:
    """The JSON report, amounts as Decimal."""
    try:
        with open(path, encoding="utf-8") as fh:
            report = json.load(fh, parse_float=Decimal, parse_int=int)
    except (OSError, ValueError) as exc:
        raise ReadbackError(f"无法读取 JSON 报告 {path}：{exc}") from exc
    if not isinstance(report, dict) or report.get("tool") != "budget-xls" or not isinstance(report.get("projects"), list):
        raise ReadbackError(f"{path} 不是 budget-xls 生成的 JSON 报告")
    return report


# ---------------------------------------------------------------- the workbook


def _register_sheets(names: list[str], base: str) -> list[str]:
    """The register's sheet and the sheets it continues on, in workbook order."""
    pattern = re.compile(rf"^{re.escape(base)}\s*[(（]?\s*\d*\s*[)）]?$")
    return [n for n in names if pattern.match(n)]


def _records(wb, names: list[str], base: str) -> list[dict[str, Any]]:
    """Rows of a register as {header: value}; headers matched with line breaks removed."""
    out: list[dict[str, Any]] = []
    for name in _register_sheets(names, base):
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not rows:
            continue
        heads = [str(h).replace("\n", "") if h is not None else "" for h in rows[0]]
        for row in rows[1:]:
            if not any(v not in ("", None) for v in row):
                continue
            out.append({h: row[i] for i, h in enumerate(heads) if h and i < len(row)})
    return out


def _year(wb, names: list[str], path: Path) -> int | None:
    try:
        with zipfile.ZipFile(path) as zf:
            custom = zf.read("docProps/custom.xml").decode("utf-8", "replace")
        m = re.search(r'name="budget year"[^>]*>\s*<vt:\w+>(\d{4})<', custom)
        if m:
            return int(m.group(1))
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    if SUMMARY in names:
        rows = wb.get_sheet_by_name(SUMMARY).to_python(skip_empty_area=False)
        m = _YEAR.search(str(rows[0][0])) if rows and rows[0] else None
        if m:
            return int(m.group(1))
    return None


def read_workbook(path: Path) -> dict:
    """A consolidated workbook written by budget-xls → the report-shaped dict."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not is_our_output(path):
        raise ReadbackError(f"{path} 不是 budget-xls 生成的汇总工作簿")
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ReadbackError(f"无法读取汇总工作簿 {path}：{exc}") from exc
    names = list(wb.sheet_names)
    if not _register_sheets(names, PROJECTS):
        raise ReadbackError(f"{path} 中没有“{PROJECTS}”工作表")
    columns = {spec.key: spec.column.replace("\n", "") for spec in ft.table() if spec.column}
    projects: list[dict] = []
    by_place: dict[tuple, dict] = {}
    for row in _records(wb, names, PROJECTS):
        entry: dict[str, Any] = {"file": text(row.get("文件")), "sheet": text(row.get("工作表"))}
        funds = {}
        for spec in ft.table():
            if spec.key not in columns:
                continue
            raw = row.get(columns[spec.key])
            if spec.kind == ft.MONEY:
                funds[spec.key] = money(raw)
            elif spec.kind == ft.DATE:
                entry[spec.key] = to_date(raw)
            else:
                entry[spec.key] = text(raw)
        entry["funds"] = funds
        entry["indicators"], entry["budget_lines"] = [], []
        projects.append(entry)
        by_place.setdefault((entry["file"], entry["sheet"], entry.get("name")), entry)
    for row in _records(wb, names, INDICATORS):
        owner = by_place.get((text(row.get("文件")), text(row.get("工作表")), text(row.get("项目名称"))))
        if owner is None:
            continue
        owner["indicators"].append({
            "level1": text(row.get("一级指标")), "level2": text(row.get("二级指标")), "name": text(row.get("三级指标")),
            "raw": text(row.get("原始值")), "operator": text(row.get("比较符")), "value": to_decimal(row.get("数值")),
            "unit": text(row.get("单位")), "kind": KIND_OF.get(row.get("定量/定性"), text(row.get("定量/定性"))),
            "cell": text(row.get("单元格")),
        })
    for row in _records(wb, names, BUDGET):
        owner = by_place.get((text(row.get("文件")), text(row.get("工作表")), text(row.get("项目名称"))))
        if owner is None:
            continue
        owner["budget_lines"].append({
            "item": text(row.get("支出内容")), "basis": text(row.get("测算依据")),
            "unit_price": money(row.get("单价")), "quantity": to_decimal(row.get("数量")),
            "amount": money(row.get("金额")), "row": integer(row.get("行号")),
        })
    findings = [
        {"code": text(r.get("代码")), "severity": SEVERITY_OF.get(r.get("级别"), text(r.get("级别"))),
         "file": text(r.get("文件")), "sheet": text(r.get("工作表")), "cell": text(r.get("单元格")),
         "project": text(r.get("项目")), "message": text(r.get("说明")), "hint": text(r.get("修改建议")),
         "value": text(r.get("当前值"))}
        for r in _records(wb, names, FINDINGS)
    ]
    files = [
        {"file": text(r.get("文件")), "status": STATUS_OF.get(r.get("状态"), text(r.get("状态"))),
         "sha256": text(r.get("SHA-256")), "projects": integer(r.get("项目数")),
         "size": integer(r.get("大小(字节)")), "reason": text(r.get("原因"))}
        for r in _records(wb, names, FILES)
    ]
    report = {"tool": "budget-xls", "year": _year(wb, names, path), "files": files, "projects": projects,
              "findings": findings}
    if COMPARISON in names:
        report["comparison"] = _comparison(wb.get_sheet_by_name(COMPARISON).to_python(skip_empty_area=False))
    return report


# 上年对比: two tables on one sheet, each found by its header row; JSON key ← header.
COMPARISON_PROJECT_COLUMNS = (
    ("status", "状态"), ("implementer", "实施单位"), ("name", "项目名称"),
    ("likely_match", "名称相近的上年项目（未合并）"),
    ("previous_total", "上年项目资金总额"), ("total", "本年项目资金总额"),
    ("previous_annual", "上年年度资金申请总额"), ("annual", "本年年度资金申请总额"),
    ("annual_change", "年度资金增减（元）"), ("annual_change_pct", "年度资金增减（%）"),
    ("previous_indicators", "上年指标数"), ("indicators", "本年指标数"),
    ("raised", "要求提高"), ("lowered", "要求降低"), ("removed", "删除指标"), ("added", "新增指标"),
)
COMPARISON_INDICATOR_COLUMNS = (
    ("implementer", "实施单位"), ("project", "项目名称"), ("level2", "二级指标"), ("name", "三级指标"),
    ("previous_raw", "上年指标值"), ("raw", "本年指标值"), ("direction", "变化"),
)
_MONEY_KEYS = {"previous_total", "total", "previous_annual", "annual", "annual_change"}
_INT_KEYS = {"previous_indicators", "indicators", "raised", "lowered", "removed", "added"}


def _comparison(rows: list[list]) -> dict:
    out: dict[str, list] = {"projects": [], "indicators": []}
    tables = (("projects", COMPARISON_PROJECT_COLUMNS), ("indicators", COMPARISON_INDICATOR_COLUMNS))
    current: tuple[str, dict[str, int]] | None = None
    for row in rows:
        cells = [str(v).replace("\n", "") if v is not None else "" for v in row]
        for key, spec in tables:
            if cells[:1] == ["序号"] and all(head in cells for _, head in spec):
                current = (key, {k: cells.index(head) for k, head in spec})
                break
        else:
            if current is None or not isinstance(row[0], (int, float)) or row[0] == "":
                if current is not None and not any(v not in ("", None) for v in row):
                    current = None
                continue
            key, where = current
            entry = {}
            for k, i in where.items():
                v = row[i] if i < len(row) else None
                entry[k] = (money(v) if k in _MONEY_KEYS else integer(v) if k in _INT_KEYS
                            else to_decimal(v) if k == "annual_change_pct" else text(v))
            out[key].append(entry)
    return out


def read_run(path: Path) -> dict:
    """A JSON report or a consolidated workbook, by its suffix."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return read_json(path)
    return read_workbook(path)
