"""乌海市供销合作社联合社 再生资源回收市场管理经费项目绩效目标表 (2021年), Inner Mongolia."""

from tests.real.kit import put

SOURCE = {
    "publisher": "乌海市供销合作社联合社",
    "province": "内蒙古",
    "year": 2021,
    "url": "http://gxs.wuhai.gov.cn/whsgxshzslhs/1096934/sjtj/1341823/index.html",
    "title": "再生资源回收市场管理经费项目绩效目标表（2021年）",
    "truncated": True,
    "notes": (
        "Stored page is cut after the last 产出 row ('效...'): only the 11 产出指标 rows are transcribed; "
        "效益/满意度 rows are missing from the copy (so no I02 is claimed). Layout exported from the "
        "Inner Mongolia budget system: coded values '(31)部门预算项目', '(433)乌海市供销合作社联合社(部门)', "
        "'(433001)...'; money block 投入目标 (万元) with 资金来源 | 年初安排金额(万元) and rows 资金总额 / "
        "其中: 财政拨款数 / 其他资金. The indicator header row is preceded by a label '绩效指标(权重分值90分,...)'. "
        "一级/二级 are repeated on every row (no merges). The value is split over 指标性质 (正向/反向) | "
        "指标方向 ('=') | 目标值 | 计量单位 | 分值 | 备注: the comparison sign sits in the column headed "
        "指标方向 and the direction word in 指标性质. Two 时效 rows show the date 2021-12-31 as the Excel "
        "serial 44,561 in BOTH 目标值 and 计量单位 (stored here as the number 44561, format #,##0). "
        "Truth mapping: supervisor/implementer given without the system codes; 年初安排金额 -> annual/"
        "appropriation/annual_other. raw of the serial-date rows is given as the date the serial means."
    ),
}

FILE = "乌海市供销合作社联合社_2021_再生资源回收市场管理经费.xlsx"

S = "项目绩效目标表"

ROWS = [
    # 一级, 二级, 三级, 指标性质, 指标方向, 目标值, 计量单位, 分值
    ("产出指标", "数量指标", "出差人数", "正向", "=", 8, None, 4),
    ("产出指标", "数量指标", "出差人次", "正向", "=", 24, "人/次", 4),
    ("产出指标", "质量指标", "工作任务完成率", "正向", "=", 100, "%", 4),
    ("产出指标", "时效指标", "项目财政资金到位时间", "正向", "=", 44561, 44561, 10),
    ("产出指标", "时效指标", "财政资金到位及时支付率", "正向", "=", 100, "%", 4),
    ("产出指标", "时效指标", "工作计划按时完成时间", "正向", "=", 44561, 44561, 4),
    ("产出指标", "成本指标", "出差单位成本", "反向", "=", 0, "万元/人", 4),
    ("产出指标", "成本指标", "出差总成本", "反向", "=", 1, "万元", 4),
    ("产出指标", "成本指标", "劳务人员总成本", "反向", "=", 2, "万元", 4),
    ("产出指标", "成本指标", "办公费总成本", "反向", "=", 0, "万元", 4),
    ("产出指标", "成本指标", "年度预算总成本", "反向", "=", 3, "万元", 4),
]

GOAL = ("围绕国家关于建设节约型社会和发展循环经济的要求,在充分规范整合和利用现有再生资源回收渠道的基础上,"
        "合理布局,规范建设。达成以下目标: 目标1:聘用人员1人,出差8人 目标2:聘用人员在岗率100% "
        "目标3:2021年12月31日前完成 目标4:年度预算总金额3万元 目标5:促进资源循环和高效利用,改善城乡生态环境。")


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEFGHIJ", (14, 12, 12, 24, 9, 9, 10, 10, 8, 8)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "再生资源回收市场管理经费项目绩效目标表", "A1:J1", border=False)
    put(ws, "A2", "(2021年)", "A2:J2", border=False)
    put(ws, "A3", "项目名称", "A3:B3"); put(ws, "C3", "再生资源回收市场管理经费", "C3:J3")
    put(ws, "A4", "项目类别", "A4:B4"); put(ws, "C4", "(31)部门预算项目", "C4:J4")
    put(ws, "A5", "归口科室", "A5:B5"); put(ws, "C5", "(08)经济贸易科", "C5:J5")
    put(ws, "A6", "主管部门", "A6:B6"); put(ws, "C6", "(433)乌海市供销合作社联合社(部门)", "C6:J6")
    put(ws, "A7", "实施单位", "A7:B7"); put(ws, "C7", "(433001)乌海市供销合作社联合社", "C7:J7")
    put(ws, "A8", "投入目标 (万元)", "A8:B11", wrap=True)
    put(ws, "C8", "资金来源", "C8:E8"); put(ws, "F8", "年初安排金额(万元)", "F8:J8")
    put(ws, "C9", "资金总额", "C9:E9"); put(ws, "F9", 3, "F9:J9")
    put(ws, "C10", "其中: 财政拨款数", "C10:E10"); put(ws, "F10", 3, "F10:J10")
    put(ws, "C11", "其他资金", "C11:E11"); put(ws, "F11", 0, "F11:J11")
    put(ws, "A12", "年度目标", "A12:B12"); put(ws, "C12", GOAL, "C12:J12")
    ws.row_dimensions[12].height = 60
    put(ws, "A13", "绩效指标(权重分值90分,其中产出指标权重分值50分,效益指标权重分值30分,满意度指标权重分值10分)",
        "A13:A25", wrap=True)
    for c, h in zip("BCDEFGHIJ", ("一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "目标值", "计量单位",
                                 "分值", "备注")):
        put(ws, f"{c}13", h)
    r = 14
    for l1, l2, name, nat, op, val, unit, score in ROWS:
        put(ws, f"B{r}", l1); put(ws, f"C{r}", l2); put(ws, f"D{r}", name)
        put(ws, f"E{r}", nat); put(ws, f"F{r}", op)
        put(ws, f"G{r}", val, fmt="#,##0" if val == 44561 else None)
        put(ws, f"H{r}", unit, fmt="#,##0" if unit == 44561 else None)
        put(ws, f"I{r}", score); put(ws, f"J{r}", None)
        r += 1


def _ind(l1, l2, name, op, val, unit):
    if val == 44561:  # key convention: what the cell holds (a date serial shown as a number), not what it meant
        return {"level1": l1, "level2": l2, "name": name, "raw": "=44561", "operator": "=", "value": "44561",
                "unit": None, "kind": "quantitative"}
    raw = f"{op}{val}{unit or ''}"
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": str(val),
            "unit": unit, "kind": "quantitative"}


KEY = [
    {
        "sheet": S,
        "name": "再生资源回收市场管理经费",
        "fields": {
            "name": "再生资源回收市场管理经费",
            "category": "(31)部门预算项目",
            "supervisor": "乌海市供销合作社联合社(部门)",  # key convention: the code in front goes, the rest stays
            "implementer": "乌海市供销合作社联合社",
            "annual": "30000",
            "appropriation": "30000",
            "annual_other": "0",
            "goal_year": GOAL,
        },
        "indicators": [_ind(l1, l2, name, op, val, unit) for l1, l2, name, _n, op, val, unit, _s in ROWS],
        "defects": [
            {"code": "I04", "cell": "H14", "why": "出差人数 =8 with an empty 计量单位"},
            {"code": "I04", "cell": "H17", "why": "计量单位 holds the date serial 44,561, not a unit"},
            {"code": "I04", "cell": "H19", "why": "计量单位 holds the date serial 44,561, not a unit"},
        ],
    },
]
