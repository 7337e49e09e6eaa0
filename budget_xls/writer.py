"""The consolidated departmental workbook (xlsxwriter).

Sheets: 汇总, 项目清单, 绩效指标, 预算明细, 错误报告, 文件清单.

Text from workbooks is untrusted: it is always written with ``write_string`` and the
workbook is opened with strings_to_formulas/strings_to_urls off. The file is written
to a temporary name beside the target and moved into place with ``os.replace``, so a
failed run never leaves a half-written or destroyed output.

The 汇总 totals are live SUMIFS/COUNTIFS formulas over 项目清单 with cached values we
compute from the Decimal amounts. SUMIFS criteria are patterns (``*``, ``?``, ``~``),
case-insensitive and blind to our whitespace normalisation, so the formulas never match
on the unit or category text: 项目清单 carries a 单位序号/类别序号 column holding the
number of the 汇总 row its project belongs to, and the criteria are those numbers.
Grouping is therefore exactly what we computed in Python, in every spreadsheet program.

Rows are written in order on every sheet, so xlsxwriter's ``constant_memory`` mode
stays possible.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from budget_xls import __version__
from budget_xls.discover import OUTPUT_MARK
from budget_xls.model import Finding, ProjectForm, col_letter
from budget_xls.pipeline import RunResult
from budget_xls.rules import REGISTRY, SEVERITY_CN
from budget_xls.textwidth import display_width, line_count, row_height, widest_line
from budget_xls.template import FIXED_TIME, FONT
from budget_xls.textnorm import squash

SUMMARY, PROJECTS, INDICATORS, BUDGET, FINDINGS, FILES = "汇总", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"
STATUS_CN = {"ok": "已读取", "unreadable": "无法读取", "no_projects": "无申报表", "skipped": "已跳过"}
KIND_CN = {"quantitative": "定量", "qualitative": "定性"}
BLANK_GROUP = "（未填写）"

MONEY_FIELDS = ("total", "fiscal", "other", "annual", "appropriation", "carryover", "annual_other")
# Headers of 项目清单 break where the printed header should (widths fit the longest line).
MONEY_HEADS = ("项目资金\n总额", "财政资金", "其他资金", "年度资金\n申请总额", "当年财政\n拨款", "上年结转\n资金",
               "年度其他\n资金")
# The five amounts 汇总 totals: the project total and this year's split
# (年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金).
SUMMARY_MONEY = (("项目资金总额", "total"), ("年度资金申请总额", "annual"), ("当年财政拨款", "appropriation"),
                 ("上年结转资金", "carryover"), ("其他资金", "annual_other"))
CENT = Decimal("0.01")
WAN_PLACES = Decimal("0.000001")  # 万元 to six places = exact to the 分
_CELL_REF = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}(?::\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6})?$")
_URL_ESCAPES = (("%", "%25"), ("#", "%23"), ('"', "%22"), (" ", "%20"), ("<", "%3c"), (">", "%3e"),
                ("[", "%5b"), ("]", "%5d"), ("^", "%5e"), ("`", "%60"), ("{", "%7b"), ("}", "%7d"))
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet
LOCK_NAMES = ("~${}", ".~lock.{}#")  # Excel/WPS owner file, LibreOffice lock file


class OutputLocked(Exception):
    """The output cannot be written (open in another program, no permission, bad path)."""


def project_status(errors: int, warnings: int) -> str:
    return "有错误" if errors else ("有警告" if warnings else "通过")


# ---------------------------------------------------------------- writing the file


def write_workbook(result: RunResult, path: Path) -> Path:
    """Write the consolidated workbook to ``path``; raise OutputLocked (Chinese message)."""
    path = Path(path)
    _check_not_open(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputLocked(f"无法创建输出文件夹 {path.parent}：{exc.strerror or exc}") from exc
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        wb = xlsxwriter.Workbook(str(tmp), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        _Writer(wb, result, path).write()
        try:
            wb.close()
        except (XlsxWriterException, OSError) as exc:
            cause = exc.__cause__ or exc.__context__ or exc
            reason = getattr(cause, "strerror", None) or cause
            raise OutputLocked(f"无法写入输出文件 {path}（{reason}）") from exc
        _replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _check_not_open(path: Path) -> None:
    for pattern in LOCK_NAMES:
        lock = path.with_name(pattern.format(path.name))
        if lock.exists():
            raise OutputLocked(f"输出文件 {path} 正在被其他程序打开（发现锁定文件 {lock.name}）；"
                               f"请关闭该文件后重试，若已关闭请删除锁定文件")


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputLocked(f"无法写入输出文件 {path}（可能已在 Excel/WPS 中打开：{exc.strerror or exc}）") from exc


# ---------------------------------------------------------------- small helpers


def head_width(head: str) -> int:
    """Width of the widest line."""
    return widest_line(head)


def round_half_up(value: Decimal, places: Decimal) -> Decimal:
    """Excel's ROUND (half away from zero) on a Decimal."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def relative_link(target: Path, base: Path) -> str:
    """Path of ``target`` relative to folder ``base``, '/'-separated (absolute across drives)."""
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(base))
    except ValueError:  # different drives on Windows
        rel = os.path.abspath(target)
    return Path(rel).as_posix()


def escape_path(rel: str) -> str:
    """Escape a link path ourselves, so '#' and '%' in file names survive xlsxwriter."""
    for raw, escaped in _URL_ESCAPES:
        rel = rel.replace(raw, escaped)
    return rel


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    tip: str | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    formula: str
    value: Any


@dataclass(frozen=True, slots=True)
class Column:
    head: str
    kind: str  # text | wrap | int | number | money | wan | date | datetime | link
    max_width: int = 30
    min_width: int = 0


@dataclass
class Group:
    """One 汇总 row: the projects whose unit (or category) normalises to the same key."""

    number: int
    label: str
    forms: list[ProjectForm]


def group_projects(forms: Iterable[ProjectForm], key: str) -> list[Group]:
    """Projects grouped by a field, whitespace and full/half width ignored.

    Sorted by the normalised key, blank last; the label is the most frequent spelling
    (on a tie, the shortest).
    """
    groups: dict[str, list[ProjectForm]] = {}
    spellings: dict[str, Counter] = {}
    for form in forms:
        raw = form.get(key).value
        text = str(raw).strip() if raw is not None else ""
        k = squash(text)
        groups.setdefault(k, []).append(form)
        spellings.setdefault(k, Counter())[text] += 1
    order = sorted(groups, key=lambda k: (k == "", k))
    out = []
    for i, k in enumerate(order, start=1):
        label = min(spellings[k].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] if k else BLANK_GROUP
        out.append(Group(i, label, groups[k]))
    return out


def money_sum(forms: Iterable[ProjectForm], field: str) -> Decimal:
    """What SUMIFS gives over the column: blanks are skipped, not zero."""
    return sum((f.amount(field) for f in forms if f.amount(field) is not None), Decimal(0))


# ---------------------------------------------------------------- the sheets


class _Writer:
    def __init__(self, wb, result: RunResult, path: Path) -> None:
        self.wb = wb
        self.r = result
        self.path = path
        self.base = path.parent
        self._rel: dict[str, str] = {}
        self._formats()
        self.findings: list[Finding] = sorted(result.findings, key=Finding.sort_key)
        self.counts: dict[tuple[str, str], Counter] = {}
        self.first_finding_row: dict[tuple[str, str], int] = {}
        for i, f in enumerate(self.findings, start=1):
            key = (f.file, f.sheet or "")
            self.counts.setdefault(key, Counter())[f.severity] += 1
            self.first_finding_row.setdefault(key, i)
        self.projects = list(result.projects)
        self.units = group_projects(self.projects, "implementer")
        self.categories = group_projects(self.projects, "category")
        self.unit_of = {id(f): g.number for g in self.units for f in g.forms}
        self.category_of = {id(f): g.number for g in self.categories for f in g.forms}

    def _formats(self) -> None:
        wb = self.wb
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"}
        self.fmt = {
            "text": wb.add_format(base),
            "center": wb.add_format({**base, "align": "center"}),
            "wrap": wb.add_format({**base, "text_wrap": True}),
            "int": wb.add_format({**base, "num_format": "0"}),
            "number": wb.add_format({**base, "num_format": "General"}),
            "money": wb.add_format({**base, "num_format": "#,##0.00"}),
            "wan": wb.add_format({**base, "num_format": "#,##0.0000"}),
            "date": wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
            "datetime": wb.add_format({**base, "num_format": "yyyy-mm-dd hh:mm:ss", "align": "left"}),
            "link": wb.add_format({**base, "font_color": "#0563C1", "underline": 1}),
            "small": wb.add_format({**base, "font_size": 8, "font_name": "Consolas"}),
        }
        self.f_head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border_color": "#808080",
                                     "valign": "vcenter", "align": "center", "text_wrap": True})
        self.f_title = wb.add_format({"font_name": FONT, "bold": True, "font_size": 14, "valign": "vcenter"})
        self.f_note = wb.add_format({"font_name": FONT, "font_size": 9, "font_color": "#595959"})
        self.f_section = wb.add_format({"font_name": FONT, "font_size": 11, "bold": True, "valign": "vcenter"})
        total = {**base, "bold": True, "bg_color": "#F2F2F2"}
        self.f_total = {
            "text": wb.add_format(total),
            "int": wb.add_format({**total, "num_format": "0"}),
            "money": wb.add_format({**total, "num_format": "#,##0.00"}),
            "wan": wb.add_format({**total, "num_format": "#,##0.0000"}),
        }
        self.f_err = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.f_warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.f_info = wb.add_format({"bg_color": "#DDEBF7", "font_color": "#1F4E78"})
        self.f_ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.f_grey = wb.add_format({"bg_color": "#EDEDED", "font_color": "#595959"})
        self.f_blank = wb.add_format({"border": 1, "border_color": "#BFBFBF"})

    # ------------------------------------------------------------ cells

    def cell(self, ws, row: int, col: int, value: Any, kind: str, fmt=None) -> None:
        """Write one value by its type: text always as a string, never a formula or URL."""
        fmt = fmt or self.fmt[kind if kind in self.fmt else "text"]
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, Link):
            if ws.hlink_count < MAX_LINKS:
                ws.write_url(row, col, value.url, self.fmt["link"], string=value.text, tip=value.tip)
            else:
                ws.write_string(row, col, value.text, fmt)
        elif isinstance(value, Formula):
            cached = float(value.value) if isinstance(value.value, Decimal) else value.value
            ws.write_formula(row, col, value.formula, fmt, cached)
        elif isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            ws.write_number(row, col, float(value), fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def table(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
              freeze_cols: int = 0, status_col: int | None = None,
              status_words: Sequence[tuple[str, Any]] = ()) -> int:
        """A register sheet: header, rows in order, widths that fit, filter, print setup.

        Widths fit the content (CJK counts 2) up to each column's cap; wrapped cells get
        an explicit row height, because LibreOffice does not fit row heights on load.

        This writes most of the output's cells, so the loops are lean: widths are
        measured column by column, each distinct text once, and stop at the cap; line
        counts are kept per distinct text; a text or a number goes straight to xlsxwriter,
        anything else through ``cell``; blanks are not written at all.
        """
        rows = rows if isinstance(rows, list) else list(rows)
        ws = self.wb.add_worksheet(name)
        widths = [_fit_width(rows, col, c) for col, c in enumerate(columns)]
        for col in range(len(columns)):
            ws.set_column(col, col, widths[col])
        ws.set_row(0, 30 if any("\n" in c.head for c in columns) else 20)
        for col, c in enumerate(columns):
            ws.write_string(0, col, c.head, self.f_head)
        wrapped = [(col, widths[col], {}) for col, c in enumerate(columns) if c.kind == "wrap"]
        fmts = [self.fmt[c.kind if c.kind in self.fmt else "text"] for c in columns]
        plain_numbers = [c.kind in ("int", "number", "money", "wan") for c in columns]
        write_string, write_number, set_row = ws.write_string, ws.write_number, ws.set_row
        cell, ncols = self.cell, len(columns)
        row = 0
        for values in rows:
            row += 1
            lines = 1
            for col, width, seen in wrapped:
                text = values[col]
                if type(text) is str:
                    n = seen.get(text)
                    if n is None:
                        n = seen[text] = line_count(text, width)
                    if n > lines:
                        lines = n
            if lines > 1:
                set_row(row, row_height(lines))
            for col in range(ncols):
                value = values[col]
                kind = type(value)
                if kind is str:
                    if value:
                        write_string(row, col, value, fmts[col])
                elif value is None:
                    continue  # blank: its border comes from the table's "blanks" format below
                elif (kind is int or kind is Decimal) and plain_numbers[col]:
                    write_number(row, col, float(value), fmts[col])
                else:
                    cell(ws, row, col, value, columns[col].kind, fmts[col])
        if row:
            # Blank cells are not written (a tenth of the cells): one conditional format
            # draws their borders, so the table still prints as a closed grid.
            ws.conditional_format(1, 0, row, ncols - 1, {"type": "blanks", "format": self.f_blank})
        ws.freeze_panes(1, freeze_cols)
        ws.autofilter(0, 0, max(row, 1), len(columns) - 1)
        if status_col is not None and row:
            for word, fmt in status_words:
                ws.conditional_format(1, status_col, row, status_col,
                                      {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})
        self.print_setup(ws)
        ws.repeat_rows(0)
        return row

    def print_setup(self, ws) -> None:
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L&A&C第 &P 页，共 &N 页&R" + f"budget-xls {__version__}")

    def severity_words(self) -> list[tuple[str, Any]]:
        return [("错误", self.f_err), ("警告", self.f_warn), ("提示", self.f_info)]

    # ------------------------------------------------------------ workbook

    def write(self) -> None:
        self.wb.set_properties({
            "title": f"{self.r.year}年度财政项目支出绩效目标汇总表",
            "subject": f"{self.r.year}年度财政项目支出绩效目标申报汇总",
            "author": "budget-xls",
            "company": "",
            "keywords": f"{self.r.year}, 绩效目标, budget-xls {__version__}",
            "comments": f"由 budget-xls {__version__} 生成；预算年度 {self.r.year}",
            "created": FIXED_TIME,
        })
        self.wb.set_custom_property("budget-xls", OUTPUT_MARK.decode())
        self.wb.set_custom_property("budget year", self.r.year)
        self.wb.set_custom_property("tool version", __version__)
        summary = self.wb.add_worksheet(SUMMARY)
        self.projects_sheet()
        self.indicators_sheet()
        self.budget_sheet()
        self.findings_sheet()
        self.files_sheet()
        _Summary(self, summary).write()
        summary.activate()

    def source_link(self, file: str, sheet: str | None, cell: str | None, text: str | None = None) -> Any:
        """A link to file→sheet→cell, or plain text when there is nothing valid to link to."""
        shown = text if text is not None else cell
        if not (sheet and cell and _CELL_REF.match(cell)):
            return shown
        rel = self._rel.get(file)
        if rel is None:
            rel = self._rel[file] = escape_path(relative_link(self.r.folder / file, self.base))
        return Link(f"external:{rel}#{quote_sheet(sheet)}!{cell}", shown or cell, "打开源文件并定位到该单元格")

    # ------------------------------------------------------------ 项目清单

    PROJECT_COLUMNS = (
        [Column("序号", "int"), Column("文件", "wrap", 24), Column("工作表", "link", 14),
         Column("项目名称", "wrap", 28), Column("项目类别", "text", 12), Column("主管部门", "wrap", 20),
         Column("实施单位", "wrap", 20), Column("计划开始\n日期", "date"), Column("计划完成\n日期", "date")]
        + [Column(h, "money", 16) for h in MONEY_HEADS]
        + [Column("项目总目标", "wrap", 30), Column("年度总目标", "wrap", 30), Column("指标数", "int"),
           Column("状态", "text"), Column("错误数", "int"), Column("警告数", "int"), Column("提示数", "int"),
           Column("错误报告", "link", 12), Column("单位\n序号", "int"), Column("类别\n序号", "int")]
    )
    P_MONEY = 9  # first money column
    P_ERRORS = P_MONEY + len(MONEY_FIELDS) + 4
    P_UNIT = len(PROJECT_COLUMNS) - 2
    P_CATEGORY = len(PROJECT_COLUMNS) - 1

    def project_rows(self) -> Iterable[list[Any]]:
        for i, form in enumerate(self.projects, start=1):
            key = (form.file, form.sheet)
            counts = self.counts.get(key, Counter())
            first = self.first_finding_row.get(key)
            findings_link = (Link(f"internal:{quote_sheet(FINDINGS)}!A{first + 1}", f"查看 {sum(counts.values())} 条")
                             if first is not None else "")
            yield ([i, form.file, self.source_link(form.file, form.sheet, form.get("name").cell or "A1", form.sheet),
                    form.name, form.get("category").value, form.get("supervisor").value,
                    form.get("implementer").value, form.date("start"), form.date("end")]
                   + [form.amount(k) for k in MONEY_FIELDS]
                   + [form.get("goal_total").value, form.get("goal_year").value, len(form.indicators),
                      project_status(counts["error"], counts["warning"]), counts["error"], counts["warning"],
                      counts["info"], findings_link, self.unit_of[id(form)], self.category_of[id(form)]])

    def projects_sheet(self) -> None:
        self.table(PROJECTS, self.PROJECT_COLUMNS, self.project_rows(), freeze_cols=4,
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

        self.table(INDICATORS, columns, rows(), freeze_cols=0)

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

        self.table(BUDGET, columns, rows())

    # ------------------------------------------------------------ 错误报告

    FINDING_COLUMNS = [Column("序号", "int"), Column("级别", "text"), Column("代码", "text"), Column("规则", "wrap", 18),
                       Column("文件", "wrap", 22), Column("工作表", "text", 14), Column("单元格", "link", 8),
                       Column("项目", "wrap", 20), Column("说明", "wrap", 48), Column("当前值", "wrap", 24),
                       Column("修改建议", "wrap", 40)]

    def findings_sheet(self) -> None:
        def rows():
            for i, f in enumerate(self.findings, start=1):
                rule = REGISTRY.get(f.code)
                yield [i, SEVERITY_CN.get(f.severity, f.severity), f.code, rule.title if rule else "", f.file,
                       f.sheet, self.source_link(f.file, f.sheet, f.cell), f.project, f.message, f.value, f.hint]

        self.table(FINDINGS, self.FINDING_COLUMNS, rows(), status_col=1, status_words=self.severity_words())

    # ------------------------------------------------------------ 文件清单

    FILE_COLUMNS = [Column("序号", "int"), Column("文件", "wrap", 30), Column("状态", "text"), Column("项目数", "int"),
                    Column("原因", "wrap", 30), Column("填报单位", "wrap", 18), Column("联系人", "text", 10),
                    Column("联系电话", "text", 14), Column("大小(字节)", "int"),
                    Column("修改时间(UTC)", "datetime"), Column("SHA-256", "small", 56)]
    F_STATUS, F_PROJECTS, F_FILE = 2, 3, 1

    def files_sheet(self) -> None:
        def rows():
            for i, rec in enumerate(self.r.files, start=1):
                yield [i, rec.file, STATUS_CN.get(rec.status, rec.status), rec.projects, rec.reason,
                       rec.cover.get("填报单位"), rec.cover.get("联系人"), rec.cover.get("联系电话"), rec.size,
                       _iso_time(rec.modified), rec.sha256]

        self.table(FILES, self.FILE_COLUMNS, rows(), status_col=self.F_STATUS,
                   status_words=[("无法读取", self.f_err), ("无申报表", self.f_warn), ("已跳过", self.f_grey)])


class _Summary:
    """The 汇总 sheet: a title, then blocks written top to bottom.

    Each block is a method ``(row) -> next free row``; to add one (say, a roster of
    submitted/missing units), write the method and list it in ``blocks``.
    """

    def __init__(self, w: _Writer, ws) -> None:
        self.w = w
        self.ws = ws
        self.n = len(w.projects)
        self.blocks: list[Callable[[int], int]] = [self.by_unit, self.by_category, self.files_check,
                                                   self.findings_check]
        if getattr(w.r, "roster", None) is not None:  # --roster given
            self.blocks.append(self.roster_status)

    def write(self) -> None:
        ws, r = self.ws, self.w.r
        ws.write_string(0, 0, f"{r.year}年度财政项目支出绩效目标汇总", self.w.f_title)
        ws.set_row(0, 24)
        ws.write_string(1, 0, f"由 budget-xls {__version__} 生成。金额单位：元（另列万元）；表中合计为公式，"
                              f"按“{PROJECTS}”的单位序号/类别序号汇总。", self.w.f_note)
        row = 3
        for block in self.blocks:
            row = block(row) + 1
        self.w.print_setup(ws)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, self.key_width)
        ws.set_column(2, 2, 8)
        ws.set_column(3, 12, 17)
        ws.set_column(13, 14, 8)

    @property
    def key_width(self) -> int:
        labels = [g.label for g in self.w.units + self.w.categories]
        return min(max([14] + [display_width(x) for x in labels]) + 2, 40)

    def rng(self, col: int) -> str:
        letter = col_letter(col)
        return f"{quote_sheet(PROJECTS)}!${letter}$2:${letter}${self.n + 1}"

    # ------------------------------------------------------------ blocks

    def by_unit(self, row: int) -> int:
        return self.group_table(row, "按实施单位汇总", "实施单位", self.w.units, _Writer.P_UNIT)

    def by_category(self, row: int) -> int:
        return self.group_table(row, "按项目类别汇总", "项目类别", self.w.categories, _Writer.P_CATEGORY)

    def group_table(self, row: int, title: str, key_head: str, groups: list[Group], key_col: int) -> int:
        ws, w = self.ws, self.w
        ws.write_string(row, 0, title, w.f_section)
        row += 1
        first_money, first_wan, count_col = 3, 3 + len(SUMMARY_MONEY), 3 + 2 * len(SUMMARY_MONEY)
        for col, head in enumerate(["序号", key_head, "项目数"]):
            ws.merge_range(row, col, row + 1, col, head, w.f_head)
        ws.merge_range(row, first_money, row, first_wan - 1, "金额（元）", w.f_head)
        ws.merge_range(row, first_wan, row, count_col - 1, "金额（万元）", w.f_head)
        ws.merge_range(row, count_col, row + 1, count_col, "错误数", w.f_head)
        ws.merge_range(row, count_col + 1, row + 1, count_col + 1, "警告数", w.f_head)
        for j, (head, _) in enumerate(SUMMARY_MONEY):
            ws.write_string(row + 1, first_money + j, head, w.f_head)
            ws.write_string(row + 1, first_wan + j, head, w.f_head)
        row += 1
        if not groups:
            row += 1
            ws.merge_range(row, 0, row, count_col + 1, "（没有读取到项目）", w.fmt["text"])
            return row + 1
        for g in groups:
            row += 1
            crit = f"{self.rng(key_col)},$A{row + 1}"
            lines = line_count(g.label, self.key_width - 1)
            if lines > 1:
                ws.set_row(row, row_height(lines))
            w.cell(ws, row, 0, g.number, "int")
            w.cell(ws, row, 1, g.label, "wrap")
            w.cell(ws, row, 2, Formula(f"=COUNTIFS({crit})", len(g.forms)), "int")
            for j, (_, field) in enumerate(SUMMARY_MONEY):
                col = _Writer.P_MONEY + MONEY_FIELDS.index(field)
                cents = round_half_up(money_sum(g.forms, field), CENT)
                w.cell(ws, row, first_money + j, Formula(f"=ROUND(SUMIFS({self.rng(col)},{crit}),2)", cents), "money")
                self.wan(row, first_money + j, first_wan + j, cents, w.fmt["wan"])
            for j, sev in enumerate(("error", "warning")):
                col = _Writer.P_ERRORS + j
                value = sum(w.counts.get((f.file, f.sheet), Counter())[sev] for f in g.forms)
                w.cell(ws, row, count_col + j, Formula(f"=SUMIFS({self.rng(col)},{crit})", value), "int")
        row += 1
        self.total_row(row, first_money, first_wan, count_col)
        return row + 1

    def wan(self, row: int, src_col: int, col: int, yuan: Decimal, fmt) -> None:
        """万元 = the 元 cell of the same row / 10000 (``yuan`` is that cell's cached value)."""
        value = round_half_up(yuan / 10000, WAN_PLACES)
        self.w.cell(self.ws, row, col, Formula(f"=ROUND({col_letter(src_col)}{row + 1}/10000,6)", value), "wan", fmt)

    def total_row(self, row: int, first_money: int, first_wan: int, count_col: int) -> None:
        """合计 straight from 项目清单 (not the rows above), so it checks the grouping too."""
        ws, w, t = self.ws, self.w, self.w.f_total
        ws.write_string(row, 0, "", t["text"])
        ws.write_string(row, 1, "合计", t["text"])
        w.cell(ws, row, 2, Formula(f"=COUNT({self.rng(0)})", self.n), "int", t["int"])
        for j, (_, field) in enumerate(SUMMARY_MONEY):
            col = _Writer.P_MONEY + MONEY_FIELDS.index(field)
            cents = round_half_up(money_sum(w.projects, field), CENT)
            w.cell(ws, row, first_money + j, Formula(f"=ROUND(SUM({self.rng(col)}),2)", cents), "money", t["money"])
            self.wan(row, first_money + j, first_wan + j, cents, t["wan"])
        for j, sev in enumerate(("error", "warning")):
            value = sum(w.counts.get((f.file, f.sheet), Counter())[sev] for f in w.projects)
            w.cell(ws, row, count_col + j, Formula(f"=SUM({self.rng(_Writer.P_ERRORS + j)})", value), "int", t["int"])

    def files_check(self, row: int) -> int:
        """找到文件 = 已读取 + 无法读取 + 已跳过; 读取项目 (formulas over 文件清单)."""
        ws, w = self.ws, self.w
        files = w.r.files
        counts = Counter(f.status for f in files)
        m = max(len(files), 1) + 1
        status = f"{quote_sheet(FILES)}!$C$2:$C${m}"
        ws.write_string(row, 0, "文件核对", w.f_section)
        row += 1
        heads = ["找到文件", "已读取", "其中无申报表", "无法读取", "已跳过", "核对", "读取项目"]
        for j, head in enumerate(heads):
            ws.write_string(row, 1 + j, head, w.f_head)
        row += 1
        found, ok, nop, bad, skip = (len(files), counts["ok"] + counts["no_projects"], counts["no_projects"],
                                     counts["unreadable"], counts["skipped"])
        cols = [col_letter(1 + j) for j in range(len(heads))]
        r1 = row + 1
        values = [
            Formula(f"=COUNTA({quote_sheet(FILES)}!$B$2:$B${m})", found),
            Formula(f'=COUNTIF({status},"{STATUS_CN["ok"]}")+COUNTIF({status},"{STATUS_CN["no_projects"]}")', ok),
            Formula(f'=COUNTIF({status},"{STATUS_CN["no_projects"]}")', nop),
            Formula(f'=COUNTIF({status},"{STATUS_CN["unreadable"]}")', bad),
            Formula(f'=COUNTIF({status},"{STATUS_CN["skipped"]}")', skip),
            Formula(f'=IF({cols[0]}{r1}={cols[1]}{r1}+{cols[3]}{r1}+{cols[4]}{r1},"一致","不一致")',
                    "一致" if found == ok + bad + skip else "不一致"),
            Formula(f"=SUM({quote_sheet(FILES)}!$D$2:$D${m})", sum(f.projects for f in files)),
        ]
        for j, value in enumerate(values):
            w.cell(ws, row, 1 + j, value, "center" if j == 5 else "int")
        ws.write_string(row + 1, 1, f"找到文件 {found} 个 = 已读取 {ok} 个（其中无申报表 {nop} 个）+ 无法读取 {bad} 个"
                                    f" + 已跳过 {skip} 个；读取项目 {len(w.projects)} 个。", w.f_note)
        return row + 2

    def findings_check(self, row: int) -> int:
        ws, w = self.ws, self.w
        ws.write_string(row, 0, "问题统计", w.f_section)
        row += 1
        m = max(len(w.findings), 1) + 1
        levels = f"{quote_sheet(FINDINGS)}!$B$2:$B${m}"
        counts = Counter(f.severity for f in w.findings)
        for j, sev in enumerate(("error", "warning", "info")):
            ws.write_string(row, 1 + j, SEVERITY_CN[sev], w.f_head)
            w.cell(ws, row + 1, 1 + j, Formula(f'=COUNTIF({levels},"{SEVERITY_CN[sev]}")', counts[sev]), "int")
        ws.write_string(row + 2, 1, f"详见“{FINDINGS}”；文件级问题（如无法读取）不计入上表各单位的错误数。", w.f_note)
        return row + 3

    # ------------------------------------------------------------ roster (issue 6, --roster)

    def roster_status(self, row: int) -> int:
        """报送情况: every roster entry, 已提交 / 未提交, and what matched it."""
        ws, w = self.ws, self.w
        entries = w.r.roster
        done = sum(1 for e in entries if e.submitted)
        ws.write_string(row, 0, f"报送情况（名单 {len(entries)} 个单位：已提交 {done} 个，未提交 {len(entries) - done} 个）",
                        w.f_section)
        row += 1
        for j, head in enumerate(("名单单位", "状态", "匹配依据")):
            ws.write_string(row, 1 + j, head, w.f_head)
        for e in entries:
            row += 1
            ws.write_string(row, 1, e.name, w.fmt["text"])
            ws.write_string(row, 2, "已提交" if e.submitted else "未提交", w.f_ok if e.submitted else w.f_warn)
            ws.write_string(row, 3, e.matched_text or "—", w.fmt["text"])
        return row + 1


def _decimal(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _iso_time(value: str | None) -> dt.datetime | str | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return value


_MONOTONE_KINDS = frozenset({"int", "money", "wan"})


def _fit_width(rows: Sequence[Sequence[Any]], col: int, column: Column) -> int:
    """The column width that fits the header and every value, up to the column's cap."""
    cap = max(column.max_width, head_width(column.head))
    best = max(head_width(column.head), column.min_width)
    seen: set[Any] = set()
    if column.kind in _MONOTONE_KINDS:
        # Integers and fixed-decimal amounts are shown no wider than the largest or the
        # most negative one: measure those two, and any other value (a text) as it comes.
        classes = (int,) if column.kind == "int" else (int, Decimal)  # an int column shows a Decimal as typed
        numbers = [v for v in (values[col] for values in rows) if v.__class__ in classes]
        seen.update(numbers)
        for extreme in (max(numbers), min(numbers)) if numbers else ():
            best = max(best, head_width(shown_text(extreme, column.kind)))
    for values in rows:
        value = values[col]
        if value is None or value == "" or value in seen:
            continue
        seen.add(value)
        w = head_width(shown_text(value, column.kind)[:200])
        if w > best:
            best = w
            if best >= cap:
                break
    return min(best, cap) + 2


def shown_text(value: Any, kind: str) -> str:
    """The text a cell shows (for widths and row heights)."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Formula):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "wan":
        return f"{float(value):,.4f}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
