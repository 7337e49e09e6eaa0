"""The consolidated departmental workbook (xlsxwriter).

Text from workbooks is untrusted: it is always written with ``write_string`` and the
workbook is opened with strings_to_formulas/strings_to_urls off. The file is written
to a temporary name beside the target and moved into place, so a failed run never
leaves a half-written or destroyed output.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from budget_xls import __version__
from budget_xls.discover import OUTPUT_MARK
from budget_xls.model import ProjectForm
from budget_xls.pipeline import RunResult
from budget_xls.rules import REGISTRY, SEVERITY_CN
from budget_xls.template import FIXED_TIME, FONT

SUMMARY, PROJECTS, INDICATORS, BUDGET, FINDINGS, FILES = "汇总", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"
STATUS_CN = {"ok": "已读取", "unreadable": "无法读取", "no_projects": "无申报表", "skipped": "已跳过"}

PROJECT_COLUMNS: list[tuple[str, str, int]] = [
    # (header, kind, width)
    ("序号", "int", 6),
    ("文件", "text", 22),
    ("工作表", "text", 12),
    ("项目名称", "text", 30),
    ("项目类别", "text", 12),
    ("主管部门", "text", 24),
    ("实施单位", "text", 24),
    ("计划开始日期", "date", 13),
    ("计划完成日期", "date", 13),
    ("项目资金总额", "money", 16),
    ("财政资金", "money", 16),
    ("其他资金", "money", 14),
    ("年度资金申请总额", "money", 16),
    ("当年财政拨款", "money", 16),
    ("上年结转资金", "money", 14),
    ("年度其他资金", "money", 14),
    ("项目总目标", "longtext", 40),
    ("年度总目标", "longtext", 30),
    ("指标数", "int", 8),
    ("状态", "text", 10),
    ("错误数", "int", 8),
    ("警告数", "int", 8),
    ("错误报告", "link", 12),
]
MONEY_FIELDS = ("total", "fiscal", "other", "annual", "appropriation", "carryover", "annual_other")
SUMMARY_MONEY = (("项目资金总额", "total"), ("年度资金申请总额", "annual"), ("当年财政拨款", "appropriation"),
                 ("上年结转资金", "carryover"), ("年度其他资金", "annual_other"))


class OutputLocked(Exception):
    """The output cannot be written (open in another program, or no permission)."""


def project_status(errors: int, warnings: int) -> str:
    return "有错误" if errors else ("有警告" if warnings else "通过")


def write_workbook(result: RunResult, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".~{path.stem}.tmp.xlsx")
    try:
        wb = xlsxwriter.Workbook(str(tmp), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        _Writer(wb, result, path).write()
        wb.close()
        _replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        raise OutputLocked(f"无法写入输出文件（可能已在 Excel/WPS 中打开）：{path}") from exc


class _Writer:
    def __init__(self, wb, result: RunResult, path: Path) -> None:
        self.wb = wb
        self.r = result
        self.path = path
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        self.f_text = wb.add_format({**base})
        self.f_wrap = wb.add_format({**base, "text_wrap": True})
        self.f_head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                     "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.f_money = wb.add_format({**base, "num_format": "#,##0.00"})
        self.f_wan = wb.add_format({**base, "num_format": "#,##0.0000"})
        self.f_int = wb.add_format({**base, "num_format": "0"})
        self.f_date = wb.add_format({**base, "num_format": "yyyy-mm-dd"})
        self.f_link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.f_title = wb.add_format({**base, "bold": True, "font_size": 14, "valign": "vcenter"})
        self.f_bold = wb.add_format({**base, "bold": True})
        self.f_total_money = wb.add_format({**base, "bold": True, "num_format": "#,##0.00", "top": 1})
        self.f_total_int = wb.add_format({**base, "bold": True, "num_format": "0", "top": 1})
        self.f_total_text = wb.add_format({**base, "bold": True, "top": 1})
        self.f_err = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.f_warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.f_info = wb.add_format({"bg_color": "#DDEBF7", "font_color": "#1F4E78"})
        self.f_ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.by_project: dict[tuple[str, str], list] = {}
        for f in result.findings:
            self.by_project.setdefault((f.file, f.sheet or ""), []).append(f)
        self.first_finding_row: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------ helpers

    def text(self, ws, row: int, col: int, value: Any, fmt=None) -> None:
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt or self.f_text)
        else:
            ws.write_string(row, col, str(value), fmt or self.f_text)

    def money(self, ws, row: int, col: int, value: Decimal | None, fmt=None) -> None:
        if value is None:
            ws.write_blank(row, col, None, fmt or self.f_money)
        else:
            ws.write_number(row, col, float(value), fmt or self.f_money)

    def sheet(self, name: str, headers: list[tuple[str, int]], landscape: bool = True):
        ws = self.wb.add_worksheet(name)
        for col, (head, width) in enumerate(headers):
            ws.write_string(0, col, head, self.f_head)
            ws.set_column(col, col, width)
        ws.set_row(0, 30)
        ws.freeze_panes(1, 0)
        self.print_setup(ws, landscape)
        ws.repeat_rows(0)
        return ws

    def print_setup(self, ws, landscape: bool = True) -> None:
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&L&A&C第 &P 页，共 &N 页&R" + f"budget-xls {__version__}")

    def severity_formats(self, ws, first_row: int, last_row: int, col: int, last_col: int) -> None:
        if last_row < first_row:
            return
        for word, fmt in (("错误", self.f_err), ("警告", self.f_warn), ("提示", self.f_info),
                          ("有错误", self.f_err), ("有警告", self.f_warn), ("通过", self.f_ok)):
            ws.conditional_format(first_row, col, last_row, col, {
                "type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})

    # ------------------------------------------------------------ sheets

    def write(self) -> None:
        self.wb.set_properties({
            "title": f"{self.r.year}年度财政项目支出绩效目标汇总表",
            "subject": f"{self.r.year}年度财政项目支出绩效目标申报汇总",
            "author": "budget-xls",
            "keywords": f"{self.r.year}, 绩效目标, budget-xls {__version__}",
            "comments": f"budget-xls {__version__}",
            "created": FIXED_TIME,
        })
        self.wb.set_custom_property("budget-xls", OUTPUT_MARK.decode())
        self.wb.set_custom_property("budget year", self.r.year)
        self.wb.set_custom_property("tool version", __version__)
        summary = self.wb.add_worksheet(SUMMARY)
        self.findings_rows = self._plan_findings()
        self.projects_sheet()
        self.indicators_sheet()
        self.budget_sheet()
        self.findings_sheet()
        self.files_sheet()
        self.summary_sheet(summary)
        summary.activate()

    def _plan_findings(self) -> list:
        rows = list(self.r.findings)
        for i, f in enumerate(rows):
            self.first_finding_row.setdefault((f.file, f.sheet or ""), i + 1)
        return rows

    def projects_sheet(self) -> None:
        ws = self.sheet(PROJECTS, [(h, w) for h, _, w in PROJECT_COLUMNS])
        for i, form in enumerate(self.r.projects):
            row = i + 1
            found = self.by_project.get((form.file, form.sheet), [])
            errors = sum(1 for f in found if f.severity == "error")
            warnings = sum(1 for f in found if f.severity == "warning")
            ws.write_number(row, 0, row, self.f_int)
            self.text(ws, row, 1, form.file)
            self.text(ws, row, 2, form.sheet)
            self.text(ws, row, 3, form.name)
            self.text(ws, row, 4, form.get("category").value)
            self.text(ws, row, 5, form.get("supervisor").value)
            self.text(ws, row, 6, form.get("implementer").value)
            for col, key in ((7, "start"), (8, "end")):
                d = form.date(key)
                if d:
                    ws.write_datetime(row, col, dt.datetime.combine(d, dt.time()), self.f_date)
                else:
                    ws.write_blank(row, col, None, self.f_date)
            for col, key in enumerate(MONEY_FIELDS, start=9):
                self.money(ws, row, col, form.amount(key))
            self.text(ws, row, 16, form.get("goal_total").value, self.f_wrap)
            self.text(ws, row, 17, form.get("goal_year").value, self.f_wrap)
            ws.write_number(row, 18, len(form.indicators), self.f_int)
            self.text(ws, row, 19, project_status(errors, warnings))
            ws.write_number(row, 20, errors, self.f_int)
            ws.write_number(row, 21, warnings, self.f_int)
            first = self.first_finding_row.get((form.file, form.sheet))
            if first is not None:
                ws.write_url(row, 22, f"internal:'{FINDINGS}'!A{first + 1}", self.f_link, string="查看")
        last = len(self.r.projects)
        ws.autofilter(0, 0, max(last, 1), len(PROJECT_COLUMNS) - 1)
        self.severity_formats(ws, 1, last, 19, 19)

    def indicators_sheet(self) -> None:
        headers = [("序号", 6), ("文件", 20), ("工作表", 10), ("项目名称", 24), ("一级指标", 12), ("二级指标", 16),
                   ("三级指标", 44), ("原始值", 16), ("比较符", 7), ("数值", 10), ("单位", 8), ("定量/定性", 9),
                   ("单元格", 8)]
        ws = self.sheet(INDICATORS, headers)
        row = 0
        for form in self.r.projects:
            for ind in form.indicators:
                row += 1
                ws.write_number(row, 0, row, self.f_int)
                self.text(ws, row, 1, form.file)
                self.text(ws, row, 2, form.sheet)
                self.text(ws, row, 3, form.name)
                self.text(ws, row, 4, ind.level1)
                self.text(ws, row, 5, ind.level2)
                self.text(ws, row, 6, ind.name, self.f_wrap)
                self.text(ws, row, 7, ind.raw)
                self.text(ws, row, 8, ind.value.operator)
                if ind.value.number is not None:
                    ws.write_number(row, 9, float(ind.value.number))
                else:
                    ws.write_blank(row, 9, None)
                self.text(ws, row, 10, ind.value.unit)
                self.text(ws, row, 11, "定量" if ind.value.kind == "quantitative" else "定性")
                self.text(ws, row, 12, ind.cell)
        ws.autofilter(0, 0, max(row, 1), len(headers) - 1)

    def budget_sheet(self) -> None:
        headers = [("序号", 6), ("文件", 20), ("工作表", 10), ("项目名称", 24), ("支出内容", 30), ("测算依据", 40),
                   ("单价", 14), ("数量", 10), ("金额", 16), ("行号", 6)]
        ws = self.sheet(BUDGET, headers)
        row = 0
        for form in self.r.projects:
            for line in form.budget_lines:
                row += 1
                ws.write_number(row, 0, row, self.f_int)
                self.text(ws, row, 1, form.file)
                self.text(ws, row, 2, form.sheet)
                self.text(ws, row, 3, form.name)
                self.text(ws, row, 4, line.item, self.f_wrap)
                self.text(ws, row, 5, line.basis, self.f_wrap)
                self.money(ws, row, 6, line.unit_price.value if isinstance(line.unit_price.value, Decimal) else None)
                q = line.quantity.value
                if isinstance(q, Decimal):
                    ws.write_number(row, 7, float(q))
                else:
                    ws.write_blank(row, 7, None)
                self.money(ws, row, 8, line.amount.value if isinstance(line.amount.value, Decimal) else None)
                ws.write_number(row, 9, line.row + 1, self.f_int)
        ws.autofilter(0, 0, max(row, 1), len(headers) - 1)

    def findings_sheet(self) -> None:
        headers = [("序号", 6), ("级别", 6), ("代码", 6), ("规则", 18), ("文件", 20), ("工作表", 10), ("单元格", 8),
                   ("项目", 22), ("说明", 50), ("当前值", 20), ("修改建议", 40)]
        ws = self.sheet(FINDINGS, headers)
        base = self.path.parent
        for i, f in enumerate(self.findings_rows):
            row = i + 1
            ws.write_number(row, 0, row, self.f_int)
            self.text(ws, row, 1, SEVERITY_CN[f.severity])
            self.text(ws, row, 2, f.code)
            self.text(ws, row, 3, REGISTRY[f.code].title)
            self.text(ws, row, 4, f.file)
            self.text(ws, row, 5, f.sheet)
            if f.cell and f.sheet:
                target = _relative_link(self.r.folder / f.file, base)
                sheet = f.sheet.replace("'", "''")
                ws.write_url(row, 6, f"external:{target}#'{sheet}'!{f.cell}", self.f_link, string=f.cell,
                             tip="打开源文件并定位到该单元格")
            else:
                self.text(ws, row, 6, f.cell)
            self.text(ws, row, 7, f.project, self.f_wrap)
            self.text(ws, row, 8, f.message, self.f_wrap)
            self.text(ws, row, 9, f.value, self.f_wrap)
            self.text(ws, row, 10, f.hint, self.f_wrap)
        last = len(self.findings_rows)
        ws.autofilter(0, 0, max(last, 1), len(headers) - 1)
        self.severity_formats(ws, 1, last, 1, 1)

    def files_sheet(self) -> None:
        headers = [("序号", 6), ("文件", 30), ("状态", 10), ("项目数", 8), ("原因", 40), ("填报单位", 20),
                   ("联系人", 10), ("联系电话", 14), ("大小(字节)", 12), ("修改时间(UTC)", 20), ("SHA-256", 66)]
        ws = self.sheet(FILES, headers)
        for i, rec in enumerate(self.r.files):
            row = i + 1
            ws.write_number(row, 0, row, self.f_int)
            self.text(ws, row, 1, rec.file)
            self.text(ws, row, 2, STATUS_CN.get(rec.status, rec.status))
            ws.write_number(row, 3, rec.projects, self.f_int)
            self.text(ws, row, 4, rec.reason, self.f_wrap)
            self.text(ws, row, 5, rec.cover.get("填报单位"))
            self.text(ws, row, 6, rec.cover.get("联系人"))
            self.text(ws, row, 7, rec.cover.get("联系电话"))
            if rec.size is not None:
                ws.write_number(row, 8, rec.size, self.f_int)
            self.text(ws, row, 9, rec.modified)
            self.text(ws, row, 10, rec.sha256)
        ws.autofilter(0, 0, max(len(self.r.files), 1), len(headers) - 1)

    def summary_sheet(self, ws) -> None:
        r = self.r
        self.print_setup(ws)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 9)
        ws.set_column(2, 11, 17)
        ws.set_column(12, 13, 9)
        ws.write_string(0, 0, f"{r.year}年度财政项目支出绩效目标汇总", self.f_title)
        ws.set_row(0, 26)
        ws.write_string(1, 0, f"由 budget-xls {__version__} 生成；金额单位：元（另列万元）", self.f_text)
        row = 3
        row = self._summary_table(ws, row, "按实施单位汇总", "实施单位", 6, "implementer")
        row = self._summary_table(ws, row + 2, "按项目类别汇总", "项目类别", 4, "category")
        row += 2
        counts = {s: sum(1 for f in r.files if f.status == s) for s in STATUS_CN}
        ws.write_string(row, 0, "文件核对", self.f_bold)
        row += 1
        found = len(r.files)
        read = counts["ok"] + counts["no_projects"]
        ws.write_string(row, 0, (f"找到文件 {found} 个 = 已读取 {read} 个（其中无申报表 {counts['no_projects']} 个）"
                                 f" + 无法读取 {counts['unreadable']} 个 + 已跳过 {counts['skipped']} 个；"
                                 f"读取项目 {len(r.projects)} 个"), self.f_text)
        row += 1
        ws.write_string(row, 0, f"错误 {r.errors} 条，警告 {r.warnings} 条，详见“{FINDINGS}”。", self.f_text)
        if getattr(r, "roster", None) is not None:  # --roster given
            self.roster_status(ws, row + 2)

    # ------------------------------------------------------------ roster (issue 6, --roster)

    def roster_status(self, ws, row: int) -> int:
        """报送情况: every roster entry, 已提交 / 未提交, and what matched it."""
        entries = self.r.roster
        done = sum(1 for e in entries if e.submitted)
        ws.write_string(row, 0, f"报送情况（名单 {len(entries)} 个单位：已提交 {done} 个，未提交 {len(entries) - done} 个）",
                        self.f_bold)
        row += 1
        for j, head in enumerate(("名单单位", "状态", "匹配依据")):
            ws.write_string(row, 1 + j, head, self.f_head)
        for e in entries:
            row += 1
            ws.write_string(row, 1, e.name, self.f_text)
            ws.write_string(row, 2, "已提交" if e.submitted else "未提交", self.f_ok if e.submitted else self.f_warn)
            ws.write_string(row, 3, e.matched_text or "—", self.f_text)
        return row + 1

    def _summary_table(self, ws, row: int, title: str, key_head: str, key_col: int, key: str) -> int:
        ws.write_string(row, 0, title, self.f_bold)
        row += 1
        heads = [key_head, "项目数"] + [f"{h}(元)" for h, _ in SUMMARY_MONEY] + \
                [f"{h}(万元)" for h, _ in SUMMARY_MONEY[:2]] + ["错误数", "警告数"]
        for col, head in enumerate(heads):
            ws.write_string(row, col, head, self.f_head)
        ws.set_row(row, 30)
        groups: dict[str, list[ProjectForm]] = {}
        for form in self.r.projects:
            groups.setdefault(str(form.get(key).value or ""), []).append(form)
        n = len(self.r.projects)
        key_letter = _col_letter(key_col)
        first = row + 1
        for name in sorted(groups):
            row += 1
            forms = groups[name]
            self.text(ws, row, 0, name or "（未填写）")
            crit = f"{PROJECTS}!${key_letter}$2:${key_letter}${n + 1}"
            crit_value = f"$A{row + 1}" if name else '""'
            ws.write_formula(row, 1, f"=COUNTIFS({crit},{crit_value})", self.f_int, len(forms))
            for j, (_, field) in enumerate(SUMMARY_MONEY):
                col_letter = _col_letter(9 + MONEY_FIELDS.index(field))
                value = sum((f.amount(field) or Decimal(0) for f in forms), Decimal(0))
                ws.write_formula(row, 2 + j, f"=SUMIFS({PROJECTS}!${col_letter}$2:${col_letter}${n + 1},{crit},{crit_value})",
                                 self.f_money, float(value))
            for j, (_, field) in enumerate(SUMMARY_MONEY[:2]):
                src = _col_letter(2 + j)
                value = sum((f.amount(field) or Decimal(0) for f in forms), Decimal(0)) / 10000
                ws.write_formula(row, 7 + j, f"=ROUND({src}{row + 1}/10000,6)", self.f_wan, float(round(value, 6)))
            for j, (sev, col) in enumerate((("error", 20), ("warning", 21))):
                col_letter = _col_letter(col)
                value = sum(1 for f in forms for x in self.by_project.get((f.file, f.sheet), []) if x.severity == sev)
                ws.write_formula(row, 9 + j, f"=SUMIFS({PROJECTS}!${col_letter}$2:${col_letter}${n + 1},{crit},{crit_value})",
                                 self.f_int, value)
        row += 1
        ws.write_string(row, 0, "合计", self.f_total_text)
        last = row
        for col in range(1, 11):
            letter = _col_letter(col)
            if col == 1:
                value: float | int = n
            elif 2 <= col <= 6:
                field = SUMMARY_MONEY[col - 2][1]
                value = float(sum((f.amount(field) or Decimal(0) for f in self.r.projects), Decimal(0)))
            elif 7 <= col <= 8:
                field = SUMMARY_MONEY[col - 7][1]
                value = float(round(sum((f.amount(field) or Decimal(0) for f in self.r.projects), Decimal(0)) / 10000, 6))
            else:
                sev = "error" if col == 9 else "warning"
                value = sum(1 for f in self.r.projects for x in self.by_project.get((f.file, f.sheet), [])
                            if x.severity == sev)
            fmt = self.f_total_int if col in (1, 9, 10) else (self.f_wan if col in (7, 8) else self.f_total_money)
            if last > first:
                ws.write_formula(row, col, f"=SUM({letter}{first + 1}:{letter}{last})", fmt, value)
            else:
                ws.write_number(row, col, value, fmt)
        return row


def _col_letter(col: int) -> str:
    from budget_xls.model import col_letter

    return col_letter(col)


def _relative_link(target: Path, base: Path) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(base))
    except ValueError:  # different drives on Windows
        rel = os.path.abspath(target)
    return Path(rel).as_posix()
