"""Grid → ProjectForm(s): the forms on a sheet and each one's header fields, dates, year and table.

One parser serves our template, the official Shanghai form and the forms other provinces and
years publish. A sheet may hold several forms, stacked (``find_blocks``), or one flat table of
many projects: each form gets its own rows (``cells.Scope``). Header fields are read by their
labels (``cells``), the money block by ``moneyblock``, goals, narrative and budget table by
``sections``, the indicator table by ``tables``.
"""

from __future__ import annotations

import re

from budget_xls import fields as ft
from budget_xls import tables
from budget_xls.cells import (
    COVER_LABELS,
    Block,
    Scope,
    SECTION_TITLES,
    SheetIndex,
    anchor_of,
    label_field,
    label_key,
    make_field,
    right_of,
)
from budget_xls.grid import Grid
from budget_xls.model import Field, ProjectForm, a1
from budget_xls.moneyblock import money, says_wan, wan_block
from budget_xls.reader import WorkbookData
from budget_xls.sections import budget, goals, narrative
from budget_xls.textnorm import ParseError, clean_text, find_year, parse_period, text_key
from budget_xls.vocab import BUDGET_HEADERS, FORM_TITLE, FRAMEWORK_2025, FRAMEWORK_COST_LEVEL, NARRATIVE_TITLE, framework_for

_YEAR_LINE = re.compile(r"^\(?(\d{4})\)?年度?\)?$")  # "(2022 年度)", "(2021年)", "(2020)年度"
_TITLE = re.compile(r"绩效目标.{0,12}表|申报表$|批复表$|审批表$")
# A code in front of a unit's name: "(433001)乌海市供销合作社联合社", "820001-井研县…", "[015001]武汉市…".
_UNIT_CODE = re.compile(r"^\s*(?:[(\[（【]\s*\d{2,12}\s*[)\]）】]|\d{2,12}\s*[-—－_ ])\s*")
_UNIT_KEYS = ("supervisor", "implementer")


def _is_title(text: str) -> bool:
    """A form's title: every wording holds 表, so most texts (every label key of a sheet) need no regex."""
    return "表" in text and _TITLE.search(text) is not None


__all__ = ["SheetIndex", "find_blocks", "label_key", "looks_like_a_form", "parse_block", "read_cover"]

# ---------------------------------------------------------------- forms on a sheet


def find_blocks(index: SheetIndex) -> list[Block]:
    """Every form on a sheet. A form is an indicator table (its header row), or — for a form
    published without one — a 项目名称 label with other field labels beside it. Stacked forms
    are cut where the next one starts (its title or its 项目名称 label)."""
    grid = index.grid
    heads = tables.find_heads(index)
    listed = [h for h in heads if h.project is not None]
    if listed:
        return _list_blocks(index, listed[0])
    starts = _form_starts(index)
    if not heads:
        names = [p for k in index.name_labels for p in index.labels.get(k, ())]
        if not names or not _has_other_fields(index):
            return []
        return [Block(0, grid.max_row)]
    blocks: list[Block] = []
    for head in heads:
        if blocks and not any(blocks[-1].head.row < r <= head.row for r in starts):
            continue  # the same form's table header repeated (a table over two pages)
        top = blocks[-1].bottom + 1 if blocks else 0
        if blocks:
            # the previous form ends where this one starts: the first start row after its table
            start = min(r for r in starts if blocks[-1].head.row < r <= head.row)
            blocks[-1].bottom = start - 1
            top = start
        blocks.append(Block(top, grid.max_row, head, starts=tuple(starts)))
    # A form published without its indicator table after the last table (a cut-off copy, a header-only
    # form): a start with a 项目名称 label of its own below the last table.
    names = {r for k in index.name_labels for r, _ in index.labels.get(k, ())}
    for r in starts:
        if r > blocks[-1].head.row + 1 and any(r <= n <= r + 4 for n in names) and blocks[-1].head is not None:
            blocks[-1].bottom = r - 1
            blocks.append(Block(r, grid.max_row, None, starts=tuple(starts)))
            break
    return blocks


def _form_starts(index: SheetIndex) -> list[int]:
    """Rows where a form may start: its title, or its 项目名称 label."""
    rows = {r for k in index.name_labels for r, _ in index.labels.get(k, ())}
    for pos, full in index.full.items():
        if _is_title(full) and len(full) <= 40:
            rows.add(pos[0])
    for key in (FORM_TITLE,):
        rows.update(r for r, _ in index.labels.get(key, ()))
    for key, positions in index.labels.items():
        if _is_title(key) and len(key) <= 40:
            rows.update(r for r, _ in positions)
    # A title and the name label below it start the same form: keep the first of each run.
    out: list[int] = []
    for r in sorted(rows):
        if out and r - out[-1] <= 4 and not _table_between(index, out[-1], r):
            continue
        out.append(r)
    return out


def _table_between(index: SheetIndex, r0: int, r1: int) -> bool:
    return any(r0 < r < r1 for r, _ in index.labels.get("一级指标", ()))


def _has_other_fields(index: SheetIndex) -> bool:
    other = index.words.field_labels - index.name_labels
    return sum(1 for k in other if k in index.labels) >= 2


def _list_blocks(index: SheetIndex, head: tables.Head) -> list[Block]:
    """One flat table of many projects (a department's list): a project starts on each row that
    names one in the 项目名称 column and runs to the next."""
    grid = index.grid
    starts = [r for r in range(head.row + 1, grid.max_row + 1)
              if clean_text(grid.value(r, head.project)) and (r, head.project) in grid.cells]
    blocks = []
    for i, r in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else grid.max_row
        blocks.append(Block(0, end, head, (r, end)))
    return blocks


def is_project_sheet(index: SheetIndex) -> bool:
    return bool(find_blocks(index))


def looks_like_a_form(index: SheetIndex) -> str | None:
    """Why a sheet that yields no project still looks like a form, and what it lacks; None for a
    sheet that does not look like one (a 说明 or 封面 sheet)."""
    why = None
    found = sorted(k for k in index.words.field_labels if k in index.labels)
    table_words = any(k in index.labels for k in ("一级指标", "三级指标"))
    for pos, full in index.full.items():
        if _is_title(full) and len(full) <= 40 and not re.search(r"说明|封面|目录|须知|清单|汇总", full):
            if found or table_words:
                why = f"有标题“{clean_text(index.grid.cells[pos])}”"
                break
    if why is None and (len(found) >= 3 or table_words):
        why = "有栏目“" + "”“".join(found[:4] or ["一级指标"]) + "”"
    if why is None:
        return None
    missing = []
    if not tables.find_heads(index):
        missing.append("绩效指标表的表头（一级指标、二级指标、三级指标、指标值）")
    if not any(k in index.labels for k in index.name_labels):
        missing.append("“项目名称”栏")
    return f"{why}，但没有找到{'和'.join(missing) or '可读取的项目'}"


def read_cover(index: SheetIndex) -> dict[str, str]:
    cover: dict[str, str] = {}
    for label in COVER_LABELS:
        for r, c in index.find(label):
            value, _ = right_of(index, r, c)
            text = clean_text(value)
            if text:
                cover[label] = text
                break
    return cover


def parse_block(book: WorkbookData, grid: Grid, index: SheetIndex, file: str, block: Block) -> ProjectForm:
    form = ProjectForm(file=file, sheet=grid.name)
    names = book.names.get(grid.name, {})
    if book.template_version and names:
        form.layout = "template"
    form.template_version = book.template_version
    scope = Scope(index, block)
    form.year, form.year_cell = _year(scope)
    if block.list_rows is not None:
        _list_fields(form, scope)
        department = _department_row(index, block, None)
        if department is not None and form.get("supervisor").blank:
            form.fields["supervisor"] = department
    else:
        for spec in ft.of_kind(ft.TEXT, ft.CHOICE, ft.DATE):
            form.fields[spec.key] = label_field(scope, anchor_of(index, names, spec, spec.labels), spec)
        _period(form, scope)
        money(form, scope, names)
        goals(form, scope, names)
    for key in _UNIT_KEYS:
        _strip_unit_code(form, key)
    _indicators(form, scope)
    narrative(form, scope)
    budget(form, scope)
    if grid.hidden_rows and block.list_rows is None:
        _hidden_values(form, scope)
    form.labels = scope.found_labels(form)
    form.vintage = _vintage(form, scope)
    if grid.errors:
        _excel_errors(form, grid)
    return form


_HIDDEN_CHECKED = (ft.TEXT, ft.CHOICE, ft.DATE)


def _hidden_values(form: ProjectForm, scope: Scope) -> None:
    """A field label in a hidden row whose value differs from the visible field read (R10).

    The visible field was read (``Scope.first``); a stale 项目名称 or amount kept in a hidden
    row is not, but the sub-unit should know it is there: Excel prints it once unhidden, and
    another reader may take it."""
    grid, index = scope.grid, scope.index
    hidden = grid.hidden_rows
    for spec in ft.table():
        if spec.kind not in _HIDDEN_CHECKED and spec.key not in ("total", "annual"):
            continue
        shown = form.fields.get(spec.key)
        if shown is None or shown.cell is None:
            continue
        shown_row = _row_of(shown.cell)
        if shown_row in hidden:
            continue  # no visible candidate: the hidden one was read
        for pos in scope.find(*spec.labels):
            if pos[0] not in hidden:
                continue
            value, vpos = right_of(index, *pos)
            if value is None or vpos is None:
                continue
            other = make_field(grid, spec.kind, value, vpos, wan=spec.kind == ft.MONEY and says_wan(index, pos))
            hidden_value = other.value
            if spec.key in _UNIT_KEYS and isinstance(hidden_value, str):
                hidden_value = _UNIT_CODE.sub("", hidden_value, count=1) or hidden_value
            if hidden_value is None or _same_value(hidden_value, shown.value):
                continue
            form.hidden_values.append((a1(*vpos), spec.key, clean_text(str(value)) or str(value), shown.cell,
                                       None if shown.raw is None else clean_text(str(shown.raw))))


def _row_of(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return text_key(a) == text_key(b)
    return a == b


def _excel_errors(form: ProjectForm, grid: Grid) -> None:
    """Table cells holding an Excel error (#REF! …) leave ``form.uncached`` (R03) for ``form.excel_errors`` (R09)."""
    shown = {a1(*pos): text for pos, text in grid.errors.items()}
    kept = []
    for cell, what in form.uncached:
        if cell in shown:
            form.excel_errors.append((cell, what, shown[cell]))
        else:
            kept.append((cell, what))
    form.uncached = kept


def _vintage(form: ProjectForm, scope: Scope) -> str:
    """Which rulebook the form follows: our template, the Shanghai 财政项目支出绩效目标申报表, or
    another publisher's form (whose own value lists and required fields we do not know)."""
    if form.layout == "template":
        return "template"
    index = scope.index
    for r, _ in index.labels.get(FORM_TITLE, ()):
        if scope.block.top <= r <= scope.header_end:
            return "shanghai"
    return "other"


def _strip_unit_code(form: ProjectForm, key: str) -> None:
    """"(433001)乌海市供销合作社联合社" → "乌海市供销合作社联合社": the code in front is the unit's
    budget code, not its name (compared across files, grouped in 汇总)."""
    f = form.fields.get(key)
    if f is None or not isinstance(f.value, str):
        return
    stripped = _UNIT_CODE.sub("", f.value, count=1)
    if stripped != f.value and stripped:
        form.fields[key] = Field(raw=f.raw, value=stripped, cell=f.cell, error=f.error)


def _period(form: ProjectForm, scope: Scope) -> None:
    """A plan period in one cell (项目期 2023年1月-2023年12月) fills the dates the form has no label for."""
    if not (form.get("start").cell is None or form.get("end").cell is None):
        return
    pos = scope.first(ft.PERIOD_LABELS)
    if pos is None:
        return
    value, vpos = right_of(scope.index, *pos)
    text = clean_text(value)
    cell = a1(*vpos) if vpos else None
    if text and (len(text) > 40 or not re.search(r"\d{4}", text)):
        return  # a description ("3年", a sentence with the period inside): no dates to take from it
    if not text:
        for key in ("start", "end"):
            if form.get(key).cell is None:
                form.fields[key] = Field(raw=None, value=None, cell=cell)
        return
    try:
        start, end = parse_period(text)
    except ParseError as exc:
        for key in ("start", "end"):
            if form.get(key).cell is None:
                form.fields[key] = Field(raw=text, value=None, cell=cell, error=str(exc))
        return
    if form.get("start").cell is None:
        form.fields["start"] = Field(raw=text, value=start, cell=cell)
    if form.get("end").cell is None:
        form.fields["end"] = Field(raw=text, value=end, cell=cell)


_TITLE_YEAR = re.compile(r"(20\d{2})年")


def _title_year(text: str) -> int | None:
    """"秀屿区2025年省级…绩效目标表" → 2025 (a title naming its year without 年度)."""
    m = _TITLE_YEAR.search(text)
    return int(m.group(1)) if m else None


def _year(scope: Scope) -> tuple[int | None, str | None]:
    """The budget year of the "(2022 年度)" header line (or a title such as "2022年度…申报表")."""
    index = scope.index
    found = []
    for pos, full in index.full.items():
        if not (scope.block.top <= pos[0] <= scope.header_end):
            continue
        m = _YEAR_LINE.match(full)
        year = int(m.group(1)) if m else None
        if year is None and (_is_title(full) or FORM_TITLE in full):
            year = find_year(full) or _title_year(full)
        if year:
            found.append((pos, year))
    if not found:
        return None, None
    pos, year = min(found)
    return year, a1(*pos)


# ---------------------------------------------------------------- list layout


def _list_fields(form: ProjectForm, scope: Scope) -> None:
    """A flat table's project: its fields from the columns of the table header."""
    grid, index, head = scope.grid, scope.index, scope.block.head
    r = scope.block.list_rows[0]
    by_key = {}
    for col, text in head.columns.items():
        key = label_key(text)[0]
        for spec in ft.table():
            if key in spec.labels and spec.key not in by_key:
                by_key[spec.key] = col
    wan = wan_block(scope, head.row, head.row)
    for spec in ft.table():
        col = by_key.get(spec.key)
        if col is None:
            continue
        form.fields[spec.key] = make_field(grid, spec.kind, grid.value(r, col), (r, col), wan=wan)
    del index


def _department_row(index: SheetIndex, block: Block, current: Field | None) -> Field | None:
    """A row above a project in a flat table that names a unit but no project (the department's
    subtotal row, "820-马踏镇部门"): the department the projects below belong to."""
    grid, head = index.grid, block.head
    unit_col = next((c for c, t in head.columns.items()
                     if label_key(t)[0] in ft.by_key()["implementer"].labels), None)
    if unit_col is None:
        return current
    start = block.list_rows[0]
    for r in range(start - 1, head.row, -1):
        if clean_text(grid.cells.get((r, head.project))):
            continue
        text = clean_text(grid.cells.get((r, unit_col)))
        if text:
            value = _UNIT_CODE.sub("", text, count=1)
            return Field(raw=text, value=value, cell=a1(r, unit_col))
    return current


# ---------------------------------------------------------------- indicator table


def _indicators(form: ProjectForm, scope: Scope) -> None:
    head = scope.block.head
    if head is None:
        return
    form.indicator_header = a1(head.row, head.level1 if head.level1 is not None else head.first_col)
    if scope.block.list_rows is not None:
        r0, r1 = scope.block.list_rows
        end = r1 + 1
        head = tables.Head(**{**{k: getattr(head, k) for k in head.__slots__}, "row": r0 - 1})
    else:
        end = _table_end(scope, head.row)
    fw = framework_for(form.year)
    form.indicators = tables.read_rows(scope.grid, head, end, fw, form.uncached)
    if fw is not FRAMEWORK_2025 and _cost_level_model(form):
        # 经济/社会/生态环境成本指标 under a 成本指标 一级: the 2021 central model, before Shanghai's 2025
        form.cost_level = True
        form.indicators = tables.read_rows(scope.grid, head, end, FRAMEWORK_COST_LEVEL, [])


_COST_LEVEL2 = ("经济成本", "社会成本", "生态环境成本", "生态成本")


def _cost_level_model(form: ProjectForm) -> bool:
    return any(i.level2_raw and "".join(i.level2_raw.split()).startswith(_COST_LEVEL2) for i in form.indicators)


def _table_end(scope: Scope, hrow: int) -> int:
    """The table runs until the narrative, the budget table, a note or the next form starts."""
    index = scope.index
    keys = (NARRATIVE_TITLE, FORM_TITLE, *BUDGET_HEADERS["item"], *SECTION_TITLES, "财政部门审核意见",
            "审核意见", "主管部门审核意见")
    ends = [p[0] for p in index.find(*keys) if hrow < p[0] <= scope.block.bottom]
    ends += [p[0] for p in index.find_prefix("年度预算安排") if hrow < p[0] <= scope.block.bottom]
    ends += [r for r in scope.block.starts if hrow < r <= scope.block.bottom]  # the next form's title
    ends += [p[0] for p in index.long if hrow < p[0] <= scope.block.bottom and p[1] == 0
             and _is_note(index.grid.cells[p])]
    first = scope.block.head.first_col if scope.block.head is not None else 0
    cells, bottom = index.grid.cells, scope.block.bottom
    if (bottom - hrow) * (first + 1) <= len(cells):  # the table's rows left of its first column, when fewer
        ends += [r for r in range(hrow + 1, bottom + 1) for c in range(first + 1)
                 if isinstance(v := cells.get((r, c)), str) and _is_note(v)]
    else:
        ends += [r for (r, c), v in cells.items() if hrow < r <= bottom and c <= first
                 and isinstance(v, str) and _is_note(v)]
    return min(ends, default=scope.block.bottom + 1)


def _is_note(text: str) -> bool:
    t = "".join(text.split())
    return t.startswith(("注:", "注：", "说明:", "说明：", "备注:", "备注：", "填表说明", "总分", "其他需要说明", "填表人",
                         "审核意见", "财政部门意见", "主管部门意见")) or "盖章" in t[:30]
