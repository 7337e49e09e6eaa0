"""Text, number and date normalisation for untrusted workbook content.

All patterns are compiled once at import: these functions run for every cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from decimal import Decimal, InvalidOperation

_WS = re.compile(r"\s+")
# What may stand in front of a label (after NFKC, whitespace removed): a required-field
# mark (* ★), section / list numbering (一、 （1） (一) 1. 1、 1) ①), and "其中:" of the
# money sub-labels ("其中：财政资金" and "财政资金" are the same label).
_PREFIX = re.compile(
    r"^[*★※]*"
    r"(?:[一二三四五六七八九十]+[、.]|[(][一二三四五六七八九十\d]+[)][、.]?|\d+(?:[、.](?!\d)|\)))?"
    r"(?:其中:?)?"
)
_CIRCLED = re.compile(r"^\s*[①-⑳]")  # NFKC turns ① into 1: strip it before
# What may follow it: a colon, a required-field mark, the unit 元 in brackets ("项目资金(元)").
_SUFFIX = re.compile(r"(?:\(元\))?[:*]*$")


def nfkc(text: str) -> str:
    """Unify full-/half-width forms (full-width digits, colons, brackets, spaces)."""
    return unicodedata.normalize("NFKC", text)


def norm_label(text: object) -> str:
    """A label as typed → the key it is matched by ("" for non-text); see ``_norm_label``."""
    if not isinstance(text, str):
        return ""
    return _norm_label(text)


@lru_cache(maxsize=16384)  # forms repeat the same labels in every file: normalise each once
def _norm_label(text: str) -> str:
    """A label as typed → the key it is matched by.

    Removes every kind of whitespace (U+3000 too), unifies full/half width and
    strips leading numbering, "其中：", a trailing colon and "(元)":
    ``"一、 项目 概述："`` → ``"项目概述"``, ``"其中：财政资金"`` → ``"财政资金"``.
    """
    s = _WS.sub("", nfkc(_CIRCLED.sub("", text, count=1)))
    s = _PREFIX.sub("", s, count=1)
    # the suffix pattern is tried at every position: only a text ending in one of its characters
    # can lose anything (no whitespace is left for "$" to stop before)
    return _SUFFIX.sub("", s, count=1) if s.endswith((":", "*", ")")) else s


def clean_text(value: object) -> str | None:
    """Cell value → trimmed text, or None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


@lru_cache(maxsize=16384)  # the rules compare the same names and units again and again
def squash(text: str | None) -> str:
    """Text with all whitespace removed and width unified (for comparisons)."""
    return _WS.sub("", nfkc(text)) if text else ""


# Brackets NFKC leaves apart: 【】〔〕〖〗［］ and the full-width ones all compare as ( ).
_BRACKETS = str.maketrans({"【": "(", "〔": "(", "〖": "(", "[": "(", "{": "(", "〈": "(", "《": "(",
                           "】": ")", "〕": ")", "〗": ")", "]": ")", "}": ")", "〉": ")", "》": ")"})


@lru_cache(maxsize=16384)
def text_key(text: str | None) -> str:
    """The one key every comparison of names uses (X01, the roster, 汇总's unit grouping).

    Width unified (NFKC: ＡＢＣ（２０２２） → ABC(2022)), every whitespace removed, and
    every kind of bracket read as round ones: ``"ABC【2022】"`` and ``"ＡＢＣ (2022)"`` are equal.
    """
    return _WS.sub("", nfkc(text)).translate(_BRACKETS) if text else ""


# ---------------------------------------------------------------- file names as data

# C0 controls, DEL and C1 controls: invalid in XML (C0) or invisible and dangerous on a terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\udc80-\udcff]")


def is_plain_name(text: str) -> bool:
    """True when a path (as the OS gave it) is valid Unicode text without control characters."""
    return not (_CONTROL.search(text) or _SURROGATE.search(text))


def readable_name(text: str) -> str:
    """A path as the OS gave it → text that can be shown, written to XML and JSON, and printed.

    Bytes that are not UTF-8 (``os.fsdecode`` keeps them as lone surrogates) are read as
    GB18030, what Windows and zip attachments from it use; when even that fails, each
    byte is shown as ``\\xNN``. Control characters become their visible pictures (␁ ␛ ␡),
    so a name can neither corrupt the XML nor drive the terminal.
    """
    if is_plain_name(text):
        return text
    if _SURROGATE.search(text):  # each folder and file name on its own: one odd name spoils no other
        text = "/".join(_decoded(part) if _SURROGATE.search(part) else part for part in text.split("/"))
    return _CONTROL.sub(_picture, text)


def _decoded(part: str) -> str:
    raw = part.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


# ---------------------------------------------------------------- amounts

_AMOUNT_TEXT = re.compile(r"^[¥]?([+-]?)[¥]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d*)?(?:元)?$")


class ParseError(ValueError):
    """A value that is present but cannot be read; ``str(e)`` is a Chinese reason."""


MAX_AMOUNT = Decimal(10) ** 15  # 1,000 万亿元: anything larger is not an amount on this form


NONE_MARKS = frozenset({"—", "-", "--", "——", "/", "／", "无", "－", "―"})


def parse_amount(value: object) -> Decimal | None:
    """Cell value → Decimal 元. None for blank (a dash or 无 is blank too); ParseError when unreadable.

    Accepts numbers and text such as ``1,250,000.00``, `` 5066446.00 `` or full-width digits.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip() in NONE_MARKS:
        return None
    amount = _to_decimal(value)
    if amount is not None and abs(amount) >= MAX_AMOUNT:
        raise ParseError(f"数值过大，不是有效金额：{str(value).strip()[:40]}")
    return amount


def _to_decimal(value: object) -> Decimal | None:
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
        return Decimal(sign + digits.replace(",", "") + (frac if frac and frac != "." else ""))
    except InvalidOperation as exc:  # pragma: no cover - regex already guards
        raise ParseError("无法识别为金额") from exc


_AMOUNT_UNIT = re.compile(r"^([¥￥]?[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万元|万|元)?(.*)$", re.S)


def split_amount_unit(value: object) -> tuple[object, str | None]:
    """An amount written with its unit → (the number's text, "万元" | "元" | None).

    ``"500万元"`` → ``("500", "万元")``; ``"120万（含上年结转）"`` → ``("120", "万元")``;
    ``"1,234.5 万元"`` → ``("1,234.5", "万元")``. Numbers and text without a unit come back as
    they are; a note in brackets after the unit is allowed, other trailing text is not.
    """
    if not isinstance(value, str):
        return value, None
    text = _WS.sub("", nfkc(value))
    m = _AMOUNT_UNIT.match(text)
    if not m or not m.group(2):
        return value, None
    number, unit, rest = m.groups()
    if rest and rest[0] not in "(（[【,，;；":
        return value, None
    return number, "万元" if unit.startswith("万") else "元"


def parse_number(value: object) -> Decimal | None:
    """Like parse_amount but for 单价/数量 (no 元 semantics)."""
    return parse_amount(value)


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$"
    r"|^(\d{4})(\d{2})(\d{2})$"
)
# Excel serial day numbers that can be a plan date (1927…2173); a bare 2022 is not one.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 100_000


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
        return _from_number(value, str(value))
    text = nfkc(str(value)).strip()
    if not text:
        return None
    if text.isdigit() and len(text) == 5:  # a serial number pasted as text
        return _from_number(int(text), text)
    m = _DATE_TEXT.match(text)
    if not m:
        raise ParseError(f"无法识别为日期：{text[:40]}")
    y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return dt.date(y, mo, d)
    except ValueError as exc:
        raise NonexistentDate(f"日期不存在：{text}") from exc


def _from_number(value: int | float, shown: str) -> dt.date:
    """An Excel serial day number (1900 system, as pasted values arrive) or 20220101."""
    if float(value).is_integer():
        n = int(value)
        if _SERIAL_MIN <= n < _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=n)
        if 19_000_101 <= n <= 21_001_231:
            try:
                return dt.date(n // 10000, n // 100 % 100, n % 100)
            except ValueError as exc:
                raise NonexistentDate(f"日期不存在：{shown}") from exc
    raise ParseError(f"无法识别为日期：{shown}")


_PERIOD_SPLIT = re.compile(r"(?:--|—+|－|~|～|至|到)")
_MONTH = re.compile(r"^(\d{4})(?:年|[.\-/])?(\d{1,2})?(?:月|[.\-/])?(?:(\d{1,2})[日号]?)?(?:份|底|末)?$")


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A plan period in one cell → (first day, last day): "2023年1月-2023年12月", "2021.1-2021.12",
    "2023.07-2024.01", "202001-202012", "2024-01-01至2026-12-31", "2019年--2021年"."""
    t = _WS.sub("", nfkc(text)).strip("()")
    parts = [p for p in _PERIOD_SPLIT.split(t) if p]
    if len(parts) == 1 and t.count("-") % 2 == 1:  # "2021.1-2021.12", "2024-01-01-2026-12-31"
        pieces = t.split("-")
        half = len(pieces) // 2
        parts = ["-".join(pieces[:half]), "-".join(pieces[half:])]
    if len(parts) == 1 and re.fullmatch(r"\d{4}年?(?:全年|度)?", parts[0]):
        parts = [parts[0][:4], parts[0][:4]]
    if len(parts) != 2:
        raise ParseError(f"无法识别为起止时间：{text.strip()[:40]}")
    if re.match(r"^\d{1,2}月", parts[1]) and re.match(r"^\d{4}", parts[0]):  # 2022年1月至12月
        parts[1] = parts[0][:4] + "年" + parts[1]
    try:
        start = _period_end(parts[0], first=True)
        end = _period_end(parts[1], first=False)
    except ValueError as exc:
        raise ParseError(f"无法识别为起止时间：{text.strip()[:40]}") from exc
    return start, end


def _period_end(part: str, first: bool) -> dt.date:
    import calendar

    if re.fullmatch(r"\d{6}", part):  # 202001
        part = f"{part[:4]}.{part[4:]}"
    if re.fullmatch(r"\d{8}", part):
        part = f"{part[:4]}-{part[4:6]}-{part[6:]}"
    m = _MONTH.match(part)
    if not m:
        raise ValueError(part)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return dt.date(y, 1, 1) if first else dt.date(y, 12, 31)
    mo = int(mo)
    if d is not None:
        return dt.date(y, mo, int(d))
    return dt.date(y, mo, 1) if first else dt.date(y, mo, calendar.monthrange(y, mo)[1])


_YEAR_HEADER = re.compile(r"(\d{4})\s*年度")


def find_year(text: object) -> int | None:
    """"(2022 年度)" → 2022."""
    if not isinstance(text, str):
        return None
    m = _YEAR_HEADER.search(nfkc(text))
    return int(m.group(1)) if m else None
