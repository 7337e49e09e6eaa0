"""天津市宝坻区 畜禽粪污资源化利用整区推进项目 2022年中央预算内投资计划绩效目标表, Tianjin."""

from tests.real.kit import put

SOURCE = {
    "publisher": "天津市财政局（津财基指〔2022〕23号，宝坻区政府网站公开）",
    "province": "天津",
    "year": 2022,
    "url": "http://www.tyc-yl.com/zwgk_53713/ysgk_59783/czjzxzj/202207/t20220710_5930157.html",
    "title": "天津市农业绿色发展专项(畜禽粪污资源化利用整县推进项目)2022年中央预算内投资计划绩效目标表",
    "truncated": True,
    "notes": (
        "Stored copy (mirror of the 宝坻区 财政直达资金 disclosure) is cut inside the fifth indicator row "
        "('完工项目县规模养殖场畜禽粪污处理...'): four indicator rows are transcribed, the cut row and the rest "
        "(satisfaction etc.) are not. NDRC-style 中央预算内投资 form: labels 专项名称, 下达地方或单位, "
        "下达中央预算内投资(万元) (single money figure 2350), '总 体 目 标' and '绩 效 指 标' with spaces between "
        "characters. Levels are SHIFTED: 一级指标 column holds '实施效果指标' and 二级指标 holds '产出指标' / "
        "'效益指标'; there are no 数量/质量/时效 二级. Title printed over three lines plus a subtitle naming the "
        "actual project. Mapping: 专项名称 -> name, 下达地方或单位 -> implementer, 下达中央预算内投资 -> annual, "
        "总体目标 -> goal_total."
    ),
}

FILE = "天津市宝坻区_2022_畜禽粪污资源化利用整区推进项目.xlsx"

S = "绩效目标表"
NAME = "农业绿色发展专项 (畜禽粪污资源化利用整县推进项目)"
GOAL = "提高畜禽粪污综合利用率和规模养殖场设施装备配套率。"

ROWS = [
    ("产出指标", "建设项目个数(含续建)", 1),
    (None, "竣工验收合格率", "100%"),
    (None, "按进度计划实施情况", "按计划实施"),
    ("效益指标", "完工项目县畜禽粪污综合利用率", "≥90%"),
]


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDE", (10, 14, 12, 34, 14)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "天津市农业绿色发展专项(畜禽粪污\n资源化利用整县推进项目)2022年\n中央预算内投资计划绩效目标表",
        "A1:E1", border=False, wrap=True)
    ws.row_dimensions[1].height = 48
    put(ws, "A2", "(天津市宝坻区畜禽粪污资源化利用整区推进项目)", "A2:E2", border=False)
    put(ws, "A3", "专项名称", "A3:B3"); put(ws, "C3", NAME, "C3:E3")
    put(ws, "A4", "下达地方或单位", "A4:B4"); put(ws, "C4", "宝坻区人民政府", "C4:E4")
    put(ws, "A5", "下达中央预算内投资(万元)", "A5:B5"); put(ws, "C5", 2350, "C5:E5")
    put(ws, "A6", "总 体 目 标", "A6:B6"); put(ws, "C6", GOAL, "C6:E6")
    put(ws, "A7", "绩 效 指 标", "A7:A11", wrap=True)
    for c, h in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值")):
        put(ws, f"{c}7", h)
    put(ws, "B8", "实施效果指标", "B8:B11", wrap=True)
    put(ws, "C8", "产出指标", "C8:C10")
    r = 8
    for l2, name, val in ROWS:
        if l2 and r != 8:
            put(ws, f"C{r}", l2)
        put(ws, f"D{r}", name); put(ws, f"E{r}", val)
        r += 1


KEY = [
    {
        "sheet": S,
        "name": NAME,
        "fields": {
            "name": NAME,
            "implementer": "宝坻区人民政府",
            "annual": "23500000",
            "goal_total": GOAL,
        },
        "indicators": [
            {"level1": "产出指标", "level2": None, "name": "建设项目个数(含续建)", "raw": "1",
             "operator": None, "value": "1", "unit": None, "kind": "quantitative"},
            {"level1": "产出指标", "level2": None, "name": "竣工验收合格率", "raw": "100%",
             "operator": None, "value": "100", "unit": "%", "kind": "quantitative"},
            {"level1": "产出指标", "level2": None, "name": "按进度计划实施情况", "raw": "按计划实施",
             "operator": None, "value": None, "unit": None, "kind": "qualitative"},
            {"level1": "效益指标", "level2": None, "name": "完工项目县畜禽粪污综合利用率", "raw": "≥90%",
             "operator": "≥", "value": "90", "unit": "%", "kind": "quantitative"},
        ],
        "defects": [
            {"code": "I04", "cell": "E8", "why": "建设项目个数(含续建) = bare 1, no unit (个)"},
        ],
    },
]
