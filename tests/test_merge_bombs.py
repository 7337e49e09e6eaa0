"""Merge-range bombs are refused in well under a second and under 200 MB (issue 17).

A sheet may declare at most 5,000 merged ranges and each may cover 10,000 cells, so a
50 KB file of 5,000 overlapping 50 × 200 ranges stays within both limits while asking the
merge map for 50 million entries (22 s in a worker, measured before the fix). Each file
is read here the way a run reads it: in a reading worker (``engine.run_tasks``) of a
fresh process, whose CPU time and the worker's peak RSS are reported back.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from budget_xls import limits
from tests.test_hostile import edit_zip, project_part

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "examples" / "组织科.xlsx"
MB = 1 << 20

# Runs one file through a reading worker and prints what it cost: the worker's CPU seconds
# (user + system, robust on a loaded machine where wall time is not) and its peak RSS.
_PROBE = """
import json, resource, sys, time
from pathlib import Path
from budget_xls.engine import Task, run_tasks
t = time.monotonic()
[result] = run_tasks([Task(Path(sys.argv[1]), "f.xlsx")], jobs=1)
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": result.record.status, "reason": result.record.reason, "forms": len(result.forms),
                  "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "peak": ru.ru_maxrss * 1024}))
"""


def probe(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def with_merges(dst: Path, refs: list[bytes], far_value: bytes | None = None) -> Path:
    """The example workbook with its project sheet's merged ranges replaced by ``refs``
    (and a value at ``far_value``, so that clipping to the used area keeps the ranges whole)."""
    part = project_part(BASE)
    block = b'<mergeCells count="%d">%s</mergeCells>' % (len(refs), b"".join(b'<mergeCell ref="%s"/>' % r for r in refs))

    def edit(name, data):
        if name != part:
            return data
        data = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", data, flags=re.S)
        extra = b""
        if far_value:
            row = re.search(rb"\d+", far_value).group()
            extra = b'<row r="%s"><c r="%s"><v>1</v></c></row>' % (row, far_value)
        return data.replace(b"</sheetData>", extra + b"</sheetData>" + block, 1)

    return edit_zip(BASE, dst, edit)


def overlapping_bomb(dst: Path) -> Path:
    """5,000 overlapping ranges of 50 rows × 200 columns: every count within the limits."""
    refs = [b"A%d:GR%d" % (1 + (i * 7) % 4950, 1 + (i * 7) % 4950 + 49) for i in range(limits.MAX_MERGED_RANGES)]
    return with_merges(dst, refs, far_value=b"GR4990")


def many_ranges(dst: Path, count: int) -> Path:
    return with_merges(dst, [b"A%d:B%d" % (2000 + i, 2000 + i) for i in range(count)])


def test_the_overlapping_bomb_is_within_the_count_limits():
    """The bomb is a real one: small, and each of its numbers passes the older checks."""
    refs = [(1 + (i * 7) % 4950) for i in range(limits.MAX_MERGED_RANGES)]
    assert len(refs) <= limits.MAX_MERGED_RANGES
    assert 50 * 200 <= limits.MAX_MERGE_AREA
    assert max(refs) + 49 <= limits.MAX_ROWS and 200 <= limits.MAX_COLS


def test_an_overlapping_merge_bomb_is_refused_fast_and_small(tmp_path):
    bomb = overlapping_bomb(tmp_path / "合并炸弹.xlsx")
    assert bomb.stat().st_size < 100_000
    got = probe(bomb)
    assert got["status"] == "unreadable"
    assert "合并单元格覆盖的范围过大" in got["reason"] and "党建工作" in got["reason"]
    assert got["cpu"] < 1.0, got
    assert got["peak"] < 200 * MB, got


def test_many_merged_ranges_are_refused_before_the_reader_holds_them(tmp_path):
    """200,000 ranges (a 1 MB file): counted in the package scan, never handed to calamine."""
    bomb = many_ranges(tmp_path / "二十万合并.xlsx", 200_000)
    got = probe(bomb)
    assert got["status"] == "unreadable"
    assert "合并单元格过多（200000 个" in got["reason"]
    assert got["cpu"] < 1.0, got
    assert got["peak"] < 200 * MB, got


def test_a_form_with_ordinary_merges_still_reads(tmp_path):
    """The quiet side: a whole-row merge (clipped to the values, so it costs nothing) and
    4,000 two-cell merges below the form keep the file readable, and its project found."""
    part = project_part(BASE)
    with zipfile.ZipFile(BASE) as zf:
        original = re.findall(rb'<mergeCell ref="([^"]+)"/>', zf.read(part))
    refs = original + [b"A1:XFD1"] + [b"H%d:I%d" % (100 + i, 100 + i) for i in range(4000 - len(original))]
    got = probe(with_merges(tmp_path / "普通合并.xlsx", refs))
    assert got["status"] == "ok", got
    assert got["forms"] == 1
