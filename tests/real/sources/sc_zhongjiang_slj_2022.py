"""中江县水利局 2022年度 绩效目标自评表 (小型水库水标尺制作安装), Sichuan."""

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "中江县水利局",
    "province": "四川",
    "year": 2022,
    "url": "https://chacewang.com/newsdetail/news242266.html",
    "title": "中江县2022年衔接资金实施项目绩效目标自评表（中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装）",
    "truncated": False,
    "notes": (
        "Reposted (chacewang.com) copy of the 中江县水利局 notice of 2022-12-30; the table is complete up to "
        "总分, the long footnote ('注:1. 一级指标分值统一设置为...') is cut and not transcribed. NOT a pure "
        "target form: a 绩效目标自评表 that carries the target (年度指标值) beside the actual (全年实际值) and "
        "scores; included because parsers meet it in the same folders. Layout: 项目负责人及电话 (one label, "
        "name+phone in one cell, replaced by '（略）'); 资金情况(万元) with columns 全年预算数(A) | 全年执行数(B) | "
        "分值 | 执行率(B/A) | 得分 and rows '年度资金总额:' (colon inside the label), '其中:本年财政拨款', "
        "'其他资金' (blank). 年度总体目标 split into 年初设定目标 | 年度总体目标完成情况综述. Indicator columns: "
        "一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因及拟采取的改进措施 "
        "(分值 BEFORE the value). 一级 labels carry their weight: '产出指标(70分)', '效益指标(20分)', "
        "'满意度指标(10分)'. Units in the value: 米, 厘米, 万元, 人, %. A blank 经济效益指标 row and a '……' row "
        "are template rows. Scores 70/20/10 differ from the footnote's 50/30/10 (not a rule code; noted only). "
        "Truth: raw = 年度指标值, raw_other 全年实际值; 全年预算数 -> annual, 本年财政拨款 -> appropriation; "
        "年初设定目标 -> goal_year."
    ),
}

FILE = "中江县水利局_2022_小型水库水标尺制作安装_自评表.xlsx"

S = "绩效目标自评表"
NAME = "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装"
GOAL = "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,"
DONE = "对项目区农业用水计量,为项目区农业生产夯实基础,"

# (一级 or None, 二级 or None, 三级, 分值, 年度指标值, 全年实际值, 得分)
ROWS = [
    ("产出指标(70分)", "数量指标", "安装坡面水标尺", 10, "≥266米", "≥266米", 10),
    (None, None, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10),
    (None, "质量指标", "项目(工程)验收合格率", 20, "100%", "100%", 20),
    (None, "时效指标", "及时(按期)开工率", 10, "≥90%", "≥90%", 10),
    (None, None, "及时(按期)完工率", 10, "≥90%", "≥90%", 10),
    (None, "成本指标", "项目计划总投资", 10, "20万元", "20万元", 10),
    ("效益指标(20分)", "经济效益指标", None, None, None, None, None),
    (None, "社会效益指标", "受益脱贫(含监测对象)户人口数", 10, "≥1000人", "≥1000人", 10),
    (None, None, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10),
    ("满意度指标(10分)", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", 10, "≥95%", "≥95%", 10),
    (None, None, "……", None, None, None, None),
]


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEFGHIJ", (8, 12, 14, 26, 6, 12, 12, 6, 16, 4)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "绩效目标自评表", "A1:I1", border=False)
    put(ws, "A2", "(2022年度)", "A2:I2", border=False)
    put(ws, "A3", "项目名称", "A3:B3"); put(ws, "C3", NAME, "C3:I3")
    put(ws, "A4", "项目负责人及电话", "A4:B4"); put(ws, "C4", "（略）", "C4:I4")
    put(ws, "A5", "主管部门", "A5:B5"); put(ws, "C5", "中江县水利局", "C5:D5")
    put(ws, "E5", "实施单位", "E5:F5"); put(ws, "G5", "中江县水利局", "G5:I5")
    put(ws, "A6", "资金情况(万元)", "A6:B9", wrap=True)
    for c, h in zip("CDEFGH", (None, "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分")):
        put(ws, f"{c}6", h)
    put(ws, "C7", "年度资金总额:"); put(ws, "D7", 20); put(ws, "E7", 20); put(ws, "F7", 10)
    percent(ws, "G7", 1.0, fmt="0.00%"); put(ws, "H7", 10)
    put(ws, "C8", "其中:本年财政拨款"); put(ws, "D8", 20); put(ws, "E8", 20)
    put(ws, "C9", "其他资金"); put(ws, "D9", None); put(ws, "E9", None)
    put(ws, "A10", "年度总体目标", "A10:B11")
    put(ws, "C10", "年初设定目标", "C10:E10"); put(ws, "F10", "年度总体目标完成情况综述", "F10:I10")
    put(ws, "C11", GOAL, "C11:E11"); put(ws, "F11", DONE, "F11:I11")
    ws.row_dimensions[11].height = 45
    first = 12
    last = first + len(ROWS)
    put(ws, f"A{first}", "绩效指标", f"A{first}:A{last}", wrap=True)
    for c, h in zip("BCDEFGHI", ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分",
                                 "未完成原因及拟采取的改进措施")):
        put(ws, f"{c}{first}", h, wrap=True)
    merges = {"产出指标(70分)": 6, "效益指标(20分)": 3, "满意度指标(10分)": 2}
    l2_span = {"数量指标": 2, "时效指标": 2, "社会效益指标": 2, "服务对象满意度指标": 2}
    for i, (l1, l2, name, score, val, act, got) in enumerate(ROWS):
        r = first + 1 + i
        if l1:
            n = merges[l1]
            put(ws, f"B{r}", l1, f"B{r}:B{r + n - 1}" if n > 1 else None, wrap=True)
        if l2:
            n = l2_span.get(l2, 1)
            put(ws, f"C{r}", l2, f"C{r}:C{r + n - 1}" if n > 1 else None, wrap=True)
        put(ws, f"D{r}", name); put(ws, f"E{r}", score); put(ws, f"F{r}", val); put(ws, f"G{r}", act)
        put(ws, f"H{r}", got); put(ws, f"I{r}", None)
    r = last + 1
    put(ws, f"A{r}", "总分", f"A{r}:D{r}"); put(ws, f"E{r}", 100); put(ws, f"F{r}", None); put(ws, f"G{r}", None)
    put(ws, f"H{r}", 100); put(ws, f"I{r}", None)


L1 = {"产出指标(70分)": "产出指标", "效益指标(20分)": "效益指标", "满意度指标(10分)": "满意度指标"}
PARSE = {
    "≥266米": ("≥", "266", "米"), "≥50厘米": ("≥", "50", "厘米"), "100%": (None, "100", "%"),
    "≥90%": ("≥", "90", "%"), "20万元": (None, "20", "万元"), "≥1000人": ("≥", "1000", "人"),
    "≥95%": ("≥", "95", "%"),
}


def _indicators():
    out, l1, l2 = [], None, None
    for r_l1, r_l2, name, _s, val, act, _g in ROWS:
        l1 = r_l1 or l1
        l2 = r_l2 or l2
        if not val:
            continue
        op, num, unit = PARSE.get(val, (None, None, None))
        out.append({"level1": L1[l1], "level2": l2, "name": name, "raw": val, "operator": op, "value": num,
                    "unit": unit, "kind": "quantitative" if num else "qualitative",
                    "raw_other": {"全年实际值": act}})
    return out


KEY = [
    {
        "sheet": S,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "中江县水利局",
            "implementer": "中江县水利局",
            "annual": "200000",
            "appropriation": "200000",
            "goal_year": GOAL,
        },
        "indicators": _indicators(),
        "defects": [],
    },
]
