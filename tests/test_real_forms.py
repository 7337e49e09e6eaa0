"""budget-xls on real published forms (tests/real/): every project found, fields and indicators read
right, no error or warning that the source does not deserve, every real defect reported.

The forms are transcribed as published (tests/real/SOURCES.md); their keys hold the truth. The
score is computed as a user would run the tool (one consolidate per budget year), by
benchmarks/real_forms.py, which prints the details: ``python3 benchmarks/real_forms.py --details``.
"""

from __future__ import annotations

import pytest

from benchmarks.real_forms import score
from tests.real.build import build_all, modules


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    forms = tmp_path_factory.mktemp("real")
    build_all(forms)  # the workbooks from their transcriptions, not a stale copy
    return score(forms)


def test_the_corpus_is_wide_enough():
    mods = list(modules())
    projects = sum(len(m.KEY) for m in mods)
    provinces = {m.SOURCE["province"] for m in mods}
    years = {m.SOURCE["year"] for m in mods}
    assert projects >= 25 and len(mods) >= 8 and len(provinces) >= 5
    assert min(years) <= 2020 and max(years) >= 2025


def test_every_project_is_found(result):
    total, _ = result
    assert total.found == total.projects, [d for d in total.details if d.startswith(("NOT FOUND", "EXTRA"))]


def test_fields_and_indicators_are_read_right(result):
    total, _ = result
    assert total.fields_right / total.fields >= 0.98, [d for d in total.details if d.startswith("FIELD")]
    assert total.indicators_right / total.indicators >= 0.98, [d for d in total.details if d.startswith("INDICATOR")]


def test_no_false_alarm(result):
    total, _ = result
    assert total.false_alarms == 0, [d for d in total.details if d.startswith("FALSE")]


def test_every_real_defect_is_reported(result):
    total, _ = result
    assert total.missed_defects == 0, [d for d in total.details if d.startswith("MISSED")]
