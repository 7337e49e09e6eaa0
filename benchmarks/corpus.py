"""Benchmark corpora: form-shaped workbooks, five project sheets each.

Two corpora. ``standard``: the seed's six real projects as they are (≈ 13 indicators and
≈ 7 findings per project). ``small``: forms like many real ones (issue 17), five
indicators and 2–3 findings per project (the seed's fields and goals, a short indicator
table with one defect or two): on such forms the per-sheet cost of reading, parsing and
checking weighs more against the output than on the standard corpus.

In both, half the workbooks are our template (written by ``budget_xls.template.write_workbook``),
half the official layout as WPS exports it (``tests/official_layout.py``), filled with
the seed's six real projects (defects included, so the run has findings to report).

Writing thousands of workbooks with openpyxl would take minutes, so a few base
workbooks are written once and copied with a per-copy serial number patched into the
project names and the indicator names (a same-length byte replacement in the shared
strings part): every project in the corpus has its own name, as in a real inbox, and the
indicator names of one workbook are not those of the next, so caches of text helpers
only hit where real inboxes repeat themselves too (levels, units, values such as ≥95%).
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHEETS_PER_BOOK = 5
MARK = "№000000"  # replaced by "№" + a six-digit serial in every copy
# In indicator names the serial is written in letters: a digit would make every name look
# like it might hold a date to the deadline rules, which real names mostly do not.
NAME_MARK = "§aaaaaa"
UNITS = ("组织科", "干部科", "人才工作科", "公务员科", "信息网络科")
CORPUS_VERSION = "3"
KINDS = ("standard", "small")

# The small corpus's indicator tables: five indicators, each variant with a defect or two
# (a rate without %, a bare number, a sentence as a value), so each project has 2–3 findings.
_SMALL_TABLES = (
    (("产出指标", "数量指标", "培训人次", "≥200人次"), (None, "质量指标", "培训合格率", "≥95%"),
     (None, "时效指标", "按期完成率", "=100%"), ("效益指标", "社会效益指标", "干部履职能力", "提升"),
     ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90")),
    (("产出指标", "数量指标", "体检人数", "≥350人"), (None, "质量指标", "体检档案完整率", "=100%"),
     (None, "时效指标", "体检完成时间", "≤11月30日"), ("效益指标", "社会效益指标", "干部健康保障水平", "提高"),
     ("满意度指标", "服务对象满意度指标", "体检对象满意度", "≥90%")),
    (("产出指标", "数量指标", "系统运维次数", "12"), (None, "质量指标", "系统正常运行率", "≥99%"),
     (None, "时效指标", "故障响应时间", "≤2小时"), ("效益指标", "可持续影响指标", "信息安全保障水平", "提升"),
     ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%")),
)


def _projects(offset: int, kind: str = "standard") -> list[dict]:
    from tests import seed_data as sd

    seeds = [sd.DANGJIAN, sd.GANBU, sd.RENCAI, sd.XUANCHUAN, sd.YUNWEI, sd.KAIFA]
    chosen = [seeds[(offset + i) % len(seeds)] for i in range(SHEETS_PER_BOOK)]
    out = []
    for i, p in enumerate(chosen):
        fields = dict(p["fields"])
        fields["name"] = f"{fields['name']}{MARK}-{i}"
        if kind == "small":
            table = _SMALL_TABLES[(offset + i) % len(_SMALL_TABLES)]
            indicators = [(l1, l2, _marked(name), value) for l1, l2, name, value in table]
            out.append({**p, "fields": fields, "indicators": indicators, "narrative": {}})
            continue
        indicators = [(l1, l2, _marked(name), value) for l1, l2, name, value in p["indicators"]]
        out.append({**p, "fields": fields, "indicators": indicators, "narrative": dict(p.get("narrative", {}))})
    return out


def _marked(name):
    """An indicator name with the copy's serial in front ("§aaaabq·培训人数"); a level name
    typed in the name column (a seed defect) and blanks stay as they are."""
    from budget_xls.indicators import level_key
    from budget_xls.vocab import framework_for

    if not isinstance(name, str) or not name.strip():
        return name
    fw = framework_for(2022)
    key = fw.canonical(level_key(name))
    if key in fw.levels or key in fw.level2_names():
        return name
    return f"{NAME_MARK}·{name}"


def _base_books(folder: Path, kind: str = "standard") -> list[Path]:
    """Two layouts × three project mixes = six base workbooks."""
    from budget_xls.template import write_workbook
    from tests import seed_data as sd
    from tests.official_layout import write_official_book

    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for k in range(3):
        projects = _projects(k, kind)
        unit = UNITS[k]
        spec = sd.workbook_spec(unit, [])
        spec.projects = [sd.project_spec(p) for p in projects]
        bases.append(write_workbook(folder / f"template{k}.xlsx", spec))
        bases.append(write_official_book(folder / f"official{k}.xlsx", projects))
    return bases


def _letters(serial: int) -> str:
    out = ""
    for _ in range(6):
        serial, digit = divmod(serial, 26)
        out = chr(ord("a") + digit) + out
    return out


def _copy_with_serial(base: Path, target: Path, serial: int) -> None:
    marks = [(MARK.encode(), f"№{serial:06d}".encode()), (NAME_MARK.encode(), f"§{_letters(serial)}".encode())]
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            for mark, new in marks:
                assert len(new) == len(mark)
                if mark in data:
                    data = data.replace(mark, new)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def _reusable(folder: Path, expected: str) -> bool:
    """True when ``folder`` already holds what its stamp promises; otherwise it is emptied."""
    stamp = folder / ".corpus"
    if stamp.exists() and stamp.read_text() == expected:
        return True
    if folder.exists():
        shutil.rmtree(folder)
    return False


def build(folder: Path, sheets: int, kind: str = "standard") -> Path:
    """Write ``sheets // 5`` workbooks of ``kind`` into ``folder`` (reused when already complete)."""
    folder = Path(folder)
    books = max(1, sheets // SHEETS_PER_BOOK)
    expected = f"{CORPUS_VERSION} {kind} {books}"
    stamp = folder / ".corpus"
    if stamp.exists():  # a larger corpus of the same kind serves too (runs take subsets of it)
        version, built_kind, built = (stamp.read_text().split() + ["", "", "0"])[:3]
        if version == str(CORPUS_VERSION) and built_kind == kind and built.isdigit() and int(built) >= books:
            return folder
    if _reusable(folder, expected):
        return folder
    folder.mkdir(parents=True)
    bases = _base_books(folder / ".base", kind)
    for i in range(books):
        base = bases[i % len(bases)]
        unit = UNITS[i % len(UNITS)]
        sub = folder / unit
        sub.mkdir(exist_ok=True)
        _copy_with_serial(base, sub / f"{unit}-{i:05d}.xlsx", i)
    shutil.rmtree(folder / ".base")
    (folder / ".corpus").write_text(expected)
    return folder


def subset(full: Path, folder: Path, sheets: int) -> Path:
    """The first ``sheets // 5`` workbooks of a larger corpus, hard-linked (no copying)."""
    books = max(1, sheets // SHEETS_PER_BOOK)
    expected = f"{CORPUS_VERSION} {books} subset of {full.name}"
    if _reusable(folder, expected):
        return folder
    paths = sorted(p for p in full.rglob("*.xlsx"))
    paths.sort(key=lambda p: p.name.rsplit("-", 1)[-1])  # by serial, across units
    for p in paths[:books]:
        target = folder / p.relative_to(full)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(p, target)
        except OSError:
            shutil.copy2(p, target)
    (folder / ".corpus").write_text(expected)
    return folder
