"""东莞市交通运输局 东莞市财政项目支出绩效目标批复表 (2019年度), Guangdong."""

from tests.real.kit import put

SOURCE = {
    "publisher": "东莞市交通运输局",
    "province": "广东",
    "year": 2019,
    "url": "https://gdyinping.com/wwwgdyinpingcom/007329896/0801/201904/fdb5a052be7e4616a3536a4af16269b8.htm",
    "title": "东莞市财政项目支出绩效目标批复表(镇际联网路升级改造工程一期)",
    "truncated": True,
    "notes": (
        "Stored copy (a mirror of the 东莞市交通运输局 notice, 索引号 007329896/2019-11414, 2019-04-29) is cut "
        "inside the 可持续影响指标 row: the rows up to 效果指标/社会、经济、生态效益 指标 are transcribed, the "
        "cut row and anything after it (satisfaction) are left out. Layout: 批复表 (approval form), header "
        "line '预算单位:东莞市交通运输局'; 项目 名称 on the same row as 中期市财政预算(万元) 284500.00 and "
        "本年度申请市财政预算资金(万元) 919.00 (numbers with two decimals, 万元 in the label). Goals in two "
        "columns 中期滚动目标(2019年--2021年) | 年度目标. Indicators side by side: 一级 | 二级 | 三级 | "
        "指标值(或计划水平) [mid-term] | 二级 | 三级 | 计划指标值(或计划水平) [annual]. Old Guangdong wording: "
        "预期产出指标, 数量指标(或建筑规模指标), 时效指标(工期指标) vs 时效指标(工期指标、形象进度指标), "
        "预算(或投资规模)控制指标, 效果指标, '社会、经济、生态效益 指标'. Mapping: 预算单位 -> implementer, "
        "中期市财政预算 -> total, 本年度申请市财政预算资金 -> annual; annual indicator side = raw, "
        "mid-term side in raw_other."
    ),
}

FILE = "东莞市交通运输局_2019_镇际联网路升级改造工程一期.xlsx"

S = "绩效目标批复表"

GOAL_MID = "新建或改造道路,共29个项目,规划里程169公里。"
GOAL_YEAR = "督促勘察设计单位、咨询单位完成勘察设计费、审查咨询费结算532万元,以及茶山、常平镇街完成3个项目补助尾款结算387万元。"

ROWS = [
    # 一级, 二级(中期), 三级, 值(中期), 二级(年度), 三级, 值(年度)
    ("预期产出指标", "数量指标(或建筑规模指标)", "镇街补助款完成结算项目数", 3,
     "数量指标(或建筑规模指标)", "镇街补助款完成结算项目数", 3),
    (None, "质量指标", "补助款结算误差率", "±3%以内", "质量指标", "补助款结算误差率", "±3%以内"),
    (None, "时效指标(工期指标)", "结算款支付及时性", "及时", "时效指标(工期指标、形象进度指标)", "结算款支付及时性", "及时"),
    (None, "预算(或投资规模)控制指标", "年度预算执行率", "≥90%", "预算(或投资规模)控制指标", "年度预算执行率", "≥90%"),
    ("效果指标", "社会、经济、生态效益 指标", "补助款结算争议率", "0%", "社会、经济、生态效益 指标", "补助款结算争议率",
     "0%"),
]


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEFGH", (8, 10, 16, 22, 14, 16, 22, 14)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "东莞市财政项目支出绩效目标批复表", "A1:H1", border=False)
    put(ws, "A2", "( 2019 年度)", "A2:H2", border=False)
    put(ws, "A3", "预算单位:东莞市交通运输局", "A3:H3", border=False)
    put(ws, "A4", "项目 名称")
    put(ws, "B4", "镇际联网路升级改造工程一期", "B4:C4")
    put(ws, "D4", "中期市财政预算(万元)")
    put(ws, "E4", 284500.00, fmt="0.00")
    put(ws, "F4", "本年度申请市财政预算资金(万元)", "F4:G4")
    put(ws, "H4", 919.00, fmt="0.00")
    put(ws, "A5", "总体目标", "A5:A6")
    put(ws, "B5", "中期滚动目标(2019年--2021年)", "B5:E5")
    put(ws, "F5", "年度目标", "F5:H5")
    put(ws, "B6", GOAL_MID, "B6:E6")
    put(ws, "F6", GOAL_YEAR, "F6:H6")
    ws.row_dimensions[6].height = 45
    put(ws, "A7", "绩效指标", "A7:A12")
    for c, h in zip("BCDEFGH", ("一级 指标", "二级 指标", "三级 指标", "指标值(或计划水平)", "二级 指标", "三级 指标",
                                "计划指标值(或计划水平)")):
        put(ws, f"{c}7", h, wrap=True)
    put(ws, "B8", "预期产出指标", "B8:B11", wrap=True)
    r = 8
    for l1, l2m, n_m, v_m, l2y, n_y, v_y in ROWS:
        if l1 and r != 8:
            put(ws, f"B{r}", l1)
        put(ws, f"C{r}", l2m, wrap=True); put(ws, f"D{r}", n_m); put(ws, f"E{r}", v_m)
        put(ws, f"F{r}", l2y, wrap=True); put(ws, f"G{r}", n_y); put(ws, f"H{r}", v_y)
        r += 1


L1 = {"预期产出指标": "产出指标", "效果指标": "效益指标"}
L2 = {"数量指标(或建筑规模指标)": "数量指标", "质量指标": "质量指标",
      "时效指标(工期指标、形象进度指标)": "时效指标",
      # key convention: the old 预算(或投资规模)控制指标 is the 成本指标 of the current framework
      "预算(或投资规模)控制指标": "成本指标"}
PARSE = {
    3: ("3", None, "3", None, "quantitative"),
    "±3%以内": ("±3%以内", "≤", "3", "%", "quantitative"),
    "及时": ("及时", None, None, None, "qualitative"),
    "≥90%": ("≥90%", "≥", "90", "%", "quantitative"),
    "0%": ("0%", None, "0", "%", "quantitative"),
}


def _indicators():
    out, l1 = [], None
    for r_l1, _l2m, _nm, v_m, l2y, n_y, v_y in ROWS:
        l1 = r_l1 or l1
        raw, op, val, unit, kind = PARSE[v_y]
        out.append({"level1": L1[l1], "level2": L2.get(l2y, l2y), "name": n_y, "raw": raw, "operator": op,
                    "value": val, "unit": unit, "kind": kind,
                    "raw_other": {"指标值(或计划水平)": str(v_m)}})
    return out


KEY = [
    {
        "sheet": S,
        "name": "镇际联网路升级改造工程一期",
        "fields": {
            "name": "镇际联网路升级改造工程一期",
            "implementer": "东莞市交通运输局",
            "total": "2845000000",
            "annual": "9190000",
            "goal_total": GOAL_MID,
            "goal_year": GOAL_YEAR,
        },
        "indicators": _indicators(),
        "defects": [
            {"code": "I04", "cell": "H8", "why": "镇街补助款完成结算项目数 = bare 3 with no unit (项/个)"},
        ],
    },
]
