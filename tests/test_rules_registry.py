"""The registry and docs/rules.md: every rule documented, docs in step, codes well-formed."""

from __future__ import annotations

import re
import subprocess
import sys

from budget_xls import docs
from budget_xls.rules import REGISTRY, template_fields

CODE = re.compile(r"^[RSMDIXPQGC]\d{2}$")


def test_docs_rules_md_is_up_to_date():
    assert docs.DOCS_PATH.exists(), "run python3 -m budget_xls.docs"
    assert docs.DOCS_PATH.read_text(encoding="utf-8") == docs.render(), "run python3 -m budget_xls.docs"


def test_docs_check_flag(tmp_path, monkeypatch):
    monkeypatch.setattr(docs, "DOCS_PATH", tmp_path / "rules.md")
    assert docs.main(["--check"]) == 1
    assert docs.main([]) == 0
    assert docs.main(["--check"]) == 0


def test_python_dash_m_docs_check():
    out = subprocess.run([sys.executable, "-m", "budget_xls.docs", "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_every_rule_is_documented_with_why_and_examples():
    for r in REGISTRY.values():
        assert CODE.match(r.code), r.code
        assert r.title and r.message and r.hint, r.code
        assert "Why:" in r.doc and "Bad:" in r.doc and "Good:" in r.doc, r.code
        assert f"### {r.code}" in docs.render()


def test_every_rule_has_a_review_dimension_shown_in_the_docs_and_the_rules_command():
    from click.testing import CliRunner

    from budget_xls.cli import main

    listing = CliRunner().invoke(main, ["rules"]).stdout
    for r in REGISTRY.values():
        assert r.dimension in ("完整性", "相关性", "适当性", "可行性"), r.code
        assert f"| {r.dimension} | {r.title} |" in docs.render(), r.code
        assert any(line.startswith(r.code) and r.dimension in line for line in listing.splitlines()), r.code
    assert REGISTRY["S01"].dimension == "完整性" and REGISTRY["I05"].dimension == "相关性"
    assert REGISTRY["C01"].dimension == "适当性" and REGISTRY["D01"].dimension == "可行性"


def test_catalogue_codes_of_issue_4_exist():
    required = {"R01", "R02", "R03", "S01", "S02", "S03", "M01", "M02", "M03", "M04", "M05", "M06", "M07",
                "D01", "D02", "D03", "D04", "I01", "I02", "I03", "I04", "I05", "I06", "I07", "I08", "X01"}
    assert required <= set(REGISTRY)


def test_message_fields_do_not_clash_with_finding_arguments():
    for r in REGISTRY.values():
        assert not template_fields(r.message) & {"code", "file", "sheet", "cell", "project", "value"}, r.code
