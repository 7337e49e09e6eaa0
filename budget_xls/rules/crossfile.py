"""X: checks across files (emitted by the consolidation run, not per form)."""

from __future__ import annotations

from budget_xls.rules import rule


@rule("X01", "error", "项目重复", "项目“{name}”（实施单位：{implementer}）出现在多处：{places}",
      "同一项目只应提交一次；请确认哪一份为准并删除其余。", scope="run")
def x01_duplicate_project():
    """The same project (实施单位 + 项目名称) appears in two places, in one file or in two.

    budget-xls never picks one silently: every place is named, and each gets a finding.

    Why: a resubmission or a copied sheet would count the money twice.

    Bad: 组织科.xlsx and 组织科(修改).xlsx both hold 党建工作 of the same 实施单位.
    Good: only the corrected file is in the folder.
    """
