"""budget-xls against the I/O floor and against pandas, on form-shaped workbooks (issue 8).

    python3 benchmarks/bench.py                   # 500 / 1,000 / 2,000 / 4,000 project sheets, 3 runs each
    python3 benchmarks/bench.py --sizes 2000 --repeat 5
    python3 benchmarks/bench.py --corpora small --no-pandas

Two corpora (benchmarks/corpus.py), both reported in one run: ``standard`` (the seed's
projects, ≈ 13 indicators and 7 findings each) and ``small`` (≈ 5 indicators and 2–3
findings each, like many real forms), official layout and our template mixed in each.

For each size, in one run and interleaved (so that machine noise hits all three alike):

- floor:      a bare python-calamine read of every sheet's values and merged ranges, then a
              bare xlsxwriter write of as many rows as budget-xls's output holds (one per
              project, per indicator, per finding), each as wide as budget-xls's row on the
              same sheet (measured on its output) — benchmarks/floor.py;
- pandas:     read_excel(sheet_name=None, engine="openpyxl") of every workbook, concat,
              to_excel — benchmarks/pandas_baseline.py;
- budget-xls: ``budget-xls consolidate`` (every check, workbook + JSON written).

Each is a fresh process, timed from start to exit; peak memory is the largest sum of the
proportional set sizes (PSS) of the process and all its children (worker processes and
forked helpers included), with the sum of resident sets beside it (measure.py: RSS counts
a page a forked child shares with its parent twice). Medians
of the runs are printed, with the ratios the issue sets as targets (at 2,000 sheets):
budget-xls/floor ≤ 1.5, budget-xls/pandas ≤ 0.2, ≥ 1,000 sheets/s, peak ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from measure import run_measured  # noqa: E402

sys.path.insert(0, str(ROOT))
from budget_xls.limits import STREAM_ROWS  # noqa: E402

TARGET_SHEETS = 2000
TARGETS = {"floor": 1.5, "pandas": 0.2, "sheets_per_s": 1000, "peak_mb": 300}
LARGE_SHEETS = 20_000  # issue 17: a province's inbox on one machine
LARGE_PEAK_MB = 400


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)  # PSS sums (the targets)
    rss: list[int] = field(default_factory=list)  # RSS sums (shared pages counted in each process)

    def add(self, m) -> None:
        self.seconds.append(m.seconds)
        self.peak.append(m.peak_pss)
        self.rss.append(m.peak_rss)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.peak) / 2**20

    @property
    def rss_mb(self) -> float:
        return max(self.rss) / 2**20


def budget_xls_cmd(folder: Path, out: Path, jobs: int | None) -> list[str]:
    cmd = [sys.executable, "-m", "budget_xls", "consolidate", str(folder), "-o", str(out), "-q"]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


def output_rows(report_path: Path) -> tuple[int, int, int]:
    report = json.loads(report_path.read_text(encoding="utf-8"))
    projects = report["projects"]
    return len(projects), sum(len(p["indicators"]) for p in projects), len(report["findings"])


REGISTERS = ("项目清单", "绩效指标", "错误报告")  # one row per project, per indicator, per finding


def output_shape(xlsx: Path) -> list[tuple[str, int, int]]:
    """(sheet, rows holding a value, cells holding a value) of every sheet of budget-xls's output:
    the floor writes as many cells, on as many rows, sheet by sheet (issue 17's definition:
    "a floor writing as many cells as our output" — 目标审核 and 汇总 included)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(xlsx))
    shapes = []
    for title in wb.sheet_names:
        rows = wb.get_sheet_by_name(title).to_python()
        filled = [sum(1 for v in row if v != "") for row in rows]
        shapes.append((title, sum(1 for n in filled if n), sum(filled)))
    wb.close()
    return shapes


def register_rows(shape: list[tuple[str, int, int]]) -> tuple[int, ...]:
    """Data rows (header excluded) of the project, indicator and error registers."""
    rows = {title: n for title, n, _ in shape}
    return tuple(rows[t] - 1 for t in REGISTERS)


def check(m, what: str) -> None:
    if m.returncode not in (0, 1):
        raise SystemExit(f"{what} failed (exit {m.returncode}):\n{m.stderr[-2000:]}")


def bench_size(sheets: int, full: Path, work: Path, repeat: int, jobs: int | None, pandas: bool,
               kind: str = "standard") -> dict:
    suffix = "" if kind == "standard" else f"-{kind}"
    folder = corpus.subset(full, work / f"inbox{suffix}-{sheets}", sheets)
    out = work / f"out{suffix}-{sheets}"
    out.mkdir(exist_ok=True)
    ours_cmd = budget_xls_cmd(folder, out / "汇总.xlsx", jobs)
    warm = run_measured(ours_cmd)  # warms the page cache and tells the floor how many rows to write
    check(warm, "budget-xls")
    rows = output_rows(out / "汇总.json")
    shape = output_shape(out / "汇总.xlsx")
    assert register_rows(shape) == tuple(rows), (shape, rows)
    floor_cmd = [sys.executable, str(HERE / "floor.py"), str(folder), str(out / "floor.xlsx"),
                 *(f"{title}:{r}:{c}" for title, r, c in shape)]
    pandas_cmd = [sys.executable, str(HERE / "pandas_baseline.py"), str(folder), str(out / "pandas.xlsx")]
    runs = {"floor": Runs(), "pandas": Runs(), "budget-xls": Runs()}
    for _ in range(repeat):
        for name, cmd in (("floor", floor_cmd), ("pandas", pandas_cmd), ("budget-xls", ours_cmd)):
            if name == "pandas" and not pandas:
                continue
            m = run_measured(cmd, timeout=3600)
            check(m, name)
            runs[name].add(m)
    return {"sheets": sheets, "rows": rows, "shape": shape, "runs": runs, "corpus": kind}


def workbook_contents(path: Path) -> dict:
    """Every sheet's cells as a user's office suite reads them: the formula or value of each cell
    (openpyxl), the cached value of each formula (openpyxl data_only) and what calamine reads."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    out = {}
    for data_only in (False, True):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
        for ws in wb.worksheets:
            out[(ws.title, "cached" if data_only else "cells")] = [row for row in ws.iter_rows(values_only=True)]
        wb.close()
    book = CalamineWorkbook.from_path(str(path))
    for title in book.sheet_names:
        out[(title, "calamine")] = book.get_sheet_by_name(title).to_python()
    book.close()
    return out


def stream_check(folder: Path, out: Path, jobs: int | None) -> list[str]:
    """The streamed workbook against the one held in memory (same inbox), read back; and two
    runs of each mode byte for byte."""
    written = {}
    for mode, n in (("--no-stream", 1), ("--no-stream", 2), ("--stream", 1), ("--stream", 2)):
        target = out / f"{mode.strip('-')}-{n}" / "汇总.xlsx"
        m = run_measured(budget_xls_cmd(folder, target, jobs) + [mode], timeout=3600)
        check(m, f"budget-xls {mode}")
        written[(mode, n)] = (target, m)
    held, streamed = written[("--no-stream", 1)][0], written[("--stream", 1)][0]
    a, b = workbook_contents(held), workbook_contents(streamed)
    differ = [key for key in a if a[key] != b.get(key)] + [key for key in b if key not in a]
    cells = sum(len(row) for key, rows in a.items() if key[1] == "cells" for row in rows)
    lines = [f"- streamed vs held in memory ({folder.name}): {len(a) // 3} sheets, {cells:,} cells compared "
             f"(formulas, cached values, values as calamine reads them): "
             + ("identical" if not differ else f"DIFFERENT in {differ[:5]}")]
    for mode in ("--no-stream", "--stream"):
        (x1, _), (x2, _) = written[(mode, 1)], written[(mode, 2)]
        same = x1.read_bytes() == x2.read_bytes() and x1.with_suffix(".json").read_bytes() == \
            x2.with_suffix(".json").read_bytes()
        lines.append(f"- two runs {mode}: workbook and JSON " + ("byte-identical" if same else "DIFFERENT"))
    t_held = statistics.median(m.seconds for k, (_, m) in written.items() if k[0] == "--no-stream")
    t_stream = statistics.median(m.seconds for k, (_, m) in written.items() if k[0] == "--stream")
    p_held = max(m.peak_pss for k, (_, m) in written.items() if k[0] == "--no-stream") / 2**20
    p_stream = max(m.peak_pss for k, (_, m) in written.items() if k[0] == "--stream") / 2**20
    lines.append(f"- time, peak: held {t_held:.2f} s, {p_held:.0f} MB; streamed {t_stream:.2f} s, {p_stream:.0f} MB "
                 f"(streaming costs {t_stream / t_held - 1:+.0%} time, {p_stream / p_held - 1:+.0%} memory here)")
    return lines


def large_run(full: Path, work: Path, sheets: int, jobs: int | None) -> list[str]:
    """One run at a province's size: time, throughput and the peak of the whole process tree."""
    folder = corpus.subset(full, work / f"inbox-{sheets}", sheets)
    out = work / f"out-{sheets}"
    out.mkdir(exist_ok=True)
    m = run_measured(budget_xls_cmd(folder, out / "汇总.xlsx", jobs), timeout=4 * 3600)
    check(m, "budget-xls")
    peak, rss = m.peak_pss / 2**20, m.peak_rss / 2**20
    return [f"| {sheets:,} | {m.seconds:.1f} | {sheets / m.seconds:,.0f} | {peak:,.0f} | {rss:,.0f} |",
            f"- peak memory at {sheets:,} sheets (all processes, PSS): {peak:,.0f} MB (target ≤ {LARGE_PEAK_MB} MB) — "
            f"{'met' if peak <= LARGE_PEAK_MB else 'NOT met'}"]


def fmt_row(r: dict) -> str:
    runs = r["runs"]
    ours, floor, pd_ = runs["budget-xls"], runs["floor"], runs["pandas"]
    pandas_s = f"{pd_.median:7.2f}" if pd_.seconds else "      –"
    vs_pandas = f"{ours.median / pd_.median:6.3f}" if pd_.seconds else "     –"
    pandas_mb = f"{pd_.peak_mb:6.0f}" if pd_.seconds else "     –"
    return (f"| {r['sheets']:>6,} | {floor.median:6.2f} | {pandas_s} | {ours.median:6.2f} | "
            f"{ours.median / floor.median:5.2f} | {vs_pandas} | {r['sheets'] / ours.median:7,.0f} | "
            f"{ours.peak_mb:6.0f} | {ours.rss_mb:6.0f} | {floor.peak_mb:6.0f} | {pandas_mb} |")


HEADER = ("| sheets | floor s | pandas s | budget-xls s | ÷ floor | ÷ pandas | sheets/s | peak MB | (RSS MB) "
          "| floor MB | pandas MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def verdict(r: dict) -> list[str]:
    runs = r["runs"]
    ours, floor, pd_ = runs["budget-xls"], runs["floor"], runs["pandas"]
    lines = []

    def line(label: str, value: float, target: float, le: bool, unit: str = "") -> None:
        ok = value <= target if le else value >= target
        lines.append(f"- {label}: {value:,.3g}{unit} (target {'≤' if le else '≥'} {target:,}{unit}) — "
                     f"{'met' if ok else 'NOT met'}")

    line("budget-xls ÷ floor", ours.median / floor.median, TARGETS["floor"], True)
    if pd_.seconds:
        line("budget-xls ÷ pandas", ours.median / pd_.median, TARGETS["pandas"], True)
    line("sheets per second", r["sheets"] / ours.median, TARGETS["sheets_per_s"], False)
    lines[-1] += f" (the floor itself: {r['sheets'] / floor.median:,.0f} sheets/s)"
    line("peak memory (all processes, PSS)", ours.peak_mb, TARGETS["peak_mb"], True, " MB")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="500,1000,2000,4000", help="project sheets per run, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (the median is reported)")
    ap.add_argument("--jobs", type=int, default=None, help="budget-xls --jobs (default: its own default)")
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas script (it is the slow one)")
    ap.add_argument("--corpora", default=",".join(corpus.KINDS), help="corpora to run, comma-separated "
                    f"({', '.join(corpus.KINDS)})")
    ap.add_argument("--workdir", type=Path, default=HERE / "_work", help="where the corpus and outputs go")
    ap.add_argument("--json", type=Path, default=None, help="also write the medians as JSON here")
    ap.add_argument("--large", type=int, default=LARGE_SHEETS,
                    help=f"one run of this many sheets (standard corpus) for the peak memory (default {LARGE_SHEETS:,}; 0: skip)")
    ap.add_argument("--no-stream-check", action="store_true",
                    help="skip comparing the streamed workbook with the one held in memory (smallest size)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = [k for k in args.corpora.split(",") if k]
    unknown = set(kinds) - set(corpus.KINDS)
    if unknown:
        raise SystemExit(f"unknown corpus: {', '.join(sorted(unknown))}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    fulls = {}
    for kind in kinds:
        most = max(sizes + ([args.large] if kind == "standard" else []))
        print(f"building the {kind} corpus ({most:,} project sheets, 5 per workbook) in {args.workdir} …",
              flush=True)
        name = "corpus" if kind == "standard" else f"corpus-{kind}"
        fulls[kind] = corpus.build(args.workdir / name, most, kind)
    by_kind: dict[str, list[dict]] = {k: [] for k in kinds}
    # Sizes outside, corpora inside: the corpora's runs of one size are close in time, so that
    # the machine's load hits both alike and their ratios to the floor can be compared.
    for sheets in sizes:
        for kind in kinds:
            print(f"… {kind}: {sheets:,} sheets × {args.repeat} runs", flush=True)
            by_kind[kind].append(bench_size(sheets, fulls[kind], args.workdir, args.repeat, args.jobs,
                                            not args.no_pandas, kind))
    checks = []
    if not args.no_stream_check:
        kind = kinds[0]
        print(f"… streamed vs held in memory: {kind}, {min(sizes):,} sheets", flush=True)
        suffix = "" if kind == "standard" else f"-{kind}"
        checks = stream_check(args.workdir / f"inbox{suffix}-{min(sizes)}",
                              args.workdir / f"out{suffix}-{min(sizes)}" / "stream-check", args.jobs)
    large = []
    if args.large:
        if "standard" not in fulls:
            fulls["standard"] = corpus.build(args.workdir / "corpus", args.large, "standard")
        print(f"… large run: standard, {args.large:,} sheets", flush=True)
        large = large_run(fulls["standard"], args.workdir, args.large, args.jobs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print()
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average {load:.2f}; "
          f"median of {args.repeat} runs")
    for kind, results in by_kind.items():
        last = results[-1]
        per_project = tuple(round(n / last["rows"][0], 1) for n in last["rows"][1:])
        print()
        print(f"## corpus: {kind} — rows written per run (projects, indicators, findings) at {last['sheets']:,} "
              f"sheets: {last['rows']} (indicators, findings per project: {per_project}); cells written by budget-xls and by the "
              f"floor, sheet by sheet: {', '.join(f'{t} {c:,}' for t, _, c in last['shape'])}")
        print()
        print(HEADER)
        for r in results:
            print(fmt_row(r))
        target = next((r for r in results if r["sheets"] == TARGET_SHEETS), results[-1])
        print()
        print(f"At {target['sheets']:,} sheets ({kind}):")
        print("\n".join(verdict(target)))
    if checks:
        print()
        print("## streamed workbook (a large run's mode) against the one held in memory")
        print("\n".join(checks))
    if large:
        print()
        print(f"## a large run (standard corpus, streamed past {STREAM_ROWS:,} output rows)")
        print()
        print("| sheets | budget-xls s | sheets/s | peak MB | (RSS MB) |\n|---:|---:|---:|---:|---:|")
        print(large[0])
        print()
        print(large[1])
    if args.json:
        args.json.write_text(json.dumps([
            {"corpus": r["corpus"], "sheets": r["sheets"], "rows": r["rows"],
             **{k: {"median_s": v.median, "peak_mb": v.peak_mb, "rss_mb": v.rss_mb, "runs_s": v.seconds}
                for k, v in r["runs"].items() if v.seconds}} for rs in by_kind.values() for r in rs], indent=1),
            encoding="utf-8")


if __name__ == "__main__":
    main()
