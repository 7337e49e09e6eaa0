"""A light scan of an .xlsx/.xlsm package for what python-calamine does not give.

Defined names (our template's anchors), the template stamp, formulas that have no cached
value, and the checks that keep a hostile zip from costing the run: part sizes before a
byte is decompressed, the extent of each sheet's values (``sniff``), XML entity bombs.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree import ElementTree as PlainET

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from budget_xls import guards, limits
from budget_xls.sniff import extent_refusal, ods_refusal
from budget_xls.vocab import VERSION_NAME

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_F_TAG = re.compile(rb"<f[ >/]")
_R_ATTR = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_HAS_VALUE = re.compile(rb"<v>[^<]+</v>|<is>")
# Whether a sheet part has formulas, error values, hidden rows at all: the same tests as
# ``b"<f" in xml`` …, which a compiled literal answers in half the time on sheet XML.
_HAS_F = re.compile(rb"<f")
_HAS_ERROR = re.compile(rb't="e"')
_HAS_HIDDEN = re.compile(rb'hidden="')
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


@dataclass(slots=True)
class PackageMeta:
    names: dict[str | None, dict[str, tuple[int, int, int, int]]] = field(default_factory=dict)
    version: str | None = None
    uncached: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    # sheet → {(row, col): decimals} of number cells shown as a percentage (a rate typed as 95%)
    percent: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    refused: str | None = None  # a reason not to hand the file to calamine at all
    # sheet → {(row, col): "#REF!"}: cells whose cached value is an Excel error (calamine gives "")
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    # sheet → 0-based rows marked hidden (<row r="…" hidden="1">)
    hidden_rows: dict[str, frozenset[int]] = field(default_factory=dict)


def scan_package(data: bytes) -> PackageMeta:
    """What calamine does not give, and the checks that keep a hostile zip from costing the run."""
    meta = PackageMeta()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            meta.refused = _refuse_package(zf, infos)
            if not meta.refused and "content.xml" in zf.NameToInfo and "xl/workbook.xml" not in zf.NameToInfo:
                meta.refused = _ods_refusal(zf)
            if meta.refused or "xl/workbook.xml" not in zf.NameToInfo:
                return meta  # .ods / .xlsb: calamine reads them, there is nothing to scan
            workbook_xml = _small_part(zf, "xl/workbook.xml")
            if workbook_xml is None:
                return meta
            root = _parse_xml(workbook_xml)
            sheet_names, sheet_rids = [], []
            for el in root.iter(f"{_NS_MAIN}sheet"):
                sheet_names.append(el.get("name"))
                sheet_rids.append(el.get(f"{_NS_REL}id"))
            _read_defined_names(root, sheet_names, meta)
            percent_styles = _percent_styles(zf)
            targets = _sheet_targets(zf)
            for name, rid in zip(sheet_names, sheet_rids):
                part = targets.get(rid)
                if not part or part not in zf.NameToInfo:
                    continue
                sheet_xml = zf.read(part)
                # A value at XFD1048576 makes calamine abort: refuse before it allocates (sniff).
                too_big = extent_refusal(name, sheet_xml)
                if too_big:
                    meta.refused = too_big
                    return meta
                # calamine turns every <mergeCell> into Python tuples: count them first (a 4 MB
                # file of 900,000 merges took 2.3 s and 290 MB before the reader's own check).
                merges = sheet_xml.count(b"<mergeCell ")
                if merges > limits.MAX_MERGED_RANGES:
                    meta.refused = guards.too_many_merges(name, merges)
                    return meta
                if _HAS_F.search(sheet_xml):
                    meta.uncached[name] = _uncached_formulas(sheet_xml)
                if _HAS_ERROR.search(sheet_xml):
                    meta.errors[name] = _error_cells(sheet_xml)
                if _HAS_HIDDEN.search(sheet_xml):
                    rows = _hidden_rows(sheet_xml)
                    if rows:
                        meta.hidden_rows[name] = rows
                if percent_styles:
                    cells = _percent_cells(sheet_xml, percent_styles)
                    if cells:
                        meta.percent[name] = cells
    except zipfile.BadZipFile:
        meta.refused = guards.ZIP_TRUNCATED
    except DefusedXmlException:
        meta.refused = guards.ENTITY_BOMB
    except (OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        meta.refused = guards.ZIP_UNREADABLE
    except Exception:  # defusedxml refusals (entity bombs), malformed workbook.xml: calamine decides
        return meta
    return meta


_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _parse_xml(data: bytes):
    """A small package part (workbook.xml, its rels) as a tree, refusing entities as defusedxml does.

    defusedxml's parser runs its callbacks in Python and cost more than the rest of the scan. A
    part with no markup declaration at all (no ``<!``: no DOCTYPE, so no entity can be declared)
    in UTF-8 (so that test sees every byte of markup) cannot hold a bomb: the plain parser reads
    it. Anything else — another encoding, a comment, a DOCTYPE — goes through defusedxml as before.
    """
    if b"<!" not in data and b"\x00" not in data:
        m = _XML_ENCODING.match(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
        if m is None or m.group(1).lower() in (b"utf-8", b"utf8"):
            return PlainET.fromstring(data)
    return SafeET.fromstring(data)


def _refuse_package(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    names = zf.NameToInfo
    if not any(n in names for n in ("xl/workbook.xml", "xl/workbook.bin", "content.xml")):
        for part, reason in guards.ZIP_NOT_BOOK.items():
            if part in names:
                return reason
        return guards.ZIP_OTHER
    if sum(i.file_size for i in infos) > limits.MAX_PACKAGE_BYTES:
        return guards.package_too_big()
    for i in infos:
        if i.filename.startswith("xl/worksheets/") and i.file_size > limits.MAX_SHEET_PART:
            return guards.sheet_part_too_big()
    return None


def _ods_refusal(zf: zipfile.ZipFile) -> str | None:
    """An .ods whose repeated cells would expand past what calamine can hold (sniff)."""
    if zf.getinfo("content.xml").file_size > limits.MAX_SHEET_PART:
        return guards.sheet_part_too_big()
    return ods_refusal(zf.read("content.xml"))


def _read_defined_names(root, sheet_names: list[str], meta: PackageMeta) -> None:
    for el in root.iter(f"{_NS_MAIN}definedName"):
        name = el.get("name") or ""
        text = (el.text or "").strip()
        if name == VERSION_NAME:
            meta.version = text.strip('="')
            continue
        local = el.get("localSheetId")
        scope = None
        if local is not None and local.isdigit() and int(local) < len(sheet_names):
            scope = sheet_names[int(local)]
        ref = _parse_ref(text)
        if ref is None:
            continue
        ref_sheet, box = ref
        if scope is None:
            scope = ref_sheet
        if scope is not None and ref_sheet is not None and scope != ref_sheet:
            continue
        meta.names.setdefault(scope, {})[name] = box


@lru_cache(maxsize=4096)  # templates repeat the same references in every file
def _parse_ref(text: str) -> tuple[str | None, tuple[int, int, int, int]] | None:
    """"'项目1'!$B$3" → ("项目1", (2, 1, 2, 1)); None for anything else."""
    text = text.lstrip("=")
    if "!" not in text:
        return None
    sheet, _, cells = text.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    m = _REF.match(cells)
    if not m:
        return None
    c0, r0, c1, r1 = m.groups()
    c1, r1 = c1 or c0, r1 or r0
    return sheet, (int(r0) - 1, _col_index(c0), int(r1) - 1, _col_index(c1))


def _small_part(zf: zipfile.ZipFile, name: str) -> bytes | None:
    """A small package part (workbook.xml, its rels, styles.xml); None when it is missing or
    larger than such a part can honestly be (``limits.MAX_WORKBOOK_XML``)."""
    info = zf.NameToInfo.get(name)
    if info is None or info.file_size > limits.MAX_WORKBOOK_XML:
        return None
    return zf.read(info)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    rels = _small_part(zf, "xl/_rels/workbook.xml.rels")
    if rels is None:
        return {}
    root = _parse_xml(rels)
    targets = {}
    for el in root.iter(f"{_NS_PKG_REL}Relationship"):
        target = el.get("Target") or ""
        if target.startswith("/"):
            target = target[1:]
        elif not target.startswith("xl/"):
            target = "xl/" + target
        targets[el.get("Id")] = target
    return targets


def _uncached_formulas(data: bytes) -> frozenset[tuple[int, int]]:
    """Cells holding a formula (<f>) but no cached value (no <v>text</v>, no inline string).

    Walks the formula tags only, so the cost follows the number of formulas, and the
    cell's attributes may come in any order (self-closing neighbours do not confuse it).
    """
    found = set()
    stop = data.find(b"</sheetData>")
    stop = len(data) if stop < 0 else stop
    m = _F_TAG.search(data, 0, stop)
    while m:
        pos = m.start()
        start = data.rfind(b"<c ", 0, pos)
        end = data.find(b"</c>", pos, stop)
        if start < 0 or end < 0:
            break
        tag_end = data.find(b">", start)
        ref = _R_ATTR.search(data, start, tag_end)
        body = data[tag_end + 1:end]
        if ref and not _HAS_VALUE.search(body):
            found.add((int(ref.group(2)) - 1, _col_index(ref.group(1).decode())))
        m = _F_TAG.search(data, end, stop)
    return frozenset(found)


# ---------------------------------------------------------------- number formats (styles part)

_BUILTIN_PERCENT = {9: 0, 10: 2}  # 0% and 0.00%
_BUILTIN_PERCENT_ID = re.compile(rb'numFmtId="0*(?:9|10)"')
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*?)/?>")
_XF_FMT = re.compile(rb'numFmtId="(\d+)"')
_QUOTED = re.compile(r'"[^"]*"|\\.')


_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?\st="e"[^>]*>(.*?)</c>', re.S)
_ERROR_VALUE = re.compile(rb"<v>(#[^<]{1,16})</v>")


def _error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """Cells stored with type "e": a formula whose cached result is #REF!, #DIV/0!, #N/A …"""
    out = {}
    for m in _ERROR_CELL.finditer(data):
        value = _ERROR_VALUE.search(m.group(3))
        if value:
            out[(int(m.group(2)) - 1, _col_index(m.group(1).decode()))] = value.group(1).decode("ascii", "replace")
    return out


_ROW_TAG = re.compile(rb"<row\b([^>]*)>")
_ROW_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_ROW_R = re.compile(rb'\sr="(\d{1,7})"')


def _hidden_rows(data: bytes) -> frozenset[int]:
    """Rows the sheet hides (``<row r="5" hidden="1">``), 0-based; rows without ``r`` are skipped."""
    out = set()
    stop = data.find(b"</sheetData>")
    for m in _ROW_TAG.finditer(data, 0, len(data) if stop < 0 else stop):
        attrs = m.group(1)
        if b"hidden" in attrs and _ROW_HIDDEN.search(attrs):
            r = _ROW_R.search(attrs)
            if r:
                out.add(int(r.group(1)) - 1)
    return frozenset(out)


def _percent_decimals(code: str) -> int | None:
    """Decimals shown by a number format that multiplies by 100 ("0.0%" → 1), None for others."""
    bare = _QUOTED.sub("", code).split(";")[0]
    if "%" not in bare:
        return None
    head = bare.split("%")[0]
    return len(head.split(".")[1]) if "." in head else 0


def _percent_styles(zf: zipfile.ZipFile) -> dict[int, int]:
    """Style index (the ``s`` of a cell) → decimals, for every cell style showing a percentage."""
    xml = _small_part(zf, "xl/styles.xml")
    if xml is None:
        return {}
    if b"%" not in xml and not _BUILTIN_PERCENT_ID.search(xml):
        return {}  # no format shows a percentage: most workbooks
    custom = {}
    for fid, code in _NUMFMT.findall(xml):
        decimals = _percent_decimals(code.decode("utf-8", "replace").replace("&quot;", '"').replace("&amp;", "&"))
        if decimals is not None:
            custom[int(fid)] = decimals
    m = _CELLXFS.search(xml)
    if not m:
        return {}
    out = {}
    for i, xf in enumerate(_XF.finditer(m.group(1))):
        fm = _XF_FMT.search(xf.group(1))
        if fm:
            fid = int(fm.group(1))
            decimals = _BUILTIN_PERCENT.get(fid, custom.get(fid))
            if decimals is not None:
                out[i] = decimals
    return out


_C_TAG = re.compile(rb"<c\b([^>]*?)(/?)>")
_C_R = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_C_S = re.compile(rb'\bs="(\d+)"')
_C_T = re.compile(rb'\bt="(\w+)"')


def _percent_cells(xml: bytes, styles: dict[int, int]) -> dict[tuple[int, int], int]:
    """Number cells whose style shows a percentage: (row, col) → decimals shown."""
    wanted = {str(s).encode() for s in styles}
    if not any(b's="' + w + b'"' in xml for w in wanted):
        return {}
    out = {}
    for m in _C_TAG.finditer(xml):
        attrs = m.group(1)
        sm = _C_S.search(attrs)
        if not sm or sm.group(1) not in wanted or m.group(2):
            continue
        tm = _C_T.search(attrs)
        if tm and tm.group(1) not in (b"n",):
            continue  # text, shared string, error, boolean: not a number shown as a percentage
        rm = _C_R.search(attrs)
        if rm:
            out[(int(rm.group(2)) - 1, _col_index(rm.group(1).decode()))] = styles[int(sm.group(1))]
    return out
