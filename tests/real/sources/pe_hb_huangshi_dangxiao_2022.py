"""中共黄石市委党校 2022 项目支出绩效目标批复表 (主体班), published by 黄石市财政局, Hubei."""

from __future__ import annotations

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "黄石市财政局（批复 中共黄石市委党校 项目）",
    "province": "湖北",
    "year": 2022,
    "url": "http://czj.huangshi.gov.cn/2020xxgkzn/2020gknr/2020czzj/2020zxzj/202201/t20220125_875008.html",
    "title": "项目支出绩效目标批复表（2022年度）— 主体班（中共黄石市委党校）",
    "truncated": False,
    "notes": (
        "One complete 批复表 (approval form) published as an HTML table on the 黄石市财政局 site (专项资金 column, "
        "2022-01-25). The stored copy is '|'-joined with empty cells pushed to the end of each row, so the grid "
        "is reconstructed on 7 columns: A side label, B 一级, C 二级, D 三级, E/F 指标值 split into "
        "'2021年实际实现值' | '预期2022年实现值' (a two-row header, 指标值 merged over E:F), G '指标标准或依据'. "
        "Every value is placed in F (预期2022年实现值); the 2021 column and 指标标准或依据 are empty in the copy. "
        "Header: '项目名称 | 主体班 | 项目负责人 | (blank)'; '项目金额 164万元' beside '其中:当年市级财政资金 "
        "132万元' (money as text with 万元; the 其中 part is smaller than the total and there is no 其他 line); "
        "'项目主管部门' is left BLANK, '实施单位 中共黄石市委党校'; '项目属性 持续性项目■ 新增性项目口' (tick "
        "box printed as ■, unticked box as the character 口); '项目期 2022年' (year only); '年度绩效目标(文字)'. "
        "In the copy the 一级 label '产出指标' stands on the FIFTH 产出 row (开设课程数量) with no label on the other "
        "产出 rows (not a merge: a label typed in a middle cell); 二级 labels stand on the first row of their group "
        "and are merged here. No 效益指标 at all (I02). Values mostly bare ('280人次', '70%', '100%', bare '220' "
        "without unit); two 100% rates stored as percent numbers. Footer row '财政资金管理科室(盖章) 年 月 日 | "
        "财政绩效管理科室(盖章) 年 月 日' kept."
    ),
}

FILE = "黄石市财政局_2022_主体班_绩效目标批复表.xlsx"

SHEET = "绩效目标批复表"
NAME = "主体班"
GOAL = ("主体班培训280人次;邀请校外名师、领导授课25人次;情景教学或外训批次6批次;开设课程数量220门;"
        "高质量完成干部教育培训工作。")

# (二级 label or None, 三级, value); value float = percent number
ROWS = [
    ("数量指标", "主体班培训人次", "280人次"),
    (None, "邀请校外名师、领导授课人次", "25人次"),
    (None, "情景教学或外训批次", "6次"),
    (None, "理论教育和党性教育课时比例", "70%"),
    (None, "开设课程数量", "220"),
    ("质量指标", "培训完成率", 1.0),
    (None, "邀请校外名师、领导授课完成率", "100%"),
    (None, "情景教学或外训完成率", "100%"),
    (None, "理论教育和党性教育课时比例完成率", "100%"),
    (None, "课程数量达标率", "100%"),
    ("时效指标", "及时完成率", 1.0),
    ("成本指标", "成本控制率", "100%"),
]
GROUPS = {"数量指标": 5, "质量指标": 5, "时效指标": 1, "成本指标": 1}
FIRST = 10


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFG", (14, 12, 16, 30, 14, 16, 16)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "项目支出绩效目标批复表", "A1:G1", border=False)
    put(ws, "A2", "(2022年度)", "A2:G2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", NAME, "B3:D3")
    put(ws, "E3", "项目负责人")
    put(ws, "F3", None, "F3:G3")
    put(ws, "A4", "项目金额")
    put(ws, "B4", "164万元", "B4:D4")
    put(ws, "E4", "其中:当年市级财政资金", wrap=True)
    put(ws, "F4", "132万元", "F4:G4")
    put(ws, "A5", "项目主管部门")
    put(ws, "B5", None, "B5:D5")
    put(ws, "E5", "实施单位")
    put(ws, "F5", "中共黄石市委党校", "F5:G5")
    put(ws, "A6", "项目属性")
    put(ws, "B6", "持续性项目■ 新增性项目口", "B6:D6")
    put(ws, "E6", "项目期")
    put(ws, "F6", "2022年", "F6:G6")
    put(ws, "A7", "年度绩效目标(文字)", wrap=True)
    put(ws, "B7", GOAL, "B7:G7", wrap=True)
    last = FIRST + len(ROWS)  # + satisfaction row
    put(ws, "A8", "绩效指标", f"A8:A{last}", wrap=True)
    put(ws, "B8", "一级指标", "B8:B9")
    put(ws, "C8", "二级指标", "C8:C9")
    put(ws, "D8", "三级指标", "D8:D9")
    put(ws, "E8", "指标值", "E8:F8")
    put(ws, "G8", "指标标准或依据", "G8:G9")
    put(ws, "E9", "2021年实际实现值", wrap=True)
    put(ws, "F9", "预期2022年实现值", wrap=True)
    r = FIRST
    for l2, name, value in ROWS:
        put(ws, f"B{r}", "产出指标" if name == "开设课程数量" else None)
        if l2:
            n = GROUPS[l2]
            put(ws, f"C{r}", l2, f"C{r}:C{r + n - 1}" if n > 1 else None)
        put(ws, f"D{r}", name, wrap=True)
        put(ws, f"E{r}", None)
        if isinstance(value, float):
            percent(ws, f"F{r}", value)
        else:
            put(ws, f"F{r}", value)
        put(ws, f"G{r}", None)
        r += 1
    put(ws, f"B{r}", "满意度指标")
    put(ws, f"C{r}", "服务对象满意度指标", wrap=True)
    put(ws, f"D{r}", "培训学员对培训效果满意度", wrap=True)
    put(ws, f"E{r}", None)
    put(ws, f"F{r}", "≥95%")
    put(ws, f"G{r}", None)
    r += 1
    put(ws, f"A{r}", "财政资金管理科室(盖章)    年  月  日", f"A{r}:D{r}")
    put(ws, f"E{r}", "财政绩效管理科室(盖章)    年  月  日", f"E{r}:G{r}")


def _ind(l1, l2, name, raw, op, value, unit, kind=None):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": kind or ("quantitative" if value is not None else "qualitative")}


def _key_rows():
    out, defects = [], []
    l2 = None
    for i, (label, name, value) in enumerate(ROWS):
        l2 = label or l2
        raw = "100%" if isinstance(value, float) else value
        num = raw.rstrip("%人次")
        unit = raw[len(num):] or None
        out.append(_ind("产出指标", l2, name, raw, None, num, unit))
        cell = f"F{FIRST + i}"
        defects.append({"code": "I05", "cell": cell, "why": f"'{raw}' without comparison sign"})
        if unit is None:
            defects.append({"code": "I04", "cell": cell, "why": "开设课程数量 '220' without unit (门 only in the goal text)"})
    out.append(_ind("满意度指标", "服务对象满意度指标", "培训学员对培训效果满意度", "≥95%", "≥", "95", "%"))
    return out, defects


_INDS, _DEFS = _key_rows()

KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "implementer": "中共黄石市委党校",
            "start": "2022-01-01",
            "end": "2022-12-31",
            "total": "1640000",
            "appropriation": "1320000",
            "goal_year": GOAL,
        },
        "indicators": _INDS,
        "defects": [
            {"code": "S01", "cell": "B5", "why": "项目主管部门 left blank"},
            {"code": "I02", "cell": "B10", "why": "no 效益指标 row at all"},
        ] + _DEFS,
    }
]
