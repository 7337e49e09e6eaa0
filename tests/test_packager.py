"""The write on two cores (``outputs.packager``, ``outputs.forked``, ``OutputSet`` background).

What a user would notice if it were wrong: a workbook or a JSON report that differs from
the one written on one core (a cell, a style, a link that opens nothing), a run that hangs
or fails because a helper process died, an output left half-written. Every test compares
the bytes written with a helper against the bytes written without one.
"""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from budget_xls import api
from budget_xls.outputs import forked, packager
from budget_xls.outputs.atomic import OutputLocked, OutputSet
from tests.seed_data import EXAMPLES

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="fork-based helpers run on Linux only")


@pytest.fixture
def forks(monkeypatch) -> list:
    """Every helper forked (its work and its answer), the fork threshold lowered to the examples' size."""
    made = []
    real = forked.Forked

    class Spy(real):
        def __init__(self, work, tmpdir=None):
            super().__init__(work, tmpdir)
            made.append(self)

    monkeypatch.setattr(forked, "Forked", Spy)
    monkeypatch.setattr(packager, "Forked", Spy)
    monkeypatch.setattr(packager, "MIN_CELLS", 1)
    return made


def write_both(result, out: Path, monkeypatch) -> tuple[bytes, bytes, bytes, bytes]:
    """The run's workbook and report written with helpers, then on one core."""
    api.write_outputs(result, out / "par" / "汇总.xlsx")
    with monkeypatch.context() as m:
        m.setattr(packager.Packager, "parallel", False)
        m.setattr(forked, "can_fork", lambda: False)
        api.write_outputs(result, out / "one" / "汇总.xlsx")
    return ((out / "par" / "汇总.xlsx").read_bytes(), (out / "one" / "汇总.xlsx").read_bytes(),
            (out / "par" / "汇总.json").read_bytes(), (out / "one" / "汇总.json").read_bytes())


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(EXAMPLES, inbox, dirs_exist_ok=True)
    return api.consolidate(inbox, year=2022, jobs=0)


def test_examples_workbook_and_report_are_the_bytes_one_core_writes(example_run, tmp_path, monkeypatch, forks):
    par, one, par_json, one_json = write_both(example_run, tmp_path, monkeypatch)
    assert len(forks) == 2, "the report and the sheets were not handed to helpers"
    assert par == one  # links to the sources (external), to 错误报告 (internal), the chart, styles
    assert par_json == one_json
    with zipfile.ZipFile(tmp_path / "par" / "汇总.xlsx") as zf:
        rels = [n for n in zf.namelist() if n.startswith("xl/worksheets/_rels/")]
        assert rels, "the links to the source files lost their relationships"


def test_a_sheet_of_external_links_serialised_by_the_helper_keeps_its_links(tmp_path, monkeypatch, forks):
    def build(path: Path) -> None:
        wb = packager.Workbook(str(path))
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
    assert len(forks) == 1 and forks[0].pid
    monkeypatch.setattr(packager.Packager, "parallel", False)
    build(tmp_path / "one.xlsx")
    assert (tmp_path / "par.xlsx").read_bytes() == (tmp_path / "one.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "par.xlsx") as zf:
        rels = zf.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert rels.count("TargetMode=\"External\"") == 300 and "源文件299.xlsx" in rels


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
    assert len(forks) == 2
    assert par == one and par_json == one_json


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
