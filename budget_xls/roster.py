"""The roster: the sub-units expected to submit, and who of them did.

A roster is a plain text file, one name a line (UTF-8, GB18030/GBK, Big5, UTF-16 and
UTF-32, with or without a BOM; blank lines and ``#`` comments are ignored; of a line with
several columns — tab, comma, semicolon — the first; a header line such as 单位名称 is
skipped), or the first column of the first sheet of a workbook. An entry counts as
submitted when, after normalisation (``textnorm.text_key``: width, whitespace, brackets), it equals a cover
sheet's 填报单位, or the 实施单位 or 主管部门 of any project read. A workbook without a
填报单位 (the official layout has no 封面) also counts for the unit its file is named
after, once bracketed notes are removed: 人才工作科（官方格式）.xlsx → 人才工作科. The
match is exact, so 老干部科.xlsx never counts for 干部科.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from budget_xls.model import FileRecord, ProjectForm, Roster, RosterEntry
from budget_xls.textnorm import text_key

WORKBOOK_ROSTER = (".xlsx", ".xlsm", ".xls", ".ods")
HEADER_WORDS = frozenset({"单位", "单位名称", "填报单位", "名称", "科室", "名单", "报送单位", "單位", "單位名稱", "填報單位"})
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
    first = True
    for line in lines:
        name = first_column(line.strip())
        if not name or name.startswith("#"):
            continue
        if first:
            first = False
            if text_key(name) in HEADER_WORDS:
                continue
        key = text_key(name)
        if key not in seen:
            seen.add(key)
            names.append(name)
    if not names:
        raise RosterError(f"名单文件中没有单位名称：{path}")
    return Roster(file=path.name, names=tuple(names))


ACCEPTED = "UTF-8、GB18030/GBK、Big5、UTF-16、UTF-32"
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode(data: bytes, path: Path) -> str:
    """The roster's text, whatever Notepad, WPS or a Taiwanese colleague saved it as.

    A BOM decides; without one, the pattern of zero bytes tells UTF-32 and UTF-16 (LE/BE)
    apart; then UTF-8; then GB18030 when every character it yields is ordinary simplified
    Chinese (GB2312), else Big5 when the bytes are valid Big5, else GB18030.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    for encoding in _zero_pattern(data):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if b"\x00" in data:
        raise RosterError(f"名单文件不是可识别的文本编码（可用 {ACCEPTED}）：{path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    gb = _try(data, "gb18030")
    if gb is not None and _ordinary_chinese(gb):
        return gb
    big5 = _try(data, "big5")
    if big5 is not None:
        return big5
    if gb is not None:
        return gb
    raise RosterError(f"名单文件不是可识别的文本编码（可用 {ACCEPTED}，每行一个单位）：{path}")


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RosterError(f"名单文件的编码与其标记（BOM）不符，请重新保存（可用 {ACCEPTED}）：{path}") from exc


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _zero_pattern(data: bytes) -> list[str]:
    """UTF-32/UTF-16 without a BOM (zero bytes in the text): the decodings that read as text."""
    if b"\x00" not in data:
        return []
    scored = []
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        text = _try(data, encoding)
        if text:
            ratio = sum(1 for ch in text if _plain_char(ch)) / len(text)
            if ratio >= 0.9:
                scored.append((-ratio, encoding))
    return [encoding for _, encoding in sorted(scored)]


def _plain_char(ch: str) -> bool:
    """What a roster holds: CJK, ASCII letters, digits, punctuation, line breaks, full-width forms."""
    code = ord(ch)
    return (0x20 <= code < 0x7F or ch in "\t\r\n" or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF)


def _ordinary_chinese(text: str) -> bool:
    for ch in text:
        if ord(ch) > 0x7F:
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                return False
    return True


_COLUMNS = re.compile(r"[\t,，;；|]")


def first_column(line: str) -> str:
    """"组织科,陈静,021-…" → "组织科": a text roster with several columns names its unit first."""
    return _COLUMNS.split(line, maxsplit=1)[0].strip().strip('"')


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
        key = text_key(str(value)) if value else ""
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
    return [RosterEntry(name, list(seen.get(text_key(name), []))) for name in roster.names]
