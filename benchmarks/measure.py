"""Run a command and measure it: wall time, and the peak memory of its whole process tree.

Two peaks, sampled from /proc every 50 ms over the process and all its descendants
(worker processes included):

- PSS (``peak_pss``, the one the targets are judged on): the largest sum of proportional
  set sizes (/proc/PID/smaps_rollup) — a page shared by n processes counts 1/n in each, so
  the sum is the memory the machine spends on the run. budget-xls forks (its reading
  workers; a helper that serialises half the workbook's sheets, another that writes the
  JSON report): a forked child shares its parent's pages until either writes them.
- RSS (``peak_rss``): the largest sum of resident sets, plus the high-water mark of the
  largest single process (getrusage(RUSAGE_CHILDREN)), which no sampling can miss. It
  counts every shared page once per process: a fork that touches nothing doubles it.

Sampling is not free: reading /proc for every process of the tree every 5 ms took 5 % of a
core, which a run that keeps both cores busy (budget-xls and its workers) pays in time and
a one-core run (the floor) does not. Every 50 ms costs a tenth of that; the memory of these
runs grows and falls over seconds, not milliseconds.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss: int  # bytes, the whole process tree: sum of resident sets (shared pages counted in each)
    stdout: str
    stderr: str
    peak_pss: int = 0  # bytes, the whole process tree: sum of proportional set sizes (shared pages divided)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except (OSError, ValueError):
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size in bytes; the resident set where the kernel has no smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return _rss(pid)


def _tree(pid: int) -> list[int]:
    out, stack, seen = [], [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        out.append(p)
        stack.extend(_children(p))
    return out


def tree_memory(pid: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) of the process and its descendants."""
    pids = _tree(pid)
    return sum(_rss(p) for p in pids), sum(_pss(p) for p in pids)


def run_measured(cmd: list[str], timeout: float = 600, interval: float = 0.05, **kwargs) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = 0
    have_proc = Path(f"/proc/{proc.pid}").exists()
    import threading

    out: dict[str, str] = {}

    def drain(name, stream):
        out[name] = stream.read()

    threads = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    ended = threading.Event()
    end: dict[str, float] = {}

    def wait() -> None:  # blocks in waitpid: the end time is exact whatever the sampling interval
        proc.wait()
        end["t"] = time.perf_counter()
        ended.set()

    threads.append(threading.Thread(target=wait))
    for t in threads:
        t.start()
    peak_pss = 0
    while not ended.wait(interval):
        if have_proc:
            rss, pss = tree_memory(proc.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        if time.perf_counter() - start > timeout:
            proc.kill()
            break
    ended.wait()
    seconds = end["t"] - start
    for t in threads:
        t.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if after > before:  # a new high-water mark: at least one process of this run reached it
        peak = max(peak, after)
    return Measured(proc.returncode, seconds, peak, out.get("out", ""), out.get("err", ""), peak_pss or peak)
