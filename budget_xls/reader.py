"""Read a workbook once into plain grids: cell values, merged ranges, defined names.

python-calamine does the reading (fast, and it serves .xlsx/.xlsm/.xls/.ods alike).
Its quirks are normalised here and nowhere else: empty cells ``""`` → None, whole
floats → int, datetimes at midnight → date. For zip-based workbooks a light scan of
the package supplies what calamine does not: defined names, the template stamp and
formulas that have no cached value.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from budget_xls import limits

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_WITH_BODY = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?>(.*?)</c>', re.S)
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

    def raw(self, r: int, c: int) -> Any:
        """The value stored in exactly this cell (None for merged continuation cells)."""
        return self.cells.get((r, c))

    def value(self, r: int, c: int) -> Any:
        """The value a person sees at (r, c): merged cells show their top-left value."""
        owner = self.merge_owner(r, c)
        return self.cells.get(owner)

    def merge_owner(self, r: int, c: int) -> tuple[int, int]:
        if self._merge_owner is None:
            self._merge_owner = self._build_merge_map()
        return self._merge_owner.get((r, c), (r, c))

    def merge_extent(self, r: int, c: int) -> tuple[int, int, int, int]:
        """The merged range holding (r, c), or the cell itself."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= r <= r1 and c0 <= c <= c1:
                return r0, c0, r1, c1
        return r, c, r, c

    def _build_merge_map(self) -> dict[tuple[int, int], tuple[int, int]]:
        owners: dict[tuple[int, int], tuple[int, int]] = {}
        # Clip to the cells that hold values: a hostile A1:XFD1048576 merge costs nothing.
        for r0, c0, r1, c1 in self.merged:
            r1 = min(r1, self.max_row)
            c1 = min(c1, self.max_col)
            if (r1 - r0 + 1) * (c1 - c0 + 1) > limits.MAX_MERGE_AREA:
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        owners[(r, c)] = (r0, c0)
        return owners


@dataclass(slots=True)
class WorkbookData:
    path: Path
    sheets: list[Grid]
    # sheet name (None = workbook scope) → defined name → (r0, c0, r1, c1)
    names: dict[str | None, dict[str, tuple[int, int, int, int]]] = field(default_factory=dict)
    template_version: str | None = None


def normalise(value: Any) -> Any:
    """calamine value → the value budget-xls works with."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def read_workbook(path: str | Path) -> WorkbookData:
    """Read every sheet of a workbook. Raises ReadError with a plain reason."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    meta = _PackageMeta()
    if zipfile.is_zipfile(path):
        meta = _scan_package(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types; all mean "cannot read"
        raise ReadError(_explain(exc)) from exc
    sheets: list[Grid] = []
    try:
        for name in wb.sheet_names:
            sheets.append(_read_sheet(wb, name, meta.uncached.get(name, frozenset())))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(_explain(exc)) from exc
    finally:
        wb.close()
    return WorkbookData(path=path, sheets=sheets, names=meta.names, template_version=meta.version)


def _read_sheet(wb, name: str, uncached: frozenset[tuple[int, int]]) -> Grid:
    sheet = wb.get_sheet_by_name(name)
    rows = sheet.to_python(skip_empty_area=True)
    r_off, c_off = sheet.start or (0, 0)
    cells: dict[tuple[int, int], Any] = {}
    max_row = max_col = -1
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value == "" or value is None:
                continue
            r, c = i + r_off, j + c_off
            cells[(r, c)] = normalise(value)
            if r > max_row:
                max_row = r
            if c > max_col:
                max_col = c
    if len(cells) > limits.MAX_CELLS_PER_SHEET:
        raise ReadError(f"工作表“{name}”的单元格过多（超过 {limits.MAX_CELLS_PER_SHEET} 个），不是申报表")
    merged_raw = sheet.merged_cell_ranges or []
    if len(merged_raw) > limits.MAX_MERGED_RANGES:
        raise ReadError(f"工作表“{name}”的合并单元格过多（{len(merged_raw)} 个，上限 {limits.MAX_MERGED_RANGES}）")
    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged_raw]
    for r0, c0, _, _ in merged:  # a merged cell's value still counts for the extent
        max_row = max(max_row, r0)
        max_col = max(max_col, c0)
    return Grid(name=name, cells=cells, merged=merged, max_row=max_row, max_col=max_col,
                uncached_formulas=uncached)


def _explain(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    low = text.lower()
    if "password" in low or "encrypt" in low:
        return "文件已加密（设置了打开密码），无法读取：请取消密码后重新提交"
    if "zip" in low or "invalid" in low or "eof" in low or "corrupt" in low:
        return f"文件已损坏，无法作为工作簿读取（{text[:120]}）"
    return f"无法读取工作簿（{text[:160]}）"


# ---------------------------------------------------------------- package scan (xlsx/xlsm)


@dataclass(slots=True)
class _PackageMeta:
    names: dict[str | None, dict[str, tuple[int, int, int, int]]] = field(default_factory=dict)
    version: str | None = None
    uncached: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)


def _scan_package(path: Path) -> _PackageMeta:
    meta = _PackageMeta()
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo("xl/workbook.xml")
            except KeyError:
                return meta
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
                if not part:
                    continue
                try:
                    pinfo = zf.getinfo(part)
                except KeyError:
                    continue
                if pinfo.file_size > limits.MAX_SHEET_PART:
                    continue  # the sniffer has already refused such files
                data = zf.read(pinfo)
                if b"<f" in data:
                    meta.uncached[name] = _uncached_formulas(data)
    except (zipfile.BadZipFile, OSError, SafeET.ParseError, ValueError):
        # calamine will give the real reason (or read what it can)
        return meta
    except Exception:  # defusedxml refusals (entity bombs) and the like
        return meta
    return meta


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
    found = set()
    for col, row, body in _CELL_WITH_BODY.findall(data):
        if b"<f" in body and not _HAS_VALUE.search(body):
            found.add((int(row) - 1, _col_index(col.decode())))
    return frozenset(found)
