"""鄂州市2022年市直部门预算项目支出绩效目标表（滨湖大胆办公大楼运行保障）, 湖北 — cost breakdown + 绩效标准 column."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "鄂州市机关事务服务中心（市直部门）",
    "province": "湖北",
    "year": 2022,
    "url": "https://desk33.com/d-245426.html",
    "title": "鄂州市2022年市直部门预算项目支出绩效目标表",
    "truncated": True,
    "notes": (
        "Stored copy is the flattened text preview of a .docx (资源ID 245426); grid reconstructed. Hubei municipal 2022 "
        "layout: 项目名称 | 项目类别 (本级支出项目) | 项目性质 (持续性项目) on one row; 立项依据; a 项目预算 block that breaks "
        "the money into 成本构成 rows with 金额 (万元, no unit printed), 测算(公式)依据 and two history columns "
        "2020年实际执行数 / 2021年实际执行数, plus 合计 (814 = 191+99+524); one 绩效目标 text; the indicator header is "
        "'绩效指标' over 一级指标|二级指标|绩效标准|当年预期实现值 with a side column 保障绩效目标实现措施 (empty). The "
        "'一级指标' column actually holds 数量指标/质量指标/成本指标 and '二级指标' holds the indicator names (one level "
        "shifted; 产出 implied). TRUNCATED inside 成本指标: the last stored row '水电气消耗下降率 | 反映水电气消耗比上年下降"
        "情况 | >' is cut and left out; 效益/满意度 rows missing. The fragment '主管部门审核意见 单位公章: 年 月 日' precedes "
        "the title in the stored text (a signature block, position unknown) and is left out. Values are as stored; the "
        "preview text looks OCR-like: '2280次' is probably '≥280次' and '292%' probably '≥92%' (≥ read as 2), '重.要' "
        "has a stray dot (kept), '卫生Z口机关' and '滨湖大胆' are kept as stored. 成本控制率 has no 绩效标准 text; its "
        "value is '不超预算'. The 金额 column prints no unit (万元 by context, 191 for 保安服务费), so KEY omits the money."
    ),
}

FILE = "鄂州市机关事务服务中心_2022.xlsx"
SHEET = "项目支出绩效目标表"
NAME = "滨湖大胆办公大楼运行保障"
GOAL = "以办公大楼服务对象满意为目标,着力打造文明型机关、卫生Z口机关。"

ROWS = [
    # 一级 (as printed: holds the 二级 level), span, name, 绩效标准, 当年预期实现值
    ("数量指标", 2, "办公大楼日常维修维护次数", "反映办公大楼全年维修维护情况", "2280次"),
    (None, 0, "大楼安检巡察次数", "反映大楼保卫巡检情况", "200次"),
    ("质量指标", 3, "办公大楼日常维修维护验收合格率", "反映办公大楼全年维修维护质量情况", ">92%"),
    (None, 0, "经常性大型设备更新验收合格率", "反映办公大楼大型设备更新验收情况", "292%"),
    (None, 0, "重.要设备维修维保验收合格率", "反映设备设施维保质量情况", "95%"),
    ("成本指标", 1, "成本控制率", None, "不超预算"),
]


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFG", (12, 16, 26, 16, 14, 16, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "鄂州市2022年市直部门预算项目支出绩效目标表", "A1:G1", border=False)
    put(ws, "A2", "项目名称")
    put(ws, "B2", NAME, "B2:C2")
    put(ws, "D2", "项目类别")
    put(ws, "E2", "本级支出项目")
    put(ws, "F2", "项目性质")
    put(ws, "G2", "持续性项目")
    put(ws, "A3", "立项依据")
    put(ws, "B3", "市机关事务服务中心三定方案", "B3:G3")
    put(ws, "A4", "项目预算", "A4:A8")
    put(ws, "B4", "成本构成")
    put(ws, "C4", "金额")
    put(ws, "D4", "测算(公式)依据", "D4:E4")
    put(ws, "F4", "2020年实际执行数")
    put(ws, "G4", "2021年实际执行数")
    budget = [("保安服务费", 191, "依据招标文件", 191, 191),
              ("保洁服务费", 99, "依据招标文件", 99, 99),
              ("水电气、维修维护费", 524, "根据三定方案,各项费用据实结算", 372.88, 504.55),
              ("合计", 814, None, 662.98, 794.55)]
    for i, (item, amount, basis, y20, y21) in enumerate(budget):
        r = 5 + i
        put(ws, f"B{r}", item)
        put(ws, f"C{r}", amount)
        put(ws, f"D{r}", basis, f"D{r}:E{r}")
        put(ws, f"F{r}", y20)
        put(ws, f"G{r}", y21)
    put(ws, "A9", "绩效目标")
    put(ws, "B9", GOAL, "B9:G9")
    put(ws, "A10", "绩效指标", "A10:F10")
    put(ws, "G10", "保障绩效目标实现措施", "G10:G11", wrap=True)
    put(ws, "A11", "一级指标")
    put(ws, "B11", "二级指标", "B11:C11")
    put(ws, "D11", "绩效标准", "D11:E11")
    put(ws, "F11", "当年预期实现值")
    r = 12
    for l1, span, name, std, value in ROWS:
        if l1:
            put(ws, f"A{r}", l1, f"A{r}:A{r + span - 1}" if span > 1 else None)
        put(ws, f"B{r}", name, f"B{r}:C{r}")
        put(ws, f"D{r}", std, f"D{r}:E{r}")
        put(ws, f"F{r}", value)
        put(ws, f"G{r}", None)
        r += 1


def _ind(l2, name, raw, op, value, unit):
    return {"level1": "产出指标", "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative" if value is not None else "qualitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {"name": NAME, "category": "本级支出项目", "nature": "持续性项目", "goal_year": GOAL},
        "indicators": [
            _ind("数量指标", "办公大楼日常维修维护次数", "2280次", None, "2280", "次"),
            _ind("数量指标", "大楼安检巡察次数", "200次", None, "200", "次"),
            _ind("质量指标", "办公大楼日常维修维护验收合格率", ">92%", ">", "92", "%"),
            _ind("质量指标", "经常性大型设备更新验收合格率", "292%", None, "292", "%"),
            _ind("质量指标", "重.要设备维修维保验收合格率", "95%", None, "95", "%"),
            _ind("成本指标", "成本控制率", "不超预算", None, None, None),
        ],
        "defects": [
            {"code": "I05", "cell": "F12", "why": "2280次 without comparison sign (stored copy; probably OCR of ≥280次)"},
            {"code": "I05", "cell": "F13", "why": "200次 without comparison sign"},
            {"code": "I06", "cell": "F15", "why": "rate 292% > 100 as stored (probably OCR of ≥92%)"},
            {"code": "I05", "cell": "F16", "why": "95% without comparison sign"},
            {"code": "I11", "cell": "F17", "why": "rate name 成本控制率 with the qualitative value 不超预算"},
        ],
    }
]
