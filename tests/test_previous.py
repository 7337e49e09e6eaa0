"""consolidate --previous (issue 16): last year's run read back, the comparison, the P rules,
上年对比, the JSON key, and budget_xls.frames()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from budget_xls.api import load_previous
from budget_xls.cli import main
from budget_xls.compare import comparison_entry
from budget_xls.outputs import write_outputs
from budget_xls.pipeline import RunOptions, consolidate
from tests.previous_years import build_year

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("prev")
    last = consolidate(build_year(base / "2022", 2022), RunOptions(jobs=1))
    write_outputs(last, base / "out22" / "汇总.xlsx", base / "out22" / "汇总.json")
    return {"base": base, "xlsx": base / "out22" / "汇总.xlsx", "json": base / "out22" / "汇总.json",
            "2023": build_year(base / "2023", 2023), "same": build_year(base / "same", 2023, unchanged=True),
            "2021": build_year(base / "2021", 2021)}


def _run(folder: Path, *previous: Path):
    return consolidate(folder, RunOptions(jobs=1, previous=load_previous(previous, jobs=1)))


def _p(result) -> list[tuple[str, str, str | None]]:
    return sorted((f.code, f.project, f.cell) for f in result.findings if f.code.startswith("P"))


def test_each_p_rule_fires_on_the_project_it_names(years):
    result = _run(years["2023"], years["xlsx"])
    found = _p(result)
    assert ("P01", "党建工作", "E17") in found  # 《发展党员工作手册》 =4000 → =3000
    assert [f for f in found if f[0] == "P01"] == [("P01", "党建工作", "E17")]  # 人才宣讲 ≥20 → ≥25 is raised: quiet
    assert [f[1] for f in found if f[0] == "P02"] == ["党建工作"]
    assert [f[1] for f in found if f[0] == "P03"] == ["干部工作"]
    assert [f[1] for f in found if f[0] == "P04"] == ["网络信息系统开发、升级、建设（历年已批复）"]  # not 青年干部培养
    assert not [f for f in found if f[0] == "P05"]  # one previous year only


def test_an_unchanged_copy_is_quiet(years):
    assert _p(_run(years["same"], years["xlsx"])) == []


def test_third_identical_year_needs_two_previous_runs(years):
    found = _p(_run(years["2023"], years["2021"], years["xlsx"]))  # given in any order: sorted by year
    p05 = [f for f in found if f[0] == "P05"]
    assert ("P05", "党建工作", "E13") in p05  # ≥2 in 2021, 2022 and 2023
    assert not [f for f in p05 if f[1] == "干部工作" and f[2] == "E13"]  # =100% is at its ceiling


def test_comparison_is_the_same_from_the_workbook_the_json_and_the_folder(years):
    entries = [comparison_entry(_run(years["2023"], src).comparison) for src in
               (years["xlsx"], years["json"], years["base"] / "2022")]
    for e in entries:
        e["previous"] = None  # the sources differ by name only
    assert entries[0] == entries[1] == entries[2]
    statuses = {p["name"]: p["status"] for p in entries[0]["projects"]}
    assert statuses["宣传与推广"] == "未再申报" and statuses["青年干部培养"] == "新增" and statuses["党建工作"] == "延续"
    ganbu = next(p for p in entries[0]["projects"] if p["name"] == "干部工作")
    assert ganbu["annual_change"] == 2026578 and ganbu["annual_change_pct"] == 40


def test_workbook_and_json_carry_the_comparison(years, tmp_path):
    result = _run(years["2023"], years["xlsx"])
    write_outputs(result, tmp_path / "o.xlsx", tmp_path / "o.json")
    report = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert {"files", "projects", "findings", "roster", "comparison"} <= set(report)
    changes = {(c["name"], c["direction"]) for c in report["comparison"]["indicators"]}
    assert ("制作发放《发展党员工作手册》", "要求降低") in changes and ("人才宣讲活动", "要求提高") in changes
    wb = openpyxl.load_workbook(tmp_path / "o.xlsx")
    ws = wb["上年对比"]
    assert ws["B1"].value == "状态" and ws.max_row > len(report["comparison"]["projects"]) + 3
    row = next(r for r in range(2, 10) if ws.cell(r, 4).value == "干部工作")
    assert ws.cell(row, 10).value.startswith("=IF(")  # 增减 as a live formula
    summary = [c.value for r in wb["汇总"].iter_rows() for c in r]
    assert any(isinstance(v, str) and v.startswith("与上年对比") for v in summary)


def test_without_previous_nothing_changes(years, tmp_path):
    result = consolidate(years["2023"], RunOptions(jobs=1))
    write_outputs(result, tmp_path / "o.xlsx", tmp_path / "o.json")
    assert "comparison" not in json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert "上年对比" not in openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames
    assert not [f for f in result.findings if f.code.startswith("P")]


def test_frames_from_the_workbook_equal_frames_from_the_json(years, tmp_path):
    import budget_xls

    result = _run(years["2023"], years["xlsx"])
    write_outputs(result, tmp_path / "o.xlsx", tmp_path / "o.json")
    a, b, c = (budget_xls.frames(s) for s in (tmp_path / "o.xlsx", tmp_path / "o.json", result))
    for name in a:
        assert a[name] is not None and a[name].equals(b[name]) and a[name].equals(c[name]), name
    assert len(a.projects) == 6 and len(a.comparison) == 7
    from decimal import Decimal
    import datetime as dt

    assert a.projects.loc[a.projects.name == "干部工作", "annual"].item() == Decimal("7093024.00")
    assert isinstance(a.projects.start[0], dt.date)
    assert a.projects.groupby("implementer")["annual"].sum().iloc[0] == sum(a.projects.annual)


def test_cli_previous_and_bad_previous(years, tmp_path):
    out = tmp_path / "o.xlsx"
    r = CliRunner().invoke(main, ["consolidate", str(years["2023"]), "-o", str(out), "-q",
                                  "--previous", str(years["json"]), "--change-threshold", "50"])
    assert r.exit_code in (0, 1), r.output
    codes = {f["code"] for f in json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["findings"]}
    assert "P01" in codes and "P03" not in codes  # +40 % is within ±50 %
    r = CliRunner().invoke(main, ["consolidate", str(years["2023"]), "-o", str(out), "--previous",
                                  str(tmp_path / "nowhere.xlsx")])
    assert r.exit_code == 2 and "找不到上年" in r.output
    foreign = tmp_path / "foreign.xlsx"
    openpyxl.Workbook().save(foreign)
    r = CliRunner().invoke(main, ["consolidate", str(years["2023"]), "-o", str(out), "--previous", str(foreign)])
    assert r.exit_code == 2 and "不是 budget-xls 生成的汇总工作簿" in r.output


@pytest.mark.parametrize("argv", [["check", "examples/组织科.xlsx"],
                                  ["consolidate", "examples/", "-q", "-o", "{tmp}/o.xlsx"]])
def test_pandas_is_not_imported_without_previous(argv, tmp_path):
    code = ("import sys, runpy\nsys.argv = ['budget-xls'] + %r\n"
            "try:\n    from budget_xls.cli import main; main()\nexcept SystemExit:\n    pass\n"
            "print('pandas' in sys.modules)") % [a.replace("{tmp}", str(tmp_path)) for a in argv]
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr
