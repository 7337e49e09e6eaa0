"""Issue 14, items 7 and 10: hidden rows and sheets (visible content wins, hidden forms read with a
note) and Excel 95 (BIFF5) .xls files (refused with a clear reason when their text cannot be read)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from budget_xls.ingest import read_file
from budget_xls.rules import check_file
from tests import seed_data
from tests.biff5 import form_cells, write_biff5
from tests.conftest import ROOT, load_report
from tests.official_layout import write_official, write_official_book


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budget_xls", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _row_of(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def hidden_name_book(path: Path, hidden_name: str = "旧项目名称（作废）") -> Path:
    """An official form with a stale 项目名称 typed in a hidden row just above the title."""
    write_official(path, seed_data.YUNWEI)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    r = _row_of(ws, "财政项目支出绩效目标申报表") - 1  # the blank row above the title
    ws.cell(r, 1, "项目名称")
    ws.cell(r, 2, hidden_name)
    ws.row_dimensions[r].hidden = True
    wb.save(path)
    return path


def hidden_sheets_book(path: Path) -> Path:
    """Three projects, one per sheet: visible, hidden, very hidden."""
    projects = []
    for sheet, name in (("项目1", "党建工作经费"), ("项目2（旧）", "干部培训经费"), ("项目3", "人才工作经费")):
        p = dict(seed_data.YUNWEI, sheet=sheet)
        p["fields"] = dict(p["fields"], name=name)
        projects.append(p)
    write_official_book(path, projects)
    wb = openpyxl.load_workbook(path)
    wb["项目2（旧）"].sheet_state = "hidden"
    wb["项目3"].sheet_state = "veryHidden"
    wb.save(path)
    return path


def test_a_name_in_a_hidden_row_does_not_override_the_visible_one_and_is_a_warning(tmp_path):
    inbox = tmp_path / "inbox"
    hidden_name_book(inbox / "组织科.xlsx")
    out = tmp_path / "out" / "汇总.xlsx"
    done = cli("consolidate", inbox, "-o", out)
    assert done.returncode in (0, 1), done.stderr
    report = load_report(out.with_suffix(".json"))
    [project] = report["projects"]
    assert project["name"] == seed_data.YUNWEI["fields"]["name"]
    [r10] = [f for f in report["findings"] if f["code"] == "R10"]
    assert r10["severity"] == "warning" and r10["value"] == "旧项目名称（作废）"
    assert "旧项目名称（作废）" in r10["message"] and seed_data.YUNWEI["fields"]["name"] in r10["message"]
    wb = openpyxl.load_workbook(inbox / "组织科.xlsx")
    assert wb.active[r10["cell"]].value == "旧项目名称（作废）"  # the finding points at the hidden value
    assert wb.active.row_dimensions[wb.active[r10["cell"]].row].hidden
    # the project register shows the visible name only
    names = [c.value for row in openpyxl.load_workbook(out)["项目清单"].iter_rows() for c in row]
    assert seed_data.YUNWEI["fields"]["name"] in names and "旧项目名称（作废）" not in names


def test_a_hidden_row_holding_the_same_value_is_quiet(tmp_path):
    path = hidden_name_book(tmp_path / "a.xlsx", hidden_name=seed_data.YUNWEI["fields"]["name"])
    [form] = read_file(path, path.name).forms
    assert form.hidden_values == []


def test_the_hidden_row_is_read_when_it_is_the_only_one(tmp_path):
    """Visible content wins only when there is some: a label only in a hidden row is still read."""
    path = tmp_path / "a.xlsx"
    write_official(path, seed_data.YUNWEI)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.row_dimensions[_row_of(ws, "项目名称")].hidden = True
    wb.save(path)
    [form] = read_file(path, path.name).forms
    assert form.name == seed_data.YUNWEI["fields"]["name"] and form.hidden_values == []


def test_forms_on_hidden_and_very_hidden_sheets_are_read_with_a_note(tmp_path):
    inbox = tmp_path / "inbox"
    hidden_sheets_book(inbox / "组织科.xlsx")
    out = tmp_path / "out" / "汇总.xlsx"
    done = cli("consolidate", inbox, "-o", out)
    assert done.returncode in (0, 1), done.stderr
    report = load_report(out.with_suffix(".json"))
    assert sorted(p["name"] for p in report["projects"]) == ["人才工作经费", "党建工作经费", "干部培训经费"]
    r11 = {f["sheet"]: f for f in report["findings"] if f["code"] == "R11"}
    assert set(r11) == {"项目2（旧）", "项目3"}
    assert all(f["severity"] == "info" for f in r11.values())
    assert "项目2（旧）" in r11["项目2（旧）"]["message"] and "深度隐藏" in r11["项目3"]["message"]


def test_an_excel95_workbook_in_gbk_is_refused_with_a_reason_naming_the_format(tmp_path):
    inbox = tmp_path / "inbox"
    write_biff5(inbox / "组织科.xls", [("项目1", form_cells(), 0)])
    before = (inbox / "组织科.xls").read_bytes()
    out = tmp_path / "out" / "汇总.xlsx"
    done = cli("consolidate", inbox, "-o", out)
    assert done.returncode == 1, done.stderr
    report = load_report(out.with_suffix(".json"))
    [record] = report["files"]
    assert record["status"] == "unreadable" and "Excel 95" in record["reason"] and ".xlsx" in record["reason"]
    [r01] = [f for f in report["findings"] if f["code"] == "R01"]
    assert "Excel 95" in r01["message"] and "另存为" in r01["message"]
    assert not [f for f in report["findings"] if f["code"] == "R02"]  # no longer "没有申报表"
    assert "Excel 95" in done.stdout
    assert (inbox / "组织科.xls").read_bytes() == before


def test_an_excel95_workbook_whose_text_reads_correctly_is_read(tmp_path):
    """A Western code page (1252) decodes correctly: nothing to refuse."""
    path = write_biff5(tmp_path / "a.xls", [("Sheet1", {(0, 0): "Budget café", (1, 0): "note"}, 0)],
                       codepage=1252, encoding="cp1252")
    result = read_file(path, path.name)
    assert result.record.status == "no_projects"
    assert not [f for f in check_file(result) if f.code == "R01"]
