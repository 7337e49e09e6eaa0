"""Annotated copies of the sub-units' workbooks (the terminal report is ``budget_xls.console``).

An annotated copy is the sub-unit's own workbook with every located finding marked: the
cell filled by severity and given a comment (code, message, fix hint), plus a first sheet
审核意见 that lists all the findings with links to the cells. It is written under an output
folder that mirrors the inputs' sub-folders; the input itself is never written to.

- .xlsx/.xlsm are loaded with openpyxl (defusedxml blocks entity bombs) and saved under a
  new name, so values, merges, validations, formats, defined names and existing comments
  stay as they were (openpyxl drops images, charts and x14 extension validations).
- .xls/.ods/.xlsb/.et cannot be loaded by openpyxl: the copy is an .xlsx rebuilt from the
  values calamine read, at the same cell positions and with the same merged ranges, so
  every cell reference of a finding still points at the right place; formats and
  validations of such files are not carried over (the 审核意见 sheet says so).
- A file the reader flagged unreadable is never opened here; a file whose bytes changed
  since it was checked is not annotated (its findings would point at stale cells).
- Copies carry the custom property that marks our outputs, so a later consolidate over a
  folder holding them skips them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from budget_xls import __version__, limits
from budget_xls.discover import ANNOTATED_MARK, output_kind
from budget_xls.console import counts_text as _counts
from budget_xls.model import FileRecord, Finding
from budget_xls.outputs.atomic import OutputLocked, OutputSet, save
from budget_xls.rules import REGISTRY, SEVERITY_CN
from budget_xls.spool import SpooledFindings
from budget_xls.textwidth import line_count, row_height, widest_line

REVIEW_SHEET = "审核意见"
FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
RANK = {"error": 0, "warning": 1, "info": 2}
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
ANNOTATED_STATUSES = ("ok", "no_projects")
PROPERTY_NAME = "budget-xls"
_MERGE_REF = re.compile(rb'<mergeCell ref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"')
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FeedbackError(Exception):
    """Annotated copies cannot be written; ``str(e)`` is a one-line Chinese message."""


@dataclass(frozen=True, slots=True)
class Annotated:
    file: str  # the input, as named in the run
    target: Path | None  # the copy written, None when not written
    findings: int
    rebuilt: bool = False  # values rebuilt from calamine (.xls and the like)
    note: str | None = None  # why no copy was written


# ---------------------------------------------------------------- annotated copies


def write_feedback(files: list[FileRecord], findings: list[Finding], sources: dict[str, Path],
                   out_dir: Path, outputs: OutputSet | None = None) -> list[Annotated]:
    """One annotated copy per input workbook with findings; returns what became of each.

    With ``outputs`` the copies are staged in that set (moved into place with the run's other
    outputs); without, they are staged in a set of their own, committed when all are written.
    """
    if outputs is None:
        with OutputSet() as own:
            done = write_feedback(files, findings, sources, out_dir, own)
            own.commit()
        return done
    out_dir = Path(out_dir)
    by_file = _by_file(findings)
    todo = [r for r in files if r.status in ANNOTATED_STATUSES and r.file in by_file and r.file in sources]
    targets = plan_targets([r.file for r in todo], out_dir)
    for r in todo:
        _refuse_overwrite(sources[r.file], targets[r.file])
    done = []
    for r in todo:
        source, own = sources[r.file], by_file[r.file]
        if r.sha256 and _sha256(source) != r.sha256:
            done.append(Annotated(r.file, None, len(own), note="文件在检查之后被修改，未生成审核意见副本，请重新检查"))
            continue
        done.append(annotate(source, own, targets[r.file], display_name=r.file, outputs=outputs))
    return done


class _SpooledByFile(Mapping):
    """A spooled run's findings by file, each file's read back when its copy is written."""

    def __init__(self, findings: SpooledFindings) -> None:
        self.findings = findings
        self.names = findings.files()

    def __getitem__(self, file: str) -> list[Finding]:
        if file not in self.names:
            raise KeyError(file)
        return self.findings.of_file(file)

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _by_file(findings) -> Mapping[str, list[Finding]]:
    if isinstance(findings, SpooledFindings):
        return _SpooledByFile(findings)
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    return by_file


def plan_targets(rels: list[str], out_dir: Path) -> dict[str, Path]:
    """rel → path of its copy under out_dir: same sub-folders, same stem, .xlsx (.xlsm kept)."""
    used: set[str] = set()
    out = {}
    for rel in rels:
        parts = [p for p in PurePosixPath(rel.replace("\\", "/")).parts if p not in ("/", ".", "..") and ":" not in p]
        *folders, name = parts or ["工作簿"]
        stem, suffix = os.path.splitext(name)
        ext = ".xlsm" if suffix.lower() == ".xlsm" else ".xlsx"
        candidates = [stem + ext]
        if suffix.lower() not in (".xlsx", ".xlsm"):
            candidates.append(f"{stem}（{suffix.lstrip('.').lower()}）{ext}")
        candidates += [f"{stem}（{i}）{ext}" for i in range(2, len(rels) + 3)]
        for cand in candidates:
            target = out_dir.joinpath(*folders, cand)
            key = unicodedata.normalize("NFC", target.as_posix()).casefold()
            if key not in used:
                used.add(key)
                out[rel] = target
                break
    return out


def _refuse_overwrite(source: Path, target: Path) -> None:
    if target.exists():
        try:
            same = os.path.samefile(source, target)
        except OSError:
            same = False
        if same:
            raise FeedbackError(f"审核意见副本会覆盖输入文件 {source}，请换一个输出文件夹")
        if output_kind(target) is None:
            raise FeedbackError(f"输出文件夹中已有同名文件且不是本工具生成的：{target}，为避免覆盖请换一个文件夹")


def annotate(source: Path, findings: list[Finding], target: Path, display_name: str | None = None,
             outputs: OutputSet | None = None) -> Annotated:
    """Write the annotated copy of one workbook to target (never to source)."""
    import openpyxl

    name = display_name or source.name
    wb, rebuilt = None, False
    if source.suffix.lower() in OPENPYXL_SUFFIXES and _safe_for_openpyxl(source):
        try:
            wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm", rich_text=True)
        except Exception:  # openpyxl refuses what calamine read: fall back to the values
            wb = None
    if wb is None:
        wb, rebuilt = _rebuild(source), True
    _mark_cells(wb, findings)
    _review_sheet(wb, name, findings, rebuilt, source.suffix.lower())
    # openpyxl keeps formulas but not their cached values: have Excel/WPS recompute on open.
    wb.calculation.fullCalcOnLoad = True
    _mark_output(wb)
    _save(wb, target, outputs)
    return Annotated(name, target, len(findings), rebuilt=rebuilt)


def _safe_for_openpyxl(path: Path) -> bool:
    """openpyxl has no size guards: refuse huge packages and merges that would make it
    create millions of cells (it materialises every cell of a merged range)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > limits.MAX_PACKAGE_BYTES:
                return False
            for info in infos:
                if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                    continue
                if info.file_size > limits.MAX_SHEET_PART:
                    return False
                for c0, r0, c1, r1 in _MERGE_REF.findall(zf.read(info)):
                    rows = int(r1) - int(r0) + 1
                    cols = _col_index(c1.decode()) - _col_index(c0.decode()) + 1
                    if rows * cols > limits.MAX_MERGE_AREA:
                        return False
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return True


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _rebuild(source: Path):
    """A new workbook holding the values calamine reads, at the same positions."""
    import openpyxl
    from openpyxl.styles import Alignment

    from budget_xls.reader import read_workbook

    book = read_workbook(source)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for grid in book.sheets:
        ws = wb.create_sheet(_sheet_title(grid.name, wb.sheetnames))
        widths: dict[int, int] = {}
        for (r, c), value in grid.cells.items():
            cell = ws.cell(row=r + 1, column=c + 1)
            _put(cell, value)
            if isinstance(value, str):
                cell.alignment = wrap
                widths[c] = max(widths.get(c, 8), min(60, widest_line(value) + 2))
        for r0, c0, r1, c1 in grid.merged:
            r1, c1 = min(r1, max(grid.max_row, r0)), min(c1, max(grid.max_col, c0))
            if (r1, c1) != (r0, c0) and (r1 - r0 + 1) * (c1 - c0 + 1) <= limits.MAX_MERGE_AREA:
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        for c, w in widths.items():
            ws.column_dimensions[_letter(c)].width = w
    return wb


def _sheet_title(name: str, taken: list[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    base, i = title, 2
    while title in taken:
        title = f"{base[:28]}({i})"
        i += 1
    return title


def _put(cell, value: Any) -> None:
    if isinstance(value, str):
        _text(cell, value)
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (int, float, bool, dt.time)):
        cell.value = value
    else:
        _text(cell, str(value))


def _text(cell, value: str) -> None:
    """Untrusted text stays text: a value "=1+1" must not become a formula."""
    cell.value = _ILLEGAL.sub("", value)
    cell.data_type = "s"


def _letter(col: int) -> str:
    from budget_xls.model import col_letter

    return col_letter(col)


def _target_cell(ws, ref: str):
    """The cell that shows ref: the top-left cell of a merged range holding it."""
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        row, col = coordinate_to_tuple(ref.split(":")[0].replace("$", ""))
    except (ValueError, TypeError):
        return None
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            row, col = rng.min_row, rng.min_col
            break
    return ws.cell(row=row, column=col)


def _mark_cells(wb, findings: list[Finding]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    located: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            cell = _target_cell(wb[f.sheet], f.cell)
            if cell is not None:
                located.setdefault((f.sheet, cell.coordinate), []).append(f)
    for (sheet, coord), own in located.items():
        cell = wb[sheet][coord]
        worst = min(own, key=lambda f: RANK[f.severity]).severity
        cell.fill = PatternFill(fill_type="solid", start_color=FILL[worst], end_color=FILL[worst])
        text = comment_text(own)
        if cell.comment is not None and cell.comment.text:
            text += "\n\n【原批注】\n" + cell.comment.text
        lines = sum(1 + len(line) // 24 for line in text.split("\n"))
        cell.comment = Comment(text, "budget-xls", height=min(600, 20 + 15 * lines), width=320)


def comment_text(findings: list[Finding]) -> str:
    """One comment for every finding on a cell: level, code, message, hint."""
    parts = []
    for f in sorted(findings, key=lambda f: (RANK[f.severity], f.code)):
        part = f"【{SEVERITY_CN[f.severity]}】{f.code} {f.message}"
        if f.hint:
            part += f"\n修改建议：{f.hint}"
        parts.append(part)
    return _ILLEGAL.sub("", "budget-xls 审核意见\n" + "\n\n".join(parts))


def _review_sheet(wb, name: str, findings: list[Finding], rebuilt: bool, suffix: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    title = _sheet_title(REVIEW_SHEET, wb.sheetnames)
    ws = wb.create_sheet(title, 0)
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    _text(ws["A1"], f"审核意见：{name}")
    ws["A1"].font = Font(bold=True, size=14)
    _text(ws["A2"], f"由 budget-xls {__version__} 生成：{_counts(findings)}。有问题的单元格已按级别着色"
                    "（红=错误，黄=警告，蓝=提示）并附批注；点击“单元格”列跳到该单元格。")
    notes = "请在原文件中修改后重新提交：本副本仅供查看，汇总时会被跳过。"
    if rebuilt:
        notes += (f"原文件为 {suffix} 格式（或无法按原样打开）：本副本按原单元格位置重建了数值和合并单元格，"
                  "未保留原文件的格式和数据验证。")
    _text(ws["A3"], notes)
    heads = [("序号", 6), ("级别", 6), ("代码", 6), ("规则", 18), ("工作表", 14), ("单元格", 8), ("项目", 22),
             ("说明", 50), ("当前值", 20), ("修改建议", 40)]
    head_fill = PatternFill(fill_type="solid", start_color="DDEBF7", end_color="DDEBF7")
    for col, (head, width) in enumerate(heads, start=1):
        cell = ws.cell(row=5, column=col)
        _text(cell, head)
        cell.font, cell.fill = bold, head_fill
        ws.column_dimensions[_letter(col - 1)].width = width
    link_font = Font(color="0563C1", underline="single")
    for i, f in enumerate(findings, start=1):
        row = 5 + i
        ws.cell(row=row, column=1, value=i)
        level = ws.cell(row=row, column=2)
        _text(level, SEVERITY_CN[f.severity])
        level.fill = PatternFill(fill_type="solid", start_color=FILL[f.severity], end_color=FILL[f.severity])
        rule = REGISTRY.get(f.code)
        lines = 1
        for col, value in ((3, f.code), (4, rule.title if rule else ""), (5, f.sheet or "（整个文件）"),
                           (7, f.project or ""), (8, f.message), (9, f.value or ""), (10, f.hint)):
            _text(ws.cell(row=row, column=col), value)
            ws.cell(row=row, column=col).alignment = wrap
            lines = max(lines, line_count(value, heads[col - 1][1]))
        ws.row_dimensions[row].height = row_height(lines)
        for col in (1, 2, 6):
            ws.cell(row=row, column=col).alignment = top
        cell = ws.cell(row=row, column=6)
        target = _target_cell(wb[f.sheet], f.cell) if f.sheet in wb.sheetnames and f.cell else None
        _text(cell, f.cell or "—")
        if target is not None:
            sheet = f.sheet.replace("'", "''")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!{target.coordinate}",
                                       tooltip="跳到该单元格")
            cell.font = link_font
    ws.freeze_panes = "A6"
    ws.auto_filter.ref = f"A5:J{5 + max(len(findings), 1)}"
    for row in (2, 3):  # the notes span the table's width and wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
        ws.cell(row=row, column=1).alignment = wrap
        ws.row_dimensions[row].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "5:5"


def _mark_output(wb) -> None:
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    props.props = [p for p in props.props if p.name != PROPERTY_NAME]
    props.append(StringProperty(name=PROPERTY_NAME, value=ANNOTATED_MARK.decode()))


def _save(wb, target: Path, outputs: OutputSet | None = None) -> None:
    try:
        if outputs is not None:
            outputs.stage(target, wb.save)
        else:
            save(target, wb.save)
    except PermissionError as exc:
        raise FeedbackError(f"无法写入审核意见副本（可能已在 Excel/WPS 中打开）：{target}") from exc
    except OutputLocked as exc:
        raise FeedbackError(str(exc)) from exc


def _sha256(path: Path) -> str | None:
    from budget_xls.ingest import sha256_of

    try:
        return sha256_of(path)
    except OSError:
        return None
