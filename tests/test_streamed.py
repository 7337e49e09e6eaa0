"""A large run (issue 17): the forms' bulky parts spooled to disk, the large sheets streamed.

What a user would notice if streaming were wrong: a cell, a formula, a cached total, a width,
a row height, a link or a merged range that differs from the workbook a small run writes;
two runs of the same inbox that differ; a JSON report that differs. Every test here compares
a streamed run with the same run held in memory, by reading both workbooks.
"""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_xls import api, limits, pipeline
from budget_xls.indicators import parse_value
from budget_xls.outputs import registers
from budget_xls.outputs.registers import Column, Link, _fit_width, fit_widths
from budget_xls.spool import SpooledList, SpooledMap, Spooler
from budget_xls.template import WorkbookSpec, write_workbook
from tests.seed_data import EXAMPLES
from tests.test_writer import build_inbox, spec_of


def snapshot(path: Path) -> dict:
    """Everything a user sees of a workbook, read back with openpyxl: per sheet the cells
    (value or formula, cached value, number format, font, fill, wrap, link), the column
    widths, row heights, merged ranges, frozen panes, filters, conditional formats and print setup."""
    shown = {}
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    for ws, values in zip(formulas.worksheets, cached.worksheets):
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.hyperlink is None:
                    continue
                cells[c.coordinate] = (c.value, values[c.coordinate].value, c.number_format, c.font.b, c.font.i,
                                       c.fill.fgColor.rgb, c.alignment.wrap_text,
                                       (c.hyperlink.target, c.hyperlink.location) if c.hyperlink else None)
        shown[ws.title] = {
            "cells": cells,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "panes": ws.freeze_panes, "filter": ws.auto_filter.ref,
            "conditional": sorted(str(r.sqref) for r in ws.conditional_formatting),
            "print": (ws.page_setup.orientation, ws.page_setup.scale, ws.page_setup.fitToWidth,
                      ws.print_title_rows, ws.print_title_cols, str(ws.oddFooter.center.text)),
        }
    return shown


def run_both(inbox: Path, out: Path, **options) -> tuple[Path, Path, object, object]:
    results = []
    for streamed in (False, True):
        result = api.consolidate(inbox, stream=streamed, **options)
        assert result.streamed is streamed
        api.write_outputs(result, out / f"{'streamed' if streamed else 'held'}.xlsx")
        results.append(result)
    return out / "held.xlsx", out / "streamed.xlsx", *results


@pytest.fixture
def mixed_inbox(tmp_path: Path) -> Path:
    """The seed's six projects, two more departments' workbooks, and a form of another year
    (its rules are rerun in the main process, on indicators read back from the spool)."""
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, inbox)
    build_inbox(inbox / "其他单位")
    old = WorkbookSpec(year=2021, projects=[spec_of("项目1", "上年遗留项目", "某单位", "经常性项目",
                                                    "100", "100", "0", "100", "100", "0", "0")])
    write_workbook(inbox / "其他单位" / "上年表.xlsx", old)
    return inbox


def test_a_streamed_run_writes_the_same_workbook_as_one_held_in_memory(mixed_inbox, tmp_path):
    held, streamed, a, b = run_both(mixed_inbox, tmp_path / "out")
    assert a.year == b.year == 2022 and any(f.year == 2021 for f in b.projects)
    assert all(isinstance(f.indicators, SpooledList) for f in b.projects)  # nothing bulky held
    assert b.findings == a.findings and len(a.findings) > 40
    first, second = snapshot(held), snapshot(streamed)
    assert list(first) == list(second) == ["汇总", "目标审核", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"]
    for sheet in first:
        assert first[sheet] == second[sheet], sheet
    assert held.with_suffix(".json").read_bytes() == streamed.with_suffix(".json").read_bytes()
    # the streamed registers really went through xlsxwriter's constant_memory (strings inline)
    import zipfile

    with zipfile.ZipFile(streamed) as z:
        assert b't="inlineStr"' in z.read("xl/worksheets/sheet4.xml")  # 绩效指标
        assert b't="inlineStr"' not in z.read("xl/worksheets/sheet1.xml")  # 汇总 stays as it was


def test_a_streamed_register_continues_past_the_last_row_like_one_held_in_memory(mixed_inbox, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.setattr(registers, "EXCEL_ROWS", 6)  # five data rows a sheet: every register splits
    held, streamed, _, _ = run_both(mixed_inbox, tmp_path / "out")
    first, second = snapshot(held), snapshot(streamed)
    assert "绩效指标(3)" in first and "错误报告(2)" in first
    assert first == second
    formulas = [v[0] for v in second["汇总"]["cells"].values() if isinstance(v[0], str) and v[0].startswith("=")]
    assert any("'项目清单(2)'!" in f for f in formulas)


def test_two_streamed_runs_of_the_same_inbox_are_byte_identical(mixed_inbox, tmp_path):
    outs = []
    for n in (1, 2):
        result = api.consolidate(mixed_inbox, stream=True)
        outs.append(api.write_outputs(result, tmp_path / f"run{n}" / "汇总.xlsx"))
    (x1, j1), (x2, j2) = outs
    assert x1.read_bytes() == x2.read_bytes() and j1.read_bytes() == j2.read_bytes()


def test_the_run_starts_spooling_past_stream_rows_and_spools_what_came_before(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "STREAM_ROWS", 60)  # the seed's first workbooks stay under it, the rest pass it
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, inbox)
    result = api.consolidate(inbox)
    assert result.streamed
    assert all(isinstance(f.indicators, SpooledList) for f in result.projects)  # the early ones too
    assert isinstance(result.encoded, SpooledMap) and len(result.encoded) == len(result.projects)
    monkeypatch.setattr(limits, "STREAM_ROWS", 10**9)
    small = api.consolidate(inbox)
    assert not small.streamed and type(small.projects[0].indicators) is list
    assert [list(f.indicators) for f in result.projects] == [f.indicators for f in small.projects]
    assert [dict(f.narrative.items()) for f in result.projects] == [f.narrative for f in small.projects]


def test_the_memory_budget_charges_a_spooled_row_less():
    budget = pipeline.RunBudget(memory=10 * limits.ROW_BYTES)
    assert budget.row_bytes(5) == limits.ROW_BYTES
    streamed = pipeline.RunBudget(memory=10 * limits.ROW_BYTES, spooler=Spooler(force=True))
    assert streamed.row_bytes(5) == limits.SPOOLED_ROW_BYTES < limits.ROW_BYTES
    never = pipeline.RunBudget(spooler=Spooler(force=False))
    assert never.row_bytes(10**9) == limits.ROW_BYTES


def test_one_pass_widths_equal_the_widths_of_a_register_held_whole():
    """A streamed register measures its widths in one pass over rows it never holds; they are
    the widths the held register gets, for texts, links, numbers, amounts and blanks alike."""
    rng = random.Random(17)
    columns = [Column("序号", "int"), Column("文件", "wrap", 24), Column("单元格", "link", 8),
               Column("金额", "money", 16), Column("数值", "number", 14), Column("名称", "text", 12, 6),
               Column("数", "int")]
    words = ["培训", "满意度", "≥95%", "A", "经常性项目", "项目名称很长很长很长很长很长很长很长很长", "x" * 300, ""]
    for _ in range(200):
        rows = []
        for i in range(rng.randint(1, 30)):
            rows.append([i + 1, rng.choice(words + [None]), Link("internal:A1", rng.choice(words) or "A1"),
                         rng.choice([None, Decimal(rng.randint(-10**9, 10**9)) / 100, 7]),
                         rng.choice([None, Decimal("0.5"), 12, "见附件"]), rng.choice(words + [None]),
                         rng.choice([Decimal("1234567.5"), 3, None, -42])])
        widths, count = fit_widths(iter(rows), columns)
        assert count == len(rows)
        assert widths == [_fit_width(rows, col, c) for col, c in enumerate(columns)], rows


def test_the_cli_streams_on_request_and_writes_the_same_workbook(examples_copy, tmp_path, run_cli):
    held, streamed = tmp_path / "held" / "汇总.xlsx", tmp_path / "streamed" / "汇总.xlsx"
    first = run_cli("consolidate", examples_copy, "-o", held)
    second = run_cli("consolidate", examples_copy, "-o", streamed, "--stream")
    assert first.exit_code == second.exit_code == 1  # the seed's real defects
    assert "大批量模式" not in first.stdout and "大批量模式" in second.stdout.splitlines()[-1]
    assert snapshot(held) == snapshot(streamed)
    helped = run_cli("consolidate", "--help")
    assert "--stream / --no-stream" in helped.stdout and f"{limits.STREAM_ROWS:,} 行" in helped.stdout


def test_the_streamed_sheets_escape_control_characters_as_xlsxwriter_does():
    """A text with a control character, a literal _xHHHH_ or U+FFFE is escaped exactly as
    xlsxwriter escapes it; any other text is written as it is (the fast path)."""
    from xlsxwriter.worksheet import Worksheet

    from budget_xls.outputs.registers import StreamedWorksheet

    rng = random.Random(17)
    pool = list("ab_x0F9 \t\n\r\x00\x01\x1f中文≥%") + ["_x0000_", "_x00ZZ_", "\ufffe", "\uffff", "_X0041_"]
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert StreamedWorksheet._escape_control_characters(text) == Worksheet._escape_control_characters(text)
    assert StreamedWorksheet._escape_control_characters("项目\x01") == "项目_x0001_"


def test_a_streamed_run_with_last_year_a_roster_and_feedback_copies_matches_the_held_one(tmp_path):
    """The comparison with last year reads this year's indicators back from the spool; the
    上年对比 sheet, the P findings, 报送情况 and the annotated copies come out the same."""
    from tests.previous_years import build_year

    inbox = build_year(tmp_path / "2023", 2023)
    last = build_year(tmp_path / "2022", 2022)
    roster = tmp_path / "名单.txt"
    roster.write_text("中共上海市松江区委组织部\n某个没有报送的单位\n", encoding="utf-8")
    outs = []
    for streamed in (False, True):
        out = tmp_path / ("streamed" if streamed else "held")
        result = api.consolidate(inbox, stream=streamed, previous=[last], roster=roster)
        assert result.streamed is streamed and result.comparison is not None
        annotated: list = []
        api.write_outputs(result, out / "汇总.xlsx", feedback=out / "意见", annotated=annotated)
        outs.append((result, out, annotated))
    (a, held, copies_a), (b, streamed, copies_b) = outs
    assert {f.code for f in a.findings} >= {"P01", "P02", "P03", "P04", "X02"} and b.findings == a.findings
    assert snapshot(held / "汇总.xlsx") == snapshot(streamed / "汇总.xlsx")
    assert "上年对比" in snapshot(streamed / "汇总.xlsx")
    assert (held / "汇总.json").read_bytes() == (streamed / "汇总.json").read_bytes()
    assert len(copies_a) == len(copies_b) > 0
    for copy in sorted((held / "意见").rglob("*.xlsx")):
        other = streamed / "意见" / copy.relative_to(held / "意见")
        assert snapshot(copy) == snapshot(other), copy.name


def _file_result(name: str, indicators: int, budget_lines: int = 0, narrative: bool = True):
    """A file's result built directly: one form with ``indicators`` indicators and ``budget_lines`` lines."""
    from budget_xls.model import BudgetLine, Field, FileRecord, FileResult, Indicator, ProjectForm

    value = parse_value("≥95%")
    form = ProjectForm(file=name, sheet="项目1")
    form.fields = {"name": Field("项目", "项目", "B3")}
    form.indicators = [Indicator("产出指标", "数量指标", f"指标{j}", "≥95%", value, 12 + j, {"value": f"E{13 + j}"})
                       for j in range(indicators)]
    form.budget_lines = [BudgetLine(f"支出{j}", "测算", Field("10", Decimal(10), f"C{30 + j}"),
                                    Field("2", Decimal(2), f"D{30 + j}"), Field("20", Decimal(20), f"E{30 + j}"), 29 + j)
                         for j in range(budget_lines)]
    form.narrative = {"项目概述": Field("概述", "概述", "B40")} if narrative else {}
    result = FileResult(FileRecord(file=name, status="ok", sha256=name), [form])
    result.encoded[form.key] = f'{{"file": "{name}"}}'
    return result


def test_spooled_parts_read_back_as_they_were_and_behave_like_them():
    """Every part comes back from the spool as written; a spooled part is true when it holds
    something (one indicator is enough), compares equal to its list or dict, and answers
    ``in`` as the dict would."""
    from budget_xls.spool import Spool, SpooledDict, spool_result

    one, many, none = _file_result("a.xlsx", 1, 2), _file_result("b.xlsx", 3, 0, narrative=False), \
        _file_result("c.xlsx", 0, 1)
    before = [(list(r.forms[0].indicators), list(r.forms[0].budget_lines), dict(r.forms[0].narrative),
               dict(r.encoded)) for r in (one, many, none)]
    spool = Spool()
    for r in (one, many, none):
        spool_result(spool, r)
    for r, (indicators, lines, narrative, encoded) in zip((one, many, none), before):
        form = r.forms[0]
        assert isinstance(form.indicators, SpooledList) and isinstance(form.narrative, SpooledDict)
        assert list(form.indicators) == indicators and list(form.budget_lines) == lines
        assert dict(form.narrative.items()) == narrative and dict(r.encoded.items()) == encoded
        assert form.indicators == indicators and not (form.indicators != indicators)
        assert form.budget_lines == lines and form.narrative == narrative
        assert bool(form.indicators) is bool(indicators) and len(form.indicators) == len(indicators)
        assert bool(form.budget_lines) is bool(lines)
        assert ("项目概述" in form.narrative) is ("项目概述" in narrative) and "其他" not in form.narrative
        assert form.narrative.get("项目概述") == narrative.get("项目概述")
    assert one.forms[0].indicators[0].name == "指标0" and one.forms[0].budget_lines[1].item == "支出1"
    assert list(one.forms[0].indicators) != list(many.forms[0].indicators)


def test_the_spool_starts_just_past_stream_rows(monkeypatch):
    """At STREAM_ROWS output rows the run is still held; one more row and it is spooled, with
    what came before."""
    from budget_xls.model import result_rows

    first = _file_result("a.xlsx", 4)
    monkeypatch.setattr(limits, "STREAM_ROWS", result_rows(first) + result_rows(_file_result("b.xlsx", 4)))
    spooler = Spooler()
    spooler(first)
    assert not spooler.active
    spooler(_file_result("b.xlsx", 4))  # exactly STREAM_ROWS rows so far
    assert not spooler.active and spooler.rows == limits.STREAM_ROWS
    last = spooler(_file_result("c.xlsx", 0, narrative=False))  # one row more: the form itself
    assert spooler.active and isinstance(first.forms[0].indicators, SpooledList)
    assert isinstance(last.encoded, SpooledMap) and list(first.forms[0].indicators)[3].name == "指标3"


def test_a_full_disk_under_the_spool_stops_the_run_with_a_message(examples_copy, tmp_path, monkeypatch, run_cli):
    """The spool's temporary file cannot be written: exit 2 with what to do (free the disk, or
    --no-stream), no traceback, no outputs; the same inbox held in memory still runs."""
    import errno
    import os

    from budget_xls import spool

    def full(fd, data, offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(spool.os, "pwrite", full)
    out = tmp_path / "o" / "汇总.xlsx"
    result = run_cli("consolidate", examples_copy, "-o", out, "--stream")
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "--no-stream" in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert run_cli("consolidate", examples_copy, "-o", out, "--no-stream", "-q").exit_code == 1 and out.exists()
    assert os.pwrite is full  # (the module's os is the real os: restored by monkeypatch after the test)


def test_the_spool_finishes_a_short_write_where_it_stopped(monkeypatch):
    """os.pwrite may write less than asked (a signal, a full pipe of a network disk): the rest
    is written after it, and every record reads back whole."""
    import os

    from budget_xls import spool as spool_module
    from budget_xls.spool import Spool

    real = os.pwrite
    monkeypatch.setattr(spool_module.os, "pwrite", lambda fd, data, offset: real(fd, bytes(data[:7]), offset))
    store = Spool()
    refs = [store.put(("记录", n, "x" * n)) for n in (0, 5, 40, 300)]
    monkeypatch.setattr(spool_module.os, "pwrite", real)
    assert [store.get(ref) for ref in refs] == [("记录", n, "x" * n) for n in (0, 5, 40, 300)]
    assert store.size == sum(length for _, length in refs)


@pytest.mark.parametrize("shuffled", [False, True], ids=["in order", "a row's links right to left"])
def test_a_streamed_sheets_links_and_merges_are_kept_small_and_written_as_xlsxwriter_writes_them(
        tmp_path, monkeypatch, shuffled):
    """A full 错误报告 holds 65,530 links; xlsxwriter keeps an object of ~900 bytes for each until
    the sheet is closed. A streamed sheet keeps them in a temporary file instead — and the
    workbook is the one xlsxwriter writes, part for part (external links with their
    relationships, internal links, mail and web links, tips, texts), over several batches. Its
    merged ranges (目标审核 merges six a project) go to disk too."""
    import xlsxwriter

    from budget_xls.outputs.packager import Workbook
    from tests.test_packager import FIXED, parts

    monkeypatch.setattr(registers.LinkFile, "BATCH", 7)
    monkeypatch.setattr(registers.SpillFile, "BATCH", 9)  # the merged ranges
    links = []
    for r in range(60):
        row = [(0, f"external:../收件箱/单位{r}.xlsx#'项目{r}'!C{r + 3}", f"C{r + 3}", "打开源文件并定位到该单元格"),
               (1, f"internal:'错误报告'!A{r + 2}", f"查看 {r} 条", None),
               (2, "mailto:office@example.cn" if r % 2 else f"https://example.cn/p?{r}", None, "提示" if r % 3 else None)]
        links.append((r, row[::-1] if shuffled else row))
    held_sheets = []

    def build(path: Path, make, sheet_class=None) -> None:
        wb = make(str(path), {"constant_memory": True})
        wb.set_properties({"created": FIXED})
        ws = wb.add_worksheet("链接", worksheet_class=sheet_class) if sheet_class else wb.add_worksheet("链接")
        for r, row in links:
            for c, url, text, tip in row:
                ws.write_url(r, c, url, string=text, tip=tip)
            ws.write_number(r, 3, r)
            ws.merge_range(r, 4, r, 6, f"合并{r}")
        if sheet_class:
            held_sheets.append((len(ws.hyperlinks), len(ws.links), ws.links.fh is not None, len(ws.merge),
                                ws.merge.fh is not None, len(ws.merge.batch)))
        wb.close()

    build(tmp_path / "ours.xlsx", Workbook, registers.StreamedWorksheet)
    build(tmp_path / "theirs.xlsx", xlsxwriter.Workbook)
    assert held_sheets == [(0, 180, True, 60, True, 6)]  # no link held: 180 on disk; 54 of 60 ranges too
    ours, theirs = parts(tmp_path / "ours.xlsx"), parts(tmp_path / "theirs.xlsx")
    assert list(ours) == list(theirs) and ours == theirs
    assert ours["xl/worksheets/_rels/sheet1.xml.rels"].count(b'TargetMode="External"') == 120  # files, mail and web


def test_a_spooled_forms_fields_load_back_and_the_held_ones_need_no_read(monkeypatch):
    """A light form keeps its name, unit and category in memory (every pass at the end of the
    run reads them): reading those reads nothing from disk; any other field loads back as it was,
    and the JSON entry and the review's measures (for the run's year only) come from the same record."""
    from budget_xls.model import MISSING, Field
    from budget_xls.spool import Spool, SpooledFields, SpooledMap, spool_result

    r = _file_result("a.xlsx", 2)
    form = r.forms[0]
    form.fields.update({"implementer": Field("组织科", "组织科", "B5"), "total": Field(10, Decimal(10), "C9")})
    r.facts[form.key] = (2022, "measures")
    fields = dict(form.fields)
    held_name = form.fields["name"]
    form.uncached = [("C9", "项目总额")]
    form.excel_errors = [("E14", "指标值", "#REF!")]
    form.hidden_values = [("B40", "name", "旧名", "B3", "项目")]
    kept = (list(form.uncached), list(form.excel_errors), list(form.hidden_values))
    spool = Spool()
    spool_result(spool, r)
    assert (list(form.uncached), list(form.excel_errors), list(form.hidden_values)) == kept
    assert isinstance(form.fields, SpooledFields) and not form.budget_lines
    reads = []
    real = spool.get
    monkeypatch.setattr(spool, "get", lambda ref: reads.append(ref) or real(ref))
    assert form.name == "项目" and form.get("implementer").cell == "B5" and form.get("category") is MISSING
    assert "name" in form.fields and reads == []
    assert form.amount("total") == Decimal(10) and form.get("start") is MISSING and len(reads) == 2
    assert dict(form.fields.items()) == fields and form.fields == fields
    assert form.fields["name"] is held_name and form.fields["total"].value == Decimal(10)
    for absent in ("category", "start"):  # held and absent; not held and absent
        with pytest.raises(KeyError):
            form.fields[absent]
    assert r.encoded[form.key] == '{"file": "a.xlsx"}' and r.facts[form.key] == (2022, "measures")
    this_year, last_year = SpooledMap(r.forms, 2, 2022), SpooledMap(r.forms, 2, 2021)
    assert this_year.get(form.key) == "measures" and last_year.get(form.key) is None and form.key not in last_year


def _finding(file: str, sheet: str | None, cell: str | None, code: str = "M01", severity: str = "error"):
    from budget_xls.model import Finding

    return Finding(code, severity, file, sheet, cell, "项目", f"{code} 于 {cell}")


def test_spooled_findings_read_back_in_the_order_a_held_run_sorts_them():
    """Files' findings spooled in any order, findings across files held: read back, the
    findings are in ``Finding.sort_key`` order — the order 错误报告 lists them in — and a file's
    or a form's own come back with the ones across files merged in."""
    from budget_xls.model import Finding
    from budget_xls.spool import Spool, SpooledFindings

    found = {
        "b.xlsx": [_finding("b.xlsx", "项目2", "C10"), _finding("b.xlsx", "项目1", "B3", "S01", "warning"),
                   _finding("b.xlsx", None, None, "R11", "info")],
        "a.xlsx": [_finding("a.xlsx", "项目1", "AA2"), _finding("a.xlsx", "项目1", "Z2"),
                   _finding("c.xlsx", "项目1", "B1", "X03", "info")],  # about another file: held
        "c.xlsx": [],
    }
    across = [_finding("b.xlsx", "项目1", "B3", "X01", "warning"), _finding("a.xlsx", "项目1", "A1", "X02")]
    spooled = SpooledFindings(Spool())
    for file, own in found.items():
        spooled.add(file, own)
    spooled.extend(across)
    held = sorted([f for own in found.values() for f in own] + across, key=Finding.sort_key)
    assert list(spooled) == held and spooled == held and len(spooled) == 8
    assert spooled[0] == held[0] and spooled[-1] == held[-1] and spooled[2:5] == held[2:5]
    assert spooled[-8] == held[0] and spooled[7] == held[7]
    assert spooled.severities == {"error": 4, "warning": 2, "info": 2}
    assert [f.code for f in spooled.of_file("b.xlsx")] == ["R11", "S01", "X01", "M01"]
    assert [f.cell for f in spooled.of_file("a.xlsx")] == ["A1", "Z2", "AA2"]
    assert [f.code for f in spooled.of_file("c.xlsx")] == ["X03"] and spooled.of_file("d.xlsx") == []
    assert [f.code for f in spooled.of_form(("b.xlsx", "项目1", 0))] == ["S01", "X01"]
    assert spooled.of_form(("b.xlsx", "项目9", 0)) == [] and spooled.files() == {"a.xlsx", "b.xlsx", "c.xlsx"}
    assert set(spooled.runs) == {"a.xlsx", "b.xlsx"} and len(spooled.loose) == 3  # a file's own on disk
    reads = []
    real_of_file = spooled.of_file
    spooled.of_file = lambda file: reads.append(file) or real_of_file(file)
    spooled.of_form(("b.xlsx", "项目1", 0)), spooled.of_form(("b.xlsx", "项目2", 0)), spooled.of_form(("b.xlsx", "", 0))
    assert reads == []  # b.xlsx was read for the form before: its forms in a row read it once
    spooled.of_form(("a.xlsx", "项目1", 0)), spooled.of_form(("a.xlsx", "项目2", 0))
    assert reads == ["a.xlsx"]
    del spooled.of_file
    # a form of another file, then back (the file read once is the last one asked for)
    assert [f.cell for f in spooled.of_form(("a.xlsx", "项目1", 0))] == ["A1", "Z2", "AA2"]
    assert [f.code for f in spooled.of_form(("b.xlsx", "项目2", 0))] == ["M01"]
    assert [f.code for f in spooled.of_form(("c.xlsx", "项目1", 0))] == ["X03"]
    # a file added twice: its second list is held, and still read back in order
    spooled.add("c.xlsx", [_finding("c.xlsx", "项目1", "A9"), _finding("c.xlsx", "项目1", "A2")])
    spooled.add("c.xlsx", [_finding("c.xlsx", "项目1", "A5")])
    assert [f.cell for f in spooled.of_file("c.xlsx")] == ["B1", "A2", "A5", "A9"]  # by row, then column
    assert list(spooled) == sorted(held + [_finding("c.xlsx", "项目1", c) for c in ("A9", "A2", "A5")],
                                   key=Finding.sort_key)
    for beyond in (11, -12):
        with pytest.raises(IndexError):
            spooled[beyond]
    assert spooled[-11] == min(spooled, key=Finding.sort_key) and len(spooled) == 11


def test_a_streamed_runs_totals_come_from_counts_kept_as_the_findings_were_spooled(mixed_inbox):
    held, streamed = (api.consolidate(mixed_inbox, stream=s) for s in (False, True))
    from budget_xls.spool import SpooledFindings

    assert isinstance(streamed.findings, SpooledFindings) and type(held.findings) is list
    assert (streamed.errors, streamed.warnings, streamed.exit_code) == (held.errors, held.warnings, held.exit_code)
    assert streamed.errors == sum(f.severity == "error" for f in streamed.findings) > 0


def test_a_streamed_run_holds_no_form_in_memory_and_reads_them_back_a_file_at_a_time(mixed_inbox):
    """Past a city's inbox the forms themselves go to disk, a record a file: once the spool's
    recent records are let go, no form object is left in memory (what 汇总 and the cross-file
    checks need was taken on the way), and the forms read back — by index, by key, in order —
    are the held run's."""
    import gc

    from budget_xls.model import ProjectForm
    from budget_xls.spool import SpooledForms

    held, streamed = (api.consolidate(mixed_inbox, stream=s) for s in (False, True))
    projects = streamed.projects
    assert isinstance(projects, SpooledForms) and len(projects) == len(held.projects) > 8
    streamed.spool.recent.clear()
    gc.collect()
    light = [o for o in gc.get_objects() if isinstance(o, ProjectForm) and type(o.indicators) is not list]
    assert light == [] and all(type(f.indicators) is list for f in held.projects)  # (the held run's are)
    keys = [f.key for f in held.projects]
    assert [f.key for f in projects] == keys and [f.name for f in projects] == [f.name for f in held.projects]
    assert projects[-1].key == keys[-1] and [f.key for f in projects[2:5]] == keys[2:5]
    assert projects[-len(keys)].key == keys[0] and projects == held.projects and not (projects != held.projects)
    for beyond in (len(keys), -len(keys) - 1):
        with pytest.raises(IndexError):
            projects[beyond]
    assert all(projects.find(k).key == k for k in keys) and projects.find(("无此文件.xlsx", "项目1", 0)) is None
    assert dict(streamed.encoded.items()) == held.encoded
    assert {k: streamed.facts.get(k) for k in keys} == {k: held.facts.get(k) for k in keys}
