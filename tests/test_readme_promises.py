"""What README.md promises a user, each asserted on the exit code and the exact output.

`rules [CODE]`, `--strict`, `--ignore`, the refusals of `-o`/`--report-json`/`--feedback`
onto inputs or foreign files, template validation following `--year`, a `.ods` form, and
the `budget-xls` console script run as a program.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_xls.rules import REGISTRY, SEVERITY_CN, explain
from budget_xls.template import WorkbookSpec, write_workbook
from tests.conftest import EXAMPLES, ROOT, needs_soffice, soffice
from tests.test_rules_factory import clean_spec, spec, with_row


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _inbox(tmp_path: Path, *projects) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i, project in enumerate(projects):
        write_workbook(folder / f"单位{i + 1}.xlsx", WorkbookSpec(year=2022, projects=[project]))
    return folder


def _warning_only():
    """The clean form with one indicator value missing its unit: an I04 warning, no error."""
    return spec(indicators=with_row(1, (None, None, "党员直播授课", "≥16")))


def _one_error():
    """The clean form with 财政资金 one cent off (an M01 error) and a value without operator (I05 info)."""
    return spec(fields=dict(fiscal=Decimal("621999.99")), indicators=with_row(1, (None, None, "党员直播授课", "16次")))


def _report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- rules [CODE]


def test_rules_lists_every_code_level_and_title(run_cli):
    result = run_cli("rules")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{r.code}  {SEVERITY_CN[r.severity]}  {r.dimension}  {r.title}"
                                          for r in REGISTRY.values()]
    assert len(REGISTRY) >= 40


@pytest.mark.parametrize("typed", ["M01", "m01", " M01 "])
def test_rules_code_explains_one_rule(run_cli, typed):
    result = run_cli("rules", typed)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["M01  错误  项目资金总额与构成不符", "审核维度：完整性"]
    assert lines[2:] == [f"{head}：{text}" for head, text in explain("M01")]
    # the example message is filled from the bad example, in Chinese, no placeholder left
    assert "提示内容示例：项目资金总额 3,792,000.00 元 ≠ 财政资金 3,700,000.00 元" in result.stdout
    assert "{" not in result.stdout


def test_rules_unknown_code_exits_2_with_a_chinese_line(run_cli):
    result = run_cli("rules", "ZZ9")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "错误：没有规则 ZZ9（用 budget-xls rules 查看全部规则）\n"


# ---------------------------------------------------------------- --strict and --ignore


def test_strict_turns_warnings_into_exit_1(tmp_path, run_cli):
    folder = _inbox(tmp_path, _warning_only())
    plain = run_cli("consolidate", folder, "-o", tmp_path / "a.xlsx")
    strict = run_cli("consolidate", folder, "-o", tmp_path / "b.xlsx", "--strict")
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    codes = {f["code"]: f["severity"] for f in _report(tmp_path / "b.json")["findings"]}
    assert codes.get("I04") == "warning" and "error" not in codes.values()
    assert "问题：错误 0 条，警告 1 条" in strict.stdout
    file = folder / "单位1.xlsx"
    assert run_cli("check", file).exit_code == 0 and run_cli("check", file, "--strict").exit_code == 1


def test_strict_on_a_clean_run_stays_0(tmp_path, run_cli):
    folder = _inbox(tmp_path, clean_spec())
    assert run_cli("consolidate", folder, "-o", tmp_path / "a.xlsx", "--strict").exit_code == 0


def test_ignore_drops_the_codes_from_report_and_exit_code(tmp_path, run_cli):
    folder = _inbox(tmp_path, _one_error())
    kept = run_cli("consolidate", folder, "-o", tmp_path / "a.xlsx")
    assert kept.exit_code == 1
    assert "M01" in {f["code"] for f in _report(tmp_path / "a.json")["findings"]}
    dropped = run_cli("consolidate", folder, "-o", tmp_path / "b.xlsx", "--ignore", "m01， M05")
    assert dropped.exit_code == 0, dropped.output
    codes = {f["code"] for f in _report(tmp_path / "b.json")["findings"]}
    assert codes == {"I05"}  # the other findings stay
    assert "问题：错误 0 条" in dropped.stdout
    file = folder / "单位1.xlsx"
    checked = run_cli("check", file, "--ignore", "M01")
    assert checked.exit_code == 0 and "M01" not in checked.stdout and "单位1.xlsx" in checked.stdout


def test_ignore_an_unknown_code_is_a_usage_error(tmp_path, run_cli):
    folder = _inbox(tmp_path, clean_spec())
    result = run_cli("consolidate", folder, "-o", tmp_path / "a.xlsx", "--ignore", "M01,ZZ9")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "错误：未知的规则代码：ZZ9（用 budget-xls rules 查看全部规则）\n"
    assert not (tmp_path / "a.xlsx").exists()


# ---------------------------------------------------------------- refusals


@pytest.fixture
def inbox_copy(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    return folder, {p.name: _sha(p) for p in folder.iterdir()}


@pytest.mark.parametrize("option", ["-o", "--report-json"])
def test_an_output_onto_an_input_workbook_is_refused(inbox_copy, tmp_path, run_cli, option):
    folder, before = inbox_copy
    target = folder / "组织科.xlsx"
    args = ["-o", tmp_path / "out.xlsx"] if option == "--report-json" else []
    result = run_cli("consolidate", folder, option, target, *args)
    assert result.exit_code == 2
    if option == "-o":
        assert result.stderr == (f"错误：输出文件 {target} 已存在且不是本工具生成的汇总表，"
                                 f"为避免覆盖请换一个输出位置（-o）\n")
    else:  # a JSON report is never written under a workbook's name
        assert result.stderr == (f"错误：JSON 报告的位置 {target} 是工作簿文件名，可能覆盖输入或汇总表，"
                                 f"请换一个位置（--report-json）\n")
    assert {p.name: _sha(p) for p in folder.iterdir()} == before
    assert not (tmp_path / "out.xlsx").exists()


def test_an_output_onto_a_foreign_workbook_is_refused(inbox_copy, tmp_path, run_cli):
    folder, _ = inbox_copy
    foreign = tmp_path / "财务处的表.xlsx"
    shutil.copy(EXAMPLES / "干部科.xlsx", foreign)
    digest = _sha(foreign)
    result = run_cli("consolidate", folder, "-o", foreign)
    assert result.exit_code == 2 and "不是本工具生成的汇总表" in result.stderr
    assert _sha(foreign) == digest
    ours = run_cli("consolidate", folder, "-o", tmp_path / "汇总.xlsx")
    assert ours.exit_code == 1
    again = run_cli("consolidate", folder, "-o", tmp_path / "汇总.xlsx")  # our own output may be replaced
    assert again.exit_code == 1


def test_feedback_onto_the_inputs_is_refused(inbox_copy, tmp_path, run_cli):
    folder, before = inbox_copy
    result = run_cli("consolidate", folder, "-o", tmp_path / "out.xlsx", "--feedback", folder)
    assert result.exit_code == 2
    assert result.stderr == f"错误：审核意见文件夹不能是输入文件夹本身：{folder}，请换一个文件夹（--feedback）\n"
    assert {p.name: _sha(p) for p in folder.iterdir() if p.name in before} == before


def test_feedback_onto_a_foreign_file_is_refused(inbox_copy, tmp_path, run_cli):
    folder, _ = inbox_copy
    out = tmp_path / "fb"
    out.mkdir()
    foreign = out / "组织科.xlsx"
    foreign.write_bytes(b"not ours")
    result = run_cli("consolidate", folder, "-o", tmp_path / "out.xlsx", "--feedback", out)
    assert result.exit_code == 2 and result.stderr.startswith("错误：") and "组织科.xlsx" in result.stderr
    assert foreign.read_bytes() == b"not ours"


# ---------------------------------------------------------------- template follows --year


@pytest.mark.parametrize("year", [2022, 2024])
def test_template_validation_follows_the_year(tmp_path, run_cli, year):
    path = tmp_path / "t.xlsx"
    result = run_cli("template", "-o", path, "--year", year)
    assert result.exit_code == 0
    assert result.stdout == f"已生成 {year} 年度申报模板（1 张项目表）：{path}\n"
    wb = openpyxl.load_workbook(path)
    sheet = wb["项目1"]
    dates = [dv for dv in sheet.data_validations.dataValidation if dv.type == "date"]
    assert dates, "the plan dates carry a date validation"
    for dv in dates:
        low, high = dt.date(1899, 12, 30) + dt.timedelta(days=int(dv.formula1)), \
            dt.date(1899, 12, 30) + dt.timedelta(days=int(dv.formula2))
        assert (low, high) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    title = " ".join(str(c.value) for row in sheet.iter_rows(max_row=4) for c in row if c.value)
    assert f"{year}" in title


def test_a_template_of_another_year_is_read_in_that_year(tmp_path, run_cli):
    path = tmp_path / "in" / "t.xlsx"
    path.parent.mkdir()
    write_workbook(path, WorkbookSpec(year=2024, projects=[spec(fields=dict(
        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)))]))
    result = run_cli("consolidate", path.parent, "-o", tmp_path / "o.xlsx")
    assert _report(tmp_path / "o.json")["year"] == 2024
    assert "预算年度：2024" in result.stdout


# ---------------------------------------------------------------- .ods


@needs_soffice
def test_an_ods_form_is_read_like_its_xlsx(tmp_path, run_cli):
    src = tmp_path / "xlsx"
    src.mkdir()
    shutil.copy(EXAMPLES / "组织科.xlsx", src / "组织科.xlsx")
    ods = tmp_path / "ods"
    ods.mkdir()
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "ods", "--outdir", str(ods), str(src / "组织科.xlsx")],
                   check=True, capture_output=True, timeout=180)
    assert (ods / "组织科.ods").exists()
    a = run_cli("consolidate", src, "-o", tmp_path / "a.xlsx")
    b = run_cli("consolidate", ods, "-o", tmp_path / "b.xlsx")
    assert a.exit_code == b.exit_code == 1
    ra, rb = _report(tmp_path / "a.json"), _report(tmp_path / "b.json")
    assert [f["status"] for f in rb["files"]] == ["ok"]

    def strip(project):
        return {k: v for k, v in project.items() if k not in ("file", "layout")}

    assert [strip(p) for p in rb["projects"]] == [strip(p) for p in ra["projects"]]
    assert [(f["code"], f["cell"]) for f in rb["findings"]] == [(f["code"], f["cell"]) for f in ra["findings"]]


# ---------------------------------------------------------------- the console script


def test_the_console_script_is_the_cli_entry_point():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"budget-xls": "budget_xls.cli:run"}


@pytest.mark.skipif(shutil.which("budget-xls") is None, reason="budget-xls is not installed")
def test_the_installed_console_script_runs(tmp_path):
    inbox = tmp_path / "in"
    shutil.copytree(EXAMPLES, inbox)
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # this checkout's code, through the installed script
    done = subprocess.run(["budget-xls", "consolidate", str(inbox), "-o", str(tmp_path / "out.xlsx")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == "预算年度：2022"
    assert f"JSON 报告：{tmp_path / 'out.json'}" in done.stdout
    report = _report(tmp_path / "out.json")
    assert report["tool"] == "budget-xls" and len(report["projects"]) == 6
    bad = subprocess.run(["budget-xls", "consolidate", str(tmp_path / "missing")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.startswith("错误：")
    version = subprocess.run(["budget-xls", "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip().endswith(__import__("budget_xls").__version__)


def test_python_dash_m_matches_the_script_exit_codes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "budget_xls", "rules", "ZZ9"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and done.stderr == "错误：没有规则 ZZ9（用 budget-xls rules 查看全部规则）\n"


# ---------------------------------------------------------------- the JSON report's types


def test_json_numbers_keep_their_types(tmp_path, run_cli):
    """Amounts and indicator numbers: an integer stays an integer, cents a float; blanks null; years ints."""
    project = spec(fields=dict(total=Decimal("622000.50"), fiscal=Decimal("600000.50"), other=22000,
                               annual=Decimal("622000.50"), appropriation=Decimal("572000.50"), carryover=50000,
                               annual_other=None),
                   indicators=with_row(1, (None, None, "党员直播授课", "≥16.5次")))
    folder = _inbox(tmp_path, project)
    result = run_cli("consolidate", folder, "-o", tmp_path / "o.xlsx")
    report = _report(tmp_path / "o.json")
    assert type(report["year"]) is int and report["year"] == 2022
    funds = report["projects"][0]["funds"]
    assert {k: (type(v).__name__, v) for k, v in funds.items()} == {
        "total": ("float", 622000.5), "fiscal": ("float", 600000.5), "other": ("int", 22000),
        "annual": ("float", 622000.5), "appropriation": ("float", 572000.5), "carryover": ("int", 50000),
        "annual_other": ("NoneType", None)}
    values = {i["name"]: i["value"] for i in report["projects"][0]["indicators"]}
    assert type(values["党员直播授课"]) is float and values["党员直播授课"] == 16.5
    assert type(values["录制优秀党课"]) is int and values["录制优秀党课"] == 10
    assert values["示范培训班完成时间"] is None
    lines = report["projects"][0]["budget_lines"]
    assert [(type(b["unit_price"]), type(b["quantity"]), type(b["amount"]), type(b["row"])) for b in lines] == \
        [(int, int, int, int)] * 3
    summary = report["summary"]
    assert {"files", "projects", "errors", "warnings", "exit_code"} <= summary.keys()
    grades = summary.pop("proposed_grades")  # 优/良/中/差 → how many projects (issue 18)
    assert list(grades) == ["优", "良", "中", "差"] and all(type(v) is int for v in grades.values())
    assert all(type(v) is int for v in summary.values()) and summary["exit_code"] == 1
    assert [(type(f["projects"]), type(f["size"])) for f in report["files"]] == [(int, int)]
    assert result.exit_code == 1  # 其他资金（年度） blank on our template: S01


# ---------------------------------------------------------------- use from Python (README's calls and their defaults)


def test_python_calls_default_to_not_strict(tmp_path):
    import budget_xls

    folder = _inbox(tmp_path, _warning_only())
    result = budget_xls.consolidate(folder, jobs=1)
    assert (result.exit_code, result.errors, result.warnings) == (0, 0, 1)
    assert budget_xls.consolidate(folder, jobs=1, strict=True).exit_code == 1
    checked = budget_xls.check([folder / "单位1.xlsx"])
    assert (checked.exit_code, checked.warnings) == (0, 1)
    assert budget_xls.check([folder / "单位1.xlsx"], strict=True).exit_code == 1
    budget_xls.write_outputs(result, tmp_path / "out" / "汇总.xlsx")
    assert _report(tmp_path / "out" / "汇总.json")["summary"]["exit_code"] == 0


def test_python_template_defaults_to_2022_and_one_project(tmp_path):
    import budget_xls

    path = budget_xls.write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert [n for n in wb.sheetnames if n.startswith("项目")] == ["项目1"]
    serial = (dt.date(2022, 1, 1) - dt.date(1899, 12, 30)).days
    dates = [dv for dv in wb["项目1"].data_validations.dataValidation if dv.type == "date"]
    assert {(dv.formula1, dv.formula2) for dv in dates} == {(str(serial), str(serial + 364))}


# ---------------------------------------------------------------- --feedback / --annotate say what they wrote


def test_feedback_summary_line_and_quiet(inbox_copy, tmp_path, run_cli):
    folder, _ = inbox_copy
    fb = tmp_path / "fb"
    result = run_cli("consolidate", folder, "-o", tmp_path / "o.xlsx", "--feedback", fb)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == f"审核意见副本：5 个，位于 {fb}"
    # an .xls gets an .xlsx copy rebuilt from its values
    assert sorted(p.name for p in fb.iterdir()) == sorted(p.stem + ".xlsx" for p in folder.iterdir())
    quiet = run_cli("consolidate", folder, "-o", tmp_path / "o.xlsx", "--feedback", tmp_path / "fb2", "-q")
    assert quiet.exit_code == 1 and quiet.stdout == "" and quiet.stderr == ""
    assert len(list((tmp_path / "fb2").iterdir())) == 5
    plain = run_cli("consolidate", folder, "-o", tmp_path / "o.xlsx")
    assert "审核意见副本" not in plain.stdout and plain.exit_code == 1


def test_check_annotate_summary_line(inbox_copy, tmp_path, run_cli):
    folder, _ = inbox_copy
    out = tmp_path / "ann"
    result = run_cli("check", folder / "组织科.xlsx", "--annotate", out)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == f"审核意见副本：1 个，位于 {out}"
    assert [p.name for p in out.iterdir()] == ["组织科.xlsx"]


def test_check_colours_levels_on_a_terminal():
    from click.testing import CliRunner

    from budget_xls.cli import main

    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "组织科.xlsx")], color=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "\x1b[1m组织科.xlsx\x1b[0m：错误 1 条，警告 6 条，提示 4 条"
    assert lines[1] == "  \x1b[34m工作表「党建工作」\x1b[0m"
    assert lines[2] == "    B4     \x1b[31m\x1b[1m错误\x1b[0m\x1b[31m\x1b[1m  S01  \x1b[0m必填项“主管部门”为空"
    assert "\x1b[36m提示\x1b[0m\x1b[36m  I14  \x1b[0m" in lines[4]
    assert any("\x1b[33m\x1b[1m警告\x1b[0m\x1b[33m\x1b[1m  I04  \x1b[0m" in line for line in lines)


def test_progress_bar_counts_files_done_of_total(monkeypatch):
    """The bar (files done / total, the current file) is made once, advanced once per file, closed once."""
    from budget_xls import cli

    made, calls = [], []

    class Bar:
        def __init__(self, **kw):
            made.append(kw)

        def __enter__(self):
            calls.append("enter")

        def update(self, n, item):
            calls.append((n, item))

        def __exit__(self, *exc):
            calls.append("exit")

    monkeypatch.setattr(cli.click, "progressbar", Bar)
    bar = cli._ProgressBar()
    bar.close()  # nothing drawn yet: nothing to close
    bar("a.xlsx", 1, 3)
    bar("b.xlsx", 2, 3)
    bar.close()
    bar.close()
    assert len(made) == 1 and made[0]["length"] == 3 and made[0]["label"] == "读取工作簿"
    assert made[0]["file"] is cli.sys.stderr and made[0]["show_pos"] is True
    shown = made[0]["item_show_func"]  # names padded to one display width: a shorter one leaves nothing behind
    assert shown("a.xlsx") == "a.xlsx".ljust(cli.NAME_WIDTH) and shown(None) == " " * cli.NAME_WIDTH
    assert calls == ["enter", (1, "a.xlsx"), (1, "b.xlsx"), "exit"]


@pytest.mark.parametrize("args, line", [
    (["consolidate"], "用法错误：缺少参数 “文件夹”。（用 budget-xls consolidate -h 查看用法）"),
    (["nosuch"], "用法错误：没有命令 nosuch。（用 budget-xls -h 查看用法）"),
    (["template", "--year", "1999"],
     "用法错误：“--year” 的值无效：1999 不在允许的范围 2000<=x<=2100 内。（用 budget-xls template -h 查看用法）"),
])
def test_usage_errors_are_one_chinese_line_naming_the_command(run_cli, args, line):
    result = run_cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")


def test_an_interrupted_run_says_so_and_exits_130(tmp_path, run_cli, monkeypatch):
    import click

    from budget_xls import api

    def interrupted(*args, **kwargs):
        raise click.exceptions.Abort()

    monkeypatch.setattr(api, "consolidate", interrupted)
    result = run_cli("consolidate", tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        130, "", "已中止（Ctrl+C）：未写入任何输出，已有的输出保持原样。\n")


def test_no_progress_bar_without_a_usable_stderr(monkeypatch):
    """Run from cron or a service: a closed or missing stderr means no bar, not a crash."""
    from budget_xls import cli

    class Closed:
        def isatty(self):
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(cli.sys, "stderr", Closed())
    assert cli._stderr_is_tty() is False
    monkeypatch.setattr(cli.sys, "stderr", object())
    assert cli._stderr_is_tty() is False


def test_a_copy_not_written_is_said_on_stderr(inbox_copy, tmp_path, run_cli, monkeypatch):
    from budget_xls.outputs import annotate
    from budget_xls.outputs.annotate import Annotated

    folder, _ = inbox_copy
    note = "文件在检查之后被修改，未生成审核意见副本，请重新检查"
    monkeypatch.setattr(annotate, "write_feedback",
                        lambda *args, **kwargs: [Annotated("组织科.xlsx", None, 3, note=note)])
    result = run_cli("consolidate", folder, "-o", tmp_path / "o.xlsx", "--feedback", tmp_path / "fb")
    assert result.stdout.splitlines()[-1] == f"审核意见副本：0 个，位于 {tmp_path / 'fb'}"
    assert result.stderr == f"未生成 组织科.xlsx 的审核意见副本：{note}\n"
