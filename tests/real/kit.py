"""Tools to transcribe a published 项目支出绩效目标表 into a workbook laid out as published.

Each publisher is one module in ``tests/real/sources/`` defining:

- ``SOURCE``: dict with publisher, province, year, url, title, truncated (bool), notes;
- ``FILE``: the workbook's file name (e.g. ``"北京市某区某局_2024.xlsx"``);
- ``build(wb)``: fills an empty ``openpyxl.Workbook`` (rename/remove the default sheet)
  with the forms exactly as published (labels, merges, units, quirks);
- ``KEY``: list of projects, each a dict::

    {"sheet": "表名", "name": "项目名称 as on the form",
     "fields": {"name": ..., "category": ..., "nature": ..., "supervisor": ..., "implementer": ...,
                "start": "YYYY-MM-DD", "end": "YYYY-MM-DD",
                "total": "元 as a decimal string", "fiscal": ..., "other": ...,
                "annual": ..., "appropriation": ..., "carryover": ..., "annual_other": ...,
                "goal_total": "text", "goal_year": "text"},   # only the fields the form HAS
     "indicators": [{"level1": ..., "level2": ..., "name": ..., "raw": "what the form means",
                     "operator": "≥|≤|=|>|<|None", "value": "90" or None, "unit": "%" or None,
                     "kind": "quantitative|qualitative"}],
     "defects": [{"code": "I04", "cell": "F12", "why": "..."}]}  # only defects really in the source

``python3 -m tests.real.build`` writes every workbook into ``tests/real/forms/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import range_boundaries

FIXED = dt.datetime(2000, 1, 1)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = Font(name="宋体", size=10)


def put(ws, ref: str, value: Any, merge: str | None = None, *, fmt: str | None = None,
        wrap: bool = False, border: bool = True):
    """Write ``value`` at ``ref`` (A1). Text starting with "=" stays text (as typed in a
    text-formatted cell), never a formula. ``merge`` like "B3:E3" merges the range (whose
    top-left must be ``ref``). ``fmt`` is a number format ("0%", "0.00%", "yyyy-mm-dd", "@")."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True
    if fmt:
        cell.number_format = fmt
    cell.font = FONT
    if border:
        cell.border = BOX
    if wrap or (isinstance(value, str) and len(value) > 20):
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    if merge:
        min_col, min_row, max_col, max_row = range_boundaries(merge)
        ws.merge_cells(merge)
        if border:
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    ws.cell(r, c).border = BOX
    return cell


def percent(ws, ref: str, number: float, fmt: str = "0%", merge: str | None = None):
    """A rate typed as "95%" in Excel/WPS: stored as 0.95 with a percent format."""
    return put(ws, ref, number, merge, fmt=fmt)


def rows(ws, start_row: int, start_col: str, data: list[list[Any]]) -> int:
    """Write a block of rows (None = leave empty); returns the next free row."""
    from openpyxl.utils import column_index_from_string

    c0 = column_index_from_string(start_col)
    r = start_row
    for values in data:
        for j, v in enumerate(values):
            if v is not None:
                put(ws, ws.cell(r, c0 + j).coordinate, v)
        r += 1
    return r
