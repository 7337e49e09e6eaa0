"""X: checks across files, run once over the whole run (``RunFacts``)."""

from __future__ import annotations

from array import array

from budget_xls.rules import Hit, RunFacts, rule
from budget_xls.textnorm import text_key


@rule("X01", "error", "项目重复", "项目“{name}”（实施单位：{implementer}）出现在多处：{places}",
      "同一项目只应提交一次；请确认哪一份为准并删除其余。", scope="run")
def x01_duplicate_project(facts: RunFacts):
    """The same project (实施单位 + 项目名称) appears in two places, in one file or in two.

    Names are compared as ``textnorm.text_key`` sees them: width (ＡＢＣ（２０２２） = ABC(2022)),
    whitespace and the kind of bracket make no difference.

    budget-xls never picks one silently: every place is named, and each gets a finding.

    Why: a resubmission or a copied sheet would count the money twice.

    Bad: 组织科.xlsx and 组织科(修改).xlsx both hold 党建工作 of the same 实施单位.
    Good: only the corrected file is in the folder.
    """
    # Two passes over the forms rather than a list of every project: a large run reads its
    # forms back from disk, and a province's run would hold every project's name here. The
    # first pass keeps 8 bytes a project (the hash of its unit + name); the second takes the
    # places of the hashes seen twice, grouped by the names themselves (a hash shared by two
    # different projects finds nothing).
    def same_as(form) -> tuple[str, str] | None:
        name = form.name
        return (text_key(str(form.get("implementer").value or "")), text_key(name)) if name else None

    hashes = array("q", sorted(hash(k) for k in map(same_as, facts.projects) if k is not None))
    twice = {h for h, after in zip(hashes, hashes[1:]) if h == after}
    groups: dict[tuple[str, str], list[tuple]] = {}
    if twice:
        for form in facts.projects:
            key = same_as(form)
            if key is not None and hash(key) in twice:
                groups.setdefault(key, []).append((form.file, form.sheet, form.get("name").cell, form.name,
                                                   form.position, form.get("implementer").value or "（空）"))
    for places_of in groups.values():
        if len(places_of) < 2:
            continue
        places = "；".join(f"{file}「{sheet}」" for file, sheet, *_ in places_of)
        for file, sheet, cell, name, position, implementer in places_of:
            yield Hit(file=file, sheet=sheet, cell=cell, project=name, position=position,
                      value=name, fields={"name": name, "places": places, "implementer": implementer})


@rule("X02", "warning", "名单中的单位未提交", "名单中的“{unit}”没有提交：封面的填报单位、项目的实施单位和主管部门、无封面文件的文件名中都没有它",
      "请向该单位催报；若已提交，请检查其文件封面的“填报单位”是否与名单一致，或在“文件清单”中查看是否被跳过或无法读取。",
      scope="run")
def x02_roster_missing(facts: RunFacts):
    """A unit on the roster (``--roster``) sent nothing that names it.

    An entry counts as submitted when, after whitespace and full/half-width
    normalisation, it equals a cover sheet's 填报单位, or the 实施单位 or 主管部门 of any
    project read, or (for a workbook without a 填报单位, such as the official layout) the
    name of its file without bracketed notes. Skipped and unreadable files do not count.
    One finding per missing
    entry; the 汇总 sheet lists every entry as 已提交 or 未提交.

    Why: the coordinator has to chase whoever has not sent anything before the deadline.

    Bad: the roster lists 老干部科 and no file in the folder has 老干部科 on its cover.
    Good: 老干部科.xlsx, whose 封面 says 填报单位 = 老干部科, is in the folder.
    """
    if facts.roster is None or facts.roster_entries is None:
        return
    for e in facts.roster_entries:
        if not e.submitted:
            yield Hit(file=facts.roster.file, value=e.name, fields={"unit": e.name})


@rule("X03", "warning", "重复提交的文件", "文件与“{original}”内容完全相同（SHA-256 一致），已跳过，其项目不重复计入",
      "删除重复的文件；若要更新申报内容，请只保留修改后的版本。", scope="run")
def x03_identical_file(facts: RunFacts):
    """Two files in the folder are byte for byte the same (same SHA-256).

    The first one (in path order) is read; every other copy is skipped, listed in 文件清单
    with status 已跳过 and the name of the file it duplicates, and its projects are not
    counted again. A copy that differs by a single byte is read, and its projects then
    meet X01.

    Why: a sub-unit that sends the same workbook twice (or a file saved into two
    sub-folders) would otherwise double its money in the totals.

    Bad: 组织科.xlsx and 重发/组织科.xlsx with the same bytes.
    Good: one copy of 组织科.xlsx.
    """
    for r in facts.results:
        if r.record.duplicate_of:
            yield Hit(file=r.record.file, fields={"original": r.record.duplicate_of})
