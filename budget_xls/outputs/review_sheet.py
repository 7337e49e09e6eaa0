"""The 目标审核 sheet: the drafted review, one printable block per project (A4 portrait).

Each block: the project, its proposed grade and the reasons, then one row per dimension
(完整性/相关性/适当性/可行性), as the finance bureau's 审核意见表 lays it out: the machine's
result, what it measured and the findings behind it, and the 需人工判断 items. A block
that would not fit on the rest of a page starts a new one. Text from the workbooks is
written with ``write_string`` (never a formula).

One row per dimension (not one per line) keeps the sheet at ten rows and three merged
ranges a project: at 2,000 projects that is 20,000 rows instead of 36,000–45,000, and
6,000 merged ranges instead of 21,000 (issue 17: the sheet was a fifth of the write).
"""

from __future__ import annotations

from functools import lru_cache

from budget_xls.outputs.registers import cell_writers
from budget_xls.outputs.style import FONT
from budget_xls.review import GRADE_MEANING, PROPOSAL_NOTE, ProjectReview
from budget_xls.rules import SEVERITY_CN
from budget_xls.textwidth import MAX_ROW_HEIGHT, line_count, row_height

REVIEW_SHEET = "目标审核"
WIDTHS = (9, 13, 46, 32)  # 维度 | 机器核对结果 | 依据（机器测算与发现的问题） | 需人工判断的内容
HEADS = ("维度", "机器核对结果", "依据：机器测算与发现的问题", "需人工判断的内容")
PAGE_HEIGHT = 740.0  # points of an A4 portrait page inside the margins (the footer below)
ROW_HEIGHT = 15.0
GRADE_COLOURS = {"优": ("#C6EFCE", "#006100"), "良": ("#DDEBF7", "#1F4E78"), "中": ("#FFEB9C", "#9C5700"),
                 "差": ("#FFC7CE", "#9C0006")}


class _Sheet:
    def __init__(self, w, ws) -> None:
        self.w, self.ws = w, ws
        font = {"font_name": FONT, "font_size": 10, "valign": "top"}
        border = {"border": 1, "border_color": "#BFBFBF"}
        wb = w.wb
        self.f_title = wb.add_format({**font, "bold": True, "font_size": 12, "valign": "vcenter"})
        self.f_meta = wb.add_format({**font, "font_size": 9, "font_color": "#595959", "text_wrap": True})
        self.f_dim = wb.add_format({**font, **border, "bold": True, "align": "center", "valign": "vcenter"})
        self.f_result = wb.add_format({**font, **border, "text_wrap": True, "valign": "vcenter"})
        self.f_line = wb.add_format({**font, **border, "text_wrap": True})
        self.f_manual = wb.add_format({**font, **border, "text_wrap": True, "font_color": "#7F6000", "italic": True})
        self.f_head = w.f_head
        self.f_grade = {g: wb.add_format({**font, **border, "bold": True, "text_wrap": True, "valign": "vcenter",
                                          "bg_color": bg, "font_color": fg}) for g, (bg, fg) in GRADE_COLOURS.items()}
        self.write_string = cell_writers(ws)[0]  # (row, col) integers: xlsxwriter's writer without its A1 decorator
        self.row = 0
        self.used = 0.0  # height used on the current page
        self.breaks: list[int] = []

    # ------------------------------------------------------------ layout

    def height(self, text: str, width: int = sum(WIDTHS)) -> float:
        return _height(text, width - 2)  # a cell's padding: LibreOffice wraps a little early

    def put(self, height: float) -> int:
        row = self.row
        if height != ROW_HEIGHT:
            self.ws.set_row(row, height)
        self.row += 1
        self.used += height
        return row

    def write(self, reviews: list[ProjectReview]) -> None:
        ws, last = self.ws, len(WIDTHS) - 1
        ws.write_string(0, 0, "绩效目标审核意见（初稿）", self.w.f_title)
        ws.set_row(0, 24)
        ws.merge_range(1, 0, 1, last, "按财预〔2015〕88号的完整性、相关性、适当性、可行性四个方面，列出机器可核对的结果和依据；"
                                      "“需人工判断”的内容机器无法核对，不表示已通过。建议等级为" + PROPOSAL_NOTE + "。",
                       self.f_meta)
        ws.set_row(1, 26)
        self.row, self.used = 3, 24 + 26 + 2 * ROW_HEIGHT
        if not reviews:
            ws.write_string(self.row, 0, "（没有读取到项目）", self.f_meta)
        for i, review in enumerate(reviews, start=1):
            self.project(i, review)
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L&A&C第 &P 页，共 &N 页&R" + "机器初评，供审核人参考")
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks[:1023])

    def project(self, number: int, review: ProjectReview) -> None:
        ws, form, last = self.ws, review.form, len(WIDTHS) - 1
        write_string = self.write_string
        meta = f"实施单位：{review.unit or '（未填）'}　文件：{form.file}　工作表：{form.sheet}"
        grade = f"{review.grade}（{GRADE_MEANING[review.grade]}）"
        reasons = "\n".join(review.reasons)
        rest = sum(WIDTHS[1:])
        meta_h, grade_h, reason_h = self.height(meta), self.height(grade, rest), self.height(reasons, rest)
        rows = [dimension_row(d) for d in review.dimensions]
        total = 20 + meta_h + grade_h + reason_h + ROW_HEIGHT + sum(h for *_, h in rows) + ROW_HEIGHT
        if self.used + total > PAGE_HEIGHT and total <= PAGE_HEIGHT and self.row > 3:
            self.breaks.append(self.row)
            self.used = 0.0
        row = self.put(20)
        # one line, not wrapped: it runs on over the empty cells to its right (no merged range needed)
        write_string(row, 0, f"{number}. {form.name or '（未填项目名称）'}", self.f_title)
        row = self.put(meta_h)
        ws.merge_range(row, 0, row, last, meta, self.f_meta)
        row = self.put(grade_h)
        write_string(row, 0, "建议等级", self.f_grade[review.grade])
        ws.merge_range(row, 1, row, last, grade, self.f_grade[review.grade])
        row = self.put(reason_h)
        write_string(row, 0, "理由", self.f_dim)
        ws.merge_range(row, 1, row, last, reasons, self.f_line)
        row = self.put(ROW_HEIGHT)
        for col, head in enumerate(HEADS):
            write_string(row, col, head, self.f_head)
        for dimension, result, basis, manual, height in rows:
            row = self.put(height)
            write_string(row, 0, dimension, self.f_dim)
            write_string(row, 1, result, self.f_result)
            write_string(row, 2, basis, self.f_line)
            write_string(row, 3, manual, self.f_manual)
        self.put(ROW_HEIGHT)


def dimension_row(d) -> tuple[str, str, str, str, float]:
    """(dimension, result, basis, manual items, row height) of one dimension's row. The basis
    lists the measured facts, then the findings while the row stays within Excel's highest row
    (409 points); the findings that do not fit are counted and found in 错误报告."""
    basis = [f"机器测算：{fact}" for fact in d.facts]
    manual = "\n".join(f"□ {m}" for m in d.manual)  # a box the reviewer ticks
    width = WIDTHS[2] - 2
    lines = line_count("\n".join(basis), width) if basis else 0
    room = int((MAX_ROW_HEIGHT - 3) // 14) - 1  # lines a row can show, one kept for the count line
    for i, f in enumerate(d.findings):
        where = f"{f.cell} " if f.cell else ""
        text = f"{SEVERITY_CN[f.severity]} {f.code} {where}{f.message}"
        n = line_count(text, width)
        if lines + n > room:
            basis.append(f"……另有 {len(d.findings) - i} 条，见“错误报告”")
            break
        basis.append(text)
        lines += n
    text = "\n".join(basis) if basis else "—"
    height = max(_height(text, width), _height(manual, WIDTHS[3] - 2))
    return d.dimension, d.result, text, manual, height


def write_review_sheet(w, ws) -> None:
    """Fill ``ws`` (the 目标审核 sheet) from the writer ``w``'s reviews."""
    _Sheet(w, ws).write(w.reviews)


@lru_cache(maxsize=8192)  # the same 需人工判断 and finding texts recur in every project
def _height(text: str, width: int) -> float:
    lines = line_count(text, width)
    return row_height(lines) if lines > 1 else ROW_HEIGHT
