"""What the catalogue must report on the bundled examples (the seed's six projects)."""

from __future__ import annotations

import pytest

from budget_xls.pipeline import RunOptions, consolidate
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def result():
    return consolidate(EXAMPLES, RunOptions())


def hits(result, code, project=None):
    return [f for f in result.findings if f.code == code and (project is None or f.project == project)]


def test_m05_for_dangjian_sub_items(result):
    [m05] = hits(result, "M05", "党建工作")
    assert "394.7 万元" in m05.message and "379.2 万元" in m05.message


def test_s01_supervisor_for_dangjian_and_ganbu(result):
    s01 = {f.project for f in hits(result, "S01") if "主管部门" in f.message}
    assert s01 == {"党建工作", "干部工作"}


def test_shifted_rows_are_reported_once_each(result):
    shifted = [f for f in result.findings if f.code in ("I03", "I08")]
    texts = " ".join(f.message for f in shifted)
    assert "提升公务员法律法规政策知晓率" in texts
    assert "2022 年度内完成干部工作目标任务" in texts
    # No cascade: no I01 anywhere (every level name is valid once the shift is accounted for).
    assert hits(result, "I01") == []


def test_unit_less_values(result):
    by_value = {}
    for f in result.findings:
        if f.code in ("I04", "I06"):
            by_value.setdefault((f.project, f.value), set()).add(f.code)
    expected = {
        ("党建工作", "≥2"): {"I04"}, ("党建工作", "=3500"): {"I04"}, ("党建工作", "=4000"): {"I04"},
        ("人才工作", "≥20"): {"I04"}, ("人才工作", "=100"): {"I04"}, ("人才工作", "≥90"): {"I06"},
        ("干部工作", "=100"): {"I06"}, ("干部工作", ">=90"): {"I06"}, ("宣传与推广", "12"): {"I04"},
    }
    assert by_value == expected


def test_i05_for_bare_12(result):
    [i05] = hits(result, "I05")
    assert i05.project == "宣传与推广" and i05.value == "12"


def test_ascii_operator_normalised(result):
    ganbu = next(p for p in result.projects if p.name == "干部工作")
    ind = next(i for i in ganbu.indicators if i.raw == ">=90")
    assert (ind.value.operator, ind.value.number, ind.value.unit) == ("≥", 90, None)


def test_misfiled_cost_and_level_aliases(result):
    assert {f.value for f in hits(result, "I09", "干部工作")} == {"局级干部体检费 1500 元/人", "处级干部体检费 3200 元/人"}
    yunwei = next(p for p in result.projects if p.name == "网络信息系统运行与维护")
    assert (yunwei.indicators[-1].level1, yunwei.indicators[-1].level2) == ("满意度指标", "服务对象满意度指标")


def test_no_cost_indicator_hint_for_every_project(result):
    assert len(hits(result, "I14")) == 6 and all(f.severity == "info" for f in hits(result, "I14"))
