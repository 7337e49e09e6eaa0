"""Every spelling the normaliser accepts, in and out: operators (each spelling and its
inverted-meaning partner), units, dates, plan periods and money.

Each row is one form a department types; the expected side is what the report and the rules
see. A row that flips (不少于 read as ≤) changes what a finding says, so each is checked exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget_xls.indicators import _OPERATORS, _PHRASE_PREFIX, _PHRASE_SUFFIX, parse_value
from budget_xls.textnorm import (
    MAX_AMOUNT, NonexistentDate, ParseError, clean_text, find_year, norm_label, parse_amount, parse_date,
    parse_period, split_amount_unit, squash,
)

D = Decimal

# ---------------------------------------------------------------- operators

SYMBOLS = [
    (">=", "≥"), ("≥", "≥"), ("≧", "≥"), ("=>", "≥"), ("＞＝", "≥"),
    ("<=", "≤"), ("≤", "≤"), ("≦", "≤"), ("=<", "≤"), ("＜＝", "≤"),
    ("==", "="), ("=", "="), ("═", "="), ("＝", "="),
    (">", ">"), ("＞", ">"), ("<", "<"), ("＜", "<"),
]

PREFIXES = [
    ("大于等于", "≥"), ("大于或等于", "≥"), ("不少于", "≥"), ("不低于", "≥"), ("不小于", "≥"),
    ("至少", "≥"), ("达到", "≥"),
    ("小于等于", "≤"), ("小于或等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不大于", "≤"),
    ("最多", "≤"), ("控制在", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"),
    ("小于", "<"), ("低于", "<"),
    ("等于", "="),
]

SUFFIXES = [("及以上", "≥"), ("以上", "≥"), ("以内", "≤"), ("及以下", "≤"), ("以下", "≤"), ("内", "≤")]


def _q(v):
    return (v.operator, v.number, v.unit, v.kind, v.implied_operator)


@pytest.mark.parametrize("spelling, op", SYMBOLS)
def test_operator_symbol(spelling, op):
    assert _q(parse_value(f"{spelling}12次")) == (op, D(12), "次", "quantitative", False)


@pytest.mark.parametrize("phrase, op", PREFIXES)
def test_operator_phrase_in_front(phrase, op):
    assert _q(parse_value(f"{phrase}95%")) == (op, D(95), "%", "quantitative", False)


@pytest.mark.parametrize("phrase, op", SUFFIXES)
def test_operator_phrase_behind(phrase, op):
    assert _q(parse_value(f"30天{phrase}")) == (op, D(30), "天", "quantitative", False)


def test_the_tables_cover_every_spelling_the_normaliser_knows():
    # A spelling added to indicators.py without a row here would go untested.
    assert {s for s, _ in _OPERATORS} <= {s for s, _ in SYMBOLS}
    assert set(_PHRASE_PREFIX) == set(PREFIXES)
    assert set(_PHRASE_SUFFIX) == set(SUFFIXES)


@pytest.mark.parametrize("low, high", [
    ("不少于", "不超过"), ("不低于", "不高于"), ("至少", "最多"), ("大于", "小于"), ("高于", "低于"),
    ("大于等于", "小于等于"), ("不小于", "不大于"),
])
def test_inverted_meaning_prefix_pairs(low, high):
    a, b = parse_value(f"{low}5次"), parse_value(f"{high}5次")
    assert {a.operator, b.operator} in ({"≥", "≤"}, {">", "<"})
    assert a.operator in ("≥", ">") and b.operator in ("≤", "<")


@pytest.mark.parametrize("low, high", [("以上", "以下"), ("及以上", "及以下"), ("=>", "<="), (">=", "=<")])
def test_inverted_meaning_pairs(low, high):
    raw = (lambda s: f"5次{s}") if "以" in low else (lambda s: f"{s}5次")
    assert parse_value(raw(low)).operator == "≥"
    assert parse_value(raw(high)).operator == "≤"


def test_a_suffix_never_contradicts_the_operator_in_front():
    # "≥90%以下" keeps ≥ (the suffix is left unread, so it stays in the unit and the value is qualitative)
    assert parse_value("≥30天以内").operator == "≥"
    assert _q(parse_value("≤30天以内")) == ("≤", D(30), "天", "quantitative", False)
    assert _q(parse_value("≥90%以上")) == ("≥", D(90), "%", "quantitative", False)


# ---------------------------------------------------------------- units and numbers

UNITS = ["次", "场", "个", "人", "人次", "册", "本", "份", "期", "轮", "学时", "天", "元", "万元", "元/人", "%"]


@pytest.mark.parametrize("unit", UNITS)
def test_unit_plain_and_in_brackets(unit):
    assert _q(parse_value(f"≥8{unit}")) == ("≥", D(8), unit, "quantitative", False)
    for left, right in ("()", "（）", "[]", "【】"):
        assert parse_value(f"≥8{left}{unit}{right}").unit == unit


@pytest.mark.parametrize("raw, unit", [
    ("=100百分比", "%"), ("=100百分之", "%"), ("=100％", "%"), ("=100(％)", "%"), ("=100", None),
])
def test_unit_words(raw, unit):
    v = parse_value(raw)
    assert (v.operator, v.number, v.unit) == ("=", D(100), unit)


@pytest.mark.parametrize("raw, number", [
    ("=1,250,000元", "1250000"), ("≥3.5万元", "3.5"), ("=+5次", "5"), ("=-5%", "-5"), ("=0.5天", "0.5"),
    ("=１２次", "12"), ("=12,34次", None),
])
def test_numbers(raw, number):
    v = parse_value(raw)
    if number is None:
        assert v.kind == "qualitative" and v.number is None
    else:
        assert v.number == D(number) and v.kind == "quantitative"


@pytest.mark.parametrize("raw", ["±3%以内", "±3%内"])
def test_plus_minus_within_is_at_most(raw):
    assert _q(parse_value(raw)) == ("≤", D(3), "%", "quantitative", False)


@pytest.mark.parametrize("raw, op", [("满意度≥90%", "≥"), ("知晓率不低于", None), ("完成率=100%", "=")])
def test_label_repeated_in_front(raw, op):
    assert parse_value(raw).operator == op


@pytest.mark.parametrize("raw", [
    "2022年底前", "2021年全年", "1900年", "2100年内", "12月底前", "3天后", "10日前", "≥5个半小时左右的时间",
    "5次，每季度", "好", "",
])
def test_not_a_count(raw):
    v = parse_value(raw)
    assert v.kind == "qualitative" and v.number is None and v.unit is None


@pytest.mark.parametrize("raw, number", [("1899年", "1899"), ("2101年", "2101"), ("2022.5年", "2022.5")])
def test_years_outside_the_calendar_window_are_counts(raw, number):
    v = parse_value(raw)
    assert (v.kind, v.number, v.unit, v.implied_operator) == ("quantitative", D(number), "年", True)


def test_bare_number_reads_as_equals_and_is_flagged():
    assert _q(parse_value("12")) == ("=", D(12), None, "quantitative", True)
    assert _q(parse_value("12次")) == ("=", D(12), "次", "quantitative", True)
    assert _q(parse_value("不少于")) == ("≥", None, None, "qualitative", False)


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("value, amount", [
    (622000, "622000"), (622000.0, "622000.0"), (0.1, "0.1"), (1234.56, "1234.56"), (0, "0"),
    ("1,250,000.00", "1250000.00"), (" 5066446.00 ", "5066446.00"), ("5066446", "5066446"),
    ("５０６６４４６", "5066446"), ("¥1,000", "1000"), ("￥1000", "1000"), ("1000元", "1000"),
    ("-50", "-50"), ("+50", "50"), ("1000.", "1000"), ("1 000", "1000"), ("12.345", "12.345"),
])
def test_amounts(value, amount):
    got = parse_amount(value)
    assert isinstance(got, Decimal) and got == D(amount) and str(got) == amount


@pytest.mark.parametrize("value", [None, "", "—", "-", "--", "——", "/", "／", "无", "－", "―", " 无 ", "   "])
def test_blank_amounts_are_none_never_zero(value):
    assert parse_amount(value) is None


@pytest.mark.parametrize("value, reason", [
    (True, "不是金额"), (float("nan"), "不是有效数字"), (float("inf"), "不是有效数字"),
    (float("-inf"), "不是有效数字"), (dt.date(2022, 1, 1), "单元格是日期，不是金额"),
    ("12万", "无法识别为金额：12万"), ("1,00", "无法识别为金额：1,00"), ("abc", "无法识别为金额：abc"),
])
def test_unreadable_amounts(value, reason):
    with pytest.raises(ParseError) as exc:
        parse_amount(value)
    assert str(exc.value) == reason


def test_amount_size_limit_at_its_edge():
    assert MAX_AMOUNT == 10**15  # 1,000 万亿元
    assert parse_amount(10**15 - 1) == 10**15 - 1
    assert parse_amount(-(10**15 - 1)) == -(10**15 - 1)
    assert parse_amount("999999999999999.99") == D("999999999999999.99")
    for too_big in (10**15, -(10**15), "1000000000000000", 1e15):
        with pytest.raises(ParseError, match="^数值过大，不是有效金额："):
            parse_amount(too_big)


@pytest.mark.parametrize("value, out", [
    ("500万元", ("500", "万元")), ("500万", ("500", "万元")), ("500元", ("500", "元")),
    ("1,234.5 万元", ("1,234.5", "万元")), ("120万（含上年结转）", ("120", "万元")),
    ("120万(含结转)", ("120", "万元")), ("120万，其中", ("120", "万元")), ("120万;", ("120", "万元")),
    ("￥120万元", ("¥120", "万元")), ("-3万元", ("-3", "万元")),
    ("120万左右", ("120万左右", None)), ("500", ("500", None)), (500, (500, None)),
    ("约500万元", ("约500万元", None)),
])
def test_amount_with_unit(value, out):
    assert split_amount_unit(value) == out


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("value, day", [
    (dt.date(2022, 3, 1), (2022, 3, 1)), (dt.datetime(2022, 3, 1, 15, 30), (2022, 3, 1)),
    (44621, (2022, 3, 1)), (44621.0, (2022, 3, 1)), ("44621", (2022, 3, 1)), (20220301, (2022, 3, 1)),
    (10000, (1927, 5, 18)), (99999, (2173, 10, 13)), (19000101, (1900, 1, 1)), (21001231, (2100, 12, 31)),
    ("2022-03-01", (2022, 3, 1)), ("2022/3/1", (2022, 3, 1)), ("2022.3.1", (2022, 3, 1)),
    ("2022年3月1日", (2022, 3, 1)), ("2022年3月1", (2022, 3, 1)), ("2022 年 3 月 1 日", (2022, 3, 1)),
    ("2022-03-01 00:00:00", (2022, 3, 1)), ("2022-03-01 0:00", (2022, 3, 1)), ("20220301", (2022, 3, 1)),
    ("２０２２年３月１日", (2022, 3, 1)), (" 2022-03-01 ", (2022, 3, 1)),
])
def test_dates(value, day):
    got = parse_date(value)
    assert type(got) is dt.date and got == dt.date(*day)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_dates(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value, reason", [
    ("2022年9月31日", "日期不存在：2022年9月31日"), ("2022-02-29", "日期不存在：2022-02-29"),
    (20220931, "日期不存在：20220931"), ("20220931", "日期不存在：20220931"),
])
def test_dates_that_do_not_exist(value, reason):
    with pytest.raises(NonexistentDate) as exc:
        parse_date(value)
    assert str(exc.value) == reason


@pytest.mark.parametrize("value, reason", [
    (True, "不是日期"), (2022, "无法识别为日期：2022"), (9999, "无法识别为日期：9999"),
    (100000, "无法识别为日期：100000"), (18991231, "无法识别为日期：18991231"),
    (21010101, "无法识别为日期：21010101"), (44621.5, "无法识别为日期：44621.5"),
    (21001232, "无法识别为日期：21001232"), (19000100, "无法识别为日期：19000100"), (9999.0, "无法识别为日期：9999.0"),
    ("11月底前", "无法识别为日期：11月底前"), ("2022-03-01 12:00", "无法识别为日期：2022-03-01 12:00"),
])
def test_unreadable_dates(value, reason):
    with pytest.raises(ParseError) as exc:
        parse_date(value)
    assert not isinstance(exc.value, NonexistentDate) and str(exc.value) == reason


@pytest.mark.parametrize("text, start, end", [
    ("2023年1月-2023年12月", (2023, 1, 1), (2023, 12, 31)),
    ("2021.1-2021.12", (2021, 1, 1), (2021, 12, 31)),
    ("2023.07-2024.01", (2023, 7, 1), (2024, 1, 31)),
    ("202001-202012", (2020, 1, 1), (2020, 12, 31)),
    ("2024-01-01至2026-12-31", (2024, 1, 1), (2026, 12, 31)),
    ("2024-01-01-2026-12-31", (2024, 1, 1), (2026, 12, 31)),
    ("20240101-20241130", (2024, 1, 1), (2024, 11, 30)),
    ("2019年--2021年", (2019, 1, 1), (2021, 12, 31)),
    ("(2019年--2021年)", (2019, 1, 1), (2021, 12, 31)),
    ("2022年1月至12月", (2022, 1, 1), (2022, 12, 31)),
    ("2024年2月~2024年2月", (2024, 2, 1), (2024, 2, 29)),
    ("2022年3月5日到2022年6月", (2022, 3, 5), (2022, 6, 30)),
    ("2022年1月份—2022年6月底", (2022, 1, 1), (2022, 6, 30)),
    ("2022年", (2022, 1, 1), (2022, 12, 31)), ("2022年全年", (2022, 1, 1), (2022, 12, 31)),
    ("2022年度", (2022, 1, 1), (2022, 12, 31)), ("2022", (2022, 1, 1), (2022, 12, 31)),
    ("2022全年", (2022, 1, 1), (2022, 12, 31)), ("2022度", (2022, 1, 1), (2022, 12, 31)),
    ("２０２２年１月－２０２２年３月", (2022, 1, 1), (2022, 3, 31)),
])
def test_plan_periods(text, start, end):
    assert parse_period(text) == (dt.date(*start), dt.date(*end))


@pytest.mark.parametrize("text", ["全年", "2022年1月", "2022年13月-2022年14月", "一月至三月", "2022-2023-2024"])
def test_unreadable_plan_periods(text):
    with pytest.raises(ParseError, match="^无法识别为起止时间："):
        parse_period(text)


# ---------------------------------------------------------------- labels and text

@pytest.mark.parametrize("typed, key", [
    ("一、 项目 概述：", "项目概述"), ("其中：财政资金", "财政资金"), ("项目资金(元)", "项目资金"),
    ("项目资金（元）:", "项目资金"), ("*项目名称", "项目名称"), ("★项目名称*", "项目名称"),
    ("（一）项目概述", "项目概述"), ("(1)、项目概述", "项目概述"), ("1.项目概述", "项目概述"),
    ("1、项目概述", "项目概述"), ("1)项目概述", "项目概述"), ("①项目概述", "项目概述"),
    ("1.5万元", "1.5万元"), ("项目\u3000名称", "项目名称"), (12, ""), (None, ""),
])
def test_label_keys(typed, key):
    assert norm_label(typed) == key


@pytest.mark.parametrize("value, text", [
    (None, None), ("", None), ("  ", None), (" a ", "a"), (5.0, "5"), (5.5, "5.5"), (0, "0"),
])
def test_clean_text(value, text):
    assert clean_text(value) == text


def test_squash_and_year_header():
    assert squash(" 中共某区委 组织部 ") == "中共某区委组织部" and squash(None) == ""
    assert find_year("(2022 年度)") == 2022 and find_year("（２０２５年度）") == 2025
    assert find_year("2022年") is None and find_year(2022) is None


# ---------------------------------------------------------------- level names

@pytest.mark.parametrize("typed, key", [
    ("产出指标(70分)", "产出指标"), ("数量指标(必填硬性指标)", "数量指标"), ("成本指标(0-20)分", "成本指标"),
    ("(70分)", "(70分)"), ("数量指标", "数量指标"), ("得分", "得分"), ("得分(备注)", "得"),
    ("满意度指 标", "满意度指标"), ("", None), (None, None), ("  ", None),
])
def test_level_keys(typed, key):
    from budget_xls.indicators import level_key

    assert level_key(typed) == key


@pytest.mark.parametrize("typed, levels", [
    (None, (None, None)), ("产出指标", ("产出指标", None)), ("数量指标", ("产出指标", "数量指标")),
    ("满意度指 标", ("满意度指标", None)), ("其他", (None, None)), ("环境效益指标", ("效益指标", "生态效益指标")),
])
def test_classify_level_cells(typed, levels):
    from budget_xls.indicators import classify
    from budget_xls.vocab import FRAMEWORK_2022

    assert classify(typed, FRAMEWORK_2022) == levels


@pytest.mark.parametrize("cur1, cur2, levels", [
    ("数量指标", None, ("产出指标", "数量指标")),           # shifted: a 二级 in the 一级 column
    ("产出指标", "数量指标", ("产出指标", "数量指标")),
    ("产出指标", "自定义", ("产出指标", "自定义")),
    ("产出指标", None, ("产出指标", None)),
    ("实施效果指标", "产出指标", ("产出指标", None)),         # a wider heading over the 一级
    ("自定义一级", "数量指标", ("自定义一级", "数量指标")),
    (None, "数量指标", ("产出指标", "数量指标")),
    ("数量指标", "质量指标", ("产出指标", "数量指标")),
    ("数量指标", "自定义", ("产出指标", "数量指标")),
    ("数量指标", "产出指标", ("产出指标", "数量指标")),
    ("产出指标", "效益指标", ("产出指标", "效益指标")),
    (None, None, (None, None)), ("甲", "乙", ("甲", "乙")), ("甲 ", None, ("甲", None)),
])
def test_resolve_levels(cur1, cur2, levels):
    from budget_xls.indicators import resolve_levels
    from budget_xls.vocab import FRAMEWORK_2022

    assert resolve_levels(cur1, cur2, FRAMEWORK_2022) == levels
