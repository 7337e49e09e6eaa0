"""Rulebooks: which review rules a run applies, how strictly, and the grade scheme (data only).

A rulebook is chosen with ``--rulebook NAME`` (default ``default``). It can raise or lower
the level of project rules (``severity``), set the thresholds the review rules use, and
holds the scheme that turns a project's findings into a proposed grade (优/良/中/差).
docs/review.md explains each value and its source; to change a threshold, change it
here (or add a preset) and say why in docs/review.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

DIMENSIONS = ("完整性", "相关性", "适当性", "可行性")
GRADES = ("优", "良", "中", "差")  # best first


@dataclass(frozen=True)
class GradeCap:
    """When a project has at least ``at_least`` findings of ``severity`` (restricted to a
    ``dimension`` and/or to ``codes`` when given), its proposed grade is at most ``grade``."""

    grade: str
    severity: str
    at_least: int = 1
    dimension: str | None = None
    codes: tuple[str, ...] = ()
    reason: str = ""  # Chinese; {n} is the count found


# The default scheme (docs/review.md): checked in order, every cap that applies is listed as a
# reason, and the proposed grade is the lowest of them (优 when none applies).
DEFAULT_SCHEME: tuple[GradeCap, ...] = (
    GradeCap("差", "error", 8, reason="错误 {n} 条（≥8 条），申报表基本不可用"),
    GradeCap("中", "error", 1, dimension="完整性", reason="完整性有错误 {n} 条，需退回修改"),
    GradeCap("中", "error", 1, reason="有错误 {n} 条，需退回修改"),
    GradeCap("良", "warning", 1, reason="有警告 {n} 条，宜按意见修改后纳入"),
    GradeCap("良", "info", 1, codes=("Q01",), reason="定量指标占比偏低"),
    GradeCap("良", "info", 3, codes=("Q02",), reason="指标值用语模糊 {n} 处（≥3 处）"),
    GradeCap("良", "info", 1, codes=("C01", "C02"), reason="成本指标与资金不符 {n} 处"),
)


@dataclass(frozen=True)
class Rulebook:
    name: str
    title: str  # Chinese, shown in --help and docs
    source: str  # the guidance it follows
    severity: dict[str, str] = field(default_factory=dict)  # code → error | warning | info
    min_quantified_share: Decimal = Decimal("0.5")  # Q01 below this share of quantitative values
    unit_cost_tolerance: Decimal = Decimal("0.10")  # C02: |单位成本×数量 − 总额| / 总额 allowed
    cost_required: bool = False  # I14's message says the rulebook requires cost indicators
    scheme: tuple[GradeCap, ...] = DEFAULT_SCHEME


PRESETS: dict[str, Rulebook] = {
    "default": Rulebook(
        "default", "通用（2022 年口径）",
        "财预〔2015〕88号《中央部门预算绩效目标管理办法》；成本指标为提示"),
    "central-2021": Rulebook(
        "central-2021", "中央部门（2021 年起）",
        "财预〔2021〕101号：成本指标为第四个一级指标；缺少成本指标、成本与资金不符为警告",
        severity={"I14": "warning", "C01": "warning", "C02": "warning"}, cost_required=True),
    "shanghai-2025": Rulebook(
        "shanghai-2025", "上海市（2025 年起）",
        "上海市 2025 年市级项目绩效目标编报要求：原则上每个项目设置成本指标（经济成本：总成本/单位成本/分项成本），"
        "并与预算金额匹配；缺少成本指标、成本与资金不符为警告",
        severity={"I14": "warning", "C01": "warning", "C02": "warning"}, cost_required=True),
}
DEFAULT = PRESETS["default"]


def get(name: str | None) -> Rulebook:
    """The preset called ``name`` (None → default); KeyError for an unknown name."""
    return DEFAULT if name is None else PRESETS[name]
