"""The form's vocabulary: field labels and the indicator framework, as data.

Labels here are already in normalised form (see ``textnorm.norm_label``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_xls import fields

TEMPLATE_VERSION = "BXT-1"  # the stamp our template carries; readers trust it first
KNOWN_TEMPLATE_VERSIONS = frozenset({TEMPLATE_VERSION})
VERSION_NAME = "模板版本"  # workbook-scoped defined name holding the stamp

INDICATOR_HEADERS = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "指标名称"),
    "value": ("年度指标值", "指标值", "年度目标值"),
}

NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "项目概述"),
    ("basis", "立项依据"),
    ("implementer", "实施主体"),
    ("plan", "实施方案"),
    ("period", "实施周期"),
    ("budget", "年度预算安排"),
    ("performance", "绩效目标"),
)

BUDGET_HEADERS = {
    "item": ("支出内容", "支出项目", "内容"),
    "basis": ("测算依据", "测算依据及说明"),
    "unit_price": ("单价", "单价(元)"),
    "quantity": ("数量",),
    "amount": ("金额", "金额(元)"),
}

# Labels that mark a form-level cell: a scan for a value stops when it meets one.
FORM_TITLE = "财政项目支出绩效目标申报表"
NARRATIVE_TITLE = "项目经费情况说明"
BLOCK_LABELS = ("项目资金", "项目资金(元)", "项目绩效目标", "绩效指标", "绩效目标")


_LABELS: dict[int, frozenset[str]] = {}


def labels() -> frozenset[str]:
    """Every label that marks a form-level cell (field labels of the table in force, the
    indicator headers, the block labels and the title): a scan for a value stops at one."""
    table = fields.table()
    found = _LABELS.get(id(table))
    if found is None:
        found = set()
        for f in table:
            found.update(f.labels)
        for header in INDICATOR_HEADERS.values():
            found.update(header)
        found.update(BLOCK_LABELS)
        found.add(FORM_TITLE)
        found = _LABELS[id(table)] = frozenset(found)
    return found


# ---------------------------------------------------------------- indicator framework


@dataclass(frozen=True)
class Framework:
    """The indicator levels of one budget year."""

    year_from: int
    levels: dict[str, tuple[str, ...]]  # 一级 → its 二级
    required: tuple[str, ...]  # 一级 that must have at least one indicator
    aliases: dict[str, str]  # normalised alias → canonical name
    # 二级 names of older templates that are still accepted (→ their 一级); never offered in the template
    older: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.aliases.get(name, name)

    def level1_names(self) -> tuple[str, ...]:
        return tuple(self.levels)

    def level2_names(self) -> tuple[str, ...]:
        return tuple(l2 for l2s in self.levels.values() for l2 in l2s)

    def parent_of(self, level2: str) -> str | None:
        for l1, l2s in self.levels.items():
            if level2 in l2s:
                return l1
        return self.older.get(level2)

    def is_level_name(self, text: str | None) -> bool:
        name = self.canonical(text)
        return bool(name) and (name in self.levels or self.parent_of(name) is not None)


_ALIASES = {
    "产出": "产出指标",
    "效益": "效益指标",
    "满意度": "满意度指标",
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
    "环境效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标",
    "社会公众满意度": "服务对象满意度指标",
    "服务对象满意": "服务对象满意度指标",
    "满意度指标(服务对象)": "服务对象满意度指标",
    "时效性指标": "时效指标",
    "数量性指标": "数量指标",
    "质量性指标": "质量指标",
    "成本性指标": "成本指标",
    "可持续性影响指标": "可持续影响指标",
    "可持续发展指标": "可持续影响指标",
    # Older templates (before the 2018 framework settled) and regional wording met on real forms.
    "预期产出指标": "产出指标",
    "产出目标": "产出指标",
    "效果指标": "效益指标",
    "效益目标": "效益指标",
    "预算控制指标": "成本指标",
    "投资规模控制指标": "成本指标",
    "成本控制指标": "成本指标",
    "满意度目标": "满意度指标",
    "服务对象满意度指标等": "服务对象满意度指标",
    "服务对象满意率": "服务对象满意度指标",
    "社会公众满意度指标等": "服务对象满意度指标",
    "建筑规模指标": "数量指标",
    "工期指标": "时效指标",
    "形象进度指标": "时效指标",
    "社会经济生态效益指标": "社会、经济、生态效益指标",
}

# Older 二级 names met on real forms (Guangdong's pre-2019 template): accepted, not offered.
_OLDER = {"社会、经济、生态效益指标": "效益指标"}

FRAMEWORK_2022 = Framework(
    year_from=2000,
    levels={
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    required=("产出指标", "效益指标", "满意度指标"),
    aliases=_ALIASES,
    older=_OLDER,
)

# From 2025 Shanghai makes 成本指标 a 一级 of its own (经济/社会/生态成本).
FRAMEWORK_2025 = Framework(
    year_from=2025,
    levels={
        "产出指标": ("数量指标", "质量指标", "时效指标"),
        "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    required=("产出指标", "成本指标", "效益指标", "满意度指标"),
    aliases={**_ALIASES, "经济成本": "经济成本指标", "社会成本": "社会成本指标",
             "生态环境成本": "生态环境成本指标", "生态成本指标": "生态环境成本指标"},
    # Outside Shanghai, 2025 forms still file 成本指标 under 产出指标 (the 2022 model).
    older={**_OLDER, "成本指标": "产出指标"},
)

# The 2021 central model (财预〔2021〕101号) used before Shanghai's 2025 form: 成本指标 is a 一级 with
# 经济/社会/生态环境成本指标, but (unlike Shanghai 2025) not required; forms that file 成本指标 under
# 产出指标 stay valid. Chosen by a form's own table, not by its year.
FRAMEWORK_COST_LEVEL = Framework(
    year_from=2021,
    levels=FRAMEWORK_2025.levels,
    required=FRAMEWORK_2022.required,
    aliases=FRAMEWORK_2025.aliases,
    older=FRAMEWORK_2025.older,
)

_FRAMEWORKS = (FRAMEWORK_2025, FRAMEWORK_2022)


def framework_for(year: int | None) -> Framework:
    for fw in _FRAMEWORKS:
        if year is not None and year >= fw.year_from:
            return fw
    return FRAMEWORK_2022
