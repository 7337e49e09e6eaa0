"""indicators.parse_value against the normalisation list of issue 4."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_xls.indicators import canonical_level, parse_value
from budget_xls.vocab import FRAMEWORK_2022, FRAMEWORK_2025, framework_for


@pytest.mark.parametrize("raw, operator, number, unit", [
    ("≥90%", "≥", "90", "%"),
    (">=90", "≥", "90", None),
    ("≧90", "≥", "90", None),
    ("＞＝90", "≥", "90", None),
    ("<=5万元", "≤", "5", "万元"),
    ("≦3天", "≤", "3", "天"),
    ("＝100％", "=", "100", "%"),
    ("＞5", ">", "5", None),
    ("＜5次", "<", "5", "次"),
    ("不少于20次", "≥", "20", "次"),
    ("不低于95%", "≥", "95", "%"),
    ("90%以上", "≥", "90", "%"),
    ("不超过1500元/人", "≤", "1500", "元/人"),
    ("不高于3%", "≤", "3", "%"),
    ("30天以内", "≤", "30", "天"),
    ("30天内", "≤", "30", "天"),
    ("=100.00(%)", "=", "100.00", "%"),
    ("≥95（%）", "≥", "95", "%"),
    ("≤１，２００元/人", "≤", "1200", "元/人"),
    ("=1,250,000元", "=", "1250000", "元"),
    ("=1 次", "=", "1", "次"),
    ("≥ 90 %", "≥", "90", "%"),
    ("满意度≥90%", "≥", "90", "%"),
    ("=3.5万元", "=", "3.5", "万元"),
])
def test_quantitative(raw, operator, number, unit):
    v = parse_value(raw)
    assert (v.operator, v.number, v.unit, v.kind) == (operator, Decimal(number), unit, "quantitative")
    assert not v.implied_operator


@pytest.mark.parametrize("raw", ["12", "100%", "３５００册"])
def test_bare_number_is_read_as_equals_and_flagged(raw):
    v = parse_value(raw)
    assert v.operator == "=" and v.implied_operator and v.kind == "quantitative"


@pytest.mark.parametrize("raw", ["规范", "及时", "每人一册", "2022年底前", "12月底前", "2022年11月30日前",
                                 "2022 年度内完成干部工作目标任务", "", None])
def test_qualitative(raw):
    v = parse_value(raw)
    assert v.kind == "qualitative" and v.number is None


@pytest.mark.parametrize("typed, canonical", [
    ("满意度指 标", "满意度指标"),
    ("服务对象满意度 指标", "服务对象满意度指标"),
    ("环境效益指标", "生态效益指标"),
    ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
    ("时效性指标", "时效指标"),
    ("一、产出指标", "产出指标"),
    ("成效指标", "成效指标"),
])
def test_level_aliases(typed, canonical):
    assert canonical_level(typed, FRAMEWORK_2022) == canonical


def test_vocabulary_by_year():
    assert framework_for(2022) is FRAMEWORK_2022 and framework_for(2025) is FRAMEWORK_2025
    assert "成本指标" in FRAMEWORK_2025.required and "成本指标" not in FRAMEWORK_2022.levels
    assert FRAMEWORK_2022.parent_of("成本指标") == "产出指标"


def test_absurd_amounts_are_unreadable_not_a_crash():
    import pytest

    from budget_xls.textnorm import ParseError, parse_amount

    for value in (1e26, "1" + "0" * 30, -1e20):
        with pytest.raises(ParseError):
            parse_amount(value)
    assert parse_amount(999_999_999_999_99.5) is not None
