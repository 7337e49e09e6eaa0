"""Every rule code fires on its case and stays quiet on the near miss, through real workbooks.

``CASES`` holds one (fire, quiet) pair per code; each builds the workbook(s) the rule
reads and returns the run's findings. The registry test fails when a code has no pair,
so a new rule cannot land untested (and this file cannot vouch for a code by naming it:
the pair is run). Finer boundary tests of each family live in tests/test_rules_*.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from budget_xls.ingest import read_file
from budget_xls.model import Finding, Roster
from budget_xls.pipeline import RunOptions, consolidate
from budget_xls.rules import REGISTRY, check_file
from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook
from tests.test_rules_factory import CLEAN_FIELDS, CLEAN_INDICATORS, check, clean_spec, spec, with_row

# A project over two years: its total (two years' money) above this year's request.
MULTI_YEAR = dict(total=1244000, fiscal=1244000, end=dt.date(2023, 12, 31))

Case = Callable[[], list[Finding]]


def _tmp() -> Path:
    return Path(tempfile.mkdtemp(prefix="bx-cat-"))


def _book(path: Path, *projects: ProjectSpec, year: int = 2022, cover: dict | None = None) -> Path:
    write_workbook(path, WorkbookSpec(year=year, projects=list(projects), cover=cover or {}))
    return path


def _file(path: Path) -> list[Finding]:
    return check_file(read_file(path, path.name))


def _run(folder: Path, **options) -> list[Finding]:
    try:
        return consolidate(folder, RunOptions(jobs=1, **options)).findings
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _named(sheet: str, **fields) -> ProjectSpec:
    s = clean_spec(sheet)
    s.fields.update(fields)
    return s


# ---------------------------------------------------------------- file and run scope


def r01_fire():
    p = _tmp() / "a.xlsx"
    p.write_bytes(b"%PDF-1.4 not a workbook")
    return _file(p)


def r01_quiet():
    return _file(_book(_tmp() / "a.xlsx", clean_spec()))


def r02_fire():
    p = _tmp() / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "填表说明"
    wb.save(p)
    return _file(p)


def r03_fire():
    from tests.test_hostile import add_cell  # noqa: F401  (keeps the hostile helpers importable)

    p = _tmp() / "a.xlsx"
    _book(p, clean_spec())
    wb = openpyxl.load_workbook(p)
    ws = wb[wb.sheetnames[-2]] if "项目1" not in wb.sheetnames else wb["项目1"]
    ws["C6"] = "=C7+C9"  # 项目资金总额 as a formula openpyxl saves without a cached value
    wb.save(p)
    return [f for f in read_and_check(p)]


def read_and_check(path: Path) -> list[Finding]:
    from budget_xls.rules import Context, check_project

    result = read_file(path, path.name)
    return [f for form in result.forms for f in check_project(form, Context.for_year(2022))]


def r04_fire():
    d = _tmp()
    _book(d / "a.xlsx", _named("甲", name="甲项目"))
    _book(d / "b.xlsx", _named("乙", name="乙项目"))
    _book(d / "c.xlsx", _named("丙", name="丙项目"), year=2021)
    return _run(d)


def r04_quiet():
    d = _tmp()
    _book(d / "a.xlsx", _named("甲", name="甲项目"))
    _book(d / "b.xlsx", _named("乙", name="乙项目"))
    return _run(d)


def r05_fire():
    p = _book(_tmp() / "a.xlsx", clean_spec())
    wb = openpyxl.load_workbook(p)
    wb.defined_names["模板版本"].attr_text = '"BXT-9"'
    wb.save(p)
    return _file(p)


def r06_fire():
    """A sheet titled as a form whose indicator header row was deleted."""
    p = _tmp() / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "党建工作"
    ws["A1"] = "项目支出绩效目标申报表"
    ws["A2"], ws["B2"] = "项目名称", "党建工作"
    ws["A3"], ws["B3"] = "主管部门", "中共上海市松江区委组织部"
    ws["B5"], ws["C5"], ws["D5"] = "产出指标", "数量指标", "≥2"
    wb.save(p)
    return _file(p)


def r07_fire():
    d = _tmp()
    _book(d / "组织科.xlsx", clean_spec())
    (d / "干部科.pdf").write_bytes(b"%PDF-1.4")
    return _run(d)


def r07_quiet():
    d = _tmp()
    _book(d / "组织科.xlsx", clean_spec())
    (d / "readme.txt").write_text("说明", encoding="utf-8")  # not a submission: listed, no finding
    return _run(d)


def excel_error_book(error: str = "#REF!") -> Path:
    """A clean form whose 项目资金总额 cell holds a formula whose cached value is an Excel error,
    as Excel/WPS/LibreOffice save it after the rows it summed were deleted."""
    import re

    from budget_xls import fields as ft
    from budget_xls.model import a1
    from tests.test_hostile import edit_zip, project_part

    src = _book(_tmp() / "src.xlsx", clean_spec())
    ref = a1(*next(spec.cell for spec in ft.table() if spec.key == "total")).encode()
    part = project_part(src)
    cell = b'<c r="%s" t="e"><f>SUM(#REF!)</f><v>%s</v></c>' % (ref, error.encode())

    def edit(name, data):
        if name != part:
            return data
        pattern = rb'<c r="%s"(?:[^>]*/>|[^>]*>.*?</c>)' % ref
        assert re.search(pattern, data, re.S)
        return re.sub(pattern, lambda m: cell, data, count=1, flags=re.S)

    return edit_zip(src, src.with_name("a.xlsx"), edit)


def r09_fire():
    return read_and_check(excel_error_book())


def r08_fire():
    """A sub-unit corrected its annotated copy and sent the copy back."""
    from budget_xls.api import annotate, check as check_files

    src = _tmp()
    _book(src / "组织科.xlsx", _named("项目1", supervisor=None))
    fb = _tmp()
    annotate(check_files([src / "组织科.xlsx"], jobs=1), fb)
    inbox = _tmp()
    shutil.copy(fb / "组织科.xlsx", inbox / "组织科.xlsx")
    return _run(inbox)


def x01_fire():
    d = _tmp()
    _book(d / "a.xlsx", clean_spec())
    _book(d / "b.xlsx", clean_spec())
    wb = openpyxl.load_workbook(d / "b.xlsx")
    wb["封面"]["B3"] = "另一份"  # different bytes, same project
    wb.save(d / "b.xlsx")
    return _run(d)


def x01_quiet():
    d = _tmp()
    _book(d / "a.xlsx", _named("甲", name="甲项目"))
    _book(d / "b.xlsx", _named("乙", name="乙项目"))
    return _run(d)


def x02_fire():
    d = _tmp()
    _book(d / "组织科.xlsx", clean_spec(), cover={"填报单位": "组织科"})
    return _run(d, roster=Roster("名单.txt", ("组织科", "老干部科")))


def x02_quiet():
    d = _tmp()
    _book(d / "组织科.xlsx", clean_spec(), cover={"填报单位": "组织科"})
    return _run(d, roster=Roster("名单.txt", ("组织科",)))


def x03_fire():
    d = _tmp()
    _book(d / "a.xlsx", clean_spec())
    shutil.copy(d / "a.xlsx", d / "b.xlsx")
    return _run(d)


# ---------------------------------------------------------------- against last year (--previous)

_PREVIOUS: dict[tuple, list[Finding]] = {}


def _against(unchanged: bool = False, years: int = 1) -> list[Finding]:
    """The seed department's 2023 filing (tests/previous_years.py) against its 2022 run
    (read back from the 2022 workbook) and, with ``years=2``, the 2021 folder as well."""
    from budget_xls.api import load_previous
    from budget_xls.outputs import write_outputs
    from tests.previous_years import build_year

    key = (unchanged, years)
    if key not in _PREVIOUS:
        base = _tmp()
        last = consolidate(build_year(base / "2022", 2022), RunOptions(jobs=1))
        write_outputs(last, base / "out" / "2022.xlsx", base / "out" / "2022.json")
        sources = [base / "out" / "2022.xlsx"] + ([build_year(base / "2021", 2021)] if years > 1 else [])
        this = build_year(base / "2023", 2023, unchanged=unchanged)
        _PREVIOUS[key] = consolidate(this, RunOptions(jobs=1, previous=load_previous(sources, jobs=1))).findings
        shutil.rmtree(base, ignore_errors=True)
    return _PREVIOUS[key]


# ---------------------------------------------------------------- project scope

CLEAN: Case = check  # the realistic clean form: no rule but the hints fires on it

def r10_case(hidden_name: str):
    """A 项目名称 in a hidden row above the visible one (tests/test_hidden_and_excel95.py)."""
    from tests.test_hidden_and_excel95 import hidden_name_book

    return lambda: read_and_check(hidden_name_book(_tmp() / "a.xlsx", hidden_name=hidden_name))


def r11_fire():
    from tests.test_hidden_and_excel95 import hidden_sheets_book

    return _file(hidden_sheets_book(_tmp() / "a.xlsx"))


def r11_quiet():
    from tests.official_layout import write_official
    from tests.seed_data import YUNWEI

    return _file(write_official(_tmp() / "a.xlsx", YUNWEI))


CASES: dict[str, tuple[Case, Case]] = {
    "R01": (r01_fire, r01_quiet),
    "R02": (r02_fire, r01_quiet),
    "R03": (r03_fire, lambda: read_and_check(_book(_tmp() / "a.xlsx", clean_spec()))),
    "R04": (r04_fire, r04_quiet),
    "R05": (r05_fire, r01_quiet),
    "R06": (r06_fire, r01_quiet),
    "R07": (r07_fire, r07_quiet),
    "R08": (r08_fire, x01_quiet),
    "R09": (r09_fire, lambda: read_and_check(_book(_tmp() / "a.xlsx", clean_spec()))),
    "R10": (r10_case("旧项目名称（作废）"), r10_case("网络信息系统运行与维护")),
    "R11": (r11_fire, r11_quiet),
    "S01": (lambda: check(fields=dict(supervisor=None)), CLEAN),
    "S02": (lambda: check(fields=dict(category="常规项目")), CLEAN),
    "S03": (lambda: check(fields=dict(total="约380万")), lambda: check(fields=dict(total="622,000.00"))),
    "S04": (lambda: check(fields=dict(implementer="XX科")), CLEAN),
    "M01": (lambda: check(fields=dict(total=622001)), lambda: check(fields=dict(total=622000, fiscal=600000,
                                                                                  other=22000))),
    "M02": (lambda: check(fields=dict(carryover=50001)), lambda: check(fields=dict(appropriation=622000,
                                                                                     carryover=0))),
    "M03": (lambda: check(fields=dict(total=600000, fiscal=600000)),
            lambda: check(fields=dict(annual=622000, total=622000))),
    "M04": (lambda: check(fields=dict(total=900000, fiscal=900000)),
            lambda: check(fields=dict(total=900000, fiscal=900000, start=dt.date(2021, 1, 1)), year=2022)),
    "M05": (lambda: check(narrative=dict(overview="经测算，预算总资金约为65万元。", budget="（具体见表格）")), CLEAN),
    "M06": (lambda: check(fields=dict(other=-5, fiscal=622005)), CLEAN),
    "M07": (lambda: check(budget=[("培训班", "每期", 80000, 4, 300000)]), CLEAN),
    "M08": (lambda: check(budget=[]), CLEAN),
    "M09": (lambda: check(fields=dict(total=62.2, fiscal=62.2, annual=62.2, appropriation=12.2, carryover=50),
                          budget=[]),
            lambda: check(narrative=dict(overview="经测算，预算总资金0.5万元。", budget="（具体见表格）"),
                          fields=dict(total=5000, fiscal=5000, annual=5000, appropriation=5000, carryover=0),
                          budget=[])),
    "D01": (lambda: check(fields=dict(end=dt.date(2023, 1, 31))), CLEAN),
    "D02": (lambda: check(fields=dict(start=dt.date(2022, 12, 31), end=dt.date(2022, 1, 1))), CLEAN),
    "D03": (lambda: check(fields=dict(goal_year="拟于2023年3月底前完成验收。")),
            lambda: check(fields=dict(goal_year="拟于2022年12月31日前完成验收。"))),
    "D04": (lambda: check(fields=dict(goal_year="拟于9月31日前完成。")),
            lambda: check(fields=dict(goal_year="拟于9月30日前完成。"))),
    "I01": (lambda: check(indicators=with_row(8, ("效益指标", "数量指标", "党员教育培训覆盖率", "=100%"))), CLEAN),
    "I02": (lambda: check(indicators=CLEAN_INDICATORS[:8]), CLEAN),
    "I03": (lambda: check(indicators=with_row(1, (None, None, "党员直播授课", None))), CLEAN),
    "I04": (lambda: check(indicators=with_row(1, (None, None, "党员直播授课", "≥16"))), CLEAN),
    "I05": (lambda: check(indicators=with_row(1, (None, None, "党员直播授课", "16次"))), CLEAN),
    "I06": (lambda: check(indicators=with_row(3, (None, "质量指标", "参训学员结业考核合格率", "≥95"))), CLEAN),
    "I07": (lambda: check(indicators=with_row(2, (None, None, "党员直播授课", "≥10部"))), CLEAN),
    "I08": (lambda: check(indicators=with_row(5, (None, None, "时效指标", "2022 年度内完成工作目标任务"))), CLEAN),
    "I09": (lambda: check(indicators=with_row(1, (None, None, "局级干部体检费 1500 元/人", "规范"))), CLEAN),
    "I10": (lambda: check(indicators=with_row(7, (None, "成本指标", "示范培训班每期成本", "≥80000元/期"))), CLEAN),
    "I11": (lambda: check(indicators=with_row(4, (None, None, "培训课程评估优良率", "好"))), CLEAN),
    "I12": (lambda: check(indicators=with_row(1, (None, None, "党员直播授课", "≥XX次"))), CLEAN),
    "I13": (lambda: check(indicators=with_row(5, (None, "时效指标", "示范培训班按时举办", "及时"))), CLEAN),
    "I14": (lambda: check(indicators=[r for r in CLEAN_INDICATORS if r[1] != "成本指标"]), CLEAN),
    "I15": (lambda: check(indicators=with_row(3, (None, "质量指标", "培训质量", "通过开展培训，提升干部能力"))), CLEAN),
    "I16": (lambda: check(indicators=[r for r in CLEAN_INDICATORS if r[2] not in ("示范培训班完成时间",
                                                                                  "优秀党课上报时间")]), CLEAN),
    "Q01": (lambda: check(indicators=[(a, b, c, "达到预期") if i < 5 else (a, b, c, d)
                                      for i, (a, b, c, d) in enumerate(CLEAN_INDICATORS)]), CLEAN),
    "Q02": (lambda: check(indicators=with_row(9, (None, "可持续影响指标", "优秀党课纳入市级资源库", "进一步提升"))), CLEAN),
    "G01": (lambda: check(fields=dict(MULTI_YEAR, goal_year=CLEAN_FIELDS["goal_total"])),
            lambda: check(fields=MULTI_YEAR)),
    "C01": (lambda: check(indicators=with_row(7, (None, "成本指标", "项目总成本", "≤80万元"))),
            lambda: check(indicators=with_row(7, (None, "成本指标", "项目总成本", "≤62.2万元")))),
    "C02": (lambda: check(indicators=with_row(7, (None, "成本指标", "示范培训班每期成本", "≤200000元/期"))), CLEAN),
    "X01": (x01_fire, x01_quiet),
    "X02": (x02_fire, x02_quiet),
    "X03": (x03_fire, x01_quiet),
    "P01": (_against, lambda: _against(unchanged=True)),
    "P02": (_against, lambda: _against(unchanged=True)),
    "P03": (_against, lambda: _against(unchanged=True)),
    "P04": (_against, lambda: _against(unchanged=True)),
    "P05": (lambda: _against(years=2), _against),
}


def test_every_registered_code_has_a_fire_and_a_quiet_case():
    assert sorted(REGISTRY) == sorted(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_fires(code):
    fire, _ = CASES[code]
    hits = [f for f in fire() if f.code == code]
    assert hits, f"{code} did not fire on its case"
    assert all(h.severity == REGISTRY[code].severity for h in hits)
    assert all(h.message and "?" not in h.message for h in hits), [h.message for h in hits]


@pytest.mark.parametrize("code", sorted(CASES))
def test_quiet(code):
    _, quiet = CASES[code]
    findings = quiet()
    assert findings is not None
    assert [f for f in findings if f.code == code] == []


def test_every_code_is_explained_in_chinese():
    """`budget-xls rules CODE` and docs/rules.md explain every code in Chinese, with an example
    filling every placeholder of its message and hint."""
    import string

    from budget_xls.rules import explain
    from budget_xls.rules.texts import TEXTS

    assert sorted(TEXTS) == sorted(REGISTRY)
    for code, r in REGISTRY.items():
        needed = {n for _, n, _, _ in string.Formatter().parse(r.message + r.hint) if n}
        assert needed <= set(TEXTS[code]["example"]), code
        for heading, text in explain(code):
            assert text and "{" not in text and "?" not in text, (code, heading, text)
