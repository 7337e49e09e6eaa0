"""The 上年对比 sheet and 汇总's block 与上年对比 (only when ``--previous`` was given).

上年对比: one row per project (新增 / 延续 / 未再申报) with last year's and this year's
money, the change in 元 and % (live formulas with cached values), indicator counts and
how many targets rose / fell / were removed / added, linked to the project's row in
项目清单 and to its findings; below it, one row per changed indicator. Its headers are
the ones ``readback`` reads the sheet back by.
"""

from __future__ import annotations

from decimal import Decimal

from budget_xls.compare import ADDED, CONTINUING, LOWERED, RAISED, REMOVED, SAME, Comparison, change_pct
from budget_xls.model import col_letter
from budget_xls.outputs.registers import FINDINGS, PROJECTS, Formula, Link, quote_sheet, round_half_up
from budget_xls.readback import COMPARISON, COMPARISON_INDICATOR_COLUMNS, COMPARISON_PROJECT_COLUMNS
from budget_xls.textnorm import squash
from budget_xls.textwidth import line_count, row_height

CENT = Decimal("0.01")
# 上年对比's project table: (header, kind, width); the JSON keys' headers come from readback.
_HEADS = dict((k, h) for k, h in COMPARISON_PROJECT_COLUMNS)
PROJECT_COLUMNS = [("序号", "int", 5), (_HEADS["status"], "center", 8), (_HEADS["implementer"], "wrap", 16),
                   (_HEADS["name"], "wrap", 22), (_HEADS["likely_match"], "wrap", 14),
                   (_HEADS["previous_total"], "money", 14), (_HEADS["total"], "money", 14),
                   (_HEADS["previous_annual"], "money", 14), (_HEADS["annual"], "money", 14),
                   (_HEADS["annual_change"], "money", 14), (_HEADS["annual_change_pct"], "number", 9),
                   (_HEADS["previous_indicators"], "int", 6), (_HEADS["indicators"], "int", 6),
                   (_HEADS["raised"], "int", 6), (_HEADS["lowered"], "int", 6), (_HEADS["removed"], "int", 6),
                   (_HEADS["added"], "int", 6), ("项目清单", "link", 8), ("问题", "link", 8), ("单位\n序号", "int", 5)]
C_PREV_ANNUAL, C_ANNUAL, C_UNIT = 7, 8, len(PROJECT_COLUMNS) - 1
_IND_HEADS = dict(COMPARISON_INDICATOR_COLUMNS)
INDICATOR_COLUMNS = [("序号", "int"), (_IND_HEADS["implementer"], "wrap"), (_IND_HEADS["project"], "wrap"),
                     (_IND_HEADS["level2"], "wrap"), (_IND_HEADS["name"], "wrap"), (_IND_HEADS["previous_raw"], "wrap"),
                     (_IND_HEADS["raw"], "wrap"), (_IND_HEADS["direction"], "center")]
_IND_SPAN = (0, 2, 3, 4, 5, 6, 8, 10)  # indicator columns laid under the project table's (merged to the next)


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else round_half_up(value, CENT)


class ComparisonSheet:
    def __init__(self, w, comparison: Comparison) -> None:
        self.w = w
        self.c = comparison
        unit_number = {squash(str(g.label)): g.number for g in w.units if g.keys and g.named}
        self.unit_number = unit_number
        self.rows = len(comparison.projects)

    def unit_of(self, change) -> int:
        """The 汇总 row of the change's unit this year; 0 when the unit has no project this year."""
        if change.current is not None and change.current.form is not None:
            return self.w.unit_of[change.current.form.key]
        return self.unit_number.get(squash(str(change.unit or "")), 0)

    def write(self) -> None:
        w = self.w
        ws = w.wb.add_worksheet(COMPARISON)
        ws.set_row(0, 42)
        for col, (head, kind, width) in enumerate(PROJECT_COLUMNS):
            ws.write_string(0, col, head, w.f_head)
            ws.set_column(col, col, width)
        row_of = {f.key: i for i, f in enumerate(w.projects, start=1)}
        for i, change in enumerate(self.c.projects, start=1):
            self.project_row(ws, i, change, row_of)
        row = self.rows + 2
        ws.write_string(row, 0, f"指标变化（延续项目中与上年不同的指标；上年：{self.sources()}）", w.f_section)
        row += 1
        ws.set_row(row, 30)
        for (head, _), col in zip(INDICATOR_COLUMNS, _IND_SPAN):
            self.span(ws, row, col, head, w.f_head)
        n = 0
        for change in self.c.projects:
            if change.status != CONTINUING:
                continue
            for ch in change.changes:
                if ch.direction == SAME:
                    continue
                n += 1
                row += 1
                values = [n, change.unit, change.name, ch.level2, ch.name, ch.previous_raw, ch.raw, ch.direction]
                lines = max(line_count(str(v or ""), 14) for v in values[1:7])
                if lines > 1:
                    ws.set_row(row, row_height(min(lines, 6)))
                for (_, kind), col, value in zip(INDICATOR_COLUMNS, _IND_SPAN, values):
                    self.span(ws, row, col, value, w.fmt[kind if kind in w.fmt else "text"], kind)
        if n:
            ws.conditional_format(self.rows + 4, 10, row, 11, {"type": "cell", "criteria": "==",
                                                               "value": f'"{LOWERED}"', "format": w.f_warn})
        else:
            row += 1
            ws.merge_range(row, 0, row, 11, "（延续项目的指标与上年相同）", w.fmt["text"])
        ws.freeze_panes(1, 4)
        ws.autofilter(0, 0, max(self.rows, 1), len(PROJECT_COLUMNS) - 1)
        ws.conditional_format(1, 1, max(self.rows, 1), 1,
                              {"type": "cell", "criteria": "==", "value": '"未再申报"', "format": w.f_grey})
        ws.conditional_format(1, 1, max(self.rows, 1), 1,
                              {"type": "cell", "criteria": "==", "value": '"新增"', "format": w.f_info})
        ws.conditional_format(1, 14, max(self.rows, 1), 14,
                              {"type": "cell", "criteria": ">", "value": 0, "format": w.f_warn})
        w.print_setup(ws)
        ws.repeat_rows(0)

    def span(self, ws, row: int, col: int, value, fmt, kind: str = "text") -> None:
        """An indicator-table cell: spans to the next indicator column's start."""
        end = _IND_SPAN[_IND_SPAN.index(col) + 1] - 1 if col != _IND_SPAN[-1] else col + 1
        if end > col:
            ws.merge_range(row, col, row, end, None, fmt)
        self.w.cell(ws, row, col, value, kind, fmt)

    def sources(self) -> str:
        return "；".join(f"{p.year or '?'}年度（{p.source}）" for p in self.c.previous)

    def project_row(self, ws, i: int, change, row_of: dict) -> None:
        w = self.w
        cur, prev = change.current, change.previous
        r1 = i + 1
        pa, ca = f"{col_letter(C_PREV_ANNUAL)}{r1}", f"{col_letter(C_ANNUAL)}{r1}"
        prev_annual, annual = _cents(prev.annual) if prev else None, _cents(cur.annual) if cur else None
        diff = annual - prev_annual if annual is not None and prev_annual is not None else None
        pct = change_pct(prev_annual, annual)
        form = cur.form if cur else None
        project_link = ""
        findings_link = ""
        if form is not None and form.key in row_of:
            sheet, at = w.locate(PROJECTS, row_of[form.key])
            project_link = Link(f"internal:{quote_sheet(sheet)}!A{at}", f"第 {row_of[form.key]} 行")
            first = w.tally.first(form.key)
            if first is not None:
                total = w.tally.total(form.key)
                sheet, at = w.locate(FINDINGS, first)
                findings_link = Link(f"internal:{quote_sheet(sheet)}!A{at}", f"{total} 条")
        values = [
            i, change.status, change.unit, change.name, change.likely.name if change.likely else None,
            _cents(prev.total) if prev else None, _cents(cur.total) if cur else None, prev_annual, annual,
            Formula(f'=IF(AND(ISNUMBER({pa}),ISNUMBER({ca})),{ca}-{pa},"")', diff if diff is not None else ""),
            Formula(f'=IF(AND(ISNUMBER({pa}),ISNUMBER({ca})),IF({pa}<>0,ROUND(({ca}-{pa})/{pa}*100,2),""),"")',
                    pct if pct is not None else ""),
            len(prev.indicators) if prev else None, len(cur.indicators) if cur else None,
            change.count(RAISED), change.count(LOWERED), change.count(REMOVED), change.count(ADDED),
            project_link, findings_link, self.unit_of(change),
        ]
        lines = max(line_count(str(values[c] or ""), PROJECT_COLUMNS[c][2] - 1) for c in (2, 3, 4))
        if lines > 1:
            ws.set_row(i, row_height(min(lines, 6)))
        for col, ((_, kind, _), value) in enumerate(zip(PROJECT_COLUMNS, values)):
            w.cell(ws, i, col, value, kind)

    # ------------------------------------------------------------ 汇总's block

    def summary_block(self, summary, row: int) -> int:
        """与上年对比（按实施单位）: this year's and last year's 年度资金申请总额 by unit, as formulas."""
        w, ws = self.w, summary.ws
        ws.write_string(row, 0, f"与上年对比（按实施单位，年度资金申请总额，元；明细见“{COMPARISON}”）", w.f_section)
        row += 1
        heads = ["序号", "实施单位", "项目数", "本年", "上年", "增减额", "增减（%）"]
        for j, head in enumerate(heads):
            ws.write_string(row, j, head, w.f_head)
        m = max(self.rows, 1) + 1
        prev_rng = f"{quote_sheet(COMPARISON)}!${col_letter(C_PREV_ANNUAL)}$2:${col_letter(C_PREV_ANNUAL)}${m}"
        unit_rng = f"{quote_sheet(COMPARISON)}!${col_letter(C_UNIT)}$2:${col_letter(C_UNIT)}${m}"
        annual_col = w.column_of["annual"]
        last: dict[int, Decimal] = {}
        for change in self.c.projects:
            if change.previous is not None and change.previous.annual is not None:
                n = self.unit_of(change)
                last[n] = last.get(n, Decimal(0)) + _cents(change.previous.annual)
        this_year: dict[int, Decimal] = {}  # 汇总 row number → the unit's annual request, in cents
        for f in w.projects:
            annual = f.amount("annual")
            if annual is not None:
                n = w.unit_of[f.key]
                this_year[n] = this_year.get(n, Decimal(0)) + _cents(annual)
        groups = [(g.number, g.label, len(g.keys), this_year.get(g.number, Decimal(0))) for g in w.units]
        if 0 in last:
            groups.append((0, "（本年无项目的单位）", 0, Decimal(0)))
        first = row + 2
        for number, label, count, this in groups:
            row += 1
            r1 = row + 1
            w.cell(ws, row, 0, number, "int")
            w.cell(ws, row, 1, label, "wrap")
            w.cell(ws, row, 2, count, "int")
            w.cell(ws, row, 3, Formula(f"=ROUND({summary.sumifs(annual_col, w.P_UNIT, f'$A{r1}')},2)", this), "money")
            before = last.get(number, Decimal(0))
            w.cell(ws, row, 4, Formula(f"=ROUND(SUMIFS({prev_rng},{unit_rng},$A{r1}),2)", before), "money")
            w.cell(ws, row, 5, Formula(f"=D{r1}-E{r1}", this - before), "money")
            pct = change_pct(before, this)
            w.cell(ws, row, 6, Formula(f'=IF(E{r1}<>0,ROUND((D{r1}-E{r1})/E{r1}*100,2),"")',
                                       pct if pct is not None else ""), "number")
        row += 1
        t = w.f_total
        ws.write_string(row, 0, "", t["text"])
        ws.write_string(row, 1, "合计", t["text"])
        ws.write_blank(row, 2, None, t["int"])
        total_this = sum((g[3] for g in groups), Decimal(0))
        total_last = sum(last.values(), Decimal(0))
        r1, end = row + 1, row
        for col, value in ((3, total_this), (4, total_last)):
            letter = col_letter(col)
            w.cell(ws, row, col, Formula(f"=SUM({letter}{first}:{letter}{end})", value), "money", t["money"])
        w.cell(ws, row, 5, Formula(f"=D{r1}-E{r1}", total_this - total_last), "money", t["money"])
        pct = change_pct(total_last, total_this)
        w.cell(ws, row, 6, Formula(f'=IF(E{r1}<>0,ROUND((D{r1}-E{r1})/E{r1}*100,2),"")',
                                   pct if pct is not None else ""), "number", t["money"])
        return row + 1
