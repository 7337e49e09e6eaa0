"""金寨经济开发区 2021年度项目支出绩效目标申报表（物业管理）, 安徽省六安市金寨县."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "安徽金寨经济开发区管理委员会（金寨县经济开发区）",
    "province": "安徽",
    "year": 2021,
    "url": "https://www.ahjinzhai.gov.cn/public/6617781/34383152.html",
    "title": "金寨经济开发区2021年度项目支出绩效目标申报表",
    "truncated": False,
    "notes": (
        "One complete form published as an HTML table (2021-09-18). The stored copy is flattened text, so "
        "the grid is reconstructed: 5 columns (A label, B 一级, C 二级, D 三级, E 指标值), money in 万元 "
        "(label '项目资金    (万元)' with a run of spaces), only the annual money block "
        "(年度资金总额: / 其中:财政拨款 / 其他资金 — labels end with a colon, 其他资金 left blank), a single "
        "年度目标 row (no 总目标, no dates, no 项目类别). Every 三级指标 name is prefixed '指标1:' and three "
        "names still carry the template hint '(≤**万元)' / '(≥**%)'. Punctuation is half-width ( : , ( ) ) in "
        "the stored copy. 成本指标 sits under 产出指标 (pre-2025 framework). The footnote "
        "'注: 1.…2.各单位可根据项目特点自行增加或减少二级指标,并细化' is cut off in the stored copy; the "
        "form itself is complete. 时效指标 value '2021年全年' is a period, not a measure (KEY: qualitative)."
    ),
}

FILE = "金寨经济开发区_2021.xlsx"

SHEET = "物业管理"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDE", (12, 12, 14, 44, 28)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "项目支出绩效目标申报表", "A1:E1", border=False)
    put(ws, "A2", "(2021年度)", "A2:E2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", "物业管理", "B3:E3")
    put(ws, "A4", "主管部门")
    put(ws, "B4", "县财政局", "B4:C4")
    put(ws, "D4", "实施单位")
    put(ws, "E4", "安徽金寨经济开发区管理委员会")
    put(ws, "A5", "项目资金    (万元)", "A5:A7", wrap=True)
    put(ws, "B5", "年度资金总额:", "B5:C5")
    put(ws, "D5", 1125, "D5:E5")
    put(ws, "B6", " 其中:财政拨款", "B6:C6")
    put(ws, "D6", 1125, "D6:E6")
    put(ws, "B7", "      其他资金", "B7:C7")
    put(ws, "D7", None, "D7:E7")
    put(ws, "A8", "年度目标")
    put(ws, "B8", "目标1:维护辖区各安置小区安全巡逻、环境卫生及物业日常管理", "B8:E8", wrap=True)
    put(ws, "A9", "绩效指标", "A9:A19", wrap=True)
    put(ws, "B9", "一级指标")
    put(ws, "C9", "二级指标")
    put(ws, "D9", "三级指标")
    put(ws, "E9", "指标值")
    rows = [
        (10, ("产出指标", 13), "数量指标", "指标1:安置小区物业费", "8个"),
        (11, None, "质量指标",
         "指标1:完成开发区工委、管委下达的安置小区物业费清算任务,指导小区物业开展文明创建等工作。",
         "房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序"),
        (12, None, "时效指标", "指标1:按时保质完成开发区安置小区物业管理工作", "2021年全年"),
        (13, None, "成本指标", "指标1:项目总成本(≤**万元)", "≤1125万元"),
        (14, ("效益指标", 17), "经济效益指标", "指标1:清算8个安置小区本年度物业费和历史的遗留物业费(≥**%)。", "≥95%"),
        (15, None, "社会效益指标", "指标1:改善安置小区群众生活质量,提升安置小区生活水平。助力全县文明城市创建。", "显著改善"),
        (16, None, "生态效益指标", "指标1:优化安置小区生活环境,提高居民生活质量,营造安全舒适的居住环境。", "显著提高"),
        (17, None, "可持续影响指标", "指标1:持续提供人力物力保障,解决居民群众生产生活问题", "持续保障"),
        (18, ("满意度指标", None), "服务对象满意度指标", "指标1:小区居民满意度(≥**%)", "≥90%"),
    ]
    for r, l1, l2, name, value in rows:
        if l1 is not None:
            text, end = l1
            put(ws, f"B{r}", text, f"B{r}:B{end}" if end else None)
        put(ws, f"C{r}", l2, wrap=True)
        put(ws, f"D{r}", name, wrap=True)
        put(ws, f"E{r}", value, wrap=True)
    put(ws, "A20", "注: 1.“其他资金”是指与财政拨款共同用于同一项目的单位自有资金、社会资金等。", "A20:E20", border=False)
    put(ws, "A21", "2.各单位可根据项目特点自行增加或减少二级指标,并细化", "A21:E21", border=False)


def _ind(l1, l2, name, raw, op, value, unit, kind=None):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": kind or ("quantitative" if value is not None else "qualitative")}


KEY = [
    {
        "sheet": SHEET,
        "name": "物业管理",
        "fields": {
            "name": "物业管理",
            "supervisor": "县财政局",
            "implementer": "安徽金寨经济开发区管理委员会",
            "annual": "11250000",
            "appropriation": "11250000",
            "goal_year": "目标1:维护辖区各安置小区安全巡逻、环境卫生及物业日常管理",
        },
        "indicators": [
            _ind("产出指标", "数量指标", "指标1:安置小区物业费", "8个", None, "8", "个"),
            _ind("产出指标", "质量指标",
                 "指标1:完成开发区工委、管委下达的安置小区物业费清算任务,指导小区物业开展文明创建等工作。",
                 "房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序", None, None, None),
            _ind("产出指标", "时效指标", "指标1:按时保质完成开发区安置小区物业管理工作", "2021年全年",
                 None, None, None),
            _ind("产出指标", "成本指标", "指标1:项目总成本(≤**万元)", "≤1125万元", "≤", "1125", "万元"),
            _ind("效益指标", "经济效益指标", "指标1:清算8个安置小区本年度物业费和历史的遗留物业费(≥**%)。",
                 "≥95%", "≥", "95", "%"),
            _ind("效益指标", "社会效益指标", "指标1:改善安置小区群众生活质量,提升安置小区生活水平。助力全县文明城市创建。",
                 "显著改善", None, None, None),
            _ind("效益指标", "生态效益指标", "指标1:优化安置小区生活环境,提高居民生活质量,营造安全舒适的居住环境。",
                 "显著提高", None, None, None),
            _ind("效益指标", "可持续影响指标", "指标1:持续提供人力物力保障,解决居民群众生产生活问题",
                 "持续保障", None, None, None),
            _ind("满意度指标", "服务对象满意度指标", "指标1:小区居民满意度(≥**%)", "≥90%", "≥", "90", "%"),
        ],
        "defects": [
            {"code": "I12", "cell": "D13", "why": "template hint '(≤**万元)' left in the 三级指标 name"},
            {"code": "I12", "cell": "D14", "why": "template hint '(≥**%)' left in the 三级指标 name"},
            {"code": "I12", "cell": "D18", "why": "template hint '(≥**%)' left in the 三级指标 name"},
            {"code": "I05", "cell": "E10", "why": "8个 without comparison sign"},
            {"code": "I15", "cell": "E11", "why": "质量指标 value is a sentence (房屋设备、设施的管理到位,环境卫生整洁,车辆停放有序)"},
        ],
    }
]
