"""The suite itself: it leaves no temporary folders and prints no crash dumps.

Both checks run a small slice of the suite in a subprocess with its own TMPDIR and read
what it printed and what it left there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT


def _pytest(tmpdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TMPDIR=str(tmpdir), PYTHONPATH=str(ROOT))
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_tests_leave_no_temporary_folders():
    tmpdir = Path(tempfile.mkdtemp(prefix="hygiene-"))
    done = _pytest(tmpdir, "tests/test_rule_catalogue.py", "-k", "R01 or M01 or X01",
                   "tests/test_rules_factory.py::test_clean_form_is_read_completely",
                   "tests/test_cli.py")
    assert done.returncode == 0, done.stdout[-2000:]
    assert " passed" in done.stdout
    assert sorted(p.name for p in tmpdir.iterdir()) == []


def test_contained_crashes_print_no_stack_dump():
    tmpdir = Path(tempfile.mkdtemp(prefix="hygiene-"))
    done = _pytest(tmpdir, "tests/test_engine.py::test_a_crashing_file_costs_only_itself",
                   "tests/test_engine.py::test_a_real_calamine_abort_is_contained")
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stderr == ""
    assert done.stdout.splitlines()[-1].startswith("2 passed")
    assert "Fatal Python error" not in done.stdout and len(done.stdout.splitlines()) == 2
