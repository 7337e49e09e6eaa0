"""How much room text takes in a spreadsheet cell.

xlsxwriter and openpyxl cannot autofit, and office suites keep an explicit row height
when they open a file, so budget-xls estimates widths and heights itself: a CJK or
full-width character takes two width units, any other one unit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

MAX_ROW_HEIGHT = 409.0  # Excel's cap, in points


# Blocks whose every character is wide (East Asian width W or F): the CJK ideographs, kana,
# hangul, full-width forms and CJK punctuation — most of a Chinese form's text. Counted by
# one regex; any other character from U+1100 on is asked of unicodedata (tests check the
# blocks against it).
WIDE_BLOCKS = ((0x3001, 0x303E), (0x3040, 0x30FF), (0x3100, 0x31FF), (0x3300, 0x4DBF), (0x4E00, 0x9FFF),
               (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF01, 0xFF60))
_WIDE = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in WIDE_BLOCKS) + "]+")


@lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """Column width units a one-line text needs."""
    if text.isascii():
        return len(text)
    rest = _WIDE.sub("", text)
    wide = len(text) - len(rest)
    if not rest.isascii():
        wide += sum(1 for ch in rest if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF")
    return len(text) + wide


def widest_line(text: str) -> int:
    return max(display_width(line) for line in text.split("\n"))


def line_count(value: Any, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` units wide."""
    if value is None or value == "":
        return 1
    width = max(int(width), 1)
    if type(value) is str and "\n" not in value:
        return max(1, -(-display_width(value) // width))
    return sum(max(1, -(-display_width(line) // width)) for line in str(value).split("\n"))


def row_height(lines: int, line: float = 14.0, pad: float = 3.0) -> float:
    """Points for ``lines`` lines of text (10–11 point fonts)."""
    return min(MAX_ROW_HEIGHT, line * lines + pad)
