"""`budget-xls check`: the sub-unit's own pre-submission check, through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from budget_xls.pipeline import RunOptions, check_paths
from budget_xls.rules import SEVERITY_CN
from tests.conftest import EXAMPLES
from tests.test_cli import clean_workbook


def test_check_workbook_with_errors_exits_1_and_prints_every_finding_with_its_cell(tmp_path, run_cli):
    path = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    expected = check_paths([Path(path)], RunOptions()).findings
    assert any(f.severity == "error" for f in expected)  # the seed's 党建工作 has no 主管部门

    result = run_cli("check", path)

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("组织科.xlsx：错误 ")
    for f in expected:
        line = next((x for x in lines if f"{f.code}  {f.message}" in x), None)
        assert line is not None, f"{f.code} {f.message} not printed"
        assert line.split()[0] == f.cell and SEVERITY_CN[f.severity] in line
        if f.hint:
            assert any(x.strip() == f"修改建议：{f.hint}" for x in lines)
    sheet_header = lines.index("  工作表「党建工作」")
    s01 = next(i for i, x in enumerate(lines) if "S01" in x)
    assert sheet_header < s01
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal
    assert lines[-1].startswith("合计：1 个文件，错误 ")


def test_check_colours_only_on_a_terminal(tmp_path):
    from click.testing import CliRunner

    from budget_xls.cli import main

    path = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    coloured = CliRunner().invoke(main, ["check", str(path)], color=True)
    assert coloured.exit_code == 1
    assert "\x1b[31m\x1b[1m错误" in coloured.stdout


def test_check_clean_workbook_exits_0(tmp_path, run_cli):
    path = clean_workbook(tmp_path / "信息网络科.xlsx")
    result = run_cli("check", path)
    errors = [f for f in check_paths([path], RunOptions()).findings if f.severity == "error"]
    assert errors == []
    assert result.exit_code == 0, result.output
    assert "错误 0 条" in result.stdout


def test_check_missing_file_exits_2_with_one_chinese_line(tmp_path, run_cli):
    result = run_cli("check", tmp_path / "没有这个文件.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"错误：找不到文件：{tmp_path / '没有这个文件.xlsx'}"]
    assert run_cli("check").exit_code == 2  # no FILE: usage error
    assert run_cli("check", tmp_path).exit_code == 2  # a folder is not a file


def test_check_ignore_drops_the_code(tmp_path, run_cli):
    path = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    kept = run_cli("check", path)
    assert kept.exit_code == 1 and "S01" in kept.stdout
    result = run_cli("check", path, "--ignore", "S01")
    # its only error dropped: exit 0, and the file's other findings are still listed
    assert result.exit_code == 0 and result.stdout.startswith("组织科.xlsx：错误 0 条，警告 6 条，提示 4 条\n")
    assert "S01" not in result.stdout
    assert run_cli("check", path, "--ignore", "ZZ9").exit_code == 2


def test_check_identical_files_warns_x03_and_strict_makes_it_exit_1(tmp_path, run_cli):
    a = clean_workbook(tmp_path / "a" / "信息网络科.xlsx")
    b = tmp_path / "b" / "信息网络科.xlsx"
    b.parent.mkdir()
    shutil.copy(a, b)
    relaxed = run_cli("check", a, b)
    assert "X03" in relaxed.stdout and "警告" in relaxed.stdout
    assert "X01" not in relaxed.stdout  # the copy's projects are not read a second time
    assert relaxed.exit_code == 0, relaxed.output
    assert run_cli("check", a, b, "--strict").exit_code == 1
