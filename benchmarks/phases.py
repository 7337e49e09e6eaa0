"""Where budget-xls spends its time, phase by phase (cProfile, one process).

    python3 benchmarks/phases.py benchmarks/_work/inbox-2000          # after bench.py built it
    python3 benchmarks/phases.py FOLDER --top 25 --phase write

The reads run in this process (``jobs=0``), so the profile sees the reader, the parser and
the rules that the workers run in a real run; the phases are then the consolidated
workbook and the JSON report. Each phase is timed without the profiler first (wall
seconds), then profiled: the profiler's own cost inflates small Python functions, so
compare its numbers with each other, not with the timings.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

from budget_xls import engine, pipeline
from budget_xls.outputs import report
from budget_xls.outputs import workbook as writer

PHASES = ("read", "write", "json")


def run_phase(name: str, state: dict, out: Path) -> None:
    if name == "read":
        state["result"] = pipeline.consolidate(state["folder"], pipeline.RunOptions(jobs=0))
    elif name == "write":
        writer.write_workbook(state["result"], out / "profile.xlsx")
    else:
        report.write_report(state["result"], out / "profile.json")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--top", type=int, default=15, help="functions listed per phase (by own time)")
    ap.add_argument("--phase", choices=PHASES, action="append", help="profile only these phases")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        raise SystemExit(f"no such folder: {args.folder}")
    engine.tune_gc()  # as the consolidate command does
    wanted = args.phase or list(PHASES)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        timed: dict = {"folder": args.folder}
        for name in PHASES:
            start = time.perf_counter()
            run_phase(name, timed, out)
            print(f"{name:>5}: {time.perf_counter() - start:6.2f} s", flush=True)
        profiled: dict = {"folder": args.folder, "result": timed["result"]}
        for name in PHASES:
            if name not in wanted:
                continue
            prof = cProfile.Profile()
            prof.enable()
            run_phase(name, profiled, out)
            prof.disable()
            text = io.StringIO()
            pstats.Stats(prof, stream=text).strip_dirs().sort_stats("tottime").print_stats(args.top)
            print(f"\n--- {name}: top {args.top} by own time (profiled) ---")
            print("\n".join(line for line in text.getvalue().splitlines() if line.strip())[:20000])


if __name__ == "__main__":
    main(sys.argv[1:])
