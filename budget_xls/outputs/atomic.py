"""Every file budget-xls writes goes through here: temp file, lock check, ``os.replace``.

An output is first written in full to a temporary file beside its target (same folder,
so the final move is atomic on one file system), then moved into place. ``OutputSet``
stages several outputs and moves them only once every one is complete, so a run that
fails part-way leaves each earlier output as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

LOCK_NAMES = ("~${}", ".~lock.{}#")  # Excel/WPS owner file, LibreOffice lock file


class OutputLocked(Exception):
    """The output cannot be written (open in another program, no permission, bad path)."""


def check_not_open(path: Path) -> None:
    """Refuse a target that an office suite holds open (its lock file stands beside it)."""
    for pattern in LOCK_NAMES:
        lock = path.with_name(pattern.format(path.name))
        if lock.exists():
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
        raise OutputLocked(f"无法写入输出文件 {path}（可能已在 Excel/WPS 中打开：{exc.strerror or exc}）") from exc


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass


class OutputSet:
    """Outputs written together: ``stage`` each one, then ``commit`` moves them all into place.

    Used as a context manager: leaving it without ``commit`` (an exception) removes every
    temporary file and leaves the targets untouched.
    """

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []

    def stage(self, path: Path, write: Callable[[Path], None], make_parent: bool = True) -> Path:
        """Write one output to its temporary file with ``write(tmp)``."""
        path = Path(path)
        check_not_open(path)
        if make_parent:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputLocked(f"无法创建输出文件夹 {path.parent}：{exc.strerror or exc}") from exc
        tmp = temp_path(path)
        self.staged.append((tmp, path))
        write(tmp)
        return path

    def commit(self) -> list[Path]:
        done = []
        try:
            for tmp, path in self.staged:
                _replace(tmp, path)
                done.append(path)
        finally:
            self.abort()
        return done

    def abort(self) -> None:
        for tmp, _ in self.staged:
            if tmp.exists():
                _discard(tmp)
        self.staged = []

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, *exc) -> None:
        self.abort()


def save(path: Path, write: Callable[[Path], None]) -> Path:
    """One output, atomically: ``write(tmp)``, then move it into place."""
    with OutputSet() as out:
        out.stage(path, write)
        out.commit()
    return Path(path)
