"""Limits that keep one hostile file from costing the run (documented in the README)."""

MAX_FILE_BYTES = 50 * 1024 * 1024  # largest workbook file accepted
MAX_SHEET_PART = 30 * 1024 * 1024  # largest uncompressed sheet XML part
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # all uncompressed parts together
MAX_WORKBOOK_XML = 5 * 1024 * 1024  # workbook.xml / rels parts
MAX_ROWS = 5000  # rows of a project sheet
MAX_COLS = 200  # columns of a project sheet
MAX_CELLS_PER_SHEET = 200_000
MAX_MERGED_RANGES = 5000  # merged ranges per sheet
MAX_MERGE_AREA = 10_000  # cells a single merged range may cover in the merge map
MAX_MERGED_CELLS = 200_000  # cells all of a sheet's merged ranges cover together (clipped to its values)
READ_TIMEOUT_S = 60  # per-file read time
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024  # address space of one reading worker (RLIMIT_AS)
MAX_SHEET_AREA = 20_000_000  # rows × columns spanned by a sheet's values (calamine allocates it whole)
# The main process holds every form's rows until the workbook is written (the workers are
# capped by WORKER_MEMORY_BYTES): its budget, and what one output row (a project, an indicator,
# a budget line, a finding) costs it, measured end to end (docs/performance.md).
MAIN_MEMORY_BYTES = 4 * 1024 * 1024 * 1024
ROW_BYTES = 6 * 1024
# Past STREAM_ROWS output rows the run spools the forms' bulky parts (indicators, budget lines,
# narrative, JSON entries) to a temporary file and streams its large sheets (``spool``): a row
# then costs the main process SPOOLED_ROW_BYTES (measured: docs/performance.md).
STREAM_ROWS = 50_000
SPOOLED_ROW_BYTES = 1024
