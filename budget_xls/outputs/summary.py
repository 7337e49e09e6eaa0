"""The 汇总 sheet: totals by 实施单位 and by 项目类别, the file reconciliation, the roster.

The totals are live SUMIFS/COUNTIFS formulas over 项目清单 with cached values we
compute from the Decimal amounts. SUMIFS criteria are patterns (``*``, ``?``, ``~``),
case-insensitive and blind to our whitespace normalisation, so the formulas never match
on the unit or category text: 项目清单 carries a 单位序号/类别序号 column holding the
number of the 汇总 row its project belongs to, and the criteria are those numbers.
Grouping is therefore exactly what we computed in Python, in every spreadsheet program.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator

from budget_xls import __version__
from budget_xls.model import ProjectForm, col_letter
from budget_xls.outputs.registers import (
    BLANK_GROUP,
    FILES,
    FINDINGS,
    PROJECTS,
    STATUS_CN,
    Formula,
    quote_sheet,
    round_half_up,
)
from budget_xls.review import grade_counts
from budget_xls.rulebooks import DIMENSIONS, GRADES
from budget_xls.rules import SEVERITY_CN
from budget_xls.textnorm import text_key
from budget_xls.textwidth import display_width, line_count, row_height

# The five amounts 汇总 totals: the project total and this year's split
# (年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金).
SUMMARY_MONEY = (("项目资金总额", "total"), ("年度资金申请总额", "annual"), ("当年财政拨款", "appropriation"),
                 ("上年结转资金", "carryover"), ("其他资金", "annual_other"))
CENT = Decimal("0.01")


def year_text(year: int | None) -> str:
    """"2022年度" — or, when no form named a year (every workbook unreadable), says so."""
    return f"{year}年度" if year is not None else "（预算年度未识别）"
WAN_PLACES = Decimal("0.000001")  # 万元 to six places = exact to the 分


@dataclass
class Group:
    """One 汇总 row: the projects whose unit (or category) normalises to the same key, by
    ``ProjectForm.key`` (a large run reads its forms back from disk: their keys stay)."""

    number: int
    label: str
    keys: list[tuple]
    named: bool = True  # its first project's field has a value (the blank group's may not)


def group_projects(forms: Iterable[ProjectForm], key: str) -> list[Group]:
    """Projects grouped by a field, whitespace and full/half width ignored.

    Sorted by the normalised key, blank last; the label is the most frequent spelling
    (on a tie, the shortest).
    """
    return group_by(forms, (key,))[key]


def group_by(forms: Iterable[ProjectForm], fields: Iterable[str]) -> dict[str, list[Group]]:
    """``group_projects`` for several fields in one pass over the forms."""
    fields = list(fields)
    groups: dict[str, dict[str, list[tuple]]] = {f: {} for f in fields}
    named: dict[str, dict[str, bool]] = {f: {} for f in fields}
    spellings: dict[str, dict[str, Counter]] = {f: {} for f in fields}
    for form in forms:
        form_key = form.key
        for field in fields:
            raw = form.get(field).value
            text = str(raw).strip() if raw is not None else ""
            k = text_key(text)
            groups[field].setdefault(k, []).append(form_key)
            named[field].setdefault(k, bool(raw))
            spellings[field].setdefault(k, Counter())[text] += 1
    out: dict[str, list[Group]] = {}
    for field in fields:
        order = sorted(groups[field], key=lambda k: (k == "", k))
        out[field] = []
        for i, k in enumerate(order, start=1):
            label = (min(spellings[field][k].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] if k
                     else BLANK_GROUP)
            out[field].append(Group(i, label, groups[field][k], named[field][k]))
    return out


def money_sums(forms: Iterable[ProjectForm], keys: Iterable[str],
               groups: Iterable[Callable[[ProjectForm], Any]] = ()) -> dict[Any, dict[str, Decimal]]:
    """What SUMIFS gives over each column: blanks are skipped, not zero — for all the forms
    (key None) and for each group of every grouping (``groups``: form → its group's key).
    One pass over the forms: a spooled form loads its fields once, not once a column or a
    grouping."""
    keys = list(keys)
    groups = list(groups)
    sums: dict[Any, dict[str, Decimal]] = {None: {key: Decimal(0) for key in keys}}
    for form in forms:
        amounts = [(key, form.amount(key)) for key in keys]
        for at in [None] + [group(form) for group in groups]:
            total = sums.get(at)
            if total is None:
                total = sums[at] = {key: Decimal(0) for key in keys}
            for key, amount in amounts:
                if amount is not None:
                    total[key] += amount
    return sums


class Summary:
    """The 汇总 sheet: a title, then blocks written top to bottom.

    Each block is a method ``(row) -> next free row``; to add one (say, a roster of
    submitted/missing units), write the method and list it in ``blocks``.
    """

    def __init__(self, w, ws, comparison=None) -> None:
        self.w = w
        self.ws = ws
        self.n = len(w.projects)
        self.blocks: list[Callable[[int], int]] = [self.by_unit, self.by_category, self.files_check,
                                                   self.findings_check, self.review_health]
        if getattr(w.r, "roster", None) is not None:  # --roster given
            self.blocks.append(self.roster_status)
        if comparison is not None:  # --previous given: last year's amounts by unit (outputs/comparison.py)
            self.blocks.insert(1, lambda row: comparison.summary_block(self, row))

    def project_keys(self) -> Iterator[tuple]:
        """Every project's key, from the grouping by unit (no pass over the forms)."""
        return (k for g in self.w.units for k in g.keys)

    @cached_property
    def money(self) -> dict[Any, dict[str, Decimal]]:
        """The 汇总 amounts: all projects (None) and each (项目清单 key column, group number)."""
        w = self.w
        return money_sums(w.projects, (field for _, field in SUMMARY_MONEY),
                          [lambda f: (w.P_UNIT, w.unit_of[f.key]), lambda f: (w.P_CATEGORY, w.category_of[f.key])])

    def write(self) -> None:
        ws, r = self.ws, self.w.r
        ws.write_string(0, 0, f"{year_text(r.year)}财政项目支出绩效目标汇总", self.w.f_title)
        ws.set_row(0, 24)
        ws.write_string(1, 0, f"由 budget-xls {__version__} 生成。金额单位：元（另列万元）；表中合计为公式，"
                              f"按“{PROJECTS}”的单位序号/类别序号汇总。", self.w.f_note)
        row = 3
        for block in self.blocks:
            row = block(row) + 1
        widths = [6, self.key_width, 8] + [15] * 5 + [12] * 5 + [8, 8]
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        # Too wide for one page at a readable size: two pages wide, 序号 and the unit repeated.
        self.w.print_setup(ws, widths, key_cols=2)

    @property
    def key_width(self) -> int:
        labels = [g.label for g in self.w.units + self.w.categories]
        return min(max([14] + [display_width(x) for x in labels]) + 2, 40)

    def rng(self, col: int) -> str:
        """A 项目清单 column's data, as arguments of SUM/COUNT (one range per sheet it takes)."""
        return ",".join(self.w.ranges(PROJECTS, col))

    def sumifs(self, col: int, key_col: int, key: str) -> str:
        """SUMIFS over a register on one sheet or several (项目清单, 项目清单(2) …): one term a sheet."""
        return "+".join(f"SUMIFS({s},{k},{key})" for s, k in zip(self.w.ranges(PROJECTS, col),
                                                                  self.w.ranges(PROJECTS, key_col)))

    def countifs(self, key_col: int, key: str) -> str:
        return "+".join(f"COUNTIFS({k},{key})" for k in self.w.ranges(PROJECTS, key_col))

    # ------------------------------------------------------------ blocks

    def by_unit(self, row: int) -> int:
        return self.group_table(row, "按实施单位汇总", "实施单位", self.w.units, self.w.P_UNIT)

    def by_category(self, row: int) -> int:
        return self.group_table(row, "按项目类别汇总", "项目类别", self.w.categories, self.w.P_CATEGORY)

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
            key = f"$A{row + 1}"
            lines = line_count(g.label, self.key_width - 1)
            if lines > 1:
                ws.set_row(row, row_height(lines))
            w.cell(ws, row, 0, g.number, "int")
            w.cell(ws, row, 1, g.label, "wrap")
            w.cell(ws, row, 2, Formula(f"={self.countifs(key_col, key)}", len(g.keys)), "int")
            sums = self.money[(key_col, g.number)]
            for j, (_, field) in enumerate(SUMMARY_MONEY):
                col = self.w.column_of[field]
                cents = round_half_up(sums[field], CENT)
                w.cell(ws, row, first_money + j, Formula(f"=ROUND({self.sumifs(col, key_col, key)},2)", cents), "money")
                self.wan(row, first_money + j, first_wan + j, cents, w.fmt["wan"])
            for j, sev in enumerate(("error", "warning")):
                col = self.w.P_ERRORS + j
                value = sum(w.tally.count(k, sev) for k in g.keys)
                w.cell(ws, row, count_col + j, Formula(f"={self.sumifs(col, key_col, key)}", value), "int")
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
        sums = self.money[None]
        for j, (_, field) in enumerate(SUMMARY_MONEY):
            col = self.w.column_of[field]
            cents = round_half_up(sums[field], CENT)
            w.cell(ws, row, first_money + j, Formula(f"=ROUND(SUM({self.rng(col)}),2)", cents), "money", t["money"])
            self.wan(row, first_money + j, first_wan + j, cents, t["wan"])
        for j, sev in enumerate(("error", "warning")):
            value = sum(w.tally.count(k, sev) for k in self.project_keys())
            w.cell(ws, row, count_col + j, Formula(f"=SUM({self.rng(self.w.P_ERRORS + j)})", value), "int", t["int"])

    def files_check(self, row: int) -> int:
        """找到文件 = 已读取 + 无法读取 + 已跳过; 读取项目 (formulas over 文件清单)."""
        ws, w = self.ws, self.w
        files = w.r.files
        counts = Counter(f.status for f in files)
        statuses = w.ranges(FILES, 2)
        names = ",".join(w.ranges(FILES, 1))
        counts_of = ",".join(w.ranges(FILES, 3))

        def countif(word: str) -> str:
            return "+".join(f'COUNTIF({s},"{word}")' for s in statuses)
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
            Formula(f"=COUNTA({names})", found),
            Formula(f'={countif(STATUS_CN["ok"])}+{countif(STATUS_CN["no_projects"])}', ok),
            Formula(f'={countif(STATUS_CN["no_projects"])}', nop),
            Formula(f'={countif(STATUS_CN["unreadable"])}', bad),
            Formula(f'={countif(STATUS_CN["skipped"])}', skip),
            Formula(f'=IF({cols[0]}{r1}={cols[1]}{r1}+{cols[3]}{r1}+{cols[4]}{r1},"一致","不一致")',
                    "一致" if found == ok + bad + skip else "不一致"),
            Formula(f"=SUM({counts_of})", sum(f.projects for f in files)),
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
        levels = w.ranges(FINDINGS, 1)
        counts = w.tally.severities
        for j, sev in enumerate(("error", "warning", "info")):
            ws.write_string(row, 1 + j, SEVERITY_CN[sev], w.f_head)
            formula = "+".join(f'COUNTIF({r},"{SEVERITY_CN[sev]}")' for r in levels)
            w.cell(ws, row + 1, 1 + j, Formula(f"={formula}", counts[sev]), "int")
        ws.write_string(row + 2, 1, f"详见“{FINDINGS}”；文件级问题（如无法读取）不计入上表各单位的错误数。", w.f_note)
        return row + 3

    # ------------------------------------------------------------ batch health (issue 18)

    CHART_ROWS = 18  # rows the chart covers (20 px each), below its table

    def review_health(self, row: int) -> int:
        """建议等级和问题维度 by 实施单位: COUNTIFS/SUMIFS over 项目清单's 建议等级 and 维度问题数
        columns (cached values from the run's reviews), and a stacked bar chart of the grades."""
        ws, w = self.ws, self.w
        ws.write_string(row, 0, "审核建议概况（按实施单位；建议等级为机器初评，详见“目标审核”）", w.f_section)
        row += 1
        first_grade, first_dim = 3, 3 + len(GRADES)
        for col, head in enumerate(["序号", "实施单位", "项目数"]):
            ws.merge_range(row, col, row + 1, col, head, w.f_head)
        ws.merge_range(row, first_grade, row, first_dim - 1, "建议等级（项目数）", w.f_head)
        ws.merge_range(row, first_dim, row, first_dim + len(DIMENSIONS) - 1, "错误和警告（条，按维度）", w.f_head)
        for j, g in enumerate(GRADES):
            ws.write_string(row + 1, first_grade + j, g, w.f_head)
        for j, d in enumerate(DIMENSIONS):
            ws.write_string(row + 1, first_dim + j, d, w.f_head)
        row += 1
        if not w.units:
            ws.merge_range(row + 1, 0, row + 1, first_dim + len(DIMENSIONS) - 1, "（没有读取到项目）", w.fmt["text"])
            return row + 2
        grade_parts = w.ranges(PROJECTS, w.P_GRADE)
        unit_parts = w.ranges(PROJECTS, w.P_UNIT)
        top = row + 1
        for g in w.units:
            row += 1
            key = f"$A{row + 1}"
            w.cell(ws, row, 0, g.number, "int")
            w.cell(ws, row, 1, g.label, "wrap")
            w.cell(ws, row, 2, Formula(f"={self.countifs(w.P_UNIT, key)}", len(g.keys)), "int")
            grades = Counter(w.grade_of[k] for k in g.keys)
            for j, grade in enumerate(GRADES):
                formula = "+".join(f'COUNTIFS({u},{key},{gr},"{grade}")' for u, gr in zip(unit_parts, grade_parts))
                w.cell(ws, row, first_grade + j, Formula(f"={formula}", grades[grade]), "int")
            for j, dim in enumerate(DIMENSIONS):
                value = sum(w.tally.dimension(k, dim) for k in g.keys)
                w.cell(ws, row, first_dim + j, Formula(f"={self.sumifs(w.P_DIMENSIONS + j, w.P_UNIT, key)}", value),
                       "int")
        bottom = row
        row += 1
        t = w.f_total
        ws.write_string(row, 0, "", t["text"])
        ws.write_string(row, 1, "合计", t["text"])
        w.cell(ws, row, 2, Formula(f"=COUNT({self.rng(0)})", self.n), "int", t["int"])
        grades = grade_counts(w.reviews)
        for j, grade in enumerate(GRADES):
            formula = "+".join(f'COUNTIF({gr},"{grade}")' for gr in grade_parts)
            w.cell(ws, row, first_grade + j, Formula(f"={formula}", grades[grade]), "int", t["int"])
        for j, dim in enumerate(DIMENSIONS):
            value = sum(w.tally.dimension(k, dim) for k in self.project_keys())
            w.cell(ws, row, first_dim + j, Formula(f"=SUM({self.rng(w.P_DIMENSIONS + j)})", value), "int", t["int"])
        self.grade_chart(row + 2, top, bottom, first_grade)
        return row + 2 + self.CHART_ROWS

    def grade_chart(self, row: int, top: int, bottom: int, first_grade: int) -> None:
        """A stacked bar per 实施单位: its projects by proposed grade (a native chart)."""
        colours = {"优": "#70AD47", "良": "#5B9BD5", "中": "#FFC000", "差": "#C00000"}
        chart = self.w.wb.add_chart({"type": "bar", "subtype": "stacked"})
        sheet = quote_sheet(self.ws.get_name())
        for j, grade in enumerate(GRADES):
            col = col_letter(first_grade + j)
            chart.add_series({
                "name": grade,
                "categories": f"={sheet}!$B${top + 1}:$B${bottom + 1}",
                "values": f"={sheet}!${col}${top + 1}:${col}${bottom + 1}",
                "fill": {"color": colours[grade]},
                "gap": 60,
            })
        chart.set_title({"name": "各实施单位项目的建议等级", "name_font": {"size": 11, "bold": True}})
        chart.set_x_axis({"name": "项目数", "major_unit": 1, "min": 0, "num_font": {"size": 9}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": self.CHART_ROWS * 20 - 10})
        self.ws.insert_chart(row, 1, chart, {"object_position": 1})

    # ------------------------------------------------------------ roster (issue 6, --roster)

    def roster_status(self, row: int) -> int:
        """报送情况: every roster entry, 已提交 / 未提交, and what matched it."""
        ws, w = self.ws, self.w
        entries = w.r.roster
        done = sum(1 for e in entries if e.submitted)
        ws.write_string(row, 0, f"报送情况（名单 {len(entries)} 个单位：已提交 {done} 个，未提交 {len(entries) - done} 个）",
                        w.f_section)
        row += 1
        ws.write_string(row, 1, "名单单位", w.f_head)
        ws.write_string(row, 2, "状态", w.f_head)
        ws.merge_range(row, 3, row, 8, "匹配依据", w.f_head)  # the files that show it: room for several
        match_width = 15 * 5 + 12  # columns 3–8 of 汇总
        for e in entries:
            row += 1
            text = e.matched_text or "—"
            lines = line_count(text, match_width)
            if lines > 1:
                ws.set_row(row, row_height(lines))
            ws.write_string(row, 1, e.name, w.fmt["text"])
            ws.write_string(row, 2, "已提交" if e.submitted else "未提交", w.f_ok if e.submitted else w.f_warn)
            ws.merge_range(row, 3, row, 8, text, w.fmt["wrap"])
        return row + 1
