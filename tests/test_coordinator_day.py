"""A coordinator's day, through the CLI as a user meets it: an empty or wrong inbox, a PDF sent
instead of the workbook, the template command, who is missing, Chinese everywhere, the progress
bar, times in 北京时间."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from budget_xls.cli import main
from tests.conftest import EXAMPLES, load_report

ROOT = Path(__file__).resolve().parents[1]


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_an_empty_inbox_is_not_a_clean_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out" / "汇总.xlsx"
    result = cli("consolidate", inbox, "-o", out)
    assert result.exit_code == 2
    assert "没有任何文件" in result.stderr and not out.exists() and not out.with_suffix(".json").exists()


def test_an_inbox_of_other_files_says_what_it_holds(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "组织科.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "说明.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out" / "汇总.xlsx"
    assert cli("consolidate", EXAMPLES, "-o", out).exit_code == 1  # an earlier run's outputs …
    earlier = out.read_bytes(), out.with_suffix(".json").read_bytes()
    result = cli("consolidate", inbox, "-o", out)
    assert result.exit_code == 2
    assert "组织科.pdf" in result.stderr and "说明.txt" in result.stderr and "Excel" in result.stderr
    assert (out.read_bytes(), out.with_suffix(".json").read_bytes()) == earlier  # … stay as they were


def test_unreadable_workbooks_only_are_a_normal_run_without_a_clock_year(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "坏.xlsx").write_bytes(b"not a zip")
    out = tmp_path / "out" / "汇总.xlsx"
    result = cli("consolidate", inbox, "-o", out)
    assert result.exit_code == 1 and out.exists()
    report = load_report(out.with_suffix(".json"))
    assert report["year"] is None and [f["code"] for f in report["findings"]] == ["R01"]
    assert "预算年度：未识别" in result.stdout and "无法读取的文件（1 个）：坏.xlsx" in result.stdout


def test_a_pdf_sent_instead_of_the_workbook_is_named(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, inbox)
    (inbox / "老干部科.pdf").write_bytes(b"%PDF-1.4")
    roster = tmp_path / "名单.txt"
    roster.write_text("组织科\n老干部科\n", encoding="utf-8")
    result = cli("consolidate", inbox, "-o", tmp_path / "out" / "汇总.xlsx", "--roster", roster)
    assert result.exit_code == 1
    assert "未读取的非工作簿（1 个）：老干部科.pdf" in result.stdout
    assert "名单中未提交的单位（1 个）：老干部科" in result.stdout
    report = load_report(tmp_path / "out" / "汇总.json")
    r07 = [f for f in report["findings"] if f["code"] == "R07"]
    assert [(f["file"], f["severity"]) for f in r07] == [("老干部科.pdf", "warning")]


def test_consolidate_on_a_file_suggests_check(tmp_path):
    result = cli("consolidate", EXAMPLES / "组织科.xlsx", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and "是一个文件，不是文件夹" in result.stderr and "budget-xls check" in result.stderr


def test_template_overwrites_only_a_blank_template_of_its_own(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert cli("template", "-o", path).exit_code == 0
    assert cli("template", "-o", path).exit_code == 0  # its own blank template: replaced
    filled = tmp_path / "组织科.xlsx"
    shutil.copy(EXAMPLES / "组织科.xlsx", filled)
    before = filled.read_bytes()
    result = cli("template", "-o", filled)
    assert result.exit_code == 2 and "不是本工具生成的空白模板" in result.stderr and filled.read_bytes() == before
    (tmp_path / "~$模板.xlsx").write_bytes(b"lock")
    result = cli("template", "-o", path)
    assert result.exit_code == 2 and "正在被其他程序打开" in result.stderr


def test_usage_errors_and_help_are_chinese():
    result = cli()
    assert result.exit_code == 0 and "用法：" in result.stdout and "命令：" in result.stdout
    missing = cli("consolidate")
    assert missing.exit_code == 2 and missing.stderr.startswith("用法错误：缺少参数")
    bogus = cli("consolidate", "x", "--bogus")
    assert bogus.exit_code == 2 and "没有选项 --bogus" in bogus.stderr
    bad_year = cli("consolidate", "x", "--year", "1900")
    assert "的值无效" in bad_year.stderr and "不在允许的范围" in bad_year.stderr
    for text in (missing.stderr, bogus.stderr, bad_year.stderr, cli("consolidate", "-h").stdout):
        assert not any(word in text for word in ("Missing", "No such", "Invalid", "Usage:", "Options", "Show this"))


def test_rules_are_explained_in_chinese():
    result = cli("rules", "M03")
    assert result.exit_code == 0
    for heading in ("说明：", "原因：", "提示内容示例：", "修改建议：", "错误示例：", "正确示例："):
        assert heading in result.stdout
    assert "{" not in result.stdout and "must" not in result.stdout and "Why:" not in result.stdout


def test_progress_bar_fits_cjk_names_and_says_when_it_writes(monkeypatch, tmp_path):
    from budget_xls import cli as cli_module
    from budget_xls.textwidth import display_width

    widths = {display_width(cli_module._fit_name(n)) for n in ("组织科.xlsx", "a.xlsx", "很长" * 30 + ".xlsx")}
    assert widths == {cli_module.NAME_WIDTH}  # a shorter name leaves nothing behind
    monkeypatch.setattr(cli_module, "_stderr_is_tty", lambda: True)
    result = cli("consolidate", EXAMPLES, "-o", tmp_path / "o.xlsx")
    assert "读取工作簿" in result.stderr and "正在写入汇总表" in result.stderr
    assert "正在写入" not in result.stdout


def test_file_times_are_beijing_time(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox / "组织科.xlsx")
    os.utime(inbox / "组织科.xlsx", (0, 1_650_000_000))  # 2022-04-15 05:20:00 UTC
    out = tmp_path / "o.xlsx"
    cli("consolidate", inbox, "-o", out)
    ws = openpyxl.load_workbook(out)["文件清单"]
    heads = [c.value for c in ws[1]]
    assert "修改时间(北京时间)" in heads
    assert str(ws.cell(2, heads.index("修改时间(北京时间)") + 1).value) == "2022-04-15 13:20:00"


@pytest.mark.skipif(not shutil.which("budget-xls"), reason="the console script is not installed")
def test_the_installed_console_script_runs(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["budget-xls", "rules", "S01"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and "必填项为空" in done.stdout
    done = subprocess.run([sys.executable, "-m", "budget_xls"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0 and "用法" in done.stdout
