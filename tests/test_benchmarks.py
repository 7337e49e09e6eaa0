"""The benchmark tools keep working (they are run by hand, not by CI's timing)."""

from __future__ import annotations

import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
import floor  # noqa: E402
import phases  # noqa: E402


def test_floor_writes_the_shape_measured_on_our_output(examples_copy, tmp_path, run_cli):
    out = tmp_path / "o.xlsx"
    run_cli("consolidate", examples_copy, "-o", out, "-q")
    shape = bench.output_shape(out)
    assert bench.register_rows(shape) == bench.output_rows(out.with_suffix(".json"))
    titles = [t for t, _, _ in shape]
    assert titles == ["汇总", "目标审核", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"]
    ours = CalamineWorkbook.from_path(str(out))
    register = ours.get_sheet_by_name("项目清单").to_python()
    assert dict((t, c) for t, _, c in shape)["项目清单"] == sum(1 for row in register for v in row if v != "")
    floor_out = tmp_path / "floor.xlsx"
    floor.main([str(examples_copy), str(floor_out), *(f"{t}:{r}:{c}" for t, r, c in shape)])
    assert bench.output_shape(floor_out) == shape  # the floor writes every sheet's cells, on as many rows


def test_phases_times_and_profiles_each_phase(examples_copy, capsys):
    phases.main([str(examples_copy), "--top", "3"])
    shown = capsys.readouterr().out
    for name in ("read", "write", "json"):
        assert f"{name}:" in shown and f"--- {name}: top 3 by own time" in shown


def test_measured_run_reports_exit_code_time_and_memory(tmp_path):
    from measure import run_measured

    m = run_measured([sys.executable, "-c", "import time; x = bytearray(50 << 20); time.sleep(0.3)"])
    assert m.returncode == 0 and m.seconds >= 0.3 and m.peak_rss >= 50 << 20 and m.peak_pss >= 50 << 20


def test_a_forked_child_sharing_its_parents_pages_is_counted_once_in_pss():
    """The write's helpers are forked: RSS sums count the shared pages twice, PSS once."""
    from measure import run_measured

    code = ("import os, time; x = os.urandom(200 << 20); pid = os.fork(); time.sleep(0.6);"
            "os._exit(0) if pid == 0 else os.waitpid(pid, 0)")
    m = run_measured([sys.executable, "-c", code])
    assert m.returncode == 0
    assert m.peak_rss >= 390 << 20  # 200 MB in each of two processes
    assert 190 << 20 <= m.peak_pss <= 260 << 20  # 200 MB once


def test_the_small_corpus_has_small_forms_of_both_layouts(tmp_path, run_cli):
    """≈ 5 indicators and 2–3 findings per project, our template and the official layout mixed."""
    import corpus

    folder = corpus.build(tmp_path / "small", 30, "small")
    books = sorted(folder.rglob("*.xlsx"))
    assert len(books) == 6
    out = tmp_path / "o.xlsx"
    run_cli("consolidate", folder, "-o", out, "-q")
    projects, indicators, findings = bench.output_rows(out.with_suffix(".json"))
    assert projects == 30
    assert indicators / projects == 5
    assert 2 <= findings / projects <= 3
    import json

    layouts = {p["layout"] for p in json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["projects"]}
    assert layouts == {"template", "official"}


def test_bench_reports_both_corpora_in_one_run(tmp_path, capsys):
    bench.main(["--sizes", "10", "--repeat", "1", "--no-pandas", "--workdir", str(tmp_path), "--large", "20"])
    shown = capsys.readouterr().out
    for kind in ("standard", "small"):
        assert f"## corpus: {kind}" in shown and f"At 10 sheets ({kind}):" in shown
    assert shown.count("budget-xls ÷ floor") == 2
    # the streamed workbook is compared with the one held in memory, read back, and runs repeat byte for byte
    assert "cells compared" in shown and "identical" in shown and "DIFFERENT" not in shown
    assert shown.count("byte-identical") == 2
    assert "peak memory at 20 sheets (all processes, PSS)" in shown
