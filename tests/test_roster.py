"""`--roster`: who was expected to submit; and resubmissions (X01 across files, X03 identical files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from budget_xls.pipeline import RunOptions, consolidate
from budget_xls.roster import RosterError, read_roster
from tests import seed_data
from tests.official_layout import write_official
from tests.conftest import EXAMPLES, load_report

ORG = "中共上海市松江区委组织部"


def write_roster(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_one_unit_that_sent_nothing_gives_exactly_one_x02(examples_copy, tmp_path, run_cli):
    # The cover sheets say 组织科, 干部科, 公务员科, 信息网络科; the official-layout file has no
    # cover, so only its 实施单位/主管部门 (the department itself) can match it.
    roster = write_roster(tmp_path / "名单.txt", f"\ufeff# 2022 年应报送单位\n组织科\n干部科\n\n公务员科\n"
                                                f"信息网络科\n{ORG}\n老干部科\n")
    out = tmp_path / "out" / "汇总.xlsx"
    result = run_cli("consolidate", examples_copy, "-o", out, "--roster", roster)
    assert result.exit_code == 1, result.output
    report = load_report(out.with_suffix(".json"))
    x02 = [f for f in report["findings"] if f["code"] == "X02"]
    assert len(x02) == 1
    assert "老干部科" in x02[0]["message"] and x02[0]["severity"] == "warning" and x02[0]["file"] == "名单.txt"
    assert [(e["name"], e["submitted"]) for e in report["roster"]] == [
        ("组织科", True), ("干部科", True), ("公务员科", True), ("信息网络科", True), (ORG, True), ("老干部科", False)]
    assert report["roster"][0]["matches"] == [{"file": "组织科.xlsx", "by": "填报单位"}]
    summary = openpyxl.load_workbook(out)["汇总"]
    rows = {r[1]: r[2] for r in summary.iter_rows(values_only=True) if r[1] and r[2] in ("已提交", "未提交")}
    assert rows == {"组织科": "已提交", "干部科": "已提交", "公务员科": "已提交", "信息网络科": "已提交",
                    ORG: "已提交", "老干部科": "未提交"}
    assert any(isinstance(r[0], str) and r[0].startswith("报送情况（名单 6 个单位：已提交 5 个，未提交 1 个）")
               for r in summary.iter_rows(values_only=True))


def test_file_without_cover_matches_by_its_units_and_its_file_name(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "人才工作科（官方格式）.xlsx", inbox)
    write_official(inbox / "老人才工作科.xlsx", seed_data.YUNWEI)  # no 封面 either; not an exact name
    roster = read_roster(write_roster(tmp_path / "r.txt", f"人才工作科\n{ORG}\n党校\n"))
    result = consolidate(inbox, RunOptions(year=2022, roster=roster))
    by_name = {e.name: e for e in result.roster}
    # no 封面: the file named after the unit (bracketed note removed) is the evidence
    assert by_name["人才工作科"].matches == [("人才工作科（官方格式）.xlsx", "文件名")]
    assert by_name[ORG].matches[:2] == [("人才工作科（官方格式）.xlsx", "实施单位"), ("人才工作科（官方格式）.xlsx", "主管部门")]
    assert [f.message for f in result.findings if f.code == "X02"] == [
        "名单中的“党校”没有提交：封面的填报单位、项目的实施单位和主管部门、无封面文件的文件名中都没有它"]


def test_file_name_counts_only_exactly_and_only_without_a_cover(tmp_path):
    from budget_xls.roster import unit_of_file_name

    assert unit_of_file_name("sub/人才工作科（官方格式）.xlsx") == "人才工作科"
    assert unit_of_file_name("干部科(修改稿)[2].xls") == "干部科"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # 组织科's file renamed after another unit: its 封面 (组织科) wins over the file name
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox / "干部科.xlsx")
    roster = read_roster(write_roster(tmp_path / "r.txt", "干部科\n组织科\n"))
    result = consolidate(inbox, RunOptions(year=2022, roster=roster))
    by_name = {e.name: e for e in result.roster}
    assert not by_name["干部科"].submitted
    assert by_name["组织科"].matches == [("干部科.xlsx", "填报单位")]


def test_no_roster_means_no_x02_and_a_null_roster_key(examples_copy, tmp_path, run_cli):
    out = tmp_path / "o.xlsx"
    run_cli("consolidate", examples_copy, "-o", out)
    report = load_report(out.with_suffix(".json"))
    assert report["roster"] is None and not [f for f in report["findings"] if f["code"] == "X02"]


def test_roster_text_is_normalised_and_deduplicated(tmp_path):
    text = "单位名称\n  组　织 科 \n# 注释\n\n组织科\nＡＢ中心\n"
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        roster = read_roster(write_roster(tmp_path / f"{encoding}.txt", text, encoding))
        assert roster.names == ("组　织 科", "ＡＢ中心"), encoding
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox)
    result = consolidate(inbox, RunOptions(roster=read_roster(tmp_path / "utf-8.txt")))
    assert [(e.name, e.submitted) for e in result.roster] == [("组　织 科", True), ("ＡＢ中心", False)]


def test_roster_from_the_first_column_of_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["填报单位", "联系人"], ["组织科", "陈静"], [None, None], ["干部科", "刘洋"], [2023, None]):
        ws.append(row)
    wb.save(tmp_path / "名单.xlsx")
    assert read_roster(tmp_path / "名单.xlsx").names == ("组织科", "干部科", "2023")


def test_bad_roster_exits_2_before_anything_is_written(examples_copy, tmp_path, run_cli):
    with pytest.raises(RosterError):
        read_roster(write_roster(tmp_path / "empty.txt", "# 只有注释\n\n"))
    out = tmp_path / "o.xlsx"
    for roster in (tmp_path / "empty.txt", tmp_path / "nope.txt"):
        result = run_cli("consolidate", examples_copy, "-o", out, "--roster", roster)
        assert result.exit_code == 2 and "名单文件" in result.stderr
    assert not out.exists()


def test_same_project_in_two_files_is_x01_naming_both(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox / "组织科.xlsx")
    wb = openpyxl.load_workbook(EXAMPLES / "组织科.xlsx")
    wb["封面"]["B3"] = "陈静（修改）"  # a resubmission: same project, other bytes
    wb.save(inbox / "组织科（修改）.xlsx")
    result = consolidate(inbox, RunOptions())
    x01 = [f for f in result.findings if f.code == "X01"]
    assert sorted(f.file for f in x01) == ["组织科.xlsx", "组织科（修改）.xlsx"]
    for f in x01:
        assert "组织科.xlsx「党建工作」" in f.message and "组织科（修改）.xlsx「党建工作」" in f.message
    assert [f.code for f in result.findings if f.code == "X03"] == []


def test_x01_finds_the_same_projects_when_every_project_hashes_alike(tmp_path, monkeypatch):
    """X01 first keeps a hash of each project's unit + name (8 bytes a project, not the
    project), then names the places of the hashes seen twice: projects that merely share a
    hash are told apart by their names, and the run reports only the real repeat."""
    from budget_xls.rules import crossfile

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox / "组织科.xlsx")
    shutil.copy(EXAMPLES / "干部科.xlsx", inbox / "干部科.xlsx")
    wb = openpyxl.load_workbook(EXAMPLES / "组织科.xlsx")
    wb["封面"]["B3"] = "陈静（修改）"
    wb.save(inbox / "组织科（修改）.xlsx")
    honest = consolidate(inbox, RunOptions())
    monkeypatch.setattr(crossfile, "hash", lambda key: 7, raising=False)  # every project collides
    colliding = consolidate(inbox, RunOptions())
    x01 = [f for f in colliding.findings if f.code == "X01"]
    assert sorted({f.file for f in x01}) == ["组织科.xlsx", "组织科（修改）.xlsx"]
    assert x01 == [f for f in honest.findings if f.code == "X01"] and len(colliding.projects) == 3


def test_byte_identical_file_is_skipped_with_x03_and_counted_once(examples_copy, tmp_path, run_cli):
    (examples_copy / "重发").mkdir()
    shutil.copy(examples_copy / "组织科.xlsx", examples_copy / "重发" / "组织科.xlsx")
    out = tmp_path / "o.xlsx"
    run_cli("consolidate", examples_copy, "-o", out)
    report = load_report(out.with_suffix(".json"))
    dup = next(f for f in report["files"] if f["file"] == "重发/组织科.xlsx")
    assert dup["status"] == "skipped" and dup["projects"] == 0 and "组织科.xlsx" in dup["reason"]
    x03 = [f for f in report["findings"] if f["code"] == "X03"]
    assert len(x03) == 1 and x03[0]["file"] == "重发/组织科.xlsx" and x03[0]["severity"] == "warning"
    assert "“组织科.xlsx”" in x03[0]["message"]
    assert len(report["projects"]) == 6 and not [f for f in report["findings"] if f["code"] == "X01"]
    files = openpyxl.load_workbook(out)["文件清单"]
    row = next(r for r in files.iter_rows(values_only=True) if r[1] == "重发/组织科.xlsx")
    assert row[2] == "已跳过" and "组织科.xlsx" in row[4]
