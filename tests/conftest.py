from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_xls.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")


def pytest_sessionstart(session) -> None:
    # In CI the real-client tests must run, never skip silently.
    if os.environ.get("CI") and (soffice() is None or shutil.which("pdftotext") is None):
        raise pytest.UsageError("CI: LibreOffice (soffice) and pdftotext are required; .ci/run installs them")


@pytest.fixture(scope="session", autouse=True)
def _scratch_tempdir():
    """Every temporary file or folder made during the run (tempfile.mkdtemp in the rule factories,
    the LibreOffice profiles, the tools' own temp files, subprocesses via TMPDIR) goes under one
    folder that is removed at the end: a run leaves nothing in /tmp."""
    scratch = tempfile.mkdtemp(prefix="budget-xls-tests-")
    saved_dir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch
    try:
        yield Path(scratch)
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def run_cli():
    """Invoke the CLI; returns (result, parsed JSON report or None)."""

    def run(*args: str):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        return result

    return run


@pytest.fixture
def examples_copy(tmp_path: Path) -> Path:
    target = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, target)
    return target


def load_report(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))
