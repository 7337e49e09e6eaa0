"""Reading whole files: .xls, WPS dimensions, unreadable and project-less workbooks, the
template stamp, calamine's quirks, and the guards that keep one hostile file cheap."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from budget_xls import reader
from budget_xls import package
from budget_xls.pipeline import RunError, RunOptions, consolidate, settle_year
from budget_xls.rules import check_file
from budget_xls.reader import ReadError, normalise, read_workbook, sniff
from tests import seed_data
from tests.conftest import needs_soffice
from tests.fixtures import (
    DANGJIAN_BUDGET,
    drop_names,
    edit,
    official_book,
    only_form,
    plain_spec_book,
    read_forms,
    records,
    rewrite_parts,
    set_stamp,
    template_book,
    to_xls,
    wps_dimension,
)

ENCRYPTED_MSG = "请取消密码后重新提交"


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return template_book(tmp_path_factory.mktemp("clean") / "clean.xlsx", budget=DANGJIAN_BUDGET)


# ---------------------------------------------------------------- calamine quirks, in one place


def test_normalise_calamine_values():
    assert normalise("") is None and normalise("   ") is None and normalise("\u3000") is None
    assert normalise(5066446.0) == 5066446 and isinstance(normalise(5066446.0), int)
    assert normalise(0.1) == 0.1
    assert normalise(dt.datetime(2022, 1, 1)) == dt.date(2022, 1, 1)
    assert normalise(dt.datetime(2022, 1, 1, 9, 30)) == dt.datetime(2022, 1, 1, 9, 30)
    assert normalise(" 文本 ") == " 文本 "


def test_grid_positions_are_absolute_when_the_sheet_starts_late(tmp_path):
    """calamine's to_python() starts at the first used cell; the Grid keeps sheet positions."""
    wb = openpyxl.Workbook()
    wb.active["C5"] = "x"
    wb.active["D7"] = 3.0
    wb.active.merge_cells("C5:D5")
    wb.save(tmp_path / "a.xlsx")
    grid = read_workbook(tmp_path / "a.xlsx").sheets[0]
    assert grid.cells == {(4, 2): "x", (6, 3): 3}
    assert grid.value(4, 3) == "x" and grid.raw(4, 3) is None
    assert grid.merge_extent(4, 3) == (4, 2, 4, 3)


# ---------------------------------------------------------------- other formats, WPS


@needs_soffice
def test_xls_from_libreoffice_reads_like_the_xlsx(clean, tmp_path):
    official = official_book(tmp_path / "official.xlsx", seed_data.DANGJIAN)
    xls_template, xls_official = to_xls([clean, official], tmp_path / "xls")
    expected = records(only_form(clean))
    assert records(only_form(xls_template)) == expected
    assert records(only_form(xls_official), budget=False) == records(only_form(official), budget=False)
    # The .xls keeps no defined names: it is read by its labels and points at the same cells.
    assert only_form(xls_template).get("supervisor").cell == "B4"


def test_xls_renamed_xlsx_is_read_by_content(tmp_path):
    """The extension is not trusted: an .xls saved under a .xlsx name is still an .xls."""
    from tests.conftest import EXAMPLES

    target = tmp_path / "公务员科.xlsx"
    target.write_bytes((EXAMPLES / "公务员科.xls").read_bytes())
    form = only_form(target)
    assert form.name == seed_data.XUANCHUAN["fields"]["name"]


def test_wps_dimension_a1_is_read_in_full(clean, tmp_path):
    wps = wps_dimension(clean, tmp_path / "wps.xlsx")
    # The fixture really is the trap: openpyxl's read-only mode trusts the dimension.
    ro = openpyxl.load_workbook(wps, read_only=True)
    assert sum(1 for _ in ro["党建工作"].iter_rows()) == 1
    ro.close()
    assert records(only_form(wps)) == records(only_form(clean))


# ---------------------------------------------------------------- project sheets by content


def test_workbook_with_only_guide_and_cover_is_r02(tmp_path):
    path = plain_spec_book(tmp_path / "说明.xlsx", {
        "说明": [["填表说明"], ["项目名称请写全称"]],
        "封面": [["填报单位", "组织科"], ["联系人", "陈静"]],
    })
    result = read_forms(path)
    assert result.forms == [] and result.record.status == "no_projects"
    findings = check_file(result)
    assert [f.code for f in findings] == ["R02"]
    assert "说明、封面" in findings[0].message
    assert result.record.cover == {"填报单位": "组织科", "联系人": "陈静"}


def test_project_sheet_recognised_whatever_its_name(clean, tmp_path):
    path = edit(clean, tmp_path / "v.xlsx", lambda wb: setattr(wb["党建工作"], "title", "Sheet3"))
    result = read_forms(path)
    assert [f.sheet for f in result.forms] == ["Sheet3"]
    assert records(result.forms[0]) == records(only_form(clean))


# ---------------------------------------------------------------- unreadable files


def _ole_encrypted() -> bytes:
    """The start of what Excel writes for a password-protected .xlsx: an OLE container
    holding EncryptionInfo and EncryptedPackage streams."""
    head = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    return head + directory + os.urandom(2048)


UNREADABLE = {
    "加密.xlsx": (_ole_encrypted, ENCRYPTED_MSG),
    "随机.xlsx": (lambda: os.urandom(4096), "不是 Excel 工作簿"),
    "空文件.xlsx": (lambda: b"", "空的"),
    "网页.xls": (lambda: "<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode(), "网页"),
    "文字.xlsx": (lambda: "项目名称,党建工作\n".encode("gbk"), "不是 Excel 工作簿"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_file_is_r01_with_a_plain_reason(tmp_path, name):
    make, words = UNREADABLE[name]
    path = tmp_path / name
    path.write_bytes(make())
    result = read_forms(path)
    assert result.record.status == "unreadable" and result.forms == []
    findings = check_file(result)
    assert [f.code for f in findings] == ["R01"]
    assert words in result.record.reason and words in findings[0].message


def test_truncated_zip_is_corrupt(clean, tmp_path):
    data = clean.read_bytes()
    path = tmp_path / "截断.xlsx"
    path.write_bytes(data[: len(data) // 2])
    result = read_forms(path)
    assert result.record.status == "unreadable" and "损坏" in result.record.reason


def test_word_document_named_xlsx(tmp_path):
    path = tmp_path / "申报.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word" in read_forms(path).record.reason


def test_sniff_kinds(clean):
    assert sniff(clean.read_bytes()) == "zip"
    from tests.conftest import EXAMPLES

    assert sniff((EXAMPLES / "公务员科.xls").read_bytes()) == "ole"
    with pytest.raises(ReadError, match=ENCRYPTED_MSG):
        sniff(_ole_encrypted())
    with pytest.raises(ReadError, match="PDF"):
        sniff(b"%PDF-1.7\n")


def test_bad_files_do_not_cost_the_others(clean, tmp_path):
    """Unreadable and project-less files are reported; every project of the others is in the output."""
    inbox = tmp_path / "inbox"
    template_book(inbox / "组织科.xlsx", seed_data.DANGJIAN)
    template_book(inbox / "干部科.xlsx", seed_data.GANBU, unit="干部科")
    official_book(inbox / "人才工作科.xlsx", seed_data.RENCAI)
    for name, (make, _) in UNREADABLE.items():
        (inbox / "坏" / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / "坏" / name).write_bytes(make())
    plain_spec_book(inbox / "只有说明.xlsx", {"说明": [["填表说明"]]})
    result = consolidate(inbox, RunOptions())
    assert sorted(p.name for p in result.projects) == sorted(["党建工作", "干部工作", "人才工作"])
    status = {f.file: f.status for f in result.files}
    assert status["只有说明.xlsx"] == "no_projects"
    assert all(status[f"坏/{n}"] == "unreadable" for n in UNREADABLE)
    r01 = {f.file for f in result.findings if f.code == "R01"}
    assert r01 == {f"坏/{n}" for n in UNREADABLE}
    assert [f.file for f in result.findings if f.code == "R02"] == ["只有说明.xlsx"]


# ---------------------------------------------------------------- guards


def test_huge_used_range_is_refused_not_allocated(tmp_path):
    """A value at XFD1048576 makes calamine allocate the whole grid and abort the process.
    The reader refuses the file before calamine sees it (run in a child: a failure here
    must not take the test run down)."""
    path = tmp_path / "巨大.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    code = ("import sys; from budget_xls.reader import read_workbook, ReadError\n"
            "try:\n    read_workbook(sys.argv[1])\nexcept ReadError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "使用范围异常大" in out.stdout


def test_package_too_large_is_refused(clean, monkeypatch):
    monkeypatch.setattr(reader.limits, "MAX_PACKAGE_BYTES", 10_000)
    with pytest.raises(ReadError, match="压缩炸弹"):
        read_workbook(clean)


def test_uncached_formula_scan_handles_any_attribute_order():
    xml = (b'<worksheet><sheetData><row r="1">'
           b'<c r="A1" s="1"/>'  # a self-closing neighbour must not swallow the next cell
           b'<c s="2" r="B1"><f>A1*2</f><v></v></c>'
           b'<c r="C1" t="str"><f>"x"</f><v>x</v></c>'
           b'<c r="D1"><f t="shared" si="0"/><v/></c>'
           b'<c r="E1" t="inlineStr"><is><t>f</t></is></c>'
           b'</row></sheetData><dataValidations><dataValidation><formula1>"a"</formula1>'
           b'</dataValidation></dataValidations></worksheet>')
    assert package._uncached_formulas(xml) == frozenset({(0, 1), (0, 3)})


# ---------------------------------------------------------------- template stamp


def test_workbook_without_stamp_is_read_the_same_without_warning(clean, tmp_path):
    inbox = tmp_path / "inbox"
    edit(clean, inbox / "无标记.xlsx", lambda wb: drop_names(wb))
    result = consolidate(inbox, RunOptions())
    form = result.projects[0]
    assert form.template_version is None and form.layout == "official"
    assert records(form) == records(only_form(clean))
    assert not [f for f in result.findings if f.code.startswith("R")]


def test_unknown_stamp_is_a_warning_and_labels_still_rule(clean, tmp_path):
    inbox = tmp_path / "inbox"
    edit(clean, inbox / "新模板.xlsx", lambda wb: set_stamp(wb, "BXT-9"))
    result = consolidate(inbox, RunOptions())
    r05 = [f for f in result.findings if f.code == "R05"]
    assert len(r05) == 1 and r05[0].severity == "warning" and "BXT-9" in r05[0].message
    assert r05[0].file == "新模板.xlsx"
    assert records(result.projects[0]) == records(only_form(clean))


def test_known_stamp_gives_no_r05(clean, tmp_path):
    inbox = tmp_path / "inbox"
    template_book(inbox / "a.xlsx")
    assert not [f for f in consolidate(inbox, RunOptions()).findings if f.code == "R05"]


# ---------------------------------------------------------------- budget year


@pytest.mark.parametrize("header, year", [
    ("(2022 年度)", 2022), ("（2023年度）", 2023), ("（２０２４　年度）", 2024),
    ("2021年度财政项目支出绩效目标申报表", 2021),
])
def test_year_from_the_header(clean, tmp_path, header, year):
    form = only_form(edit(clean, tmp_path / "v.xlsx", lambda wb: wb["党建工作"].__setitem__("A2", header)))
    assert form.year == year and form.year_cell == "A2"


def test_year_not_taken_from_an_indicator_name(tmp_path):
    """"2022 年度内完成…" is an indicator (干部工作), not the year header."""
    form = only_form(official_book(tmp_path / "o.xlsx", seed_data.GANBU))
    assert form.year == 2022
    assert form.year_cell.startswith("A")


def test_workbooks_that_disagree_on_the_year_get_r04(clean, tmp_path):
    inbox = tmp_path / "inbox"
    template_book(inbox / "a.xlsx", seed_data.DANGJIAN)
    template_book(inbox / "b.xlsx", seed_data.GANBU, unit="干部科")
    edit(clean, inbox / "c.xlsx", lambda wb: wb["党建工作"].__setitem__("A2", "(2021 年度)"))
    result = consolidate(inbox, RunOptions())
    assert result.year == 2022
    r04 = [(f.file, f.cell) for f in result.findings if f.code == "R04"]
    assert r04 == [("c.xlsx", "A2")]
    assert consolidate(inbox, RunOptions(year=2021)).year == 2021


def test_no_year_anywhere_and_no_option_asks_for_it(clean, tmp_path):
    inbox = tmp_path / "inbox"
    edit(clean, inbox / "a.xlsx", lambda wb: wb["党建工作"].__setitem__("A2", "（年度）"))
    with pytest.raises(RunError, match="--year"):
        consolidate(inbox, RunOptions())
    assert consolidate(inbox, RunOptions(year=2022)).year == 2022
    settle_year([], None)  # nothing to read: no year needed, nothing raised
