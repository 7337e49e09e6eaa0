"""What every workbook budget-xls writes shares: its font and its fixed document time."""

import datetime as dt

FONT = "宋体"
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)  # document times: the same inputs give the same bytes
