"""A large run's bulky parts on disk: the main process keeps what the outputs need at the end.

A run past ``limits.STREAM_ROWS`` output rows (a city's inbox) would hold every form and
every finding until the workbook is written. The ``Spooler`` (the engine's ``admit`` hook,
after the memory budget) moves them, file by file in input order, to one temporary file:
each form's tables (``SpooledList``/``SpooledDict``), its fields with its JSON entry and
the review's measures (``SpooledFields``, which holds the few fields every pass at the end
reads: ``HELD_FIELDS``), then the file's light forms themselves (``SpooledForms``) and the
findings its worker gave; ``pipeline.assemble`` spools each file's findings as it checks
it (``SpooledFindings``). The rules and the writers see the same forms and findings, read
back a file at a time, so a spooled run writes the same cells as one held in memory (the
writer then streams its large sheets: ``outputs.workbook``). A pass reads the forms back as
new objects: past the spool's last records a form is known by its ``key``, never its ``id``.

The temporary file is unlinked at once (``tempfile.TemporaryFile``): it disappears with the
process, also when the run is killed.
"""

from __future__ import annotations

import heapq
import io
import os
import pickle
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields as dataclass_fields
from itertools import islice
from operator import attrgetter
from typing import Any

from budget_xls import limits
from budget_xls.model import Field, FileResult, Finding, result_rows

# The fields every pass at the end of a run reads (cross-file rules, grouping by unit and by
# category, the review, every register row's project name): held in memory with the light form,
# so a pass that reads only these does not load the form's other fields back.
HELD_FIELDS = ("name", "implementer", "category")

# Records the spool keeps after loading them: a writer reads one form's parts several times in
# a row (a register row's fields, then its indicators), and each load unpickles the record.
RECENT = 8


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
        self.recent: dict[tuple[int, int], Any] = {}  # ref → the record last loaded (read-only)

    def put(self, obj: Any) -> tuple[int, int]:
        return self._write(obj, _SpoolPickler)

    def put_forms(self, forms: list) -> tuple[int, int]:
        """Light forms: their spooled parts are written as the references they are."""
        return self._write(forms, _FormsPickler)

    def _write(self, obj: Any, pickler: type) -> tuple[int, int]:
        buffer = io.BytesIO()
        pickler(buffer, self).dump(obj)
        data = buffer.getbuffer()
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
        """The record at ``ref``; the last ``RECENT`` ones are kept, so callers must not change it."""
        return self._read(ref, pickle.loads)

    def get_forms(self, ref: tuple[int, int]) -> list:
        """Light forms written by ``put_forms`` (new objects at each read past the recent ones)."""
        return self._read(ref, lambda data: _FormsUnpickler(io.BytesIO(data), self).load())

    def _read(self, ref: tuple[int, int], decode: Callable[[bytes], Any]) -> Any:
        try:
            return self.recent[ref]
        except KeyError:
            pass
        offset, length = ref
        obj = decode(os.pread(self.fd, length, offset))
        if len(self.recent) >= RECENT:
            del self.recent[next(iter(self.recent))]
        self.recent[ref] = obj
        return obj


class _SpoolPickler(pickle.Pickler):
    """Fields and findings pickled as a plain call of their class: their own pickled form
    (``model.compact_pickle``) interns their short texts, which pays for records held for the
    run, not for a spooled record read back several times and dropped (a quarter of a
    streamed run's time went to it)."""

    def __init__(self, file, spool: Spool) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.spool = spool

    def reducer_override(self, obj):
        values = _PLAIN.get(type(obj))
        return (type(obj), values(obj)) if values is not None else NotImplemented


_PLAIN = {cls: attrgetter(*(f.name for f in dataclass_fields(cls))) for cls in (Field, Finding)}


class _FormsPickler(_SpoolPickler):
    """Light forms: a spooled part pickled as its reference, the spool itself as a name (0)."""

    def persistent_id(self, obj):
        return 0 if obj is self.spool else None

    def reducer_override(self, obj):
        if obj is NOTHING:
            return (_nothing, ())
        cls = type(obj)
        if cls is SpooledFields:
            return (cls, (obj.spool, obj.ref, obj.part, obj.n, obj.held))
        if cls is SpooledList or cls is SpooledDict:
            return (cls, (obj.spool, obj.ref, obj.part, obj.n))
        return super().reducer_override(obj)


class _FormsUnpickler(pickle.Unpickler):
    def __init__(self, file, spool: Spool) -> None:
        super().__init__(file)
        self.spool = spool

    def persistent_load(self, pid):
        if pid != 0:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r} in a spooled record")
        return self.spool


def _nothing():
    return NOTHING


def _spool_failed(exc: OSError) -> str:
    from budget_xls.guards import os_reason

    return (f"大批量模式的临时文件无法写入（{os_reason(exc)}）：请清理临时文件夹 {tempfile.gettempdir()} 所在磁盘的空间"
            f"（或用环境变量 TMPDIR 指定别的位置），或用 --no-stream 在内存中汇总")


class _ReadBack(Sequence):
    """A sequence read back from the spool: ``n`` items; ``_item`` reads one (by default by
    iterating). It compares equal to, and is pickled elsewhere as, the list it stands for."""

    __slots__ = ()
    n: int  # set by each kind

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(islice(self, *i.indices(self.n)))
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return self._item(i % self.n)

    def _item(self, i: int):
        return next(islice(self, i, None))

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __reduce__(self):  # pickled (sent elsewhere) as what it stands for
        return (list, (list(self),))


class SpooledList(_ReadBack):
    """One part of a spooled record (a form's indicators, budget lines …), loaded when iterated."""

    __slots__ = ("spool", "ref", "part", "n")

    def __init__(self, spool: Spool, ref: tuple[int, int], part: int, n: int) -> None:
        self.spool, self.ref, self.part, self.n = spool, ref, part, n

    def load(self) -> Any:
        return self.spool.get(self.ref)[self.part]

    def __bool__(self) -> bool:
        return self.n > 0

    def __iter__(self) -> Iterator:
        return iter(self.load()) if self.n else iter(())

    def __getitem__(self, i):
        return self.load()[i]


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


class SpooledFields(SpooledDict):
    """A form's fields (key → Field): ``HELD_FIELDS`` held in memory, the rest loaded when asked for."""

    __slots__ = ("held",)

    def __init__(self, spool: Spool, ref: tuple[int, int], part: int, n: int, held: tuple) -> None:
        super().__init__(spool, ref, part, n)
        self.held = held  # the Field of each HELD_FIELDS key, None where the form has none

    # A held key the form has no field for is None in ``held``: known absent without a read.

    def __getitem__(self, key):
        at = _HELD_AT.get(key)
        if at is None:
            return self.load()[key]
        if self.held[at] is None:
            raise KeyError(key)
        return self.held[at]

    def get(self, key, default=None):
        at = _HELD_AT.get(key)
        if at is None:
            return self.load().get(key, default) if self.n else default
        found = self.held[at]
        return default if found is None else found

    def __contains__(self, key) -> bool:
        at = _HELD_AT.get(key)
        return super().__contains__(key) if at is None else self.held[at] is not None


_HELD_AT = {key: i for i, key in enumerate(HELD_FIELDS)}

# An empty part of a light form (no budget lines, no uncached cells …): one object for all.
NOTHING = SpooledList(None, None, 0, 0)  # type: ignore[arg-type]


class SpooledForms(_ReadBack):
    """A spooled run's light forms, one record a file, read back a file at a time.

    A read past the spool's recent records makes new objects: across passes, a form is known
    by its ``key``, never by ``id()``. ``find`` reads the file of a key and looks in it."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.parts: list[tuple[tuple[int, int], int, str]] = []  # (a file's record, its forms, the file)
        self.starts: list[int] = []  # the index of each part's first form
        self.where: dict[str, int] = {}  # file → its part (a file's forms are one record)
        self.n = 0

    def add(self, forms: list) -> None:
        """One file's light forms, written as one record."""
        if forms:
            self._part(self.spool.put_forms(forms), len(forms), forms[0].file)

    def _part(self, ref: tuple[int, int], n: int, file: str) -> None:
        self.where[file] = len(self.parts)
        self.parts.append((ref, n, file))
        self.starts.append(self.n)
        self.n += n

    def extend(self, other: "SpooledForms") -> None:
        """Another's files (a file's result joining the run's), by reference: nothing is read."""
        for part in other.parts:
            self._part(*part)

    def part(self, i: int) -> list:
        return self.spool.get_forms(self.parts[i][0])

    def __iter__(self) -> Iterator:
        for i in range(len(self.parts)):
            yield from self.part(i)

    def _item(self, i: int):
        at = bisect_right(self.starts, i) - 1
        return self.part(at)[i - self.starts[at]]

    def find(self, key: tuple):
        """The form whose ``key`` is ``key``, None when there is none."""
        at = self.where.get(key[0])
        return next((form for form in self.part(at) if form.key == key), None) if at is not None else None


class SpooledMap(Mapping):
    """Form key → a part of that form's fields record (1: its JSON entry, 2: the review's
    measures), loaded when asked for; a form whose part is None has no value there.
    ``year``: the part is (budget year, value), a value only for that year (the review's
    measures, taken for the run's settled year). Holds nothing per form: the forms' records
    know where theirs are."""

    def __init__(self, forms: SpooledForms, part: int, year: int | None = None) -> None:
        self.forms = forms
        self.part = part
        self.year = year

    def __getitem__(self, key):
        form = self.forms.find(key)
        if form is None:
            raise KeyError(key)
        value = self.forms.spool.get(form.fields.ref)[self.part]
        if self.year is not None and value is not None:
            value = value[1] if value[0] == self.year else None
        if value is None:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator:
        return (form.key for form in self.forms)

    def __len__(self) -> int:
        return len(self.forms)


def spool_result(spool: Spool, result: FileResult) -> None:
    """Move ``result``'s bulky parts to ``spool`` (in place: the forms stay, light, and their
    parts load back).

    Two records a form: its tables (indicators, budget lines, narrative), and its fields with
    its JSON entry and the review's measures — most passes that read a field read no indicator."""
    if isinstance(result.forms, SpooledForms):
        return  # spooled already
    light = []
    for form in result.forms:
        key = form.key
        ref = spool.put((form.indicators, form.budget_lines, form.narrative))
        form.indicators = SpooledList(spool, ref, 0, len(form.indicators))
        form.budget_lines = SpooledList(spool, ref, 1, len(form.budget_lines)) if form.budget_lines else NOTHING
        form.narrative = SpooledDict(spool, ref, 2, len(form.narrative))
        form.uncached = form.uncached or NOTHING
        form.excel_errors = form.excel_errors or NOTHING
        form.hidden_values = form.hidden_values or NOTHING
        held = tuple(form.fields.get(k) for k in HELD_FIELDS)
        ref = spool.put((form.fields, result.encoded.get(key), result.facts.get(key)))
        form.fields = SpooledFields(spool, ref, 0, len(form.fields), held)
        light.append(form)
    forms = SpooledForms(spool)
    forms.add(light)
    result.forms = forms
    result.encoded = SpooledMap(forms, 1)
    result.facts = SpooledMap(forms, 2)  # (budget year, review.FormFacts)
    if result.checked:
        # the file's project findings, (budget year, findings) by form key: one record, read
        # back once when the run is assembled
        result.checked = SpooledDict(spool, spool.put((result.checked,)), 0, len(result.checked))


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


class SpooledFindings(_ReadBack):
    """A spooled run's findings in ``Finding.sort_key`` order, one spooled list a file.

    ``add`` takes a file's findings as the run checks it (sorted, then spooled); ``extend``
    takes findings that are no file's own (the rules across files), held in memory. Read in
    order, the files' lists follow one another by file name — each sorted, and a file is the
    sort key's first part — and the held ones are merged in: one file's list is in memory at
    a time. ``severities`` counts them as they come, so the run's totals need no reading back.
    """

    def __init__(self, spool: Spool) -> None:
        self.spool = spool
        self.runs: dict[str, tuple[tuple[int, int], int]] = {}  # file → (ref, findings)
        self.loose: list[Finding] = []
        self.severities: Counter = Counter()
        self.n = 0
        self._order: list[str] | None = None  # the files' names, sorted (once every file is in)
        self._loose_of: dict[str, list[Finding]] | None = None
        self._grouped: tuple[str, dict[tuple, list[Finding]]] | None = None

    def add(self, file: str, found: Iterable[Finding]) -> None:
        """A file's findings: those about that file spooled (once per file), any other held."""
        own, other = [], []
        for f in found:
            (own if f.file == file and file not in self.runs else other).append(f)
        if own:
            own.sort(key=Finding.sort_key)
            self.runs[file] = (self.spool.put(own), len(own))
            self._count(own)
        self.extend(other)

    def extend(self, found: Iterable[Finding]) -> None:
        found = list(found)
        self.loose.extend(found)
        self._count(found)

    def _count(self, found: list[Finding]) -> None:
        self.n += len(found)
        self.severities.update(f.severity for f in found)
        self._order = self._loose_of = self._grouped = None  # what was read before is stale

    def _files(self) -> list[str]:
        if self._order is None:
            self._order = sorted(self.runs)
            self.loose.sort(key=Finding.sort_key)
        return self._order

    def _runs(self) -> Iterator[Finding]:
        for file in self._files():
            yield from self.spool.get(self.runs[file][0])

    def __iter__(self) -> Iterator[Finding]:
        runs = self._runs()
        return heapq.merge(runs, self.loose, key=Finding.sort_key) if self.loose else runs

    def files(self) -> set[str]:
        """The files some finding is about."""
        return set(self.runs) | {f.file for f in self.loose}

    def of_file(self, file: str) -> list[Finding]:
        """A file's findings, in order."""
        if self._loose_of is None:
            self._files()
            self._loose_of = {}
            for f in self.loose:
                self._loose_of.setdefault(f.file, []).append(f)
        own = self.spool.get(self.runs[file][0]) if file in self.runs else []
        loose = self._loose_of.get(file, [])
        return list(heapq.merge(own, loose, key=Finding.sort_key)) if loose else list(own)

    def of_form(self, key: tuple) -> list[Finding]:
        """A form's findings (``Finding.form_key``): its file's are read once for its forms in a row."""
        if self._grouped is None or self._grouped[0] != key[0]:
            by_form: dict[tuple, list[Finding]] = {}
            for f in self.of_file(key[0]):
                by_form.setdefault(f.form_key, []).append(f)
            self._grouped = (key[0], by_form)
        return self._grouped[1].get(key, [])
