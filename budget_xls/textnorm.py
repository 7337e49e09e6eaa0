"""Text, number and date normalisation for untrusted workbook content.

All patterns are compiled once at import: these functions run for every cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

_WS = re.compile(r"\s+")
# Section / list numbering in front of a label: 一、 （1） (一) 1. 1、 ①
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.]?|\d+[、.．](?!\d)|[①-⑳])"
)
_TRAILING_COLON = re.compile(r"[:：]+$")


def nfkc(text: str) -> str:
    """Unify full-/half-width forms (full-width digits, colons, brackets, spaces)."""
    return unicodedata.normalize("NFKC", text)


def norm_label(text: object) -> str:
    """A label as typed → the key it is matched by.

    Removes every kind of whitespace (U+3000 too), unifies full/half width and
    strips leading numbering and a trailing colon: ``"一、 项目 概述："`` → ``"项目概述"``.
    """
    if not isinstance(text, str):
        return ""
    s = _WS.sub("", nfkc(text))
    s = _NUMBERING.sub("", s, count=1)
    return _TRAILING_COLON.sub("", s)


def clean_text(value: object) -> str | None:
    """Cell value → trimmed text, or None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


def squash(text: str | None) -> str:
    """Text with all whitespace removed and width unified (for comparisons)."""
    return _WS.sub("", nfkc(text)) if text else ""


# ---------------------------------------------------------------- amounts

_AMOUNT_TEXT = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:元)?$")


class ParseError(ValueError):
    """A value that is present but cannot be read; ``str(e)`` is a Chinese reason."""


def parse_amount(value: object) -> Decimal | None:
    """Cell value → Decimal 元. None for blank; ParseError when unreadable.

    Accepts numbers and text such as ``1,250,000.00``, `` 5066446.00 `` or full-width digits.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError("不是金额")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError("不是有效数字")
        # repr gives the shortest text that round-trips: 0.1 stays 0.1, not 0.1000000000000000055…
        return Decimal(repr(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise ParseError("单元格是日期，不是金额")
    text = _WS.sub("", nfkc(str(value)))
    if not text:
        return None
    m = _AMOUNT_TEXT.match(text)
    if not m:
        raise ParseError(f"无法识别为金额：{str(value).strip()[:40]}")
    sign, digits, frac = m.groups()
    try:
        return Decimal(sign + digits.replace(",", "") + (frac or ""))
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise ParseError("无法识别为金额") from exc


def parse_number(value: object) -> Decimal | None:
    """Like parse_amount but for 单价/数量 (no 元 semantics)."""
    return parse_amount(value)


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class NonexistentDate(ParseError):
    """Text shaped like a date naming a day that does not exist (2022年9月31日)."""


def parse_date(value: object) -> dt.date | None:
    """Cell value → date. None for blank; ParseError / NonexistentDate otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ParseError("不是日期")
    if isinstance(value, (int, float)):
        # Excel serial day number (1900 date system), as pasted values often arrive.
        if 1 <= value < 2958466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ParseError(f"无法识别为日期：{value}")
    text = nfkc(str(value)).strip()
    if not text:
        return None
    m = _DATE_TEXT.match(text)
    if not m:
        raise ParseError(f"无法识别为日期：{text[:40]}")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d)
    except ValueError as exc:
        raise NonexistentDate(f"日期不存在：{text}") from exc


_YEAR_HEADER = re.compile(r"(\d{4})\s*年度")


def find_year(text: object) -> int | None:
    """"(2022 年度)" → 2022."""
    if not isinstance(text, str):
        return None
    m = _YEAR_HEADER.search(nfkc(text))
    return int(m.group(1)) if m else None
