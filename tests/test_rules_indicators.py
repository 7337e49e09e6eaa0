"""I01–I16: each fires on its case and stays quiet on the near miss; precedence between them."""

from __future__ import annotations

import openpyxl
import pytest

from budget_xls.ingest import read_file as process_file
from tests.test_rules_factory import (
    CLEAN_INDICATORS,
    check,
    check_form,
    clean_spec,
    codes,
    of,
    read,
    spec,
    with_row,
)

INDICATOR_CODES = {f"I{n:02d}" for n in range(1, 17)}


def indicator_codes(findings) -> list[str]:
    return [c for c in codes(findings) if c in INDICATOR_CODES]


def row(findings, cell):
    return sorted(f.code for f in findings if f.cell == cell)


# ---------------------------------------------------------------- I01


def test_i01_level2_under_the_wrong_level1():
    rows = with_row(8, ("效益指标", "质量指标", "党员教育培训覆盖率", "=100%"))
    [i01] = of(check(indicators=rows), "I01")
    assert i01.cell == "C21" and i01.message == "二级指标“质量指标”不属于一级指标“效益指标”（应属于“产出指标”）"


def test_i01_unknown_level1_is_reported_once_for_its_group():
    rows = list(CLEAN_INDICATORS)
    rows[8] = ("成效指标", "社会效益指标", "党员教育培训覆盖率", "=100%")
    findings = check(indicators=rows)
    assert [(f.cell, f.message) for f in of(findings, "I01")] == [
        ("B21", "一级指标“成效指标”不是 2022 年度指标体系中的一级指标")]


def test_i01_unknown_level2_once_on_the_row_that_types_it():
    rows = list(CLEAN_INDICATORS)
    rows[3] = (None, "品质指标", "参训学员结业考核合格率", "≥95%")
    findings = check(indicators=rows)
    assert [(f.cell, f.value) for f in of(findings, "I01")] == [("C16", "品质指标")]


def test_i01_quiet_on_aliases_and_stray_spaces():
    rows = list(CLEAN_INDICATORS)
    rows[8] = ("效益指标", "环境效益指标", "党员教育培训覆盖率", "=100%")
    rows[10] = ("满意度指 标", "社会公众或服务对象满意度指标", "参训党员满意度", "≥90%")
    findings = check(indicators=rows)
    assert of(findings, "I01") == []
    form = read(spec(indicators=rows))
    assert [i.level2 for i in form.indicators][8:] == ["生态效益指标", "可持续影响指标", "服务对象满意度指标"]
    assert form.indicators[10].level1 == "满意度指标"


# ---------------------------------------------------------------- I02 (existing, kept)


def test_i02_missing_satisfaction():
    findings = check(indicators=CLEAN_INDICATORS[:10])
    assert [f.message for f in of(findings, "I02")] == ["缺少“满意度指标”下的绩效指标"]


def test_i02_quiet_on_the_clean_form():
    assert of(check(), "I02") == []


# ---------------------------------------------------------------- I03 and R03


def test_i03_value_missing():
    findings = check(indicators=with_row(1, (None, None, "党员直播授课", None)))
    [i03] = of(findings, "I03")
    assert i03.cell == "E14" and "缺少年度指标值" in i03.message


def test_i03_quiet_on_a_value_cell_that_r03_reports(tmp_path):
    """An indicator value that is a formula without a cached value: R03 only, not also I03."""
    path = tmp_path / "f.xlsx"
    read(clean_spec(), path=path)
    wb = openpyxl.load_workbook(path)
    wb["项目1"]["E14"] = "=2*8&\"次\""  # openpyxl stores no cached value
    wb.save(path)
    form = process_file(path, path.name).forms[0]
    findings = check_form(form)
    assert [(f.code, f.cell) for f in findings if f.cell == "E14"] == [("R03", "E14")]


# ---------------------------------------------------------------- I04, I05, I06


def test_i04_number_without_unit():
    [i04] = of(check(indicators=with_row(1, (None, None, "党员直播授课", "≥16"))), "I04")
    assert i04.cell == "E14" and i04.severity == "warning"


def test_i04_quiet_with_unit_in_brackets_or_spaces():
    rows = with_row(1, (None, None, "党员直播授课", "≥ 16 （次）"))
    assert of(check(indicators=rows), "I04") == []


def test_i05_bare_number_is_info_and_read_as_equals():
    rows = with_row(1, (None, None, "党员直播授课", 16))
    findings = check(indicators=rows)
    assert row(findings, "E14") == ["I04", "I05"]
    assert of(findings, "I05")[0].severity == "info"
    ind = read(spec(indicators=rows)).indicators[1]
    assert (ind.value.operator, ind.value.number, ind.value.implied_operator) == ("=", 16, True)


def test_i05_quiet_on_phrase_operators():
    rows = with_row(1, (None, None, "党员直播授课", "不少于16次"))
    assert of(check(indicators=rows), "I05") == []


def test_i06_rate_without_percent_gets_i06_not_i04():
    rows = with_row(3, (None, "质量指标", "参训学员结业考核合格率", ">=95"))
    findings = check(indicators=rows)
    assert row(findings, "E16") == ["I06"]


def test_i06_percent_above_100():
    rows = with_row(8, ("效益指标", "社会效益指标", "党员教育培训覆盖率", "=120%"))
    [i06] = of(check(indicators=rows), "I06")
    assert "超过 100%" in i06.message


def test_i06_quiet_on_100_percent_and_on_efficiency_words():
    rows = with_row(9, (None, "可持续影响指标", "工作效率提升后的优秀党课入库", "≥3部"))
    assert of(check(indicators=rows), "I06") == []


# ---------------------------------------------------------------- I07


def test_i07_duplicate_name_reported_on_the_second_occurrence():
    rows = list(CLEAN_INDICATORS)
    rows.insert(11, (None, None, "参训党员 满意度", "≥95%"))
    [i07] = of(check(indicators=rows), "I07")
    assert i07.cell == "D24" and "D23" in i07.message


def test_i07_quiet_on_similar_but_different_names():
    rows = list(CLEAN_INDICATORS)
    rows.insert(11, (None, None, "参训党员家属满意度", "≥90%"))
    assert of(check(indicators=rows), "I07") == []


# ---------------------------------------------------------------- I08 and the cascade it prevents


def test_i08_level_name_in_the_name_column_gives_one_finding():
    """The seed's 干部工作 shift: 时效指标 in the 三级 column, the indicator in the value column,
    the next indicator's name in the 二级 column. Two I08, nothing else on those cells."""
    rows = list(CLEAN_INDICATORS)
    rows[5] = (None, None, "时效指标", "2022 年度内完成干部工作目标任务")
    rows[6] = (None, "体检时间为每年 3 至 11 月", None, "及时")
    findings = check(indicators=rows)
    assert [(f.code, f.cell) for f in findings if f.cell and f.cell[1:] in ("18", "19")] == [
        ("I08", "D18"), ("I08", "C19")]
    assert "2022 年度内完成干部工作目标任务" in of(findings, "I08")[0].message
    assert not of(findings, "I16")  # the 时效指标 pushed into the 三级 column still counts


def test_i08_level1_in_the_level2_column():
    """The seed's 宣传与推广 shift: 效益指标 in the 二级 column, 社会效益指标 in the 三级 column."""
    rows = list(CLEAN_INDICATORS)
    rows[8] = (None, "效益指标", "社会效益指标", "提升公务员法律法规政策知晓率")
    findings = check(indicators=rows)
    assert [(f.code, f.cell) for f in findings if f.cell == "D21" or f.cell == "E21" or f.cell == "C21"] == [
        ("I08", "D21")]
    assert indicator_codes(findings) == ["I08"]


def test_i08_quiet_on_an_indicator_named_like_a_bare_alias():
    rows = with_row(10, ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"))
    assert indicator_codes(check(indicators=rows)) == []


# ---------------------------------------------------------------- I09, I10


def test_i09_cost_figure_filed_under_quantity():
    rows = list(CLEAN_INDICATORS)
    rows.insert(3, (None, None, "局级干部体检费 1500 元/人", "规范"))
    findings = check(indicators=rows)
    assert row(findings, "D16") == ["I09"]
    assert of(findings, "I15") == [] and of(findings, "I11") == []


def test_i09_quiet_under_cost():
    rows = with_row(7, (None, "成本指标", "局级干部体检费 1500 元/人", "≤1500元/人"))
    assert of(check(indicators=rows), "I09") == []


def test_i10_cost_with_lower_bound():
    rows = with_row(7, (None, "成本指标", "示范培训班每期成本", "≥80000元/期"))
    [i10] = of(check(indicators=rows), "I10")
    assert i10.cell == "E20"


def test_i10_quiet_on_lower_bound_outside_cost():
    assert of(check(), "I10") == []


# ---------------------------------------------------------------- I11


@pytest.mark.parametrize("name, value", [
    ("参训党员满意度", "满意"),
    ("培训课程评估优良率", "良好"),
    ("示范培训班场次", "较多"),
])
def test_i11_qualitative_value_on_a_rate_or_count(name, value):
    rows = with_row(4, (None, None, name, value))
    assert row(check(indicators=rows), "E17") == ["I11"]


def test_i11_quiet_on_a_satisfaction_survey():
    rows = with_row(4, (None, None, "完成参训党员满意度调查", "形成调查报告"))
    assert of(check(indicators=rows), "I11") == []


# ---------------------------------------------------------------- I12


@pytest.mark.parametrize("name, value, cell", [
    ("党员直播授课", "≥XX次", "E14"),
    ("党员直播授课", "待填", "E14"),
    ("某某培训参训率", "=100%", "D14"),
    ("党员直播授课", "××", "E14"),
])
def test_i12_placeholder(name, value, cell):
    findings = check(indicators=with_row(1, (None, None, name, value)))
    assert [f.cell for f in of(findings, "I12")] == [cell]
    assert indicator_codes(findings) == ["I12"]  # no I04/I05/I11/I15 on a placeholder


def test_i12_quiet_on_words_containing_x():
    rows = with_row(1, (None, None, "Linux 服务器巡检", "≥12次"))
    assert of(check(indicators=rows), "I12") == []


# ---------------------------------------------------------------- I13


def test_i13_timeliness_with_nothing_checkable():
    rows = with_row(5, (None, "时效指标", "各项工作严格按照时间节点圆满完成", "及时"))
    [i13] = of(check(indicators=rows), "I13")
    assert i13.cell == "E18"


def test_i13_quiet_on_a_date_duration_or_rate():
    rows = list(CLEAN_INDICATORS)
    rows[5] = (None, "时效指标", "示范培训班完成时间", "11月底前")
    rows[6] = (None, None, "党课上报时限", "≤30天")
    rows.insert(7, (None, None, "培训通知按时发布", "按季度发布"))
    assert of(check(indicators=rows), "I13") == []


def test_i13_gives_way_to_i11_on_an_on_time_rate():
    rows = with_row(6, (None, None, "党课上报及时率", "及时"))
    assert row(check(indicators=rows), "E19") == ["I11"]


# ---------------------------------------------------------------- I14, I16


def test_i14_no_cost_indicator_in_2022_is_info():
    rows = [r for r in CLEAN_INDICATORS if r[1] != "成本指标"]
    [i14] = of(check(indicators=rows), "I14")
    assert i14.severity == "info" and i14.cell == "B12"


def test_i14_quiet_with_a_cost_indicator():
    assert of(check(), "I14") == []


def test_i16_output_without_timeliness():
    rows = [r for r in CLEAN_INDICATORS if r[1] != "时效指标" and r[2] not in ("优秀党课上报时间",)]
    assert [f.message for f in of(check(indicators=rows), "I16")] == ["产出指标下缺少“时效指标”"]


def test_i16_quiet_when_output_is_missing_altogether():
    findings = check(indicators=CLEAN_INDICATORS[8:])
    assert of(findings, "I16") == [] and [f.message for f in of(findings, "I02")] == ["缺少“产出指标”下的绩效指标"]


# ---------------------------------------------------------------- I15


def test_i15_sentence_as_value():
    rows = with_row(9, (None, "可持续影响指标", "党员教育长效机制", "通过开展培训，持续提升党员教育质量"))
    [i15] = of(check(indicators=rows), "I15")
    assert i15.cell == "E22"


def test_i15_quiet_on_a_short_grade_and_on_a_dated_deadline():
    rows = list(CLEAN_INDICATORS)
    rows[9] = (None, "可持续影响指标", "党员教育长效机制", "健全")
    rows[5] = (None, "时效指标", "示范培训班完成时间", "2022年10月31日前完成验收")
    assert of(check(indicators=rows), "I15") == []


def test_i08_level_name_precheck_holds():
    """``_is_level_name`` skips texts without 标: every level name holds it, and no other character
    normalises (NFKC) to a text holding it."""
    import sys
    import unicodedata

    from budget_xls.rules.indicators import _LEVEL_NAMES

    assert all("标" in name for name in _LEVEL_NAMES)
    assert not [hex(i) for i in range(sys.maxunicode + 1)
                if not 0xD800 <= i <= 0xDFFF and chr(i) != "标" and "标" in unicodedata.normalize("NFKC", chr(i))]
