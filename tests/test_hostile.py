"""A hostile inbox neither crashes, hangs, bloats nor loses anything (issue 7).

The folder is built in code: the good example workbooks beside random bytes, a truncated
zip, an empty file, OLE containers named .xlsx, HTML named .xls, an XML entity bomb, a
zip bomb (1 GiB uncompressed), a value and a formatted blank at XFD1048576, 40,000 merged
ranges, a folder named x.xlsx and a symlink loop. One run of the real command over it
must exit 1, report every good project, report every bad file with its reason, account
for every path, and stay within 2 minutes and 1 GB of memory (the whole process tree).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from budget_xls.template import write_workbook
from tests import seed_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "benchmarks"))
from measure import run_measured  # noqa: E402

GiB = 1 << 30
GOOD_BASE = "组织科.xlsx"  # hostile variants are edits of this workbook


# ---------------------------------------------------------------- builders


def edit_zip(src: Path, dst: Path, edit) -> Path:
    """Copy a workbook, passing every part through ``edit(name, data) -> data | None`` (None drops it)."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = edit(info.filename, a.read(info))
            if data is not None:
                b.writestr(info.filename, data)
    return dst


def project_part(path: Path) -> str:
    """The part name of the first project sheet (not 填表说明/封面)."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', wb):
        if name not in ("填表说明", "封面", "下拉列表"):
            target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
                rf'Target="([^"]+)"[^>]*Id="{rid}"', rels)
            return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
    raise AssertionError("no project sheet")


def add_cell(src: Path, dst: Path, cell_xml: bytes) -> Path:
    part = project_part(src)

    def edit(name, data):
        if name == part:
            return data.replace(b"</sheetData>", b'<row r="1048576">' + cell_xml + b"</row></sheetData>")
        return data

    return edit_zip(src, dst, edit)


def declare_dimension(src: Path, dst: Path, ref: str) -> Path:
    """Declare a used range the sheet does not have (WPS writes A1:A1; a hostile file A1:XFD1048576)."""
    part = project_part(src)

    def edit(name, data):
        if name == part:
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="%s"/>' % ref.encode(), data)
        return data

    return edit_zip(src, dst, edit)


def add_value_at_row(src: Path, dst: Path, row: int) -> Path:
    part = project_part(src)

    def edit(name, data):
        if name == part:
            return data.replace(b"</sheetData>", b'<row r="%d"><c r="A%d"><v>1</v></c></row></sheetData>' % (row, row))
        return data

    return edit_zip(src, dst, edit)


def many_merges(src: Path, dst: Path, count: int) -> Path:
    part = project_part(src)
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (2000 + i, 2000 + i) for i in range(count))
    block = b'<mergeCells count="%d">%s</mergeCells>' % (count, merges)

    def edit(name, data):
        if name != part:
            return data
        data = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>", b"", data, flags=re.S)
        return data.replace(b"</sheetData>", b"</sheetData>" + block, 1)

    return edit_zip(src, dst, edit)


def entity_bomb(src: Path, dst: Path) -> Path:
    """Billion laughs in the shared strings part (and a reference to it in the workbook part)."""
    lol = b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    ) + b"]>"

    def edit(name, data):
        if name in ("xl/sharedStrings.xml", "xl/workbook.xml"):
            head, sep, rest = data.partition(b"?>")
            body = rest if sep else data
            decl = head + sep if sep else b""
            body = body.replace(b"<t>", b"<t>&lol9;", 1) if name.endswith("Strings.xml") else body
            return decl + lol + body
        return data

    return edit_zip(src, dst, edit)


def zip_bomb(src: Path, dst: Path, size: int = GiB) -> Path:
    """A good workbook whose project sheet part is replaced by ``size`` bytes of spaces, streamed."""
    part = project_part(src)
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as b:
        for info in a.infolist():
            if info.filename != part:
                b.writestr(info.filename, a.read(info))
                continue
            with b.open(part, "w", force_zip64=True) as out:
                out.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                          b'spreadsheetml/2006/main"><sheetData>')
                chunk = b" " * (1 << 20)
                for _ in range(size // len(chunk)):
                    out.write(chunk)
                out.write(b"</sheetData></worksheet>")
    return dst


def shared_strings_entity_bomb(src: Path, dst: Path) -> Path:
    """Billion laughs only in the shared strings part, which the package scan does not parse."""
    lol = b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    ) + b"]>"

    def edit(name, data):
        if name == "xl/sharedStrings.xml":
            head, sep, rest = data.partition(b"?>")
            return head + sep + lol + rest.replace(b"<t>", b"<t>&lol9;", 1)
        return data

    return edit_zip(src, dst, edit)


def ods_repeat_bomb(dst: Path, rows: int = 9000, cols: int = 11000) -> Path:
    """A few hundred bytes of .ods that calamine would expand to 99 million cells (6 GB)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="项目1">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = ('<?xml version="1.0"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(dst, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def fake_encrypted(dst: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE container with EncryptedPackage."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    names = "".join(n.ljust(32, "\0") for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    dst.write_bytes(header + names.encode("utf-16-le") + bytes(4096))
    return dst


def good_extra(dst: Path) -> Path:
    """A good workbook not among the examples (its own project name, so nothing is a duplicate)."""
    project = dict(seed_data.KAIFA, fields={**seed_data.KAIFA["fields"], "name": "档案数字化（文件夹内）"},
                   sheet="档案数字化")
    spec = seed_data.workbook_spec("信息网络科", [project])
    return write_workbook(dst, spec)


BAD = {
    # relative path → words its reason must contain
    "随机字节.xlsx": "不是 Excel 工作簿",
    "截断.xlsx": "损坏",
    "空文件.xlsx": "空的",
    "加密.xlsx": "密码",
    "网页.xls": "网页",
    "实体炸弹.xlsx": "实体",
    "共享字符串实体炸弹.xlsx": "重新保存",
    "重复单元格炸弹.ods": "范围",
    "压缩炸弹.xlsx": "文件解压后超过 200 MB，不像是申报表（可能是压缩炸弹）",
    "XFD值.xlsx": "范围",
    "四万合并.xlsx": "合并单元格",
    "第六千行有值.xlsx": "数据区域过大",
    "第一百万行有值.xlsx": "数据区域过大",
}


def build_hostile_inbox(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for p in EXAMPLES.iterdir():
        shutil.copy2(p, folder / p.name)
    base = EXAMPLES / GOOD_BASE
    rnd = random.Random(7)
    (folder / "随机字节.xlsx").write_bytes(rnd.randbytes(20_000))
    data = base.read_bytes()
    (folder / "截断.xlsx").write_bytes(data[: len(data) // 2])
    (folder / "空文件.xlsx").write_bytes(b"")
    # A real .xls named .xlsx (WPS does this): readable. A sector of padding makes its bytes
    # differ from the example's, which would otherwise be skipped as a resubmission (X03).
    (folder / "旧格式改名.xlsx").write_bytes((EXAMPLES / "公务员科.xls").read_bytes() + bytes(512))
    fake_encrypted(folder / "加密.xlsx")
    (folder / "网页.xls").write_text("<html><body><table><tr><td>项目名称</td><td>党建工作</td></tr></table>"
                                    "</body></html>", encoding="utf-8")
    entity_bomb(base, folder / "实体炸弹.xlsx")
    shared_strings_entity_bomb(base, folder / "共享字符串实体炸弹.xlsx")
    zip_bomb(base, folder / "压缩炸弹.xlsx")
    ods_repeat_bomb(folder / "重复单元格炸弹.ods")
    add_cell(base, folder / "XFD值.xlsx", b'<c r="XFD1048576"><v>1</v></c>')
    add_cell(base, folder / "XFD空白格式.xlsx", b'<c r="XFD1048576" s="1"/>')
    many_merges(base, folder / "四万合并.xlsx", 40_000)
    add_value_at_row(base, folder / "第六千行有值.xlsx", 6000)
    add_value_at_row(base, folder / "第一百万行有值.xlsx", 1_000_000)
    declare_dimension(base, folder / "声明范围A1.xlsx", "A1:A1")
    declare_dimension(base, folder / "声明范围XFD.xlsx", "A1:XFD1048576")
    (folder / "x.xlsx").mkdir()
    good_extra(folder / "x.xlsx" / "文件夹里的工作簿.xlsx")
    os.symlink(".", folder / "循环链接")
    (folder / "说明.txt").write_text("请各科室于10月底前报送", encoding="utf-8")
    return folder


def every_path(folder: Path) -> set[str]:
    """Every file, symlink and workbook-named folder under ``folder`` (not following links)."""
    out = set()
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink() or p.is_file() or name.endswith(".xlsx"):
                out.add(rel)
    return out


# ---------------------------------------------------------------- the run


@pytest.fixture(scope="module")
def example_projects(tmp_path_factory):
    """The projects a run over the bare examples reports: the hostile run must report them all."""
    out = tmp_path_factory.mktemp("examples") / "汇总.xlsx"
    subprocess.run([sys.executable, "-m", "budget_xls", "consolidate", str(EXAMPLES), "-o", str(out), "-q"],
                   check=False, capture_output=True)
    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["projects"]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    inbox = build_hostile_inbox(tmp / "inbox")
    out = tmp / "out" / "汇总.xlsx"
    cmd = [sys.executable, "-m", "budget_xls", "consolidate", str(inbox), "-o", str(out)]
    run = run_measured(cmd, timeout=300, cwd=tmp)
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return inbox, out, run, report


def test_exit_1_within_two_minutes_and_1_gb(hostile_run):
    _, out, run, _ = hostile_run
    assert run.returncode == 1, run.stderr
    assert out.exists()
    assert run.seconds < 120, f"took {run.seconds:.1f} s"
    assert run.peak_rss < GiB, f"peak memory {run.peak_rss / 2**20:.0f} MB"


def test_stdout_holds_only_the_summary(hostile_run):
    _, _, run, _ = hostile_run
    assert "Traceback" not in run.stderr
    assert run.stdout.startswith("预算年度：2022")


def test_every_good_project_is_reported(hostile_run, example_projects):
    _, _, _, report = hostile_run
    expected = {(p["file"], p["sheet"], p["name"]) for p in example_projects}
    assert len(expected) == 6
    got = {(p["file"], p["sheet"], p["name"]) for p in report["projects"]}
    assert expected - got == set()
    assert "档案数字化（文件夹内）" in {p["name"] for p in report["projects"]}
    by_file = {f["file"]: f for f in report["files"]}
    for p in EXAMPLES.iterdir():
        assert by_file[p.name]["status"] == "ok", by_file[p.name]
    assert by_file["x.xlsx/文件夹里的工作簿.xlsx"]["status"] == "ok"
    assert by_file["旧格式改名.xlsx"]["status"] == "ok"


def test_the_renamed_xls_is_read_like_the_original(hostile_run):
    _, _, _, report = hostile_run
    original = [(p["sheet"], p["name"]) for p in report["projects"] if p["file"] == "公务员科.xls"]
    renamed = [(p["sheet"], p["name"]) for p in report["projects"] if p["file"] == "旧格式改名.xlsx"]
    assert original and renamed == original


@pytest.mark.parametrize("rel", sorted(BAD))
def test_each_bad_file_is_reported_with_its_reason(hostile_run, rel):
    _, _, _, report = hostile_run
    entry = next(f for f in report["files"] if f["file"] == rel)
    words = BAD[rel]
    assert entry["status"] == "unreadable", entry
    assert words in entry["reason"], entry["reason"]
    r01 = [f for f in report["findings"] if f["code"] == "R01" and f["file"] == rel]
    assert len(r01) == 1 and entry["reason"] in r01[0]["message"]


def test_formatted_blank_at_xfd_is_harmless(hostile_run):
    """A formatted empty cell at XFD1048576 holds no value: the form is read, nothing is sized from it."""
    _, _, _, report = hostile_run
    entry = next(f for f in report["files"] if f["file"] == "XFD空白格式.xlsx")
    assert entry["status"] == "ok", entry
    assert any(p["file"] == "XFD空白格式.xlsx" and p["name"] == "党建工作" for p in report["projects"])


@pytest.mark.parametrize("rel", ["声明范围A1.xlsx", "声明范围XFD.xlsx"])
def test_the_declared_dimension_is_never_trusted(hostile_run, example_projects, rel):
    """WPS declares A1:A1 for a full sheet; a hostile file declares the whole grid. Both read in full."""
    _, _, _, report = hostile_run
    entry = next(f for f in report["files"] if f["file"] == rel)
    assert entry["status"] == "ok", entry
    read = next(p for p in report["projects"] if p["file"] == rel)
    original = next(p for p in example_projects if p["file"] == GOOD_BASE)
    assert read["name"] == original["name"] and read["indicators"] == original["indicators"]
    assert read["funds"] == original["funds"]


def test_folder_and_symlink_loop_are_skipped_with_reasons(hostile_run):
    _, _, _, report = hostile_run
    by_file = {f["file"]: f for f in report["files"]}
    assert by_file["x.xlsx"]["status"] == "skipped" and "文件夹" in by_file["x.xlsx"]["reason"]
    assert by_file["循环链接"]["status"] == "skipped" and "循环" in by_file["循环链接"]["reason"]
    assert by_file["说明.txt"]["status"] == "skipped"


def test_nothing_is_lost(hostile_run):
    inbox, out, _, report = hostile_run
    listed = [f["file"] for f in report["files"]]
    assert len(listed) == len(set(listed))
    assert every_path(inbox) - set(listed) == set()
    assert all(f["status"] in ("ok", "unreadable", "no_projects", "skipped") for f in report["files"])
    assert all(f["reason"] for f in report["files"] if f["status"] != "ok")
    # Every project sheet of a readable file is in projects (or a located finding names it).
    for f in report["files"]:
        if f["status"] == "ok":
            assert f["projects"] == sum(1 for p in report["projects"] if p["file"] == f["file"]), f
    # 文件清单 holds one row per path; the 汇总 reconciliation line adds up.
    wb = openpyxl.load_workbook(out, read_only=True, data_only=True)
    files_rows = [r for r in wb["文件清单"].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    assert len(files_rows) == len(listed)
    summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(summary) if "找到文件" in r)
    cols = summary[head]
    values = dict(zip(cols, summary[head + 1]))
    assert values["找到文件"] == len(listed)
    assert values["找到文件"] == values["已读取"] + values["无法读取"] + values["已跳过"]
    assert values["核对"] == "一致"
    assert values["读取项目"] == len(report["projects"])
