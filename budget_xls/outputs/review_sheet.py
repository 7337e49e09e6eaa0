"""The 目标审核 sheet: the drafted review, one printable block per project (A4 portrait).

Each block: the project, its proposed grade and the reasons, then per dimension
(完整性/相关性/适当性/可行性) the machine's result, the measured facts, the findings behind
it and the 需人工判断 lines. A block that would not fit on the rest of a page starts a new
one. Text from the workbooks is written with ``write_string`` (never a formula).
"""

from __future__ import annotations

from functools import lru_cache

from budget_xls.outputs.style import FONT
from budget_xls.review import GRADE_MEANING, PROPOSAL_NOTE, ProjectReview
from budget_xls.rules import SEVERITY_CN
from budget_xls.textwidth import line_count, row_height

REVIEW_SHEET = "目标审核"
WIDTHS = (10, 16, 70)  # 维度 | 机器核对结果 | 依据与需人工判断
MAX_FINDINGS = 12  # per dimension; the rest are counted and found in 错误报告
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
        self.row = 0
        self.used = 0.0  # height used on the current page
        self.breaks: list[int] = []

    # ------------------------------------------------------------ layout

    def height(self, text: str, col: int = 2) -> float:
        return _height(text, WIDTHS[col] - 1)

    def put(self, height: float) -> int:
        row = self.row
        if height != ROW_HEIGHT:
            self.ws.set_row(row, height)
        self.row += 1
        self.used += height
        return row

    def block_lines(self, review: ProjectReview) -> list[tuple[str, str, str, str]]:
        """(dimension, result, text, kind) rows of a project's dimension table."""
        out = []
        for d in review.dimensions:
            rows = [("fact", f"机器测算：{fact}") for fact in d.facts]
            for f in d.findings[:MAX_FINDINGS]:
                where = f"{f.cell} " if f.cell else ""
                rows.append(("finding", f"{SEVERITY_CN[f.severity]} {f.code} {where}{f.message}"))
            if len(d.findings) > MAX_FINDINGS:
                rows.append(("finding", f"……另有 {len(d.findings) - MAX_FINDINGS} 条，见“错误报告”"))
            rows += [("manual", f"需人工判断：{m}") for m in d.manual]
            result = d.result
            out += [(d.dimension, result, text, kind) for kind, text in rows]
        return out

    def write(self, reviews: list[ProjectReview]) -> None:
        ws = self.ws
        ws.write_string(0, 0, "绩效目标审核意见（初稿）", self.w.f_title)
        ws.set_row(0, 24)
        ws.merge_range(1, 0, 1, 2, "按财预〔2015〕88号的完整性、相关性、适当性、可行性四个方面，列出机器可核对的结果和依据；"
                                   "“需人工判断”的内容机器无法核对，不表示已通过。建议等级为" + PROPOSAL_NOTE + "。",
                       self.f_meta)
        ws.set_row(1, 26)
        self.row, self.used = 3, 24 + 26 + 2 * ROW_HEIGHT
        if not reviews:
            ws.write_string(self.row, 0, "（没有读取到项目）", self.f_meta)
        for i, review in enumerate(reviews, start=1):
            self.project(i, review)
        ws.set_column(0, 0, WIDTHS[0])
        ws.set_column(1, 1, WIDTHS[1])
        ws.set_column(2, 2, WIDTHS[2])
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&L&A&C第 &P 页，共 &N 页&R" + "机器初评，供审核人参考")
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks[:1023])

    def project(self, number: int, review: ProjectReview) -> None:
        ws, form = self.ws, review.form
        lines = self.block_lines(review)
        meta = f"实施单位：{review.unit or '（未填）'}　文件：{form.file}　工作表：{form.sheet}"
        grade = f"建议等级：{review.grade}（{GRADE_MEANING[review.grade]}）"
        meta_h, grade_h = self.height(meta), self.height(grade)
        reason_h = [self.height(r) for r in review.reasons]
        line_h = [self.height(text) for *_, text, _ in lines]
        total = 20 + meta_h + grade_h + sum(reason_h) + ROW_HEIGHT + sum(line_h) + ROW_HEIGHT
        if self.used + total > PAGE_HEIGHT and total <= PAGE_HEIGHT and self.row > 3:
            self.breaks.append(self.row)
            self.used = 0.0
        row = self.put(20)
        ws.merge_range(row, 0, row, 2, f"{number}. {form.name or '（未填项目名称）'}", self.f_title)
        row = self.put(meta_h)
        ws.merge_range(row, 0, row, 2, meta, self.f_meta)
        row = self.put(grade_h)
        ws.merge_range(row, 0, row, 1, "建议等级", self.f_grade[review.grade])
        ws.write_string(row, 2, grade, self.f_grade[review.grade])
        for reason, h in zip(review.reasons, reason_h):
            row = self.put(h)
            ws.merge_range(row, 0, row, 1, "理由", self.f_dim)
            ws.write_string(row, 2, reason, self.f_line)
        row = self.put(ROW_HEIGHT)
        for col, head in enumerate(("维度", "机器核对结果", "依据与需人工判断的内容")):
            ws.write_string(row, col, head, self.f_head)
        start = None
        for j, (dim, result, text, kind) in enumerate(lines):
            row = self.put(line_h[j])
            if start is None:
                start = row
            ws.write_string(row, 2, text, self.f_manual if kind == "manual" else self.f_line)
            if j + 1 == len(lines) or lines[j + 1][0] != dim:
                self.span(start, row, dim, result)
                start = None
        self.put(ROW_HEIGHT)

    def span(self, first: int, last: int, dim: str, result: str) -> None:
        if first == last:
            self.ws.write_string(first, 0, dim, self.f_dim)
            self.ws.write_string(first, 1, result, self.f_result)
        else:
            self.ws.merge_range(first, 0, last, 0, dim, self.f_dim)
            self.ws.merge_range(first, 1, last, 1, result, self.f_result)


def write_review_sheet(w, ws) -> None:
    """Fill ``ws`` (the 目标审核 sheet) from the writer ``w``'s reviews."""
    _Sheet(w, ws).write(w.reviews)


@lru_cache(maxsize=8192)  # the same 需人工判断 and finding texts recur in every project
def _height(text: str, width: int) -> float:
    lines = line_count(text, width)
    return row_height(lines) if lines > 1 else ROW_HEIGHT
