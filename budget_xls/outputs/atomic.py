"""Every file budget-xls writes goes through here: temp file, lock check, ``os.replace``.

An output is first written in full to a temporary file beside its target (same folder,
so the final move is atomic on one file system), then moved into place. ``OutputSet``
stages several outputs and moves them only once every one is complete, so a run that
fails part-way leaves each earlier output as it was.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path

from budget_xls.guards import os_reason

LOCK_NAMES = ("~${}", ".~lock.{}#")  # Excel/WPS owner file, LibreOffice lock file


class OutputLocked(Exception):
    """The output cannot be written (open in another program, no permission, bad path)."""


def check_not_open(path: Path) -> None:
    """Refuse a target that an office suite holds open (its lock file stands beside it)."""
    for pattern in LOCK_NAMES:
        lock = path.with_name(pattern.format(path.name))
        try:
            present = os.path.lexists(lock)
        except (OSError, ValueError):  # a name too long to have a lock file beside it
            present = False
        if present:
            raise OutputLocked(f"输出文件 {path} 正在被其他程序打开（发现锁定文件 {lock.name}）；"
                               f"请关闭该文件后重试，若已关闭请删除锁定文件")


MAX_NAME_BYTES = 255  # a file name's limit on ext4, NTFS, APFS


def temp_path(path: Path) -> Path:
    """A temporary name beside ``path``, unique to this process, keeping its extension.

    ``.{stem}.{pid}.tmp{suffix}``; the stem is cut so the name stays within 255 bytes (a
    250-byte input name has a copy whose temporary name would otherwise be refused).
    """
    tail = f".{os.getpid()}.tmp{path.suffix}"
    room = MAX_NAME_BYTES - 1 - len(os.fsencode(tail))
    stem = os.fsencode(path.stem)[:max(0, room)].decode("utf-8", "ignore") if room > 0 else ""
    return path.with_name(f".{stem}{tail}")


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputLocked(f"无法写入输出文件 {path}（可能已在 Excel/WPS 中打开：{os_reason(exc)}）") from exc


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass


def _backup(path: Path) -> Path | None:
    """A second name for an existing target (a hard link, else a copy), to put back if the set fails."""
    if not path.exists():
        return None
    spare = temp_path(path.with_name(path.name + ".bak"))
    _discard(spare)
    try:
        os.link(path, spare)
    except OSError:
        import shutil

        shutil.copy2(path, spare)
    return spare


def _write_staged(write: Callable[[Path], None], tmp: Path, path: Path) -> None:
    try:
        write(tmp)
    except OSError as exc:
        raise OutputLocked(f"无法写入输出文件 {path}：写临时文件（{tmp.parent} 中）时{os_reason(exc)}") from exc


class OutputSet:
    """Outputs written together: ``stage`` each one, then ``commit`` moves them all into place.

    Used as a context manager: leaving it without ``commit`` (an exception, an interrupt)
    removes every temporary file and leaves the targets untouched. ``commit`` keeps a
    second name for every target it replaces until all moves are done: when one move
    fails, the targets already moved get their earlier bytes back.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []
        self.pending: list[tuple[Path, Path, Callable[[Path], None], object]] = []

    def stage(self, path: Path, write: Callable[[Path], None], make_parent: bool = True,
              background: bool = False) -> Path:
        """Write one output to its temporary file with ``write(tmp)``.

        ``background``: in a forked child (``forked``) while the caller goes on, when this
        process can fork; ``commit`` waits for it, and writes it here if the child failed.
        Only for a ``write`` that reads nothing the parent changes meanwhile."""
        path = Path(path)
        check_not_open(path)
        if make_parent:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputLocked(f"无法创建输出文件夹 {path.parent}：{os_reason(exc)}") from exc
        tmp = temp_path(path)
        self.staged.append((tmp, path))
        if background:
            from budget_xls.outputs.forked import Forked, can_fork

            if can_fork():
                self.pending.append((tmp, path, write, Forked(lambda: write(tmp))))
                return path
        _write_staged(write, tmp, path)
        return path

    def finish(self) -> None:
        """Wait for the outputs written in the background; any that failed is written here."""
        from budget_xls.outputs.forked import FAILED

        while self.pending:
            tmp, path, write, child = self.pending[0]
            if child.join() is FAILED:
                _write_staged(write, tmp, path)  # here its error, if any, is the run's
            self.pending.pop(0)

    def commit(self) -> list[Path]:
        self.finish()
        done: list[tuple[Path, Path | None]] = []
        spares: list[Path] = []
        try:
            try:
                for tmp, path in self.staged:
                    spare = _backup(path)
                    if spare is not None:
                        spares.append(spare)
                    _replace(tmp, path)
                    done.append((path, spare))
            except BaseException:
                for path, spare in reversed(done):  # put back what this set had already replaced
                    try:
                        os.replace(spare, path) if spare is not None else path.unlink()
                    except OSError:
                        pass
                raise
        except OSError as exc:
            raise OutputLocked(f"无法写入输出文件：{os_reason(exc)}") from exc
        finally:
            for spare in spares:
                if spare.exists():
                    _discard(spare)
            self.abort()
        return [path for path, _ in done]

    def abort(self) -> None:
        for *_, child in self.pending:
            child.kill()
        self.pending = []
        for tmp, _ in self.staged:
            if tmp.exists():
                _discard(tmp)
        self.staged = []

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, *exc) -> None:
        self.abort()


# ---------------------------------------------------------------- one run per output

LOCK_NAME = ".{}.budget-xls.lock"
_TEMP_NAME = re.compile(r"^\..*\.(\d+)\.tmp(\.[^.]*)?$")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


class RunLock:
    """A lock file beside the run's main output, so two runs never write the same outputs.

    The file holds the owner's process id and host. A lock whose process no longer exists
    on this host (a run killed with SIGKILL, a machine that crashed) is taken over; ``notes``
    say so, and the temporary files that run left beside the output are removed.
    """

    STALE_EMPTY_S = 30  # a lock file still empty after this long was never finished

    def __init__(self, output: Path) -> None:
        self.output = Path(output)
        self.path = self.output.with_name(LOCK_NAME.format(self.output.name))
        self.notes: list[str] = []
        self.held = False

    def acquire(self) -> "RunLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputLocked(f"无法创建输出文件夹 {self.path.parent}：{os_reason(exc)}") from exc
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._take_over_or_refuse()
                continue
            except OSError as exc:
                raise OutputLocked(f"无法在 {self.path.parent} 中创建锁定文件：{os_reason(exc)}") from exc
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()}\n{socket.gethostname()}\n")
            self.held = True
            self._clean_stale_temps()
            return self
        raise OutputLocked(f"无法获得输出文件 {self.output} 的锁定文件 {self.path.name}")

    def _take_over_or_refuse(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return
        except OSError as exc:
            raise OutputLocked(f"无法读取锁定文件 {self.path}：{os_reason(exc)}") from exc
        lines = text.split()
        pid = int(lines[0]) if lines and lines[0].isdigit() else None
        host = lines[1] if len(lines) > 1 else None
        if pid is None and age < self.STALE_EMPTY_S:
            raise OutputLocked(f"另一次 budget-xls 运行正在写入 {self.output}（锁定文件 {self.path.name}）；请等它结束后再运行")
        if pid is not None and (host not in (None, socket.gethostname()) or pid_alive(pid)):
            where = f"进程 {pid}" + (f"，计算机 {host}" if host and host != socket.gethostname() else "")
            raise OutputLocked(f"另一次 budget-xls 运行（{where}）正在写入 {self.output}；请等它结束后再运行，"
                               f"若确认没有其他运行，请删除锁定文件 {self.path}")
        _discard(self.path)
        self.notes.append(f"发现上次运行遗留的锁定文件（进程 {pid or '未知'} 已不存在），已接管")

    def _clean_stale_temps(self) -> None:
        try:
            entries = list(os.scandir(self.path.parent))
        except OSError:
            return
        for entry in entries:
            m = _TEMP_NAME.match(entry.name)
            if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
                _discard(Path(entry.path))
                self.notes.append(f"已删除上次中断的运行留下的临时文件 {entry.name}")

    def release(self) -> None:
        if self.held:
            _discard(self.path)
            self.held = False

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def save(path: Path, write: Callable[[Path], None]) -> Path:
    """One output, atomically: ``write(tmp)``, then move it into place."""
    with OutputSet() as out:
        out.stage(path, write)
        out.commit()
    return Path(path)
