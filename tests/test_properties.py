"""Property tests: whatever a department does to a workbook, the run ends with a report.

Hypothesis mutates valid workbooks three ways — the values typed into the cells, the
parts of the zip package, the bytes of the XML inside — and every case runs the real
command (``consolidate --jobs 1``: one worker, crashes contained). Each case must end
with exit code 0 or 1, the JSON report and the workbook written, the file accounted for
in ``files``, and no internal error (an exception inside budget-xls is reported as R01
"程序内部错误" by the engine; here it fails the test, naming the exception).

The examples are derandomized, so CI runs the same few hundred cases every time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_xls.cli import main
from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook
from tests import seed_data

CASES = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                        HealthCheck.data_too_large])

BASE_PROJECT = seed_data.DANGJIAN
STATUSES = {"ok", "unreadable", "no_projects", "skipped"}


def _base_bytes() -> bytes:
    buf = io.BytesIO()
    path = Path(__file__).resolve().parents[1] / "examples" / "组织科.xlsx"
    buf.write(path.read_bytes())
    return buf.getvalue()


BASE = _base_bytes()
BASE_PARTS = zipfile.ZipFile(io.BytesIO(BASE)).namelist()


def run_on(folder: Path, tmp: Path) -> dict:
    out = tmp / "out" / "汇总.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--jobs", "1", "--year", "2022",
                                       "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert out.exists()
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["files"], report
    for f in report["files"]:
        assert f["status"] in STATUSES
        assert "程序内部错误" not in (f["reason"] or ""), f["reason"]
        if f["status"] == "ok":
            assert f["projects"] == sum(1 for p in report["projects"] if p["file"] == f["file"])
        else:
            assert f["reason"]
    return report


def fresh(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("case")
    folder = tmp / "in"
    folder.mkdir()
    return tmp, folder


# ---------------------------------------------------------------- cell values

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
formula_like = st.sampled_from(["=1+1", "=SUM(A1:A2)", "+100", "-", "@", "=", "’100", "http://x.cn", "#REF!"])
money_text = st.sampled_from(["1,000.00", "１２３", "三百万", "100万元", "-5", "1e3", " 12 ", "", "0.005"])
numbers = st.one_of(st.integers(-10**16, 10**16), st.floats(allow_nan=False, allow_infinity=False, width=64))
dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))
value = st.one_of(st.none(), text, formula_like, money_text, numbers, dates, st.booleans())
FIELD_KEYS = list(BASE_PROJECT["fields"])


@st.composite
def projects(draw) -> ProjectSpec:
    fields = dict(BASE_PROJECT["fields"])
    for key in draw(st.lists(st.sampled_from(FIELD_KEYS), max_size=6, unique=True)):
        fields[key] = draw(value)
    indicators = list(BASE_PROJECT["indicators"])
    if draw(st.booleans()):
        indicators = draw(st.lists(st.tuples(value, value, value, value), max_size=12))
    sheet = draw(st.sampled_from(["项目1", "党建工作", "Sheet1", "项目 1 (2)", "O'Neil 的项目"]))
    return ProjectSpec(sheet=sheet, fields=fields, indicators=indicators, narrative=dict(BASE_PROJECT["narrative"]))


@CASES
@given(project=projects(), cover=st.dictionaries(st.sampled_from(["填报单位", "联系人", "联系电话", "填报日期"]), value))
def test_any_cell_values(tmp_path_factory, project, cover):
    tmp, folder = fresh(tmp_path_factory)
    write_workbook(folder / "a.xlsx", WorkbookSpec(year=2022, cover=cover, projects=[project]))
    report = run_on(folder, tmp)
    entry = report["files"][0]
    if entry["status"] == "unreadable":
        # python-calamine panics on a date cell holding a number beyond ±1e11 days; the file is
        # then refused with that reason. Anything else must be read.
        typed = list(project.fields.values()) + [v for row in project.indicators for v in row] + list(cover.values())
        assert any(_huge(v) for v in typed) and "超出范围" in entry["reason"], entry
        return
    assert entry["status"] == "ok" and entry["projects"] == 1, entry


def _huge(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 1e11


# ---------------------------------------------------------------- zip parts

part_edit = st.sampled_from(["drop", "empty", "truncate", "garbage", "duplicate", "rename"])


@st.composite
def package_mutations(draw) -> list[tuple[str, str, int, bytes]]:
    n = draw(st.integers(1, 3))
    return [(draw(st.sampled_from(BASE_PARTS)), draw(part_edit), draw(st.integers(0, 4000)),
             draw(st.binary(max_size=64))) for _ in range(n)]


def mutate_package(mutations) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(BASE))
    parts = {n: src.read(n) for n in src.namelist()}
    extra: list[tuple[str, bytes]] = []
    for name, edit, at, junk in mutations:
        if name not in parts:
            continue
        if edit == "drop":
            del parts[name]
        elif edit == "empty":
            parts[name] = b""
        elif edit == "truncate":
            parts[name] = parts[name][: at % (len(parts[name]) + 1)]
        elif edit == "garbage":
            parts[name] = junk
        elif edit == "duplicate":
            extra.append((name, parts[name]))
        elif edit == "rename":
            parts[name + ".bak"] = parts.pop(name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in list(parts.items()) + extra:
            out.writestr(name, data)
    return buf.getvalue()


@CASES
@given(mutations=package_mutations(), chop=st.one_of(st.none(), st.integers(0, len(BASE))))
def test_any_package_damage(tmp_path_factory, mutations, chop):
    import warnings

    tmp, folder = fresh(tmp_path_factory)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make on purpose
        data = mutate_package(mutations)
    if chop is not None:
        data = data[: chop % (len(data) + 1)]
    (folder / "a.xlsx").write_bytes(data)
    report = run_on(folder, tmp)
    assert report["files"][0]["status"] in ("ok", "unreadable", "no_projects")


# ---------------------------------------------------------------- XML bytes

XML_PARTS = [n for n in BASE_PARTS if n.endswith(".xml") or n.endswith(".rels")]
SNIPPETS = [b"<", b">", b"</c>", b'<c r="XFD1048576"><v>1</v></c>', b'<row r="1048576">', b"&amp;", b"&lol;",
            b'<mergeCell ref="A1:XFD1048576"/>', b'<v>1e309</v>', b'<c r="A1" t="s"><v>999999</v></c>',
            "<definedName name=\"项目名称\">'项目1'!$ZZZ$0</definedName>".encode(), b"\xff\xfe", b"\x00", b'r="A0"',
            b"<f>1/0</f>", b'<dimension ref="A1:A1"/>', b"<c><v>1</v></c>" * 800]


@st.composite
def xml_mutations(draw) -> tuple[str, list[tuple[str, float, float, bytes]]]:
    part = draw(st.sampled_from(XML_PARTS))
    edits = draw(st.lists(st.tuples(st.sampled_from(["flip", "delete", "insert", "snippet", "repeat"]),
                                    st.floats(0, 1), st.floats(0, 0.05), st.binary(max_size=16)),
                          min_size=1, max_size=4))
    snippet = draw(st.sampled_from(SNIPPETS))
    return part, [(e, a, b, junk or snippet) for e, a, b, junk in edits] + [("snippet", 0.5, 0, snippet)]


def mutate_xml(data: bytes, edits) -> bytes:
    buf = bytearray(data)
    for edit, where, span, junk in edits:
        at = int(where * len(buf))
        width = max(1, int(span * len(buf)))
        if edit == "flip" and buf:
            buf[min(at, len(buf) - 1)] ^= 0xFF
        elif edit == "delete":
            del buf[at:at + width]
        elif edit in ("insert", "snippet"):
            buf[at:at] = junk
        elif edit == "repeat":
            buf[at:at] = bytes(buf[at:at + width]) * 3
    return bytes(buf)


@CASES
@given(mutation=xml_mutations())
def test_any_xml_damage(tmp_path_factory, mutation):
    part, edits = mutation
    tmp, folder = fresh(tmp_path_factory)
    src = zipfile.ZipFile(io.BytesIO(BASE))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, mutate_xml(data, edits) if name == part else data)
    (folder / "a.xlsx").write_bytes(buf.getvalue())
    report = run_on(folder, tmp)
    assert report["files"][0]["status"] in ("ok", "unreadable", "no_projects")


def test_money_in_the_report_is_never_float_noise(tmp_path):
    """A sanity anchor for the cell-value property: 5066446.00 typed as text stays 5066446."""
    folder = tmp_path / "in"
    folder.mkdir()
    fields = dict(BASE_PROJECT["fields"], total="5066446.00", fiscal=Decimal("5066446"), other=0)
    fields["fiscal"] = 5066446
    write_workbook(folder / "a.xlsx", WorkbookSpec(year=2022, projects=[
        ProjectSpec(sheet="项目1", fields=fields, indicators=list(BASE_PROJECT["indicators"]))]))
    report = run_on(folder, tmp_path)
    assert report["projects"][0]["funds"]["total"] == 5066446


def test_the_wide_blocks_are_wide_and_the_width_is_unicodedata_s():
    """Column widths and row heights count a CJK or full-width character as two units: the
    blocks counted at once by a regex are wide throughout, and any text measures as a
    character-by-character count with unicodedata does."""
    import unicodedata

    from budget_xls import textwidth

    for a, b in textwidth.WIDE_BLOCKS:
        assert all(unicodedata.east_asian_width(chr(c)) in "WF" for c in range(a, b + 1)), (hex(a), hex(b))

    def by_character(text: str) -> int:
        return len(text) + sum(1 for ch in text if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF")

    @given(st.text(min_size=1, max_size=40))
    @settings(max_examples=400, deadline=None)
    def check(text):
        assert textwidth.display_width.__wrapped__(text) == by_character(text)

    check()
    assert textwidth.line_count("培训满意度≥95%", 6) == 3 and textwidth.line_count("甲\n乙乙乙", 4) == 3
