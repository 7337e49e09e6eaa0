"""安溪县水利局 2022年省级第七批水利专项资金安排表 + 绩效目标表 (附件1/附件2 of a notice, 2023-03-20)."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "安溪县水利局",
    "province": "福建",
    "year": 2022,
    "url": "http://fjax.gov.cn/zwgk/zdgkxx/sl/slgcjs/202403/t20240304_3010568.htm",
    "title": "2022年省级第七批水利专项资金绩效目标表（附件2，安溪县水利局 2023年3月20日）",
    "truncated": True,
    "notes": (
        "Government page with the notice text, 附件1 (allocation table, 单位:万元, 7 villages, 合计 100) and "
        "附件2 (the target table) one after the other; both tables are transcribed on one sheet in page "
        "order, the notice paragraphs are left out. The stored copy breaks off inside the second indicator "
        "row (二级 '时效指标', 三级 starting '截…'), so only the 数量指标 row is transcribed (the cut row is left out). Layout "
        "quirks: spaced labels '总 体 目 标', '指 标 解 释', '项 目 名 称', '绩效 指标', '产出 指标'; "
        "'主管部门(单位)名称'; the money block on one row with 其他资金 blank; the value is split over SEVEN "
        "recipient columns (西坪镇尧山村 … 尚卿乡尤俊村), no 指标值 header and no comparison sign at all (bare 1; "
        "the unit is in the name '(个)'). KEY: raw = first village column, the other six in raw_other. The "
        "allocation table above the form is not a form (a parser must skip it)."
    ),
}

FILE = "安溪县水利局_省级第七批水利专项资金_2022.xlsx"

SHEET = "附件"

VILLAGES = ["西坪镇尧山村", "桃舟乡吾培村", "芦田镇三洋村", "蓬莱镇植洋村", "魁斗镇奇观村", "龙涓乡长塔村", "尚卿乡尤俊村"]


def build(wb):
    ws = wb.active
    ws.title = SHEET
    widths = (10, 10, 14, 28, 24) + (10,) * 7
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    put(ws, "A1", "附件1", border=False)
    put(ws, "A2", "2022年省级第七批水利专项资金安排表", "A2:E2", border=False)
    put(ws, "E3", "单位:万元", border=False)
    for col, text in zip("ABCDE", ("序号", "乡镇名称", "项 目 名 称", "金额", "备注")):
        put(ws, f"{col}4", text)
    alloc = [
        (1, "西坪镇", "尧山村排洪排水工程建设", 20),
        (2, "桃舟乡", "吾培村前村洋头水圳修复", 15),
        (3, "芦田镇", "三洋村坝头溪河道治理", 20),
        (4, "蓬莱镇", "植洋村墩后角落溪流河堤修复", 10),
        (5, "魁斗镇", "奇观村河道护岸修复", 10),
        (6, "龙涓乡", "长塔村水利设施修复", 10),
        (7, "尚卿乡", "尤俊村堤岸修复", 15),
    ]
    r = 5
    for no, town, proj, amount in alloc:
        put(ws, f"A{r}", no)
        put(ws, f"B{r}", town)
        put(ws, f"C{r}", proj)
        put(ws, f"D{r}", amount)
        put(ws, f"E{r}", None)
        r += 1
    put(ws, f"A{r}", "合计", f"A{r}:C{r}")
    put(ws, f"D{r}", 100)
    put(ws, f"E{r}", None)
    # r == 12; one blank row, then 附件2
    put(ws, "A14", "附件2", border=False)
    put(ws, "A15", "2022年省级第七批水利专项资金绩效目标表", "A15:L15", border=False)
    put(ws, "A16", "项目名称", "A16:B16")
    put(ws, "C16", "省级第七批水利专项资金", "C16:D16")
    put(ws, "E16", "主管部门(单位)名称")
    put(ws, "F16", "安溪县水利局", "F16:L16")
    put(ws, "A17", "资金情况(万元)", "A17:B17")
    put(ws, "C17", "资金总额")
    put(ws, "D17", 100)
    put(ws, "E17", "其中:财政拨款")
    put(ws, "F17", 100)
    put(ws, "G17", "其他资金", "G17:H17")
    put(ws, "I17", None, "I17:L17")
    put(ws, "A18", "总 体 目 标", "A18:B18")
    put(ws, "C18", "开展7个小型水利工程建设", "C18:L18")
    put(ws, "A19", "绩效 指标", "A19:A20", wrap=True)
    for col, text in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指 标 解 释")):
        put(ws, f"{col}19", text)
    for i, v in enumerate(VILLAGES):
        put(ws, f"{chr(ord('F') + i)}19", v, wrap=True)
    put(ws, "B20", "产出 指标")
    put(ws, "C20", "数量指标")
    put(ws, "D20", "开展小型水利工程建设(个)", wrap=True)
    put(ws, "E20", "反映小型水利工程建设项目开展情况", wrap=True)
    for i in range(7):
        put(ws, f"{chr(ord('F') + i)}20", 1)


KEY = [
    {
        "sheet": SHEET,
        "name": "省级第七批水利专项资金",
        "fields": {
            "name": "省级第七批水利专项资金",
            "supervisor": "安溪县水利局",
            "total": "1000000",
            "fiscal": "1000000",
            "goal_total": "开展7个小型水利工程建设",
        },
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "开展小型水利工程建设(个)", "raw": "1个",
             "operator": None, "value": "1", "unit": "个", "kind": "quantitative",
             "raw_other": {v: "1个" for v in VILLAGES[1:]}},
        ],
        "defects": [
            {"code": "I05", "cell": "F20", "why": "bare number 1 (and in G20:L20) with no comparison sign and no 指标方向 column"},
        ],
    }
]
