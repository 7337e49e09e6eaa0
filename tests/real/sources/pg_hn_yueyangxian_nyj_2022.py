"""岳阳县农业农村局 2022 乡村振兴衔接资金绩效目标申报表（基础设施建设类，高标准农田建设）, Hunan."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "岳阳县农业农村局",
    "province": "湖南",
    "year": 2022,
    "url": "http://www.yyx.gov.cn/37584/38137/content_2016103.html",
    "title": "乡村振兴衔接资金绩效目标申报表(高标准农田建设)（来源:岳阳县农业农村局 2022-05-16）",
    "truncated": False,
    "notes": (
        "One complete form published as an HTML table; the stored copy is flattened (one cell per line), so "
        "the grid is reconstructed on the MoF 转移支付 '绩效目标申报表(参考模板)' layout: 5 columns (A side "
        "labels, B 一级, C 二级, D 三级, E 指标值). Title '绩效目标申报表(基础设施建设类)' + '(2022年度)'. "
        "Header rows: 项目名称 | value | 项目负责人及电话 | (a person's name, replaced by （略）); 主管部门 | "
        "实施单位. '资金情况 (万元)' block with only annual money: '年度资金总额:' holds TEXT "
        "'854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)' (万 inside the value although the "
        "label already says 万元), '其中:财政拨款' holds the same text with '854万' typed twice "
        "('854万854万(...)', sic), 其他资金 empty. '总体目标' is a side label over a single sub-header "
        "'年度目标' whose value row follows (no 中期/实施期 target). 二级 labels printed with a line break "
        "('经济效益\\n指标', '社会效益\\n指标', '生态效益\\n指标', '可持续影响\\n指标'). The template note "
        "'注:各地请根据实际情况…' under the table is kept. 100% (验收合格率) stored as a percent number. "
        "Values mix ≥ with bare numbers (3500公斤, 1600元/亩). Indicator names are the template's 脱贫 "
        "indicators (道路硬化里程, 供水设施) although the project is 高标准农田 — kept as published."
    ),
}

FILE = "岳阳县农业农村局_2022_高标准农田建设.xlsx"

SHEET = "绩效目标申报表"
NAME = "岳阳县2022年高标准农田建设项目"
MONEY_TEXT = "854万(高标准农田建设400万元,示范建设295万元,畅通工程159万元)"
GOAL = "完成项目主体工程70%"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDE", (12, 12, 16, 34, 22)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "绩效目标申报表(基础设施建设类)", "A1:E1", border=False)
    put(ws, "A2", "(2022年度)", "A2:E2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", NAME, "B3:C3", wrap=True)
    put(ws, "D3", "项目负责人及电话")
    put(ws, "E3", "（略）")
    put(ws, "A4", "主管部门")
    put(ws, "B4", "岳阳县农业农村局", "B4:C4")
    put(ws, "D4", "实施单位")
    put(ws, "E4", "农田建设服务中心")
    put(ws, "A5", "资金情况 (万元)", "A5:A7", wrap=True)
    put(ws, "B5", "年度资金总额:", "B5:C5")
    put(ws, "D5", MONEY_TEXT, "D5:E5", wrap=True)
    put(ws, "B6", "其中:财政拨款", "B6:C6")
    put(ws, "D6", "854万" + MONEY_TEXT, "D6:E6", wrap=True)
    put(ws, "B7", "其他资金", "B7:C7")
    put(ws, "D7", None, "D7:E7")
    put(ws, "A8", "总体目标", "A8:A9", wrap=True)
    put(ws, "B8", "年度目标", "B8:E8")
    put(ws, "B9", GOAL, "B9:E9", wrap=True)
    put(ws, "A10", "绩效指标", "A10:A22", wrap=True)
    put(ws, "B10", "一级指标")
    put(ws, "C10", "二级指标")
    put(ws, "D10", "三级指标")
    put(ws, "E10", "指标值")
    rows = [
        (11, ("产出指标", 15), ("数量指标", 12), "脱贫村村内道路硬化里程", "≥100公里"),
        (12, None, None, "脱贫户供水设施数量", "≥20座"),
        (13, None, ("质量指标", None), "项目(工程)验收合格率", 1.0),
        (14, None, ("时效指标", None), "项目(工程)完成及时率", "≥100%"),
        (15, None, ("成本指标", None), "财政资金补助", "1600元/亩"),
        (16, ("效益指标", 21), ("经济效益\n指标", None), "年增粮食", "3500公斤"),
        (17, None, ("社会效益\n指标", 18), "受益脱贫(监测)人口数", "≥500人"),
        (18, None, None, "解决脱贫(监测)饮水安全问题人数", "≥1000人"),
        (19, None, ("生态效益\n指标", 20), "新增和改善灌溉达标面积", "≥500亩"),
        (20, None, None, "新增和改善排水达标面积", "≥200亩"),
        (21, None, ("可持续影响\n指标", None), "工程设计使用年限", "≥20年"),
        (22, ("满意度指标", None), ("服务对象满意度指标", None), "受益脱贫(监测)户满意度", "≥95%"),
    ]
    for r, l1, l2, name, value in rows:
        if l1 is not None:
            text, end = l1
            put(ws, f"B{r}", text, f"B{r}:B{end}" if end else None, wrap=True)
        if l2 is not None:
            text, end = l2
            put(ws, f"C{r}", text, f"C{r}:C{end}" if end else None, wrap=True)
        put(ws, f"D{r}", name, wrap=True)
        if isinstance(value, float):
            percent(ws, f"E{r}", value)
        else:
            put(ws, f"E{r}", value)
    put(ws, "A23", "注:各地请根据实际情况,从上述绩效指标中选择适合的填报(其中三颗星为必填的核心绩效指标,"
        "可结合已下达的中央对地方专项转移支付绩效指标),也可自行增加或适当调整。", "A23:E23", border=False, wrap=True)


def _ind(l1, l2, name, raw, op, value, unit, kind=None):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": kind or ("quantitative" if value is not None else "qualitative")}


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "岳阳县农业农村局",
            "implementer": "农田建设服务中心",
            "annual": "8540000",
            "goal_year": GOAL,
        },
        "indicators": [
            _ind("产出指标", "数量指标", "脱贫村村内道路硬化里程", "≥100公里", "≥", "100", "公里"),
            _ind("产出指标", "数量指标", "脱贫户供水设施数量", "≥20座", "≥", "20", "座"),
            _ind("产出指标", "质量指标", "项目(工程)验收合格率", "100%", None, "100", "%"),
            _ind("产出指标", "时效指标", "项目(工程)完成及时率", "≥100%", "≥", "100", "%"),
            _ind("产出指标", "成本指标", "财政资金补助", "1600元/亩", None, "1600", "元/亩"),
            _ind("效益指标", "经济效益指标", "年增粮食", "3500公斤", None, "3500", "公斤"),
            _ind("效益指标", "社会效益指标", "受益脱贫(监测)人口数", "≥500人", "≥", "500", "人"),
            _ind("效益指标", "社会效益指标", "解决脱贫(监测)饮水安全问题人数", "≥1000人", "≥", "1000", "人"),
            _ind("效益指标", "生态效益指标", "新增和改善灌溉达标面积", "≥500亩", "≥", "500", "亩"),
            _ind("效益指标", "生态效益指标", "新增和改善排水达标面积", "≥200亩", "≥", "200", "亩"),
            _ind("效益指标", "可持续影响指标", "工程设计使用年限", "≥20年", "≥", "20", "年"),
            _ind("满意度指标", "服务对象满意度指标", "受益脱贫(监测)户满意度", "≥95%", "≥", "95", "%"),
        ],
        "defects": [
            {"code": "S03", "cell": "D6", "why": "其中:财政拨款 value '854万854万(高标准农田建设400万元,…)' is text with the amount typed twice"},
            {"code": "I05", "cell": "E13", "why": "100% without comparison sign"},
            {"code": "I05", "cell": "E15", "why": "成本指标 1600元/亩 without comparison sign"},
            {"code": "I05", "cell": "E16", "why": "年增粮食 3500公斤 without comparison sign"},
        ],
    }
]
