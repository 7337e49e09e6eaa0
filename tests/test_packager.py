"""The write on two cores (``outputs.packager``, ``outputs.forked``, ``OutputSet`` background).

What a user would notice if it were wrong: a workbook or a JSON report that differs from
the one written on one core (a cell, a style, a link that opens nothing), a run that hangs
or fails because a helper process died, an output left half-written. Every test compares
the bytes written with a helper against the bytes written without one.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from budget_xls import api
from budget_xls.outputs import forked, packager
from budget_xls.outputs import workbook as workbook_module
from budget_xls.outputs.atomic import OutputLocked, OutputSet
from tests.seed_data import EXAMPLES

FIXED = datetime.datetime(2000, 1, 1)  # the document time, so that two writes can be compared
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based helpers run on Linux only")


class Forks(list):
    """The helpers forked during a test, and what each one's ``join`` answered."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list = []

    @property
    def all_delivered(self) -> bool:
        return len(self.answers) == len(self) and all(a is not forked.FAILED for a in self.answers)


@pytest.fixture
def forks(monkeypatch) -> Forks:
    """Every helper forked and its answer, the fork threshold lowered to the examples' size."""
    made = Forks()
    real = forked.Forked

    class Spy(real):
        def __init__(self, work, tmpdir=None):
            super().__init__(work, tmpdir)
            made.append(self)

        def join(self):
            answer = super().join()
            made.answers.append(answer)
            return answer

    monkeypatch.setattr(forked, "Forked", Spy)
    monkeypatch.setattr(packager, "Forked", Spy)
    monkeypatch.setattr(packager, "MIN_CELLS", 1)
    return made


def parts(path: Path) -> dict[str, bytes]:
    """Every part of a package by name, in the zip's order (the zip's compression aside)."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_both(result, out: Path, monkeypatch) -> tuple[dict, dict, bytes, bytes]:
    """The run's workbook and report written with helpers, then by xlsxwriter alone, on one core."""
    api.write_outputs(result, out / "par" / "汇总.xlsx")
    with monkeypatch.context() as m:
        m.setattr(workbook_module, "Workbook", xlsxwriter.Workbook)  # xlsxwriter's own packager
        m.setattr(forked, "can_fork", lambda: False)
        api.write_outputs(result, out / "one" / "汇总.xlsx")
    return (parts(out / "par" / "汇总.xlsx"), parts(out / "one" / "汇总.xlsx"),
            (out / "par" / "汇总.json").read_bytes(), (out / "one" / "汇总.json").read_bytes())


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(EXAMPLES, inbox, dirs_exist_ok=True)
    return api.consolidate(inbox, year=2022, jobs=0)


def test_examples_workbook_and_report_are_the_bytes_one_core_writes(example_run, tmp_path, monkeypatch, forks):
    par, one, par_json, one_json = write_both(example_run, tmp_path, monkeypatch)
    assert len(forks) == 2 and forks.all_delivered, "the report and the sheets were not done by helpers"
    assert list(par) == list(one) and par == one  # links to the sources and to 错误报告, the chart, styles
    assert par_json == one_json
    assert any(n.startswith("xl/worksheets/_rels/") for n in par), "the links to the source files lost their relationships"


def test_the_zip_is_compressed_at_level_5_not_xlsxwriters_6(example_run, tmp_path, forks):
    import zlib

    def deflated(data: bytes, level: int) -> int:
        z = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(z.compress(data) + z.flush())

    api.write_outputs(example_run, tmp_path / "汇总.xlsx")
    with zipfile.ZipFile(tmp_path / "汇总.xlsx") as zf:
        sheet = max((i for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet")),
                    key=lambda i: i.file_size)
        raw = zf.read(sheet.filename)
    assert sheet.compress_type == zipfile.ZIP_DEFLATED
    assert deflated(raw, 5) != deflated(raw, 6)  # the levels differ on this part
    assert sheet.compress_size == deflated(raw, 5)


def test_a_sheet_of_external_links_serialised_by_the_helper_keeps_its_links(tmp_path, monkeypatch, forks):
    def build(path: Path) -> None:
        wb = packager.Workbook(str(path))
        wb.set_properties({"created": FIXED})
        bold, red = wb.add_format({"bold": True}), wb.add_format({"font_color": "red", "num_format": "0.00%"})
        links = wb.add_worksheet("链接")
        for r in range(300):
            links.write_url(r, 0, f"external:源文件{r}.xlsx#'表1'!A{r + 1}", string=f"第{r}行")
            links.write_string(r, 1, f"说明{r}", bold if r % 2 else None)
        small = wb.add_worksheet("其他")
        small.set_column(0, 0, 12, red)
        small.write_number(0, 0, 0.95)
        small.write_url(1, 0, "internal:'链接'!A1", string="回到链接")
        small.set_row(2, 30, bold)
        wb.close()

    build(tmp_path / "par.xlsx")
    assert len(forks) == 1 and forks.all_delivered
    monkeypatch.setattr(packager, "Workbook", xlsxwriter.Workbook)
    build(tmp_path / "one.xlsx")
    par, one = parts(tmp_path / "par.xlsx"), parts(tmp_path / "one.xlsx")
    assert list(par) == list(one) and par == one
    rels = par["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    assert rels.count("TargetMode=\"External\"") == 300 and "源文件299.xlsx" in rels


def numbers_only(path: Path, make=None) -> None:
    """Three sheets of numbers (100, 60 and 60 rows: the helper's side is the lighter one)."""
    wb = (make or packager.Workbook)(str(path))
    wb.set_properties({"created": FIXED})
    for name, rows in (("甲", 100), ("乙", 60), ("丙", 60)):
        ws = wb.add_worksheet(name)
        for r in range(rows):
            ws.write_number(r, 0, r)
            ws.write_number(r, 1, r * 0.5)
    wb.close()


def test_a_workbook_without_text_has_no_shared_strings_part(tmp_path, forks):
    numbers_only(tmp_path / "par.xlsx")
    assert len(forks) == 1 and forks.all_delivered
    numbers_only(tmp_path / "one.xlsx", xlsxwriter.Workbook)
    par, one = parts(tmp_path / "par.xlsx"), parts(tmp_path / "one.xlsx")
    assert "xl/sharedStrings.xml" not in par and list(par) == list(one) and par == one


def test_an_error_while_the_parent_serialises_is_the_one_raised(tmp_path, monkeypatch, forks):
    parent, real = os.getpid(), packager._assemble

    def fails_here(jobs):
        if os.getpid() == parent:
            raise RuntimeError("disk gone")
        return real(jobs)

    monkeypatch.setattr(packager, "_assemble", fails_here)
    with pytest.raises(RuntimeError, match="disk gone"):
        numbers_only(tmp_path / "par.xlsx")
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0].pid, os.WNOHANG)  # the helper was stopped and reaped


@pytest.mark.parametrize("options", [{}, {"constant_memory": True}], ids=["held", "constant_memory"])
def test_cells_are_the_bytes_xlsxwriter_writes(tmp_path, options):
    """Each kind of cell budget-xls writes, through ``FastWorksheet``: formatted and plain numbers
    and texts, texts written inline (constant_memory), formulas, booleans, blanks, dates, a row
    and a column format (rich text: budget-xls writes none, see the next test)."""
    def build(path: Path, make) -> None:
        wb = make(str(path), options)
        wb.set_properties({"created": FIXED})
        pct, bold = wb.add_format({"num_format": "0.0%"}), wb.add_format({"bold": True})
        ws = wb.add_worksheet("格")
        ws.set_column(5, 5, 12, bold)
        for r in range(50):
            ws.set_row(r, 18, pct if r % 7 == 0 else None)
            ws.write_number(r, 0, r / 7, pct)
            ws.write_number(r, 1, r)
            ws.write_string(r, 2, f"第{r}行 <&> \"引号\"", bold)
            ws.write_string(r, 3, f" 前后空格{r} ")
            ws.write_formula(r, 4, f"=A{r + 1}*2", pct, r / 7 * 2)
            ws.write_string(r, 5, "列格式")
            ws.write_boolean(r, 6, r % 2 == 0)
            ws.write_blank(r, 7, None, bold)
            ws.write_datetime(r, 8, datetime.datetime(2022, 1, 1) + datetime.timedelta(days=r), pct)
            ws.write_string(r, 9, f" 前后空格、控制符\x01和_x0041_ {r} ", bold)
        wb.close()

    build(tmp_path / "ours.xlsx", packager.Workbook)
    build(tmp_path / "theirs.xlsx", xlsxwriter.Workbook)
    ours, theirs = parts(tmp_path / "ours.xlsx"), parts(tmp_path / "theirs.xlsx")
    assert list(ours) == list(theirs) and ours == theirs


@pytest.mark.parametrize("stream", [False, True], ids=["held", "streamed"])
def test_a_text_that_looks_like_xlsxwriters_rich_text_is_shown_as_typed(tmp_path, stream):
    """xlsxwriter writes a text "<r>…</r>" unescaped (its own rich-text marker): a sub-unit's cell
    would lose its content, or break the sheet's XML. In our workbook it is the text as typed."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    typed = ["<r>恶意</r>", "<r><t>x</t></r>", "<r></si><si>坏</r>"]
    path = tmp_path / "out.xlsx"
    wb = packager.Workbook(str(path), {"constant_memory": stream})
    ws = wb.add_worksheet("文本")
    fmt = wb.add_format({"bold": True})
    for r, text in enumerate(typed):
        ws.write_string(r, 0, text, fmt)
        ws.write_string(r, 1, text)
    wb.close()
    shown = openpyxl.load_workbook(path)["文本"]
    assert [[c.value for c in row] for row in shown.iter_rows()] == [[t, t] for t in typed]
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("文本").to_python() == [[t, t] for t in typed]


class _Sheet:
    def __init__(self, cells: int, constant_memory: bool = False) -> None:
        self.table = {r: {0: None} for r in range(cells)}
        self.constant_memory = constant_memory


def test_the_helper_gets_about_half_of_the_cells_and_the_parent_keeps_work(monkeypatch):
    monkeypatch.setattr(packager, "MIN_CELLS", 100)
    jobs = [(_Sheet(n), f"sheet{i}") for i, n in enumerate((50, 400, 300, 120, 10))]
    child = packager._share(jobs)
    theirs = sum(len(jobs[i][0].table) for i in child)
    assert child == sorted(child) and 1 in child  # the largest sheet goes first, to the helper
    assert theirs == 450 and 880 - theirs == 430  # 400 + 50 | 300 + 120 + 10
    # a sheet that streams to disk (constant_memory) is never the helper's
    assert packager._share([(_Sheet(500, True), "a"), (_Sheet(300), "b"), (_Sheet(300), "c")]) in ([1], [2])
    # not worth a fork: the helper's share under MIN_CELLS, or nothing left for the parent
    assert packager._share([(_Sheet(60), "a"), (_Sheet(50), "b")]) == []
    assert packager._share([(_Sheet(5000), "a")]) == []
    assert packager._share([(_Sheet(100), "a"), (_Sheet(0), "b")]) == []
    assert packager._share([(_Sheet(100), "a"), (_Sheet(100), "b")]) == [1]  # exactly MIN_CELLS is worth it


def test_a_helper_that_dies_costs_only_time(example_run, tmp_path, monkeypatch, forks):
    from budget_xls.outputs import report

    parent = os.getpid()

    def dies_in_child(real):
        def work(*args):
            if os.getpid() != parent:
                os._exit(3)  # as if killed: no answer
            return real(*args)
        return work

    monkeypatch.setattr(packager, "_assemble", dies_in_child(packager._assemble))
    monkeypatch.setattr(report, "dump", dies_in_child(report.dump))
    par, one, par_json, one_json = write_both(example_run, tmp_path, monkeypatch)
    assert len(forks) == 2 and forks.answers == [forked.FAILED, forked.FAILED]
    assert par == one and par_json == one_json


def test_no_process_to_spare_costs_only_time(example_run, tmp_path, monkeypatch, forks):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", no_fork)
    par, one, par_json, one_json = write_both(example_run, tmp_path, monkeypatch)
    assert len(forks) == 2 and forks.answers == [forked.FAILED, forked.FAILED]
    assert par == one and par_json == one_json
    assert not list(Path(tempfile.gettempdir()).glob("*.answer")), "an answer file was left behind"


def test_a_report_that_cannot_be_written_fails_the_set_as_on_one_core(example_run, tmp_path, monkeypatch, forks):
    out = tmp_path / "out"
    out.mkdir()
    (out / "汇总.json").mkdir()  # the report's target is a folder: its move fails
    with pytest.raises(OutputLocked):
        api.write_outputs(example_run, out / "汇总.xlsx")
    assert not (out / "汇总.xlsx").exists()
    assert sorted(p.name for p in out.iterdir()) == ["汇总.json"], "temporary files were left behind"


def test_an_output_set_left_without_commit_stops_its_helper(tmp_path):
    def slow(tmp: Path) -> None:
        import time

        time.sleep(30)
        tmp.write_text("never")

    with OutputSet() as outputs:
        outputs.stage(tmp_path / "late.json", slow, background=True)
        child = outputs.pending[0][3]
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # killed and reaped when the set was left
    assert not list(tmp_path.glob(".late*")), "the helper's temporary file was left behind"


def test_a_helper_answers_what_its_work_returned_and_leaves_nothing_behind(tmp_path):
    helper = forked.Forked(lambda: {"sheets": [1, 2], "pid": os.getpid()}, str(tmp_path))
    answer = helper.join()
    assert answer["sheets"] == [1, 2] and answer["pid"] == helper.pid != os.getpid()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(helper.pid, os.WNOHANG)  # reaped


def test_no_helper_while_another_thread_runs():
    assert forked.can_fork()
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not forked.can_fork()
    finally:
        stop.set()
        t.join()
