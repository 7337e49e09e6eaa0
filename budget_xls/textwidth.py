"""How much room text takes in a spreadsheet cell.

xlsxwriter and openpyxl cannot autofit, and office suites keep an explicit row height
when they open a file, so budget-xls estimates widths and heights itself: a CJK or
full-width character takes two width units, any other one unit.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

MAX_ROW_HEIGHT = 409.0  # Excel's cap, in points


@lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """Column width units a one-line text needs."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF")


def widest_line(text: str) -> int:
    return max(display_width(line) for line in text.split("\n"))


def line_count(value: Any, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide."""
    if value is None or value == "":
        return 1
    width = max(int(width), 1)
    return sum(max(1, -(-display_width(line) // width)) for line in str(value).split("\n"))


def row_height(lines: int, line: float = 14.0, pad: float = 3.0) -> float:
    """Points for ``lines`` lines of text (10–11 point fonts)."""
    return min(MAX_ROW_HEIGHT, line * lines + pad)
