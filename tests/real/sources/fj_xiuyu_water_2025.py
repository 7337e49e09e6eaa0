"""莆田市秀屿区 2025年省级第七批水利专项资金绩效目标表 (附件2 of a fund-allocation notice)."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "莆田市秀屿区财政局、莆田市秀屿区水利局",
    "province": "福建",
    "year": 2025,
    "url": "https://www.chacewang.com/newsdetail/news886214.html",
    "title": "秀屿区2025年省级第七批水利专项资金绩效目标表（附件2，莆田市秀屿区财政局 莆田市秀屿区水利局 2025年9月19日）",
    "truncated": True,
    "notes": (
        "Republished on chacewang.com from the district notice; the stored copy is flattened text and is "
        "cut off after the 时效指标 row (the 效益指标/社会效益指标 row starts and breaks off at '是'), so only "
        "the header, money block, 总体目标 and the first four indicator rows are transcribed. Layout quirks: "
        "title row with the year in the title (no separate 年度 row); '主管部门(单位)名称'; money row "
        "'资金情况(万元) | 资金总额 | 35 | 其中:财政拨款 | 35 | 其他资金 | 0' on ONE line; indicator header "
        "一级指标|二级指标|三级指标|指标解释|指标方向|笏石街道办|埭头镇 — the comparison sign is its own "
        "column (指标方向: ≤ ≥ 是/否) and the value is split by recipient town (two value columns, no 年度指标值 "
        "header). Units sit in the 三级 name: '(%)', '(个)'. 成本指标/经济成本指标 is the FIRST 一级 (2025 "
        "Fujian framework). The 100% town values are stored as percent-formatted numbers. KEY: raw = 指标方向 + "
        "笏石街道办 value; the 埭头镇 value goes in raw_other. 总体目标 ends with a comma as stored. "
        "Transfer-payment target table (专项资金), not a departmental 项目支出 form."
    ),
}

FILE = "莆田市秀屿区_省级第七批水利专项资金_2025.xlsx"

SHEET = "附件2"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGH", (10, 12, 14, 30, 30, 10, 12, 12)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "附件2", border=False)
    put(ws, "A2", "秀屿区2025年省级第七批水利专项资金绩效目标表", "A2:H2", border=False)
    put(ws, "A3", "项目名称", "A3:B3")
    put(ws, "C3", "省级第七批水利专项资金", "C3:D3")
    put(ws, "E3", "主管部门(单位)名称")
    put(ws, "F3", "秀屿区水利局", "F3:H3")
    put(ws, "A4", "资金情况(万元)", "A4:B4")
    put(ws, "C4", "资金总额")
    put(ws, "D4", 35)
    put(ws, "E4", "其中:财政拨款")
    put(ws, "F4", 35)
    put(ws, "G4", "其他资金")
    put(ws, "H4", 0)
    put(ws, "A5", "总体目标", "A5:B5")
    put(ws, "C5", "开展2个防洪水利设施水毁修复,", "C5:H5")
    put(ws, "A6", "绩效指标", "A6:A10", wrap=True)
    for col, text in zip("BCDEFGH", ("一级指标", "二级指标", "三级指标", "指标解释", "指标方向", "笏石街道办", "埭头镇")):
        put(ws, f"{col}6", text)
    put(ws, "B7", "成本指标")
    put(ws, "C7", "经济成本指标")
    put(ws, "D7", "省级财政专项资金投入成本控制率(%)", wrap=True)
    put(ws, "E7", "反映省级财政专项资金投入成本控制情况", wrap=True)
    put(ws, "F7", "≤")
    percent(ws, "G7", 1.0)
    percent(ws, "H7", 1.0)
    put(ws, "B8", "产出指标", "B8:B10")
    put(ws, "C8", "数量指标")
    put(ws, "D8", "开展修复工程(个)")
    put(ws, "E8", "反映防洪水利设施水毁修复项目开展情况", wrap=True)
    put(ws, "F8", "≥")
    put(ws, "G8", 1)
    put(ws, "H8", 1)
    put(ws, "C9", "质量指标")
    put(ws, "D9", "已建工程是否存在质量问题", wrap=True)
    put(ws, "E9", "当年已完工项目是否在检查中发现质量问题", wrap=True)
    put(ws, "F9", "是/否")
    put(ws, "G9", "否")
    put(ws, "H9", "否")
    put(ws, "C10", "时效指标")
    put(ws, "D10", "截至2026年12月底,项目开展率(%)", wrap=True)
    put(ws, "E10", "反映修复开展情况")
    put(ws, "F10", "≥")
    percent(ws, "G10", 1.0)
    percent(ws, "H10", 1.0)


def _ind(l1, l2, name, raw, op, value, unit, other):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative" if value is not None else "qualitative",
            "raw_other": {"埭头镇": other}}


KEY = [
    {
        "sheet": SHEET,
        "name": "省级第七批水利专项资金",
        "fields": {
            "name": "省级第七批水利专项资金",
            "supervisor": "秀屿区水利局",
            "total": "350000",
            "fiscal": "350000",
            "other": "0",
            "goal_total": "开展2个防洪水利设施水毁修复,",
        },
        "indicators": [
            _ind("成本指标", "经济成本指标", "省级财政专项资金投入成本控制率(%)", "≤100%", "≤", "100", "%", "≤100%"),
            _ind("产出指标", "数量指标", "开展修复工程(个)", "≥1个", "≥", "1", "个", "≥1个"),
            _ind("产出指标", "质量指标", "已建工程是否存在质量问题", "否", None, None, None, "否"),
            _ind("产出指标", "时效指标", "截至2026年12月底,项目开展率(%)", "≥100%", "≥", "100", "%", "≥100%"),
        ],
        "defects": [],
    }
]
