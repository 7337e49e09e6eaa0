"""A large run's bulky parts on disk: the main process keeps what the outputs need at the end.

A run past ``limits.STREAM_ROWS`` output rows (a city's inbox) would hold every form's
indicators, budget lines, narrative and JSON entry until the workbook is written. The
``Spooler`` (the engine's ``admit`` hook, after the memory budget) moves them, file by file
in input order, to one temporary file and leaves in their place objects that load them back
when a rule or a writer iterates them (``SpooledList``, ``SpooledMap``). Nothing else
changes: the rules and the writers see the same forms, so a spooled run writes the same
cells as one held in memory (the writer then streams its large sheets: ``outputs.workbook``).

The temporary file is unlinked at once (``tempfile.TemporaryFile``): it disappears with the
process, also when the run is killed.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from budget_xls import limits
from budget_xls.model import FileResult, result_rows


class SpoolError(Exception):
    """The spool's temporary file cannot be written (a full disk): ``str(e)`` says why, in Chinese."""


class Spool:
    """An append-only temporary file of pickled records, read back by (offset, length)."""

    def __init__(self) -> None:
        try:
            self.fh = tempfile.TemporaryFile(prefix="budget-xls-spool-")
        except OSError as exc:
            raise SpoolError(_spool_failed(exc)) from exc
        self.fd = self.fh.fileno()
        self.size = 0

    def put(self, obj: Any) -> tuple[int, int]:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        ref = (self.size, len(data))
        try:
            written = os.pwrite(self.fd, data, self.size)
            while written < len(data):  # a short write: the rest, where it stopped
                written += os.pwrite(self.fd, data[written:], self.size + written)
        except OSError as exc:
            raise SpoolError(_spool_failed(exc)) from exc
        self.size += len(data)
        return ref

    def get(self, ref: tuple[int, int]) -> Any:
        offset, length = ref
        return pickle.loads(os.pread(self.fd, length, offset))


def _spool_failed(exc: OSError) -> str:
    from budget_xls.guards import os_reason

    return (f"大批量模式的临时文件无法写入（{os_reason(exc)}）：请清理临时文件夹 {tempfile.gettempdir()} 所在磁盘的空间"
            f"（或用环境变量 TMPDIR 指定别的位置），或用 --no-stream 在内存中汇总")


class SpooledList(Sequence):
    """One part of a spooled record (a form's indicators, budget lines …), loaded when iterated."""

    __slots__ = ("spool", "ref", "part", "n")

    def __init__(self, spool: Spool, ref: tuple[int, int], part: int, n: int) -> None:
        self.spool, self.ref, self.part, self.n = spool, ref, part, n

    def load(self) -> Any:
        return self.spool.get(self.ref)[self.part]

    def __len__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __iter__(self) -> Iterator:
        return iter(self.load()) if self.n else iter(())

    def __getitem__(self, i):
        return self.load()[i]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __reduce__(self):  # pickled (a spooled form sent elsewhere) as what it stands for
        return (list, (list(self),))


class SpooledDict(SpooledList, Mapping):
    """A form's narrative (label → Field), loaded when read."""

    __slots__ = ()

    def __getitem__(self, key):
        return self.load()[key]

    def get(self, key, default=None):
        return self.load().get(key, default) if self.n else default

    def items(self):
        return self.load().items() if self.n else {}.items()

    def values(self):
        return self.load().values() if self.n else {}.values()

    def keys(self):
        return self.load().keys() if self.n else {}.keys()

    def __contains__(self, key) -> bool:
        return self.n > 0 and key in self.load()

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == dict(other) if isinstance(other, Mapping) else NotImplemented

    def __reduce__(self):
        return (dict, (dict(self.items()),))


class SpooledMap(Mapping):
    """Form key → a spooled value (the projects' JSON entries), each loaded when asked for."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.refs: dict[tuple, tuple[int, int]] = {}

    def __getitem__(self, key):
        return self.spool.get(self.refs[key])

    def __iter__(self) -> Iterator:
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)

    def __contains__(self, key) -> bool:
        return key in self.refs


def spool_result(spool: Spool, result: FileResult) -> None:
    """Move ``result``'s bulky parts to ``spool`` (in place: the forms stay, their parts load back)."""
    for form in result.forms:
        if isinstance(form.indicators, SpooledList):
            continue
        ref = spool.put((form.indicators, form.budget_lines, form.narrative))
        form.indicators = SpooledList(spool, ref, 0, len(form.indicators))
        form.budget_lines = SpooledList(spool, ref, 1, len(form.budget_lines))
        form.narrative = SpooledDict(spool, ref, 2, len(form.narrative))
    if result.encoded and not isinstance(result.encoded, SpooledMap):
        encoded = SpooledMap(spool)
        for key, text in result.encoded.items():
            encoded.refs[key] = spool.put(text)
        result.encoded = encoded


class Spooler:
    """The engine's ``admit`` hook that starts spooling once the run passes ``limits.STREAM_ROWS``
    output rows (``force``: from the first file; ``False``: never). The results admitted before
    it starts are spooled then too, so a spooled run holds no file's bulky parts in memory."""

    def __init__(self, force: bool | None = None) -> None:
        self.force = force
        self.spool: Spool | None = None
        self.rows = 0
        self.held: list[FileResult] = []

    @property
    def active(self) -> bool:
        return self.spool is not None

    def will_spool(self, rows: int) -> bool:
        """Whether a result adding ``rows`` output rows, admitted now, goes to the spool (the
        memory budget charges it accordingly)."""
        if self.force is False:
            return False
        return bool(self.force) or self.active or self.rows + rows > limits.STREAM_ROWS

    def __call__(self, result: FileResult) -> FileResult:
        if self.force is False:
            return result
        rows = result_rows(result)
        spooled = self.will_spool(rows)
        self.rows += rows
        if self.spool is None:
            if not spooled:
                self.held.append(result)
                return result
            self.spool = Spool()
            for earlier in self.held:
                spool_result(self.spool, earlier)
            self.held = []
        spool_result(self.spool, result)
        return result
