"""The workbook's sheets serialised on two cores: xlsxwriter's packager, with a forked helper.

xlsxwriter keeps a held (not ``constant_memory``) worksheet's cells in memory and turns
them into ``sheetN.xml`` when the workbook is closed, one sheet after another, on one
core — at 2,000 projects that is a third of the whole write. The sheets do not depend on
each other at that point (shared strings were numbered as the cells were written; cell
formats are numbered before the fork, in the order xlsxwriter would meet them), so
``Packager`` forks once (``forked``): the child serialises the larger held sheets into
the files xlsxwriter named for them while the parent does the rest and sharedStrings.xml,
then the package is zipped as usual.

The only state serialising a sheet leaves behind for the rest of the package is the
sheet's external-link relationships (``external_hyper_links``, read when the sheet's
``.rels`` file is written): the child hands them back in a file. Anything else going
wrong in the child (it died, it was killed, it could not write) costs nothing but time:
the parent serialises those sheets itself. Every part of the package is byte for byte the
one xlsxwriter writes alone (tests/test_packager.py compares whole workbooks); the zip
itself is compressed at ``ZIP_LEVEL``.

Only where ``forked.can_fork``, and only when the child's share is worth a fork (``MIN_CELLS``).
"""

from __future__ import annotations

import functools
import os
import tempfile
import zipfile

import xlsxwriter
from xlsxwriter.packager import Packager as _XlsxPackager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _preserve_whitespace, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

from budget_xls.outputs.forked import FAILED, Forked, can_fork

MIN_CELLS = 20_000  # the child's share below which one core does it all
# zlib level 5 instead of the default 6: at 2,000 projects the parts (36 MB of XML) compress
# in 0.17 s instead of 0.28 s, and the workbook is 2 % larger (3.11 MB instead of 3.05).
ZIP_LEVEL = 5


class Packager(_XlsxPackager):
    _sst: str | None = None  # sharedStrings.xml, when written with the sheets

    def _write_worksheet_files(self) -> None:
        jobs = []
        index = 1
        for worksheet in self.workbook.worksheets():
            if worksheet.is_chartsheet:
                continue
            jobs.append((worksheet, self._filename(f"xl/worksheets/sheet{index}.xml")))
            index += 1
        child = _share(jobs) if can_fork() else []
        if not child:
            _assemble(jobs)
            return
        _index_formats(jobs)
        theirs = [jobs[i] for i in child]
        helper = Forked(lambda: _assemble(theirs), self.tmpdir)
        sst = None
        try:
            _assemble([job for i, job in enumerate(jobs) if i not in child])
            # The shared strings are complete too: written here while the helper works (in the
            # helper it would copy every string's page: +29 MB at 2,000 projects for 0.04 s).
            sst = self._sst_part()
            if sst is not None:
                _write_sst(self.workbook, sst)
        except BaseException:
            helper.kill()
            if sst is not None:
                os.remove(sst)
            raise
        links = helper.join()
        if links is FAILED:  # the helper failed: its sheets are done here
            _assemble(theirs)
        else:
            for i, hyper in zip(child, links):
                jobs[i][0].external_hyper_links = hyper

    def _sst_part(self) -> str | None:
        """A file for sharedStrings.xml, written with the sheets (None: no strings, or in memory)."""
        if self.in_memory or not self.workbook.str_table.count:
            return None
        fd, self._sst = tempfile.mkstemp(dir=self.tmpdir)
        os.close(fd)
        return self._sst

    def _write_shared_strings_file(self) -> None:
        if self._sst is not None:  # written with the sheets; its place in the package is here
            self.filenames.append((self._sst, "xl/sharedStrings.xml", False))
        elif self.workbook.str_table.count:
            _write_sst(self.workbook, self._filename("xl/sharedStrings.xml"))


class FastWorksheet(Worksheet):
    """xlsxwriter's worksheet with a short path for its commonest cells, and texts always plain.

    Serialising a cell is xlsxwriter's innermost loop: for every cell it builds a list of
    attributes and runs each through the XML escape (a regular expression), for a
    reference ("B7") and a style number that never need escaping. A formatted number, or a
    formatted text held in the shared-strings table, is written here in one f-string — the
    same bytes (tests/test_packager.py compares whole packages with xlsxwriter's own).

    A text written inline (constant_memory) is always escaped: xlsxwriter writes a text
    that starts with ``<r>`` and ends with ``</r>`` unescaped, taking it for rich text it
    built itself — a sub-unit's cell "<r>…</r>" would lose its content or break the sheet's
    XML. budget-xls writes no rich text, so every text is plain (``PlainStrings`` does the
    same for the shared-strings table). Every other cell goes to xlsxwriter.
    """

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind, fmt = cell.__class__, cell.format
        if kind is CellStringTuple and self.constant_memory:
            text = self._escape_control_characters(cell.string)
            space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{self._style(row, col, fmt)} t="inlineStr">'
                          f'<is><t{space}>{self._escape_data(text)}</t></is></c>')
            return
        if fmt is not None and (kind is CellNumberTuple or kind is CellStringTuple):
            xf = fmt.xf_index
            if xf is None:
                xf = fmt._get_xf_index()
            if kind is CellNumberTuple:
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{xf}"><v>{cell.number:.16G}</v></c>')
            else:  # the text's number in the shared-strings table
                self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{xf}" t="s"><v>{cell.string}</v></c>')
            return
        super()._write_cell(row, col, cell)

    def _style(self, row: int, col: int, fmt) -> str:
        """The cell's ``s`` attribute as xlsxwriter chooses it: its format, else its row's, else its column's."""
        if fmt is None:
            info = self.row_info.get(row)
            if info is not None and info.row_format:
                fmt = info.row_format
            elif col in self.col_info:
                fmt = self.col_info[col].column_format
        return "" if fmt is None else f' s="{fmt._get_xf_index()}"'


class PlainStrings(SharedStrings):
    """xlsxwriter's shared-strings part, every text escaped (see ``FastWorksheet``)."""

    def _write_si(self, string) -> None:
        string = self._escape_control_characters(string)
        self._xml_si_element(string, [("xml:space", "preserve")] if _preserve_whitespace(string) else [])


class Workbook(xlsxwriter.Workbook):
    """xlsxwriter's workbook with ``Packager`` and ``FastWorksheet`` (every text plain), zipped
    at ``zip_level`` (None: xlsxwriter's default)."""

    worksheet_class = FastWorksheet
    zip_level: int | None = ZIP_LEVEL

    def _get_packager(self):
        return Packager()

    def _store_workbook(self) -> None:
        if self.zip_level is None:
            super()._store_workbook()
            return
        # xlsxwriter opens the zip itself, at zlib's default level (6), with no option for
        # another: its module's ZipFile is ours for the length of this call (one thread).
        import xlsxwriter.workbook as module

        real = module.ZipFile
        module.ZipFile = functools.partial(zipfile.ZipFile, compresslevel=self.zip_level)
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = real


def _assemble(jobs) -> list:
    """Serialise each sheet into its file; the external links each one registered."""
    for worksheet, filename in jobs:
        if worksheet.constant_memory:  # its rows wait in a temporary file (never the child's)
            worksheet._opt_reopen()
            worksheet._write_single_row()
        worksheet._set_xml_writer(filename)
        worksheet._assemble_xml_file()
    return [worksheet.external_hyper_links for worksheet, _ in jobs]


def _write_sst(workbook, filename: str) -> None:
    sst = PlainStrings()
    sst.string_table = workbook.str_table
    sst._set_xml_writer(filename)
    sst._assemble_xml_file()


def _index_formats(jobs) -> None:
    """Number the cell formats as serialising the sheets one after another would.

    xlsxwriter numbers a held sheet's formats when it serialises the sheet (the first
    format met gets the next number, in sheet, row, column order); a number given in the
    child would be lost to the parent and to styles.xml, so every number is given here,
    before the fork, in that same order.
    """
    for worksheet, _ in jobs:
        if worksheet.constant_memory:  # its last row is written before its columns
            _index_rows(worksheet)
            _index_columns(worksheet)
        else:
            _index_columns(worksheet)
            _index_rows(worksheet)


def _index_columns(worksheet) -> None:
    for col in sorted(worksheet.col_info):
        fmt = worksheet.col_info[col].column_format
        if fmt is not None:
            fmt._get_xf_index()


def _index_rows(worksheet) -> None:
    table, row_info = worksheet.table, worksheet.row_info
    for row in sorted(set(table) | set(row_info)):
        info = row_info.get(row)
        if info is not None and info.row_format:
            info.row_format._get_xf_index()
        cells = table.get(row)
        if cells:
            for col in sorted(cells):
                fmt = cells[col].format
                if fmt and fmt.xf_index is None:
                    fmt._get_xf_index()


def _cells(worksheet) -> int:
    return sum(len(row) for row in worksheet.table.values())


def _share(jobs) -> list[int]:
    """Which held sheets the child serialises: the largest first, then each sheet to the
    lighter side (cells as the cost); none when the child's share is not worth a fork or
    the parent would have nothing to do meanwhile."""
    held = sorted(((_cells(ws), i) for i, (ws, _) in enumerate(jobs) if not ws.constant_memory), reverse=True)
    child, load = [], [0, 0]  # parent, child
    for cells, i in held:
        side = 1 if load[1] <= load[0] else 0
        load[side] += cells
        if side:
            child.append(i)
    if load[1] < MIN_CELLS or load[0] == 0:
        return []
    return sorted(child)
