"""The roster: the sub-units expected to submit, and who of them did.

A roster is a plain text file, one name a line (UTF-8 with or without BOM; GB18030 and
UTF-16 as Windows Notepad saves them are accepted too; blank lines and ``#`` comments are
ignored), or the first column of the first sheet of a workbook. An entry counts as
submitted when, after whitespace and full/half-width normalisation, it equals a cover
sheet's 填报单位, or the 实施单位 or 主管部门 of any project read. A workbook without a
填报单位 (the official layout has no 封面) also counts for the unit its file is named
after, once bracketed notes are removed: 人才工作科（官方格式）.xlsx → 人才工作科. The
match is exact, so 老干部科.xlsx never counts for 干部科.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from budget_xls.model import FileRecord, ProjectForm, Roster, RosterEntry
from budget_xls.textnorm import squash

WORKBOOK_ROSTER = (".xlsx", ".xlsm", ".xls", ".ods")
HEADER_WORDS = frozenset({"单位", "单位名称", "填报单位", "名称", "科室", "名单", "报送单位"})
MAX_ROSTER_BYTES = 5 * 1024 * 1024
_BRACKETED = re.compile(r"[（(【\[［][^）)】\]］]*[）)】\]］]")


def unit_of_file_name(file: str) -> str:
    """"sub/人才工作科（官方格式）.xlsx" → "人才工作科": the unit a file is named after."""
    return _BRACKETED.sub("", PurePosixPath(file).stem).strip()


class RosterError(Exception):
    """The roster cannot be read; ``str(e)`` is a one-line Chinese message."""


def read_roster(path: Path) -> Roster:
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"找不到名单文件：{path}")
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterError(f"名单文件过大：{path}")
    if path.suffix.lower() in WORKBOOK_ROSTER:
        lines = _workbook_lines(path)
    else:
        lines = _decode(path.read_bytes(), path).splitlines()
    names: list[str] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        if i == 0 and squash(name) in HEADER_WORDS:
            continue
        key = squash(name)
        if key not in seen:
            seen.add(key)
            names.append(name)
    if not names:
        raise RosterError(f"名单文件中没有单位名称：{path}")
    return Roster(file=path.name, names=tuple(names))


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"名单文件不是文本文件（请用 UTF-8 保存，每行一个单位）：{path}")


def _workbook_lines(path: Path) -> list[str]:
    from budget_xls.reader import ReadError, read_workbook

    try:
        book = read_workbook(path)
    except ReadError as exc:
        raise RosterError(f"无法读取名单文件 {path}：{exc}") from exc
    if not book.sheets:
        return []
    grid = book.sheets[0]
    rows = sorted(r for (r, c) in grid.cells if c == 0)
    return [str(grid.cells[(r, 0)]) for r in rows]


def match_roster(roster: Roster, files: list[FileRecord], projects: list[ProjectForm]) -> list[RosterEntry]:
    """Every roster entry with the places that show it submitted (skipped files do not count)."""
    seen: dict[str, list[tuple[str, str]]] = {}

    def add(value, file: str, what: str) -> None:
        key = squash(str(value)) if value else ""
        if key and (file, what) not in seen.setdefault(key, []):
            seen[key].append((file, what))

    for rec in files:
        if rec.status in ("ok", "no_projects"):
            unit = rec.cover.get("填报单位")
            if unit:
                add(unit, rec.file, "填报单位")
            elif rec.status == "ok":
                add(unit_of_file_name(rec.file), rec.file, "文件名")
    for form in projects:
        add(form.get("implementer").value, form.file, "实施单位")
        add(form.get("supervisor").value, form.file, "主管部门")
    return [RosterEntry(name, list(seen.get(squash(name), []))) for name in roster.names]
