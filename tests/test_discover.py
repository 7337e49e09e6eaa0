"""Discovery: recursive, sorted, deterministic; lock/hidden/our own/non-workbook files are
skipped with a reason (never errors); symlink loops are never followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import xlsxwriter

from budget_xls.discover import OUTPUT_MARK, discover
from budget_xls.pipeline import RunOptions, consolidate
from tests import seed_data
from tests.fixtures import template_book


def our_output(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_custom_property("budget-xls", OUTPUT_MARK.decode())
    for name in ("汇总", "项目清单", "错误报告", "文件清单"):  # the marker and our structure
        wb.add_worksheet(name)
    wb.close()
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    template_book(root / "组织科.xlsx", seed_data.DANGJIAN)
    template_book(root / "街镇" / "b镇" / "干部科.xlsx", seed_data.GANBU, unit="干部科")
    template_book(root / "街镇" / "A镇.xlsx", seed_data.XUANCHUAN, unit="公务员科")
    (root / "~$组织科.xlsx").write_bytes(b"\x0clock")
    (root / ".隐藏.xlsx").write_bytes(b"x")
    (root / ".git").mkdir()
    (root / ".git" / "config.xlsx").write_bytes(b"x")
    (root / "说明.docx").write_bytes(b"PK\x03\x04")
    (root / "notes.txt").write_text("备注", encoding="utf-8")
    our_output(root / "绩效目标汇总.xlsx")
    (root / "假的.xlsx").mkdir()  # a folder with a workbook's name
    (root / "假的.xlsx" / "内.xlsx").write_bytes(b"junk")
    return root


def test_recursive_sorted_with_reasons(inbox):
    found = discover(inbox)
    rels = [f.rel for f in found]
    assert rels == sorted(rels)
    by = {f.rel: f.skip for f in found}
    to_read = [f.rel for f in found if not f.skip]
    assert to_read == sorted(["组织科.xlsx", "街镇/A镇.xlsx", "街镇/b镇/干部科.xlsx", "假的.xlsx/内.xlsx"])
    assert "锁定" in by["~$组织科.xlsx"]
    assert "隐藏文件" in by[".隐藏.xlsx"]
    assert "隐藏文件夹" in by[".git"] and ".git/config.xlsx" not in by
    assert "不是工作簿" in by["说明.docx"] and "不是工作簿" in by["notes.txt"]
    assert "本工具" in by["绩效目标汇总.xlsx"]
    assert "文件夹" in by["假的.xlsx"]


def test_deterministic_whatever_the_creation_order(tmp_path):
    def build(root: Path, names: list[str]) -> list[str]:
        for n in names:
            (root / n).parent.mkdir(parents=True, exist_ok=True)
            (root / n).write_bytes(b"x")
        return [f.rel for f in discover(root)]

    names = ["b/2.xlsx", "a.xlsx", "b/1.xls", "c/z/9.ods", "B.xlsx"]
    assert build(tmp_path / "one", names) == build(tmp_path / "two", list(reversed(names)))


def test_excluded_outputs_are_skipped(inbox):
    target = inbox / "组织科.xlsx"
    found = {f.rel: f.skip for f in discover(inbox, frozenset({target}))}
    assert "输出" in found["组织科.xlsx"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loops_are_not_followed(inbox, tmp_path):
    outside = tmp_path / "outside"
    template_book(outside / "人才.xlsx", seed_data.RENCAI, unit="人才工作科")
    os.symlink(inbox, inbox / "街镇" / "回到上级")  # a loop
    os.symlink(inbox / "街镇", inbox / "街镇的链接")  # the same folder twice
    os.symlink(outside, inbox / "外部")  # a folder elsewhere: read once
    os.symlink(inbox / "不存在", inbox / "断链")
    found = discover(inbox)
    by = {f.rel: f.skip for f in found}
    assert "循环" in by["街镇/回到上级"]
    assert "本文件夹内" in by["街镇的链接"]
    assert by["外部/人才.xlsx"] is None
    assert "无法打开" in by["断链"]
    assert not any(r.startswith(("街镇/回到上级/", "街镇的链接/")) for r in by)


def test_skipped_paths_are_in_the_manifest_not_errors(inbox):
    result = consolidate(inbox, RunOptions())
    status = {f.file: f.status for f in result.files}
    assert status["~$组织科.xlsx"] == "skipped" and status["notes.txt"] == "skipped"
    assert status[".git"] == "skipped" and status["绩效目标汇总.xlsx"] == "skipped"
    assert status["组织科.xlsx"] == "ok" and status["假的.xlsx/内.xlsx"] == "unreadable"
    skipped = {f.file for f in result.files if f.status == "skipped"}
    # Skipped paths are listed, not errors; a Word file that looks like a submission gets a warning (R07).
    assert [(f.file, f.code, f.severity) for f in result.findings if f.file in skipped] == [
        ("说明.docx", "R07", "warning")]
    assert sorted(p.name for p in result.projects) == sorted(["党建工作", "干部工作", "宣传与推广"])
