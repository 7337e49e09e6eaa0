"""The seed department over three years, for the comparison with last year (issue 16).

``build_year(folder, 2022)`` is the seed as filed (without 网络开发建设, which is new in
2023); ``build_year(folder, 2023)`` is the next year's filing, in which:

- 党建工作: 制作发放《发展党员工作手册》 =4000 → =3000 (lowered, P01); its 质量指标 row
  “三会一课”… is dropped with nothing in its place (P02); 人才工作: 宣讲活动 ≥20 → ≥25 (raised);
- 宣传与推广 is not filed again (未再申报);
- 干部工作: 年度资金 +40 % with every indicator copied (P03);
- 网络开发建设 (new) carries 上年结转资金 90,000 元 with no 2022 record (P04);
  青年干部培养 (new) carries none;
- ``build_year(folder, 2021)`` equals 2022's targets: with both given, unchanged
  quantitative targets are the same for the third year (P05).

``build_year(folder, 2023, unchanged=True)`` is the 2022 filing re-dated: every P rule quiet.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from budget_xls.template import ProjectSpec, WorkbookSpec, write_workbook
from tests import seed_data as seed

NEW_PROJECT = dict(
    sheet="青年干部培养",
    fields=dict(name="青年干部培养", category="经常性项目", supervisor=seed.ORG, implementer=seed.ORG,
                total=200000, fiscal=200000, other=0, annual=200000, appropriation=200000, carryover=0,
                annual_other=0, goal_total="开展青年干部培养计划，举办培训班2期。", goal_year="11月底前完成。"),
    indicators=[("产出指标", "数量指标", "青年干部培训班", "=2期"), (None, "时效指标", "培训完成时间", "及时"),
                ("效益指标", "社会效益指标", "青年干部能力提升", "提升"),
                ("满意度指标", "服务对象满意度指标", "参训干部满意度", "≥90%")],
    narrative=dict(seed.DANGJIAN["narrative"]),
)


def _dated(project: dict, year: int) -> dict:
    p = copy.deepcopy(project)
    p["fields"]["start"], p["fields"]["end"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return p


def _replace(indicators: list, name: str, raw) -> list:
    return [(a, b, c, raw if c == name else d) for a, b, c, d in indicators]


def projects_of(year: int, unchanged: bool = False) -> list[dict]:
    base = [seed.DANGJIAN, seed.GANBU, seed.RENCAI, seed.XUANCHUAN, seed.YUNWEI]
    if year <= 2022 or unchanged:
        return [_dated(p, year) for p in base]
    dangjian, ganbu, rencai, yunwei = (_dated(p, year) for p in (seed.DANGJIAN, seed.GANBU, seed.RENCAI, seed.YUNWEI))
    dangjian["indicators"] = [row for row in _replace(dangjian["indicators"], "制作发放《发展党员工作手册》", "=3000")
                              if row[2] != "“三会一课”、主题党日、发展党员等党建基础性工作"]
    rencai["indicators"] = _replace(rencai["indicators"], "人才宣讲活动", "≥25")
    for key in ("total", "fiscal", "annual", "appropriation"):
        ganbu["fields"][key] = 7093024  # 5,066,446 × 1.4
    return [dangjian, ganbu, rencai, yunwei, _dated(seed.KAIFA, year), _dated(NEW_PROJECT, year)]


def build_year(folder: Path, year: int, unchanged: bool = False) -> Path:
    """One workbook per project, as the sub-units return them."""
    folder.mkdir(parents=True, exist_ok=True)
    for p in projects_of(year, unchanged):
        spec = ProjectSpec(sheet=p["sheet"], fields=dict(p["fields"]), indicators=list(p["indicators"]),
                           narrative=dict(p["narrative"]))
        write_workbook(folder / f"{p['sheet']}.xlsx", WorkbookSpec(year=year, projects=[spec]))
    return folder
