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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budget_xls import guards, limits
from budget_xls.grid import Grid
from budget_xls.guards import ReadError
from budget_xls.package import PackageMeta, scan_package
from budget_xls.sniff import is_biff5, sniff

__all__ = ["Grid", "ReadError", "WorkbookData", "normalise", "read_bytes", "read_workbook", "sniff"]


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
    meta = scan_package(data) if kind == "zip" else PackageMeta()
    if meta.refused:
        raise ReadError(meta.refused)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types; all mean "cannot read"
        raise ReadError(guards.reader_failed(exc, kind)) from exc
    sheets: list[Grid] = []
    try:
        visibility = _visibility(wb)
        for name in wb.sheet_names:
            errors = meta.errors.get(name)
            uncached = meta.uncached.get(name, frozenset())
            if errors:  # an error value is no value: read as missing everywhere, reported by R09
                uncached = uncached | frozenset(errors)
            grid = _read_sheet(wb, name, uncached, meta.percent.get(name))
            grid.errors = errors or None
            grid.hidden_rows = meta.hidden_rows.get(name, frozenset())
            grid.visibility = visibility.get(name, "visible")
            sheets.append(grid)
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException, a BaseException
        raise ReadError(guards.reader_failed(exc, kind)) from exc
    finally:
        wb.close()
    if kind == "ole" and is_biff5(data) and _lost_text(sheets):
        raise ReadError(guards.BIFF5_TEXT)
    return WorkbookData(path=path, sheets=sheets, names=meta.names, template_version=meta.version)


def _visibility(wb) -> dict[str, str]:
    """Sheet name → "hidden" / "veryhidden" for the sheets a user does not see (calamine's metadata)."""
    out = {}
    for meta in wb.sheets_metadata or ():
        state = str(meta.visible).rsplit(".", 1)[-1].lower()  # SheetVisibleEnum.VeryHidden → "veryhidden"
        if state != "visible":
            out[meta.name] = state
    return out


def _lost_text(sheets: list[Grid]) -> bool:
    """Text python-calamine could not decode: it reads the 8-bit strings of an Excel 95 (BIFF5)
    file in a multi-byte code page (936 GBK, 950 Big5 …) byte by byte, each non-ASCII byte
    becoming U+FFFD — nothing left to re-decode. Latin code pages (1252) read correctly."""
    for grid in sheets:
        if "\ufffd" in grid.name:
            return True
        for value in grid.cells.values():
            if value.__class__ is str and "\ufffd" in value:
                return True
    return False


def shown_percent(value: float | int, decimals: int) -> str:
    """A number formatted as a percentage, as the user sees it: 0.95 with "0%" → "95%"."""
    from decimal import ROUND_HALF_UP, Decimal

    shown = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{shown}%"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing files past the size limit (ReadError with the reason)."""
    try:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            raise ReadError(guards.file_too_big(size))
        with open(path, "rb") as fh:
            return fh.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReadError(guards.cannot_open(exc)) from exc


def _read_sheet(wb, name: str, uncached: frozenset[tuple[int, int]],
                percent: dict[tuple[int, int], int] | None = None) -> Grid:
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
    if percent:
        for pos, decimals in percent.items():
            value = cells.get(pos)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells[pos] = shown_percent(value, decimals)
    if len(cells) > limits.MAX_CELLS_PER_SHEET:
        raise ReadError(guards.too_many_cells(name))
    merged_raw = sheet.merged_cell_ranges or []
    if len(merged_raw) > limits.MAX_MERGED_RANGES:
        raise ReadError(guards.too_many_merges(name, len(merged_raw)))
    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged_raw]
    if merged:  # a merged cell's value still counts for the extent
        max_row = max(max_row, max(m[0] for m in merged))
        max_col = max(max_col, max(m[1] for m in merged))
    if uncached:  # an empty formula cell is still a cell the form uses
        max_row = max(max_row, max(r for r, _ in uncached))
        max_col = max(max_col, max(c for _, c in uncached))
    grid = Grid(name=name, cells=cells, merged=merged, max_row=max_row, max_col=max_col,
                uncached_formulas=uncached)
    if grid.merged_area_exceeds(limits.MAX_MERGED_CELLS):  # before anyone builds the merge map
        raise ReadError(guards.merged_area_too_big(name))
    return grid


# ---------------------------------------------------------------- package scan (xlsx/xlsm)
