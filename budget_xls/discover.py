"""Find the workbooks under a folder: recursive, sorted, deterministic, loop-safe.

Every path found is returned, including the ones to skip (with a reason), so that the
manifest accounts for everything in the inbox.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from budget_xls.textnorm import readable_name

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".et"})
OUTPUT_MARK = b"budget-xls output"


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    rel: str  # relative to the folder, '/' separators
    skip: str | None = None  # reason, when the path is not to be read
    is_file: bool = True
    annotated: bool = False  # an annotated copy of ours, sent back: read, with a warning (R08)


def discover(folder: Path, exclude: frozenset[Path] = frozenset()) -> list[Found]:
    """Every path under ``folder`` (recursively), sorted by its relative path."""
    folder = Path(folder)
    out: list[Found] = []
    seen_dirs: set[tuple[int, int]] = set()
    excluded = {_real(p) for p in exclude}
    _walk(folder, folder, out, seen_dirs, excluded, _real(folder))
    out.sort(key=lambda f: f.rel)
    return _unique_rels(out)


def _unique_rels(found: list[Found]) -> list[Found]:
    """Two odd names that read the same (GBK bytes and the same name in UTF-8) stay two entries."""
    seen: set[str] = {f.rel for f in found}
    if len(seen) == len(found):
        return found
    out, taken = [], set()
    for f in found:
        rel, n = f.rel, 1
        while rel in taken or (rel != f.rel and rel in seen):
            n += 1
            stem, dot, ext = f.rel.rpartition(".")
            rel = f"{stem}（{n}）.{ext}" if dot and "/" not in ext else f"{f.rel}（{n}）"
        taken.add(rel)
        out.append(f if rel == f.rel else Found(f.path, rel, f.skip, f.is_file, f.annotated))
    return out


def _real(p: Path) -> str:
    try:
        return os.path.realpath(p)
    except OSError:
        return str(p)


def _walk(root: Path, folder: Path, out: list[Found], seen: set, excluded: set[str], real_root: str) -> None:
    try:
        st = os.stat(folder)
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        out.append(Found(folder, _rel(root, folder), f"无法打开文件夹：{exc.strerror}", is_file=False))
        return
    for entry in entries:
        path = Path(entry.path)
        rel = _rel(root, path)
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = entry.is_file(follow_symlinks=True)
        except OSError:
            is_dir = is_file = False
        if name.startswith("."):
            out.append(Found(path, rel, "隐藏文件夹，已跳过" if is_dir else "隐藏文件，已跳过", is_file=is_file))
            continue
        if is_dir:
            if entry.is_symlink():
                reason = _symlinked_dir_reason(path, seen, real_root)
                if reason:
                    out.append(Found(path, rel, reason, is_file=False))
                    continue
            if Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
                out.append(Found(path, rel, "这是一个文件夹，不是工作簿（已检查其中的文件）", is_file=False))
            _walk(root, path, out, seen, excluded, real_root)
            continue
        if not is_file:
            if entry.is_symlink():
                out.append(Found(path, rel, "符号链接无法打开（目标不存在或循环），已跳过", is_file=False))
            else:
                out.append(Found(path, rel, "不是普通文件，已跳过", is_file=False))
            continue
        kind = output_kind(path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        skip = _skip_reason(path, name, excluded, kind)
        out.append(Found(path, rel, skip, annotated=skip is None and kind == "annotated"))


def _symlinked_dir_reason(path: Path, seen: set, real_root: str) -> str | None:
    """Why a symlinked folder is not followed, or None to follow it.

    A link to a folder inside the input folder (an ancestor makes a loop; anything else
    would read the same files twice, under two names) is never followed; a link to a
    folder outside is followed once.
    """
    target = _real(path)
    if _is_ancestor(path) or target == real_root:
        return "符号链接指向上级文件夹（循环），已跳过"
    if target.startswith(real_root.rstrip(os.sep) + os.sep):
        return "符号链接指向本文件夹内的另一个文件夹（其中的文件已按原位置读取），已跳过"
    try:
        st = os.stat(path)
    except OSError:
        return "符号链接无法打开，已跳过"
    if (st.st_dev, st.st_ino) in seen:
        return "符号链接指向已读取的文件夹，已跳过"
    return None


def _is_ancestor(path: Path) -> bool:
    try:
        target = os.path.realpath(path)
        here = os.path.realpath(path.parent)
    except OSError:
        return True
    return here == target or here.startswith(target.rstrip(os.sep) + os.sep)


def _rel(root: Path, path: Path) -> str:
    """The path as the run names it: relative, '/'-separated, readable (``textnorm.readable_name``).

    The real path (``Found.path``) keeps the bytes the file system holds; ``rel`` is what
    the outputs list, so a name with GBK bytes or control characters cannot break them.
    """
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return readable_name(rel)


def _skip_reason(path: Path, name: str, excluded: set[str], kind: str | None = None) -> str | None:
    if name.startswith("~$") or name.startswith(".~lock"):
        return "Office 临时锁定文件，已跳过"
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        return "不是工作簿文件，已跳过"
    if _real(path) in excluded:
        return "本工具的输出文件，已跳过"
    if kind == "consolidated":
        return "本工具生成的汇总表，已跳过"
    return None


CONSOLIDATED_SHEETS = frozenset({"汇总", "项目清单", "错误报告", "文件清单"})
REVIEW_SHEET = "审核意见"
ANNOTATED_MARK = b"budget-xls annotated copy"
_MARK_PROPERTY = re.compile(rb'name="budget-xls"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>')
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def is_our_output(path: Path) -> bool:
    """A consolidated workbook this tool wrote (never read as an input, never overwritten blindly)."""
    return output_kind(path) == "consolidated"


def output_kind(path: Path) -> str | None:
    """"consolidated", "annotated" (a copy sent back for correction), or None for anything else.

    Exact: the custom property ``budget-xls`` must hold our value, and the workbook must have
    the structure we write (汇总/项目清单/错误报告/文件清单; 审核意见 first for a copy). A file
    that merely carries a similar property is an ordinary workbook.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            book = zf.getinfo("xl/workbook.xml")
            if info.file_size > 64 * 1024 or book.file_size > 1024 * 1024:
                return None
            mark = _MARK_PROPERTY.search(zf.read(info))
            if mark is None or mark.group(1) not in (OUTPUT_MARK, ANNOTATED_MARK):
                return None
            sheets = [n.decode("utf-8", "replace") for n in _SHEET_NAME.findall(zf.read(book))]
    except Exception:  # not a zip, no such part, a damaged file: not ours
        return None
    if mark.group(1) == OUTPUT_MARK and CONSOLIDATED_SHEETS <= set(sheets):
        return "consolidated"
    if sheets and sheets[0] == REVIEW_SHEET:
        return "annotated"
    return None


def file_stat(path: Path) -> os.stat_result | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) else None
