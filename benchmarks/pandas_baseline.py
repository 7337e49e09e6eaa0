"""What a user would write instead: pandas reads every sheet, concatenates, writes one workbook.

    python3 benchmarks/pandas_baseline.py FOLDER OUT.xlsx
"""

from __future__ import annotations

import os
import sys

import pandas as pd


def main(folder: str, out: str) -> None:
    frames = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".xlsx"):
                continue
            path = os.path.join(root, name)
            for sheet, df in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
                df.insert(0, "文件", os.path.relpath(path, folder))
                df.insert(1, "工作表", sheet)
                frames.append(df)
    pd.concat(frames, ignore_index=True).to_excel(out, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
