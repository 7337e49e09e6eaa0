"""A two-department inbox built in code, and readers for the consolidated workbook.

Shared by tests/test_writer.py and tests/test_output_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import openpyxl

from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook

INDICATORS = [
    ("产出指标", "数量指标", "培训场次", "≥4场"),
    (None, "质量指标", "培训合格率", "≥95%"),
    (None, "时效指标", "培训完成及时率", "=100%"),
    ("效益指标", "社会效益指标", "干部能力提升", "提升"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%"),
]
INJECTION = '=HYPERLINK("http://x","点我")'
RICH_LOOKALIKE = "<r></si><si>恶意</r>"  # xlsxwriter's own rich-text marker, and XML that would break the part

# (file, 填报单位, [(sheet, name, 实施单位, 项目类别, total, annual, appropriation, carryover, annual_other)])
# Unit names carry what SUMIFS would misread: wildcards, a stray space, a blank; a text
# criterion "信息*中心?~1" would also match 信息技术中心A1's row.
PROJECTS = {
    "组织科.xlsx": ("组织科", [
        ("项目1", "党建工作", "中共某区委组织部", "经常性项目", "3792000", "3792000", "3792000", "0", "0"),
        ("项目2", INJECTION, "信息*中心?~1", "一次性项目", "100000.10", "100000.10", "50000.05", "50000.05", "0"),
        ("项目3", "=1+1", "中共某区委 组织部", "一次性项目", "0.20", "0.20", "0.10", "0", "0.10"),
    ]),
    "干部科.xlsx": ("干部科", [
        ("项目1", "干部工作", "中共某区委干部教育中心", "经常性项目", "5066446", "5066446", "5000000", "66446", "0"),
        ("项目2", "人才工作", "信息技术中心A1", "经常性项目", "308000.33", "308000.33", "308000.33", "0", "0"),
        ("项目3", "无单位项目", None, "一次性项目", "1000", "1000", "1000", "0", "0"),
    ]),
}
# What 汇总 must show: unit label → rows of PROJECTS it covers (whitespace is ignored).
UNIT_GROUPS = {
    "中共某区委组织部": [("组织科.xlsx", "项目1"), ("组织科.xlsx", "项目3")],
    "信息*中心?~1": [("组织科.xlsx", "项目2")],
    "中共某区委干部教育中心": [("干部科.xlsx", "项目1")],
    "信息技术中心A1": [("干部科.xlsx", "项目2")],
    "（未填写）": [("干部科.xlsx", "项目3")],
}
MONEY = ("total", "annual", "appropriation", "carryover", "annual_other")


def spec_of(sheet, name, unit, category, *money) -> ProjectSpec:
    amounts = dict(zip(MONEY, money))
    fields = dict(name=name, category=category, supervisor="中共某区委组织部", implementer=unit,
                  start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31),
                  total=float(amounts["total"]), fiscal=float(amounts["total"]), other=0,
                  annual=float(amounts["annual"]), appropriation=float(amounts["appropriation"]),
                  carryover=float(amounts["carryover"]), annual_other=float(amounts["annual_other"]),
                  goal_total="完成年度培训任务。", goal_year="完成年度培训任务。")
    indicators = list(INDICATORS)
    if name == INJECTION:
        indicators.append(("效益指标", "社会效益指标", "注入测试", "=1+1"))
        indicators.append(("效益指标", "社会效益指标", RICH_LOOKALIKE, "<r><t>9</t></r>"))
    return ProjectSpec(sheet=sheet, fields=fields, indicators=indicators)


def build_inbox(folder: Path) -> Path:
    for file, (unit, rows) in PROJECTS.items():
        spec = WorkbookSpec(year=2022, cover={"填报单位": unit, "联系人": "张三", "联系电话": "021-1"},
                            projects=[spec_of(*r) for r in rows])
        write_workbook(folder / file, spec)
    return folder


def expected_by_unit() -> dict[str, dict[str, Decimal | int]]:
    rows = {(file, r[0]): r for file, (_, rs) in PROJECTS.items() for r in rs}
    out = {}
    for label, keys in UNIT_GROUPS.items():
        sums: dict[str, Decimal | int] = {"count": len(keys)}
        for j, key in enumerate(MONEY):
            sums[key] = sum((Decimal(rows[k][4 + j]) for k in keys), Decimal(0))
        out[label] = sums
    return out


def expected_by_category() -> dict[str, dict[str, Decimal | int]]:
    out: dict[str, dict[str, Decimal | int]] = {}
    for _, (_, rs) in PROJECTS.items():
        for r in rs:
            sums = out.setdefault(r[3], {"count": 0, **{k: Decimal(0) for k in MONEY}})
            sums["count"] += 1
            for j, key in enumerate(MONEY):
                sums[key] += Decimal(r[4 + j])
    return out


def summary_tables(path: Path) -> dict[str, dict[str, list]]:
    """汇总's two tables as {title: {label: [count, 5×元, 5×万元, errors, warnings]}} (cached values)."""
    ws = openpyxl.load_workbook(path, data_only=True)["汇总"]
    tables: dict[str, dict[str, list]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        first, label = row[0], row[1]
        if first in ("按实施单位汇总", "按项目类别汇总"):
            current = tables.setdefault(first, {})
        elif first in ("文件核对", "问题统计"):
            current = None
        elif current is not None and (isinstance(first, (int, float)) or label == "合计"):
            current[label] = list(row[2:15])
    return tables


def resolve_link(output: Path, target: str) -> Path:
    """The file an xlsx hyperlink target names, relative to the output's folder."""
    return (output.parent / unquote(target.replace("\\", "/"))).resolve()


# ---------------------------------------------------------------- the tests

import os  # noqa: E402

import pytest  # noqa: E402

from budget_xls.outputs import atomic  # noqa: E402
from budget_xls.outputs import workbook as writer  # noqa: E402
from budget_xls.outputs.summary import group_projects  # noqa: E402
from budget_xls.textwidth import display_width  # noqa: E402
from budget_xls.model import Field, ProjectForm  # noqa: E402
from budget_xls.pipeline import RunOptions, consolidate  # noqa: E402

SHEETS = ["汇总", "目标审核", "项目清单", "绩效指标", "预算明细", "错误报告", "文件清单"]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return build_inbox(tmp_path / "inbox")


def run_and_write(inbox: Path, output: Path):
    result = consolidate(inbox, RunOptions())
    writer.write_workbook(result, output)
    return result


def headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws, head: str) -> list:
    idx = headers(ws).index(head)
    return [row[idx] for row in ws.iter_rows(min_row=2)]


def test_two_departments_totals_by_unit_and_category(inbox, tmp_path):
    out = tmp_path / "out" / "汇总.xlsx"
    run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS
    tables = summary_tables(out)
    for title, expected in (("按实施单位汇总", expected_by_unit()), ("按项目类别汇总", expected_by_category())):
        got = tables[title]
        assert set(got) == set(expected) | {"合计"}, title
        for label, sums in expected.items():
            row = got[label]
            assert row[0] == sums["count"], (title, label)
            for j, key in enumerate(MONEY):
                assert Decimal(str(row[1 + j])) == sums[key], (title, label, key)
                assert Decimal(str(row[6 + j])) == sums[key] / 10000, (title, label, key, "万元")
        total = got["合计"]
        assert total[0] == sum(s["count"] for s in expected.values()) == 6
        for j, key in enumerate(MONEY):
            assert Decimal(str(total[1 + j])) == sum((s[key] for s in expected.values()), Decimal(0))
        # the group rows add up to the total (合计 is computed from 项目清单, not from them)
        for j in range(1 + 2 * len(MONEY) + 2):
            rows = [v[j] for k, v in got.items() if k != "合计"]
            assert sum(Decimal(str(x)) for x in rows) == Decimal(str(total[j])), (title, j)


def test_summary_formulas_are_sumifs_over_group_numbers(inbox, tmp_path):
    """SUMIFS criteria are our group numbers, never unit text (wildcards, case, spaces)."""
    out = tmp_path / "o.xlsx"
    run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    sumifs = [f for f in formulas if "SUMIFS" in f or "COUNTIFS" in f]
    assert len(sumifs) >= 5 * (2 + 5 + 2)
    assert all("'项目清单'!" in f for f in sumifs)
    assert not any("信息" in f or "*" in f for f in formulas)
    # every project's group number points at the 汇总 row with its (normalised) unit
    projects = wb["项目清单"]
    unit_numbers = {}
    for row in ws.iter_rows(values_only=True):
        if row[0] == "按项目类别汇总":
            break
        if isinstance(row[0], int):
            unit_numbers[row[0]] = row[1]
    for unit, number in zip(column(projects, "实施单位"), column(projects, "单位\n序号")):
        label = unit_numbers[number.value]
        assert "".join((unit.value or "（未填写）").split()) == "".join(label.split())


def test_grouping_ignores_whitespace_and_width():
    def form(sheet, unit):
        return ProjectForm(file="a.xlsx", sheet=sheet, fields={"implementer": Field(unit, unit, "E4")})

    forms = [form("1", " 组织科"), form("2", "组织科 "), form("3", "组 织 科"), form("4", None), form("5", "ＩＴ中心"),
             form("6", "IT中心"), form("7", "IT中心")]
    groups = group_projects(forms, "implementer")
    assert [(g.number, g.label, [sheet for _, sheet, _ in g.keys], g.named) for g in groups] == [
        (1, "IT中心", ["5", "6", "7"], True), (2, "组织科", ["1", "2", "3"], True), (3, "（未填写）", ["4"], False)]


def test_text_from_workbooks_stays_text(inbox, tmp_path):
    out = tmp_path / "o.xlsx"
    run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out)
    names = {c.value: c for c in column(wb["项目清单"], "项目名称")}
    for text in (INJECTION, "=1+1"):
        assert names[text].data_type == "s" and names[text].value == text
    raw = {c.value: c for c in column(wb["绩效指标"], "原始值")}
    assert raw["=1+1"].data_type == "s"
    assert "<r><t>9</t></r>" in raw  # a text shaped like rich text is shown as typed
    assert RICH_LOOKALIKE in {c.value for c in column(wb["绩效指标"], "三级指标")}
    for sheet in SHEETS[1:]:
        for row in wb[sheet].iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet, c.coordinate, c.value)
                if c.hyperlink is not None:  # only our own links: source cells and the error report
                    assert c.hyperlink.target is None or c.hyperlink.target.lower().endswith(".xlsx")


def test_same_inputs_give_identical_bytes(inbox, tmp_path, run_cli):
    out = tmp_path / "out" / "汇总.xlsx"
    assert run_cli("consolidate", inbox, "-o", out).exit_code in (0, 1)
    first = out.read_bytes()
    assert run_cli("consolidate", inbox, "-o", out).exit_code in (0, 1)
    assert out.read_bytes() == first
    # and the library alone, into another folder: same bytes but for nothing
    other = tmp_path / "out2" / "汇总.xlsx"
    run_and_write(inbox, other)
    run_and_write(inbox, other)
    assert other.read_bytes() == first


def test_failed_run_leaves_existing_output_untouched(inbox, tmp_path, monkeypatch):
    out = tmp_path / "o.xlsx"
    run_and_write(inbox, out)
    before = out.read_bytes()
    (inbox / "组织科.xlsx").unlink()  # the next run would write something different

    def boom(self):
        raise RuntimeError("midway")

    monkeypatch.setattr(writer._Writer, "findings_sheet", boom)
    with pytest.raises(RuntimeError):
        run_and_write(inbox, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox", "o.xlsx"]  # no temp file left


def test_output_locked_by_office_lock_file_exits_2(inbox, tmp_path, run_cli):
    out = tmp_path / "o.xlsx"
    run_and_write(inbox, out)
    before = out.read_bytes()
    for lock in (f"~${out.name}", f".~lock.{out.name}#"):
        (tmp_path / lock).write_bytes(b"x")
        result = run_cli("consolidate", inbox, "-o", out)
        assert result.exit_code == 2, result.output
        assert "正在被其他程序打开" in result.stderr and lock in result.stderr
        assert "Traceback" not in result.output
        assert out.read_bytes() == before
        (tmp_path / lock).unlink()


def test_unwritable_output_exits_2_even_as_root(inbox, tmp_path, run_cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run_cli("consolidate", inbox, "-o", blocker / "汇总.xlsx")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：") and "not-a-folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_replace_failure_is_reported_in_chinese(inbox, tmp_path, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", locked)
    with pytest.raises(writer.OutputLocked, match="无法写入输出文件"):
        run_and_write(inbox, tmp_path / "o.xlsx")
    assert list(tmp_path.glob("*.tmp*")) == [] and not (tmp_path / "o.xlsx").exists()


def test_inputs_are_never_written(inbox, tmp_path):
    stamps = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in inbox.iterdir()}
    run_and_write(inbox, inbox / "汇总.xlsx")  # even with the output inside the inbox
    for p, (data, mtime) in stamps.items():
        assert p.read_bytes() == data and p.stat().st_mtime_ns == mtime


def test_every_file_listed_and_reconciled(inbox, tmp_path):
    (inbox / "说明.txt").write_text("not a workbook", encoding="utf-8")
    (inbox / "坏文件.xlsx").write_bytes(b"not a zip")
    (inbox / "~$组织科.xlsx").write_bytes(b"lock")
    out = tmp_path / "o.xlsx"
    result = run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    files = wb["文件清单"]
    listed = {c.value for c in column(files, "文件")}
    assert listed == {p.name for p in inbox.iterdir()}
    status = dict(zip((c.value for c in column(files, "文件")), (c.value for c in column(files, "状态"))))
    assert status["坏文件.xlsx"] == "无法读取" and status["说明.txt"] == "已跳过"
    assert status["组织科.xlsx"] == "已读取"
    sha = dict(zip((c.value for c in column(files, "文件")), (c.value for c in column(files, "SHA-256"))))
    assert all(len(sha[p]) == 64 for p in ("组织科.xlsx", "干部科.xlsx", "坏文件.xlsx"))
    reasons = dict(zip((c.value for c in column(files, "文件")), (c.value for c in column(files, "原因"))))
    assert reasons["说明.txt"] and reasons["坏文件.xlsx"]
    rows = list(wb["汇总"].iter_rows(values_only=True))
    i = next(i for i, r in enumerate(rows) if r[0] == "文件核对")
    assert rows[i + 1][1:8] == ("找到文件", "已读取", "其中无申报表", "无法读取", "已跳过", "核对", "读取项目")
    assert rows[i + 2][1:8] == (5, 2, 0, 1, 2, "一致", 6)
    assert len(result.files) == 5


def test_every_finding_with_a_cell_links_to_it(inbox, tmp_path):
    # a file name that needs escaping in a link, and an output folder elsewhere
    (inbox / "sub dir").mkdir()
    os.replace(inbox / "干部科.xlsx", inbox / "sub dir" / "干部 科#2%41.xlsx")
    out = tmp_path / "deep" / "out" / "汇总.xlsx"
    result = run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["错误报告"]
    assert headers(ws) == ["序号", "级别", "代码", "规则", "文件", "工作表", "单元格", "项目", "说明", "当前值", "修改建议", "维度"]
    located = [f for f in result.findings if f.sheet and f.cell]
    assert located and any(f.file.startswith("sub dir/") for f in located)
    rows = list(ws.iter_rows(min_row=2))
    keys = [(r[4].value, r[5].value or "", writer_cell_key(r[6].value)) for r in rows]
    assert keys == sorted(keys)  # sorted by file, sheet, cell
    sources: dict[Path, openpyxl.Workbook] = {}
    checked = 0
    for r in rows:
        file, sheet, cell = r[4].value, r[5].value, r[6]
        if not (sheet and cell.value):
            continue
        link = cell.hyperlink
        assert link is not None and link.target, (file, sheet, cell.value)
        target = resolve_link(out, link.target)
        assert target == (inbox / file).resolve()
        assert link.location == f"'{sheet}'!{cell.value}"
        book = sources.setdefault(target, openpyxl.load_workbook(target, read_only=True))
        assert sheet in book.sheetnames
        openpyxl.utils.cell.coordinate_to_tuple(cell.value)  # a valid A1 reference
        checked += 1
    assert checked == len(located)
    # 项目清单 links each project to its first finding
    projects = wb["项目清单"]
    for file, sheet, link in zip(column(projects, "文件"), column(projects, "工作表"), column(projects, "错误报告")):
        if link.value:
            row = int(link.hyperlink.location.split("!A")[1])
            assert (ws.cell(row, 5).value, ws.cell(row, 6).value) == (file.value, sheet.value)


def writer_cell_key(cell):
    from budget_xls.model import _cell_key

    return _cell_key(cell)


def test_look_frozen_filtered_printable_and_properties(inbox, tmp_path):
    out = tmp_path / "o.xlsx"
    run_and_write(inbox, out)
    wb = openpyxl.load_workbook(out)
    assert wb.properties.title == "2022年度财政项目支出绩效目标汇总表"
    assert "2022" in wb.properties.keywords and wb.properties.created == dt.datetime(2000, 1, 1)
    assert writer.__version__ in wb.properties.description
    for name in SHEETS:
        ws = wb[name]
        # the drafted review prints as a document (A4 portrait), the registers as wide tables
        orientation = "portrait" if name == "目标审核" else "landscape"
        assert ws.page_setup.orientation == orientation and ws.page_setup.paperSize == 9
        if ws.page_setup.scale is None:  # fitted to the page width (fitToWidth="1" is the default)
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
            assert ws.page_setup.fitToWidth in (None, 1)
        else:  # too wide to fit at a readable size: several pages wide, key columns repeated
            assert ws.page_setup.scale >= 70 and ws.print_title_cols
        if name in ("汇总", "目标审核"):  # not registers: no frozen header, no filter
            continue
        if ws.max_row == 1 and str(ws["A1"].value).startswith("（"):
            continue  # an empty register says so in one line
        assert ws.freeze_panes and ws.freeze_panes.endswith("2")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.print_title_rows == "$1:$1"
        for col, head in enumerate(headers(ws), start=1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
            need = max(display_width(line) for line in head.split("\n"))
            assert width >= need, (name, head, width)
    money = wb["项目清单"]["J2"]
    assert money.number_format == "#,##0.00"
    name_width = wb["项目清单"].column_dimensions["G"].width  # 实施单位
    assert name_width >= display_width("中共某区委干部教育中心")  # CJK counts 2
    for name in ("项目清单", "绩效指标", "错误报告", "文件清单"):  # blank cells still print inside the grid
        ws = wb[name]
        table = f"A2:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
        blanks = [r for cf in ws.conditional_formatting for r in cf.rules
                  if r.type == "containsBlanks" and str(cf.sqref) == table]
        assert blanks and blanks[0].dxf.border.left.style == "thin", name
    rules = [cf for cf in wb["错误报告"].conditional_formatting]
    assert rules and any('"错误"' in r.formula[0] for cf in rules for r in cf.rules)


def test_indicator_register_names_its_source_cell_and_fits_its_text(inbox, tmp_path):
    """绩效指标 names each indicator's cell as text; 错误报告 keeps the links (one per finding)."""
    out = tmp_path / "o.xlsx"
    result = run_and_write(inbox, out)
    ws = openpyxl.load_workbook(out)["绩效指标"]
    cells = [c.value for c in column(ws, "单元格")]
    assert cells == [ind.cell for form in result.projects for ind in form.indicators]
    assert all(c.hyperlink is None for c in column(ws, "单元格"))
    for head, cap in (("三级指标", 40), ("单元格", 8)):
        values = [c.value for c in column(ws, head) if c.value]
        letter = openpyxl.utils.get_column_letter(headers(ws).index(head) + 1)
        need = max([display_width(head)] + [display_width(str(v)) for v in values])
        fitted = min(need, cap) + 2  # xlsxwriter stores it with Excel's padding (under one unit)
        assert fitted <= ws.column_dimensions[letter].width < fitted + 1, head
    # a wrapped 三级指标 longer than its column gets a taller row
    longest = max(range(len(values)), key=lambda i: display_width(str(values[i])))
    if display_width(str(values[longest])) > 42:
        assert ws.row_dimensions[longest + 2].height > 20
