"""The I/O floor: what any solution must spend with the fastest libraries.

A bare python-calamine read of every sheet's values and merged ranges, then a bare
xlsxwriter write of as many cells as budget-xls's output holds, sheet by sheet, on as many
rows (no formats, no merges, no links). No parsing, no checks.

    python3 benchmarks/floor.py FOLDER OUT.xlsx 汇总:ROWS:CELLS 目标审核:ROWS:CELLS 项目清单:ROWS:CELLS …

bench.py measures ROWS (rows holding a value) and CELLS (cells holding a value) on every
sheet of the workbook budget-xls wrote in the same run, so the floor writes the same amount.
Until issue 17 the floor wrote the three registers only (项目清单, 绩效指标, 错误报告): the
目标审核 sheet added by issue 18 was output the floor did not count.
"""

from __future__ import annotations

import os
import sys

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def read_all(folder: str) -> int:
    from python_calamine import CalamineWorkbook

    sheets = 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(WORKBOOK_SUFFIXES):
                continue
            wb = CalamineWorkbook.from_path(os.path.join(root, name))
            for sheet_name in wb.sheet_names:
                sheet = wb.get_sheet_by_name(sheet_name)
                sheet.to_python()
                sheet.merged_cell_ranges
                sheets += 1
            wb.close()
    return sheets


def write_rows(path: str, shapes: list[tuple[str, int, int]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False})
    for title, rows, cells in shapes:
        ws = wb.add_worksheet(title)
        per_row, extra = divmod(cells, max(rows, 1))
        for r in range(rows):
            for c in range(per_row + (r < extra)):
                if c % 3 == 2:
                    ws.write_number(r, c, r * 10 + c)
                else:
                    ws.write_string(r, c, f"第{r}行第{c}列的文字内容")
    wb.close()


def parse_shape(arg: str) -> tuple[str, int, int]:
    title, rows, cells = arg.rsplit(":", 2)
    return title, int(rows), int(cells)


def main(argv: list[str]) -> None:
    folder, out, *shapes = argv
    read_all(folder)
    write_rows(out, [parse_shape(a) for a in shapes])


if __name__ == "__main__":
    main(sys.argv[1:])
