"""The parts of a form around its header fields: the goals (项目总目标, 年度总目标, by their many
wordings), the seven sections of 项目经费情况说明 and the 年度预算安排 table.
"""

from __future__ import annotations

import re
from typing import Any

from budget_xls import fields as ft
from budget_xls.cells import (
    Scope,
    SheetIndex,
    anchor_of,
    at,
    value_below,
    make_field,
    right_of,
    right_value,
)
from budget_xls.grid import Grid
from budget_xls.model import MISSING, BudgetLine, Field, ProjectForm, a1
from budget_xls.textnorm import clean_text, norm_label
from budget_xls.vocab import BUDGET_HEADERS, NARRATIVE_SECTIONS, NARRATIVE_TITLE

_BUDGET_HEAD_KEYS = frozenset(k for keys in BUDGET_HEADERS.values() for k in keys)
_NARRATIVE_ROWS = 60  # how far below its heading a narrative section may run

def goals(form: ProjectForm, scope: Scope, names: dict) -> None:
    grid, index = scope.grid, scope.index
    for spec in ft.of_kind(ft.GOAL):
        key = spec.key
        anchor = anchor_of(index, names, spec, (), above=spec.labels[0])
        if anchor is not None and anchor.checked:
            form.fields[key] = at(grid, ft.GOAL, anchor.pos)
            continue
        pos = _goal_label(scope, spec)
        if pos is None:
            form.fields[key] = at(grid, ft.GOAL, anchor.pos) if anchor is not None else MISSING
            continue
        r, c = pos
        value, vpos = right_of(index, r, c)
        if value is None or _is_subheading(index, value):
            below, bpos = value_below(index, r, c)
            if below is None and value is not None and vpos is not None:
                below, bpos = value_below(index, *vpos)  # 年度总体目标 | 预期目标: the goal is under the sub-heading
            if below is not None or value is None:
                value, vpos = below, bpos
        form.fields[key] = make_field(grid, ft.GOAL, value, vpos)


def _is_subheading(index: SheetIndex, value: Any) -> bool:
    """A short header word beside a goal label (预期目标, 实际完成情况): the goal is under it."""
    return isinstance(value, str) and len(value) <= 8 and (index.is_label(value) or value.strip().endswith(("目标", "情况")))


def _goal_label(scope: Scope, spec: ft.FormField) -> tuple[int, int] | None:
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
    value, vpos = value_below(index, *right)
    if value is None or vpos is None:
        return not right_value(index, *pos)
    _, c0, _, c_end = grid.merge_extent(*pos)
    row = vpos[0]
    return not any((row, col) in grid.cells for col in range(c0, c_end + 1)) and not right_value(index, *pos)




def _next_text(index: SheetIndex, r: int, c: int) -> tuple[int, int] | None:
    grid = index.grid
    _, _, _, c_end = grid.merge_extent(r, c)
    for col in range(c_end + 1, grid.max_col + 1):
        if (r, col) in grid.cells:
            return (r, col)
    return None




def _block_below(index: SheetIndex, r: int, c: int, last: int | None = None) -> tuple[str | None, tuple[int, int]]:
    """The text under a heading that spans the form (official narrative): every row up to
    the next label, paragraphs joined by newlines. Position: the first text cell, or the
    cell under the heading when there is none."""
    grid = index.grid
    _, c0, r_end, _ = grid.merge_extent(r, c)
    parts: list[str] = []
    first: tuple[int, int] | None = None
    last = grid.max_row if last is None else last
    cells, keys = grid.cells, index.keys
    for row in range(r_end + 1, min(r_end + 1 + _NARRATIVE_ROWS, last + 1)):
        for col in range(c0, grid.max_col + 1):
            pos = (row, col)
            value = cells.get(pos)
            if value is None:
                continue
            key = keys.get(pos)
            if key is not None and (index.is_label_key(key) or key in _BUDGET_HEAD_KEYS):
                return ("\n".join(parts) or None), first or (r_end + 1, c0)
            text = clean_text(value)
            if text:
                parts.append(text)
                first = first or pos
    return ("\n".join(parts) or None), first or (r_end + 1, c0)


def narrative(form: ProjectForm, scope: Scope) -> None:
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
            value, pos = right_of(index, r, c)
        if value is None:
            below, bpos = _block_below(index, r, c, scope.block.bottom)
            if below is not None or c_end >= grid.max_col:
                value, pos = below, bpos
        text = clean_text(value)
        form.narrative[key] = Field(raw=text, value=text, cell=a1(*pos) if pos else None)


def _inline_section(scope: Scope, title: str) -> Field | None:
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


def budget(form: ProjectForm, scope: Scope) -> None:
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
            form.budget_total = make_field(grid, ft.MONEY, grid.value(r, ac), (r, ac))
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
    return make_field(grid, ft.MONEY, grid.value(r, c), (r, c))


def _header_row(scope: Scope, headers: dict, required: tuple[str, ...]):
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
