"""Work done by a forked child while the parent does something else (the second core).

A run's outputs are written after every form was read, by one process: the reading
workers have stopped and a core idles. ``Forked`` runs one piece of that work in a child
made by ``os.fork`` — it starts with the parent's memory as it is (the run's result, the
half-built workbook) and hands back only a small answer through a file. It is only an
acceleration: when a child cannot be made or fails in any way, ``join`` says so and the
parent does the work itself, so the outputs never depend on it.

Only on Linux, and only while the process runs one thread (a fork copies one thread:
another's locks would stay held in the child).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any

FAILED = object()  # ``join``'s answer when the child did not finish its work


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


class Forked:
    """``work()`` in a forked child; ``join()`` is its (picklable) return value, or ``FAILED``."""

    def __init__(self, work: Callable[[], Any], tmpdir: str | None = None) -> None:
        self.answer: str | None = None
        self.pid: int | None = None
        try:
            fd, self.answer = tempfile.mkstemp(dir=tmpdir, suffix=".answer")
            os.close(fd)
            self.pid = os.fork()
        except OSError:  # no temporary file, no process left (a limit): the parent does the work
            self._forget()
            return
        if self.pid == 0:  # the child: never returns
            code = 1
            try:
                gc.disable()  # short-lived: a collection would only copy the parent's pages
                value = work()
                with open(self.answer, "wb") as fh:
                    pickle.dump(value, fh, pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)

    def join(self) -> Any:
        if self.pid is None:
            return FAILED
        try:
            _, status = os.waitpid(self.pid, 0)
        except BaseException:
            self.kill()
            raise
        try:
            if os.waitstatus_to_exitcode(status) != 0:
                return FAILED
            with open(self.answer, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            return FAILED
        finally:
            self._forget()

    def kill(self) -> None:
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self._forget()

    def _forget(self) -> None:
        if self.answer is None:
            return
        try:
            os.unlink(self.answer)
        except OSError:
            pass
        self.answer = None
