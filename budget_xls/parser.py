"""Grid → ProjectForm(s), anchored on the form's labels (and on our defined names first).

One parser serves our template, the official Shanghai form and the forms other provinces
and years publish. Labels are matched by meaning: ``label_key`` removes whitespace, width,
numbering, bracketed qualifiers ("(万元)", "(2019年--2021年)") and suffixes ("及代码"), and
the field table (``fields``) lists every wording met on real forms, in order of preference.
A sheet may hold several forms, stacked (``find_blocks``), or one flat table of many
projects: each form gets its own rows. A field's value is the nearest non-empty cell right
of its label (or below it for blocks such as 项目总目标); the money block is read by its
sub-labels, each belonging to the total it stands under or beside, in 元 or in 万元 as the
form says; the indicator table is read by ``tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_xls import fields as ft
from budget_xls import tables
from budget_xls.grid import Grid
from budget_xls.model import MISSING, BudgetLine, Field, ProjectForm, a1
from budget_xls.reader import WorkbookData
from budget_xls.textnorm import (
    NONE_MARKS,
    NonexistentDate,
    ParseError,
    clean_text,
    find_year,
    text_key,
    norm_label,
    parse_amount,
    parse_date,
    parse_period,
    split_amount_unit,
)
from budget_xls.vocab import (
    FRAMEWORK_2025,
    FRAMEWORK_COST_LEVEL,
    BUDGET_HEADERS,
    FORM_TITLE,
    NARRATIVE_SECTIONS,
    NARRATIVE_TITLE,
    framework_for,
    labels,
)

_SECTION_TITLES = frozenset(title for _, title in NARRATIVE_SECTIONS)
_COVER_LABELS = ("填报单位", "联系人", "联系电话", "填报日期")
_INDEX_MAX_LEN = 60  # longer text is content, not a label (it is never looked up)
_COLON = re.compile(r"[:：]")
_QUALIFIER = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")
_KEY_SUFFIXES = ("及代码", "及编码", "代码", "编码")
_YEAR_LINE = re.compile(r"^\(?(\d{4})\)?年度?\)?$")  # "(2022 年度)", "(2021年)", "(2020)年度"
_TITLE = re.compile(r"绩效目标.{0,12}表|申报表$|批复表$|审批表$")
_BUDGET_HEAD_KEYS = frozenset(k for keys in BUDGET_HEADERS.values() for k in keys)
_NARRATIVE_ROWS = 60  # how far below its heading a narrative section may run
_WAN = Decimal(10000)
# A code in front of a unit's name: "(433001)乌海市供销合作社联合社", "820001-井研县…", "[015001]武汉市…".
_UNIT_CODE = re.compile(r"^\s*(?:[(\[（【]\s*\d{2,12}\s*[)\]）】]|\d{2,12}\s*[-—－_ ])\s*")
_UNIT_KEYS = ("supervisor", "implementer")


def label_key(text: str) -> tuple[str, str]:
    """A label as typed → (the key it is matched by, its bracketed qualifiers).

    ``"项目资金    (万元)"`` → ``("项目资金", "(万元)")``; ``"主管部门及代码"`` → ``("主管部门", "")``;
    ``"项目总目标 (2022 年- 2022 年)"`` → ``("项目总目标", "(2022年-2022年)")``. A text that is all
    brackets keeps them (``"(2022 年度)"``).
    """
    key = norm_label(text)
    quals = "".join(_QUALIFIER.findall(key))
    if quals:
        bare = _QUALIFIER.sub("", key).rstrip(":")
        if bare:
            key = bare
        else:
            quals = ""
    for suffix in _KEY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key, quals


@dataclass(frozen=True, slots=True)
class _Words:
    """What the parser derives from the field table in force (built once per table)."""

    stop: frozenset[str]  # labels a value scan stops at
    goal_prefixes: tuple[str, ...]  # goal labels, which may carry qualifiers
    inline: frozenset[str]  # labels whose value may be typed after a colon in the label's cell
    names: frozenset[str]  # labels of 项目名称
    field_labels: frozenset[str]  # every field label


_WORDS: dict[int, _Words] = {}


def _words() -> _Words:
    table = ft.table()
    found = _WORDS.get(id(table))
    if found is None:
        every = frozenset(a for f in table for a in f.labels) | frozenset(ft.PERIOD_LABELS)
        inline = [a for f in table if f.kind != ft.GOAL for a in f.labels] + list(_COVER_LABELS) + list(ft.PERIOD_LABELS)
        found = _WORDS[id(table)] = _Words(
            labels() | every | _SECTION_TITLES | {NARRATIVE_TITLE} | set(ft.PERIOD_LABELS),
            tuple(a for f in ft.of_kind(ft.GOAL) for a in f.labels), frozenset(inline),
            frozenset(ft.by_key()["name"].labels), every)
    return found


@dataclass(slots=True)
class SheetIndex:
    """Label key → positions, built in one pass over a sheet's text cells.

    ``keys`` keeps the key of every indexed cell, so scans ask "is this cell a label?" by
    position without normalising again; ``long`` lists the cells too long to be labels
    (narrative text that may start with its own heading).
    """

    grid: Grid
    labels: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    keys: dict[tuple[int, int], str] = field(default_factory=dict)
    long: list[tuple[int, int]] = field(default_factory=list)
    # Cells holding a label and its value together ("项目名称：党建工作"): position → value
    inline: dict[tuple[int, int], str] = field(default_factory=dict)
    words: _Words | None = None
    quals: dict[tuple[int, int], str] = field(default_factory=dict)  # bracketed qualifiers of a label
    full: dict[tuple[int, int], str] = field(default_factory=dict)  # norm_label before qualifiers went

    @classmethod
    def build(cls, grid: Grid) -> "SheetIndex":
        words = _words()
        index = cls(grid, words=words)
        labels_, keys, long, inline = index.labels, index.keys, index.long, index.inline
        for pos, value in grid.cells.items():
            if value.__class__ is not str:
                continue
            if len(value) > _INDEX_MAX_LEN:
                long.append(pos)
                if ":" in value[:16] or "：" in value[:16]:  # "年度资金总额：16" in a long cell
                    split = _inline_label(value[:80], words.inline)
                    if split:
                        keys[pos] = split[0]
                        inline[pos] = value.split(":", 1)[-1].split("：", 1)[-1].strip()
                        labels_.setdefault(split[0], []).append(pos)
                continue
            key, quals = label_key(value)
            if key and key not in words.stop and ":" in key:
                split = _inline_label(value, words.inline)
                if split:
                    key, inline[pos] = split
                    quals = ""
            if key:
                keys[pos] = key
                labels_.setdefault(key, []).append(pos)
                if quals:
                    index.quals[pos] = quals
                if "年" in value or "表" in value:  # year lines and titles
                    index.full[pos] = norm_label(value)
        for positions in labels_.values():
            positions.sort()
        long.sort()
        return index

    def find(self, *keys: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for key in keys:
            out.extend(self.labels.get(key, ()))
        return sorted(out)

    def find_prefix(self, prefix: str) -> list[tuple[int, int]]:
        return sorted(p for k, ps in self.labels.items() if k.startswith(prefix) for p in ps)

    def key_at(self, pos: tuple[int, int]) -> str:
        return self.keys.get(pos, "")

    def is_label_at(self, pos: tuple[int, int]) -> bool:
        key = self.keys.get(pos)
        return key is not None and self.is_label_key(key)

    def is_label(self, value: Any) -> bool:
        return isinstance(value, str) and self.is_label_key(label_key(value)[0])

    def is_label_key(self, key: str) -> bool:
        return key in self.words.stop or key.startswith(self.words.goal_prefixes)

    @property
    def name_labels(self) -> frozenset[str]:
        return self.words.names


def _inline_label(text: str, accepted: frozenset[str]) -> tuple[str, str] | None:
    """"项目名称：党建工作" → ("项目名称", "党建工作") when the part before a colon is a field label."""
    for m in _COLON.finditer(text):
        key = label_key(text[:m.start()])[0]
        if key in accepted:
            value = text[m.end():].strip()
            return (key, value) if value else None
    return None


# ---------------------------------------------------------------- forms on a sheet


@dataclass(slots=True)
class Block:
    """The rows of one form: header fields from ``top`` down to the table, the table to ``bottom``."""

    top: int
    bottom: int  # inclusive
    head: tables.Head | None = None
    list_rows: tuple[int, int] | None = None  # list layout: this project's rows of the flat table
    starts: tuple[int, ...] = ()  # rows where a form may start (titles, 项目名称 labels) on the sheet


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
        if _TITLE.search(full) and len(full) <= 40:
            rows.add(pos[0])
    for key in (FORM_TITLE,):
        rows.update(r for r, _ in index.labels.get(key, ()))
    for key, positions in index.labels.items():
        if _TITLE.search(key) and len(key) <= 40:
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
        if _TITLE.search(full) and len(full) <= 40 and not re.search(r"说明|封面|目录|须知|清单|汇总", full):
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
    for label in _COVER_LABELS:
        for r, c in index.find(label):
            value, _ = _right_of(index, r, c)
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
    scope = _Scope(index, block)
    form.year, form.year_cell = _year(scope)
    if block.list_rows is not None:
        _list_fields(form, scope)
        department = _department_row(index, block, None)
        if department is not None and form.get("supervisor").blank:
            form.fields["supervisor"] = department
    else:
        for spec in ft.of_kind(ft.TEXT, ft.CHOICE, ft.DATE):
            form.fields[spec.key] = _field(scope, _anchor(index, names, spec, spec.labels), spec)
        _period(form, scope)
        _money(form, scope, names)
        _goals(form, scope, names)
    for key in _UNIT_KEYS:
        _strip_unit_code(form, key)
    _indicators(form, scope)
    _narrative(form, scope)
    _budget(form, scope)
    if grid.hidden_rows and block.list_rows is None:
        _hidden_values(form, scope)
    form.labels = scope.found_labels(form)
    form.vintage = _vintage(form, scope)
    if grid.errors:
        _excel_errors(form, grid)
    return form


_HIDDEN_CHECKED = (ft.TEXT, ft.CHOICE, ft.DATE)


def _hidden_values(form: ProjectForm, scope: _Scope) -> None:
    """A field label in a hidden row whose value differs from the visible field read (R10).

    The visible field was read (``_Scope.first``); a stale 项目名称 or amount kept in a hidden
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
            value, vpos = _right_of(index, *pos)
            if value is None or vpos is None:
                continue
            other = _make_field(grid, spec.kind, value, vpos, wan=spec.kind == ft.MONEY and _says_wan(index, pos))
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


def _vintage(form: ProjectForm, scope: _Scope) -> str:
    """Which rulebook the form follows: our template, the Shanghai 财政项目支出绩效目标申报表, or
    another publisher's form (whose own value lists and required fields we do not know)."""
    if form.layout == "template":
        return "template"
    index = scope.index
    for r, _ in index.labels.get(FORM_TITLE, ()):
        if scope.block.top <= r <= scope.header_end:
            return "shanghai"
    return "other"


@dataclass(slots=True)
class _Scope:
    """The part of a sheet one form occupies; lookups see only its rows."""

    index: SheetIndex
    block: Block

    @property
    def grid(self) -> Grid:
        return self.index.grid

    @property
    def header_end(self) -> int:
        """Header fields stand above the indicator table (or anywhere in a form without one)."""
        head = self.block.head
        return head.row - 1 if head is not None and self.block.list_rows is None else self.block.bottom

    @property
    def header_top(self) -> int:
        """Where the form's own header block starts: the last form start (title or 项目名称 label)
        at or above its table, so that a table or a narrative printed above it stays out."""
        head = self.block.head
        if head is None or self.block.list_rows is not None:
            return self.block.top
        starts = [r for r in self.block.starts if self.block.top <= r < head.row]
        return max(starts, default=self.block.top)

    def find(self, *keys: str, header: bool = True) -> list[tuple[int, int]]:
        """The labels' positions in the form, top to bottom; those in visible rows come first
        (visible content wins over a label typed in a hidden row)."""
        if header:
            top, last = self.header_top, self.header_end
        else:
            top, last = self.block.top, self.block.bottom
        found = [p for p in self.index.find(*keys) if top <= p[0] <= last]
        hidden = self.grid.hidden_rows
        if hidden and found:
            found.sort(key=lambda p: p[0] in hidden)  # stable: each group keeps the sheet's order
        return found

    def first(self, keys: tuple[str, ...]) -> tuple[int, int] | None:
        """The label of the most preferred wording present (``keys`` in order of preference),
        in a visible row when any wording stands in one."""
        hidden = self.grid.hidden_rows
        fallback = None
        for key in keys:
            found = self.find(key)
            if found:
                if not hidden or found[0][0] not in hidden:
                    return found[0]
                fallback = fallback or found[0]
        return fallback

    def found_labels(self, form: ProjectForm) -> tuple[str, ...]:
        """Keys of the fields whose label this form carries (S01 asks only for those)."""
        return tuple(k for k, f in form.fields.items() if f.cell is not None)


# ---------------------------------------------------------------- fields


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A field's defined-name cell; ``checked`` when its label stands where the template puts it."""

    pos: tuple[int, int]
    checked: bool


def _anchor(index: SheetIndex, names: dict, spec: ft.FormField, accepted: tuple[str, ...],
            above: str | None = None) -> _Anchor | None:
    """The defined-name cell of a field, checked against the labels around it.

    Defined names are trusted first, but a name can be stale: a script that inserts rows
    (openpyxl does) moves the cells and not the names. So a name counts only when the
    field's label is the nearest text left of it (or, for a block, above it).
    """
    box = names.get(spec.name) if spec.name else None
    if box is None:
        return None
    r, c = box[0], box[1]
    grid = index.grid
    if above is not None:
        for row in range(r - 1, max(r - 6, -1), -1):
            owner = grid.merge_owner(row, c)
            if owner in grid.cells:
                return _Anchor((r, c), index.key_at(owner).startswith(above))
        return _Anchor((r, c), False)
    for col in range(c - 1, -1, -1):
        owner = grid.merge_owner(r, col)
        if owner[1] >= c or owner in grid.uncached_formulas:
            continue
        if owner in grid.cells:
            return _Anchor((r, c), index.key_at(owner) in accepted)
    return _Anchor((r, c), False)


def _field(scope: _Scope, anchor: _Anchor | None, spec: ft.FormField) -> Field:
    kind = spec.kind
    if anchor is not None and anchor.checked:
        return _at(scope.grid, kind, anchor.pos)
    pos = scope.first(spec.labels)
    if pos is not None:
        value, vpos = _right_of(scope.index, *pos)
        return _make_field(scope.grid, kind, value, vpos)
    if anchor is not None:  # no label anywhere: the name is all there is
        return _at(scope.grid, kind, anchor.pos)
    return MISSING


def _at(grid: Grid, kind: str, pos: tuple[int, int]) -> Field:
    return _make_field(grid, kind, grid.value(*pos), grid.merge_owner(*pos))


def _make_field(grid: Grid, kind: str, value: Any, pos: tuple[int, int] | None, wan: bool = False) -> Field:
    cell = a1(*pos) if pos else None
    if pos and pos in grid.uncached_formulas:
        excel = grid.errors.get(pos) if grid.errors else None
        return Field(raw=None, value=None, cell=cell, error=f"excel:{excel}" if excel else "uncached")
    if value is None or (isinstance(value, str) and (not value.strip()
                                                      or kind == ft.MONEY and value.strip() in NONE_MARKS)):
        return Field(raw=None, value=None, cell=cell)  # a dash in a money cell is as blank as an empty cell
    try:
        if kind == ft.MONEY:
            amount, unit = split_amount_unit(value)
            if unit is None and wan:
                unit = "万元"
            parsed = parse_amount(amount)
            if parsed is not None and unit == "万元":
                parsed = parsed * _WAN
            return Field(raw=value, value=parsed, cell=cell, unit=unit)
        if kind == ft.DATE:
            parsed = parse_date(value)
        else:
            parsed = clean_text(value)
    except NonexistentDate as exc:
        return Field(raw=value, value=None, cell=cell, error=f"nonexistent:{exc}")
    except ParseError as exc:
        return Field(raw=value, value=None, cell=cell, error=str(exc))
    return Field(raw=value, value=parsed, cell=cell)


def _right_of(index: SheetIndex, r: int, c: int) -> tuple[Any, tuple[int, int] | None]:
    """Nearest non-empty cell right of the label at (r, c) on its row, stopping at a label.

    Returns (value, position); for an empty field the position is the first cell
    right of the label (where the value belongs), so findings still point somewhere.
    A formula without a cached value stops the scan: it is the field's cell. A label
    typed with its value ("项目名称：党建工作") answers from its own cell.
    """
    inline = index.inline.get((r, c))
    if inline is not None:
        return inline, (r, c)
    grid = index.grid
    cells = grid.cells
    _, _, _, c_end = grid.merge_extent(r, c)
    first = None
    for col in range(c_end + 1, grid.max_col + 1):
        pos = (r, col)
        value = cells.get(pos)
        if value is None:
            if first is None and grid.merge_owner(r, col) == pos:
                first = pos
            if pos in grid.uncached_formulas:
                return None, pos
            continue
        if index.is_label_at(pos):
            break
        return value, pos
    return None, first or (r, c_end + 1)


def _below(index: SheetIndex, r: int, c: int, limit: int = 8) -> tuple[Any, tuple[int, int] | None]:
    """First non-empty cell below a block label, within the label's columns."""
    grid = index.grid
    _, c0, r_end, c_end = grid.merge_extent(r, c)
    first = None
    for row in range(r_end + 1, min(r_end + 1 + limit, grid.max_row + 1)):
        for col in range(c0, c_end + 1):
            pos = (row, col)
            value = grid.cells.get(pos)
            if first is None:
                first = grid.merge_owner(row, col)
            if value is None:
                if pos in grid.uncached_formulas:
                    return None, pos
                continue
            if index.is_label_at(pos):
                return None, first
            return value, pos
    return None, first or (r_end + 1, c0)


def _strip_unit_code(form: ProjectForm, key: str) -> None:
    """"(433001)乌海市供销合作社联合社" → "乌海市供销合作社联合社": the code in front is the unit's
    budget code, not its name (compared across files, grouped in 汇总)."""
    f = form.fields.get(key)
    if f is None or not isinstance(f.value, str):
        return
    stripped = _UNIT_CODE.sub("", f.value, count=1)
    if stripped != f.value and stripped:
        form.fields[key] = Field(raw=f.raw, value=stripped, cell=f.cell, error=f.error)


def _period(form: ProjectForm, scope: _Scope) -> None:
    """A plan period in one cell (项目期 2023年1月-2023年12月) fills the dates the form has no label for."""
    if not (form.get("start").cell is None or form.get("end").cell is None):
        return
    pos = scope.first(ft.PERIOD_LABELS)
    if pos is None:
        return
    value, vpos = _right_of(scope.index, *pos)
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


def _year(scope: _Scope) -> tuple[int | None, str | None]:
    """The budget year of the "(2022 年度)" header line (or a title such as "2022年度…申报表")."""
    index = scope.index
    found = []
    for pos, full in index.full.items():
        if not (scope.block.top <= pos[0] <= scope.header_end):
            continue
        m = _YEAR_LINE.match(full)
        year = int(m.group(1)) if m else None
        if year is None and (_TITLE.search(full) or FORM_TITLE in full):
            year = find_year(full) or _title_year(full)
        if year:
            found.append((pos, year))
    if not found:
        return None, None
    pos, year = min(found)
    return year, a1(*pos)


# ---------------------------------------------------------------- money block

_FISCAL = ("fiscal", "appropriation")
_OTHER = ("other", "annual_other")


def _money(form: ProjectForm, scope: _Scope, names: dict) -> None:
    """Totals and their parts. A part (财政拨款, 其他资金, 上年结转资金) belongs to the total it
    stands under (same column) or beside (same row): the project's total or the year's. Amounts
    are in 元 unless the form says 万元 — in the value, in the label, in the column header or in
    the block label — and are converted exactly to 元."""
    grid, index = scope.grid, scope.index
    money = ft.of_kind(ft.MONEY)
    spec_of = {f.key: f for f in money}
    totals = {side: scope.first(next(f.labels for f in money if f.side == side and f.key in ("total", "annual")))
              for side in ("life", "year")}
    anchored: dict[str, Field] = {}
    for spec in money:
        anchor = _anchor(index, names, spec, spec.labels)
        if anchor is not None and anchor.checked:
            anchored[spec.key] = _at(grid, ft.MONEY, anchor.pos)
    if len(anchored) == len(money):
        form.fields.update({k: anchored[k] for k in spec_of})
        return
    positions = [p for p in (totals["life"], totals["year"]) if p is not None]
    top = min((p[0] for p in positions), default=None)
    bottom = _money_bottom(scope, top)
    wan_block = _wan_block(scope, top, bottom)
    found: dict[str, tuple[int, int]] = {}
    for key in ("total", "annual"):
        side = spec_of[key].side
        if totals[side] is not None:
            found[key] = totals[side]
    if top is not None:
        for kind, keys in (("fiscal", _FISCAL), ("other", _OTHER), ("carryover", ("carryover",))):
            labels_ = spec_of[keys[0]].labels if kind != "fiscal" else _fiscal_labels(spec_of)
            for pos in (p for p in scope.find(*labels_) if top <= p[0] <= bottom):
                side = "year" if index.key_at(pos).startswith(("当年", "本年")) else _side_of(pos, totals, grid)
                key = keys[0] if side == "life" or len(keys) == 1 else keys[1]
                if kind == "carryover":
                    key = "carryover"
                if key not in found:
                    found[key] = pos
    header_annual = _annual_column_header(index, totals)
    if header_annual is not None:
        # 资金来源 | 年初安排金额(万元): the rows (资金总额, 其中：财政拨款, 其他资金) are this year's.
        found.pop("total", None)
        for life, year in (("fiscal", "appropriation"), ("other", "annual_other")):
            if life in found and year not in found:
                found[year] = found.pop(life)
    for spec in money:
        key = spec.key
        if key in anchored:
            form.fields[key] = anchored[key]
            continue
        pos = found.get(key)
        if pos is None:
            anchor = _anchor(index, names, spec, spec.labels)
            form.fields[key] = _at(grid, ft.MONEY, anchor.pos) if anchor is not None else MISSING
            continue
        value, vpos = _right_of(index, *pos)
        if value is None and key in ("total", "annual"):
            # a column header (资金总额, 本年度申请资金, 年初安排金额) with its amount below it
            below, bpos = _below(index, *pos, limit=2)
            if below is not None and not isinstance(below, str) or isinstance(below, str) and below[:1].isdigit():
                value, vpos = below, bpos
        wan = wan_block or _says_wan(index, pos) or (vpos is not None and _header_says_wan(scope, vpos, top))
        form.fields[key] = _make_field(grid, ft.MONEY, value, vpos, wan=wan)


def _annual_column_header(index: SheetIndex, totals: dict) -> tuple[int, int] | None:
    """The year's total standing as a column header with the project-total label on the row of its
    value (年初安排金额(万元) over 资金总额 | 3): the block is one column of this year's money."""
    year, life = totals["year"], totals["life"]
    if year is None or life is None or life[0] <= year[0] or _right_value(index, *year):
        return None
    value, vpos = _below(index, *year, limit=2)
    if value is None or vpos is None or vpos[0] != life[0]:
        return None
    return year


def _fiscal_labels(spec_of: dict) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for key in _FISCAL:
        for label in spec_of[key].labels:
            seen.setdefault(label)
    return tuple(seen)


def _side_of(pos: tuple[int, int], totals: dict, grid: Grid) -> str:
    """Which total a part belongs to: the one in its column above it, else the one on its row left
    of it, else the nearer one; with one total only, that one."""
    life, year = totals["life"], totals["year"]
    if life is None:
        return "year"
    if year is None:
        return "life"
    cands = []
    for side, t in (("life", life), ("year", year)):
        t_c0, t_c1 = grid.merge_extent(*t)[1], grid.merge_extent(*t)[3]
        same_col = t_c0 <= pos[1] <= t_c1 or abs(pos[1] - t_c0) <= 0
        cands.append((0 if same_col and t[0] <= pos[0] else (1 if t[0] == pos[0] and t[1] < pos[1] else 2),
                      abs(pos[1] - t[1]), abs(pos[0] - t[0]), side))
    return min(cands)[3]


def _money_bottom(scope: _Scope, top: int | None) -> int:
    if top is None:
        return -1
    index = scope.index
    stops = [p[0] for key in ("项目绩效目标", "绩效指标", "一级指标") for p in scope.find(key, header=False)
             if p[0] > top]
    stops += [p[0] for key in index.words.goal_prefixes for p in scope.find(key) if p[0] > top]
    if scope.block.head is not None:
        stops.append(scope.block.head.row)
    return min(stops, default=top + 12) - 1


def _wan_block(scope: _Scope, top: int | None, bottom: int) -> bool:
    """The money block's own label (项目资金(万元), 资金情况(万元)), or a 单位：万元 note above the
    form, says 万元 (a 元 note or label says 元)."""
    if top is None:
        return False
    index = scope.index
    for (r, c), quals in index.quals.items():
        if top - 1 <= r <= bottom and "万元" in quals and index.keys.get((r, c), "") in _MONEY_BLOCK_LABELS:
            return True
    for (r, c), key in index.keys.items():
        if scope.block.top <= r < top and key in ("单位:万元", "金额单位:万元", "单位万元") or (
                scope.block.top <= r < top and key.endswith(("单位:万元", "单位：万元"))):
            return True
    for (r, c) in index.inline:
        if scope.block.top <= r < top and index.keys.get((r, c)) in ("单位", "金额单位") and "万元" in index.inline[(r, c)]:
            return True
    return False


_MONEY_BLOCK_LABELS = frozenset({"项目资金", "资金情况", "投入目标", "项目资金申请", "资金来源", "项目预算",
                                 "资金投入", "项目资金情况", "预算资金", "资金", "项目预算资金", "项目资金预算执行"})


def _says_wan(index: SheetIndex, pos: tuple[int, int]) -> bool:
    return "万元" in index.quals.get(pos, "")


def _header_says_wan(scope: _Scope, vpos: tuple[int, int], top: int | None) -> bool:
    """A column header above the value (年初安排金额(万元)) names its unit."""
    index = scope.index
    r, c = vpos
    for row in range(r - 1, max((top or r) - 2, scope.block.top - 1), -1):
        owner = scope.grid.merge_owner(row, c)
        if "万元" in index.quals.get(owner, ""):
            return True
    return False


# ---------------------------------------------------------------- goals


def _goals(form: ProjectForm, scope: _Scope, names: dict) -> None:
    grid, index = scope.grid, scope.index
    for spec in ft.of_kind(ft.GOAL):
        key = spec.key
        anchor = _anchor(index, names, spec, (), above=spec.labels[0])
        if anchor is not None and anchor.checked:
            form.fields[key] = _at(grid, ft.GOAL, anchor.pos)
            continue
        pos = _goal_label(scope, spec)
        if pos is None:
            form.fields[key] = _at(grid, ft.GOAL, anchor.pos) if anchor is not None else MISSING
            continue
        r, c = pos
        value, vpos = _right_of(index, r, c)
        if value is None or _is_subheading(index, value):
            below, bpos = _below(index, r, c)
            if below is None and value is not None and vpos is not None:
                below, bpos = _below(index, *vpos)  # 年度总体目标 | 预期目标: the goal is under the sub-heading
            if below is not None or value is None:
                value, vpos = below, bpos
        form.fields[key] = _make_field(grid, ft.GOAL, value, vpos)


def _is_subheading(index: SheetIndex, value: Any) -> bool:
    """A short header word beside a goal label (预期目标, 实际完成情况): the goal is under it."""
    return isinstance(value, str) and len(value) <= 8 and (index.is_label(value) or value.strip().endswith(("目标", "情况")))


def _goal_label(scope: _Scope, spec: ft.FormField) -> tuple[int, int] | None:
    """The goal's label: the most preferred wording present, skipping a block heading that has
    the goal labels beside it (总体目标 | 年度目标) rather than a value."""
    index = scope.index
    for label in spec.labels:
        for pos in sorted(p for k, ps in index.labels.items() if k == label or (k.startswith(label) and k[len(label):len(label) + 1] in "(（")
                          for p in ps if scope.block.top <= p[0] <= scope.header_end):
            right = _next_text(index, *pos)
            if (right is not None and index.key_at(right).startswith(index.words.goal_prefixes)
                    and _is_heading(index, pos, right)):
                continue  # a heading beside the goal labels (总体目标 | 中期目标 | 年度目标), not a goal itself
            return pos
    return None


def _is_heading(index: SheetIndex, pos: tuple[int, int], right: tuple[int, int]) -> bool:
    """A goal label with another goal label beside it is a heading over them (总体目标 | 年度目标)
    when nothing stands under it where the goal beside it has its value; side by side goal labels
    with a value each (项目总目标 | 年度总目标, the official form) are goals both."""
    grid = index.grid
    value, vpos = _below(index, *right)
    if value is None or vpos is None:
        return not _right_value(index, *pos)
    _, c0, _, c_end = grid.merge_extent(*pos)
    row = vpos[0]
    return not any((row, col) in grid.cells for col in range(c0, c_end + 1)) and not _right_value(index, *pos)


def _right_value(index: SheetIndex, r: int, c: int) -> bool:
    value, _ = _right_of(index, r, c)
    return value is not None


def _next_text(index: SheetIndex, r: int, c: int) -> tuple[int, int] | None:
    grid = index.grid
    _, _, _, c_end = grid.merge_extent(r, c)
    for col in range(c_end + 1, grid.max_col + 1):
        if (r, col) in grid.cells:
            return (r, col)
    return None


# ---------------------------------------------------------------- list layout


def _list_fields(form: ProjectForm, scope: _Scope) -> None:
    """A flat table's project: its fields from the columns of the table header."""
    grid, index, head = scope.grid, scope.index, scope.block.head
    r = scope.block.list_rows[0]
    by_key = {}
    for col, text in head.columns.items():
        key = label_key(text)[0]
        for spec in ft.table():
            if key in spec.labels and spec.key not in by_key:
                by_key[spec.key] = col
    wan = _wan_block(scope, head.row, head.row)
    for spec in ft.table():
        col = by_key.get(spec.key)
        if col is None:
            continue
        form.fields[spec.key] = _make_field(grid, spec.kind, grid.value(r, col), (r, col), wan=wan)
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


def _indicators(form: ProjectForm, scope: _Scope) -> None:
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


def _table_end(scope: _Scope, hrow: int) -> int:
    """The table runs until the narrative, the budget table, a note or the next form starts."""
    index = scope.index
    keys = (NARRATIVE_TITLE, FORM_TITLE, *BUDGET_HEADERS["item"], *_SECTION_TITLES, "财政部门审核意见",
            "审核意见", "主管部门审核意见")
    ends = [p[0] for p in index.find(*keys) if hrow < p[0] <= scope.block.bottom]
    ends += [p[0] for p in index.find_prefix("年度预算安排") if hrow < p[0] <= scope.block.bottom]
    ends += [r for r in scope.block.starts if hrow < r <= scope.block.bottom]  # the next form's title
    ends += [p[0] for p in index.long if hrow < p[0] <= scope.block.bottom and p[1] == 0
             and _is_note(index.grid.cells[p])]
    first = scope.block.head.first_col if scope.block.head is not None else 0
    ends += [r for (r, c), v in index.grid.cells.items() if hrow < r <= scope.block.bottom and c <= first
             and isinstance(v, str) and _is_note(v)]
    return min(ends, default=scope.block.bottom + 1)


def _is_note(text: str) -> bool:
    t = "".join(text.split())
    return t.startswith(("注:", "注：", "说明:", "说明：", "备注:", "备注：", "填表说明", "总分", "其他需要说明", "填表人",
                         "审核意见", "财政部门意见", "主管部门意见")) or "盖章" in t[:30]


# ---------------------------------------------------------------- narrative and budget table


def _block_below(index: SheetIndex, r: int, c: int, last: int | None = None) -> tuple[str | None, tuple[int, int]]:
    """The text under a heading that spans the form (official narrative): every row up to
    the next label, paragraphs joined by newlines. Position: the first text cell, or the
    cell under the heading when there is none."""
    grid = index.grid
    _, c0, r_end, _ = grid.merge_extent(r, c)
    parts: list[str] = []
    first: tuple[int, int] | None = None
    last = grid.max_row if last is None else last
    for row in range(r_end + 1, min(r_end + 1 + _NARRATIVE_ROWS, last + 1)):
        for col in range(c0, grid.max_col + 1):
            pos = (row, col)
            value = grid.cells.get(pos)
            if value is None:
                continue
            if index.is_label_at(pos) or index.key_at(pos) in _BUDGET_HEAD_KEYS:
                return ("\n".join(parts) or None), first or (r_end + 1, c0)
            text = clean_text(value)
            if text:
                parts.append(text)
                first = first or pos
    return ("\n".join(parts) or None), first or (r_end + 1, c0)


def _narrative(form: ProjectForm, scope: _Scope) -> None:
    """The seven sections, wherever they stand: text right of the heading (our template),
    below a heading that spans the form (the official export), or in the heading's own
    cell after a colon ("一、项目概述：……")."""
    index, grid = scope.index, scope.grid
    for key, title in NARRATIVE_SECTIONS:
        positions = scope.find(title, header=False)
        if not positions:
            inline = _inline_section(scope, title)
            if inline is not None:
                form.narrative[key] = inline
            continue
        r, c = positions[0]
        _, _, _, c_end = grid.merge_extent(r, c)
        value, pos = (None, None)
        if c_end < grid.max_col:
            value, pos = _right_of(index, r, c)
        if value is None:
            below, bpos = _block_below(index, r, c, scope.block.bottom)
            if below is not None or c_end >= grid.max_col:
                value, pos = below, bpos
        text = clean_text(value)
        form.narrative[key] = Field(raw=text, value=text, cell=a1(*pos) if pos else None)


def _inline_section(scope: _Scope, title: str) -> Field | None:
    """A long cell that starts with the section's heading and a colon holds its text."""
    index = scope.index
    for pos in index.long:
        if not scope.block.top <= pos[0] <= scope.block.bottom:
            continue
        value = index.grid.cells[pos]
        head = norm_label(value[:len(title) + 12])
        if head.startswith(title + ":"):
            text = re.split(r"[:：]", value, maxsplit=1)[1].strip() or None
            return Field(raw=text, value=text, cell=a1(*pos))
    return None


def _budget(form: ProjectForm, scope: _Scope) -> None:
    index, grid = scope.index, scope.grid
    header = _header_row(scope, BUDGET_HEADERS, required=("item", "amount"))
    if header is None:
        return
    hrow, cols = header
    form.budget_header = a1(hrow, cols["item"])
    ic, ac = cols["item"], cols["amount"]
    for r in range(hrow + 1, scope.block.bottom + 1):
        item = clean_text(grid.value(r, ic))
        if item and norm_label(item) in ("合计", "总计"):
            form.budget_total = _make_field(grid, ft.MONEY, grid.value(r, ac), (r, ac))
            break
        if item and (norm_label(item) in index.words.stop or norm_label(item) == NARRATIVE_TITLE):
            break
        values = {role: grid.value(r, col) for role, col in cols.items()}
        for role in ("unit_price", "quantity", "amount"):
            col = cols.get(role)
            if col is not None and (r, col) in grid.uncached_formulas:
                form.uncached.append((a1(r, col), f"年度预算安排第 {r + 1} 行"))
        if all(v is None for v in values.values()):
            continue
        form.budget_lines.append(
            BudgetLine(
                item=item,
                basis=clean_text(values.get("basis")),
                unit_price=_number_field(grid, r, cols.get("unit_price")),
                quantity=_number_field(grid, r, cols.get("quantity")),
                amount=_number_field(grid, r, ac),
                row=r,
            )
        )


def _number_field(grid: Grid, r: int, c: int | None) -> Field:
    if c is None:
        return MISSING
    return _make_field(grid, ft.MONEY, grid.value(r, c), (r, c))


def _header_row(scope: _Scope, headers: dict, required: tuple[str, ...]):
    """Find the row holding a table header within the form; returns (row, {role: col})."""
    first_key = headers[required[0]]
    for r, c in scope.find(*first_key, header=False):
        cols = {}
        for role, accepted in headers.items():
            hits = [p for p in scope.index.find(*accepted) if p[0] == r]
            if hits:
                cols[role] = hits[0][1]
        if all(role in cols for role in required):
            return r, cols
    return None
