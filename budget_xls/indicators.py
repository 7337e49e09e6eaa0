"""Normalise indicator level names and 年度指标值 values.

``parse_value("≥90%")`` → operator ≥, number 90, unit %, quantitative. Values that are
not "operator + number + unit" are qualitative (好, 及时, 每人一册 …). A bare number
has no operator: it is read as ``=`` and flagged (``implied_operator``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from budget_xls.model import compact_pickle
from budget_xls.textnorm import nfkc, norm_label

_OPERATORS = (
    (">=", "≥"), ("≥", "≥"), ("≧", "≥"), ("=>", "≥"),
    ("<=", "≤"), ("≤", "≤"), ("≦", "≤"), ("=<", "≤"),
    ("==", "="), ("=", "="), (">", ">"), ("<", "<"),
)
_PHRASE_PREFIX = (
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不少于", "≥"), ("不低于", "≥"), ("不小于", "≥"),
    ("至少", "≥"), ("达到", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"),
    ("最多", "≤"), ("控制在", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"),
    ("小于", "<"), ("低于", "<"),
    ("等于", "="),
)
_PHRASE_SUFFIX = (("及以上", "≥"), ("以上", "≥"), ("以内", "≤"), ("及以下", "≤"), ("以下", "≤"), ("内", "≤"))

# "满意度≥90%": a short label repeated in front of the operator is dropped.
_LABEL_BEFORE_OPERATOR = re.compile(r"^[^\d<>=≥≤≧≦]{1,12}?(?=[<>=≥≤≧≦])")
# A "unit" that is really a deadline ("2022年底前", "12月底前") makes the value qualitative.
_DEADLINE_WORDS = re.compile(r"[前后底末初旬]")
_NUMBER = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
_UNIT_BRACKETS = re.compile(r"^[(（\[【]\s*([^)）\]】]{1,8})\s*[)）\]】]$")
_UNIT_OK = re.compile(r"^[^\d\s,，。；;、]{1,8}$")
_WS = re.compile(r"\s+")


@compact_pickle
@dataclass(frozen=True, slots=True)
class Value:
    operator: str | None
    number: Decimal | None
    unit: str | None
    kind: str  # quantitative | qualitative
    implied_operator: bool = False


QUALITATIVE_EMPTY = Value(None, None, None, "qualitative")


@lru_cache(maxsize=4096)  # the same few level names recur on every sheet
def level_key(name: str | None) -> str | None:
    """Level name as typed → comparable key: ``"满意度指 标"`` → ``"满意度指标"``."""
    if not name:
        return None
    return norm_label(name) or None


def canonical_level(name: str | None, framework) -> str | None:
    """Level name as typed → canonical name of ``framework`` (aliases and stray spaces resolved).

    ``"满意度指 标"`` → ``"满意度指标"``; ``"环境效益指标"`` → ``"生态效益指标"``. Unknown names come
    back normalised but otherwise unchanged, so a rule can still say what was typed.
    """
    return framework.canonical(level_key(name))


@lru_cache(maxsize=8192)  # values recur across forms ("≥95%", "100%", "及时"); a Value is immutable
def parse_value(raw: str | None) -> Value:
    """年度指标值 as typed → operator, number, unit and kind (see the module docstring)."""
    if not raw:
        return QUALITATIVE_EMPTY
    text = _WS.sub("", nfkc(str(raw)))
    text = _LABEL_BEFORE_OPERATOR.sub("", text, count=1)
    operator = None
    for token, op in _OPERATORS:
        if text.startswith(token):
            operator, text = op, text[len(token):]
            break
    else:
        for phrase, op in _PHRASE_PREFIX:
            if text.startswith(phrase):
                operator, text = op, text[len(phrase):]
                break
    m = _NUMBER.match(text)
    if not m:
        return Value(operator, None, None, "qualitative")
    try:
        number = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return Value(None, None, None, "qualitative")
    rest = text[m.end():]
    for phrase, op in _PHRASE_SUFFIX:
        if rest.endswith(phrase) and (operator is None or operator == op):
            operator, rest = op, rest[: -len(phrase)]
            break
    unit = None
    if rest:
        bracket = _UNIT_BRACKETS.match(rest)
        if bracket:
            rest = bracket.group(1)
        if not _UNIT_OK.match(rest) or _DEADLINE_WORDS.search(rest):
            return Value(None, None, None, "qualitative")
        unit = rest
    if operator is None:
        return Value("=", number, unit, "quantitative", implied_operator=True)
    return Value(operator, number, unit, "quantitative")
