"""Reading a form's cells by their labels: label keys, the sheet index, a form's rows (its scope),
and a field's value right of or below its label.

Labels are matched by meaning: ``label_key`` removes whitespace, width, numbering, bracketed
qualifiers ("(万元)", "(2019年--2021年)") and suffixes ("及代码"); the field table
(``budget_xls.fields``) lists every wording met on real forms, in order of preference.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budget_xls import fields as ft
from budget_xls import tables
from budget_xls.grid import Grid
from budget_xls.model import MISSING, Field, ProjectForm, a1
from budget_xls.textnorm import (
    NONE_MARKS,
    NonexistentDate,
    ParseError,
    clean_text,
    norm_label,
    parse_amount,
    parse_date,
    split_amount_unit,
)
from budget_xls.vocab import NARRATIVE_SECTIONS, NARRATIVE_TITLE, labels

SECTION_TITLES = frozenset(title for _, title in NARRATIVE_SECTIONS)
COVER_LABELS = ("填报单位", "联系人", "联系电话", "填报日期")
_INDEX_MAX_LEN = 60  # longer text is content, not a label (it is never looked up)
_COLON = re.compile(r"[:：]")
_QUALIFIER = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")
_KEY_SUFFIXES = ("及代码", "及编码", "代码", "编码")
WAN = Decimal(10000)


@lru_cache(maxsize=16384)  # the same labels recur in every form of a run: work each out once
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


# id(table) → (the table, its words): the entry holds the table, so its id cannot be reused
# by another table while the entry lives (a swapped-out table collected, a new one at its address).
_WORDS: dict[int, tuple[tuple, _Words]] = {}


def words_in_force() -> _Words:
    table = ft.table()
    entry = _WORDS.get(id(table))
    found = entry[1] if entry is not None and entry[0] is table else None
    if found is None:
        every = frozenset(a for f in table for a in f.labels) | frozenset(ft.PERIOD_LABELS)
        inline = [a for f in table if f.kind != ft.GOAL for a in f.labels] + list(COVER_LABELS) + list(ft.PERIOD_LABELS)
        found = _Words(
            labels() | every | SECTION_TITLES | {NARRATIVE_TITLE} | set(ft.PERIOD_LABELS),
            tuple(a for f in ft.of_kind(ft.GOAL) for a in f.labels), frozenset(inline),
            frozenset(ft.by_key()["name"].labels), every)
        _WORDS[id(table)] = (table, found)
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
        words = words_in_force()
        index = cls(grid, words=words)
        labels_, keys, long, inline = index.labels, index.keys, index.long, index.inline
        quals_, full, stop = index.quals, index.full, words.stop
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
            if key and ":" in key and key not in stop:
                split = _inline_label(value, words.inline)
                if split:
                    key, inline[pos] = split
                    quals = ""
            if key:
                keys[pos] = key
                found = labels_.get(key)
                if found is None:
                    labels_[key] = [pos]
                else:
                    found.append(pos)
                if quals:
                    quals_[pos] = quals
                if "年" in value or "表" in value:  # year lines and titles
                    full[pos] = norm_label(value)
        for positions in labels_.values():
            positions.sort()
        long.sort()
        return index

    def find(self, *keys: str) -> list[tuple[int, int]]:
        if len(keys) == 1:  # most lookups: one wording, whose positions are kept sorted
            return list(self.labels.get(keys[0], ()))
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


@dataclass(slots=True)
class Block:
    """The rows of one form: header fields from ``top`` down to the table, the table to ``bottom``."""

    top: int
    bottom: int  # inclusive
    head: tables.Head | None = None
    list_rows: tuple[int, int] | None = None  # list layout: this project's rows of the flat table
    starts: tuple[int, ...] = ()  # rows where a form may start (titles, 项目名称 labels) on the sheet


@dataclass(slots=True)
class Scope:
    """The part of a sheet one form occupies; lookups see only its rows."""

    index: SheetIndex
    block: Block
    # (header_top, header_end), worked out on first use: the block is settled before a form is parsed
    _header: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def grid(self) -> Grid:
        return self.index.grid

    @property
    def header_end(self) -> int:
        """Header fields stand above the indicator table (or anywhere in a form without one)."""
        return self.header_rows[1]

    @property
    def header_top(self) -> int:
        """Where the form's own header block starts: the last form start (title or 项目名称 label)
        at or above its table, so that a table or a narrative printed above it stays out."""
        return self.header_rows[0]

    @property
    def header_rows(self) -> tuple[int, int]:
        """(header_top, header_end): every field lookup asks for them."""
        if self._header is None:
            block, head = self.block, self.block.head
            if head is None or block.list_rows is not None:
                top = block.top
            else:
                top = max((r for r in block.starts if block.top <= r < head.row), default=block.top)
            end = head.row - 1 if head is not None and block.list_rows is None else block.bottom
            self._header = (top, end)
        return self._header

    def find(self, *keys: str, header: bool = True) -> list[tuple[int, int]]:
        """The labels' positions in the form, top to bottom; those in visible rows come first
        (visible content wins over a label typed in a hidden row)."""
        if len(keys) == 1 and keys[0] not in self.index.labels:
            return []  # most lookups: a wording the sheet does not use
        if header:
            top, last = self.header_rows
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
class Anchor:
    """A field's defined-name cell; ``checked`` when its label stands where the template puts it."""

    pos: tuple[int, int]
    checked: bool


def anchor_of(index: SheetIndex, names: dict, spec: ft.FormField, accepted: tuple[str, ...],
            above: str | None = None) -> Anchor | None:
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
                return Anchor((r, c), index.key_at(owner).startswith(above))
        return Anchor((r, c), False)
    for col in range(c - 1, -1, -1):
        owner = grid.merge_owner(r, col)
        if owner[1] >= c or owner in grid.uncached_formulas:
            continue
        if owner in grid.cells:
            return Anchor((r, c), index.key_at(owner) in accepted)
    return Anchor((r, c), False)


def label_field(scope: Scope, anchor: Anchor | None, spec: ft.FormField) -> Field:
    kind = spec.kind
    if anchor is not None and anchor.checked:
        return at(scope.grid, kind, anchor.pos)
    pos = scope.first(spec.labels)
    if pos is not None:
        value, vpos = right_of(scope.index, *pos)
        return make_field(scope.grid, kind, value, vpos)
    if anchor is not None:  # no label anywhere: the name is all there is
        return at(scope.grid, kind, anchor.pos)
    return MISSING


def at(grid: Grid, kind: str, pos: tuple[int, int]) -> Field:
    return make_field(grid, kind, grid.value(*pos), grid.merge_owner(*pos))


def make_field(grid: Grid, kind: str, value: Any, pos: tuple[int, int] | None, wan: bool = False) -> Field:
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
                parsed = parsed * WAN
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


def right_of(index: SheetIndex, r: int, c: int) -> tuple[Any, tuple[int, int] | None]:
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


def value_below(index: SheetIndex, r: int, c: int, limit: int = 8) -> tuple[Any, tuple[int, int] | None]:
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

def right_value(index: SheetIndex, r: int, c: int) -> bool:
    value, _ = right_of(index, r, c)
    return value is not None
