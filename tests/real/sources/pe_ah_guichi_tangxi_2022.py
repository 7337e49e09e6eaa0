"""池州市贵池区棠溪镇人民政府 2022年度项目支出绩效自评表 (委托业务项目), Anhui."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "池州市贵池区棠溪镇人民政府",
    "province": "安徽",
    "year": 2022,
    "url": "http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2",
    "title": "附件: 项目支出绩效自评表（2022年度）— 委托业务项目",
    "truncated": True,
    "notes": (
        "A SELF-EVALUATION form (自评表, MoF layout used in Anhui) carrying 年度指标值 beside 实际完成值/分值/得分. "
        "Stored copy is the text layer of a WPS/Word attachment served from a mirror of the 贵池区 download "
        "endpoint (document metadata before the text: author account, WPS build 2052-11.1.0.11691 — omitted). "
        "Cut inside the 满意度指标 row ('满意度指标(10分) 满意度指标 公众满…'): that row is left out. Grid "
        "reconstructed on 9 columns (A side labels, B 一级, C 二级, D 三级, E 年度指标值, F 实际完成值, G 分值, H 得分, "
        "I 偏差原因分析及改进措施). '附件:' line above the title; codes in front of unit names ('219-池州市贵池区棠溪镇"
        "人民政府', '219001-…'); 项目资金 (万元) with 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分: the "
        "'年度资金总额:' row is ALL ZERO (0 0 0 10 0 0) while '其中:本年财政拨款' holds 90 | 89.974 | 89.974 (M02); "
        "上年结转资金 / 其他资金 blank. Goals 预期目标 | 实际完成情况 (texts mention 90万元 / 89.97万元). 一级 labels "
        "with scores '产出指标(50分)', '效益指标(30分)'; two indicators under 质量指标 and 成本指标; qualitative targets "
        "('严格执行相关制度规定', '效果明显'); '≥100百分比' (unit written as the word 百分比), '≥50个', '≤90万元'; "
        "the empty '经济效益指标' row comes LAST among 效益 二级 (after 可持续影响指标). KEY: 全年预算数 -> annual, "
        "其中:本年财政拨款 全年预算数 -> appropriation, raw = 年度指标值, raw_other = 实际完成值."
    ),
}

FILE = "贵池区棠溪镇_2022_委托业务项目_自评表.xlsx"

SHEET = "项目支出绩效自评表"
NAME = "委托业务项目"
GOAL = ("本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
        "30万元用于基建工程项目设计、规划、测绘。")
DONE = ("本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;"
        "29.99万元用于基建工程项目设计、规划、测绘。")
OK = "达成预期指标"

# (一级 (label, span)|None, 二级 (label, span)|None, 三级, 年度指标值, 实际完成值, 分值, 得分)
ROWS = [
    (("产出指标(50分)", 6), ("数量指标", 1), "基建工程委托业务项目数量", "≥50个", 50, 8, 8),
    (None, ("质量指标", 2), "委托业务报告合格率", "≥100百分比", 100, 8, 8),
    (None, None, "经费支出合规性", "严格执行相关制度规定", OK, 8, 8),
    (None, ("时效指标", 1), "提交报告及时性", "在项目计划完成时间内完成", OK, 8, 8),
    (None, ("成本指标", 2), "项目总成本", "≤90万元", 90, 8, 8),
    (None, None, "单项业务成本", "符合相关规定", OK, 10, 10),
    (("效益指标(30分)", 4), ("社会效益指标", 1), "对维护基建市场公平的影响程度", "效果明显", OK, 10, 10),
    (None, ("生态效益指标", 1), "对控制基建项目成本影响程度", "效果明显", OK, 10, 10),
    (None, ("可持续影响指标", 1), "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", OK, 10, 10),
    (None, ("经济效益指标", 1), None, None, None, None, None),
]
FIRST = 15


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGHI", (12, 14, 14, 28, 16, 14, 8, 8, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "附件:", border=False)
    put(ws, "A2", "项目支出绩效自评表", "A2:I2", border=False)
    put(ws, "A3", "(2022年度)", "A3:I3", border=False)
    put(ws, "A4", "项目名称")
    put(ws, "B4", NAME, "B4:I4")
    put(ws, "A5", "主管部门")
    put(ws, "B5", "219-池州市贵池区棠溪镇人民政府", "B5:D5")
    put(ws, "E5", "实施单位")
    put(ws, "F5", "219001-池州市贵池区棠溪镇人民政府", "F5:I5")
    put(ws, "A6", "项目资金 (万元)", "A6:A10", wrap=True)
    put(ws, "B6", None, "B6:C6")
    for ref, text in (("D6", "年初预算数"), ("E6", "全年预算数"), ("F6", "全年执行数"), ("G6", "分值"),
                      ("H6", "执行率"), ("I6", "得分")):
        put(ws, ref, text)
    put(ws, "B7", "年度资金总额:", "B7:C7")
    for ref, v in (("D7", 0), ("E7", 0), ("F7", 0), ("G7", 10), ("H7", 0), ("I7", 0)):
        put(ws, ref, v)
    put(ws, "B8", "其中:本年财政拨款", "B8:C8")
    for ref, v in (("D8", 90), ("E8", 89.974), ("F8", 89.974), ("G8", None), ("H8", None), ("I8", None)):
        put(ws, ref, v)
    for r, label in ((9, "上年结转资金"), (10, "其他资金")):
        put(ws, f"B{r}", label, f"B{r}:C{r}")
        for c in "DEFGHI":
            put(ws, f"{c}{r}", None)
    put(ws, "A11", "年度总体目标", "A11:A12", wrap=True)
    put(ws, "B11", "预期目标", "B11:E11")
    put(ws, "F11", "实际完成情况", "F11:I11")
    put(ws, "B12", GOAL, "B12:E12", wrap=True)
    put(ws, "F12", DONE, "F12:I12", wrap=True)
    put(ws, "A13", "绩效指标", f"A13:A{FIRST + len(ROWS) - 1}", wrap=True)
    for ref, text in (("B13", "一级指标"), ("C13", "二级指标"), ("D13", "三级指标"), ("E13", "年度指标值"),
                      ("F13", "实际完成值"), ("G13", "分值"), ("H13", "得分"), ("I13", "偏差原因分析及改进措施")):
        put(ws, ref, text, f"{ref}:{ref[0]}14", wrap=True)
    r = FIRST
    for l1, l2, name, target, actual, score, got in ROWS:
        if l1:
            put(ws, f"B{r}", l1[0], f"B{r}:B{r + l1[1] - 1}", wrap=True)
        if l2:
            put(ws, f"C{r}", l2[0], f"C{r}:C{r + l2[1] - 1}" if l2[1] > 1 else None, wrap=True)
        for col, v in zip("DEFGHI", (name, target, actual, score, got, None)):
            put(ws, f"{col}{r}", v, wrap=(col in "DE"))
        r += 1


def _indicators():
    out = []
    l1 = l2 = None
    parsed = {"≥50个": ("≥", "50", "个"), "≥100百分比": ("≥", "100", "%"), "≤90万元": ("≤", "90", "万元")}
    for a, b, name, target, actual, _s, _g in ROWS:
        l1 = a[0].split("(")[0] if a else l1
        l2 = b[0] if b else l2
        if name is None:
            continue
        if target in parsed:
            op, val, unit = parsed[target]
            item = {"operator": op, "value": val, "unit": unit, "kind": "quantitative"}
        else:
            item = {"operator": None, "value": None, "unit": None, "kind": "qualitative"}
        out.append({"level1": l1, "level2": l2, "name": name, "raw": target, **item, "raw_other": str(actual)})
    return out


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "池州市贵池区棠溪镇人民政府",  # key convention: unit codes in front are not the name
            "implementer": "池州市贵池区棠溪镇人民政府",
            "annual": "0",
            "appropriation": "900000",  # key convention: a 自评表's target is its 年初预算数 column
            "goal_year": GOAL,
        },
        "indicators": _indicators(),
        "defects": [
            {"code": "M02", "cell": "D7", "why": "年度资金总额 年初预算数 0 while 其中:本年财政拨款 is 90万元"},
        ],
    }
]
