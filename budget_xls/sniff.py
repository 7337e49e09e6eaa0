"""Look at a file's bytes before any reader does: what they are, and how far a sheet's values reach.

``sniff`` tells a workbook from a PDF, an HTML page, a Word file or an encrypted package
by its first bytes (the extension is not trusted). ``value_extent`` sizes a sheet from its
XML: the extent of the cells that hold values.

python-calamine allocates the whole grid from the first to the last cell holding a value,
so one value at XFD1048576 makes it allocate 17 billion cells and abort the process. A
formatted blank there costs it nothing, and neither does a declared ``<dimension>``:
only cells with a value count, and the declared dimension is never trusted.

Cheap in the common case (this runs on every sheet part): when every ``<row>`` and
``<c>`` tag carries its ``r`` reference and no reference has a three-letter column or a
row number of five digits or more, the sheet is small by construction and nothing is
parsed. Otherwise every tag is walked once, following the OOXML rule that a row or cell
without ``r`` comes right after the previous one.
"""

from __future__ import annotations

import re

from budget_xls import guards, limits
from budget_xls.guards import ReadError

_BIG_REF = re.compile(rb'r="(?:[A-Z]{3}|[A-Z]{0,2}\d{5})')  # a 3-letter column or a 5-digit row
_NO_REF = re.compile(rb'<c(?! r=")[\s>/]|<row(?! r=")[\s>/]')  # a <c>/<row> without r first
_TAG = re.compile(rb"<(row|c)\b([^>]*?)(/?)>")
_R = re.compile(rb'\br="([A-Z]*)(\d+)"')
_VALUE = re.compile(rb"\s*(?:<f\b[^>]*(?:/>|>[^<]*</f>)\s*)?(?:<v>[^<]|<is>)")
SMALL = (9999, 702)  # the largest extent the fast path can vouch for (rows, columns)


def value_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell holding a value; an upper bound when small.

    When the sheet passes the cheap checks, the bound ``SMALL`` is returned without
    parsing: it is far below anything a reader could choke on.
    """
    if _regular(xml) and not _BIG_REF.search(xml):
        return SMALL
    return _walk(xml)


def _regular(xml: bytes) -> bool:
    """Every row and cell tag names its reference (``r`` first, as every office suite writes it)."""
    return _NO_REF.search(xml) is None


def _walk(xml: bytes) -> tuple[int, int]:
    max_row = max_col = 0
    row = col = 0
    for m in _TAG.finditer(xml):
        tag, attrs, closed = m.group(1), m.group(2), m.group(3)
        ref = _R.search(attrs)
        if tag == b"row":
            row = int(ref.group(2)) if ref else row + 1
            col = 0
            continue
        if ref:
            letters, digits = ref.group(1), ref.group(2)
            col = _col_number(letters) if letters else col + 1
            row = int(digits)
        else:
            col += 1
        if not closed and _VALUE.match(xml, m.end()):
            if row > max_row:
                max_row = row
            if col > max_col:
                max_col = col
    return max_row, max_col


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def extent_refusal(name: str, xml: bytes) -> str | None:
    """A plain reason to refuse a sheet whose values span more than a reader can hold, else None."""
    rows, cols = value_extent(xml)
    if rows * cols <= limits.MAX_SHEET_AREA:
        return None
    return guards.sheet_extent(name, rows, cols)


# ---------------------------------------------------------------- OpenDocument (.ods)

_ODS_TAG = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
                      rb"|</table:(table-row|table)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def ods_extents(xml: bytes) -> list[tuple[int, int]]:
    """(rows, columns) spanned by the values of each table of an .ods content.xml.

    OpenDocument compresses runs of equal cells with number-rows/columns-repeated; an
    attacker's "repeat this value 10,000 × 10,000 times" is a few bytes that calamine
    expands in full (6 GB for 9,000 × 11,000). Repeated empty cells, which LibreOffice
    writes at the end of every sheet, do not count.
    """
    out: list[tuple[int, int]] = []
    row = max_row = max_col = 0
    row_rep = row_cols = col = 0
    for m in _ODS_TAG.finditer(xml):
        tag, attrs, closed, end = m.group(1), m.group(2), m.group(3), m.group(4)
        if tag == b"table":
            row = max_row = max_col = 0
        elif tag == b"table-row":
            rep = _ROWS_REPEATED.search(attrs)
            row_rep, row_cols, col = (int(rep.group(1)) if rep else 1), 0, 0
            if closed:
                row += row_rep
        elif tag is not None:  # a cell
            rep = _COLS_REPEATED.search(attrs)
            col += int(rep.group(1)) if rep else 1
            if b"office:value-type=" in attrs or (not closed and xml.startswith(b"<text:p", m.end())):
                row_cols = col
        elif end == b"table-row":
            if row_cols:
                max_row, max_col = row + row_rep, max(max_col, row_cols)
            row += row_rep
        else:  # </table:table>
            out.append((max_row, max_col))
    return out


def ods_refusal(content: bytes) -> str | None:
    for i, (rows, cols) in enumerate(ods_extents(content)):
        if rows * cols > limits.MAX_SHEET_AREA:
            return guards.ods_extent(i + 1, rows, cols)
    return None


# ---------------------------------------------------------------- what the bytes are


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


_OLE_ENCRYPTED = (_utf16("EncryptedPackage"), _utf16("EncryptionInfo"))
_OLE_WORKBOOK = (_utf16("Workbook"), _utf16("Book"))
_OLE_WORD = _utf16("WordDocument")


_BOOK_ENTRY = _utf16("Book") + b"\0\0"


def is_biff5(data: bytes) -> bool:
    """An OLE workbook of Excel 5.0/95 (BIFF5): its stream is named "Book" ("Workbook" from Excel 97 on).

    Looks for a directory entry (128-byte aligned, name length 10 at offset 64) named "Book",
    which is never a part of "Workbook" at an entry's start.
    """
    pos = data.find(_BOOK_ENTRY, 512)
    while pos >= 0:
        if pos % 128 == 0 and data[pos + 64:pos + 66] == b"\x0a\x00":
            return True
        pos = data.find(_BOOK_ENTRY, pos + 1)
    return False


def sniff(data: bytes) -> str:
    """What the bytes are: "zip" (xlsx/xlsm/xlsb/ods) or "ole" (xls); ReadError otherwise.

    The file name's extension is not trusted: departments rename files.
    """
    if not data:
        raise ReadError(guards.EMPTY)
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        if any(marker in data for marker in _OLE_ENCRYPTED):
            raise ReadError(guards.ENCRYPTED)
        if any(marker in data for marker in _OLE_WORKBOOK):
            return "ole"
        if _OLE_WORD in data:
            raise ReadError(guards.WORD_DOC)
        raise ReadError(guards.OLE_NO_BOOK)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(b"\xfe\xff\x00<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
            raise ReadError(guards.XML_2003)
        raise ReadError(guards.HTML)
    if data.startswith(b"%PDF"):
        raise ReadError(guards.PDF)
    raise ReadError(guards.UNKNOWN_FORMAT)
