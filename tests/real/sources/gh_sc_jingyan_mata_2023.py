"""四川省乐山市井研县马踏镇人民政府 部门预算项目绩效目标申报表（2023年度）— a flat list: one row per indicator."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "井研县马踏镇人民政府（820-马踏镇部门）",
    "province": "四川",
    "year": 2023,
    "url": "https://m.qbidia.com/jyx/zjgk/202412/baa621fd1ec74c86bf45aa16dfd0603d.shtml",
    "title": "部门预算项目绩效目标申报表(2023年度)",
    "truncated": True,
    "notes": (
        "Stored copy of an HTML table (pipe-separated rows). The whole department's projects are ONE flat table: "
        "header 单位名称|项目名称|预算数|年度目标|一级指标|二级指标|三级指标|指标性质|指标值|度量单位|权重|指标方向性, "
        "money in 元 ('金额单位:元' above the header), a department subtotal row '820-马踏镇部门' with 8,827,620.53, "
        "then per project one block of rows: 单位名称 (with code '820001-'), 项目名称, 预算数 and 年度目标 appear on the "
        "first row of the block only (merged down here, blank on the continuation rows in the stored copy); every "
        "indicator row repeats its 一级 and 二级 (no merged levels) and the 一级 order is scrambled (效益 before 产出). "
        "The comparison sign sits in its own column 指标性质 (≥, =), the number in 指标值, the unit in 度量单位 "
        "(%, 年, 人/年, 个); 权重 and 指标方向性 (正向指标) follow. Project 1 (村组干部报酬) is complete (8 rows); "
        "project 2 (基层组织活动经费) is TRUNCATED after its 5th indicator row (行政村数量 = 11 个 10, 指标方向性 cut), "
        "the remaining projects of the 8.8 million total are missing. In the stored HTML the subtotal 8,827,620.53 "
        "follows 820-马踏镇部门 directly (empty cells collapsed); it is placed in the 预算数 column here. No 成本指标."
    ),
}

FILE = "井研县马踏镇人民政府_2023.xlsx"
SHEET = "部门预算项目绩效目标申报表"
MONEY = "#,##0.00"

GOAL2 = ("包括必要的办公用品费、水电费、报刊费等村社区办公经费,基层党组织开展组织活动、党员干部教育培训,"
         "群团活动开展,组织活动场所维护等。")

P1 = [
    ("效益指标", "社会效益指标", "维护社会稳定", "≥", 95, "%", 10, "正向指标"),
    ("产出指标", "时效指标", "维持时效", "≥", 1, "年", 20, "正向指标"),
    ("产出指标", "质量指标", "按时发放", "≥", 1, "人/年", 10, "正向指标"),
    ("效益指标", "经济效益指标", "促进村集体经济发展", "≥", 95, "%", 10, "正向指标"),
    ("产出指标", "数量指标", "村组干部230人", "≥", 230, "个", 10, "正向指标"),
    ("效益指标", "生态效益指标", "保护生态环境卫生", "≥", 95, "%", 10, "正向指标"),
    ("效益指标", "可持续影响指标", "项目维持时效", "≥", 95, "%", 10, "正向指标"),
    ("满意度指标", "服务对象满意度指标", "人民群众满意度", "≥", 95, "%", 10, "正向指标"),
]
P2 = [
    ("满意度指标", "服务对象满意度指标", "辖区内群众满意度", "≥", 95, "%", 10, "正向指标"),
    ("效益指标", "经济效益指标", "促进农村集体经济发展", "≥", 95, "%", 10, "正向指标"),
    ("效益指标", "可持续影响指标", "经济、环境等方面可持续发展", "≥", 95, "%", 10, "正向指标"),
    ("产出指标", "质量指标", "保障村社区正常运转", "≥", 95, "%", 20, "正向指标"),
    ("产出指标", "数量指标", "行政村数量", "=", 11, "个", 10, None),  # 指标方向性 cut off in the stored copy
]


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGHIJKL", (26, 16, 14, 30, 12, 18, 26, 8, 8, 8, 6, 10)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "部门预算项目绩效目标申报表(2023年度)", "A1:L1", border=False)
    put(ws, "A2", "金额单位:元", "A2:L2", border=False)
    for col, label in zip("ABCDEFGHIJKL", ("单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标",
                                          "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向性")):
        put(ws, f"{col}3", label)
    put(ws, "A4", "820-马踏镇部门")
    put(ws, "C4", 8827620.53, fmt=MONEY)
    start1, start2 = 5, 5 + len(P1)
    end2 = start2 + len(P2) - 1
    put(ws, "A5", "820001-井研县马踏镇人民政府", f"A5:A{end2}", wrap=True)
    for start, rows, name, money, goal in ((start1, P1, "村组干部报酬", 3309840.00, "按时发放村组干部报酬"),
                                           (start2, P2, "基层组织活动经费", 660000.00, GOAL2)):
        end = start + len(rows) - 1
        put(ws, f"B{start}", name, f"B{start}:B{end}")
        put(ws, f"C{start}", money, f"C{start}:C{end}", fmt=MONEY)
        put(ws, f"D{start}", goal, f"D{start}:D{end}", wrap=True)
        for i, (l1, l2, n, op, v, unit, w, d) in enumerate(rows):
            r = start + i
            for col, val in zip("EFGHIJKL", (l1, l2, n, op, v, unit, w, d)):
                put(ws, f"{col}{r}", val)


def _ind(l1, l2, name, op, v, unit):
    return {"level1": l1, "level2": l2, "name": name, "raw": f"{op}{v}{unit}", "operator": op,
            "value": str(v), "unit": unit, "kind": "quantitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": "村组干部报酬",
        "fields": {"name": "村组干部报酬", "supervisor": "马踏镇部门", "implementer": "井研县马踏镇人民政府",
                   "annual": "3309840", "goal_year": "按时发放村组干部报酬"},
        "indicators": [_ind(r[0], r[1], r[2], r[3], r[4], r[5]) for r in P1],
        "defects": [],
    },
    {
        "sheet": SHEET,
        "name": "基层组织活动经费",
        "fields": {"name": "基层组织活动经费", "supervisor": "马踏镇部门", "implementer": "井研县马踏镇人民政府",
                   "annual": "660000", "goal_year": GOAL2},
        "indicators": [_ind(r[0], r[1], r[2], r[3], r[4], r[5]) for r in P2],
        "defects": [],
    },
]
