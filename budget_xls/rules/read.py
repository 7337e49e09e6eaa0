"""R: whether a file and its cells can be read at all."""

from __future__ import annotations

from budget_xls import fields
from budget_xls.model import FileResult, ProjectForm
from budget_xls.rules import Context, Hit, RunFacts, rule
from budget_xls.discover import REVIEW_SHEET
from budget_xls.vocab import KNOWN_TEMPLATE_VERSIONS


@rule("R01", "error", "文件无法读取", "文件无法读取：{reason}",
      "请确认文件是 Excel 工作簿（.xlsx/.xls），未加密、未损坏，重新保存后再提交。", scope="file")
def r01_unreadable(result: FileResult):
    """The file cannot be read as a workbook: corrupt, encrypted, or not a workbook at all.

    Why: an unreadable file hides every project it was meant to carry; the sender must
    resend it. The run goes on with the other files.

    Bad: a .xlsx saved with an opening password; an HTML page renamed to .xls.
    Good: the template saved by Excel or WPS without a password.
    """
    if result.record.status == "unreadable":
        yield Hit(fields={"reason": result.record.reason})


@rule("R02", "error", "工作簿中没有申报表", "工作簿中没有找到项目申报表（工作表：{sheets}）",
      "每个项目应有一张申报表：含“项目名称”等栏目和绩效指标表（一级指标、二级指标、三级指标、指标值）；"
      "请确认提交的是申报表工作簿，可使用下发的模板，或官方格式的申报表。", scope="file")
def r02_no_project_sheet(result: FileResult):
    """The workbook has no sheet that carries the form's labels (项目名称 and the indicator header).

    Why: a workbook without a project form contributes nothing, and usually means the
    wrong file was sent.

    A sheet that looks like a form but yields no project is R06 instead (it names what is missing).

    Bad: a workbook with only a 说明 sheet.
    Good: a workbook with one 项目 sheet per project.
    """
    if result.record.status == "no_projects" and not result.formlike:
        yield Hit(fields={"sheets": "、".join(result.other_sheets) or "无"})


@rule("R03", "warning", "公式没有计算结果", "单元格是公式但没有保存计算结果，按缺失处理（{field}）",
      "请在 Excel/WPS 中打开文件、重新计算并保存，或把公式改为数值。")
def r03_uncached_formula(form: ProjectForm, ctx: Context):
    """A formula cell has no cached value, so its value is unknown (treated as missing, never 0).

    Why: files produced by scripts often hold formulas that were never calculated; reading
    them as 0 would hide real amounts.

    Bad: 项目资金总额 `=C7+C9` saved by a script without a value.
    Good: the same formula saved by Excel or WPS (the computed value is stored), or a plain number.
    """
    for key, f in form.fields.items():
        if f.error == "uncached":
            yield Hit(cell=f.cell, fields={"field": fields.display(key)})
    if form.budget_total.error == "uncached":
        yield Hit(cell=form.budget_total.cell, fields={"field": "年度预算安排合计"})
    for cell, what in form.uncached:
        yield Hit(cell=cell, fields={"field": what})


@rule("R04", "warning", "申报表年度与预算年度不一致",
      "申报表标注的年度为 {form_year} 年，本次汇总的预算年度为 {year} 年",
      "请确认使用的是 {year} 年度的申报表，并修改表头的年度。", scope="run")
def r04_year_mismatch(facts: RunFacts):
    """The form's "(2022 年度)" header names another year than the run's budget year.

    The budget year comes from --year, or from the year most forms name.

    Why: a form of last year's round sent by mistake would be checked against the wrong year.

    Bad: a "(2021 年度)" form among 2022 forms.
    Good: every form says "(2022 年度)".
    """
    for f in facts.projects:
        if f.year and f.year != facts.year:
            yield Hit(file=f.file, sheet=f.sheet, cell=f.year_cell, project=f.name, value=f.year, position=f.position,
                      fields={"form_year": f.year, "year": facts.year})


@rule("R05", "warning", "模板版本无法识别",
      "工作簿标注的模板版本“{version}”不是本工具认识的版本（认识的版本：{known}），已按表中标签读取",
      "请使用最新下发的模板重新填报；如确为新模板，请升级 budget-xls。", scope="file")
def r05_unknown_template_version(result: FileResult):
    """The workbook carries a template stamp (the defined name 模板版本) of a version this
    budget-xls does not know.

    A workbook without a stamp (the official form as WPS/Excel export it) is read the same
    way and gets no finding: the stamp only speeds up reading, labels are always checked.

    Why: a stamp from a newer or hand-edited template may place fields elsewhere; its
    defined names are still checked against the labels, but the sender should know the
    file was not filled in the template this round expects.

    Bad: 模板版本 = "BXT-9" (a template budget-xls never issued).
    Good: 模板版本 = "BXT-1", or no stamp at all (the official layout).
    """
    version = result.record.template_version
    if result.record.status != "skipped" and version and version not in KNOWN_TEMPLATE_VERSIONS:
        yield Hit(value=version, fields={"version": version, "known": "、".join(sorted(KNOWN_TEMPLATE_VERSIONS))})


@rule("R06", "error", "工作表像申报表但未读出项目", "工作表“{sheet_name}”像是申报表（{why}），未能读出项目",
      "请检查该表是否被删改了表头：申报表应有“项目名称”栏和绩效指标表表头（一级指标、二级指标、三级指标、指标值）；"
      "如是官方格式，请勿合并或删除这些标签单元格。", scope="file")
def r06_formlike_sheet(result: FileResult):
    """A sheet whose title or labels say it is a form, but from which no project could be read.

    Nothing is dropped silently: the sheet is named with what it has (its title, its labels)
    and what is missing (the indicator table header, the 项目名称 label).

    Why: a form the reader cannot recognise is a project missing from the consolidation; the
    coordinator must know before the finance bureau does.

    Bad: a sheet titled 项目支出绩效目标表 whose indicator header row was deleted.
    Good: the same sheet with 一级指标 | 二级指标 | 三级指标 | 指标值 above the indicators.
    """
    if result.record.status == "skipped":
        return
    for sheet, why in result.formlike.items():
        yield Hit(sheet=sheet, fields={"sheet_name": sheet, "why": why})


_NOT_BOOKS = {
    ".pdf": "PDF 文件", ".ofd": "OFD 版式文件", ".doc": "Word 文档", ".docx": "Word 文档", ".wps": "WPS 文字文档",
    ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".bmp": "图片", ".tif": "图片", ".tiff": "图片", ".gif": "图片",
    ".heic": "图片", ".zip": "压缩包", ".rar": "压缩包", ".7z": "压缩包", ".tar": "压缩包", ".gz": "压缩包",
}


@rule("R07", "warning", "报送的不是工作簿", "“{kind}”不是 Excel 工作簿，未读取：{advice}",
      "请向报送单位索取申报表的 Excel 文件（.xlsx/.xls）。", scope="file")
def r07_not_a_workbook(result: FileResult):
    """A file in the inbox that looks like a submission but is not a workbook: a PDF, a Word
    document, an image (a scan or a photo of the form), an archive, a CSV.

    Archives are not unpacked (a hostile archive could hold anything): the coordinator unpacks
    it and puts the workbooks in the folder.

    Why: a sub-unit that sent a PDF instead of the workbook has submitted nothing that can be
    consolidated; without a finding it would disappear silently unless a roster is given.

    Bad: 组织科.pdf in the inbox.
    Good: 组织科.xlsx.
    """
    import posixpath

    rec = result.record
    if rec.status != "skipped" or rec.duplicate_of:
        return
    name = posixpath.basename(rec.file)
    if name.startswith((".", "~$")):
        return
    kind = _NOT_BOOKS.get(posixpath.splitext(name)[1].lower())
    if kind is None:
        return
    advice = ("请解压后把其中的工作簿放入文件夹，再重新汇总" if kind == "压缩包"
              else "请报送单位改交申报表的 Excel 文件")
    yield Hit(value=name, fields={"kind": kind, "advice": advice})


@rule("R08", "warning", "文件是审核意见副本",
      "该文件是本工具生成的审核意见副本（首个工作表为“审核意见”），已按普通工作簿读取并检查",
      "请确认副本中的问题都已改正；以后请改正原文件后提交，不要提交审核意见副本。", scope="file")
def r08_annotated_copy(result: FileResult):
    """The workbook is one of budget-xls's annotated copies (``--feedback``/``--annotate``),
    sent back by a sub-unit that corrected the copy instead of its original.

    It is read and checked like any workbook (its forms count and are consolidated); only
    the consolidated workbook itself is skipped as our output.

    Why: a sub-unit that fixes the copy is doing what it was asked; skipping its file
    silently would lose its projects (and make --roster call it 未提交). The coordinator
    should still know the file is a copy, with our fills and comments in it.

    Bad: 组织科.xlsx sent back with the 审核意见 sheet still first.
    Good: the sub-unit's own corrected workbook.
    """
    if result.record.annotated_copy and result.record.status != "skipped":
        yield Hit(sheet=REVIEW_SHEET, cell="A1", fields={})


@rule("R09", "error", "单元格显示 Excel 错误值", "“{field}”单元格显示 Excel 错误值 {error}（公式出错），按缺失处理",
      "请在 Excel/WPS 中检查该单元格的公式（引用的单元格被删除会显示 #REF!，除以 0 会显示 #DIV/0!），改正后重新保存。")
def r09_excel_error(form: ProjectForm, ctx: Context):
    """A cell the form needs shows an Excel error (#REF!, #DIV/0!, #N/A, #VALUE! …) instead of a value.

    The value is read as missing (never 0), and this finding takes the place of "为空"
    (S01) or "值为空": the cell is not empty, its formula is broken.

    Why: a 项目资金总额 of #REF! (a deleted row its formula referred to) looks filled on screen
    at a glance; calling it empty would send the sub-unit looking for the wrong mistake.

    Bad: 项目资金总额 `=SUM(C7:C9)` after rows were deleted: #REF!.
    Good: the formula repaired, or the amount typed as a number.
    """
    for key, f in form.fields.items():
        if f.error and f.error.startswith("excel:"):
            yield Hit(cell=f.cell, value=f.error[6:], fields={"field": fields.display(key), "error": f.error[6:]})
    if form.budget_total.error and form.budget_total.error.startswith("excel:"):
        error = form.budget_total.error[6:]
        yield Hit(cell=form.budget_total.cell, value=error, fields={"field": "年度预算安排合计", "error": error})
    for line in form.budget_lines:
        for what, f in (("单价", line.unit_price), ("数量", line.quantity), ("金额", line.amount)):
            if f.error and f.error.startswith("excel:"):
                yield Hit(cell=f.cell, value=f.error[6:],
                          fields={"field": f"年度预算安排第 {line.row + 1} 行{what}", "error": f.error[6:]})
    for cell, what, error in form.excel_errors:
        yield Hit(cell=cell, value=error, fields={"field": what, "error": error})


@rule("R10", "warning", "隐藏行中的内容与可见内容不一致",
      "隐藏的第 {row} 行中“{field}”为“{hidden}”，与可见的“{shown}”（{shown_cell}）不一致，已按可见内容读取",
      "请取消隐藏该行（选中上下两行，右键“取消隐藏”），删除过时的内容，或改正可见内容后删除隐藏行。")
def r10_hidden_row_value(form: ProjectForm, ctx: Context):
    """A field label in a hidden row (项目名称, 实施单位, a date, 项目资金总额 …) whose value differs
    from the one in the visible row, which is the one read.

    Visible content wins: the parser reads labels in visible rows first, so a stale name kept
    in a hidden row never replaces the name the sub-unit sees. Only .xlsx/.xlsm record hidden
    rows where budget-xls can see them.

    Why: the hidden value is still in the file: it prints once the row is unhidden, and another
    reader (or the finance bureau's own tool) may take it for the project's name.

    Bad: row 3 hidden with 项目名称 = 旧项目名称, row 4 visible with 项目名称 = 党建工作经费.
    Good: the hidden row deleted, or holding the same name.
    """
    for cell, key, hidden, shown_cell, shown in form.hidden_values:
        row = int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        yield Hit(cell=cell, value=hidden, fields={"row": row, "field": fields.display(key), "hidden": hidden,
                                                   "shown": shown or "（空）", "shown_cell": shown_cell})


_HIDDEN_STATES = {"hidden": "隐藏", "veryhidden": "深度隐藏（Excel 的“取消隐藏”列表中也看不到）"}


@rule("R11", "info", "申报表在隐藏的工作表中",
      "工作表“{sheet_name}”是{state}的工作表，其中的申报表已读取并汇总",
      "请确认该表的项目确实要申报：要申报的请取消隐藏（右键工作表标签，“取消隐藏”），不申报的请删除该工作表。",
      scope="file")
def r11_hidden_sheet(result: FileResult):
    """A hidden or very hidden sheet holds a form: its projects are read and consolidated like any.

    Very hidden sheets (set from VBA) do not even appear in Excel's 取消隐藏 list.

    Why: nothing in a file is dropped silently, but a coordinator who opens the workbook does
    not see the project; a sub-unit may have hidden an old or withdrawn project instead of
    deleting it. The finding names the sheet so someone decides.

    Bad: a hidden sheet 项目2（旧） with last year's form in it.
    Good: the old sheet deleted, or unhidden when the project is meant to be filed.
    """
    if result.record.status == "skipped":
        return
    for sheet, state in result.hidden_sheets.items():
        yield Hit(sheet=sheet, fields={"sheet_name": sheet, "state": _HIDDEN_STATES.get(state, "隐藏")})
