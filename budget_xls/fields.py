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

CATEGORIES = ("经常性项目", "一次性项目")  # 项目类别 on the 2022 Shanghai form (and our template)
NATURES = ("经常性项目", "阶段性项目", "一次性项目")  # 项目性质 on the 2025+ Shanghai form

# Labels come from the official Shanghai form and from real forms of other provinces and years
# (tests/real/SOURCES*.md); each tuple is in order of preference, all normalised (norm_label, with
# bracketed qualifiers such as "(万元)" and suffixes such as "及代码" removed: see cells.label_key).
TABLE: tuple[FormField, ...] = (
    FormField("name", "项目名称",
              ("项目名称", "二级项目名称", "项目支出名称", "专项名称", "专项资金名称", "资金名称"), TEXT,
              "项目名称", column="项目名称", width=28, json="top", cell=(R_NAME, 1), name="项目名称",
              required=True),
    FormField("category", "项目类别", ("项目类别", "项目分类"), CHOICE, "项目类别", column="项目类别",
              width=12, json="top", cell=(R_NAME, 4), name="项目类别", required=True, choices=CATEGORIES),
    FormField("nature", "项目性质", ("项目性质",), CHOICE, "项目性质", json="top", choices=NATURES),
    FormField("supervisor", "主管部门",
              ("主管部门", "主管单位", "主管部门名称", "项目主管部门", "业务主管部门", "预算部门", "主管部门单位名称",
               "区级主管部门", "县级主管部门", "市级主管部门"), TEXT,
              "主管部门", column="主管部门", width=20, json="top", cell=(R_SUPERVISOR, 1), name="主管部门",
              required=True),
    FormField("implementer", "实施单位",
              ("实施单位", "项目实施单位", "预算单位", "项目单位", "项目执行单位", "单位名称", "下达地方或单位",
               "项目承担单位", "承担单位", "执行单位"), TEXT,
              "实施单位", column="实施单位", width=20, json="top", cell=(R_SUPERVISOR, 4), name="实施单位",
              required=True),
    FormField("start", "计划开始日期",
              ("计划开始日期", "开始日期", "计划开始时间", "项目开始日期", "项目开始时间", "开始时间"), DATE,
              "计划开始日期", column="计划开始\n日期", json="top", cell=(R_DATES, 1), name="计划开始日期",
              required=True),
    FormField("end", "计划完成日期",
              ("计划完成日期", "完成日期", "计划完成时间", "计划结束日期", "项目完成日期", "项目结束日期",
               "项目完成时间", "结束时间", "完成时间"), DATE,
              "计划完成日期", column="计划完成\n日期", json="top", cell=(R_DATES, 4), name="计划完成日期",
              required=True),
    FormField("total", "项目资金总额",
              ("项目资金总额", "项目总预算", "中期资金总额", "实施期资金总额", "项目总投资", "项目总金额",
               "项目总资金", "项目金额", "资金总额", "总投资", "中期市财政预算", "中期预算资金总额"), MONEY,
              "项目资金总额", column="项目资金\n总额", width=16, json="funds", cell=(R_MONEY, 2),
              name="项目资金总额", required=True, side="life"),
    FormField("fiscal", "其中：财政资金", ("财政资金", "财政拨款", "财政拨款数", "财政性资金"), MONEY,
              "其中：财政资金", column="财政资金", width=16, json="funds", cell=(R_MONEY + 1, 2), name="财政资金",
              required=True, side="life"),
    FormField("other", "其他资金", ("其他资金", "其它资金"), MONEY, "其他资金（项目）", column="其他资金", width=16,
              json="funds", cell=(R_MONEY + 3, 2), name="其他资金", required=True, side="life"),
    FormField("annual", "年度资金申请总额",
              ("年度资金申请总额", "年度资金总额", "当年资金总额", "年度预算资金总额", "当年年度预算", "年度预算",
               "年度预算金额", "年度本级预算金额", "本年度申请市财政预算资金", "本年度申请资金", "预算申报数",
               "年初安排金额", "本年预算数", "预算数", "下达中央预算内投资", "年度资金"), MONEY,
              "年度资金申请总额", column="年度资金\n申请总额", width=16, json="funds", cell=(R_MONEY, 4),
              name="年度资金申请总额", required=True, side="year"),
    FormField("appropriation", "其中：当年财政拨款",
              ("当年财政拨款", "本年财政拨款", "当年财政资金", "当年市级财政资金", "当年本级财政资金", "财政拨款",
               "财政拨款数", "财政资金", "财政性资金", "上级资金"), MONEY,
              "其中：当年财政拨款", column="当年财政\n拨款", width=16, json="funds", cell=(R_MONEY + 1, 4),
              name="当年财政拨款", required=True, side="year"),
    FormField("carryover", "上年结转资金", ("上年结转资金", "上年结转"), MONEY, "上年结转资金",
              column="上年结转\n资金", width=16, json="funds", cell=(R_MONEY + 2, 4), name="上年结转资金",
              required=True, side="year"),
    FormField("annual_other", "其他资金", ("其他资金", "其它资金", "当年其他资金"), MONEY, "其他资金（年度）",
              column="年度其他\n资金", width=16, json="funds", cell=(R_MONEY + 3, 4), name="年度其他资金",
              required=True, side="year"),
    FormField("goal_total", "项目总目标",
              ("项目总目标", "项目总体目标", "总体目标", "中期目标", "中期滚动目标", "实施期绩效目标", "实施期目标",
               "长期目标", "项目总体概况"), GOAL,
              "项目总目标", column="项目总目标", width=30, json="top", cell=(R_GOAL, 1), name="项目总目标",
              required=True),
    FormField("goal_year", "年度总目标",
              ("年度总目标", "年度总体目标", "年度目标", "年度绩效目标", "本年度绩效目标", "年度主要目标和成果",
               "年初设定目标", "预期目标", "绩效目标"), GOAL,
              "年度总目标", column="年度总目标", width=30, json="top", cell=(R_GOAL, 3), name="年度总目标",
              required=True),
)

# A plan period in one cell ("2023年1月-2023年12月", "2021.1-2021.12"): read into start and end.
PERIOD_LABELS = ("项目期", "实施期", "项目实施期", "项目支出实施期", "建设周期", "项目起止时间", "起止时间",
                 "项目周期", "项目实施周期", "实施起止时间", "项目实施时间")


def table() -> tuple[FormField, ...]:
    """The field table in force (a module attribute, so tests can swap it)."""
    return TABLE


# What the readers derive from the table, worked out once per table: (table, derived). The
# parser and the rules ask tens of times per form; the cache follows a swapped-in table.
_DERIVED: tuple[tuple[FormField, ...], dict] = ((), {})


def _derived() -> dict:
    global _DERIVED
    t = table()
    if _DERIVED[0] is not t:
        _DERIVED = (t, {})
    return _DERIVED[1]


def by_key() -> dict[str, FormField]:
    derived = _derived()
    found = derived.get("by_key")
    if found is None:
        found = derived["by_key"] = {f.key: f for f in table()}
    return found


def of_kind(*kinds: str) -> tuple[FormField, ...]:
    derived = _derived()
    found = derived.get(kinds)
    if found is None:
        found = derived[kinds] = tuple(f for f in table() if f.kind in kinds)
    return found


def keys_of(*kinds: str) -> tuple[str, ...]:
    derived = _derived()
    found = derived.get(("keys",) + kinds)
    if found is None:
        found = derived[("keys",) + kinds] = tuple(f.key for f in of_kind(*kinds))
    return found


def display(key: str) -> str:
    """How messages name a field (its key when the table does not know it)."""
    f = by_key().get(key)
    return f.display if f else key


def money_keys() -> tuple[str, ...]:
    return keys_of(MONEY)
