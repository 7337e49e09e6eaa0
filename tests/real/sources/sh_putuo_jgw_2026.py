"""上海市普陀区建设和管理委员会 2026年区级部门预算：财政项目支出绩效目标申报表（兰溪路-真南路下立交工程）."""

from __future__ import annotations

import datetime as dt

from tests.real.kit import put

SOURCE = {
    "publisher": "上海市普陀区建设和管理委员会",
    "province": "上海",
    "year": 2026,
    "url": "https://github.com/zxj6827111-blip/GovBudgetChecker/blob/80b8ed41f612447b033fc4ed3f1dd584eb31b721/tests/fixtures/jianguanwei_budget_page_data.json",
    "title": "上海市普陀区2026年区级部门预算（预算主管部门：上海市普陀区建设和管理委员会），七、项目经费情况说明 — 财政项目支出绩效目标申报表",
    "truncated": False,
    "notes": (
        "Transcribed from the page text and the pdfplumber table grid of the published PDF (24 pages, "
        "sha256 73528f0b…) as frozen in GovBudgetChecker's test fixture; one project form (page 24). "
        "8-column grid as extracted: labels in A/B, values C:D, E..H. 2026 layout: 项目性质 beside 项目类别, "
        "成本指标 as the first 一级 row, values like =100.00(%) and ≥90.00(%), header 年度(/项目)指标值. "
        "The first indicator row (二级 '生态环境成本指标', 文明施工情况=可控) has an EMPTY 一级 cell in the "
        "extracted grid (no 成本指标 label printed in the 一级 column); KEY gives level1 成本指标 as implied. "
        "The 绩效指标 label of column A is also absent on this form (column A is blank beside the indicator "
        "rows). Multi-year 阶段性项目 2026-01-01..2027-12-31: 项目资金总额 771,325,800.00 is cumulative, "
        "年度资金申请总额 226,145,100.00 for 2026. PDF line wraps inside cells (e.g. '阶段性项\\n目') are joined; "
        "the explicit breaks in '项目\\n绩效\\n目标' and '项目资金\\n（元）' are kept."
    ),
}

FILE = "上海市普陀区建设和管理委员会_2026.xlsx"

SHEET = "兰溪路-真南路下立交工程"

GOAL_TOTAL = ("为居民出行提供快速便捷的通道，完善、提高了路网服务功能分流中环路的交通压力、强化铁路两侧"
              "的片区的交通联系，支撑区域一体化发展。")
GOAL_YEAR = "积极推进项目前期征收工作，年内开展管线搬迁及维护结构施工。"

MONEY = "#,##0.00"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGH", (6, 12, 14, 22, 16, 16, 12, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "财政项目支出绩效目标申报表", "A1:H1", border=False)
    put(ws, "A2", "（2026年度）", "A2:H2", border=False)
    put(ws, "A3", "项目名称", "A3:B3")
    put(ws, "C3", "兰溪路-真南路下立交工程", "C3:D3", wrap=True)
    put(ws, "E3", "项目性质")
    put(ws, "F3", "阶段性项目", wrap=True)
    put(ws, "G3", "项目类别")
    put(ws, "H3", "特定目标类")
    put(ws, "A4", "主管部门", "A4:B4")
    put(ws, "C4", "上海市普陀区建设和管理委员会", "C4:D4", wrap=True)
    put(ws, "E4", "实施单位")
    put(ws, "F4", "上海市普陀区市政工程建设中心", "F4:H4")
    put(ws, "A5", "计划开始日期", "A5:B5")
    put(ws, "C5", dt.datetime(2026, 1, 1), "C5:D5", fmt="yyyy/m/d")
    put(ws, "E5", "计划完成日期")
    put(ws, "F5", dt.datetime(2027, 12, 31), "F5:H5", fmt="yyyy/m/d")
    put(ws, "A6", "项目资金\n（元）", "A6:B9", wrap=True)
    put(ws, "C6", "项目资金总额", "C6:D6")
    put(ws, "E6", 771325800.00, fmt=MONEY)
    put(ws, "F6", "年度资金申请总额", "F6:G6")
    put(ws, "H6", 226145100.00, fmt=MONEY)
    put(ws, "C7", "其中：财政资金", "C7:D7")
    put(ws, "E7", 771325800.00, fmt=MONEY)
    put(ws, "F7", "其中：当年财政拨款", "F7:G7")
    put(ws, "H7", 226145100.00, fmt=MONEY)
    put(ws, "C8", None, "C8:D8")
    put(ws, "E8", None)
    put(ws, "F8", "上年结转资金", "F8:G8")
    put(ws, "H8", 0)
    put(ws, "C9", "其他资金", "C9:D9")
    put(ws, "E9", 0)
    put(ws, "F9", "其他资金", "F9:G9")
    put(ws, "H9", 0)
    put(ws, "A10", "项目\n绩效\n目标", "A10:A11", wrap=True)
    put(ws, "B10", "项目总目标", "B10:E10")
    put(ws, "F10", "年度总体目标", "F10:H10")
    put(ws, "B11", GOAL_TOTAL, "B11:E11", wrap=True)
    put(ws, "F11", GOAL_YEAR, "F11:H11", wrap=True)
    ws.row_dimensions[11].height = 60
    put(ws, "A12", None, "A12:A22")
    put(ws, "B12", "一级指标")
    put(ws, "C12", "二级指标")
    put(ws, "D12", "三级指标", "D12:F12")
    put(ws, "G12", "年度(/项目)指标值", "G12:H12")
    rows = [
        # row, 一级 (merge end), 二级 (merge end), 三级, 值
        (13, ("", None), ("生态环境成本指标", None), "文明施工情况", "可控"),
        (14, ("产出指标", 16), ("数量指标", None), "道路建设长度", "985米"),
        (15, None, ("质量指标", None), "项目验收达标率", "=100.00(%)"),
        (16, None, ("时效指标", None), "项目完成及时性", "及时"),
        (17, ("效益指标", 20), ("社会效益指标", 19), "道路安全隐患减少情况", "减少"),
        (18, None, None, "道路景观提升情况", "提升"),
        (19, None, None, "道路通行能力提升情况", "提升"),
        (20, None, ("可持续影响指标", None), "长效管理制度健全性", "健全"),
        (21, ("满意度指标", None), ("服务对象满意度指标", None), "居民群众满意度", "≥90.00(%)"),
    ]
    for r, l1, l2, name, value in rows:
        if l1 is not None:
            text, end = l1
            put(ws, f"B{r}", text or None, f"B{r}:B{end}" if end else None, wrap=True)
        if l2 is not None:
            text, end = l2
            put(ws, f"C{r}", text, f"C{r}:C{end}" if end else None, wrap=True)
        put(ws, f"D{r}", name, f"D{r}:F{r}")
        put(ws, f"G{r}", value, f"G{r}:H{r}")
    put(ws, "B22", None)
    put(ws, "C22", None)
    put(ws, "D22", None, "D22:F22")
    put(ws, "G22", None, "G22:H22")


def _ind(l1, l2, name, raw, op, value, unit):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative" if value is not None else "qualitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": "兰溪路-真南路下立交工程",
        "fields": {
            "name": "兰溪路-真南路下立交工程",
            "category": "特定目标类",
            "nature": "阶段性项目",
            "supervisor": "上海市普陀区建设和管理委员会",
            "implementer": "上海市普陀区市政工程建设中心",
            "start": "2026-01-01",
            "end": "2027-12-31",
            "total": "771325800",
            "fiscal": "771325800",
            "other": "0",
            "annual": "226145100",
            "appropriation": "226145100",
            "carryover": "0",
            "annual_other": "0",
            "goal_total": GOAL_TOTAL,
            "goal_year": GOAL_YEAR,
        },
        "indicators": [
            _ind("成本指标", "生态环境成本指标", "文明施工情况", "可控", None, None, None),
            _ind("产出指标", "数量指标", "道路建设长度", "985米", None, "985", "米"),
            _ind("产出指标", "质量指标", "项目验收达标率", "=100.00(%)", "=", "100", "%"),
            _ind("产出指标", "时效指标", "项目完成及时性", "及时", None, None, None),
            _ind("效益指标", "社会效益指标", "道路安全隐患减少情况", "减少", None, None, None),
            _ind("效益指标", "社会效益指标", "道路景观提升情况", "提升", None, None, None),
            _ind("效益指标", "社会效益指标", "道路通行能力提升情况", "提升", None, None, None),
            _ind("效益指标", "可持续影响指标", "长效管理制度健全性", "健全", None, None, None),
            _ind("满意度指标", "服务对象满意度指标", "居民群众满意度", "≥90.00(%)", "≥", "90", "%"),
        ],
        "defects": [
            {"code": "I05", "cell": "G14", "why": "道路建设长度 985米: a number without comparison sign (read as =)"},
        ],
    }
]
