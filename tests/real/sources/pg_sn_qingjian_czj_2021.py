"""清涧县财政局 2021年中央财政专项扶贫资金绩效表（附表1 绩效目标申报表, 清涧县交通运输局 果园路）, Shaanxi."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "清涧县财政局（项目主管/实施: 清涧县交通运输局）",
    "province": "陕西",
    "year": 2021,
    "url": "http://qjzhf.gov.cn/Government/PublicInfoShow.aspx?ID=15161",
    "title": "清涧县财政局关于提前下达2021年中央财政专项扶贫资金(发展资金)的通知 (清财农发[2020]104号) — "
             "附表1:2021年中央财政专项扶贫资金绩效表",
    "truncated": True,
    "notes": (
        "Notice dated 2020-12-14 for budget year 2021, with the attachment printed as an HTML table (8 grid "
        "columns in the stored copy). The stored copy ends at the 效益指标 一级 label and '经济效益' — "
        "TRUNCATED there (效益/满意度 rows missing, not invented). Reconstructed in 5 columns (A side label, "
        "B 一级, C 二级, D 三级, E 指标值). Quirks: a caption cell '附表1' above the title; title "
        "'绩效目标申报表' + '(2021年度)'; '项目负责人及联系电话' holds a name and phone (replaced by （略）); "
        "'资金情况' WITHOUT a unit (the notice text says 500万元; the form shows bare 500); lines "
        "'年度资金总额:' 500, '其中:财政拨款' 500, '其他资金' blank. The vertical side labels are stored as "
        "their first character only: '总' (总体目标) beside the '年度目标' sub-header and the goal text, and "
        "'绩' (绩效指标) beside the indicator header — kept as stored. Values: '2km' (lower-case unit, no "
        "sign), '100%' (stored as percent numbers), '≤120万元' for a 补助标准 (per-km standard written as a "
        "total)."
    ),
}

FILE = "清涧县财政局_2021_果园路.xlsx"

SHEET = "附表1"
NAME = "2021年交通局寨山石坪、鲍家沟果园路"
GOAL = ("1、改善基础实施建设,呼家河至鲍家沟果园路建设2公里、寨山石坪果园路2公里 2、水泥路硬化路面、边沟及交安实施的"
        "建设,解决了生产道路硬化问题及生命防护问题 3、极大的改善了老百姓的生产生活问题")


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDE", (8, 12, 14, 34, 18)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "附表1", border=False)
    put(ws, "A2", "绩效目标申报表", "A2:E2", border=False)
    put(ws, "A3", "(2021年度)", "A3:E3", border=False)
    put(ws, "A4", "项目名称")
    put(ws, "B4", NAME, "B4:C4", wrap=True)
    put(ws, "D4", "项目负责人及联系电话")
    put(ws, "E4", "（略）")
    put(ws, "A5", "主管部门")
    put(ws, "B5", "清涧县交通运输局", "B5:C5")
    put(ws, "D5", "实施单位")
    put(ws, "E5", "清涧县交通运输局")
    put(ws, "A6", "资金情况", "A6:A8", wrap=True)
    put(ws, "B6", "年度资金总额:", "B6:C6")
    put(ws, "D6", 500, "D6:E6")
    put(ws, "B7", "其中:财政拨款", "B7:C7")
    put(ws, "D7", 500, "D7:E7")
    put(ws, "B8", "其他资金", "B8:C8")
    put(ws, "D8", None, "D8:E8")
    put(ws, "A9", "总", "A9:A10")
    put(ws, "B9", "年度目标", "B9:E9")
    put(ws, "B10", GOAL, "B10:E10", wrap=True)
    ws.row_dimensions[10].height = 60
    put(ws, "A11", "绩", "A11:A17")
    for c, h in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值")):
        put(ws, f"{c}11", h)
    put(ws, "B12", "产出指标", "B12:B16")
    put(ws, "C12", "数量指标", "C12:C13")
    put(ws, "D12", "寨山石坪村新建水泥路1条"); put(ws, "E12", "2km")
    put(ws, "D13", "呼家河至鲍家沟新建水泥路1条"); put(ws, "E13", "2km")
    put(ws, "C14", "质量指标")
    put(ws, "D14", "项目(工程)验收合格率"); percent(ws, "E14", 1.0)
    put(ws, "C15", "时效指标")
    put(ws, "D15", "项目(工程)完成及时率"); percent(ws, "E15", 1.0)
    put(ws, "C16", "成本指标")
    put(ws, "D16", "硬化水泥砼公路补助标准"); put(ws, "E16", "≤120万元")
    put(ws, "B17", "效益指标")
    put(ws, "C17", "经济效益")
    # stored copy ends here (truncated)


def _ind(l2, name, raw, op, value, unit):
    return {"level1": "产出指标", "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "清涧县交通运输局",
            "implementer": "清涧县交通运输局",
            "annual": "5000000",
            "appropriation": "5000000",
            "goal_year": GOAL,
        },
        "indicators": [
            _ind("数量指标", "寨山石坪村新建水泥路1条", "2km", None, "2", "km"),
            _ind("数量指标", "呼家河至鲍家沟新建水泥路1条", "2km", None, "2", "km"),
            _ind("质量指标", "项目(工程)验收合格率", "100%", None, "100", "%"),
            _ind("时效指标", "项目(工程)完成及时率", "100%", None, "100", "%"),
            _ind("成本指标", "硬化水泥砼公路补助标准", "≤120万元", "≤", "120", "万元"),
        ],
        "defects": [
            {"code": "I05", "cell": "E12", "why": "2km without comparison sign (also E13)"},
            {"code": "I05", "cell": "E14", "why": "100% without comparison sign (also E15)"},
        ],
    }
]
