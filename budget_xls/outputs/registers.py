"""The register engine of the consolidated workbook: cells by type, tables that fit and print.

Text from workbooks is untrusted: it is always written with ``write_string`` and the
workbook is opened with strings_to_formulas/strings_to_urls off. Rows are written in
order on every sheet, so xlsxwriter's ``constant_memory`` mode stays possible.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from xlsxwriter.url import Url, UrlTypes
from xlsxwriter.worksheet import Worksheet

from budget_xls import __version__
from budget_xls.model import col_letter
from budget_xls.textwidth import display_width, line_count, row_height, widest_line
from budget_xls.outputs.packager import FastWorksheet
from budget_xls.outputs.style import FONT

SUMMARY, PROJECTS, INDICATORS, BUDGET, FINDINGS, FILES = "汇总", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"
STATUS_CN = {"ok": "已读取", "unreadable": "无法读取", "no_projects": "无申报表", "skipped": "已跳过"}
KIND_CN = {"quantitative": "定量", "qualitative": "定性"}
BLANK_GROUP = "（未填写）"
CENT = Decimal("0.01")
WAN_PLACES = Decimal("0.000001")  # 万元 to six places = exact to the 分
_CELL_REF = re.compile(r"^\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6}(?::\$?[A-Z]{1,3}\$?[1-9][0-9]{0,6})?$")
_URL_ESCAPES = (("%", "%25"), ("#", "%23"), ('"', "%22"), (" ", "%20"), ("<", "%3c"), (">", "%3e"),
                ("[", "%5b"), ("]", "%5d"), ("^", "%5e"), ("`", "%60"), ("{", "%7b"), ("}", "%7d"))
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet


# What xlsxwriter's _escape_control_characters rewrites: a literal "_xHHHH_", a control
# character other than tab and newline, and the non-characters U+FFFE / U+FFFF.
_CONTROL_ESCAPES = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class StreamedWorksheet(FastWorksheet):
    """xlsxwriter's constant_memory mode for one worksheet: a row goes to a temporary file when
    the next row starts, strings are written inline. It also forgets a row's height once the
    row is written: xlsxwriter keeps every height (to place images, which these sheets do not
    have), 120 bytes a row, which at a city's 900,000 wrapped rows is the larger part of memory.
    Its hyperlinks and merged ranges go to temporary files of their own (``LinkFile``,
    ``SpillFile``) and come back, in order, when the sheet is closed: xlsxwriter holds a link
    object of about 900 bytes per link until then (60 MB for a full sheet of 65,530 links).
    Rows must be written in order, as ``Registers.table`` and 目标审核 do."""

    def _initialize(self, init_data: dict) -> None:
        super()._initialize({**init_data, "constant_memory": True})
        self.links = LinkFile(self.tmpdir)
        self.merge = SpillFile(self.tmpdir)  # 目标审核 merges six ranges a project: on disk, not ~200 B each

    def _write_url(self, row: int, col: int, url, cell_format=None, string=None, tip=None):
        done = super()._write_url(row, col, url, cell_format, string, tip)
        if done == 0:  # written: the link object goes to disk as what it was made from
            made = self.hyperlinks[row].pop(col)
            if not self.hyperlinks[row]:
                del self.hyperlinks[row]
            self.links.append((row, col, made if isinstance(url, Url) else url, string, tip))
        return done

    def _write_hyperlinks(self) -> None:
        """xlsxwriter's ``_write_hyperlinks`` over the links read back from disk: the same XML
        and relationships, one link object at a time (rows are written in order, and a row's
        cells left to right, so the file holds them in xlsxwriter's row/column order)."""
        if not self.links:
            return super()._write_hyperlinks()
        self._xml_start_tag("hyperlinks")
        for row, col, made, string, tip in self.links.sorted():
            url = made
            if not isinstance(made, Url):  # rebuilt as _write_url builds it
                url = Url(made)
                if string is not None:
                    url._text = string
                if tip is not None:
                    url.tip = tip
            cell = self.table.get(row, {}).get(col)  # (a written row is gone: constant_memory)
            if cell is not None and cell.__class__.__name__ != "String":
                url._is_object_link = True
            if url._link_type in (UrlTypes.URL, UrlTypes.EXTERNAL):
                self.rel_count += 1
                self._write_hyperlink_external(row, col, self.rel_count, url)
                self.external_hyper_links.append(["/hyperlink", url._target(), "External"])
            else:
                self._write_hyperlink_internal(row, col, url)
        self._xml_end_tag("hyperlinks")
        self.links.close()

    @staticmethod
    def _escape_control_characters(data):
        # Inline strings pass through xlsxwriter's control-character escape (two regex
        # substitutions and two replaces per cell); a text with nothing to escape — nearly
        # every one — is returned as it is, the same result without the work.
        if type(data) is str and not _CONTROL_ESCAPES.search(data):
            return data
        return Worksheet._escape_control_characters(data)

    def _write_single_row(self, current_row_num: int = 0) -> None:
        row = self.previous_row
        super()._write_single_row(current_row_num)
        self.row_info.pop(row, None)
        self.row_sizes.pop(row, None)
        if self.merged_cells and self.dim_colmax is not None:  # kept to refuse overlaps; rows are written in order
            for col in range(self.dim_colmin, self.dim_colmax + 1):
                self.merged_cells.pop((row, col), None)


class SpillFile:
    """Items appended in order, pickled to a temporary file a batch at a time (unlinked at
    once: it goes with the process) and read back in order: what a streamed sheet would
    otherwise hold until it is closed. Its merged ranges (xlsxwriter appends
    ``[first_row, first_col, last_row, last_col]`` and reads them back in
    ``_write_merge_cells``; 目标审核 merges six a project) are one."""

    BATCH = 2048  # items held before they go to the file

    def __init__(self, tmpdir: str | None = None) -> None:
        self.tmpdir = tmpdir
        self.fh = None
        self.batch: list = []
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def append(self, item) -> None:
        self.batch.append(item)
        self.n += 1
        if len(self.batch) >= self.BATCH:
            if self.fh is None:
                self.fh = tempfile.TemporaryFile(prefix="budget-xls-sheet-", dir=self.tmpdir)
            pickle.dump(self.batch, self.fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def __iter__(self) -> Iterator:
        if self.fh is not None:
            self.fh.seek(0)
            while True:
                try:
                    yield from pickle.load(self.fh)
                except EOFError:
                    break
        yield from self.batch

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        self.batch = []


class LinkFile(SpillFile):
    """A streamed sheet's hyperlinks, ``(row, col, url, text, tip)`` in the order written."""

    def __init__(self, tmpdir: str | None = None) -> None:
        super().__init__(tmpdir)
        self.in_order = True
        self.last: tuple[int, int] = (-1, -1)

    def append(self, link: tuple) -> None:
        at = (link[0], link[1])
        if at <= self.last:
            self.in_order = False
        self.last = at
        super().append(link)

    def sorted(self) -> Iterable[tuple]:
        """In row/column order (a cell linked twice: its last link, as xlsxwriter keeps it)."""
        if self.in_order:
            return iter(self)
        last = {(link[0], link[1]): link for link in self}
        return (last[at] for at in sorted(last))


# ---------------------------------------------------------------- small helpers


def head_width(head: str) -> int:
    """Width of the widest line."""
    return widest_line(head)


def round_half_up(value: Decimal, places: Decimal) -> Decimal:
    """Excel's ROUND (half away from zero) on a Decimal."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def relative_link(target: Path, base: Path) -> str:
    """Path of ``target`` relative to folder ``base``, '/'-separated (absolute across drives)."""
    try:
        rel = os.path.relpath(os.path.abspath(target), os.path.abspath(base))
    except ValueError:  # different drives on Windows
        rel = os.path.abspath(target)
    return Path(rel).as_posix()


def escape_path(rel: str) -> str:
    """Escape a link path ourselves, so '#' and '%' in file names survive xlsxwriter."""
    for raw, escaped in _URL_ESCAPES:
        rel = rel.replace(raw, escaped)
    return rel


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str
    tip: str | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    formula: str
    value: Any


@dataclass(frozen=True, slots=True)
class Column:
    head: str
    kind: str  # text | wrap | int | number | money | wan | date | datetime | link
    max_width: int = 30
    min_width: int = 0


class Registers:
    """Formats, typed cells and register tables of one xlsxwriter workbook."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self._formats()
        self.parts: dict[str, list[tuple[str, int]]] = {}  # register → its sheets and their data rows
        self.sheet_rows = EXCEL_ROWS
        # A large run (``RunResult.streamed``): the registers are written in xlsxwriter's
        # constant_memory mode (each row goes to disk when the next one starts) and their rows
        # are produced twice from the spooled forms (widths, then cells) instead of held in a list.
        self.streamed = False

    def add_sheet(self, name: str, stream: bool = False):
        """A new worksheet; ``stream`` (in a streamed run): rows go to disk as they are written
        (``StreamedWorksheet``). The registers and 目标审核, written row after row, are
        streamed; 汇总 and 上年对比, small and written with merges that span rows, are not."""
        if stream and self.streamed:
            return self.wb.add_worksheet(name, worksheet_class=StreamedWorksheet)
        return self.wb.add_worksheet(name)

    def _formats(self) -> None:
        wb = self.wb
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"}
        self.fmt = {
            "text": wb.add_format(base),
            "center": wb.add_format({**base, "align": "center"}),
            "wrap": wb.add_format({**base, "text_wrap": True}),
            "int": wb.add_format({**base, "num_format": "0"}),
            "number": wb.add_format({**base, "num_format": "General"}),
            "money": wb.add_format({**base, "num_format": "#,##0.00"}),
            "wan": wb.add_format({**base, "num_format": "#,##0.0000"}),
            "date": wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
            "datetime": wb.add_format({**base, "num_format": "yyyy-mm-dd hh:mm:ss", "align": "left"}),
            "link": wb.add_format({**base, "font_color": "#0563C1", "underline": 1}),
            "small": wb.add_format({**base, "font_size": 8, "font_name": "Consolas"}),
        }
        self.f_head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border_color": "#808080",
                                     "valign": "vcenter", "align": "center", "text_wrap": True})
        self.f_title = wb.add_format({"font_name": FONT, "bold": True, "font_size": 14, "valign": "vcenter"})
        self.f_note = wb.add_format({"font_name": FONT, "font_size": 9, "font_color": "#595959"})
        self.f_section = wb.add_format({"font_name": FONT, "font_size": 11, "bold": True, "valign": "vcenter"})
        total = {**base, "bold": True, "bg_color": "#F2F2F2"}
        self.f_total = {
            "text": wb.add_format(total),
            "int": wb.add_format({**total, "num_format": "0"}),
            "money": wb.add_format({**total, "num_format": "#,##0.00"}),
            "wan": wb.add_format({**total, "num_format": "#,##0.0000"}),
        }
        self.f_err = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.f_warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.f_info = wb.add_format({"bg_color": "#DDEBF7", "font_color": "#1F4E78"})
        self.f_ok = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.f_grey = wb.add_format({"bg_color": "#EDEDED", "font_color": "#595959"})
        self.f_blank = wb.add_format({"border": 1, "border_color": "#BFBFBF"})

    # ------------------------------------------------------------ cells

    def cell(self, ws, row: int, col: int, value: Any, kind: str, fmt=None) -> None:
        """Write one value by its type: text always as a string, never a formula or URL."""
        fmt = fmt or self.fmt[kind if kind in self.fmt else "text"]
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, Link):
            if ws.hlink_count < MAX_LINKS:
                ws.write_url(row, col, value.url, self.fmt["link"], string=value.text, tip=value.tip)
            else:
                ws.write_string(row, col, value.text, fmt)
        elif isinstance(value, Formula):
            cached = float(value.value) if isinstance(value.value, Decimal) else value.value
            ws.write_formula(row, col, value.formula, fmt, cached)
        elif isinstance(value, str):
            ws.write_string(row, col, value, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            ws.write_number(row, col, float(value), fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def table(self, name: str, columns: Sequence[Column],
              rows: Iterable[Sequence[Any]] | Callable[[], Iterable[Sequence[Any]]],
              freeze_cols: int = 0, status_col: int | None = None,
              status_words: Sequence[tuple[str, Any]] = (), key_cols: int = 1,
              empty: str = "（无）") -> int:
        """A register sheet: header, rows in order, widths that fit, filter, print setup.

        Widths fit the content (CJK counts 2) up to each column's cap; wrapped cells get
        an explicit row height, because LibreOffice does not fit row heights on load.

        ``rows`` is a list, or a function that yields the rows afresh on each call: a streamed
        run calls it twice (widths, then cells) so that no register is ever held whole;
        otherwise its rows are listed once. Both give the same widths (``fit_widths``).

        This writes most of the output's cells, so the loops are lean: widths are
        measured column by column, each distinct text once, and stop at the cap; line
        counts are kept per distinct text; a text or a number goes straight to xlsxwriter,
        anything else through ``cell``; blanks are not written at all.
        """
        if callable(rows) and not self.streamed:
            rows = list(rows())
        elif not callable(rows) and not isinstance(rows, list):
            rows = list(rows)
        ws = self.add_sheet(name, stream=True)
        self.parts[name] = [(name, 0)]
        if callable(rows):
            widths, count = fit_widths(rows(), columns)
            source = rows() if count else ()
        else:
            widths = [_fit_width(rows, col, c) for col, c in enumerate(columns)] if rows else []
            count, source = len(rows), rows
        if not count:
            return self.empty_table(ws, columns, empty)
        finish = {"freeze_cols": freeze_cols, "status_col": status_col, "status_words": status_words,
                  "widths": widths, "key_cols": key_cols}
        self._head(ws, columns, widths)
        wrapped = [(col, widths[col], {}) for col, c in enumerate(columns) if c.kind == "wrap"]
        fmts = [self.fmt[c.kind if c.kind in self.fmt else "text"] for c in columns]
        plain_numbers = [c.kind in ("int", "number", "money", "wan") for c in columns]
        write_string, write_number, set_row = cell_writers(ws)
        cell, ncols = self.cell, len(columns)
        row = 0
        limit = self.sheet_rows - 1  # data rows a sheet holds under its header
        total = 0
        for values in source:
            if row == limit:  # Excel's last row: the register continues on 名称(2), 名称(3) …
                self._finish(ws, row, columns, **finish)
                self.parts[name][-1] = (self.parts[name][-1][0], row)
                part = f"{name}({len(self.parts[name]) + 1})"
                ws = self.add_sheet(part, stream=True)
                self.parts[name].append((part, 0))
                self._head(ws, columns, widths)
                write_string, write_number, set_row = cell_writers(ws)
                row = 0
            row += 1
            total += 1
            lines = 1
            for col, width, seen in wrapped:
                text = values[col]
                if type(text) is str:
                    n = seen.get(text)
                    if n is None:
                        if len(seen) >= _SEEN_CAP * 4:
                            seen.clear()  # a bounded cache: a city's register has a million distinct texts
                        n = seen[text] = line_count(text, width)
                    if n > lines:
                        lines = n
            if lines > 1:
                set_row(row, row_height(lines))
            for col in range(ncols):
                value = values[col]
                kind = type(value)
                if kind is str:
                    if value:
                        write_string(row, col, value, fmts[col])
                elif value is None:
                    continue  # blank: its border comes from the table's "blanks" format below
                elif (kind is int or kind is Decimal) and plain_numbers[col]:
                    write_number(row, col, float(value), fmts[col])
                else:
                    cell(ws, row, col, value, columns[col].kind, fmts[col])
        self._finish(ws, row, columns, **finish)
        self.parts[name][-1] = (self.parts[name][-1][0], row)
        return total

    def _head(self, ws, columns: Sequence[Column], widths: Sequence[float]) -> None:
        for col in range(len(columns)):
            ws.set_column(col, col, widths[col])
        ws.set_row(0, 30 if any("\n" in c.head for c in columns) else 20)
        for col, c in enumerate(columns):
            ws.write_string(0, col, c.head, self.f_head)

    def _finish(self, ws, row: int, columns: Sequence[Column], freeze_cols: int, status_col: int | None,
                status_words: Sequence[tuple[str, Any]], widths: Sequence[float], key_cols: int) -> None:
        ncols = len(columns)
        if row:
            # Blank cells are not written (a tenth of the cells): one conditional format
            # draws their borders, so the table still prints as a closed grid.
            ws.conditional_format(1, 0, row, ncols - 1, {"type": "blanks", "format": self.f_blank})
        ws.freeze_panes(1, freeze_cols)
        ws.autofilter(0, 0, max(row, 1), ncols - 1)
        if status_col is not None and row:
            for word, fmt in status_words:
                ws.conditional_format(1, status_col, row, status_col,
                                      {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": fmt})
        self.print_setup(ws, widths, key_cols)
        ws.repeat_rows(0)

    # ------------------------------------------------------------ a register's parts

    def ranges(self, name: str, col: int) -> list[str]:
        """The data range of column ``col`` on every sheet the register ``name`` takes."""
        letter = col_letter(col)
        return [f"{quote_sheet(part)}!${letter}$2:${letter}${max(n, 1) + 1}" for part, n in self.parts[name]]

    def locate(self, name: str, index: int) -> tuple[str, int]:
        """The sheet and 1-based row of a register's ``index``-th data row (1-based) — also for a
        register not written yet (its rows go to 名称, 名称(2) … in order, a sheet's worth each)."""
        if name not in self.parts:
            limit = self.sheet_rows - 1
            part = (index - 1) // limit
            return (name if part == 0 else f"{name}({part + 1})"), (index - 1) % limit + 2
        for part, n in self.parts[name]:
            if index <= n:
                return part, index + 1
            index -= n
        part, n = self.parts[name][-1]
        return part, n + 1

    def empty_table(self, ws, columns: Sequence[Column], text: str) -> int:
        """A register with no rows says so in one line (and prints as that line, not a bare header)."""
        ws.set_column(0, 0, max(40, display_width(text) + 4))
        ws.write_string(0, 0, text, self.f_note)
        self.print_setup(ws)
        return 0

    def print_setup(self, ws, widths: Sequence[float] | None = None, key_cols: int = 1) -> None:
        """A4 landscape. A sheet that fits the page width at a readable size (≥ MIN_PRINT_SCALE) is
        fitted to it; a wider one prints at PRINT_SCALE over several pages wide, its key columns
        (序号, 项目名称 …) repeated on each page, so no text shrinks below a readable size."""
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if widths is not None and fit_scale(widths) < MIN_PRINT_SCALE:
            ws.set_print_scale(wide_print_scale(widths, key_cols))
            if key_cols:
                ws.repeat_columns(0, key_cols - 1)
        else:
            ws.fit_to_pages(1, 0)
        ws.set_footer("&L&A&C第 &P 页，共 &N 页&R" + f"budget-xls {__version__}")

    def severity_words(self) -> list[tuple[str, Any]]:
        return [("错误", self.f_err), ("警告", self.f_warn), ("提示", self.f_info)]


def cell_writers(ws) -> tuple[Callable, Callable, Callable]:
    """A worksheet's string, number and row-height writers for the register loop.

    ``write_string`` and ``write_number`` are xlsxwriter's ``_write_string``/``_write_number``
    behind a decorator that accepts "A1" as well as (row, col): the loop always passes
    integers, so it calls them directly (a tenth of the writer's time at 470,000 cells);
    the public methods are used if a future xlsxwriter renames them.
    """
    write_string = getattr(ws, "_write_string", None)
    write_number = getattr(ws, "_write_number", None)
    if not (callable(write_string) and callable(write_number)):
        write_string, write_number = ws.write_string, ws.write_number
    return write_string, write_number, ws.set_row


EXCEL_ROWS = 1_048_576  # the last row of a worksheet: a register continues on another sheet past it
MIN_PRINT_SCALE = 0.70  # below this, 10-point text prints smaller than 7 points
_PRINTABLE_MM = 297 - 2 * 0.4 * 25.4  # A4 landscape less the side margins


def _mm(widths: Sequence[float]) -> float:
    return sum(w * 7 + 5 for w in widths) * 25.4 / 96  # Excel's width units → pixels at 96 dpi → mm


def fit_scale(widths: Sequence[float]) -> float:
    """The scale at which columns of these widths (Excel character units) fit the printable width."""
    mm = _mm(widths)
    return _PRINTABLE_MM / mm if mm else 1.0


def wide_print_scale(widths: Sequence[float], key_cols: int) -> int:
    """The largest readable scale (percent) that prints a wide register over as few pages wide as
    possible, its key columns repeated on each: n pages hold the key columns n times plus the rest."""
    key, rest = _mm(widths[:key_cols]), _mm(widths[key_cols:])
    for pages in range(2, 20):
        scale = _PRINTABLE_MM / (key + rest / pages) * 0.97  # a little room: breaks fall between columns
        if scale >= MIN_PRINT_SCALE:
            return max(int(MIN_PRINT_SCALE * 100), min(80, int(scale * 100)))  # readable, yet not wasteful
    return int(MIN_PRINT_SCALE * 100)


def _decimal(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def _iso_time(value: str | None) -> dt.datetime | str | None:
    """A file's modification time (stored in UTC) as 北京时间 (UTC+8), the same on every machine."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(BEIJING)
    return moment.replace(tzinfo=None)


_MONOTONE_KINDS = frozenset({"int", "money", "wan"})


def _fit_width(rows: Sequence[Sequence[Any]], col: int, column: Column) -> int:
    """The column width that fits the header and every value, up to the column's cap."""
    cap = max(column.max_width, head_width(column.head))
    best = max(head_width(column.head), column.min_width)
    seen: set[Any] = set()
    if column.kind in _MONOTONE_KINDS:
        # Integers and fixed-decimal amounts are shown no wider than the largest or the
        # most negative one: measure those two, and any other value (a text) as it comes.
        classes = (int,) if column.kind == "int" else (int, Decimal)  # an int column shows a Decimal as typed
        numbers = [v for v in (values[col] for values in rows) if v.__class__ in classes]
        seen.update(numbers)
        for extreme in (max(numbers), min(numbers)) if numbers else ():
            best = max(best, head_width(shown_text(extreme, column.kind)))
    for values in rows:
        value = values[col]
        if value is None or value == "" or value in seen:
            continue
        seen.add(value)
        w = head_width(shown_text(value, column.kind)[:200])
        if w > best:
            best = w
            if best >= cap:
                break
    return min(best, cap) + 2


_SEEN_CAP = 4096  # distinct texts remembered per column while measuring a streamed register


def fit_widths(rows: Iterable[Sequence[Any]], columns: Sequence[Column]) -> tuple[list[int], int]:
    """The widths ``_fit_width`` gives every column, in one pass over ``rows`` (a streamed
    register, never held whole), and the number of rows."""
    n = len(columns)
    caps = [max(c.max_width, head_width(c.head)) for c in columns]
    best = [max(head_width(c.head), c.min_width) for c in columns]
    classes = [((int,) if c.kind == "int" else (int, Decimal)) if c.kind in _MONOTONE_KINDS else () for c in columns]
    high: list[Any] = [None] * n
    low: list[Any] = [None] * n
    seen: list[set] = [set() for _ in columns]
    kinds = [c.kind for c in columns]
    count = 0
    for values in rows:
        count += 1
        for col in range(n):
            value = values[col]
            if value is None or value == "":
                continue
            if value.__class__ in classes[col]:  # measured at the end, by its extremes
                if high[col] is None or value > high[col]:
                    high[col] = value
                if low[col] is None or value < low[col]:
                    low[col] = value
                continue
            if best[col] >= caps[col]:
                continue
            known = seen[col]
            if value in known:
                continue
            if len(known) < _SEEN_CAP:
                known.add(value)
            w = head_width(shown_text(value, kinds[col])[:200])
            if w > best[col]:
                best[col] = w
    widths = []
    for col in range(n):
        for extreme in (high[col], low[col]):
            if extreme is not None:
                best[col] = max(best[col], head_width(shown_text(extreme, kinds[col])))
        widths.append(min(best[col], caps[col]) + 2)
    return widths, count


def shown_text(value: Any, kind: str) -> str:
    """The text a cell shows (for widths and row heights)."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Formula):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if kind == "money":
        return f"{float(value):,.2f}"
    if kind == "wan":
        return f"{float(value):,.4f}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
