"""湘潭市环境卫生管理处 2023年项目支出绩效目标申报表 (雾炮车降尘抑尘服务), Hunan."""

from tests.real.kit import put

SOURCE = {
    "publisher": "湘潭市环境卫生管理处（湘潭市城市管理和综合执法局网站发布）",
    "province": "湖南",
    "year": 2023,
    "url": "http://xtcg.xiangtan.gov.cn/15068/15075/26693/content_1250928.html",
    "title": "湘潭市环境卫生管理处2023年雾炮车降尘抑尘服务项目支出绩效目标申报表",
    "truncated": False,
    "notes": (
        "One project, one table, complete on the page. Hunan 2015-style template: 项目支出名称/预算部门, "
        "年度本级 预算金额 '250万' as text (unit 万 without 元) beside 该项目支出上级资金 0; plan period "
        "'2023.07-2024.01' runs past the budget year (not flagged as D01 since the form has no 项目类别); "
        "satisfaction row '社会公众或服务对象满意度指标' sits under 一级 效益指标 (old MoF template), so "
        "there is no 满意度指标 一级. Empty 二级 rows (经济效益/生态效益/可持续影响) are template rows. "
        "Mapping: 预算部门 -> implementer, 年度本级预算金额 -> annual. Footer (填表人 name and phone) omitted."
    ),
}

FILE = "湘潭市环境卫生管理处_2023_雾炮车降尘抑尘服务.xlsx"

S = "绩效目标申报表"


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEF", (12, 14, 20, 34, 16, 12)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "2023年项目支出绩效目标申报表", "A1:F1", border=False)
    put(ws, "A2", "填报单位:(盖章)                                  单位:万元", "A2:F2", border=False)
    put(ws, "A3", "项目支出名称")
    put(ws, "B3", "雾炮车降尘抑尘服务", "B3:C3")
    put(ws, "D3", "预算部门")
    put(ws, "E3", "湘潭市环境卫生管理处", "E3:F3")
    put(ws, "A4", "年度本级 预算金额", wrap=True)
    put(ws, "B4", "250万", "B4:C4")
    put(ws, "D4", "该项目支出上级资金")
    put(ws, "E4", 0, "E4:F4")
    put(ws, "A5", "项目支出实施期")
    put(ws, "B5", "2023.07-2024.01", "B5:F5")
    put(ws, "A6", "实施期绩效目标")
    put(ws, "B6", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "B6:F6")
    put(ws, "A7", "本年度绩效目标")
    put(ws, "B7", "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良", "B7:F7")
    put(ws, "A8", "本年度 绩效指标", "A8:A18", wrap=True)
    for ref, v in (("B8", "一级指标"), ("C8", "二级指标"), ("D8", "三级指标"), ("E8", "指标值及单位"),
                   ("F8", "绩效标准")):
        put(ws, ref, v)
    put(ws, "B9", "产出指标", "B9:B13")
    put(ws, "C9", "数量指标", "C9:C10")
    put(ws, "D9", "雾炮车降尘抑尘服务配备车辆数"); put(ws, "E9", "10辆"); put(ws, "F9", "计划标准")
    put(ws, "D10", "雾炮车风炮射程"); put(ws, "E10", "≥80M"); put(ws, "F10", "计划标准")
    put(ws, "C11", "质量指标")
    put(ws, "D11", "服务周期内空气质量"); put(ws, "E11", "优良"); put(ws, "F11", "计划标准")
    put(ws, "C12", "时效指标")
    put(ws, "D12", "服务周期"); put(ws, "E12", "2023.07-2024.01"); put(ws, "F12", "计划标准")
    put(ws, "C13", "成本指标")
    put(ws, "D13", "控制在预算成本内"); put(ws, "E13", "250万"); put(ws, "F13", "计划标准")
    put(ws, "B14", "效益指标", "B14:B18")
    put(ws, "C14", "经济效益指标")
    for c in "DEF":
        put(ws, f"{c}14", None)
    put(ws, "C15", "社会效益指标")
    put(ws, "D15", "服务周期内,市民对空气质量改善的满意程度"); put(ws, "E15", "≥85%"); put(ws, "F15", "计划标准")
    put(ws, "C16", "生态效益指标")
    put(ws, "C17", "可持续影响指标")
    for r in (16, 17):
        for c in "DEF":
            put(ws, f"{c}{r}", None)
    put(ws, "C18", "社会公众或服务对象满意度指标", wrap=True)
    put(ws, "D18", "市民满意度"); put(ws, "E18", "≥90%"); put(ws, "F18", "计划标准")
    put(ws, "A19", "财政部门审核意见")
    put(ws, "B19", None, "B19:F19")


def _i(l1, l2, name, raw, op, val, unit, kind):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": val,
            "unit": unit, "kind": kind}


KEY = [
    {
        "sheet": S,
        "name": "雾炮车降尘抑尘服务",
        "fields": {
            "name": "雾炮车降尘抑尘服务",
            "supervisor": "湘潭市环境卫生管理处",  # key convention: 预算部门 is the budget department (主管部门)
            "start": "2023-07-01",
            "end": "2024-01-31",
            "annual": "2500000",
            "goal_total": "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良",
            "goal_year": "通过采购雾炮车降尘抑尘服务,服务周期2023.07-2024.01,全市空气质量达到优良",
        },
        "indicators": [
            _i("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆", None, "10", "辆", "quantitative"),
            _i("产出指标", "数量指标", "雾炮车风炮射程", "≥80M", "≥", "80", "M", "quantitative"),
            _i("产出指标", "质量指标", "服务周期内空气质量", "优良", None, None, None, "qualitative"),
            _i("产出指标", "时效指标", "服务周期", "2023.07-2024.01", None, None, None, "qualitative"),
            _i("产出指标", "成本指标", "控制在预算成本内", "250万", None, "250", "万", "quantitative"),
            _i("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%", "≥", "85", "%",
               "quantitative"),
            _i("效益指标", "服务对象满意度指标", "市民满意度", "≥90%", "≥", "90", "%", "quantitative"),
        ],
        "defects": [],
    },
]
