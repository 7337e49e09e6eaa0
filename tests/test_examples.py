"""The bundled examples: the seed's six projects, read to the seed's values."""

from __future__ import annotations

from decimal import Decimal

from budget_xls.pipeline import RunOptions, consolidate
from tests import seed_data
from tests.conftest import EXAMPLES

SEED_TOTALS = {
    "党建工作": 3792000,
    "干部工作": 5066446,
    "人才工作": 308000,
    "宣传与推广": 702650,
    "网络信息系统运行与维护": 218862,
    "网络信息系统开发、升级、建设（历年已批复）": 90000,
}


def run():
    return consolidate(EXAMPLES, RunOptions())


def test_all_six_projects_with_seed_amounts():
    result = run()
    assert result.year == 2022
    by_name = {p.name: p for p in result.projects}
    assert set(by_name) == set(SEED_TOTALS)
    for name, total in SEED_TOTALS.items():
        form = by_name[name]
        assert form.amount("total") == Decimal(total)
        assert form.amount("annual") == Decimal(total)
    kaifa = by_name["网络信息系统开发、升级、建设（历年已批复）"]
    assert kaifa.amount("carryover") == Decimal(90000)
    assert kaifa.amount("appropriation") == Decimal(0)


def test_every_indicator_of_the_seed_is_read():
    by_name = {p.name: p for p in run().projects}
    for project in seed_data.ALL_PROJECTS:
        form = by_name[project["fields"]["name"]]
        assert len(form.indicators) == len(project["indicators"]), form.name
        typed = [str(row[3]) if row[3] is not None else None for row in project["indicators"]]
        assert [i.raw for i in form.indicators] == typed


def test_every_layout_is_read_to_the_same_fields():
    """Template, official export and .xls all give the transcribed values."""
    by_name = {p.name: p for p in run().projects}
    for project in seed_data.ALL_PROJECTS:
        form = by_name[project["fields"]["name"]]
        f = project["fields"]
        assert form.get("category").value == f["category"]
        assert form.get("implementer").value == f["implementer"]
        assert form.get("supervisor").value == f["supervisor"]
        assert str(form.date("start")) == "2022-01-01" and str(form.date("end")) == "2022-12-31"
        assert form.get("goal_year").value == f["goal_year"].strip()
        assert form.narrative["implementer"].value == project["narrative"]["implementer"]


def test_empty_supervisor_of_dangjian_and_ganbu_is_reported():
    result = run()
    s01 = {(f.project, f.cell) for f in result.findings if f.code == "S01" and "主管部门" in f.message}
    assert ("党建工作", "B4") in s01
    assert ("干部工作", "B4") in s01
