"""永德县明朗中学 2022年度项目支出绩效自评表 (义务教育营养改善计划专项资金), Yunnan (公开14表)."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "临沧市永德县明朗中学（永德县人民政府网站发布）",
    "province": "云南",
    "year": 2022,
    "url": "https://www.yongde.gov.cn/info/3003/116104.htm",
    "title": "2022年度项目支出绩效自评表（公开14表）— 义务教育营养改善计划专项资金",
    "truncated": False,
    "notes": (
        "A SELF-EVALUATION form (自评表, Yunnan 决算公开 '公开14表'), not a pure target form: it carries the "
        "年度指标值 (target) beside 实际完成值/分值/得分. Complete in the stored copy ('|'-joined, empty cells "
        "partly dropped), grid reconstructed on 10 columns. Header '部门:临沧市永德县明朗中学' and '公开14表'. "
        "Money in 元 ('项目资金 (元)') with columns 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分; "
        "the 年度资金总额 row shows only two amounts, taken as 全年预算数/全年执行数 387664.62 with 年初预算数 "
        "blank (a transfer fund allotted during the year); rows '其中:当年财政 拨款', '上年结转 资金', 其他资金 "
        "with '—' placeholders. '年度 总体 目标' with 预期目标 | 实际完成情况. Indicator header on two rows: "
        "'绩效指标' over 一级/二级/三级, '年度指标值' split into 指标性质 | 指标值 | 度量单位, then 实际完成值 | 分值 | "
        "得分 | 偏差原因分析及改进措施. Operators printed as '≧' (U+2267) and '═' (U+2550, a box-drawing "
        "character used for '='); number and unit in separate cells; 实际完成值 as text '100%', '98%', bare '735'. "
        "二级 labels broken 'xx效益 指标' (space), '服务对象满意度指标等' (with 等); an empty 生态效益指标 row; "
        "qualitative row 指标值 '有效' with empty 指标性质/度量单位. Footer '其他需要说明事项 无' and '总分 100 96 优'. "
        "KEY: raw = 年度指标值 (sign+number+unit), raw_other = 实际完成值; 全年预算数 -> annual, 其中:当年财政拨款 "
        "-> appropriation, 预期目标 -> goal_year."
    ),
}

FILE = "永德县明朗中学_2022_营养改善计划_自评表.xlsx"

SHEET = "公开14表"
NAME = "义务教育营养改善计划专项资金"
GOAL = "确保每一个学生都能享受到国家政策福利,改善学生体质"
AMOUNT = 387664.62
GE, EQ = "≧", "═"

# (一级 (label, span) | None, 二级 (label, span) | None, 三级, 指标性质, 指标值, 度量单位, 实际完成值, 分值, 得分)
ROWS = [
    (("产出指标", 4), ("数量指标", 1), "学生受资助人数", GE, 735, "人次", 735, 10, 10),
    (None, ("质量指标", 1), "营养改善计划覆盖率", GE, 100, "%", "100%", 10, 10),
    (None, ("时效指标", 1), "资金到位及时率", GE, 100, "%", "100%", 10, 7),
    (None, ("成本指标", 1), "生均补助标准达标率", EQ, 100, "%", "100%", 10, 10),
    (("效益指标", 4), ("经济效益 指标", 1), "减轻贫困学生家庭经济负担", None, "有效", None, "有效", 10, 10),
    (None, ("社会效益 指标", 1), "政策知晓率", EQ, 100, "%", "98%", 10, 9),
    (None, ("生态效益 指标", 1), None, None, None, None, None, None, None),
    (None, ("可持续影响 指标", 1), "促进学校教育事业健康发展", GE, 100, "%", "100%", 10, 10),
    (("满意度指标", 2), ("服务对象满意度指标等", 2), "学生满意度", GE, 95, "%", "100%", 10, 10),
    (None, None, "家长满意度", GE, 95, "%", "100%", 10, 10),
]
FIRST = 14


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGHIJ", (12, 14, 26, 8, 10, 8, 12, 8, 8, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "2022年度项目支出绩效自评表", "A1:J1", border=False)
    put(ws, "A2", "部门:临沧市永德县明朗中学", "A2:F2", border=False)
    put(ws, "J2", "公开14表", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", NAME, "B3:J3")
    put(ws, "A4", "主管部门")
    put(ws, "B4", "永德县教育体育局", "B4:E4")
    put(ws, "F4", "实施单位")
    put(ws, "G4", "永德县明朗中学", "G4:J4")
    put(ws, "A5", "项目资金 (元)", "A5:A9", wrap=True)
    put(ws, "B5", None, "B5:C5")
    for ref, text in (("D5", "年初预算数"), ("E5", "全年预算数"), ("F5", "全年执行数"), ("G5", "分值"),
                      ("H5", "执行率")):
        put(ws, ref, text)
    put(ws, "I5", "得分", "I5:J5")
    put(ws, "B6", "年度资金总额", "B6:C6")
    put(ws, "D6", None)
    put(ws, "E6", AMOUNT, fmt="0.00")
    put(ws, "F6", AMOUNT, fmt="0.00")
    put(ws, "G6", 10)
    percent(ws, "H6", 1.0)
    put(ws, "I6", 10, "I6:J6")
    put(ws, "B7", "其中:当年财政 拨款", "B7:C7")
    put(ws, "D7", None)
    put(ws, "E7", AMOUNT, fmt="0.00")
    put(ws, "F7", AMOUNT, fmt="0.00")
    put(ws, "G7", "—")
    put(ws, "H7", "—")
    put(ws, "I7", "—", "I7:J7")
    put(ws, "B8", "上年结转 资金", "B8:C8")
    for c in "DEF":
        put(ws, f"{c}8", None)
    put(ws, "G8", "—")
    put(ws, "H8", "—")
    put(ws, "I8", "—", "I8:J8")
    put(ws, "B9", "其他资金", "B9:C9")
    for c in "DEFGH":
        put(ws, f"{c}9", "—")
    put(ws, "I9", "—", "I9:J9")
    put(ws, "A10", "年度 总体 目标", "A10:A11", wrap=True)
    put(ws, "B10", "预期目标", "B10:F10")
    put(ws, "G10", "实际完成情况", "G10:J10")
    put(ws, "B11", GOAL, "B11:F11", wrap=True)
    put(ws, "G11", GOAL, "G11:J11", wrap=True)
    put(ws, "A12", "绩效指标", "A12:C12")
    put(ws, "D12", "年度指标值", "D12:F12")
    put(ws, "G12", "实际完成值", "G12:G13")
    put(ws, "H12", "分值", "H12:H13")
    put(ws, "I12", "得分", "I12:I13")
    put(ws, "J12", "偏差原因分析及改进措施", "J12:J13", wrap=True)
    for ref, text in (("A13", "一级指标"), ("B13", "二级指标"), ("C13", "三级指标"), ("D13", "指标性质"),
                      ("E13", "指标值"), ("F13", "度量单位")):
        put(ws, ref, text)
    r = FIRST
    for l1, l2, name, op, val, unit, actual, score, got in ROWS:
        if l1:
            put(ws, f"A{r}", l1[0], f"A{r}:A{r + l1[1] - 1}" if l1[1] > 1 else None, wrap=True)
        if l2:
            put(ws, f"B{r}", l2[0], f"B{r}:B{r + l2[1] - 1}" if l2[1] > 1 else None, wrap=True)
        for col, v in zip("CDEFGHIJ", (name, op, val, unit, actual, score, got, None)):
            put(ws, f"{col}{r}", v, wrap=(col == "C"))
        r += 1
    put(ws, f"A{r}", "其他需要说明事项")
    put(ws, f"B{r}", "无", f"B{r}:J{r}")
    r += 1
    put(ws, f"A{r}", "总分", f"A{r}:G{r}")
    put(ws, f"H{r}", 100)
    put(ws, f"I{r}", 96)
    put(ws, f"J{r}", "优")


def _indicators():
    out = []
    l1 = l2 = None
    for a, b, name, op, val, unit, actual, _s, _g in ROWS:
        l1 = a[0] if a else l1
        l2 = b[0] if b else l2
        if name is None:
            continue
        canon1 = l1
        canon2 = {"服务对象满意度指标等": "服务对象满意度指标"}.get(l2, l2.replace(" ", ""))
        if isinstance(val, int):
            sign = {GE: "≥", EQ: "="}[op]
            item = {"raw": f"{sign}{val}{unit}", "operator": sign, "value": str(val), "unit": unit,
                    "kind": "quantitative"}
        else:
            item = {"raw": val, "operator": None, "value": None, "unit": None, "kind": "qualitative"}
        out.append({"level1": canon1, "level2": canon2, "name": name, **item, "raw_other": str(actual)})
    return out


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "永德县教育体育局",
            "implementer": "永德县明朗中学",
            "annual": "387664.62",
            "appropriation": "387664.62",
            "goal_year": GOAL,
        },
        "indicators": _indicators(),
        "defects": [],
    }
]
