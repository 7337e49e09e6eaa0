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
    ("==", "="), ("=", "="), ("═", "="), (">", ">"), ("<", "<"),
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
_UNIT_WORDS = {"百分比": "%", "百分之": "%", "％": "%"}  # a unit written as a word
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


_QUALIFIER = re.compile(r"\([^()]*\)")
_TRAILING_SCORE = re.compile(r"\d*分$")


@lru_cache(maxsize=4096)  # the same few level names recur on every sheet
def level_key(name: str | None) -> str | None:
    """Level name as typed → comparable key: width, spaces, bracketed notes and scores removed:
    ``"满意度指 标"`` → ``"满意度指标"``; ``"产出指标(70分)"``, ``"数量指标(必填硬性指标)"``,
    ``"成本指标(0-20)分"`` → ``产出指标``, ``数量指标``, ``成本指标``."""
    if not name:
        return None
    key = norm_label(name)
    bare = _QUALIFIER.sub("", key)
    if bare != key and bare:
        key = _TRAILING_SCORE.sub("", bare) or bare
    return key or None


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
    if text.startswith("±") and text.endswith(("以内", "内")):  # "±3%以内": a deviation of at most 3%
        text = text[1:]
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
    if rest.startswith("年") and 1900 <= number <= 2100 and number == number.to_integral_value():
        return Value(None, None, None, "qualitative")  # "2021年全年", "2022年底前": a time, not a count of years
    unit = None
    if rest:
        bracket = _UNIT_BRACKETS.match(rest)
        if bracket:
            rest = bracket.group(1)
        if not _UNIT_OK.match(rest) or _DEADLINE_WORDS.search(rest):
            return Value(None, None, None, "qualitative")
        unit = _UNIT_WORDS.get(rest, rest)
    if operator is None:
        return Value("=", number, unit, "quantitative", implied_operator=True)
    return Value(operator, number, unit, "quantitative")


# ---------------------------------------------------------------- levels


def classify(text: str | None, fw) -> tuple[str | None, str | None]:
    """(canonical 一级, canonical 二级) a level cell names: (一级, None) for a 一级 name, (its 一级, 二级)
    for a 二级 name, (None, None) for anything else."""
    key = level_key(text)
    if key is None:
        return None, None
    name = fw.canonical(key)
    if name in fw.levels:
        return name, None
    parent = fw.parent_of(name)
    return (parent, name) if parent is not None else (None, None)


def resolve_levels(cur1: str | None, cur2: str | None, fw) -> tuple[str | None, str | None]:
    """Canonical (一级, 二级) of a row from what its level cells name, not only where they stand:
    a 二级 name in the 一级 column (levels shifted by one: the 一级 follows from it), a 一级 name in
    the 二级 column under a wider heading (实施效果指标 | 产出指标). Unknown names come back as typed
    (normalised), so that I01 can name them."""
    a1_, a2_ = classify(cur1, fw)
    b1_, b2_ = classify(cur2, fw)
    if a2_ is not None and b2_ is None and b1_ is None and cur2 is None:
        return a1_, a2_  # 一级 column holds a 二级 name, nothing in the 二级 column
    if a1_ is not None and a2_ is None:
        return a1_, (b2_ if b2_ is not None else plain_level(cur2, fw))
    if a2_ is not None:
        return a1_, a2_
    if b1_ is not None and b2_ is None:
        return b1_, None  # the 一级 column holds a wider heading; the 二级 column the 一级
    if b2_ is not None:
        return (plain_level(cur1, fw) if cur1 else b1_), b2_
    return plain_level(cur1, fw), plain_level(cur2, fw)


def plain_level(text: str | None, fw) -> str | None:
    """A level as typed, normalised, when it is none of the framework's names."""
    return fw.canonical(level_key(text))
