"""Exit codes and the JSON report, through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook
from tests import seed_data
from tests.conftest import load_report


def clean_workbook(path: Path) -> Path:
    """A correctly filled form: no errors expected."""
    p = seed_data.project_spec(seed_data.KAIFA)
    return write_workbook(path, WorkbookSpec(year=2022, cover={"填报单位": "信息网络科"}, projects=[p]))


def test_exit_1_when_errors_and_json_report(examples_copy, tmp_path, run_cli):
    out = tmp_path / "out" / "汇总.xlsx"
    result = run_cli("consolidate", examples_copy, "-o", out)
    assert result.exit_code == 1, result.output
    assert out.exists()
    report = load_report(out.with_suffix(".json"))
    assert report["tool"] == "budget-xls" and report["year"] == 2022
    assert len(report["projects"]) == 6
    assert {f["status"] for f in report["files"]} == {"ok"}
    assert all(len(f["sha256"]) == 64 for f in report["files"])
    dangjian = next(p for p in report["projects"] if p["name"] == "党建工作")
    assert dangjian["funds"]["total"] == 3792000 and dangjian["supervisor"] is None
    assert dangjian["indicators"][0] == {
        "level1": "产出指标", "level2": "数量指标", "name": "开展重点领域党建工作重要活动等", "raw": "≥2",
        "operator": "≥", "value": 2, "unit": None, "kind": "quantitative", "cell": "E13"}
    assert any(f["code"] == "S01" and f["project"] == "党建工作" for f in report["findings"])


def test_exit_0_when_clean(tmp_path, run_cli):
    inbox = tmp_path / "inbox"
    clean_workbook(inbox / "a.xlsx")
    result = run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx", "--report-json", tmp_path / "r.json")
    report = load_report(tmp_path / "r.json")
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    assert result.exit_code == 0, result.output


def test_exit_2_missing_folder(tmp_path, run_cli):
    result = run_cli("consolidate", tmp_path / "nope")
    assert result.exit_code == 2
    assert "找不到文件夹" in result.stderr


def test_exit_2_no_year_anywhere(tmp_path, run_cli):
    inbox = tmp_path / "inbox"
    spec = WorkbookSpec(year=2022, projects=[ProjectSpec(sheet="项目1", fields={"name": "x"})])
    path = write_workbook(inbox / "a.xlsx", spec)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["项目1"]["A2"] = "（年度）"
    wb.save(path)
    result = run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2
    assert "--year" in result.stderr
    assert run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx", "--year", "2022").exit_code == 1


def test_exit_2_usage_error(run_cli):
    assert run_cli("consolidate").exit_code == 2
    assert run_cli("consolidate", ".", "--ignore", "ZZ9").exit_code == 2


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0 and "budget-xls" in result.output


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "budget_xls", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "budget-xls" in out.stdout


def test_usage_errors_and_help_speak_chinese(run_cli):
    missing = run_cli("consolidate")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("用法错误：") and "budget-xls consolidate -h" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    unknown = run_cli("consolidate", ".", "--bogus")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("用法错误：")
    for args in (["-h"], ["consolidate", "-h"], ["check", "--help"]):
        shown = run_cli(*args)
        assert shown.exit_code == 0 and "显示本帮助并退出。" in shown.stdout
    assert "显示版本号并退出。" in run_cli("--help").stdout


def test_the_program_flushes_its_summary_and_keeps_its_exit_code(examples_copy, tmp_path):
    """``python -m budget_xls`` (and the console script) leave through ``cli.run``, which skips
    the interpreter's teardown: the summary must still arrive and the exit code stay 0/1/2."""
    import subprocess
    import sys

    out = tmp_path / "out" / "o.xlsx"
    done = subprocess.run([sys.executable, "-m", "budget_xls", "consolidate", str(examples_copy), "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 1  # the seed's defects are errors
    assert "汇总工作簿" in done.stdout and out.exists() and out.with_suffix(".json").exists()
    missing = subprocess.run([sys.executable, "-m", "budget_xls", "consolidate", str(tmp_path / "nope")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and missing.stderr.startswith("错误：")


@pytest.mark.parametrize("raised, code, said", [(SystemExit(None), 0, ""), (SystemExit(1), 1, ""),
                                                (SystemExit(2), 2, ""), (SystemExit("停止"), 1, "停止\n")])
def test_run_turns_every_exit_into_a_process_exit_code(monkeypatch, capsys, raised, code, said):
    from budget_xls import cli

    def fake_main():
        raise raised

    left = []
    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(cli.os, "_exit", left.append)
    cli.run()
    assert left == [code] and capsys.readouterr().err == said
