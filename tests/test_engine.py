"""The engine: worker processes contain crashes, hangs and memory blow-ups; order is kept.

The per-file function is replaced in the parent before the pool starts (workers are
forked, so they inherit the replacement): a file named ``abort*`` kills its worker with
SIGABRT, ``hang*`` sleeps, ``hog*`` allocates without bound, ``bug*`` raises.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from budget_xls import engine, guards, ingest, pipeline
from budget_xls.cli import main
from budget_xls.rules import check_file
from tests.conftest import EXAMPLES

real_process_file = ingest.read_file

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and RLIMIT_AS: Linux")


def misbehaving(path: Path, rel: str):
    name = Path(rel).name
    if name.startswith("abort"):
        os.abort()
    if name.startswith("hang"):
        time.sleep(60)
    if name.startswith("hog"):
        chunks = []
        while True:
            chunks.append(bytearray(64 << 20))
    if name.startswith("bug"):
        raise KeyError("boom")
    if name.startswith("slow"):
        time.sleep(0.3)
    return real_process_file(path, rel)


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "read_file", misbehaving)

    def make(*names: str) -> list[engine.Task]:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        tasks = []
        for i, name in enumerate(names):
            src = sorted(EXAMPLES.glob("*.xlsx"))[i % 4]
            shutil.copy(src, folder / name)
            tasks.append(engine.Task(folder / name, name))
        return tasks

    return make


def statuses(results) -> list[tuple[str, str]]:
    return [(r.record.file, r.record.status) for r in results]


def test_results_keep_the_input_order(inbox):
    tasks = inbox("slow1.xlsx", "a.xlsx", "slow2.xlsx", "b.xlsx", "c.xlsx")
    results = engine.run_tasks(tasks, jobs=2)
    assert [r.record.file for r in results] == [t.rel for t in tasks]
    assert all(r.record.status == "ok" and r.forms for r in results)


def test_a_crashing_file_costs_only_itself(inbox):
    tasks = inbox("a.xlsx", "abort1.xlsx", "b.xlsx", "abort2.xlsx", "abort3.xlsx", "c.xlsx")
    results = engine.run_tasks(tasks, jobs=2)
    assert statuses(results) == [("a.xlsx", "ok"), ("abort1.xlsx", "unreadable"), ("b.xlsx", "ok"),
                                 ("abort2.xlsx", "unreadable"), ("abort3.xlsx", "unreadable"), ("c.xlsx", "ok")]
    crashed = results[1]
    assert crashed.record.reason == guards.crashed()
    assert [f.code for f in check_file(crashed)] == ["R01"]
    assert crashed.record.sha256 and crashed.record.size  # the manifest still describes the file


def test_one_worker_still_contains_a_crash(inbox):
    results = engine.run_tasks(inbox("abort.xlsx", "a.xlsx"), jobs=1)
    assert statuses(results) == [("abort.xlsx", "unreadable"), ("a.xlsx", "ok")]


def test_a_hanging_file_times_out(inbox):
    start = time.monotonic()
    results = engine.run_tasks(inbox("hang.xlsx", "a.xlsx", "b.xlsx"), jobs=2, timeout=1.5)
    assert time.monotonic() - start < 15
    assert statuses(results) == [("hang.xlsx", "unreadable"), ("a.xlsx", "ok"), ("b.xlsx", "ok")]
    assert "读取超时（超过 1.5 秒）" in results[0].record.reason


def test_a_memory_blow_up_fails_inside_its_worker(inbox):
    results = engine.run_tasks(inbox("hog.xlsx", "a.xlsx"), jobs=1, memory=512 << 20)
    assert statuses(results) == [("hog.xlsx", "unreadable"), ("a.xlsx", "ok")]
    assert "内存" in results[0].record.reason or results[0].record.reason == guards.crashed()


def test_a_bug_is_reported_as_r01_with_its_type(inbox):
    results = engine.run_tasks(inbox("bug.xlsx", "a.xlsx"), jobs=2)
    assert statuses(results) == [("bug.xlsx", "unreadable"), ("a.xlsx", "ok")]
    assert "KeyError" in results[0].record.reason


def test_in_process_mode_gives_the_same_results(inbox):
    tasks = inbox("a.xlsx", "b.xlsx", "c.xlsx")
    pooled = engine.run_tasks(tasks, jobs=2)
    direct = engine.run_tasks(tasks, jobs=0)
    assert [(r.record, [f.name for f in r.forms]) for r in pooled] == \
           [(r.record, [f.name for f in r.forms]) for r in direct]


def test_forms_cross_the_process_boundary_whole(examples_copy):
    """What a worker sends is what the main process would have parsed itself, field by field."""
    tasks = [engine.Task(p, p.name) for p in sorted(examples_copy.glob("*.xls*"))]
    pooled = engine.run_tasks(tasks, jobs=2, check=(None, frozenset()))
    direct = engine.run_tasks(tasks, jobs=0, check=(None, frozenset()))
    assert sum(len(r.forms) for r in pooled) == 6
    for a, b in zip(pooled, direct):
        assert a.record == b.record and a.forms == b.forms and a.checked == b.checked


def test_progress_is_called_once_per_file(inbox):
    seen = []
    engine.run_tasks(inbox("a.xlsx", "abort.xlsx", "b.xlsx"), jobs=2, progress=seen.append)
    assert sorted(seen) == ["a.xlsx", "abort.xlsx", "b.xlsx"]


def test_a_real_calamine_abort_is_contained(tmp_path, monkeypatch):
    """python-calamine SIGABRTs on a value at XFD1048576: with the sniff bypassed, the worker dies, not us."""
    from tests.test_hostile import add_cell

    bad = add_cell(EXAMPLES / "组织科.xlsx", tmp_path / "xfd.xlsx", b'<c r="XFD1048576"><v>1</v></c>')
    shutil.copy(EXAMPLES / "干部科.xlsx", tmp_path / "good.xlsx")

    def calamine_only(path: Path, rel: str):
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        return real_process_file(path, rel)

    monkeypatch.setattr(ingest, "read_file", calamine_only)
    results = engine.run_tasks([engine.Task(bad, "xfd.xlsx"), engine.Task(tmp_path / "good.xlsx", "good.xlsx")],
                               jobs=1)
    assert statuses(results) == [("xfd.xlsx", "unreadable"), ("good.xlsx", "ok")]
    assert results[0].record.reason == guards.crashed()


# ---------------------------------------------------------------- through the command


def test_jobs_do_not_change_the_report(examples_copy, tmp_path, run_cli):
    reports = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}" / "汇总.xlsx"
        result = run_cli("consolidate", examples_copy, "-o", out, "--jobs", jobs, "-q")
        assert result.exit_code == 1
        reports.append(json.loads(out.with_suffix(".json").read_text(encoding="utf-8")))
    for r in reports:
        r.pop("generated", None)
    assert reports[0] == reports[1] == reports[2]


def test_progress_bar_goes_to_stderr_only_on_a_terminal(examples_copy, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from budget_xls import cli

    out = tmp_path / "o.xlsx"
    args = ["consolidate", str(examples_copy), "-o", str(out)]
    plain = CliRunner().invoke(main, args)
    assert "读取工作簿" not in plain.stderr and "读取工作簿" not in plain.stdout
    monkeypatch.setattr(cli, "_stderr_is_tty", lambda: True)
    shown = CliRunner().invoke(main, args)
    assert "读取工作簿" in shown.stderr  # click draws the bar itself only on a real terminal
    assert "读取工作簿" not in shown.stdout and shown.stdout == plain.stdout
    quiet = CliRunner().invoke(main, args + ["--quiet"])
    assert quiet.stdout == "" and "读取工作簿" not in quiet.stderr


@pytest.mark.parametrize("year", [None, 2022, 2023])
def test_rules_run_in_the_worker_give_the_same_findings(examples_copy, year):
    """Prechecked findings are reused only for the settled year; otherwise the parent reruns the rules."""
    from budget_xls.discover import discover
    from budget_xls.model import FileResult

    options = pipeline.RunOptions(year=year, jobs=2)
    found = discover(examples_copy)
    results = pipeline.read_found(found, options)
    assert any(r.checked for r in results)
    stripped = [FileResult(r.record, r.forms, r.other_sheets) for r in results]
    with_pre = pipeline.assemble(examples_copy, results, options)
    without = pipeline.assemble(examples_copy, stripped, options)
    assert with_pre.findings == without.findings and with_pre.findings


def test_the_workers_json_entries_equal_the_main_process_own(examples_copy):
    """Projects are encoded for the JSON report where they were read; the report is the same
    byte for byte as when the main process encodes them itself (check mode, or older results)."""
    from budget_xls import pipeline
    from budget_xls.outputs import report

    result = pipeline.consolidate(examples_copy, pipeline.RunOptions(jobs=2))
    assert len(result.encoded) == len(result.projects) == 6
    pooled = report.dumps(report.build_report(result))
    result.encoded = {}
    assert report.dumps(report.build_report(result)) == pooled
    assert len(json.loads(pooled)["projects"]) == 6


def test_an_error_of_the_run_itself_while_taking_in_a_result_is_not_a_crashed_file(examples_copy):
    """``admit`` failing (the spool on a full disk) stops the run with that error: it is not
    taken for the reading worker's crash, which would mark a good file unreadable and go on."""
    from budget_xls import engine

    tasks = [engine.Task(p, p.name) for p in sorted(examples_copy.glob("*.xlsx"))]

    seen = []

    def admit(result):  # fails once, as a full disk would, then would take anything
        seen.append(result.record.status)
        if len(seen) == 1:
            raise ValueError("the run's own failure")
        return result

    with pytest.raises(ValueError, match="the run's own failure"):
        engine.run_tasks(tasks, jobs=2, admit=admit)
    assert seen == ["ok"]  # the good file was not turned into an unreadable one and admitted again
