"""Write every transcribed real form into tests/real/forms/ (``python3 -m tests.real.build [module ...]``)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import openpyxl

from tests.real import kit, sources

FORMS = Path(__file__).resolve().parent / "forms"


def modules():
    for info in sorted(pkgutil.iter_modules(sources.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"tests.real.sources.{info.name}")


def build_all(out: Path = FORMS, only: set[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for mod in modules():
        if only and mod.__name__.rsplit(".", 1)[1] not in only:
            continue
        wb = openpyxl.Workbook()
        mod.build(wb)
        wb.properties.created = kit.FIXED
        wb.properties.modified = kit.FIXED
        wb.properties.creator = "WPS"
        path = out / mod.FILE
        wb.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    import sys

    for p in build_all(only=set(sys.argv[1:]) or None):
        print(p)
