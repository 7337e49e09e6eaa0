"""The package's shape: no import cycle, each layer imports only the layers below it, and a
form field is one row of the field table (it reaches the JSON and 项目清单 with no other code)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import openpyxl
import pytest

import budget_xls
from budget_xls import fields

PACKAGE = Path(budget_xls.__file__).parent

# Each unit (a module, or a sub-package taken whole) and the layer it lives in: a unit may
# import units of its own layer or below, never above (docs/architecture.md draws it).
LAYERS = [
    {"limits", "fields", "textnorm", "textwidth", "guards", "rulebooks"},
    {"model", "vocab", "indicators", "grid", "sniff", "discover"},
    {"package", "reader", "tables", "readback", "compare", "spool"},
    {"cells"},
    {"moneyblock", "sections"},
    {"parser"},
    {"rules"},
    {"ingest", "roster", "review"},
    {"engine"},
    {"pipeline"},
    {"outputs", "template", "console"},
    {"api", "docs", "dataframes"},
    {"cli", "__main__", "cli_zh"},
]
LAYER_OF = {unit: i for i, units in enumerate(LAYERS) for unit in units}


def _unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "budget_xls":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every budget_xls unit a source file imports (at the top or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_unit(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "budget_xls":  # from budget_xls import fields, engine
                found.update(a.name for a in node.names if (PACKAGE / a.name).exists()
                             or (PACKAGE / f"{a.name}.py").exists())
            else:
                found.add(_unit(node.module))
    found.discard(None)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        unit = _unit(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        edges.setdefault(unit, set()).update(u for u in _imports(path) if u != unit and u != "__init__")
    return edges


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if not state.get(nxt):
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if not state.get(node):
            visit(node)


def test_each_unit_imports_only_its_layer_or_below():
    edges = graph()
    assert set(edges) - {"__init__"} <= set(LAYER_OF), "a new module: give it a layer in LAYERS and in the docs"
    upward = [(u, v) for u, vs in edges.items() if u != "__init__" for v in vs if LAYER_OF[v] > LAYER_OF[u]]
    assert upward == []


def test_a_new_field_is_one_row_of_the_table(tmp_path, monkeypatch):
    """A field added to the table is read from a form that carries its label, and shows up in
    the JSON report and as a 项目清单 column, with no code anywhere else."""
    from budget_xls import api
    from tests.seed_data import RENCAI, build_official_workbook

    row = fields.FormField("leader", "项目负责人", ("项目负责人",), fields.TEXT, "项目负责人",
                           column="项目负责人", width=12, json="top")
    monkeypatch.setattr(fields, "TABLE", fields.TABLE + (row,))
    inbox = tmp_path / "inbox"
    path = build_official_workbook(inbox / "人才工作科.xlsx", RENCAI)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(c.row for c in ws["A"] if c.value == "项目名称")
    ws.cell(row, 6, "项目负责人")  # beside 项目类别, in the form's header block
    ws.cell(row, 7, "王晓明")
    wb.save(path)

    result = api.consolidate(inbox, jobs=1)
    out = tmp_path / "out" / "汇总.xlsx"
    api.write_outputs(result, out)
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["projects"][0]["leader"] == "王晓明"
    sheet = openpyxl.load_workbook(out)["项目清单"]
    heads = [c.value for c in sheet[1]]
    assert "项目负责人" in heads
    assert sheet.cell(2, heads.index("项目负责人") + 1).value == "王晓明"


def test_the_label_words_follow_the_table_in_force(monkeypatch):
    """The sheet index's label words are worked out once per field table and follow a swapped-in
    table (and back): each cached entry holds its table, so a collected table's id can never
    hand its words to another."""
    from budget_xls import cells

    before = cells.words_in_force()
    assert "项目负责人" not in before.field_labels
    row = fields.FormField("leader", "项目负责人", ("项目负责人",), fields.TEXT, "项目负责人")
    monkeypatch.setattr(fields, "TABLE", fields.TABLE + (row,))
    swapped = cells.words_in_force()
    assert "项目负责人" in swapped.field_labels and cells.words_in_force() is swapped
    assert cells._WORDS[id(fields.TABLE)][0] is fields.TABLE
    monkeypatch.undo()
    assert cells.words_in_force() is before
