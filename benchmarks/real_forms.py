"""Score budget-xls on the real published forms transcribed in tests/real/ (their KEYs are the truth).

    python3 benchmarks/real_forms.py            # table per workbook, then totals
    python3 benchmarks/real_forms.py --details  # every miss, wrong value and false alarm

As a user would run it: one ``consolidate --year Y`` per budget year over the folder of
that year's workbooks. A project is matched by file + sheet (+ its name where several
share a sheet). Fields and indicators are compared after whitespace/width normalisation;
amounts as exact decimals. Only errors and warnings count as alarms; an alarm is true
when the source really has that defect (same code, same cell — or, for a defect the key
places on no cell or about the whole project, same code in the same project). A defect
counts as reported when a finding of any level names it (I05 is a hint). On a cut-off
transcription (SOURCE["truncated"]) the missing-level codes I02/I16 are artefacts of the
cut and are not counted as alarms.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IND_ASPECTS = ("level1", "level2", "name", "raw", "normal")


def norm(text) -> str:
    if text is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return norm(a) == norm(b)


@dataclass
class Score:
    projects: int = 0
    found: int = 0
    fields: int = 0
    fields_right: int = 0
    indicators: int = 0
    indicators_right: int = 0
    aspects: dict = field(default_factory=lambda: {a: 0 for a in IND_ASPECTS})
    alarms: int = 0
    true_alarms: int = 0
    defects: int = 0
    defects_found: int = 0
    details: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("projects", "found", "fields", "fields_right", "indicators", "indicators_right", "alarms",
                     "true_alarms", "defects", "defects_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for a in IND_ASPECTS:
            self.aspects[a] += other.aspects[a]
        self.details.extend(other.details)

    @property
    def false_alarms(self) -> int:
        return self.alarms - self.true_alarms

    @property
    def missed_defects(self) -> int:
        return self.defects - self.defects_found

    def ratio(self, right: int, total: int) -> float:
        return right / total if total else 1.0


def sources():
    from tests.real.build import modules

    return list(modules())


def run_year(year: int, files: list[Path]) -> dict:
    """The JSON report of one consolidate run over ``files`` (copied into a fresh folder)."""
    import json

    from budget_xls import api
    from budget_xls.outputs.report import build_report, dumps

    folder = Path(tempfile.mkdtemp(prefix=f"bx-real-{year}-"))
    try:
        for f in files:
            shutil.copy(f, folder / f.name)
        result = api.consolidate(folder, year=year, jobs=1)
        return json.loads(dumps(build_report(result)))  # as the JSON file reads
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _match(key: dict, projects: list[dict], shared: bool) -> dict | None:
    same_sheet = [p for p in projects if p["sheet"] == key["sheet"]]
    if len(same_sheet) == 1 and not shared:
        return same_sheet[0]
    named = [p for p in same_sheet if norm(p.get("name")) == norm(key.get("name"))]
    return named[0] if named else None


def _field_value(project: dict, key: str):
    if key in project:
        return project[key]
    return project.get("funds", {}).get(key)


MONEY_KEYS = ("total", "fiscal", "other", "annual", "appropriation", "carryover", "annual_other")


def score_project(file: str, key: dict, project: dict | None, findings: list[dict]) -> Score:
    s = Score(projects=1)
    where = f"{file}「{key['sheet']}」{key.get('name') or ''}"
    if project is None:
        s.fields = len(key.get("fields", {}))
        s.indicators = len(key.get("indicators", []))
        s.details.append(f"NOT FOUND  {where}")
    else:
        s.found = 1
        for name, truth in key.get("fields", {}).items():
            s.fields += 1
            got = _field_value(project, name)
            ok = same_number(got, truth) if name in MONEY_KEYS else norm(got) == norm(truth)
            if ok:
                s.fields_right += 1
            else:
                s.details.append(f"FIELD      {where} {name}: got {str(got)[:50]!r} want {str(truth)[:50]!r}")
        score_indicators(s, where, key.get("indicators", []), project.get("indicators", []))
    return s


def score_indicators(s: Score, where: str, truths: list[dict], got: list[dict]) -> None:
    unused = list(got)
    for truth in truths:
        s.indicators += 1
        match = next((g for g in unused if norm(g.get("name")) == norm(truth.get("name"))), None)
        if match is None:
            s.details.append(f"INDICATOR  {where} missing {truth.get('name')!r}")
            continue
        unused.remove(match)
        right = {
            "level1": norm(match.get("level1")) == norm(truth.get("level1")),
            "level2": norm(match.get("level2")) == norm(truth.get("level2")),
            "name": True,
            "raw": norm(match.get("raw")) == norm(truth.get("raw")),
            "normal": (norm(match.get("operator")) == norm(truth.get("operator"))
                       and same_number(match.get("value"), truth.get("value"))
                       and norm(match.get("unit")) == norm(truth.get("unit"))
                       and match.get("kind") == truth.get("kind")),
        }
        for a, ok in right.items():
            s.aspects[a] += ok
        if all(right.values()):
            s.indicators_right += 1
        else:
            bad = [a for a, ok in right.items() if not ok]
            s.details.append(f"INDICATOR  {where} {truth.get('name')!r} wrong {bad}: got "
                             f"{[match.get('level1'), match.get('level2'), match.get('raw'), match.get('operator'), match.get('value'), match.get('unit'), match.get('kind')]} "
                             f"want {[truth.get('level1'), truth.get('level2'), truth.get('raw'), truth.get('operator'), truth.get('value'), truth.get('unit'), truth.get('kind')]}")
    for extra in unused:
        s.details.append(f"INDICATOR  {where} extra {extra.get('name')!r} = {extra.get('raw')!r}")


# Findings about a whole project place themselves on a cell by convention (the table header):
# a true one is matched by code and sheet.
PROJECT_LEVEL = frozenset({"I02", "I14", "I16", "S05", "M04"})
# Codes a cut-off transcription triggers by being cut (the levels after the cut are missing).
CUT_ARTEFACTS = frozenset({"I02", "I16"})


def score_file(mod, report: dict) -> Score:
    s = Score()
    file = mod.FILE
    projects = [p for p in report["projects"] if p["file"] == file]
    findings = [f for f in report["findings"] if f["file"] == file]
    matched = {}
    for key in mod.KEY:
        shared = sum(1 for k in mod.KEY if k["sheet"] == key["sheet"]) > 1
        project = _match(key, projects, shared)
        if project is not None:
            matched[id(project)] = key
        s.add(score_project(file, key, project, findings))
    for p in projects:
        if id(p) not in matched:
            s.details.append(f"EXTRA      {file}「{p['sheet']}」project {p.get('name')!r} not in the key")
    defects = [(key, d) for key in mod.KEY for d in key.get("defects", [])]
    s.defects = len(defects)
    alarms = [f for f in findings if f["severity"] in ("error", "warning")]
    s.alarms = len(alarms)
    def defect_of(f) -> int | None:
        return next((i for i, (key, d) in enumerate(defects) if d["code"] == f["code"]
                     and (d.get("cell") == f["cell"] or ((not d.get("cell") or f["code"] in PROJECT_LEVEL)
                                                         and f["sheet"] == key["sheet"]))), None)

    if mod.SOURCE.get("truncated"):
        alarms = [f for f in alarms if f["code"] not in CUT_ARTEFACTS]
        s.alarms = len(alarms)
    for f in alarms:
        if defect_of(f) is None:
            s.details.append(f"FALSE      {file}「{f['sheet']}」{f['cell']} {f['code']} {f['message'][:90]}")
        else:
            s.true_alarms += 1
    used = {defect_of(f) for f in findings} - {None}  # a defect is reported at any level (I05 is info)
    s.defects_found = len(used)
    for i, (key, d) in enumerate(defects):
        if i not in used:
            s.details.append(f"MISSED     {file}「{key['sheet']}」{d.get('cell')} {d['code']} {d.get('why', '')[:60]}")
    return s


def score(forms: Path | None = None) -> tuple[Score, dict[str, Score]]:
    from tests.real.build import FORMS, build_all

    forms = forms or FORMS
    mods = sources()
    if any(not (forms / m.FILE).exists() for m in mods):
        build_all(forms)
    by_year: dict[int, list] = defaultdict(list)
    for m in mods:
        by_year[m.SOURCE["year"]].append(m)
    total, per_file = Score(), {}
    for year, ms in sorted(by_year.items()):
        report = run_year(year, [forms / m.FILE for m in ms])
        for m in ms:
            s = score_file(m, report)
            per_file[m.FILE] = s
            total.add(s)
    return total, per_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--details", action="store_true", help="list every miss, wrong value and false alarm")
    args = ap.parse_args(argv)
    total, per_file = score()
    print(f"{'workbook':<44} {'found':>7} {'fields':>9} {'indic.':>9} {'alarms':>7} {'false':>6} {'missed':>7}")
    for name, s in per_file.items():
        print(f"{name[:44]:<44} {s.found:>3}/{s.projects:<3} {s.fields_right:>4}/{s.fields:<4} "
              f"{s.indicators_right:>4}/{s.indicators:<4} {s.alarms:>7} {s.false_alarms:>6} {s.missed_defects:>7}")
    print()
    print(f"projects found        {total.found}/{total.projects}")
    print(f"fields right          {total.fields_right}/{total.fields} ({total.ratio(total.fields_right, total.fields):.1%})")
    print(f"indicators right      {total.indicators_right}/{total.indicators} "
          f"({total.ratio(total.indicators_right, total.indicators):.1%})")
    for a in IND_ASPECTS:
        print(f"  {a:<19} {total.aspects[a]}/{total.indicators}")
    print(f"errors+warnings       {total.alarms} (true {total.true_alarms}, false {total.false_alarms})")
    print(f"real defects          {total.defects} (reported {total.defects_found}, missed {total.missed_defects})")
    if args.details:
        print()
        for line in total.details:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
