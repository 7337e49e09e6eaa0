"""Annotated copies (`consolidate --feedback DIR`, `check --annotate DIR`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from budget_xls.discover import output_kind
from budget_xls.outputs.annotate import FILL, REVIEW_SHEET, annotate, comment_text
from budget_xls.model import Finding
from budget_xls.pipeline import RunOptions, check_paths, consolidate
from budget_xls.reader import read_workbook
from tests import seed_data
from tests.conftest import EXAMPLES, load_report, needs_soffice, soffice


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def convert(soffice_bin: str, source: Path, fmt: str, outdir: Path, tmp: Path) -> Path:
    done = subprocess.run([soffice_bin, f"-env:UserInstallation=file://{tmp}/lo-profile", "--headless",
                           "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                          capture_output=True, text=True, timeout=180)
    target = outdir / f"{source.stem}.{fmt}"
    assert done.returncode == 0 and target.exists(), done.stderr
    return target


def sheet_state(ws) -> dict:
    """What an annotated copy must keep of a sheet: values, merges, validations, formats."""
    return {
        "values": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
        "formats": {c.coordinate: c.number_format for row in ws.iter_rows() for c in row if c.value is not None},
        "merges": sorted(str(r) for r in ws.merged_cells.ranges),
        "validations": sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2)
                              for dv in ws.data_validations.dataValidation),
        "names": sorted((n, d.attr_text) for n, d in ws.defined_names.items()),
        "protected": ws.protection.sheet,
    }


@pytest.fixture
def annotated_run(examples_copy, tmp_path, run_cli):
    before = digests(examples_copy)
    feedback = tmp_path / "审核意见"
    result = run_cli("consolidate", examples_copy, "-o", tmp_path / "out" / "汇总.xlsx", "--feedback", feedback)
    assert result.exit_code == 1, result.output
    report = load_report(tmp_path / "out" / "汇总.json")
    return examples_copy, before, feedback, report, result


def test_copy_marks_every_located_finding_and_keeps_the_original(annotated_run):
    inbox, before, feedback, report, result = annotated_run
    assert digests(inbox) == before  # the inputs' bytes are unchanged
    files_with_findings = {f["file"] for f in report["findings"]}
    assert files_with_findings, "the examples have findings"
    written = sorted(p.relative_to(feedback).as_posix() for p in feedback.rglob("*.xlsx"))
    assert written == sorted(Path(f).with_suffix(".xlsx").as_posix() for f in files_with_findings)
    assert f"审核意见副本：{len(written)} 个" in result.stdout
    for rel in files_with_findings:
        own = [f for f in report["findings"] if f["file"] == rel]
        copy = feedback / Path(rel).with_suffix(".xlsx")
        assert output_kind(copy) == "annotated"
        wb = openpyxl.load_workbook(copy)
        assert wb.sheetnames[0] == REVIEW_SHEET and wb.active.title == REVIEW_SHEET
        for f in own:
            if not (f["sheet"] and f["cell"]):
                continue
            cell = wb[f["sheet"]][f["cell"]]
            assert cell.comment is not None, (rel, f["cell"])
            assert f["code"] in cell.comment.text and f["message"] in cell.comment.text
            assert f["hint"] in cell.comment.text
            worst = min((g for g in own if g["sheet"] == f["sheet"] and g["cell"] == f["cell"]),
                        key=lambda g: ["error", "warning", "info"].index(g["severity"]))
            assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb.endswith(FILL[worst["severity"]])
        review = wb[REVIEW_SHEET]
        rows = [r for r in review.iter_rows(min_row=6, values_only=True) if r[0] is not None]
        assert [(r[2], r[4], r[5], r[7]) for r in rows] == \
               [(f["code"], f["sheet"] or "（整个文件）", f["cell"] or "—", f["message"]) for f in own]
        for i, f in enumerate(own):
            link = review.cell(row=6 + i, column=6).hyperlink
            if f["sheet"] and f["cell"]:
                assert link.location == f"'{f['sheet']}'!{f['cell']}"


def test_copy_preserves_values_merges_validations_formats_and_names(annotated_run):
    inbox, _, feedback, _, _ = annotated_run
    checked = 0
    for copy in feedback.rglob("*.xlsx"):
        source = inbox / copy.relative_to(feedback)
        if not source.exists():  # an .xls input: rebuilt, see test_xls_input_becomes_an_xlsx_copy…
            continue
        checked += 1
        original = openpyxl.load_workbook(source)
        annotated = openpyxl.load_workbook(copy)
        assert annotated.sheetnames == [REVIEW_SHEET] + original.sheetnames
        assert sorted((n, d.attr_text) for n, d in annotated.defined_names.items()) == \
               sorted((n, d.attr_text) for n, d in original.defined_names.items())
        for ws in original.worksheets:
            assert sheet_state(annotated[ws.title]) == sheet_state(ws), (copy.name, ws.title)
    assert checked >= 2


def test_annotated_copies_in_the_inbox_are_read_with_r06_never_skipped_silently(annotated_run, tmp_path, run_cli):
    """A copy is what a sub-unit may correct and send back: it is read (R08 says it is a copy),
    and a copy beside its original is the same project twice (X01 names both), never a silent pick."""
    inbox, _, feedback, _, _ = annotated_run
    shutil.copytree(feedback, inbox / "审核意见")
    result = run_cli("consolidate", inbox, "-o", tmp_path / "again" / "汇总.xlsx")
    report = load_report(tmp_path / "again" / "汇总.json")
    copies = [f for f in report["files"] if f["file"].startswith("审核意见/")]
    assert copies and all(f["status"] == "ok" for f in copies)
    assert sorted(f["file"] for f in report["findings"] if f["code"] == "R08") == sorted(f["file"] for f in copies)
    copied = sum(f["projects"] for f in copies)
    assert len(report["projects"]) == 6 + copied, result.output
    x01 = {f["file"] for f in report["findings"] if f["code"] == "X01"}
    assert {f["file"] for f in copies} <= x01
    assert not [f for f in report["files"] if f["file"] == "汇总.xlsx"]


@needs_soffice
def test_libreoffice_opens_the_annotated_copy(annotated_run, tmp_path):
    _, _, feedback, _, _ = annotated_run
    copy = next(iter(sorted(feedback.rglob("*.xlsx"))))
    pdf = convert(soffice(), copy, "pdf", tmp_path / "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_several_findings_on_one_cell_share_one_comment_and_the_worst_colour(tmp_path):
    source = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    wb = openpyxl.load_workbook(source)
    wb["封面"]["B3"].comment = openpyxl.comments.Comment("原有的批注", "科员")
    wb.save(source)
    before = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    findings = [
        Finding("I04", "warning", "组织科.xlsx", "党建工作", "E13", "党建工作", "指标值缺少单位", "请写明单位"),
        Finding("S01", "error", "组织科.xlsx", "党建工作", "E13", "党建工作", "=1+1 不是指标值", "请改正"),
        Finding("S01", "error", "组织科.xlsx", "封面", "B3", None, "联系人为空", "请填写"),
        Finding("R02", "info", "组织科.xlsx", None, None, None, "没有单元格的问题", ""),
    ]
    target = tmp_path / "out" / "组织科.xlsx"
    done = annotate(Path(source), findings, target)
    assert done.target == target and not done.rebuilt
    assert hashlib.sha256(Path(source).read_bytes()).hexdigest() == before
    wb = openpyxl.load_workbook(target)
    cell = wb["党建工作"]["E13"]
    assert cell.comment.text == comment_text(findings[:2])
    assert cell.comment.text.index("S01") < cell.comment.text.index("I04")  # errors first
    assert cell.fill.start_color.rgb.endswith(FILL["error"])
    cover = wb["封面"]["B3"].comment.text
    assert "联系人为空" in cover and "原有的批注" in cover  # the sub-unit's own comment is kept
    review = wb[REVIEW_SHEET]
    assert review["H7"].value == "=1+1 不是指标值" and review["H7"].data_type == "s"  # text, never a formula
    assert review["F9"].value == "—" and review["F9"].hyperlink is None


def test_merged_cell_finding_goes_to_the_top_left_cell(tmp_path):
    source = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目1"
    ws["B2"] = "合并"
    ws.merge_cells("B2:D3")
    wb.save(source)
    annotate(source, [Finding("S01", "error", "m.xlsx", "项目1", "C3", None, "问题", "")], tmp_path / "o.xlsx")
    out = openpyxl.load_workbook(tmp_path / "o.xlsx")
    assert out["项目1"]["B2"].comment is not None
    assert out[REVIEW_SHEET]["F6"].hyperlink.location == "'项目1'!B2"


@needs_soffice
def test_xls_input_becomes_an_xlsx_copy_rebuilt_from_its_values(tmp_path, run_cli):
    inbox = tmp_path / "inbox" / "二级单位"
    inbox.mkdir(parents=True)
    xlsx = seed_data.build_template_workbook(tmp_path / "组织科.xlsx", "组织科", (seed_data.DANGJIAN,))
    xls = convert(soffice(), xlsx, "xls", inbox, tmp_path)
    before = digests(tmp_path / "inbox")
    feedback = tmp_path / "fb"
    result = run_cli("consolidate", tmp_path / "inbox", "-o", tmp_path / "o.xlsx", "--feedback", feedback)
    assert result.exit_code == 1, result.output
    assert digests(tmp_path / "inbox") == before
    copy = feedback / "二级单位" / "组织科.xlsx"
    assert copy.exists() and output_kind(copy) == "annotated"
    original = read_workbook(xls)
    wb = openpyxl.load_workbook(copy)
    assert "未保留原文件的格式" in wb[REVIEW_SHEET]["A3"].value
    for grid in original.sheets:
        ws = wb[grid.name]
        for (r, c), value in grid.cells.items():
            got = ws.cell(row=r + 1, column=c + 1).value
            assert got == value or (hasattr(got, "date") and got.date() == value), (grid.name, r, c)
        merged = {(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges}
        assert merged == {m for m in grid.merged if m[:2] != m[2:]}
    s01 = next(f for f in load_report(tmp_path / "o.json")["findings"] if f["code"] == "S01")
    assert "S01" in wb[s01["sheet"]][s01["cell"]].comment.text


def test_unreadable_inputs_get_no_copy_and_nothing_is_overwritten(tmp_path, run_cli):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    shutil.copy(EXAMPLES / "组织科.xlsx", inbox / "组织科.xlsx")
    feedback = tmp_path / "fb"
    feedback.mkdir()
    theirs = feedback / "组织科.xlsx"
    theirs.write_bytes(b"somebody else's file")
    refused = run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx", "--feedback", feedback)
    assert refused.exit_code == 2 and "为避免覆盖" in refused.stderr
    assert theirs.read_bytes() == b"somebody else's file"
    theirs.unlink()
    result = run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx", "--feedback", feedback)
    assert result.exit_code == 1
    assert sorted(p.name for p in feedback.iterdir()) == ["组织科.xlsx"]
    # a second run replaces its own copy
    assert run_cli("consolidate", inbox, "-o", tmp_path / "o.xlsx", "--feedback", feedback).exit_code == 1


def test_check_annotate_never_writes_over_its_input(tmp_path, run_cli):
    source = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    first = run_cli("check", source, "--annotate", tmp_path / "fb")
    assert first.exit_code == 1 and (tmp_path / "fb" / "组织科.xlsx").exists()
    copy = tmp_path / "fb" / "组织科.xlsx"
    again = run_cli("check", copy, "--annotate", tmp_path / "fb")  # checking the copy itself
    assert again.exit_code == 2 and "覆盖输入文件" in again.stderr
    assert check_paths([copy], RunOptions()).findings  # the copy is still readable and checked


def test_stale_file_is_not_annotated(tmp_path):
    from budget_xls.outputs.annotate import write_feedback

    source = shutil.copy(EXAMPLES / "组织科.xlsx", tmp_path / "组织科.xlsx")
    result = check_paths([Path(source)], RunOptions())
    Path(source).write_bytes(Path(source).read_bytes() + b"\0")
    done = write_feedback(result.files, result.findings, result.sources, tmp_path / "fb")
    assert [d.target for d in done] == [None] and "被修改" in done[0].note
    assert not (tmp_path / "fb").exists()


def test_consolidate_sources_map_every_read_file():
    result = consolidate(EXAMPLES, RunOptions())
    assert set(result.sources) == {f.file for f in result.files}
    assert all(p.is_file() for p in result.sources.values())
