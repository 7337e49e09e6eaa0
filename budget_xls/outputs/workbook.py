"""The consolidated departmental workbook (xlsxwriter).

Sheets: 汇总 (``summary``), 项目清单, 绩效指标, 预算明细, 错误报告, 文件清单 (registers
written by ``registers.Registers.table``). 项目清单's field columns come from the field
table (``budget_xls.fields``). The file is written through ``atomic`` (temporary name
beside the target, moved into place when complete), so a failed run never leaves a
half-written or destroyed output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from budget_xls import __version__
from budget_xls import fields as ft
from budget_xls.discover import OUTPUT_MARK
from budget_xls.model import Finding, RunResult
from budget_xls.outputs.atomic import OutputLocked, OutputSet
from budget_xls.outputs.packager import Workbook
from budget_xls.outputs.registers import (
    BUDGET,
    FILES,
    FINDINGS,
    INDICATORS,
    KIND_CN,
    PROJECTS,
    STATUS_CN,
    SUMMARY,
    Column,
    Link,
    Registers,
    _decimal,
    _iso_time,
    escape_path,
    quote_sheet,
    relative_link,
    _CELL_REF,
)
from budget_xls.outputs.review_sheet import REVIEW_SHEET, write_review_sheet
from budget_xls.outputs.summary import Summary, group_by, year_text
from budget_xls.review import grades_of, reviews_of
from budget_xls.rulebooks import DIMENSIONS
from budget_xls.rules import REGISTRY, SEVERITY_CN, dimension_of
from budget_xls.spool import SpooledFindings, SpooledForms
from budget_xls.textnorm import is_plain_name
from budget_xls.outputs.style import FIXED_TIME

# Column kind and default cap of a field column of 项目清单, by field kind.
# Goals print on one line (a long goal is cut in print only: the cell keeps the whole text).
_FIELD_COLUMN = {ft.TEXT: "wrap", ft.CHOICE: "text", ft.DATE: "date", ft.MONEY: "money", ft.GOAL: "text"}


def project_status(errors: int, warnings: int) -> str:
    return "有错误" if errors else ("有警告" if warnings else "通过")


def write_workbook(result: RunResult, path: Path, outputs: OutputSet | None = None) -> Path:
    """Write the consolidated workbook to ``path`` (staged in ``outputs`` when given, so that
    it is moved into place together with the run's other outputs); OutputLocked otherwise."""
    if outputs is None:
        with OutputSet() as own:
            write_workbook(result, path, own)
            own.commit()
        return Path(path)
    path = Path(path)

    def write(tmp: Path) -> None:
        wb = Workbook(str(tmp), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        _Writer(wb, result, path).write()
        try:
            wb.close()
        except (XlsxWriterException, OSError) as exc:
            cause = exc.__cause__ or exc.__context__ or exc
            reason = getattr(cause, "strerror", None) or cause
            raise OutputLocked(f"无法写入输出文件 {path}（{reason}）") from exc

    outputs.stage(path, write)
    return path


def project_columns() -> tuple[list[Column], dict[str, int]]:
    """项目清单's columns (the field columns from the field table) and each field's column."""
    columns = [Column("序号", "int"), Column("文件", "wrap", 24), Column("工作表", "link", 14)]
    column_of: dict[str, int] = {}
    for spec in ft.table():
        if spec.column is None:
            continue
        column_of[spec.key] = len(columns)
        kind = _FIELD_COLUMN.get(spec.kind, "text")
        columns.append(Column(spec.column, kind, spec.width) if spec.width else Column(spec.column, kind))
    columns += [Column("指标数", "int"), Column("状态", "text"), Column("错误数", "int"), Column("警告数", "int"),
                Column("提示数", "int"), Column("错误报告", "link", 12), Column("单位\n序号", "int"),
                Column("类别\n序号", "int"), Column("建议\n等级", "center")]
    # Errors and warnings by review dimension (汇总's 批次概况 sums them by unit).
    columns += [Column(f"{d}\n问题数", "int") for d in DIMENSIONS]
    return columns, column_of


SEVERITIES = ("error", "warning", "info")
_SEVERITY_AT = {sev: 1 + i for i, sev in enumerate(SEVERITIES)}
_DIMENSION_AT = {d: 1 + len(SEVERITIES) + i for i, d in enumerate(DIMENSIONS)}


class FindingTally:
    """Each form's findings as 项目清单, 汇总 and 上年对比 count them: the row of its first
    finding in 错误报告, its findings by severity, its errors and warnings by review dimension.

    One flat list of small ints a form (``[first, error, warning, info, 完整性, …]``): a city's
    run keeps 20,000 of them while the workbook is written.
    """

    def __init__(self, findings) -> None:
        self.of: dict[tuple, list[int]] = {}
        self.severities: Counter = Counter()  # the whole run's (file-level findings included)
        width = 1 + len(SEVERITIES) + len(DIMENSIONS)
        for i, f in enumerate(findings, start=1):
            self.severities[f.severity] += 1
            row = self.of.get(f.form_key)
            if row is None:
                row = self.of[f.form_key] = [i] + [0] * (width - 1)
            at = _SEVERITY_AT.get(f.severity)
            if at is not None:
                row[at] += 1
            if f.severity in ("error", "warning"):
                row[_DIMENSION_AT[dimension_of(f.code)]] += 1

    def first(self, key: tuple) -> int | None:
        """The form's first finding's place in 错误报告 (1 = its first data row), None without findings."""
        row = self.of.get(key)
        return row[0] if row is not None else None

    def count(self, key: tuple, severity: str) -> int:
        row = self.of.get(key)
        return row[_SEVERITY_AT[severity]] if row is not None else 0

    def total(self, key: tuple) -> int:
        row = self.of.get(key)
        return sum(row[1:1 + len(SEVERITIES)]) if row is not None else 0

    def dimension(self, key: tuple, dimension: str) -> int:
        row = self.of.get(key)
        return row[_DIMENSION_AT[dimension]] if row is not None else 0


class _Writer(Registers):
    def __init__(self, wb, result: RunResult, path: Path) -> None:
        super().__init__(wb)
        self.streamed = result.streamed
        self.r = result
        self.path = path
        self.base = path.parent
        self._rel: dict[str, str] = {}
        # (a spooled run's findings are read back from disk in order, once per pass)
        self.findings = (result.findings if isinstance(result.findings, SpooledFindings)
                         else sorted(result.findings, key=Finding.sort_key))
        self.tally = FindingTally(self.findings)
        # (a streamed run's forms stay on disk: read back at each pass, known by their keys)
        self.projects = result.projects if isinstance(result.projects, SpooledForms) else list(result.projects)
        grouped = group_by(self.projects, ("implementer", "category"))  # one pass over the forms
        self.units, self.categories = grouped["implementer"], grouped["category"]
        self.unit_of = {k: g.number for g in self.units for k in g.keys}  # ProjectForm.key → 汇总 row number
        self.category_of = {k: g.number for g in self.categories for k in g.keys}
        self.project_columns, self.column_of = project_columns()
        self.field_keys = list(self.column_of)
        heads = [c.head for c in self.project_columns]
        self.P_ERRORS = heads.index("错误数")
        self.P_UNIT = heads.index("单位\n序号")
        self.P_CATEGORY = heads.index("类别\n序号")
        self.P_GRADE = heads.index("建议\n等级")
        self.P_DIMENSIONS = self.P_GRADE + 1  # one column per DIMENSIONS entry
        self.reviews = reviews_of(result)
        self.grade_of = grades_of(self.reviews)  # ProjectForm.key → proposed grade

    def write(self) -> None:
        self.wb.set_properties({
            "title": f"{year_text(self.r.year)}财政项目支出绩效目标汇总表",
            "subject": f"{year_text(self.r.year)}财政项目支出绩效目标申报汇总",
            "author": "budget-xls",
            "company": "",
            "keywords": f"{self.r.year}, 绩效目标, budget-xls {__version__}",
            "comments": f"由 budget-xls {__version__} 生成；预算年度 {self.r.year}",
            "created": FIXED_TIME,
        })
        self.wb.set_custom_property("budget-xls", OUTPUT_MARK.decode())
        if self.r.year is not None:
            self.wb.set_custom_property("budget year", self.r.year)
        self.wb.set_custom_property("tool version", __version__)
        summary = self.wb.add_worksheet(SUMMARY)
        write_review_sheet(self, self.add_sheet(REVIEW_SHEET, stream=True))
        self.projects_sheet()
        self.indicators_sheet()
        self.budget_sheet()
        self.findings_sheet()
        self.files_sheet()
        comparison = None
        if self.r.comparison is not None:  # --previous (issue 16): 上年对比 and a block of 汇总
            from budget_xls.outputs.comparison import ComparisonSheet

            comparison = ComparisonSheet(self, self.r.comparison)
            comparison.write()
        Summary(self, summary, comparison).write()
        summary.activate()

    def source_link(self, file: str, sheet: str | None, cell: str | None, text: str | None = None) -> Any:
        """A link to file→sheet→cell, or plain text when there is nothing valid to link to."""
        shown = text if text is not None else cell
        if not (sheet and cell and _CELL_REF.match(cell)):
            return shown
        rel = self._rel.get(file)
        if rel is None:
            source = self.r.sources.get(file) or self.r.folder / file
            link = relative_link(source, self.base)
            # A name with bytes that are not UTF-8 or with control characters has no valid link target.
            rel = self._rel[file] = escape_path(link) if is_plain_name(link) else ""
        if not rel:
            return shown
        return Link(f"external:{rel}#{quote_sheet(sheet)}!{cell}", shown or cell, "打开源文件并定位到该单元格")

    # ------------------------------------------------------------ 项目清单

    def project_rows(self) -> Iterable[list[Any]]:
        for i, form in enumerate(self.projects, start=1):
            key = form.key
            errors, warnings, infos = (self.tally.count(key, sev) for sev in SEVERITIES)
            first = self.tally.first(key)
            sheet, at = self.locate(FINDINGS, first) if first is not None else (FINDINGS, 0)
            findings_link = (Link(f"internal:{quote_sheet(sheet)}!A{at}", f"查看 {self.tally.total(key)} 条")
                             if first is not None else "")
            yield ([i, form.file, self.source_link(form.file, form.sheet, form.get("name").cell or "A1", form.sheet)]
                   + [_field_value(form, key) for key in self.field_keys]
                   + [len(form.indicators),
                      project_status(errors, warnings), errors, warnings,
                      infos, findings_link, self.unit_of[key], self.category_of[key],
                      self.grade_of[key]]
                   + [self.tally.dimension(key, d) for d in DIMENSIONS])

    def projects_sheet(self) -> None:
        self.table(PROJECTS, self.project_columns, self.project_rows, freeze_cols=4, key_cols=4,
                   status_col=self.P_ERRORS - 1,
                   status_words=[("有错误", self.f_err), ("有警告", self.f_warn), ("通过", self.f_ok)])

    # ------------------------------------------------------------ 绩效指标, 预算明细

    def indicators_sheet(self) -> None:
        columns = [Column("序号", "int"), Column("文件", "wrap", 24), Column("工作表", "text", 14),
                   Column("项目名称", "wrap", 24), Column("一级指标", "text", 12), Column("二级指标", "wrap", 18),
                   Column("三级指标", "wrap", 40), Column("原始值", "wrap", 24), Column("比较符", "text"),
                   Column("数值", "number", 14), Column("单位", "text", 8), Column("定量/定性", "text"),
                   Column("单元格", "text", 8)]

        def rows():
            i = 0
            for form in self.projects:
                for ind in form.indicators:
                    i += 1
                    v = ind.value
                    yield [i, form.file, form.sheet, form.name, ind.level1, ind.level2, ind.name, ind.raw,
                           v.operator, v.number, v.unit, KIND_CN.get(v.kind, v.kind), ind.cell]

        self.table(INDICATORS, columns, rows, freeze_cols=0, key_cols=4, empty="（本次汇总没有读取到绩效指标）")

    def budget_sheet(self) -> None:
        columns = [Column("序号", "int"), Column("文件", "wrap", 24), Column("工作表", "text", 14),
                   Column("项目名称", "wrap", 24), Column("支出内容", "wrap", 30), Column("测算依据", "wrap", 40),
                   Column("单价", "money", 16), Column("数量", "number", 10), Column("金额", "money", 16),
                   Column("行号", "int", 6)]

        def rows():
            i = 0
            for form in self.projects:
                for line in form.budget_lines:
                    i += 1
                    yield [i, form.file, form.sheet, form.name, line.item, line.basis,
                           _decimal(line.unit_price.value), _decimal(line.quantity.value), _decimal(line.amount.value),
                           line.row + 1]

        self.table(BUDGET, columns, rows, key_cols=4, empty="（本次汇总的申报表没有年度预算安排明细）")

    # ------------------------------------------------------------ 错误报告

    FINDING_COLUMNS = [Column("序号", "int"), Column("级别", "text"), Column("代码", "text"), Column("规则", "wrap", 18),
                       Column("文件", "wrap", 22), Column("工作表", "text", 14), Column("单元格", "link", 8),
                       Column("项目", "wrap", 20), Column("说明", "wrap", 48), Column("当前值", "wrap", 24),
                       Column("修改建议", "wrap", 40), Column("维度", "text")]

    def findings_sheet(self) -> None:
        def rows():
            for i, f in enumerate(self.findings, start=1):
                rule = REGISTRY.get(f.code)
                yield [i, SEVERITY_CN.get(f.severity, f.severity), f.code, rule.title if rule else "", f.file,
                       f.sheet, self.source_link(f.file, f.sheet, f.cell), f.project, f.message, f.value, f.hint,
                       dimension_of(f.code)]

        self.table(FINDINGS, self.FINDING_COLUMNS, rows, status_col=1, status_words=self.severity_words(),
                   key_cols=3, empty="（没有发现问题）")

    # ------------------------------------------------------------ 文件清单

    FILE_COLUMNS = [Column("序号", "int"), Column("文件", "wrap", 30), Column("状态", "text"), Column("项目数", "int"),
                    Column("原因", "wrap", 30), Column("填报单位", "wrap", 18), Column("联系人", "text", 10),
                    Column("联系电话", "text", 14), Column("大小(字节)", "int"),
                    Column("修改时间(北京时间)", "datetime"), Column("SHA-256", "small", 56)]
    F_STATUS, F_PROJECTS, F_FILE = 2, 3, 1

    def files_sheet(self) -> None:
        def rows():
            for i, rec in enumerate(self.r.files, start=1):
                yield [i, rec.file, STATUS_CN.get(rec.status, rec.status), rec.projects, rec.reason,
                       rec.cover.get("填报单位"), rec.cover.get("联系人"), rec.cover.get("联系电话"), rec.size,
                       _iso_time(rec.modified), rec.sha256]

        self.table(FILES, self.FILE_COLUMNS, rows, status_col=self.F_STATUS, key_cols=2,
                   status_words=[("无法读取", self.f_err), ("无申报表", self.f_warn), ("已跳过", self.f_grey)])


def _field_value(form, key: str) -> Any:
    """A field's value as 项目清单 shows it: amounts and dates only when they were read."""
    spec = ft.by_key()[key]
    if spec.kind == ft.MONEY:
        return form.amount(key)
    if spec.kind == ft.DATE:
        return form.date(key)
    if key == "name":
        return form.name
    return form.get(key).value
