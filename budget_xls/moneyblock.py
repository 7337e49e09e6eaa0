"""The money block of a form: totals and their parts, in 元 or in 万元 as the form says.

A part (财政拨款, 其他资金, 上年结转资金) belongs to the total it stands under (same column) or
beside (same row): the project's total or the year's; a part whose label says 当年/本年 is the
year's; a column of this year's money (年初安排金额) over the rows makes them the year's. Amounts
are in 元 unless the form says 万元 — in the value, the label, the column header, the block label
or a 单位：万元 note — and are converted exactly to 元.
"""

from __future__ import annotations

from budget_xls import fields as ft
from budget_xls.cells import Scope, SheetIndex, anchor_of, at, make_field, value_below, right_of, right_value
from budget_xls.grid import Grid
from budget_xls.model import MISSING, Field, ProjectForm

_FISCAL = ("fiscal", "appropriation")
_OTHER = ("other", "annual_other")


def money(form: ProjectForm, scope: Scope, names: dict) -> None:
    """Totals and their parts. A part (财政拨款, 其他资金, 上年结转资金) belongs to the total it
    stands under (same column) or beside (same row): the project's total or the year's. Amounts
    are in 元 unless the form says 万元 — in the value, in the label, in the column header or in
    the block label — and are converted exactly to 元."""
    grid, index = scope.grid, scope.index
    money_fields = ft.of_kind(ft.MONEY)
    spec_of = {f.key: f for f in money_fields}
    totals = {side: scope.first(next(f.labels for f in money_fields if f.side == side and f.key in ("total", "annual")))
              for side in ("life", "year")}
    anchored: dict[str, Field] = {}
    for spec in money_fields:
        anchor = anchor_of(index, names, spec, spec.labels)
        if anchor is not None and anchor.checked:
            anchored[spec.key] = at(grid, ft.MONEY, anchor.pos)
    if len(anchored) == len(money_fields):
        form.fields.update({k: anchored[k] for k in spec_of})
        return
    positions = [p for p in (totals["life"], totals["year"]) if p is not None]
    top = min((p[0] for p in positions), default=None)
    bottom = _money_bottom(scope, top)
    in_wan = wan_block(scope, top, bottom)
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
    for spec in money_fields:
        key = spec.key
        if key in anchored:
            form.fields[key] = anchored[key]
            continue
        pos = found.get(key)
        if pos is None:
            anchor = anchor_of(index, names, spec, spec.labels)
            form.fields[key] = at(grid, ft.MONEY, anchor.pos) if anchor is not None else MISSING
            continue
        value, vpos = right_of(index, *pos)
        if value is None and key in ("total", "annual"):
            # a column header (资金总额, 本年度申请资金, 年初安排金额) with its amount below it
            below, bpos = value_below(index, *pos, limit=2)
            if below is not None and not isinstance(below, str) or isinstance(below, str) and below[:1].isdigit():
                value, vpos = below, bpos
        wan = in_wan or says_wan(index, pos) or (vpos is not None and _header_says_wan(scope, vpos, top))
        form.fields[key] = make_field(grid, ft.MONEY, value, vpos, wan=wan)


def _annual_column_header(index: SheetIndex, totals: dict) -> tuple[int, int] | None:
    """The year's total standing as a column header with the project-total label on the row of its
    value (年初安排金额(万元) over 资金总额 | 3): the block is one column of this year's money."""
    year, life = totals["year"], totals["life"]
    if year is None or life is None or life[0] <= year[0] or right_value(index, *year):
        return None
    value, vpos = value_below(index, *year, limit=2)
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


def _money_bottom(scope: Scope, top: int | None) -> int:
    if top is None:
        return -1
    index = scope.index
    stops = [p[0] for key in ("项目绩效目标", "绩效指标", "一级指标") for p in scope.find(key, header=False)
             if p[0] > top]
    stops += [p[0] for key in index.words.goal_prefixes for p in scope.find(key) if p[0] > top]
    if scope.block.head is not None:
        stops.append(scope.block.head.row)
    return min(stops, default=top + 12) - 1


def wan_block(scope: Scope, top: int | None, bottom: int) -> bool:
    """The money block's own label (项目资金(万元), 资金情况(万元)), or a 单位：万元 note above the
    form, says 万元 (a 元 note or label says 元)."""
    if top is None:
        return False
    index = scope.index
    for (r, c), quals in index.quals.items():
        if top - 1 <= r <= bottom and "万元" in quals and index.keys.get((r, c), "") in _MONEY_BLOCK_LABELS:
            return True
    first = scope.block.top
    for (r, c), key in index.keys.items():  # every label of the sheet: the row test first
        if first <= r < top and (key in ("单位:万元", "金额单位:万元", "单位万元") or key.endswith(("单位:万元", "单位：万元"))):
            return True
    for (r, c) in index.inline:
        if first <= r < top and index.keys.get((r, c)) in ("单位", "金额单位") and "万元" in index.inline[(r, c)]:
            return True
    return False


_MONEY_BLOCK_LABELS = frozenset({"项目资金", "资金情况", "投入目标", "项目资金申请", "资金来源", "项目预算",
                                 "资金投入", "项目资金情况", "预算资金", "资金", "项目预算资金", "项目资金预算执行"})


def says_wan(index: SheetIndex, pos: tuple[int, int]) -> bool:
    return "万元" in index.quals.get(pos, "")


def _header_says_wan(scope: Scope, vpos: tuple[int, int], top: int | None) -> bool:
    """A column header above the value (年初安排金额(万元)) names its unit."""
    index = scope.index
    r, c = vpos
    for row in range(r - 1, max((top or r) - 2, scope.block.top - 1), -1):
        owner = scope.grid.merge_owner(row, c)
        if "万元" in index.quals.get(owner, ""):
            return True
    return False
