"""宝鸡市陈仓区财政局 2020年省级财政水利发展资金绩效目标表（农村饮水安全巩固提升工程专项）, Shaanxi."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "宝鸡市陈仓区财政局（致陈仓区水利局）",
    "province": "陕西",
    "year": 2020,
    "url": "http://www.chencang.gov.cn/col8173/col8180/col8789/col9203/202005/t20200529_126007.html",
    "title": "关于下达2020年第二批省级财政水利发展资金的通知 — 附件:2020年省级财政水利发展资金绩效目标表",
    "truncated": True,
    "notes": (
        "Notice of 2020-05-29 (财政局 农业股) with the attachment table printed on the page; the stored copy "
        "ends inside 产出指标/质量指标 (after '指标1:工程验收合格率 ≧ %'), so TRUNCATED there — 时效/成本/效益/"
        "满意度 rows are not in the copy and are not invented. Transfer-payment layout: title + '(2020)年度' "
        "(year in brackets before 年度); '专项(项目)名称'; four authority cells in two rows: 市级财政部门 | "
        "市级主管部门, 区级财政部门 | 区级主管部门 (no 实施单位); '资金情况(万元)' block read as a 2-column "
        "sub-table with headers '资金来源 | 资金总额' and rows '其中:财政拨款 500', '其他资金' (blank) — there "
        "is no separate total line; one '总体目标' row. Indicator names numbered '指标1:' … '指标4:' per 二级; "
        "the 指标值 column still holds the TEMPLATE'S UNITS ONLY ('公里', '万亩', '万人', '≧ %' with the "
        "full-width ≧ and a blank where the number goes) — the form was published unfilled. Names are the "
        "template's generic 水利发展资金 list (堤防, 灌区, 中小河流 '问道' sic) although the money is for rural "
        "drinking water."
    ),
}

FILE = "陈仓区财政局_2020_省级水利发展资金.xlsx"

SHEET = "绩效目标表"
NAME = "农村饮水安全巩固提升工程专项"
GOAL = "完成省级水利发展农村饮水项目投资500,改善提升9200人饮水条件。"

ROWS = [
    (11, "指标1:新建堤防、护岸长度", "公里"),
    (12, "指标2:灌区节水改造面积", "万亩"),
    (13, "指标3:农村饮水工程覆盖服务人口数", "万人"),
    (14, "指标4:中小河流治理问道长度", "公里"),
    (15, "指标1:工程验收合格率", "≧ %"),
]


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDE", (14, 12, 14, 34, 14)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "2020年省级财政水利发展资金绩效目标表", "A1:E1", border=False)
    put(ws, "A2", "(2020)年度", "A2:E2", border=False)
    put(ws, "A3", "专项(项目)名称")
    put(ws, "B3", NAME, "B3:E3")
    put(ws, "A4", "市级财政部门")
    put(ws, "B4", "宝鸡市财政局", "B4:C4")
    put(ws, "D4", "市级主管部门")
    put(ws, "E4", "宝鸡市水利局")
    put(ws, "A5", "区级财政部门")
    put(ws, "B5", "陈仓区财政局", "B5:C5")
    put(ws, "D5", "区级主管部门")
    put(ws, "E5", "陈仓区水利局")
    put(ws, "A6", "资金情况(万元)", "A6:A8", wrap=True)
    put(ws, "B6", "资金来源", "B6:C6")
    put(ws, "D6", "资金总额", "D6:E6")
    put(ws, "B7", "其中:财政拨款", "B7:C7")
    put(ws, "D7", 500, "D7:E7")
    put(ws, "B8", "其他资金", "B8:C8")
    put(ws, "D8", None, "D8:E8")
    put(ws, "A9", "总体目标")
    put(ws, "B9", GOAL, "B9:E9", wrap=True)
    put(ws, "A10", "绩效指标", "A10:A15")
    for c, h in zip("BCDE", ("一级指标", "二级指标", "三级指标", "指标值")):
        put(ws, f"{c}10", h)
    put(ws, "B11", "产出指标", "B11:B15")
    put(ws, "C11", "数量指标", "C11:C14")
    put(ws, "C15", "质量指标")
    for r, name, value in ROWS:
        put(ws, f"D{r}", name, wrap=True)
        put(ws, f"E{r}", value)
    # stored copy ends here (truncated)


def _ind(l2, name, raw, op, unit):
    # key convention: a value without a number has no normal form (kind qualitative, no unit); it is I03
    return {"level1": "产出指标", "level2": l2, "name": name, "raw": raw, "operator": op if raw == "≧ %" else None,
            "value": None, "unit": None, "kind": "qualitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "陈仓区水利局",
            # key convention: a lone 资金总额 (no 年度 total beside it) is the project's total
            "total": "5000000",
            "fiscal": "5000000",
            "goal_total": GOAL,  # key convention: 总体目标 is the project's overall goal
        },
        "indicators": [
            _ind("数量指标", "指标1:新建堤防、护岸长度", "公里", None, "公里"),
            _ind("数量指标", "指标2:灌区节水改造面积", "万亩", None, "万亩"),
            _ind("数量指标", "指标3:农村饮水工程覆盖服务人口数", "万人", None, "万人"),
            _ind("数量指标", "指标4:中小河流治理问道长度", "公里", None, "公里"),
            _ind("质量指标", "指标1:工程验收合格率", "≧ %", "≥", "%"),
        ],
        "defects": [
            {"code": "I03", "cell": f"E{r}", "why": f"指标值 holds only the template unit '{v}', no number"}
            for r, _n, v in ROWS
        ],
    }
]
