"""The main process has a memory budget like the workers (issue 17).

Every row the outputs will hold (project, indicator, budget line, finding) is held by the
main process until the workbook is written. Files are admitted in input order while their
rows fit the budget; a file that would pass it is refused with R01 and a reason, and the
run goes on with the rest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget_xls import limits
from budget_xls.ingest import ingest
from budget_xls.pipeline import RunBudget, RunOptions, consolidate, result_rows

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def rows_by_file(folder: Path) -> dict[str, int]:
    return {p.name: result_rows(ingest(p, p.name, (2022, frozenset()))) for p in sorted(folder.iterdir())}


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, folder)
    return folder


def test_rows_count_what_the_outputs_hold(inbox):
    result = ingest(inbox / "组织科.xlsx", "组织科.xlsx", (2022, frozenset()))
    forms = result.forms
    findings = sum(len(f) for _, f in result.checked.values())
    assert forms and findings
    assert result_rows(result) == len(forms) + sum(len(f.indicators) + len(f.budget_lines) for f in forms) + findings


@pytest.mark.parametrize("jobs", [0, 2])
def test_a_file_past_the_budget_is_refused_and_the_rest_kept(inbox, monkeypatch, jobs):
    rows = rows_by_file(inbox)
    names = list(rows)
    # a file with a smaller one after it: room for the files before it and the smaller one only
    i = next(i for i in range(1, len(names)) if any(rows[n] < rows[names[i]] for n in names[i + 1:]))
    third, before = names[i], names[:i]
    later = [n for n in names[i + 1:] if rows[n] < rows[third]]
    budget_rows = sum(rows[n] for n in before) + min(rows[n] for n in later)
    monkeypatch.setattr(limits, "MAIN_MEMORY_BYTES", budget_rows * limits.ROW_BYTES)
    result = consolidate(inbox, RunOptions(year=2022, jobs=jobs))
    status = {f.file: f for f in result.files}
    assert all(status[n].status == "ok" for n in before)
    refused = status[third]
    assert refused.status == "unreadable" and refused.projects == 0
    assert "内存预算" in refused.reason and f"此文件有 {rows[third]} 行" in refused.reason
    r01 = [f for f in result.findings if f.code == "R01" and f.file == third]
    assert len(r01) == 1 and "分成几批" in r01[0].message
    assert not [p for p in result.projects if p.file == third]
    kept = [n for n in names if status[n].status == "ok"]
    assert sum(rows[n] for n in kept) <= budget_rows
    assert min(later, key=rows.get) in kept  # a smaller file after the refused one still fits


def test_the_default_budget_admits_every_example():
    budget = RunBudget()
    assert budget.left == limits.MAIN_MEMORY_BYTES  # bytes
    for p in sorted(EXAMPLES.iterdir()):
        result = ingest(p, p.name, (2022, frozenset()))
        assert budget(result) is result


def test_a_spooled_run_fits_more_rows_in_the_same_budget(inbox, monkeypatch):
    """Rows whose bulky parts go to disk cost the main process less: a budget that refuses the
    last file of a run held in memory admits it once the run is spooled."""
    rows = rows_by_file(inbox)
    total = sum(rows.values())
    monkeypatch.setattr(limits, "MAIN_MEMORY_BYTES", (total - 1) * limits.ROW_BYTES)
    held = consolidate(inbox, RunOptions(year=2022, stream=False))
    assert [f.status for f in held.files].count("unreadable") == 1
    spooled = consolidate(inbox, RunOptions(year=2022, stream=True))
    assert {f.status for f in spooled.files} == {"ok"} and spooled.streamed


def test_a_resubmitted_identical_file_costs_nothing(inbox, monkeypatch):
    """The same bytes sent twice are consolidated once (X03): the copy takes no room in the
    budget, so a file after it that fits beside the original is still admitted."""
    rows = rows_by_file(inbox)
    names = list(rows)
    first, last = names[0], names[-1]
    shutil.copy2(inbox / first, inbox / f"{Path(first).stem}（重发）.xlsx")  # sorts right after the original
    monkeypatch.setattr(limits, "MAIN_MEMORY_BYTES", sum(rows.values()) * limits.ROW_BYTES)
    result = consolidate(inbox, RunOptions(year=2022, stream=False))
    status = {f.file: f for f in result.files}
    copy = status[f"{Path(first).stem}（重发）.xlsx"]
    assert copy.status == "skipped" and copy.duplicate_of == first
    assert all(status[n].status == "ok" for n in names), {n: status[n].reason for n in names}
    assert status[last].status == "ok"
