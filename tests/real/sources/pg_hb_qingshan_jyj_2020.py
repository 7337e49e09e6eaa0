"""武汉市青山区教育局 2020年度 项目支出绩效目标表 (两页: 教育系统基础设施建设和设备购置; 农村义务教育薄弱学校改造补助资金), Hubei."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "武汉市青山区教育局",
    "province": "湖北",
    "year": 2020,
    "url": "http://www.qingshan.gov.cn/qzfbm/zfgzbm/jyj/czxx/zjxx/202001/t20200120_1016313.shtml",
    "title": "项目支出绩效目标表3 (2020-01-20); and 绩效目标表 (2021-01-05, "
             "https://www.qingshan.gov.cn/qzfbm/zfgzbm/jyj/czxx/zxzj/ywjygz/202101/t20210105_1589009.shtml)",
    "truncated": False,
    "notes": (
        "Two separate pages of the 青山区教育局 财政信息 column, each one complete HTML table (stored copies "
        "flattened, grid reconstructed), both for 2020年度; one sheet each. "
        "Sheet '项目支出绩效目标表3' (Hubei 2020 部门预算 template): '主管部门及编码' value '[015001]武汉市青山区教育局' "
        "(code in square brackets before the name), 项目属性 '基础建设、修缮类' (a category word, not 新增/延续), "
        "项目起止时间 '202001-202012' (yyyymm-yyyymm), money as text with unit '10000万元' in two side-by-side "
        "columns: 资金总额/其中:财政拨款/其他资金 (project) and 当年资金总额:/其中:当年财政拨款/当年其他资金 "
        "(year); 总体目标 split into 中期目标 | 年度目标; a caption row '绩效项目指标表'; then a 7-column indicator "
        "grid '一级指标 | 二级指标(长期) | 三级指标(长期) | 指标值(长期) | 二级指标(年度) | 三级指标(年度) | "
        "指标值(年度)' where the 长期 二级 column repeats the 二级 name but 三级(长期)/指标值(长期) are EMPTY (not flagged; KEY has no raw_other), "
        "and 一级 is repeated on every row (not merged); row order 产出 数量/质量/成本/时效, 效益 可持续影响 "
        "before 社会效益. Title's year line is stored as '2020年度)' (opening bracket missing, kept). "
        "Sheet '绩效目标表' (转移支付 style, published 2021-01-05 for 2020年度): 项目主管部门 | 项目执行单位 "
        "(the executing unit is a school, 化工区学校), '资金情况 (万元)' with '年度资金总额:16' (number after the "
        "colon in the same cell) and '其中 :上级资金16' (a 上级资金 line instead of 财政拨款), 总体目标 row "
        "holding only a '年度目标' sub-header and its text; header '指标内容' instead of 三级指标; "
        "the satisfaction block is labelled '社会公众或服务对象满意度指标' as a 二级 under 一级 效益指标 (old MoF "
        "template, no 满意度指标 一级; KEY level2 服务对象满意度指标, not flagged, as in hn_xiangtan_hwc_2023); 100% values stored as percent numbers."
    ),
}

FILE = "武汉市青山区教育局_2020.xlsx"

S1 = "项目支出绩效目标表3"
S2 = "绩效目标表"
N1 = "教育系统基础设施建设和设备购置"
N2 = "农村义务教育薄弱学校改造补助资金"
G1_MID = "优化教育布局,推进教育领域综合改革全面提升育人质量实现基础教育持续发展"
G1_YEAR = "按工作计划完成教育局重点项目建设经费预算安排"
G2_YEAR = "全面改善农村义务教育薄弱学校办学条件,扩大基础教育资源,进一步提高义务教育均衡发展水平。"

ROWS1 = [
    ("产出指标", "数量指标", "重点建设工程安排数量", 2),
    ("产出指标", "质量指标", "重点建设工程验收合格率", 1.0),
    ("产出指标", "成本指标", "建设项目成本", "参照政府采购成本控制"),
    ("产出指标", "时效指标", "重点建设工程按期完成率", 1.0),
    ("效益指标", "可持续影响指标", "基础教育巩固提高情况", "巩固提高"),
    ("效益指标", "社会效益指标", "基础教育学校办学条件", "持续改善"),
    ("满意度指标", "服务对象满意度指标", "学生、家长、社会满意度", "≥90%"),
]

ROWS2 = [
    ("产出指标", "数量指标", "农村义务教育学校改造覆盖率", 1.0),
    (None, "质量指标", "校舍维修改造质量合格率", 1.0),
    (None, None, "购置设施设备质量合格率", 1.0),
    (None, "时效指标", "预算资金当年下达率", 1.0),
    (None, None, "项目按计划完成率", 1.0),
    (None, "成本指标", "建设项目成本控制率", 1.0),
    ("效益指标", "可持续影响指标", "义务教育优质均衡发展情况", "稳步提高"),
    (None, "社会公众或服务对象满意度指标", "学生家长满意度", "≥90%"),
    (None, None, "学校满意度", "≥90%"),
]


def _sheet1(ws):
    ws.title = S1
    for col, width in zip("ABCDEFG", (12, 14, 16, 14, 14, 26, 20)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "项目支出绩效目标表", "A1:G1", border=False)
    put(ws, "A2", "2020年度)", "A2:G2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", N1, "B3:G3")
    put(ws, "A4", "主管部门\n及编码", wrap=True)
    put(ws, "B4", "[015001]武汉市青山区教育局", "B4:C4", wrap=True)
    put(ws, "D4", "实施单位", "D4:E4")
    put(ws, "F4", "武汉市青山区教育局", "F4:G4")
    put(ws, "A5", "项目属性")
    put(ws, "B5", "基础建设、修缮类", "B5:C5")
    put(ws, "D5", "项目起止时间", "D5:E5")
    put(ws, "F5", "202001-202012", "F5:G5")
    put(ws, "A6", "项目资金", "A6:A8")
    put(ws, "B6", "资金总额")
    put(ws, "C6", "10000万元")
    put(ws, "D6", "当年资金总额:", "D6:E6")
    put(ws, "F6", "10000万元", "F6:G6")
    put(ws, "B7", "其中:财政拨款")
    put(ws, "C7", "10000万元")
    put(ws, "D7", "其中:当年财政拨款", "D7:E7")
    put(ws, "F7", "10000万元", "F7:G7")
    put(ws, "B8", "其他资金")
    put(ws, "C8", None)
    put(ws, "D8", "当年其他资金", "D8:E8")
    put(ws, "F8", None, "F8:G8")
    put(ws, "A9", "总体目标", "A9:A10")
    put(ws, "B9", "中期目标", "B9:D9")
    put(ws, "E9", "年度目标", "E9:G9")
    put(ws, "B10", G1_MID, "B10:D10", wrap=True)
    put(ws, "E10", G1_YEAR, "E10:G10", wrap=True)
    ws.row_dimensions[10].height = 45
    put(ws, "A11", "绩效项目指标表", "A11:G11")
    for c, h in zip("ABCDEFG", ("一级指标", "二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)",
                                "三级指标(年度)", "指标值(年度)")):
        put(ws, f"{c}12", h, wrap=True)
    r = 13
    for l1, l2, name, value in ROWS1:
        put(ws, f"A{r}", l1)
        put(ws, f"B{r}", l2)
        put(ws, f"C{r}", None)
        put(ws, f"D{r}", None)
        put(ws, f"E{r}", l2)
        put(ws, f"F{r}", name, wrap=True)
        if isinstance(value, float):
            percent(ws, f"G{r}", value)
        else:
            put(ws, f"G{r}", value)
        r += 1


def _sheet2(ws):
    ws.title = S2
    for col, width in zip("ABCDE", (12, 12, 18, 30, 14)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "绩效目标表", "A1:E1", border=False)
    put(ws, "A2", "(2020年度)", "A2:E2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", N2, "B3:E3")
    put(ws, "A4", "项目主管部门")
    put(ws, "B4", "青山区教育局", "B4:C4")
    put(ws, "D4", "项目执行单位")
    put(ws, "E4", "化工区学校")
    put(ws, "A5", "资金情况\n(万元)", "A5:A6", wrap=True)
    put(ws, "B5", "年度资金总额:16", "B5:E5")
    put(ws, "B6", "    其中 :上级资金16", "B6:E6")
    put(ws, "A7", "总体目标", "A7:A8")
    put(ws, "B7", "年度目标", "B7:E7")
    put(ws, "B8", G2_YEAR, "B8:E8", wrap=True)
    put(ws, "A9", "绩效指标", "A9:A18")
    for c, h in zip("BCDE", ("一级指标", "二级指标", "指标内容", "指标值")):
        put(ws, f"{c}9", h)
    merges1 = {10: 15, 16: 18}
    merges2 = {11: 12, 13: 14, 17: 18}
    r = 10
    for l1, l2, name, value in ROWS2:
        if l1 is not None:
            put(ws, f"B{r}", l1, f"B{r}:B{merges1[r]}")
        if l2 is not None:
            end = merges2.get(r)
            put(ws, f"C{r}", l2, f"C{r}:C{end}" if end else None, wrap=True)
        put(ws, f"D{r}", name)
        if isinstance(value, float):
            percent(ws, f"E{r}", value)
        else:
            put(ws, f"E{r}", value)
        r += 1


def build(wb):
    _sheet1(wb.active)
    _sheet2(wb.create_sheet())


def _ind(l1, l2, name, value):
    if isinstance(value, float):
        raw, op, val, unit = "100%", None, "100", "%"
    elif isinstance(value, int):
        raw, op, val, unit = str(value), None, str(value), None
    elif value.startswith("≥"):
        raw, op, val, unit = value, "≥", value[1:-1], "%"
    else:
        raw, op, val, unit = value, None, None, None
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": val, "unit": unit,
            "kind": "quantitative" if val is not None else "qualitative"}


def _ind2():
    out, l1, l2 = [], None, None
    for a, b, name, value in ROWS2:
        l1, l2 = a or l1, b or l2
        out.append(_ind(l1, "服务对象满意度指标" if l2 == "社会公众或服务对象满意度指标" else l2, name, value))
    return out


KEY = [
    {
        "sheet": S1,
        "name": N1,
        "fields": {
            "name": N1,
            "supervisor": "武汉市青山区教育局",
            "implementer": "武汉市青山区教育局",
            "start": "2020-01-01",
            "end": "2020-12-31",
            "total": "100000000",
            "fiscal": "100000000",
            "annual": "100000000",
            "appropriation": "100000000",
            "goal_total": G1_MID,
            "goal_year": G1_YEAR,
        },
        "indicators": [_ind(*row) for row in ROWS1],
        "defects": [
            {"code": "I04", "cell": "G13", "why": "重点建设工程安排数量 = bare 2 with no unit (个/项)"},
            {"code": "I05", "cell": "G13", "why": "bare 2 without comparison sign"},
            {"code": "I05", "cell": "G14", "why": "100% without comparison sign"},
            {"code": "I05", "cell": "G16", "why": "100% without comparison sign"},
        ],
    },
    {
        "sheet": S2,
        "name": N2,
        "fields": {
            "name": N2,
            "supervisor": "青山区教育局",
            "implementer": "化工区学校",
            "annual": "160000",
            "goal_year": G2_YEAR,
        },
        "indicators": _ind2(),
        "defects": [
            {"code": "I05", "cell": "E10", "why": "100% without comparison sign (same in E11:E15)"},
        ],
    },
]
