"""Why a file is refused: every reason R01 can give, in one place, beside ``limits.py``.

Each function returns the plain Chinese reason a coordinator reads in 文件清单 and in
the R01 finding: what is wrong with the file and what the sender should do. The checks
themselves live where the bytes are (``reader``, ``sniff``, ``engine``, ``ingest``);
their wording lives here, so it stays consistent and the limits it quotes are the ones
in force.
"""

from __future__ import annotations

from budget_xls import limits

_MB = 1048576


class ReadError(Exception):
    """The file cannot be read as a workbook; ``str(e)`` is a Chinese reason for people."""


# ---------------------------------------------------------------- what the bytes are (sniff)

EMPTY = "文件是空的（0 字节），请重新保存后提交"
ENCRYPTED = "文件设置了打开密码（已加密），无法读取：请取消密码后重新提交"
WORD_DOC = "这是 Word 文档（.doc），不是 Excel 工作簿：请提交申报表工作簿"
OLE_NO_BOOK = "文件是 Office 复合文档，但其中没有工作簿（可能已加密或损坏）：请取消密码、重新保存后提交"
XML_2003 = "这是 Excel 2003 XML 表格，不是 .xlsx/.xls 工作簿：请在 Excel/WPS 中打开后“另存为”.xlsx 再提交"
HTML = "这是网页（HTML/XML）文件改了扩展名，不是真正的工作簿：请在 Excel/WPS 中打开后“另存为”.xlsx 再提交"
PDF = "这是 PDF 文件，不是工作簿：请提交可编辑的申报表工作簿（.xlsx/.xls）"
UNKNOWN_FORMAT = "文件内容不是 Excel 工作簿（格式无法识别，可能已损坏或不是表格文件）：请重新保存为 .xlsx 后提交"
ZIP_NOT_BOOK = {
    "word/document.xml": "这是 Word 文档（.docx），不是 Excel 工作簿：请提交申报表工作簿",
    "ppt/presentation.xml": "这是 PowerPoint 演示文稿，不是 Excel 工作簿：请提交申报表工作簿",
}
BIFF5_TEXT = ("这是 Excel 95 格式的旧版工作簿（BIFF5），其中的中文无法正确读取（读出来是乱码），未读取："
              "请在 Excel/WPS 中打开后“另存为”.xlsx（或 Excel 97-2003 .xls）再提交")
ZIP_OTHER = "文件是压缩包，但不是 Excel 工作簿：请提交申报表工作簿（.xlsx/.xls）"

# ---------------------------------------------------------------- damaged packages

ZIP_TRUNCATED = "文件已损坏（压缩包不完整或被截断），无法读取：请在 Excel/WPS 中重新保存后提交"
ZIP_UNREADABLE = "文件已损坏（压缩包中的内容无法解压），无法读取：请在 Excel/WPS 中重新保存后提交"
ENTITY_BOMB = ("文件中含有 XML 实体定义（Excel/WPS 不会这样保存，可能是“实体炸弹”），未读取："
               "请在 Excel/WPS 中重新保存后提交")


def reader_failed(exc: BaseException, kind: str = "") -> str:
    """The reader (python-calamine) refused or panicked: say so plainly, keep its words short."""
    text = f"{type(exc).__name__}: {exc}"
    if type(exc).__name__ == "PanicException":
        return ("工作簿中有读取器无法处理的内容（如超出范围的日期或数值），无法读取："
                f"请检查日期单元格后在 Excel/WPS 中重新保存提交（{text[:120]}）")
    low = text.lower()
    if "password" in low or "encrypt" in low:
        return ENCRYPTED
    if kind == "zip" or "zip" in low or "eof" in low or "corrupt" in low or "invalid" in low:
        return f"文件已损坏，无法作为工作簿读取：请在 Excel/WPS 中重新保存后提交（{text[:120]}）"
    return f"无法读取工作簿：请在 Excel/WPS 中重新保存后提交（{text[:160]}）"


def cannot_open(exc: OSError) -> str:
    return f"无法打开文件：{os_reason(exc)}"


# ---------------------------------------------------------------- what the operating system said

_OS_REASONS = {
    "EACCES": "没有访问权限", "EPERM": "操作不被允许（没有权限）", "ENOENT": "文件或文件夹不存在",
    "ENOSPC": "磁盘空间不足", "EDQUOT": "超出磁盘配额", "EROFS": "所在磁盘为只读",
    "ENAMETOOLONG": "文件名过长", "EISDIR": "这是一个文件夹", "ENOTDIR": "路径中有一段不是文件夹",
    "EBUSY": "文件正被占用", "ETXTBSY": "文件正被占用", "EEXIST": "文件已存在", "EIO": "磁盘读写错误",
    "EMFILE": "打开的文件过多", "ENFILE": "打开的文件过多", "EXDEV": "不能跨磁盘移动",
    "ELOOP": "符号链接循环", "EINVAL": "文件名或参数无效", "ENOTEMPTY": "文件夹不是空的",
    "ESTALE": "网络共享上的文件已失效", "ETIMEDOUT": "网络共享超时", "EFBIG": "文件过大",
}


def os_reason(exc: BaseException) -> str:
    """An OSError in Chinese ("磁盘空间不足"); the system's own words in brackets for the rarer ones."""
    import errno as _errno

    code = getattr(exc, "errno", None)
    name = _errno.errorcode.get(code, "") if isinstance(code, int) else ""
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"系统错误（{detail}）"


# ---------------------------------------------------------------- sizes (limits.py)


def file_too_big(size: int) -> str:
    return (f"文件过大（{size / _MB:.1f} MB，上限 {limits.MAX_FILE_BYTES // _MB} MB），"
            "不像是申报表：请删除无关内容后重新提交")


def package_too_big() -> str:
    return f"文件解压后超过 {limits.MAX_PACKAGE_BYTES // _MB} MB，不像是申报表（可能是压缩炸弹），未读取"


def sheet_part_too_big() -> str:
    return f"工作表数据超过 {limits.MAX_SHEET_PART // _MB} MB，不像是申报表，未读取"


def sheet_extent(name: str, rows: int, cols: int) -> str:
    return (f"工作表“{name}”的使用范围异常大（有数据的单元格到第 {rows} 行、第 {cols} 列），无法安全读取："
            "请删除表格末尾多余的行和列后重新保存")


def ods_extent(index: int, rows: int, cols: int) -> str:
    return (f"第 {index} 个工作表的使用范围异常大（有数据的单元格到第 {rows} 行、第 {cols} 列），无法安全读取："
            "请删除表格末尾多余的行和列后重新保存")


def too_many_cells(name: str) -> str:
    return f"工作表“{name}”的单元格过多（超过 {limits.MAX_CELLS_PER_SHEET} 个），不是申报表"


def too_many_merges(name: str, count: int) -> str:
    return f"工作表“{name}”的合并单元格过多（{count} 个，上限 {limits.MAX_MERGED_RANGES}）"


def merged_area_too_big(name: str) -> str:
    return (f"工作表“{name}”的合并单元格覆盖的范围过大（合计超过 {limits.MAX_MERGED_CELLS} 个单元格，"
            "申报表远小于此，可能是异常文件），未读取：请取消多余的合并单元格后重新保存提交")


def project_sheet_too_big(name: str, rows: int, cols: int) -> str:
    return (f"项目表“{name}”的数据区域过大（到第 {rows} 行、第 {cols} 列；申报表上限 {limits.MAX_ROWS} 行、"
            f"{limits.MAX_COLS} 列），未读取：请删除表格下方或右侧多余的内容后重新保存")


# ---------------------------------------------------------------- the reading worker


def crashed() -> str:
    return "读取时程序异常退出（文件可能已损坏或含有异常内容），未读取：请在 Excel/WPS 中重新保存后提交"


def timed_out(seconds: float) -> str:
    return f"读取超时（超过 {seconds:g} 秒），未读取：文件可能过大或含有异常内容，请删除无关内容后重新保存提交"


def over_run_budget(rows: int, left: int) -> str:
    return (f"本次汇总的数据量超出内存预算（此文件有 {rows} 行项目、指标和问题，本次运行还能容纳 {max(left, 0)} 行；"
            f"上限约 {limits.MAIN_MEMORY_BYTES // _MB // 1024} GB 内存），未汇总：请把收件文件夹分成几批分别汇总")


OUT_OF_MEMORY = "读取时内存不足（文件内容异常庞大），未读取：请删除无关内容后重新保存提交"


def internal_error(exc: BaseException) -> str:
    return f"程序内部错误，未能读取（{type(exc).__name__}: {str(exc)[:120]}）"
