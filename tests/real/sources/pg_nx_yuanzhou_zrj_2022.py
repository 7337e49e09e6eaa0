"""固原市原州区自然资源局 2022年度 项目支出绩效目标申报表（原州区2022年南部水源涵养林建设项目）, Ningxia."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "固原市原州区自然资源局",
    "province": "宁夏",
    "year": 2022,
    "url": "http://www.yzh.gov.cn/xxgk_13314/zfxxgkml/zdxzjcygk/zdju/202203/t20220301_3340181.html",
    "title": "项目支出绩效目标申报表 (原州区自然资源局, 发文时间 2022-02-23)",
    "truncated": True,
    "notes": (
        "One form published as an HTML table; the stored copy ends right after the 一级 label '满意度指标', so "
        "the satisfaction row (二级/三级/指标值) is missing — TRUNCATED there (no row invented). Grid "
        "reconstructed in 5 columns (A side labels, B 一级, C 二级, D 三级, E 指标值). MoF 2015-style header: "
        "'主管部门及代码' (holding only the name, no code) | 实施单位; 项目属性 '新建' (not 新增/延续); "
        "'项目期' holds '2022年3月-2023年11月' (a month range in words, running into the next year); "
        "'项目资金 (万元)' with only annual lines '年度资金总额:' 6070.00 / '其中:财政拨款' 6070.00 / 其他资金 "
        "(blank); one '年度总体目标' row. The 二级 labels carry template hints in brackets: '数量指标 "
        "(必填硬性指标)', '质量指标 (必填)', '时效指标 (必填)', '成本指标 (必填硬性指标)', '经济效益 指标 "
        "(选填)', '社会效益 指标 (必填)', '生态效益 指标 (选填)', '可持续影响 指标 (必填)'. Units sit in the "
        "三级 names as '(亩)', '(公里)', '(人)' and template hints '(≥**%)', '(≥**万元)' give the sign; the "
        "指标值 column holds bare numbers (80000, 85, 6070). Three 效益 rows hold a sentence in the 三级 "
        "column and nothing in 指标值 (the flattened copy cannot tell an empty cell from a D:E merge; an "
        "empty E cell is used). '其中:实施新造林总面积(亩)' is a sub-item of the row above."
    ),
}

FILE = "原州区自然资源局_2022_南部水源涵养林.xlsx"

SHEET = "项目支出绩效目标申报表"
NAME = "原州区2022年南部水源涵养林建设项目"
GOAL = ("在东马场林场、东岳山林场、古树林场、红庄林场、马渠林场、沈河林场、水沟林场 7 个林场和古雁办、官厅镇、"
        "黄铎堡镇、开城镇、彭堡镇、炭山乡、头营镇、寨科乡、张易镇、中河乡、三营镇 11 个乡镇(街道办事处)实施营造林"
        "8万亩。其中:新造林3万亩,未成林抚育提升及退化林改造5万亩;修建作业道30公里。")

ROWS = [
    # row, 一级 (text, end), 二级 (text, end), 三级, 值
    (11, ("产出指标", 17), ("数量指标 (必填硬性指标)", 14), "实施营造林总面积(亩)", 80000),
    (12, None, None, "其中:实施新造林总面积(亩)", 30000),
    (13, None, None, "实施未成林抚育提升及退化林改造总面积(亩)", 50000),
    (14, None, None, "修建作业道长度(公里)", 30),
    (15, None, ("质量指标 (必填)", None), "苗木成活率(≥**%)", 85),
    (16, None, ("时效指标 (必填)", None), "项目完成时间", "2023年底"),
    (17, None, ("成本指标 (必填硬性指标)", None), "项目总投入(≥**万元)", 6070),
    (18, ("效益指标", 21), ("经济效益 指标 (选填)", None), "增加就业机会,提高农民收入。", None),
    (19, None, ("社会效益 指标 (必填)", None), "受益人数(人)", 132),
    (20, None, ("生态效益 指标 (选填)", None), "提高森林覆盖率,促进生物多样性保护。", None),
    (21, None, ("可持续影响 指标 (必填)", None), "提高森林生态系统服务功能,显著改善项目区及周边地区的生态环境。", None),
]


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDE", (10, 12, 18, 40, 14)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "项目支出绩效目标申报表", "A1:E1", border=False)
    put(ws, "A2", "(2022年度)", "A2:E2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", NAME, "B3:E3")
    put(ws, "A4", "主管部门及代码")
    put(ws, "B4", "固原市原州区自然资源局", "B4:C4")
    put(ws, "D4", "实施单位")
    put(ws, "E4", "固原市原州区自然资源局", wrap=True)
    put(ws, "A5", "项目属性")
    put(ws, "B5", "新建", "B5:C5")
    put(ws, "D5", "项目期")
    put(ws, "E5", "2022年3月-2023年11月", wrap=True)
    put(ws, "A6", "项目资金 (万元)", "A6:A8", wrap=True)
    put(ws, "B6", "年度资金总额:", "B6:C6")
    put(ws, "D6", "6070.00", "D6:E6")
    put(ws, "B7", "其中:财政拨款", "B7:C7")
    put(ws, "D7", "6070.00", "D7:E7")
    put(ws, "B8", "其他资金", "B8:C8")
    put(ws, "D8", None, "D8:E8")
    put(ws, "A9", "年度总体目标")
    put(ws, "B9", GOAL, "B9:E9", wrap=True)
    ws.row_dimensions[9].height = 60
    put(ws, "A10", "绩 效 指 标", "A10:A22", wrap=True)
    for c, h in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值")):
        put(ws, f"{c}10", h)
    for r, l1, l2, name, value in ROWS:
        if l1 is not None:
            text, end = l1
            put(ws, f"B{r}", text, f"B{r}:B{end}" if end else None)
        if l2 is not None:
            text, end = l2
            put(ws, f"C{r}", text, f"C{r}:C{end}" if end else None, wrap=True)
        put(ws, f"D{r}", name, wrap=True)
        put(ws, f"E{r}", value)
    put(ws, "B22", "满意度指标")
    # stored copy ends here (truncated)


def _ind(l1, l2, name, raw, op, value, unit, kind=None):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": kind or ("quantitative" if value is not None else "qualitative")}


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "固原市原州区自然资源局",
            "implementer": "固原市原州区自然资源局",
            "start": "2022-03-01",
            "end": "2023-11-30",
            "annual": "60700000",
            "appropriation": "60700000",
            "goal_year": GOAL,
        },
        "indicators": [
            _ind("产出指标", "数量指标", "实施营造林总面积(亩)", "80000亩", None, "80000", "亩"),
            _ind("产出指标", "数量指标", "其中:实施新造林总面积(亩)", "30000亩", None, "30000", "亩"),
            _ind("产出指标", "数量指标", "实施未成林抚育提升及退化林改造总面积(亩)", "50000亩", None, "50000", "亩"),
            _ind("产出指标", "数量指标", "修建作业道长度(公里)", "30公里", None, "30", "公里"),
            _ind("产出指标", "质量指标", "苗木成活率(≥**%)", "≥85%", "≥", "85", "%"),
            _ind("产出指标", "时效指标", "项目完成时间", "2023年底", None, None, None),
            _ind("产出指标", "成本指标", "项目总投入(≥**万元)", "≥6070万元", "≥", "6070", "万元"),
            _ind("效益指标", "经济效益指标", "增加就业机会,提高农民收入。", "", None, None, None),
            _ind("效益指标", "社会效益指标", "受益人数(人)", "132人", None, "132", "人"),
            _ind("效益指标", "生态效益指标", "提高森林覆盖率,促进生物多样性保护。", "", None, None, None),
            _ind("效益指标", "可持续影响指标", "提高森林生态系统服务功能,显著改善项目区及周边地区的生态环境。", "",
                 None, None, None),
        ],
        "defects": [
            {"code": "I12", "cell": "D15", "why": "template hint '(≥**%)' left in the 三级指标 name"},
            {"code": "I12", "cell": "D17", "why": "template hint '(≥**万元)' left in the 三级指标 name"},
            {"code": "I10", "cell": "E17", "why": "成本指标 项目总投入 with a lower bound (≥**万元 → ≥6070万元)"},
            {"code": "I05", "cell": "E11", "why": "bare 80000 (unit only in the name); same for E12:E14, E19"},
            {"code": "I03", "cell": "E18", "why": "经济效益 row: a sentence as 三级指标 and no 指标值"},
            {"code": "I03", "cell": "E20", "why": "生态效益 row: a sentence as 三级指标 and no 指标值"},
            {"code": "I03", "cell": "E21", "why": "可持续影响 row: a sentence as 三级指标 and no 指标值"},
        ],
    }
]
