"""A minimal Excel 95 (BIFF5) workbook, written by hand: LibreOffice cannot save Excel 95 here.

An OLE2 compound file (version 3, 512-byte sectors) holding one "Book" stream: the workbook
globals (BOF version 0x0500, CODEPAGE, one BOUNDSHEET per sheet, EOF), then each sheet
(BOF, DIMENSIONS, LABEL/NUMBER records, EOF). Text is 8-bit in the code page, as Excel 95
wrote it (GBK for code page 936).
"""

from __future__ import annotations

import struct
from pathlib import Path

_END, _FREE, _FATSECT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _bof(kind: int) -> bytes:  # 0x0005 workbook globals, 0x0010 worksheet
    return _record(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))


def _cell(r: int, c: int, value, encoding: str) -> bytes:
    if isinstance(value, str):
        raw = value.encode(encoding)
        return _record(0x0204, struct.pack("<HHHH", r, c, 0, len(raw)) + raw)  # LABEL
    return _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))  # NUMBER


def book_stream(sheets: list[tuple[str, dict, int]], codepage: int = 936, encoding: str = "gbk") -> bytes:
    """sheets: (name, {(row, col): text or number}, hidden state 0 visible / 1 hidden / 2 very hidden)."""
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", codepage))
    offset = len(head) + sum(4 + 7 + len(n.encode(encoding)) for n, _, _ in sheets) + 4
    bounds, bodies = b"", b""
    for name, cells, hidden in sheets:
        rows = [r for r, _ in cells] or [0]
        cols = [c for _, c in cells] or [0]
        body = _bof(0x0010) + _record(0x0200, struct.pack("<HHHHH", 0, max(rows) + 1, 0, max(cols) + 1, 0))
        body += b"".join(_cell(r, c, v, encoding) for (r, c), v in sorted(cells.items())) + _record(0x000A)
        raw = name.encode(encoding)
        bounds += _record(0x0085, struct.pack("<IBBB", offset + len(bodies), hidden, 0, len(raw)) + raw)
        bodies += body
    return head + bounds + _record(0x000A) + bodies


def compound_file(stream: bytes, name: str = "Book") -> bytes:
    """One stream in an OLE2 compound file; padded to 4,096 bytes so no mini stream is needed."""
    stream = stream.ljust(4096, b"\0")
    n = -(-len(stream) // 512)
    assert n + 2 <= 128, "one FAT sector only"
    fat = [_FATSECT, _END] + [3 + i for i in range(n - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    # directory sectors (v3: 0), FAT sectors, first directory sector, transaction, mini cutoff,
    # first mini FAT sector, mini FAT sectors, first DIFAT sector, DIFAT sectors; DIFAT[0] = sector 0
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([_FREE] * 108))

    def entry(entry_name: str, kind: int, child: int, size: int, start: int) -> bytes:
        e = bytearray(128)
        raw = entry_name.encode("utf-16-le") + b"\0\0" if entry_name else b""
        e[: len(raw)] = raw
        struct.pack_into("<HBB", e, 64, len(raw), kind, 1)
        struct.pack_into("<III", e, 68, _NONE, _NONE, child)
        struct.pack_into("<III", e, 116, start, size, 0)
        return bytes(e)

    directory = entry("Root Entry", 5, 1, 0, _END) + entry(name, 2, _NONE, len(stream), 2)
    directory += entry("", 0, _NONE, 0, 0) * 2
    return bytes(header) + struct.pack("<128I", *fat) + directory + stream.ljust(n * 512, b"\0")


def write_biff5(path: Path, sheets: list[tuple[str, dict, int]], codepage: int = 936, encoding: str = "gbk") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compound_file(book_stream(sheets, codepage, encoding)))
    return path


def form_cells() -> dict:
    """The head of an official form: enough for a reader to show whether the text came out right."""
    return {(0, 0): "财政项目支出绩效目标申报表", (1, 0): "(2022 年度)", (2, 0): "项目名称", (2, 1): "党建工作经费",
            (2, 2): "项目类别", (2, 3): "经常性项目", (3, 0): "项目资金总额", (3, 1): 3792000}
