"""Grid → ProjectForm, anchored on the form's labels (and on our defined names first).

One parser serves our template and the official form as office suites export it:
labels are matched after ``norm_label`` (whitespace, width, numbering removed), a
field's value is the nearest non-empty cell right of its label (or below it for
blocks such as 项目总目标), the money block is read by its sub-labels per column,
and the indicator table carries 一级/二级 down through merged and blank cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from budget_xls import fields as ft
from budget_xls import indicators as ind
from budget_xls.model import MISSING, BudgetLine, Field, Indicator, ProjectForm, a1
from budget_xls.grid import Grid
from budget_xls.reader import WorkbookData
from budget_xls.textnorm import (
    NonexistentDate,
    ParseError,
    clean_text,
    find_year,
    norm_label,
    parse_amount,
    parse_date,
)
from budget_xls.vocab import (
    BUDGET_HEADERS,
    FORM_TITLE,
    INDICATOR_HEADERS,
    NARRATIVE_SECTIONS,
    NARRATIVE_TITLE,
    framework_for,
    labels,
)

_SECTION_TITLES = frozenset(title for _, title in NARRATIVE_SECTIONS)
_COVER_LABELS = ("填报单位", "联系人", "联系电话", "填报日期")


@dataclass(frozen=True, slots=True)
class _Words:
    """What the parser derives from the field table in force (built once per table)."""

    stop: frozenset[str]  # labels a value scan stops at
    goal_prefixes: tuple[str, ...]  # 项目总目标 (2022年-2022年) …: goal labels carry qualifiers
    inline: frozenset[str]  # labels whose value may be typed after a colon in the label's cell


_WORDS: dict[int, _Words] = {}


def _words() -> _Words:
    table = ft.table()
    found = _WORDS.get(id(table))
    if found is None:
        goals = ft.of_kind(ft.GOAL)
        inline = [a for f in table if f.kind != ft.GOAL for a in f.labels] + list(_COVER_LABELS)
        found = _WORDS[id(table)] = _Words(labels() | _SECTION_TITLES | {NARRATIVE_TITLE},
                                           tuple(f.labels[0] for f in goals), frozenset(inline))
    return found
_INDEX_MAX_LEN = 60  # longer text is content, not a label (it is never looked up)
_COLON = re.compile(r"[:：]")
_YEAR_LINE = re.compile(r"^\(?(\d{4})年度\)?$")  # a normalised "(2022 年度)" header
_BUDGET_HEAD_KEYS = frozenset(k for keys in BUDGET_HEADERS.values() for k in keys)
_NARRATIVE_ROWS = 60  # how far below its heading a narrative section may run


@dataclass(slots=True)
class SheetIndex:
    """Normalised label → positions, built in one pass over a sheet's text cells.

    ``keys`` keeps the normalised text of every indexed cell, so scans ask "is this
    cell a label?" by position without normalising again; ``long`` lists the cells
    too long to be labels (narrative text that may start with its own heading).
    """

    grid: Grid
    labels: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    keys: dict[tuple[int, int], str] = field(default_factory=dict)
    long: list[tuple[int, int]] = field(default_factory=list)
    # Cells holding a label and its value together ("项目名称：党建工作"): position → value
    inline: dict[tuple[int, int], str] = field(default_factory=dict)
    words: _Words | None = None

    @classmethod
    def build(cls, grid: Grid) -> "SheetIndex":
        words = _words()
        labels: dict[str, list[tuple[int, int]]] = {}
        keys: dict[tuple[int, int], str] = {}
        long: list[tuple[int, int]] = []
        inline: dict[tuple[int, int], str] = {}
        for pos, value in grid.cells.items():
            if value.__class__ is not str:
                continue
            if len(value) > _INDEX_MAX_LEN:
                long.append(pos)
                continue
            key = norm_label(value)
            if key and key not in words.stop and ":" in key:
                split = _inline_label(value, words.inline)
                if split:
                    key, inline[pos] = split
            if key:
                keys[pos] = key
                labels.setdefault(key, []).append(pos)
        for positions in labels.values():
            positions.sort()
        long.sort()
        return cls(grid, labels, keys, long, inline, words)

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
        return isinstance(value, str) and self.is_label_key(norm_label(value))

    def is_label_key(self, key: str) -> bool:
        return key in self.words.stop or key.startswith(self.words.goal_prefixes)


def _inline_label(text: str, accepted: frozenset[str]) -> tuple[str, str] | None:
    """"项目名称：党建工作" → ("项目名称", "党建工作") when the part before a colon is a field label."""
    for m in _COLON.finditer(text):
        key = norm_label(text[:m.start()])
        if key in accepted:
            value = text[m.end():].strip()
            return (key, value) if value else None
    return None


def is_project_sheet(index: SheetIndex) -> bool:
    """A project form carries 项目名称 and the indicator table header."""
    has_name = bool(index.find(*ft.by_key()["name"].labels))
    has_table = bool(index.find(*INDICATOR_HEADERS["level1"])) or bool(index.find(*INDICATOR_HEADERS["name"]))
    return has_name and has_table


def read_cover(index: SheetIndex) -> dict[str, str]:
    cover: dict[str, str] = {}
    for label in _COVER_LABELS:
        for r, c in index.find(label):
            value, _ = _right_of(index, r, c)
            text = _as_text(value)
            if text:
                cover[label] = text
                break
    return cover


def parse_sheet(book: WorkbookData, grid: Grid, index: SheetIndex, file: str) -> ProjectForm:
    form = ProjectForm(file=file, sheet=grid.name)
    names = book.names.get(grid.name, {})
    if book.template_version and names:
        form.layout = "template"
    form.template_version = book.template_version
    form.year, form.year_cell = _year(index)
    for spec in ft.of_kind(ft.TEXT, ft.CHOICE, ft.DATE):
        form.fields[spec.key] = _field(index, _anchor(index, names, spec, spec.labels), spec.labels, spec)
    _money(form, index, names)
    _goals(form, index, names)
    _indicators(form, index, names)
    _narrative(form, index)
    _budget(form, index, names)
    return form


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


def _field(index: SheetIndex, anchor: _Anchor | None, accepted: tuple[str, ...], spec: ft.FormField) -> Field:
    kind = spec.kind
    if anchor is not None and anchor.checked:
        return _at(index.grid, kind, anchor.pos)
    for r, c in index.find(*accepted):
        value, pos = _right_of(index, r, c)
        return _make_field(index.grid, kind, value, pos)
    if anchor is not None:  # no label anywhere: the name is all there is
        return _at(index.grid, kind, anchor.pos)
    return MISSING


def _at(grid: Grid, kind: str, pos: tuple[int, int]) -> Field:
    return _make_field(grid, kind, grid.value(*pos), grid.merge_owner(*pos))


def _make_field(grid: Grid, kind: str, value: Any, pos: tuple[int, int] | None) -> Field:
    cell = a1(*pos) if pos else None
    if pos and pos in grid.uncached_formulas:
        return Field(raw=None, value=None, cell=cell, error="uncached")
    if value is None or (isinstance(value, str) and not value.strip()):
        return Field(raw=None, value=None, cell=cell)
    try:
        if kind == ft.MONEY:
            parsed = parse_amount(value)
        elif kind == ft.DATE:
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


def _block_below(index: SheetIndex, r: int, c: int) -> tuple[str | None, tuple[int, int]]:
    """The text under a heading that spans the form (official narrative): every row up to
    the next label, paragraphs joined by newlines. Position: the first text cell, or the
    cell under the heading when there is none."""
    grid = index.grid
    _, c0, r_end, _ = grid.merge_extent(r, c)
    parts: list[str] = []
    first: tuple[int, int] | None = None
    for row in range(r_end + 1, min(r_end + 1 + _NARRATIVE_ROWS, grid.max_row + 1)):
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


def _as_text(value: Any) -> str | None:
    return clean_text(value)


def _year(index: SheetIndex) -> tuple[int | None, str | None]:
    """The budget year of the "(2022 年度)" header line (or a title such as "2022年度…申报表")."""
    found = []
    for key, positions in index.labels.items():
        if "年度" not in key:
            continue
        m = _YEAR_LINE.match(key)
        year = int(m.group(1)) if m else (find_year(key) if FORM_TITLE in key else None)
        if year:
            found.extend((pos, year) for pos in positions)
    if not found:
        return None, None
    pos, year = min(found)
    return year, a1(*pos)


# ---------------------------------------------------------------- money block


def _money(form: ProjectForm, index: SheetIndex, names: dict) -> None:
    grid = index.grid
    money = ft.of_kind(ft.MONEY)
    life = index.find(*next(f.labels for f in money if f.side == "life"))
    year = index.find(*next(f.labels for f in money if f.side == "year"))
    side_cols = {
        "life": grid.merge_extent(*life[0])[1] if life else None,
        "year": grid.merge_extent(*year[0])[1] if year else None,
    }
    top = min([p[0] for p in life[:1] + year[:1]], default=None)
    bottom = _money_bottom(index, top)
    for spec in money:
        key = spec.key
        anchor = _anchor(index, names, spec, spec.labels)
        if anchor is not None and anchor.checked:
            form.fields[key] = _at(grid, ft.MONEY, anchor.pos)
            continue
        candidates = [p for p in index.find(*spec.labels) if top is not None and top <= p[0] <= bottom]
        pos = _pick_side(candidates, spec.side, side_cols)
        if pos is None:
            form.fields[key] = _at(grid, ft.MONEY, anchor.pos) if anchor is not None else MISSING
            continue
        value, vpos = _right_of(index, *pos)
        form.fields[key] = _make_field(grid, ft.MONEY, value, vpos)


def _money_bottom(index: SheetIndex, top: int | None) -> int:
    if top is None:
        return -1
    ends = [p[0] for p in index.find_prefix("项目总目标") + index.find("项目绩效目标", "绩效指标", *INDICATOR_HEADERS["level1"]) if p[0] > top]
    return min(ends, default=top + 12) - 1


def _pick_side(candidates: list[tuple[int, int]], side: str, side_cols: dict) -> tuple[int, int] | None:
    if not candidates:
        return None
    col = side_cols.get(side)
    other = side_cols.get("year" if side == "life" else "life")
    if col is None:
        if other is None:
            return candidates[0]
        # Only the other side's anchor exists: take a label not in its column.
        rest = [p for p in candidates if p[1] != other]
        return rest[0] if rest else None
    best = min(candidates, key=lambda p: (abs(p[1] - col), p[0]))
    if other is not None and abs(best[1] - other) < abs(best[1] - col):
        return None
    return best


# ---------------------------------------------------------------- goals


def _goals(form: ProjectForm, index: SheetIndex, names: dict) -> None:
    grid = index.grid
    for spec in ft.of_kind(ft.GOAL):
        key, label = spec.key, spec.labels[0]
        anchor = _anchor(index, names, spec, (), above=label)
        if anchor is not None and anchor.checked:
            form.fields[key] = _at(grid, ft.GOAL, anchor.pos)
            continue
        positions = index.find_prefix(label)
        if not positions:
            form.fields[key] = _at(grid, ft.GOAL, anchor.pos) if anchor is not None else MISSING
            continue
        r, c = positions[0]
        value, pos = _below(index, r, c)
        if value is None:
            right, rpos = _right_of(index, r, c)
            if right is not None:
                value, pos = right, rpos
        form.fields[key] = _make_field(grid, ft.GOAL, value, pos)


# ---------------------------------------------------------------- indicator table


def _indicators(form: ProjectForm, index: SheetIndex, names: dict) -> None:
    grid = index.grid
    header = _header_row(index, INDICATOR_HEADERS, required=("level1", "name"))
    if header is None:
        return
    hrow, cols = header
    form.indicator_header = a1(hrow, cols["level1"])
    end = _table_end(index, hrow)
    fw = framework_for(form.year)
    cur1 = cur2 = None
    l1c, l2c, nc = cols["level1"], cols.get("level2"), cols["name"]
    vc = cols.get("value", nc + 1)
    for r in range(hrow + 1, end):
        l1 = clean_text(grid.value(r, l1c))
        l2 = clean_text(grid.value(r, l2c)) if l2c is not None else None
        name = clean_text(grid.value(r, nc))
        raw = clean_text(grid.value(r, vc))
        if not (name or raw or (r, l1c) in grid.cells or (l2c is not None and (r, l2c) in grid.cells)):
            continue  # a blank row (levels showing only through merged cells) does not end the table
        # A level typed on this row starts a group; one that only shows through a merged
        # range (or a blank cell) continues the group above.
        if l1 and (r, l1c) in grid.cells:
            cur1, cur2 = l1, l2
        elif l2 and (r, l2c) in grid.cells:
            if fw.canonical(ind.level_key(l2)) in fw.levels:
                # Shifted row: a 一级 name in the 二级 column (and maybe a 二级 in the 三级 column).
                cur1 = l2
                cur2 = name if name and fw.canonical(ind.level_key(name)) in fw.level2_names() else None
            else:
                cur2 = l2
        if (r, vc) in grid.uncached_formulas:
            form.uncached.append((a1(r, vc), f"年度指标值（{name or '未命名指标'}）"))
        cells = {"level1": a1(r, l1c), "name": a1(r, nc), "value": a1(r, vc)}
        if l2c is not None:
            cells["level2"] = a1(r, l2c)
        form.indicators.append(
            Indicator(
                level1=fw.canonical(ind.level_key(cur1)),
                level2=fw.canonical(ind.level_key(cur2)),
                name=name,
                raw=raw,
                value=ind.parse_value(raw),
                row=r,
                cells=cells,
                level1_raw=cur1,
                level2_raw=cur2,
            )
        )


def _header_row(index: SheetIndex, headers: dict, required: tuple[str, ...]):
    """Find the row holding the table header; returns (row, {role: col})."""
    first_key = headers[required[0]]
    for r, c in index.find(*first_key):
        cols = {}
        for role, accepted in headers.items():
            hits = [p for p in index.find(*accepted) if p[0] == r]
            if hits:
                cols[role] = hits[0][1]
        if all(role in cols for role in required):
            return r, cols
    return None


def _table_end(index: SheetIndex, hrow: int) -> int:
    """The table runs until the narrative, the budget table or another form starts."""
    ends = [p[0] for p in index.find(NARRATIVE_TITLE, FORM_TITLE, *BUDGET_HEADERS["item"], *_SECTION_TITLES)
            if p[0] > hrow]
    ends += [p[0] for p in index.find_prefix("年度预算安排") if p[0] > hrow]
    return min(ends, default=index.grid.max_row + 1)


# ---------------------------------------------------------------- narrative and budget table


def _narrative(form: ProjectForm, index: SheetIndex) -> None:
    """The seven sections, wherever they stand: text right of the heading (our template),
    below a heading that spans the form (the official export), or in the heading's own
    cell after a colon ("一、项目概述：……")."""
    grid = index.grid
    for key, title in NARRATIVE_SECTIONS:
        positions = index.find(title)
        if not positions:
            inline = _inline_section(index, title)
            if inline is not None:
                form.narrative[key] = inline
            continue
        r, c = positions[0]
        _, _, _, c_end = grid.merge_extent(r, c)
        value, pos = (None, None)
        if c_end < grid.max_col:
            value, pos = _right_of(index, r, c)
        if value is None:
            below, bpos = _block_below(index, r, c)
            if below is not None or c_end >= grid.max_col:
                value, pos = below, bpos
        text = clean_text(value)
        form.narrative[key] = Field(raw=text, value=text, cell=a1(*pos) if pos else None)


def _inline_section(index: SheetIndex, title: str) -> Field | None:
    """A long cell that starts with the section's heading and a colon holds its text."""
    for pos in index.long:
        value = index.grid.cells[pos]
        head = norm_label(value[:len(title) + 12])
        if head.startswith(title + ":"):
            text = re.split(r"[:：]", value, maxsplit=1)[1].strip() or None
            return Field(raw=text, value=text, cell=a1(*pos))
    return None


def _budget(form: ProjectForm, index: SheetIndex, names: dict) -> None:
    grid = index.grid
    header = _header_row(index, BUDGET_HEADERS, required=("item", "amount"))
    if header is None:
        return
    hrow, cols = header
    form.budget_header = a1(hrow, cols["item"])
    ic, ac = cols["item"], cols["amount"]
    for r in range(hrow + 1, grid.max_row + 1):
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
