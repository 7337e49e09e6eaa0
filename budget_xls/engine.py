"""Run the per-file step (read → parse) in worker processes, so one file can cost only itself.

python-calamine aborts the whole process on some hostile files (a value at XFD1048576
makes it allocate the full grid and SIGABRT), and a reader can hang or eat memory. So
each file is read in a worker process: a small pool of persistent workers, each with
its own pipe; the parent sends paths (two in flight per worker) and receives the
picklable ``FileResult``s; the project rules can run there too (``check``). A worker that dies, or runs past the per-file time limit, is killed and
replaced, and its file becomes R01 with a plain reason. Each worker's address space is
capped (RLIMIT_AS), so a memory blow-up fails inside the worker, not in the machine.

Results come back in the order of the input list, whatever order the workers finish in.
``jobs=0`` runs in the calling process without containment: for debugging only.
"""

from __future__ import annotations

import faulthandler
import multiprocessing as mp
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from budget_xls import guards, limits
from budget_xls.ingest import failed, ingest
from budget_xls.model import FileResult

Progress = Callable[[str], None]  # called with the file's relative path when it is done
# Called with each result in the order of the tasks (whatever order the workers finish in),
# as soon as the results before it are in: returns the result to keep (the run's memory budget).
Admit = Callable[[FileResult], FileResult]


@dataclass(frozen=True, slots=True)
class Task:
    path: Path
    rel: str


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_tasks(tasks: Sequence[Task], jobs: int | None = None, timeout: float = limits.READ_TIMEOUT_S,
              memory: int | None = limits.WORKER_MEMORY_BYTES, progress: Progress | None = None,
              check: tuple[int | None, frozenset[str]] | None = None, admit: Admit | None = None) -> list:
    """``ingest.read_file`` for every task; a list of FileResult in the order of ``tasks``.

    With ``check`` = (year, ignored codes) the project rules run in the worker too
    (``ingest.precheck``), so that they run in parallel with the other files' reads.
    ``admit`` sees every result in input order, as early as it can (see ``Admit``).
    """
    jobs = default_jobs() if jobs is None else jobs
    if not tasks:
        return []
    if jobs <= 0:
        out = []
        for t in tasks:
            result = ingest(t.path, t.rel, check)
            out.append(admit(result) if admit else result)
            if progress:
                progress(t.rel)
        return out
    with _Pool(min(jobs, max(1, len(tasks))), timeout, memory) as pool:
        return pool.run(tasks, progress, check, admit)


def tune_gc() -> None:
    """Collect garbage less often.

    A run allocates millions of small objects that live to its end (forms, findings, the
    output workbook's cells), and every full collection walks all of them; the default
    thresholds made collection cost grow with the run (at 2,000 sheets 9.0 s → 7.0 s end
    to end, at 4,000 sheets 18.8 s → 14.8 s, measured). Reference cycles are still collected.
    """
    import gc

    gc.set_threshold(50_000, 50, 100)


# ---------------------------------------------------------------- worker side


def _worker_main(conn: Connection, memory: int | None, parent: int | None = None) -> None:
    """Serve paths until the parent closes the pipe or sends None (or dies)."""
    _die_with_parent(parent)
    _cap_memory(memory)
    _quiet_stderr()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if msg is None:
            return
        index, path, rel, check = msg
        try:
            result = ingest(Path(path), rel, check)
        except MemoryError:
            result = failed(Path(path), rel, guards.OUT_OF_MEMORY)
        except (KeyboardInterrupt, SystemExit):
            return
        except BaseException as exc:  # a bug (or a native panic) costs this file only; the reason names it
            result = failed(Path(path), rel, guards.internal_error(exc))
        try:
            conn.send((index, result))
        except (OSError, EOFError, KeyboardInterrupt):
            return


def _die_with_parent(parent: int | None) -> None:
    """A worker never outlives the run that started it.

    Signals are the parent's business (it stops the workers and cleans up): Ctrl+C in a
    terminal reaches the whole process group, so the worker ignores it; SIGTERM is back to
    its default. When the parent dies without a word (SIGKILL), Linux sends the worker
    SIGKILL (PR_SET_PDEATHSIG); if the parent already died before that was set, it leaves.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(0)


def _quiet_stderr() -> None:
    """A native reader dying prints a panic and a backtrace; the report says what happened, in Chinese.

    Set BUDGET_XLS_WORKER_STDERR=1 to see the workers' own output when debugging.
    """
    if not os.environ.get("BUDGET_XLS_WORKER_STDERR"):
        # faulthandler (python -X faulthandler, PYTHONFAULTHANDLER, pytest) writes its dump to the
        # stderr it saw when enabled, not to fd 2: a contained crash would still print a Python
        # stack past the redirection.
        faulthandler.disable()
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)  # never hold the caller's stdout: `budget-xls … | tee` ends when the run does
        if not os.environ.get("BUDGET_XLS_WORKER_STDERR"):
            os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def _cap_memory(memory: int | None) -> None:
    if not memory:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit still holds
        pass


# ---------------------------------------------------------------- parent side


class _Worker:
    def __init__(self, ctx, memory: int | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, memory, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        # Tasks sent and not yet answered, in order: the worker is busy with the first (whose
        # time limit runs from ``deadline``); the others wait in the pipe, so that it never idles
        # while the parent takes in an answer.
        self.queue: deque[tuple[int, Task]] = deque()
        self.deadline = 0.0

    def send(self, index: int, task: Task, timeout: float, check) -> None:
        if not self.queue:
            self.deadline = time.monotonic() + timeout
        self.queue.append((index, task))
        self.conn.send((index, str(task.path), task.rel, check))

    def kill(self) -> None:
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, EOFError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


class _Pool:
    DEPTH = 2  # tasks in flight per worker

    def __init__(self, size: int, timeout: float, memory: int | None) -> None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.ctx = mp.get_context(method)
        self.size = size
        self.timeout = timeout
        self.memory = memory
        self.workers: list[_Worker] = []

    def __enter__(self) -> "_Pool":
        self.workers = [_Worker(self.ctx, self.memory) for _ in range(self.size)]
        return self

    def __exit__(self, exc_type, *exc) -> None:
        for w in self.workers:
            if exc_type is None:
                w.stop()
            else:  # an interrupt or an error: no file is worth waiting for
                w.kill()

    def run(self, tasks: Sequence[Task], progress: Progress | None, check=None, admit: Admit | None = None) -> list:
        results: list = [None] * len(tasks)
        pending: deque[tuple[int, Task]] = deque(enumerate(tasks))
        admitted = 0  # results[:admitted] went through ``admit``

        def top_up(worker: _Worker) -> None:
            while pending and len(worker.queue) < self.DEPTH:
                index, task = pending.popleft()
                worker.send(index, task, self.timeout, check)

        def done(index: int, result) -> None:
            nonlocal admitted
            results[index] = result
            if progress:
                progress(tasks[index].rel)
            while admit and admitted < len(results) and results[admitted] is not None:
                results[admitted] = admit(results[admitted])
                admitted += 1

        for w in self.workers:
            top_up(w)
        while any(w.queue for w in self.workers):
            active = [w for w in self.workers if w.queue]
            wait_for = max(0.0, min(w.deadline for w in active) - time.monotonic())
            wait([w.conn for w in active] + [w.proc.sentinel for w in active], timeout=wait_for)
            for i, worker in enumerate(self.workers):
                if not worker.queue:
                    continue
                broken = self._drain(worker, done)
                if worker.queue and (broken or not worker.proc.is_alive()):
                    self.workers[i] = self._replace(worker, guards.crashed(), pending, done)
                elif worker.queue and time.monotonic() >= worker.deadline:
                    self.workers[i] = self._replace(worker, guards.timed_out(self.timeout), pending, done)
                top_up(self.workers[i])
        return results

    def _drain(self, worker: _Worker, done) -> bool:
        """Take in every answer waiting in the pipe; True when the pipe broke (the worker died).

        Only the pipe's failures mean a broken worker: an error while the run takes in a good
        answer (``done``: the memory budget, the spool on a full disk) is the run's own and
        propagates — it must not pass for a crash of the file being read.
        """
        while worker.queue:
            try:
                if not worker.conn.poll():
                    return False
                index, result = worker.conn.recv()
            except (EOFError, OSError):
                return True
            except Exception:  # a garbled answer from a dying worker
                return True
            head, _ = worker.queue.popleft()
            if index != head:  # cannot happen with a sane worker: treat it as broken
                worker.queue.appendleft((head, _))
                return True
            done(index, result)
            worker.deadline = time.monotonic() + self.timeout
        return False

    def _replace(self, worker: _Worker, reason: str, pending: deque, done) -> _Worker:
        """Kill a dead or stuck worker: its current file gets R01, the files queued behind it go back."""
        worker.kill()
        (index, task), *waiting = worker.queue
        worker.queue.clear()
        done(index, failed(task.path, task.rel, reason))
        pending.extendleft(reversed(waiting))
        return _Worker(self.ctx, self.memory)
