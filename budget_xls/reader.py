"""Read a workbook once into plain grids: cell values, merged ranges, defined names.

python-calamine does the reading (fast, and it serves .xlsx/.xlsm/.xls/.ods alike).
Its quirks are normalised here and nowhere else: empty cells ``""`` → None, whole
floats → int, datetimes at midnight → date. For zip-based workbooks a light scan of
the package supplies what calamine does not: defined names, the template stamp and
formulas that have no cached value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from budget_xls import limits

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_F_TAG = re.compile(rb"<f[ >/]")
_R_ATTR = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_HAS_VALUE = re.compile(rb"<v>[^<]+</v>|<is>")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


class ReadError(Exception):
    """The file cannot be read as a workbook; ``str(e)`` is a Chinese reason for people."""


@dataclass(slots=True)
class Grid:
    """One sheet: sparse cell values at absolute 0-based positions, plus merged ranges."""

    name: str
    cells: dict[tuple[int, int], Any]
    merged: list[tuple[int, int, int, int]]  # r0, c0, r1, c1 (inclusive)
    max_row: int = -1
    max_col: int = -1
    uncached_formulas: frozenset[tuple[int, int]] = frozenset()
    _merge_owner: dict[tuple[int, int], tuple[int, int]] | None = None
    _merge_box: dict[tuple[int, int], tuple[int, int, int, int]] | None = None

    def raw(self, r: int, c: int) -> Any:
        """The value stored in exactly this cell (None for merged continuation cells)."""
        return self.cells.get((r, c))

    def value(self, r: int, c: int) -> Any:
        """The value a person sees at (r, c): merged cells show their top-left value."""
        if self._merge_owner is None:
            self._build_merge_map()
        pos = (r, c)
        return self.cells.get(self._merge_owner.get(pos, pos))

    def merge_owner(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (r, c), or the cell itself."""
        if self._merge_owner is None:
            self._build_merge_map()
        return self._merge_owner.get((r, c), (r, c))

    def merge_extent(self, r: int, c: int) -> tuple[int, int, int, int]:
        """The merged range holding (r, c) (clipped to the used area), or the cell itself."""
        if self._merge_owner is None:
            self._build_merge_map()
        owner = self._merge_owner.get((r, c), (r, c))
        return self._merge_box.get(owner, (r, c, r, c))

    def _build_merge_map(self) -> None:
        owners: dict[tuple[int, int], tuple[int, int]] = {}
        boxes: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        # Clip to the cells that hold values: a hostile A1:XFD1048576 merge costs nothing.
        for r0, c0, r1, c1 in self.merged:
            r1 = min(r1, max(self.max_row, r0))
            c1 = min(c1, max(self.max_col, c0))
            if (r1 - r0 + 1) * (c1 - c0 + 1) > limits.MAX_MERGE_AREA:
                continue
            boxes[(r0, c0)] = (r0, c0, r1, c1)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        owners[(r, c)] = (r0, c0)
        self._merge_owner, self._merge_box = owners, boxes


@dataclass(slots=True)
class WorkbookData:
    path: Path
    sheets: list[Grid]
    # sheet name (None = workbook scope) → defined name → (r0, c0, r1, c1)
    names: dict[str | None, dict[str, tuple[int, int, int, int]]] = field(default_factory=dict)
    template_version: str | None = None


def normalise(value: Any) -> Any:
    """calamine value → the value budget-xls works with (blank or whitespace-only text → None)."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return value if not value.isspace() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def read_workbook(path: str | Path, data: bytes | None = None) -> WorkbookData:
    """Read every sheet of a workbook. Raises ReadError with a plain reason.

    The file is read from disk once: the bytes are sniffed (so a renamed or encrypted
    file gets a reason a person understands), scanned for what calamine does not give
    (defined names, the stamp, formulas without a cached value) and handed to calamine.
    Callers that already hold the bytes (to hash them) pass them as ``data``.
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if data is None:
        data = read_bytes(path)
    kind = sniff(data)
    meta = _scan_package(data) if kind == "zip" else _PackageMeta()
    if meta.refused:
        raise ReadError(meta.refused)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types; all mean "cannot read"
        raise ReadError(_explain(exc, kind)) from exc
    sheets: list[Grid] = []
    try:
        for name in wb.sheet_names:
            sheets.append(_read_sheet(wb, name, meta.uncached.get(name, frozenset())))
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException, a BaseException
        raise ReadError(_explain(exc, kind)) from exc
    finally:
        wb.close()
    return WorkbookData(path=path, sheets=sheets, names=meta.names, template_version=meta.version)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing files past the size limit (ReadError with the reason)."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            raise ReadError(f"文件过大（{size / 1048576:.1f} MB，上限 {limits.MAX_FILE_BYTES // 1048576} MB），"
                            "不像是申报表：请删除无关内容后重新提交")
        with open(path, "rb") as fh:
            return fh.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror or exc}") from exc


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


_OLE_ENCRYPTED = (_utf16("EncryptedPackage"), _utf16("EncryptionInfo"))
_OLE_WORKBOOK = (_utf16("Workbook"), _utf16("Book"))
_OLE_WORD = _utf16("WordDocument")
_ZIP_NOT_BOOK = {
    "word/document.xml": "这是 Word 文档（.docx），不是 Excel 工作簿：请提交申报表工作簿",
    "ppt/presentation.xml": "这是 PowerPoint 演示文稿，不是 Excel 工作簿：请提交申报表工作簿",
}


def sniff(data: bytes) -> str:
    """What the bytes are: "zip" (xlsx/xlsm/xlsb/ods) or "ole" (xls); ReadError otherwise.

    The file name's extension is not trusted: departments rename files.
    """
    if not data:
        raise ReadError("文件是空的（0 字节），请重新保存后提交")
    if data.startswith(_ZIP_MAGIC):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        if any(marker in data for marker in _OLE_ENCRYPTED):
            raise ReadError("文件设置了打开密码（已加密），无法读取：请取消密码后重新提交")
        if any(marker in data for marker in _OLE_WORKBOOK):
            return "ole"
        if _OLE_WORD in data:
            raise ReadError("这是 Word 文档（.doc），不是 Excel 工作簿：请提交申报表工作簿")
        raise ReadError("文件是 Office 复合文档，但其中没有工作簿（可能已加密或损坏）：请取消密码、重新保存后提交")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(b"\xfe\xff\x00<"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
            raise ReadError("这是 Excel 2003 XML 表格，不是 .xlsx/.xls 工作簿："
                            "请在 Excel/WPS 中打开后“另存为”.xlsx 再提交")
        raise ReadError("这是网页（HTML/XML）文件改了扩展名，不是真正的工作簿："
                        "请在 Excel/WPS 中打开后“另存为”.xlsx 再提交")
    if data.startswith(b"%PDF"):
        raise ReadError("这是 PDF 文件，不是工作簿：请提交可编辑的申报表工作簿（.xlsx/.xls）")
    raise ReadError("文件内容不是 Excel 工作簿（格式无法识别，可能已损坏或不是表格文件）：请重新保存为 .xlsx 后提交")


def _read_sheet(wb, name: str, uncached: frozenset[tuple[int, int]]) -> Grid:
    sheet = wb.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=True)
    r_off, c_off = sheet.start or (0, 0)
    cells: dict[tuple[int, int], Any] = {}
    max_row = max_col = -1
    for i, row in enumerate(rows):
        r = i + r_off
        for j, value in enumerate(row):
            if value.__class__ is str:  # most cells: text, or "" for an empty one
                if not value or value.isspace():
                    continue
            else:
                value = normalise(value)
                if value is None:
                    continue
            c = j + c_off
            cells[(r, c)] = value
            if c > max_col:
                max_col = c
            max_row = r
    if len(cells) > limits.MAX_CELLS_PER_SHEET:
        raise ReadError(f"工作表“{name}”的单元格过多（超过 {limits.MAX_CELLS_PER_SHEET} 个），不是申报表")
    merged_raw = sheet.merged_cell_ranges or []
    if len(merged_raw) > limits.MAX_MERGED_RANGES:
        raise ReadError(f"工作表“{name}”的合并单元格过多（{len(merged_raw)} 个，上限 {limits.MAX_MERGED_RANGES}）")
    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged_raw]
    for r0, c0, _, _ in merged:  # a merged cell's value still counts for the extent
        max_row = max(max_row, r0)
        max_col = max(max_col, c0)
    for r, c in uncached:  # an empty formula cell is still a cell the form uses
        max_row = max(max_row, r)
        max_col = max(max_col, c)
    return Grid(name=name, cells=cells, merged=merged, max_row=max_row, max_col=max_col,
                uncached_formulas=uncached)


def _explain(exc: Exception, kind: str = "") -> str:
    text = f"{type(exc).__name__}: {exc}"
    if type(exc).__name__ == "PanicException":
        return ("工作簿中有读取器无法处理的内容（如超出范围的日期或数值），无法读取："
                f"请检查日期单元格后在 Excel/WPS 中重新保存提交（{text[:120]}）")
    low = text.lower()
    if "password" in low or "encrypt" in low:
        return "文件设置了打开密码（已加密），无法读取：请取消密码后重新提交"
    if kind == "zip" or "zip" in low or "eof" in low or "corrupt" in low or "invalid" in low:
        return f"文件已损坏，无法作为工作簿读取：请在 Excel/WPS 中重新保存后提交（{text[:120]}）"
    return f"无法读取工作簿：请在 Excel/WPS 中重新保存后提交（{text[:160]}）"


# ---------------------------------------------------------------- package scan (xlsx/xlsm)


@dataclass(slots=True)
class _PackageMeta:
    names: dict[str | None, dict[str, tuple[int, int, int, int]]] = field(default_factory=dict)
    version: str | None = None
    uncached: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    refused: str | None = None  # a reason not to hand the file to calamine at all


def _scan_package(data: bytes) -> _PackageMeta:
    """What calamine does not give, and the checks that keep a hostile zip from costing the run."""
    meta = _PackageMeta()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            meta.refused = _refuse_package(zf, infos)
            if not meta.refused and "content.xml" in zf.NameToInfo and "xl/workbook.xml" not in zf.NameToInfo:
                meta.refused = _ods_refusal(zf)
            if meta.refused or "xl/workbook.xml" not in zf.NameToInfo:
                return meta  # .ods / .xlsb: calamine reads them, there is nothing to scan
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > limits.MAX_WORKBOOK_XML:
                return meta
            root = SafeET.fromstring(zf.read(info))
            sheet_names, sheet_rids = [], []
            for el in root.iter(f"{_NS_MAIN}sheet"):
                sheet_names.append(el.get("name"))
                sheet_rids.append(el.get(f"{_NS_REL}id"))
            _read_defined_names(root, sheet_names, meta)
            targets = _sheet_targets(zf)
            for name, rid in zip(sheet_names, sheet_rids):
                part = targets.get(rid)
                if not part or part not in zf.NameToInfo:
                    continue
                sheet_xml = zf.read(part)
                too_big = _extent_refusal(name, sheet_xml)
                if too_big:
                    meta.refused = too_big
                    return meta
                if b"<f" in sheet_xml:
                    meta.uncached[name] = _uncached_formulas(sheet_xml)
    except zipfile.BadZipFile:
        meta.refused = "文件已损坏（压缩包不完整或被截断），无法读取：请在 Excel/WPS 中重新保存后提交"
    except DefusedXmlException:
        meta.refused = ("文件中含有 XML 实体定义（Excel/WPS 不会这样保存，可能是“实体炸弹”），未读取："
                        "请在 Excel/WPS 中重新保存后提交")
    except (OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        meta.refused = "文件已损坏（压缩包中的内容无法解压），无法读取：请在 Excel/WPS 中重新保存后提交"
    except Exception:  # defusedxml refusals (entity bombs), malformed workbook.xml: calamine decides
        return meta
    return meta


def _refuse_package(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    names = zf.NameToInfo
    if not any(n in names for n in ("xl/workbook.xml", "xl/workbook.bin", "content.xml")):
        for part, reason in _ZIP_NOT_BOOK.items():
            if part in names:
                return reason
        return "文件是压缩包，但不是 Excel 工作簿：请提交申报表工作簿（.xlsx/.xls）"
    if sum(i.file_size for i in infos) > limits.MAX_PACKAGE_BYTES:
        return f"文件解压后超过 {limits.MAX_PACKAGE_BYTES // 1048576} MB，不像是申报表（可能是压缩炸弹），未读取"
    for i in infos:
        if i.filename.startswith("xl/worksheets/") and i.file_size > limits.MAX_SHEET_PART:
            return f"工作表数据超过 {limits.MAX_SHEET_PART // 1048576} MB，不像是申报表，未读取"
    return None


def _ods_refusal(zf: zipfile.ZipFile) -> str | None:
    """An .ods whose repeated cells would expand past what calamine can hold (sniff)."""
    from budget_xls.sniff import ods_refusal

    if zf.getinfo("content.xml").file_size > limits.MAX_SHEET_PART:
        return f"工作表数据超过 {limits.MAX_SHEET_PART // 1048576} MB，不像是申报表，未读取"
    return ods_refusal(zf.read("content.xml"))


def _extent_refusal(name: str, xml: bytes) -> str | None:
    """Refuse a sheet whose values span more than calamine can allocate (a value at XFD1048576
    aborts it); a formatted blank there, or a declared dimension, does not count (sniff)."""
    from budget_xls.sniff import extent_refusal

    return extent_refusal(name, xml)


def _read_defined_names(root, sheet_names: list[str], meta: _PackageMeta) -> None:
    from budget_xls.vocab import VERSION_NAME

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


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    try:
        info = zf.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if info.file_size > limits.MAX_WORKBOOK_XML:
        return {}
    root = SafeET.fromstring(zf.read(info))
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
