"""上海市普陀区城市管理行政执法局 2026年区级部门预算：财政项目支出绩效目标申报表（拆违经费）."""

from __future__ import annotations

import datetime as dt

from tests.real.kit import put

SOURCE = {
    "publisher": "上海市普陀区城市管理行政执法局",
    "province": "上海",
    "year": 2026,
    "url": "https://github.com/zxj6827111-blip/GovBudgetChecker/blob/c5fdaeae373266e6f1f4318a53e0d04771ebb976/tests/fixtures/chengguan_budget_page_data.json",
    "title": "上海市普陀区2026年区级部门预算（预算主管部门：上海市普陀区城市管理行政执法局），项目经费情况说明 — 财政项目支出绩效目标申报表",
    "truncated": False,
    "notes": (
        "Transcribed from the page text and table grid of the published PDF (24 pages, sha256 c56f4368…) "
        "frozen in GovBudgetChecker's fixture; one project form (拆违经费, last page). Same 2026 Putuo "
        "8-column grid as the 建管委 form, but: 项目总体目标 label carries the period "
        "'项目总体目标\\n(2024 年-2026 年)' (spaces inside), both goal cells start/end with a stray "
        "double quote (CSV export residue, transcribed as printed), column A has '绩效\\n指标' beside the "
        "indicator rows, 成本指标 is a proper 一级 row with 经济成本指标 and a qualitative value (合理). "
        "Dates printed 2024-01-01 / 2026-12-31 (three-year 阶段性项目 inside a 2026 budget: 项目资金总额 "
        "10,308,000.00 cumulative vs 年度 3,498,000.00). 主管部门 is the 执法大队 itself (the same unit as "
        "实施单位, with the '上海市' prefix only on the latter) — odd but as printed. 完成年度拆违计划 is a "
        "数量指标 with a rate value =100.00(%)."
    ),
}

FILE = "上海市普陀区城市管理行政执法局_2026.xlsx"

SHEET = "拆违经费"

GOAL_TOTAL = ("\"1.完成市、区相关部门下达的年度拆违任务。\n2.新增违建“零增长”，坚决做到“无增减存”。\n"
              "3.开展存量违建专项治理，快速降低违建点位数。\n4.开展普查数据平台“拆一件、销一项、存一档”目标管理。\n\"")
GOAL_YEAR = ("\"1.完成市、区相关部门下达的年度拆违任务。\n2.新增违建“零增长”，坚决做到“无增减存”。\n"
             "3.开展存量违建专项治理，快速降低违建点位数。\n4.开展普查数据平台“拆一件、销一项、存一档”目标管理。\"")

MONEY = "#,##0.00"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGH", (6, 12, 16, 22, 16, 18, 12, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "财政项目支出绩效目标申报表", "A1:H1", border=False)
    put(ws, "A2", "（2026年度）", "A2:H2", border=False)
    put(ws, "A3", "项目名称", "A3:B3")
    put(ws, "C3", "拆违经费", "C3:D3")
    put(ws, "E3", "项目性质")
    put(ws, "F3", "阶段性项目", wrap=True)
    put(ws, "G3", "项目类别")
    put(ws, "H3", "特定目标类")
    put(ws, "A4", "主管部门", "A4:B4")
    put(ws, "C4", "普陀区城市管理行政执法局执法大队", "C4:D4", wrap=True)
    put(ws, "E4", "实施单位")
    put(ws, "F4", "上海市普陀区城市管理行政执法局执法大队", "F4:H4", wrap=True)
    put(ws, "A5", "计划开始日期", "A5:B5")
    put(ws, "C5", dt.datetime(2024, 1, 1), "C5:D5", fmt="yyyy-mm-dd")
    put(ws, "E5", "计划完成日期")
    put(ws, "F5", dt.datetime(2026, 12, 31), "F5:H5", fmt="yyyy-mm-dd")
    put(ws, "A6", "项目资金\n（元）", "A6:B9", wrap=True)
    put(ws, "C6", "项目资金总额", "C6:D6")
    put(ws, "E6", 10308000.00, fmt=MONEY)
    put(ws, "F6", "年度资金申请总额", "F6:G6")
    put(ws, "H6", 3498000.00, fmt=MONEY)
    put(ws, "C7", "其中：财政资金", "C7:D7")
    put(ws, "E7", 10308000.00, fmt=MONEY)
    put(ws, "F7", "其中：当年财政拨款", "F7:G7")
    put(ws, "H7", 3498000.00, fmt=MONEY)
    put(ws, "C8", None, "C8:D8")
    put(ws, "E8", None)
    put(ws, "F8", "上年结转资金", "F8:G8")
    put(ws, "H8", 0, fmt=MONEY)
    put(ws, "C9", "其他资金", "C9:D9")
    put(ws, "E9", 0, fmt=MONEY)
    put(ws, "F9", "其他资金", "F9:G9")
    put(ws, "H9", 0, fmt=MONEY)
    put(ws, "A10", "项目\n绩效\n目标", "A10:A11", wrap=True)
    put(ws, "B10", "项目总体目标\n(2024 年-2026 年)", "B10:E10", wrap=True)
    put(ws, "F10", "年度总体目标", "F10:H10")
    put(ws, "B11", GOAL_TOTAL, "B11:E11", wrap=True)
    put(ws, "F11", GOAL_YEAR, "F11:H11", wrap=True)
    ws.row_dimensions[11].height = 90
    put(ws, "A12", "绩效\n指标", "A12:A20", wrap=True)
    put(ws, "B12", "一级指标")
    put(ws, "C12", "二级指标")
    put(ws, "D12", "三级指标", "D12:F12")
    put(ws, "G12", "年度(/项目)指标值", "G12:H12")
    rows = [
        (13, ("成本指标", None), "经济成本指标", "成本控制合理性", "合理"),
        (14, ("产出指标", 16), "数量指标", "完成年度拆违计划", "=100.00(%)"),
        (15, None, "质量指标", "违法建筑销项正确率", "=100.00(%)"),
        (16, None, "时效指标", "新增违建处置率", "=100.00(%)"),
        (17, ("效益指标", 19), "社会效益指标", "群众政策知晓度", "≥90.00(%)"),
        (18, None, "生态效益指标", "提升城市环境美化指数", "提高"),
        (19, None, "可持续影响指标", "新增违建发生数", "降低"),
        (20, ("满意度指标", None), "服务对象满意度指标", "群众满意度", "≥90.00(%)"),
    ]
    for r, l1, l2, name, value in rows:
        if l1 is not None:
            text, end = l1
            put(ws, f"B{r}", text, f"B{r}:B{end}" if end else None)
        put(ws, f"C{r}", l2, wrap=True)
        put(ws, f"D{r}", name, f"D{r}:F{r}")
        put(ws, f"G{r}", value, f"G{r}:H{r}")


def _ind(l1, l2, name, raw, op, value, unit):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative" if value is not None else "qualitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": "拆违经费",
        "fields": {
            "name": "拆违经费",
            "category": "特定目标类",
            "nature": "阶段性项目",
            "supervisor": "普陀区城市管理行政执法局执法大队",
            "implementer": "上海市普陀区城市管理行政执法局执法大队",
            "start": "2024-01-01",
            "end": "2026-12-31",
            "total": "10308000",
            "fiscal": "10308000",
            "other": "0",
            "annual": "3498000",
            "appropriation": "3498000",
            "carryover": "0",
            "annual_other": "0",
            "goal_total": GOAL_TOTAL,
            "goal_year": GOAL_YEAR,
        },
        "indicators": [
            _ind("成本指标", "经济成本指标", "成本控制合理性", "合理", None, None, None),
            _ind("产出指标", "数量指标", "完成年度拆违计划", "=100.00(%)", "=", "100", "%"),
            _ind("产出指标", "质量指标", "违法建筑销项正确率", "=100.00(%)", "=", "100", "%"),
            _ind("产出指标", "时效指标", "新增违建处置率", "=100.00(%)", "=", "100", "%"),
            _ind("效益指标", "社会效益指标", "群众政策知晓度", "≥90.00(%)", "≥", "90", "%"),
            _ind("效益指标", "生态效益指标", "提升城市环境美化指数", "提高", None, None, None),
            _ind("效益指标", "可持续影响指标", "新增违建发生数", "降低", None, None, None),
            _ind("满意度指标", "服务对象满意度指标", "群众满意度", "≥90.00(%)", "≥", "90", "%"),
        ],
        "defects": [{"code": "G01", "cell": "F11",
                     "why": "阶段性项目 2024–2026 (总额 10,308,000 vs 年度 3,498,000): the 年度总目标 is the 项目总目标 word for word"}],
    }
]
