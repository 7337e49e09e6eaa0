"""Nothing lost, nothing corrupted, nothing left behind (issue 14).

Odd file names, outputs that would land on inputs, interrupted runs and their workers,
outputs as one set with a lock, annotated copies sent back, width variants in X01,
rosters in other encodings, OS errors in Chinese. Each case the way a user meets it:
a real inbox on disk, the CLI as a subprocess where signals are involved.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.dom import minidom

import openpyxl
import pytest

from budget_xls.guards import os_reason
from budget_xls.outputs.atomic import temp_path
from budget_xls.roster import read_roster
from budget_xls.textnorm import readable_name, text_key
from tests.conftest import EXAMPLES, ROOT, load_report

GOOD = ["组织科.xlsx", "干部科.xlsx", "信息网络科.xlsx", "人才工作科（官方格式）.xlsx", "公务员科.xls"]


def cli(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budget_xls", *map(os.fsdecode, args)], capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=300, **kw)


def hashes(folder: Path) -> dict[bytes, str]:
    root = os.fsencode(folder)
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.relpath(p, root)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def leftovers(*folders: Path) -> list[str]:
    """Temporary files (ours) anywhere under the folders."""
    out = []
    for folder in folders:
        for dirpath, _, names in os.walk(os.fsencode(folder)):
            out += [os.fsdecode(n) for n in names if b".tmp" in n or n.endswith(b".bak")]
    return out


def assert_valid_outputs(workbook: Path, report: Path) -> dict:
    """Every XML part of the workbook is well-formed, openpyxl opens it, the JSON parses as UTF-8."""
    with zipfile.ZipFile(workbook) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(zf.read(name))
    openpyxl.load_workbook(workbook)
    return json.loads(report.read_bytes().decode("utf-8"))


def hostile_names_inbox(root: Path) -> tuple[Path, list[bytes]]:
    """The examples under names a shared drive or a Windows zip produces."""
    inbox = root / "inbox"
    inbox.mkdir()
    names = [
        "人才工作科".encode("gbk") + b".xlsx",  # GBK bytes, not UTF-8
        b"\xff\xfe\x80bad.xlsx",  # bytes that are neither UTF-8 nor GB18030
        b"ctl\x01\x1b[31mred\x7f.xlsx",  # control characters (terminal escape, DEL)
        "a#b%20[c]'d 组.xlsx".encode(),  # link metacharacters
        ("长" * 82).encode() + b".xlsx",  # 251 bytes
    ]
    sources = [EXAMPLES / n for n in GOOD[:4]] + [EXAMPLES / GOOD[0]]
    sub = os.path.join(os.fsencode(inbox), "子目录".encode("gbk"))
    os.mkdir(sub)
    for i, (name, src) in enumerate(zip(names, sources)):
        data = src.read_bytes()
        if i == 4:  # not byte-identical to the first copy of 组织科 (X03 would skip it)
            wb = openpyxl.load_workbook(src)
            wb["封面"]["B3"] = "另一份"
            tmp = root / "variant.xlsx"
            wb.save(tmp)
            data = tmp.read_bytes()
        folder = sub if i == 1 else os.fsencode(inbox)
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(data)
    return inbox, names


# ---------------------------------------------------------------- 1, 2: file names are data


def test_hostile_names_are_listed_shown_and_the_outputs_stay_valid(tmp_path):
    inbox, names = hostile_names_inbox(tmp_path)
    before = hashes(inbox)
    out, fb = tmp_path / "out" / "汇总.xlsx", tmp_path / "fb"
    done = cli("consolidate", inbox, "-o", out, "--feedback", fb)
    assert done.returncode == 1, done.stderr.decode()
    report = assert_valid_outputs(out, out.with_suffix(".json"))
    files = [f["file"] for f in report["files"]]
    assert files == sorted(files) and len(files) == 5
    assert "人才工作科.xlsx" in files  # GBK bytes shown as the Chinese a Windows user sees
    assert "ctl␁␛[31mred␡.xlsx" in files  # control characters visible, never raw
    assert "子目录/\\xff\\xfe\\x80bad.xlsx" in files
    assert all(f["status"] == "ok" for f in report["files"]), report["files"]
    assert len(report["projects"]) == sum(f["projects"] for f in report["files"]) == 6  # no project lost
    assert "\x1b" not in done.stdout.decode() + done.stderr.decode()
    # The consolidated workbook links the plain names, and shows the others as text.
    wb = openpyxl.load_workbook(out)
    ws = wb["错误报告"]
    links = {ws.cell(r, 5).value: ws.cell(r, 7).hyperlink for r in range(2, ws.max_row + 1)}  # 文件 → 单元格
    assert links["a#b%20[c]'d 组.xlsx"] is not None
    assert "%23" in links["a#b%20[c]'d 组.xlsx"].target and "%2520" in links["a#b%20[c]'d 组.xlsx"].target
    assert links["人才工作科.xlsx"] is None and links["ctl␁␛[31mred␡.xlsx"] is None
    # Every file with findings got its annotated copy (the 251-byte name too); inputs untouched; no temp left.
    copies = {os.fsdecode(p.relative_to(fb)) for p in fb.rglob("*.xlsx")}
    assert len(copies) == 5 and ("长" * 82 + ".xlsx") in copies
    assert hashes(inbox) == before
    assert leftovers(inbox, tmp_path / "out", fb) == []


def test_readable_name_and_temp_names():
    assert readable_name(os.fsdecode("人才".encode("gbk"))) == "人才"
    assert readable_name("a\x00b\x1fc\x7f") == "a␀b␟c␡"
    assert readable_name("普通 名称.xlsx") == "普通 名称.xlsx"
    long = Path("/x") / (("长" * 83) + ".xlsx")
    assert len(os.fsencode(temp_path(long).name)) <= 255 and temp_path(long).suffix == ".xlsx"


# ---------------------------------------------------------------- 3: outputs checked before reading


def test_report_json_onto_an_input_is_refused_before_anything_is_read(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, inbox)
    before = hashes(inbox)
    for target in (inbox / "组织科.xlsx", inbox / "notes.txt"):
        if target.suffix == ".txt":
            target.write_text("某科室的说明", encoding="utf-8")
            before = hashes(inbox)
        done = cli("consolidate", inbox, "-o", tmp_path / "out" / "a.xlsx", "--report-json", target)
        assert done.returncode == 2
        assert "--report-json" in done.stderr.decode()
        assert hashes(inbox) == before
        assert not (tmp_path / "out" / "a.xlsx").exists()
    same = cli("consolidate", inbox, "-o", tmp_path / "a.xlsx", "--report-json", tmp_path / "a.xlsx")
    assert same.returncode == 2 and "同一个位置" in same.stderr.decode()
    into_inbox = cli("consolidate", inbox, "-o", tmp_path / "a.xlsx", "--feedback", inbox)
    assert into_inbox.returncode == 2 and hashes(inbox) == before


# ---------------------------------------------------------------- 4: interrupts


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_inbox(tmp_path_factory) -> Path:
    """Enough workbooks that reading takes a few seconds with two workers (a workbook reads in
    a few milliseconds: 300 were read before the signal came)."""
    inbox = tmp_path_factory.mktemp("big") / "inbox"
    inbox.mkdir()
    for i in range(2000):
        shutil.copy(EXAMPLES / "干部科.xlsx", inbox / f"科室{i:03}.xlsx")
    return inbox


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)])
def test_an_interrupted_run_leaves_no_worker_no_temp_and_earlier_outputs_as_they_were(big_inbox, tmp_path, sig,
                                                                                      code):
    out = tmp_path / "out" / "汇总.xlsx"
    first = cli("consolidate", EXAMPLES, "-o", out, "-q")
    assert first.returncode == 1
    earlier = hashes(out.parent)
    proc = subprocess.Popen([sys.executable, "-m", "budget_xls", "consolidate", str(big_inbox), "-o", str(out),
                             "-j", "2"], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    workers = _children(proc.pid)
    assert len(workers) == 2
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)  # returns: no worker holds the caller's pipes
    assert proc.returncode == code, err.decode()
    time.sleep(0.5)
    assert [w for w in workers if _alive(w)] == []
    if sig != signal.SIGKILL:
        assert "已有的输出保持原样" in err.decode()
        assert hashes(out.parent) == earlier
        assert leftovers(out.parent) == []
    else:  # the next run takes over the lock the killed one left, with a note
        again = cli("consolidate", EXAMPLES, "-o", out, "-q")
        assert again.returncode == 1
        assert "已接管" in again.stderr.decode()
        assert hashes(out.parent) == earlier and leftovers(out.parent) == []


# ---------------------------------------------------------------- 5: outputs as one set, lock


def test_a_failing_json_or_feedback_leaves_every_earlier_output_byte_identical(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES, inbox)
    out, fb = tmp_path / "out" / "汇总.xlsx", tmp_path / "fb"
    assert cli("consolidate", inbox, "-o", out, "--feedback", fb, "-q").returncode == 1
    earlier = {**hashes(out.parent), **{b"fb/" + k: v for k, v in hashes(fb).items()}}
    (inbox / "干部科.xlsx").unlink()  # a different run: the outputs would change
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    bad_json = cli("consolidate", inbox, "-o", out, "--report-json", blocker / "r.json", "--feedback", fb)
    assert bad_json.returncode == 2 and "无法创建输出文件夹" in bad_json.stderr.decode()
    assert "Not a directory" not in bad_json.stderr.decode()  # the reason is Chinese
    # A foreign file where a copy would go: refused while staging, after the workbook was written to its temp.
    (fb / "信息网络科.xlsx").unlink()
    (fb / "信息网络科.xlsx").write_bytes(b"someone else's file")
    earlier[b"fb/" + "信息网络科.xlsx".encode()] = hashlib.sha256(b"someone else's file").hexdigest()
    bad_fb = cli("consolidate", inbox, "-o", out, "--feedback", fb)
    assert bad_fb.returncode == 2
    assert {**hashes(out.parent), **{b"fb/" + k: v for k, v in hashes(fb).items()}} == earlier
    assert leftovers(out.parent, fb) == []


def test_a_second_run_on_the_same_output_is_stopped_and_a_dead_ones_lock_taken_over(tmp_path):
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    lock = out.with_name(f".{out.name}.budget-xls.lock")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{sleeper.pid}\n{os.uname().nodename}\n")
        busy = cli("consolidate", EXAMPLES, "-o", out)
        assert busy.returncode == 2 and f"进程 {sleeper.pid}" in busy.stderr.decode()
        assert not out.exists() and lock.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    stale_temp = out.with_name(f".汇总.{sleeper.pid}.tmp.xlsx")
    stale_temp.write_bytes(b"half a workbook from a run that died")
    taken = cli("consolidate", EXAMPLES, "-o", out, "-q")
    assert taken.returncode == 1
    assert "已接管" in taken.stderr.decode() and out.exists()
    assert not lock.exists() and not stale_temp.exists()


# ---------------------------------------------------------------- 6: annotated copies sent back


def test_a_corrected_annotated_copy_is_read_with_a_warning_and_counts_for_the_roster(tmp_path):
    fb = tmp_path / "fb"
    assert cli("check", EXAMPLES / "组织科.xlsx", "--annotate", fb).returncode == 1
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fb / "组织科.xlsx", inbox / "组织科.xlsx")  # the sub-unit sent the copy back
    shutil.copy(EXAMPLES / "干部科.xlsx", inbox / "干部科.xlsx")
    roster = tmp_path / "名单.txt"
    roster.write_text("组织科\n干部科\n", encoding="utf-8")
    out = tmp_path / "out" / "汇总.xlsx"
    done = cli("consolidate", inbox, "-o", out, "--roster", roster)
    report = load_report(out.with_suffix(".json"))
    files = {f["file"]: f for f in report["files"]}
    assert files["组织科.xlsx"]["status"] == "ok" and files["组织科.xlsx"]["projects"] >= 1
    assert [f["file"] for f in report["findings"] if f["code"] == "R08"] == ["组织科.xlsx"]
    assert all(e["submitted"] for e in report["roster"])
    # Our consolidated workbook in the inbox is still skipped; a look-alike property is not enough.
    shutil.copy(out, inbox / "上次汇总.xlsx")
    fake = inbox / "仿冒.xlsx"
    wb = openpyxl.load_workbook(EXAMPLES / "信息网络科.xlsx")
    from openpyxl.packaging.custom import StringProperty

    wb.custom_doc_props.append(StringProperty(name="budget-xls", value="budget-xls output (copied)"))
    wb.save(fake)
    again = cli("consolidate", inbox, "-o", tmp_path / "o2" / "a.xlsx")
    files = {f["file"]: f for f in load_report(tmp_path / "o2" / "a.json")["files"]}
    assert files["上次汇总.xlsx"]["status"] == "skipped"
    assert files["仿冒.xlsx"]["status"] == "ok"
    assert done.returncode == again.returncode == 1


# ---------------------------------------------------------------- 8: width variants


def test_width_variants_of_one_project_in_two_files_are_x01(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, project in (("a.xlsx", "ＡＢＣ（２０２２）党建"), ("b.xlsx", "ABC【2022】 党建")):
        wb = openpyxl.load_workbook(EXAMPLES / "组织科.xlsx")
        wb["党建工作"]["B3"] = project  # 项目名称
        wb.save(inbox / name)
    out = tmp_path / "out" / "a.xlsx"
    cli("consolidate", inbox, "-o", out)
    x01 = [f for f in load_report(out.with_suffix(".json"))["findings"] if f["code"] == "X01"]
    assert sorted(f["file"] for f in x01) == ["a.xlsx", "b.xlsx"]
    assert text_key("ＡＢＣ（２０２２）") == text_key("ABC [2022]") == "ABC(2022)"


# ---------------------------------------------------------------- 11: rosters in other encodings


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32",
                                      "gb18030", "utf-8-sig", "big5"])
def test_roster_encodings_and_columns(tmp_path, encoding):
    text = "单位,联系人\n组织科,陈静\n一二科\t张三\n人才工作科\n"
    if encoding == "big5":
        text = "單位,聯繫人\n組織科,陳靜\n一二科\t張三\n人才工作科\n"
    path = tmp_path / "名单.txt"
    path.write_bytes(text.encode(encoding))
    names = read_roster(path).names
    expected = ("組織科" if encoding == "big5" else "组织科", "一二科", "人才工作科")
    assert names == expected


# ---------------------------------------------------------------- 12: OS errors in Chinese


def test_os_errors_read_in_chinese():
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有访问权限"
    assert os_reason(OSError(errno.EPROTO, "Protocol error")).startswith("系统错误")


# ---------------------------------------------------------------- 9: cached Excel errors


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#N/A"])
def test_a_cell_holding_an_excel_error_is_named_so_never_called_empty(tmp_path, error):
    from tests.test_rule_catalogue import excel_error_book

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(excel_error_book(error), inbox / "组织科.xlsx")
    out = tmp_path / "out" / "a.xlsx"
    done = cli("consolidate", inbox, "-o", out)
    assert done.returncode == 1
    report = load_report(out.with_suffix(".json"))
    r07 = [f for f in report["findings"] if f["code"] == "R09"]
    assert len(r07) == 1 and error in r07[0]["message"] and r07[0]["value"] == error
    cell = r07[0]["cell"]
    assert not [f for f in report["findings"] if f["cell"] == cell and f["code"] in ("S01", "S03", "R03")]
    assert report["projects"][0]["funds"]["total"] is None  # missing, never 0
