"""The form's fields as one table: everything budget-xls knows about a header field.

Each row says how a field is labelled on real forms (the label as printed, its synonyms
after ``textnorm.norm_label``), what kind of value it holds, where it goes in the JSON
report and in the 项目清单 register, where it sits on our template (cell and defined
name) and whether the year's rulebook requires it. The parser, the template, the JSON
report, the workbook's columns and the S-rules all derive from this table: a new field
is one row here plus its place on the template (see docs/architecture.md).

Readers look the table up at call time (``fields.TABLE``), so a test can swap in a
table with one more row and watch it flow through.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of value: how the parser reads the cell and how outputs show it.
TEXT, CHOICE, DATE, MONEY, GOAL = "text", "choice", "date", "money", "goal"


@dataclass(frozen=True, slots=True)
class FormField:
    key: str  # model key and JSON key
    label: str  # the label as printed on the official form
    labels: tuple[str, ...]  # every accepted label, normalised (norm_label)
    kind: str  # text | choice | date | money | goal
    display: str  # how messages name it
    column: str | None = None  # 项目清单 header (None: not a register column)
    width: int = 0  # 项目清单 column cap (0: the column kind's default)
    json: str | None = None  # "top" (a key of the project entry) | "funds" | None
    cell: tuple[int, int] | None = None  # 0-based (row, col) on our template's project sheet
    name: str | None = None  # the template's defined name for that cell
    required: bool = False  # S01 when the form leaves it blank
    side: str | None = None  # money: "life" (whole project) or "year" (budget year) column
    choices: tuple[str, ...] = ()  # choice: allowed values (S02)


# Rows of the template's project sheet that hold the fields (see template.py).
R_NAME, R_SUPERVISOR, R_DATES, R_MONEY, R_GOAL = 2, 3, 4, 5, 10

CATEGORIES = ("经常性项目", "一次性项目")

TABLE: tuple[FormField, ...] = (
    FormField("name", "项目名称", ("项目名称",), TEXT, "项目名称", column="项目名称", width=28, json="top",
              cell=(R_NAME, 1), name="项目名称", required=True),
    FormField("category", "项目类别", ("项目类别", "项目性质"), CHOICE, "项目类别", column="项目类别", width=12,
              json="top", cell=(R_NAME, 4), name="项目类别", required=True, choices=CATEGORIES),
    FormField("supervisor", "主管部门", ("主管部门", "主管单位"), TEXT, "主管部门", column="主管部门", width=20,
              json="top", cell=(R_SUPERVISOR, 1), name="主管部门", required=True),
    FormField("implementer", "实施单位", ("实施单位", "项目实施单位"), TEXT, "实施单位", column="实施单位", width=20,
              json="top", cell=(R_SUPERVISOR, 4), name="实施单位", required=True),
    FormField("start", "计划开始日期", ("计划开始日期", "开始日期", "计划开始时间"), DATE, "计划开始日期",
              column="计划开始\n日期", json="top", cell=(R_DATES, 1), name="计划开始日期", required=True),
    FormField("end", "计划完成日期", ("计划完成日期", "完成日期", "计划完成时间", "计划结束日期"), DATE, "计划完成日期",
              column="计划完成\n日期", json="top", cell=(R_DATES, 4), name="计划完成日期", required=True),
    FormField("total", "项目资金总额", ("项目资金总额",), MONEY, "项目资金总额", column="项目资金\n总额", width=16,
              json="funds", cell=(R_MONEY, 2), name="项目资金总额", required=True, side="life"),
    FormField("fiscal", "其中：财政资金", ("其中:财政资金", "财政资金"), MONEY, "其中：财政资金", column="财政资金",
              width=16, json="funds", cell=(R_MONEY + 1, 2), name="财政资金", required=True, side="life"),
    FormField("other", "其他资金", ("其他资金",), MONEY, "其他资金（项目）", column="其他资金", width=16,
              json="funds", cell=(R_MONEY + 3, 2), name="其他资金", required=True, side="life"),
    FormField("annual", "年度资金申请总额", ("年度资金申请总额",), MONEY, "年度资金申请总额",
              column="年度资金\n申请总额", width=16, json="funds", cell=(R_MONEY, 4), name="年度资金申请总额",
              required=True, side="year"),
    FormField("appropriation", "其中：当年财政拨款", ("其中:当年财政拨款", "当年财政拨款"), MONEY, "其中：当年财政拨款",
              column="当年财政\n拨款", width=16, json="funds", cell=(R_MONEY + 1, 4), name="当年财政拨款",
              required=True, side="year"),
    FormField("carryover", "上年结转资金", ("上年结转资金", "其中:上年结转资金"), MONEY, "上年结转资金",
              column="上年结转\n资金", width=16, json="funds", cell=(R_MONEY + 2, 4), name="上年结转资金",
              required=True, side="year"),
    FormField("annual_other", "其他资金", ("其他资金",), MONEY, "其他资金（年度）", column="年度其他\n资金", width=16,
              json="funds", cell=(R_MONEY + 3, 4), name="年度其他资金", required=True, side="year"),
    FormField("goal_total", "项目总目标", ("项目总目标",), GOAL, "项目总目标", column="项目总目标", width=30,
              cell=(R_GOAL, 1), name="项目总目标", required=True),
    FormField("goal_year", "年度总目标", ("年度总目标",), GOAL, "年度总目标", column="年度总目标", width=30,
              cell=(R_GOAL, 3), name="年度总目标", required=True),
)


def table() -> tuple[FormField, ...]:
    """The field table in force (a module attribute, so tests can swap it)."""
    return TABLE


_BY_KEY: dict[int, dict[str, FormField]] = {}


def by_key() -> dict[str, FormField]:
    t = table()
    found = _BY_KEY.get(id(t))
    if found is None:
        found = _BY_KEY[id(t)] = {f.key: f for f in t}
    return found


def of_kind(*kinds: str) -> tuple[FormField, ...]:
    return tuple(f for f in table() if f.kind in kinds)


def keys_of(*kinds: str) -> tuple[str, ...]:
    return tuple(f.key for f in of_kind(*kinds))


def display(key: str) -> str:
    """How messages name a field (its key when the table does not know it)."""
    f = by_key().get(key)
    return f.display if f else key


def money_keys() -> tuple[str, ...]:
    return keys_of(MONEY)
