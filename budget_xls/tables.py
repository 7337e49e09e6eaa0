"""The indicator table of a form, as real forms lay it out.

Forms agree on little beyond "levels, a name, a target value": the 三级 name may be merged
across several columns with the value further right; the value may be split over a
comparison column (指标性质 / 指标方向), a number column and a unit column (度量单位), with
weight or score columns between; a second column group may hold a longer horizon (中期);
the levels may be fewer than three, shifted by one (a 二级 name in the 一级 column) or
repeated on every row instead of merged. ``find_heads`` finds the header rows by their
words (``HEADS``), ``read_rows`` turns the rows under one into ``Indicator`` records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from budget_xls import indicators as ind
from budget_xls.grid import Grid
from budget_xls.model import Indicator, a1
from budget_xls.textnorm import clean_text, nfkc
from budget_xls.vocab import Framework

# Header words of each column role (label keys: normalised, bracketed qualifiers removed).
HEADS: dict[str, frozenset[str]] = {
    "level1": frozenset({"一级指标"}),
    "level2": frozenset({"二级指标"}),
    "name": frozenset({"三级指标", "指标名称", "三级指标名称", "绩效指标名称", "指标内容", "具体指标"}),
    "value": frozenset({"年度指标值", "指标值", "年度目标值", "指标目标值", "目标值", "当年预期实现值", "计划指标值",
                        "指标值及单位", "预期目标值", "年度预期指标值", "本年度指标值", "绩效指标值", "年度指标",
                        "预期指标值", "年度计划值", "计划值"}),
    "other_value": frozenset({"中期指标值", "实施期指标值", "长期指标值", "项目指标值", "中期目标值", "整体指标值"}),
    "actual": frozenset({"全年实际值", "实际完成值", "实际值", "完成值"}),
    "operator": frozenset({"指标性质", "指标方向", "比较符", "指标方向性", "运算符号", "符号", "计算符号"}),
    "unit": frozenset({"度量单位", "计量单位", "单位"}),
    "skip": frozenset({"分值", "权重", "得分", "指标解释", "指标说明", "绩效标准", "备注", "评分标准", "评扣分标准",
                       "指标值说明", "未完成原因及拟采取的改进措施", "偏差原因分析及改进措施", "保障绩效目标实现措施"}),
}
ROLE_OF = {word: role for role, words in HEADS.items() for word in words}
# Words of a value header that mark the budget year's group (vs a 中期/实施期 group).
_YEAR_WORDS = ("年度", "当年", "本年", "计划")
_LONG_WORDS = ("中期", "实施期", "长期", "整体", "项目期")
_OPERATOR = re.compile(r"^(?:[<>=≥≤≧≦═]{1,2}|大于等于|小于等于|不低于|不少于|不高于|不超过|不大于|不小于|大于|小于|等于|"
                       r"以上|以下|以内)$")
_ELLIPSIS = re.compile(r"^[.。…·\s-]+$")
_HINT_IN_NAME = re.compile(r"[(（]\s*([<>=≥≤≧≦]?)\s*[*＊]{1,3}\s*([^()（）*\d\s]{0,6})\s*[)）]\s*$")
_KNOWN_UNIT = re.compile(r"^(?:%|个|次|人|人次|万元|元|公里|千米|km|米|m|亩|万亩|吨|户|家|所|座|条|辆|台|套|天|月|年|场|期|"
                         r"件|份|册|项|批|处|平方米|立方米|万人|学时|课时|元/人|元/亩|门|篇|本|株|棵|只|头)$")
_UNIT_IN_NAME = re.compile(r"[(（]\s*([^()（）\d\s]{1,6})\s*[)）]\s*$")


@dataclass(slots=True)
class Head:
    """One indicator table header: its row and the column of each role."""

    row: int
    level1: int | None
    level2: int | None
    name: int | None
    value: int | None
    operator: list[int] = field(default_factory=list)
    unit: int | None = None
    others: dict[int, str] = field(default_factory=dict)  # other horizon / place columns: col → header
    project: int | None = None  # a 项目名称 column: one flat table for many projects (list layout)
    columns: dict[int, str] = field(default_factory=dict)  # every header cell: col → its text

    @property
    def first_col(self) -> int:
        cols = [c for c in (self.level1, self.level2, self.name, self.value) if c is not None]
        return min(cols)


def head_role(key: str) -> str | None:
    """The role of a header cell from its label key (None: not an indicator-table word)."""
    role = ROLE_OF.get(key)
    if role is None and len(key) <= 12 and key.endswith(("指标值", "实现值", "目标值", "完成值")):
        if "实际" in key or key.endswith("完成值"):
            role = "actual"
        elif key.startswith(_LONG_WORDS):
            role = "other_value"
        else:
            role = "value"
    return role


def find_heads(index) -> list[Head]:
    """Every indicator table header row of a sheet, top to bottom."""
    rows: dict[int, dict[int, str]] = {}
    for role_words in (HEADS["level1"], HEADS["level2"], HEADS["name"]):
        for word in role_words:
            for r, c in index.labels.get(word, ()):
                rows.setdefault(r, {})
    heads = []
    for r in sorted(rows):
        head = _read_head(index, r)
        if head is not None:
            heads.append(head)
    return heads


def _row_roles(index, r: int) -> tuple[dict[str, list[int]], dict[int, str]]:
    grid: Grid = index.grid
    roles: dict[str, list[int]] = {}
    columns: dict[int, str] = {}
    for c in range(0, grid.max_col + 1):
        if (r, c) not in grid.cells:
            continue
        key = index.key_at((r, c))
        text = clean_text(grid.cells[(r, c)]) or ""
        columns[c] = text
        role = head_role(key)
        if role is None and key in index.name_labels:
            role = "project"
        if role is not None:
            roles.setdefault(role, []).append(c)
    return roles, columns


_SUB_ROLES = ("value", "operator", "unit", "actual", "other_value")


def _read_head(index, r: int) -> Head | None:
    roles, columns = _row_roles(index, r)
    # A header over two rows: 指标值 above 指标性质 | 指标值 | 度量单位, or above 2021年实际实现值 | 预期2022年实现值.
    sub_roles, sub_columns = _row_roles(index, r + 1)
    if sub_roles and set(sub_roles) <= set(_SUB_ROLES) and "value" in sub_roles or (
            sub_roles and set(sub_roles) <= set(_SUB_ROLES) and "operator" in sub_roles):
        for role in _SUB_ROLES:
            if role in sub_roles:
                taken = set(sub_roles[role])
                for other in roles.values():
                    other[:] = [c for c in other if c not in taken]
                roles[role] = sorted(set(roles.get(role, [])) - set().union(*[set(v) for k, v in sub_roles.items()])
                                     | taken) if role != "value" else sub_roles[role]
        roles = {k: v for k, v in roles.items() if v}
        columns.update(sub_columns)
        r += 1
    has = {k for k in roles}
    if not ({"level1", "name"} <= has or {"level2", "name"} <= has or {"level1", "level2", "value"} <= has
            or {"level1", "level2"} <= has and len(columns) >= 3):
        return None
    name_cols = roles.get("name", [])
    value_cols = roles.get("value", [])
    others = {c: columns[c] for c in roles.get("other_value", [])}
    level1 = roles.get("level1", [None])[0]
    level2 = roles.get("level2", [None])[0]
    name = name_cols[0] if name_cols else None
    value = value_cols[0] if value_cols else None
    if len(name_cols) > 1:  # two column groups (中期 | 年度): the year's group holds the indicators
        group = _year_group(index, r, name_cols, value_cols, roles.get("level2", []))
        name, value, level2_group = group
        if level2_group is not None:
            level2 = level2_group
        for c in value_cols:
            if c != value:
                others[c] = columns[c]
    elif len(value_cols) > 1:
        for c in value_cols:
            if any(w in nfkc(columns[c]) for w in _YEAR_WORDS):
                value = c
                break
        for c in value_cols:
            if c != value:
                others[c] = columns[c]
    known = {c for cols in roles.values() for c in cols}
    anchor = max(c for c in (level1, level2, name) if c is not None)
    if value is None:
        # No value header: the first unnamed column right of the name holds the values (one column a
        # place, e.g. a 专项资金 table with a column per town); the rest are kept as other values.
        free = [c for c in sorted(columns) if c > anchor and c not in known]
        if free:
            value = free[0]
            for c in free[1:]:
                others[c] = columns[c]
    unit = roles.get("unit", [None])[0]
    return Head(row=r, level1=level1, level2=level2, name=name, value=value,
                operator=roles.get("operator", []), unit=unit, others=others,
                project=roles.get("project", [None])[0], columns=columns)


def _year_group(index, r: int, name_cols: list[int], value_cols: list[int], level2_cols: list[int]):
    """Of two column groups, the one for the budget year: its value header or the goal label above
    it says 年度; failing that, the last group (中期 groups come first)."""
    grid: Grid = index.grid
    groups = []
    for i, nc in enumerate(name_cols):
        end = name_cols[i + 1] if i + 1 < len(name_cols) else grid.max_col + 1
        vc = next((c for c in value_cols if nc < c < end), None)
        l2 = next((c for c in level2_cols if (name_cols[i - 1] if i else -1) < c < nc), None)
        groups.append((nc, vc, l2))

    def texts(nc, vc) -> str:
        out = [clean_text(grid.cells.get((r, c))) or "" for c in (nc, vc) if c is not None]
        for row in range(max(0, r - 4), r):  # a goal label above the group: 中期目标 | 年度目标
            for col in (nc, vc) if vc is not None else (nc,):
                out.append(clean_text(grid.cells.get(grid.merge_owner(row, col))) or "")
        return nfkc("".join(out))

    said = [texts(g[0], g[1]) for g in groups]
    short = [g for g, t in zip(groups, said) if not any(w in t for w in _LONG_WORDS)]
    for g, t in zip(groups, said):
        if g in short and any(w in t for w in ("年度", "当年", "本年")):
            return g
    return short[0] if short else groups[-1]


# ---------------------------------------------------------------- rows


def _texter(grid: Grid):
    """A cell's text as a person sees it (merged cells show their top-left value), bound to one
    grid: ``read_rows`` asks for every cell of every table row."""
    owners, cells = grid.owner_map(), grid.cells

    def text(r: int, c: int | None) -> str | None:
        if c is None:
            return None
        pos = (r, c)
        value = cells.get(owners.get(pos, pos))
        if value.__class__ is str:
            return value.strip() or None
        return clean_text(value)

    return text


@lru_cache(maxsize=8192)  # the same few signs and values recur in every table
def is_operator(text: str | None) -> bool:
    return bool(text) and _OPERATOR.match("".join(nfkc(text).split())) is not None


def compose_raw(op: str | None, value: str | None, unit: str | None) -> str | None:
    """What a split value means as one string: comparison + number + unit ("≥" "95" "%" → "≥95%")."""
    if value is None:
        return None
    text = value
    if unit and not text.endswith(unit) and not re.search(r"[^\d.,%\s]$", text):
        text = text + unit
    if op and not text.startswith(("<", ">", "=", "≥", "≤", "≧", "≦", "＜", "＞", "＝")):
        text = _OP_SYMBOL.get("".join(nfkc(op).split()), op) + text
    return text


# A comparison typed in its own cell, as the composed value writes it (≧ and the box-drawing ═
# that some templates print are the ≥ and = they stand for).
_OP_SYMBOL = {"≧": "≥", "≦": "≤", ">=": "≥", "<=": "≤", "═": "=", "==": "=", "大于等于": "≥", "不低于": "≥",
              "不少于": "≥", "不小于": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "不大于": "≤",
              "大于": ">", "小于": "<", "等于": "=", "以上": "≥", "以下": "≤", "以内": "≤"}


def read_rows(grid: Grid, head: Head, end: int, fw: Framework, uncached: list) -> list[Indicator]:
    """The indicators under ``head`` down to row ``end`` (exclusive)."""
    out: list[Indicator] = []
    l1c, l2c, nc, vc = head.level1, head.level2, head.name, head.value
    level_cols = [c for c in (l1c, l2c) if c is not None]
    if nc is None:
        # Two columns of levels and no 三级 column: the last level column holds the names.
        nc = level_cols.pop() if len(level_cols) > 1 else None
        if l2c == nc:
            l2c = None
        elif l1c == nc:
            l1c = None
    cur1 = cur2 = None
    text, cells_ = _texter(grid), grid.cells
    for r in range(head.row + 1, end):
        name = text(r, nc)
        value = text(r, vc)
        typed1 = l1c is not None and (r, l1c) in cells_
        typed2 = l2c is not None and (r, l2c) in cells_
        if not (name or value or typed1 or typed2):
            continue  # a blank row (levels showing only through merged cells) does not end the table
        l1 = text(r, l1c)
        l2 = text(r, l2c)
        op = next((o for o in (text(r, c) for c in head.operator) if is_operator(o)), None)
        unit = text(r, head.unit)
        if unit is not None and (unit == value or not _looks_like_unit(unit)):
            unit = None
        if nc is not None and (r, nc) not in grid.cells and grid.merge_owner(r, nc)[0] <= head.row:
            continue  # the header itself, merged over two rows
        if name and not value and (_is_header_repeat(name) or _ELLIPSIS.match(name)):
            continue  # the header repeated (a table over two pages), or a "……" row left from the template
        if typed1:
            cur1, cur2 = l1, l2  # a level typed on this row starts a group (a merged 二级 shows through)
        elif typed2:
            named1, named2 = ind.classify(l2, fw)
            if named1 is not None and named2 is None and ind.classify(cur1, fw)[0] is not None:
                # Shifted row: a 一级 name in the 二级 column (and maybe a 二级 in the 三级 column).
                cur1 = l2
                cur2 = name if name and ind.classify(name, fw)[1] is not None else None
            else:
                cur2 = l2
        if not (name or value):
            continue  # a level typed with nothing under it: a blank template row, not an indicator
        if vc is not None and (r, vc) in grid.uncached_formulas:
            uncached.append((a1(r, vc), f"年度指标值（{name or '未命名指标'}）"))
        if name and value and not _has_unit(value) and not is_operator(value):
            hint = _HINT_IN_NAME.search(nfkc(name))
            if hint:  # "苗木成活率(≥**%)" with 85: the template's sign and unit stayed in the name
                op = op or (hint.group(1) or None)
                unit = unit or (hint.group(2) or None)
            elif unit is None:
                m = _UNIT_IN_NAME.search(nfkc(name))
                if m and _KNOWN_UNIT.match(m.group(1)):
                    unit = m.group(1)
        raw = compose_raw(op, value, unit)
        level1, level2 = ind.resolve_levels(cur1, cur2, fw)
        cells = {"level1": a1(r, l1c if l1c is not None else (l2c if l2c is not None else nc)),
                 "name": a1(r, nc if nc is not None else vc), "value": a1(r, vc if vc is not None else nc)}
        if l2c is not None:
            cells["level2"] = a1(r, l2c)
        if head.unit is not None:
            cells["unit"] = a1(r, head.unit)  # a split value: the unit has a cell of its own
        if head.operator:
            cells["operator"] = a1(r, head.operator[0])
        others = {}
        for c, header in head.others.items():
            other = text(r, c)
            if other is not None:
                others[header or a1(head.row, c)] = compose_raw(op, other, unit)
        out.append(Indicator(level1=level1, level2=level2, name=name, raw=raw, value=ind.parse_value(raw), row=r,
                             cells=cells, level1_raw=cur1, level2_raw=cur2, others=others or None))
    return out


@lru_cache(maxsize=8192)  # indicator names recur across a run's forms
def _is_header_repeat(name: str) -> bool:
    from budget_xls.textnorm import norm_label

    return head_role(norm_label(name)) == "name"


@lru_cache(maxsize=4096)  # a table's unit column repeats the same few units
def _looks_like_unit(text: str) -> bool:
    t = "".join(nfkc(text).split())
    return (0 < len(t) <= 8 and not re.search(r"\d{3,}", t) and not re.match(r"^[\d.,]+$", t)
            and not re.search(r"[*<>=≥≤≧≦＊]|必填|选填", t))


@lru_cache(maxsize=8192)  # values recur across a run's forms (≥95%, 100%, 1次)
def _has_unit(value: str) -> bool:
    return bool(re.search(r"[^\d.,\s<>=≥≤≧≦＜＞＝+-]$", nfkc(value)))
