"""Run the per-file step (read → parse) in worker processes, so one file can cost only itself.

python-calamine aborts the whole process on some hostile files (a value at XFD1048576
makes it allocate the full grid and SIGABRT), and a reader can hang or eat memory. So
each file is read in a worker process: a small pool of persistent workers, each with
its own pipe; the parent sends one path at a time and receives the picklable
``FileResult``. A worker that dies, or runs past the per-file time limit, is killed and
replaced, and its file becomes R01 with a plain reason. Each worker's address space is
capped (RLIMIT_AS), so a memory blow-up fails inside the worker, not in the machine.

Results come back in the order of the input list, whatever order the workers finish in.
``jobs=0`` runs in the calling process without containment: for debugging only.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from budget_xls import limits

Progress = Callable[[str], None]  # called with the file's relative path when it is done


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
              check: tuple[int | None, frozenset[str]] | None = None) -> list:
    """``process_file`` for every task; a list of FileResult in the order of ``tasks``.

    With ``check`` = (year, ignored codes) the project rules run in the worker too
    (``pipeline.precheck``), so that they run in parallel with the other files' reads.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 0:
        out = []
        for t in tasks:
            out.append(_process(t.path, t.rel, check))
            if progress:
                progress(t.rel)
        return out
    with _Pool(min(jobs, max(1, len(tasks))), timeout, memory) as pool:
        return pool.run(tasks, progress, check)


def _process(path: Path, rel: str, check):
    from budget_xls.pipeline import precheck, process_file

    result = process_file(path, rel)
    return precheck(result, *check) if check is not None else result


def crashed_reason() -> str:
    return "读取时程序异常退出（文件可能已损坏或含有异常内容），未读取：请在 Excel/WPS 中重新保存后提交"


def timeout_reason(seconds: float) -> str:
    return f"读取超时（超过 {seconds:g} 秒），未读取：文件可能过大或含有异常内容，请删除无关内容后重新保存提交"


# ---------------------------------------------------------------- worker side


def _worker_main(conn: Connection, memory: int | None) -> None:
    """Serve paths until the parent closes the pipe or sends None."""
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
            result = _process(Path(path), rel, check)
        except MemoryError:
            result = _failed(Path(path), rel, "读取时内存不足（文件内容异常庞大），未读取：请删除无关内容后重新保存提交")
        except (KeyboardInterrupt, SystemExit):
            return
        except BaseException as exc:  # a bug (or a native panic) costs this file only; the reason names it
            result = _failed(Path(path), rel, f"程序内部错误，未能读取（{type(exc).__name__}: {str(exc)[:120]}）")
        try:
            conn.send((index, result))
        except (OSError, EOFError, KeyboardInterrupt):
            return


def _quiet_stderr() -> None:
    """A native reader dying prints a panic and a backtrace; the report says what happened, in Chinese.

    Set BUDGET_XLS_WORKER_STDERR=1 to see the workers' own output when debugging.
    """
    if os.environ.get("BUDGET_XLS_WORKER_STDERR"):
        return
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
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


def _failed(path: Path, rel: str, reason: str):
    """An R01 result for a file whose worker could not deliver one."""
    import datetime as dt

    from budget_xls.discover import file_stat
    from budget_xls.model import FileRecord
    from budget_xls.pipeline import _unreadable, sha256_of

    record = FileRecord(file=rel, status="unreadable")
    st = file_stat(path)
    if st is not None:
        record.size = st.st_size
        record.modified = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).replace(microsecond=0).isoformat()
        try:
            record.sha256 = sha256_of(path)
        except OSError:
            pass
    return _unreadable(record, reason)


class _Worker:
    def __init__(self, ctx, memory: int | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, memory), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, Task] | None = None
        self.deadline = 0.0

    def send(self, index: int, task: Task, timeout: float, check) -> None:
        self.task = (index, task)
        self.deadline = time.monotonic() + timeout
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

    def __exit__(self, *exc) -> None:
        for w in self.workers:
            w.stop()

    def run(self, tasks: Sequence[Task], progress: Progress | None, check=None) -> list:
        results: list = [None] * len(tasks)
        pending = iter(enumerate(tasks))
        busy: dict[Connection, _Worker] = {}

        def feed(worker: _Worker) -> None:
            for index, task in pending:
                worker.send(index, task, self.timeout, check)
                busy[worker.conn] = worker
                return

        for w in self.workers:
            feed(w)
        while busy:
            now = time.monotonic()
            wait_for = max(0.0, min(w.deadline for w in busy.values()) - now)
            ready = wait(list(busy) + [w.proc.sentinel for w in busy.values()], timeout=wait_for)
            done: list[_Worker] = []
            for obj in ready:
                worker = busy.get(obj) if isinstance(obj, Connection) else self._by_sentinel(busy, obj)
                if worker is None or worker in done:
                    continue
                done.append(worker)
            for worker in list(busy.values()):
                if worker not in done and time.monotonic() >= worker.deadline:
                    done.append(worker)
            for worker in done:
                del busy[worker.conn]
                index, task = worker.task
                result = self._collect(worker, task)
                results[index] = result
                if progress:
                    progress(task.rel)
                feed(self._alive(worker))
        return results

    @staticmethod
    def _by_sentinel(busy: dict, sentinel) -> _Worker | None:
        for w in busy.values():
            if w.proc.sentinel == sentinel:
                return w
        return None

    def _collect(self, worker: _Worker, task: Task):
        """The worker's answer, or an R01 result when it died or ran out of time."""
        if worker.conn.poll():
            try:
                index, result = worker.conn.recv()
                worker.task = None
                return result
            except (EOFError, OSError):
                pass
            except Exception:  # a garbled answer from a dying worker
                pass
        if worker.proc.is_alive() and time.monotonic() >= worker.deadline:
            reason = timeout_reason(self.timeout)
        else:
            reason = crashed_reason()
        worker.kill()
        worker.task = None
        return _failed(task.path, task.rel, reason)

    def _alive(self, worker: _Worker) -> _Worker:
        """The same worker if it is healthy, else a fresh one in its place."""
        if worker.proc.is_alive() and not worker.conn.closed:
            return worker
        fresh = _Worker(self.ctx, self.memory)
        self.workers[self.workers.index(worker)] = fresh
        return fresh
