"""Mutation testing: does the suite notice when one behaviour changes?

    python3 benchmarks/mutation.py                       # every module in MODULES (long on 2 cores)
    python3 benchmarks/mutation.py budget_xls/textnorm.py --jobs 2
    python3 benchmarks/mutation.py --list budget_xls/limits.py   # the mutants, not run

Each mutant changes one thing in one module (a comparison ``<`` → ``<=``, ``==`` → ``!=``,
``+`` → ``-``, ``and`` → ``or``, a ``not`` dropped, a number + 1, True ↔ False, an operator
symbol ``≥`` ↔ ``≤``). It is applied to a COPY of the repository in a temporary folder (the
working tree is never written), and the test files that cover the module (MODULES) run
against it with a time limit. A mutant is *killed* when a test fails or the run times out.
Mutants judged equivalent (no behaviour a user could notice changes) are listed in
EQUIVALENT with the reason; the kill rate counts the others. docs/testing.md holds the last
result. Not part of .ci/run: it takes minutes per module.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Module → the test files that cover it (run for each of its mutants; keep them fast).
MODULES: dict[str, list[str]] = {
    "budget_xls/indicators.py": ["tests/test_normaliser_table.py", "tests/test_indicators_parse.py"],
    "budget_xls/textnorm.py": ["tests/test_normaliser_table.py", "tests/test_indicators_parse.py"],
    "budget_xls/limits.py": ["tests/test_limits_edges.py"],
    "budget_xls/rules/money.py": ["tests/test_rule_boundaries.py", "tests/test_rules_money.py"],
    "budget_xls/rules/dates.py": ["tests/test_rule_boundaries.py", "tests/test_rules_dates_structure.py"],
    "budget_xls/rules/structure.py": ["tests/test_rule_boundaries.py", "tests/test_rules_dates_structure.py"],
    "budget_xls/rules/indicators.py": ["tests/test_rule_boundaries.py", "tests/test_rules_indicators.py"],
    "budget_xls/cli.py": ["tests/test_readme_promises.py", "tests/test_cli.py",
                          "tests/test_engine.py::test_progress_bar_goes_to_stderr_only_on_a_terminal"],
    "budget_xls/api.py": ["tests/test_readme_promises.py", "tests/test_cli.py"],
    "budget_xls/spool.py": ["tests/test_streamed.py", "tests/test_run_budget.py"],
    "budget_xls/outputs/packager.py": ["tests/test_packager.py"],
    "budget_xls/outputs/forked.py": ["tests/test_packager.py"],
    "budget_xls/outputs/summary.py": ["tests/test_summary_sheet.py",
                                      "tests/test_writer.py::test_two_departments_totals_by_unit_and_category",
                                      "tests/test_writer.py::test_grouping_ignores_whitespace_and_width"],
}

# Only these functions of a module are mutated (the rest is layout: column widths, row heights).
FOCUS: dict[str, tuple[str, ...]] = {
    "budget_xls/outputs/summary.py": ("group_projects", "group_by", "money_sums", "Summary.group_table", "Summary.wan",
                                      "Summary.total_row", "Summary.files_check", "Summary.findings_check"),
}

# "module:function:mutation#n" → why the change is not observable.
_ANCHORED = "count=1 → 2 on a pattern anchored at ^ (or $): it can match only once"
EQUIVALENT: dict[str, str] = {
    "budget_xls/outputs/packager.py:<module>:20000→20001#1": "the helper's minimum share moves by one cell: "
                                                             "a fork more or less, the same workbook",
    "budget_xls/outputs/packager.py:Packager._write_shared_strings_file:False→True#1":
        "xlsxwriter reads the is-binary flag only for a package written in memory, which never takes this path",
    "budget_xls/outputs/packager.py:FastWorksheet._write_cell:Or→And#1": "the short path is never taken: "
                                                                        "xlsxwriter writes the same bytes, slower",
    "budget_xls/outputs/forked.py:Forked.__init__:1→2#1": "a failed helper exits 2 instead of 1: any non-zero "
                                                         "status is a failure to join",
    "budget_xls/spool.py:SpooledDict.__contains__:Gt→GtE#1": "an empty narrative is read back (an empty dict) "
                                                             "before answering: the same False, one read more",
    "budget_xls/spool.py:<module>:8→9#1": "the spool keeps its last 9 records instead of 8: the same records, "
                                          "read from memory a little more often",
    "budget_xls/spool.py:Spool._read:GtE→Gt#1": "the spool keeps one record more before dropping the oldest: "
                                                "the same records, read from memory a little more often",
    "budget_xls/spool.py:<module>:0→1#1": "the shared empty part names part 1 of no record: a part of 0 items "
                                          "never reads its record",
    "budget_xls/textnorm.py:_norm_label:1→2#1": _ANCHORED,
    "budget_xls/textnorm.py:_norm_label:1→2#2": _ANCHORED,
    "budget_xls/textnorm.py:_norm_label:1→2#3": _ANCHORED,
    "budget_xls/textnorm.py:parse_date:1→2#1": "_DATE_TEXT's groups 1 and 2 are set together (both in "
                                               "its first branch): testing either picks the same branch",
    "budget_xls/indicators.py:parse_value:1→2#1": _ANCHORED,
    **{f"budget_xls/indicators.py:resolve_levels:Is→IsNot#{n}": (
        "the first branch needs a2_ (a 二级 name in the 一级 column) and returns (a1_, a2_), which the "
        "third branch returns for every a2_ anyway: changing its other tests changes nothing") for n in (1, 2, 3)},
    "budget_xls/rules/money.py:_all:False→True#1": "only M03/M04 rely on the default, with one part: "
                                                   "a part counts as 0 only beside another part that is filled",
    "budget_xls/rules/indicators.py:levels:Gt→GtE#1": "when the resolved-levels cache is cleared (a memory "
                                                       "bound), not what it holds",
    "budget_xls/rules/indicators.py:levels:8192→8193#1": "the same cache bound",
    "budget_xls/rules/structure.py:_fix_for:And→Or#1": "only CHOICE fields (项目类别, 项目性质) carry choices, "
                                                       "so 'CHOICE or has choices' selects the same fields",
    "budget_xls/rules/money.py:narrative_amounts:0→1#3": "WanAmount.text (group 0 → 1) is never read",
    "budget_xls/rules/money.py:m07_budget_table:1→2#1": "``counted`` is only tested for being non-zero",
    "budget_xls/rules/money.py:<module>:60→61#1": "WIDE's precision 60 → 61 only widens a context that "
                                                   "never overflows at 60 (amounts < 10**15, products < 10**30)",
    "budget_xls/rules/money.py:m05_narrative_amounts:Or→And#1": "a narrative with text always has its cell; "
                                                                "a blank one ('None') holds no amount",
}

_COMPARE_SWAP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
_BINOP_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv}
_SYMBOL_SWAP = {"≥": "≤", "≤": "≥", ">": "<", "<": ">", "万元": "元", "元": "万元"}


@dataclass(frozen=True)
class Mutant:
    module: str
    key: str  # stable across line moves: function, mutation and its occurrence there
    line: int
    what: str
    source: str  # the mutated module


def _name(op) -> str:
    return type(op).__name__ if not isinstance(op, type) else op.__name__


class _Sites(ast.NodeVisitor):
    """Every mutable spot of a module, in source order, with the function it sits in."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, str, str]] = []  # (node, kind, function)
        self.scope: list[str] = []
        self.skip: set[int] = set()

    def _scoped(self, node) -> None:
        self.scope.append(node.name)
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.skip.add(id(body[0].value))  # docstrings are not behaviour
        for field, value in ast.iter_fields(node):
            if field in ("decorator_list", "returns"):
                continue  # cache sizes, dataclass options, annotations: not what a user sees
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    self.visit(child)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def _here(self) -> str:
        return ".".join(self.scope) or "<module>"

    def visit_Compare(self, node):
        for i, op in enumerate(node.ops):
            if type(op) in _COMPARE_SWAP:
                self.sites.append((node, f"cmp{i}", self._here()))
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if type(node.op) in _BINOP_SWAP:
            self.sites.append((node, "binop", self._here()))
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        self.sites.append((node, "boolop", self._here()))
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            self.sites.append((node, "not", self._here()))
        self.generic_visit(node)

    def visit_JoinedStr(self, node):
        return  # message text in f-strings: wording, not behaviour

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)

    def visit_arg(self, node):
        return

    def visit_Constant(self, node):
        if id(node) in self.skip:
            return
        v = node.value
        if isinstance(v, bool):
            self.sites.append((node, "bool", self._here()))
        elif isinstance(v, int):
            self.sites.append((node, "int", self._here()))
        elif isinstance(v, str) and v in _SYMBOL_SWAP:
            self.sites.append((node, "symbol", self._here()))


def _apply(node: ast.AST, kind: str) -> tuple[str, object]:
    """Mutate ``node`` in place; returns a description and an undo token."""
    if kind.startswith("cmp"):
        i = int(kind[3:])
        old = node.ops[i]
        node.ops[i] = _COMPARE_SWAP[type(old)]()
        return f"{_name(old)}→{_name(node.ops[i])}", ("ops", i, old)
    if kind == "binop":
        old = node.op
        node.op = _BINOP_SWAP[type(old)]()
        return f"{_name(old)}→{_name(node.op)}", ("op", old)
    if kind == "boolop":
        old = node.op
        node.op = ast.Or() if isinstance(old, ast.And) else ast.And()
        return f"{_name(old)}→{_name(node.op)}", ("op", old)
    if kind == "not":
        old = node.op
        node.op = ast.UAdd()  # +bool(x) keeps the truth value of x: the "not" is dropped
        node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
        return "not dropped", ("not", old)
    old = node.value
    if kind == "bool":
        node.value = not old
    elif kind == "int":
        node.value = old + 1
    else:
        node.value = _SYMBOL_SWAP[old]
    return f"{old!r}→{node.value!r}", ("value", old)


def _undo(node: ast.AST, token) -> None:
    if token[0] == "ops":
        node.ops[token[1]] = token[2]
    elif token[0] == "op":
        node.op = token[1]
    elif token[0] == "not":
        node.op = token[1]
        node.operand = node.operand.args[0]
    else:
        node.value = token[1]


def mutants(module: str) -> list[Mutant]:
    text = (ROOT / module).read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    finder = _Sites()
    finder.visit(tree)
    seen: dict[str, int] = {}
    out = []
    for node, kind, func in finder.sites:
        line = getattr(node, "lineno", 0)
        if "no mutate" in lines[line - 1] or (module in FOCUS and func not in FOCUS[module]):
            continue
        what, token = _apply(node, kind)
        source = ast.unparse(ast.fix_missing_locations(tree))
        _undo(node, token)
        stem = f"{module}:{func}:{what}"
        seen[stem] = seen.get(stem, 0) + 1
        out.append(Mutant(module, f"{stem}#{seen[stem]}", line, what, source))
    return out


_COPY_IGNORE = shutil.ignore_patterns("__pycache__", ".git", "output", "*.pyc", ".pytest_cache")


def _workspace(base: Path, n: int) -> Path:
    target = base / f"w{n}"
    target.mkdir()
    for name in ("budget_xls", "tests", "examples", "input_templates", "benchmarks", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name, ignore=_COPY_IGNORE)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    return target


def _run_tests(work: Path, tests: list[str], timeout: float) -> str:
    scratch = work / ".tmp"  # inside the copy: a run killed on timeout leaves nothing in /tmp
    scratch.mkdir(exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(scratch))
    env.pop("CI", None)
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    log = scratch / "pytest.out"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        if proc.poll() is None or code is None:  # a hung run, or we are stopping: its whole group goes
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    if code is None:
        return "timeout"
    # Survived only if pytest ran to its summary with tests passing: a mutant that ends the
    # test process early with status 0 (os._exit in a forked path) or skips every test is killed.
    summary = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:] if log.exists() else []
    passed = bool(summary) and re.search(r"\b\d+ passed\b", summary[0]) is not None
    return "survived" if code == 0 and passed else "killed"


def run(modules: list[str], jobs: int, timeout: float, only: frozenset[str] = frozenset()) -> dict:
    base = Path(tempfile.mkdtemp(prefix="budget-xls-mutation-"))
    results: dict[str, list[dict]] = {}
    try:
        pool = [_workspace(base, i) for i in range(jobs)]
        free = list(pool)
        for module in modules:
            tests = [t for t in MODULES[module] if (ROOT / t.split("::")[0]).exists()]
            if _run_tests(pool[0], tests, timeout * 4) != "survived":
                raise SystemExit(f"{module}: its tests fail without any mutation: {tests}")
            todo = [m for m in mutants(module) if not only or m.key in only]
            print(f"{module}: {len(todo)} mutants, tests {' '.join(tests)}", file=sys.stderr, flush=True)

            def one(m: Mutant) -> dict:
                work = free.pop()
                target = work / m.module
                original = target.read_bytes()
                try:
                    target.write_text(m.source, encoding="utf-8")
                    outcome = _run_tests(work, tests, timeout)
                finally:
                    target.write_bytes(original)
                    free.append(work)
                if outcome == "survived" and m.key not in EQUIVALENT:
                    print(f"  survived: {m.key} (line {m.line})", file=sys.stderr, flush=True)
                return {"key": m.key, "line": m.line, "what": m.what, "outcome": outcome}

            with ThreadPoolExecutor(jobs) as ex:
                results[module] = list(ex.map(one, todo))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return results


def summarise(results: dict) -> str:
    rows = ["| module | mutants | killed | equivalent | survived | kill rate (non-equivalent) |",
            "|---|---:|---:|---:|---:|---:|"]
    survivors, equivalents = [], []
    for module, items in results.items():
        killed = sum(r["outcome"] != "survived" for r in items)
        equiv = [r for r in items if r["outcome"] == "survived" and r["key"] in EQUIVALENT]
        alive = [r for r in items if r["outcome"] == "survived" and r["key"] not in EQUIVALENT]
        counted = len(items) - len(equiv)
        rate = f"{100 * killed / counted:.1f} %" if counted else "—"
        rows.append(f"| `{module}` | {len(items)} | {killed} | {len(equiv)} | {len(alive)} | {rate} |")
        survivors += [f"- `{r['key']}` (line {r['line']})" for r in alive]
        equivalents += [f"- `{r['key']}` (line {r['line']}): {EQUIVALENT[r['key']]}" for r in equiv]
    out = "\n".join(rows)
    if equivalents:
        out += "\n\nSurviving mutants judged equivalent:\n\n" + "\n".join(equivalents)
    if survivors:
        out += "\n\nSurviving mutants not yet killed:\n\n" + "\n".join(survivors)
    return out + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="module paths (default: all of MODULES)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per mutant's test run")
    ap.add_argument("--list", action="store_true", help="print the mutants and stop")
    ap.add_argument("--only", nargs="+", metavar="KEY", help="run only the mutants with these keys")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    ap.add_argument("--from-json", type=Path, nargs="+", metavar="FILE",
                    help="summarise saved results (later files win per module) instead of running")
    args = ap.parse_args(argv)
    if args.from_json:
        saved: dict[str, dict[str, dict]] = {}
        for path in args.from_json:  # a later run's outcome replaces an earlier one, mutant by mutant
            for module, items in json.loads(path.read_text(encoding="utf-8")).items():
                saved.setdefault(module, {}).update((r["key"], r) for r in items)
        current = {m: {x.key for x in mutants(m)} for m in saved if m in MODULES}  # FOCUS may have narrowed
        print(summarise({m: [r for k, r in saved[m].items() if k in current[m]] for m in MODULES if m in saved}))
        return 0
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if m not in MODULES]
    if unknown:
        ap.error(f"not in MODULES: {', '.join(unknown)}")
    if args.list:
        for module in modules:
            for m in mutants(module):
                print(f"{m.key}  (line {m.line})")
        return 0
    started = time.monotonic()
    # stopped with SIGTERM: unwind, so the copies are removed and the running tests killed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = run(modules, max(1, args.jobs), args.timeout, frozenset(args.only or ()))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(summarise(results))
    print(f"({time.monotonic() - started:.0f} s, {args.jobs} jobs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
