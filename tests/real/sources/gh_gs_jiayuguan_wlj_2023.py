"""嘉峪关市文化和旅游局 省级部门预算项目支出绩效目标表（2023年度）, 甘肃 — two forms printed one after another."""

from __future__ import annotations

import datetime as dt

from tests.real.kit import put

SOURCE = {
    "publisher": "嘉峪关市文化和旅游局（实施单位：嘉峪关城市博物馆）",
    "province": "甘肃",
    "year": 2023,
    "url": "http://bigxun.com/view/1667741699571552258",
    "title": "省级部门预算项目支出绩效目标表(2023年度)",
    "truncated": True,
    "notes": (
        "Stored copy is the flattened text layer of a document holding several forms back to back; the grid is "
        "reconstructed (6 columns: label/value pairs). Form 1 (二级项目 博物馆纪念馆市级免费开放补助资金) is complete; "
        "form 2 (博物馆提升改造项目) is TRUNCATED after '项目总投资 174.78万元 中央补…' (no indicators). Gansu 2023 "
        "layout: 一级项目名称 + 二级项目名称 (the project is the 二级 one), 项目类型 (新增项目), 项目分类, 资金用途, "
        "dates 项目开始日期/项目完成日期 as 2023-01-01, money as text with unit ('20万元', '0'): 项目总投资 / 中央补助安排 / "
        "省级财政安排 / 其他资金 / 预算申报数 / 资金性质; narrative rows 基本情况, 项目立项必要性, 保证项目实施的制度措施, "
        "项目实施计划 (组织实施单位/监督管理单位/项目实施单位), 政策依据, 其他依据, 需要说明的其他问题; a single "
        "年度绩效目标; indicator header 一级指标|二级指标|三级指标|指标目标值 with 成本指标 as its own 一级 between 产出 and "
        "效益 (经济/社会/生态环境成本指标), 二级 '服务对象满意度' (without 指标), values '=300天', '=100百分比' (the word "
        "百分比 as unit), names ending in '%' ('各项工作完成及时率%'). OCR glitches of the stored text corrected where the "
        "intended text is certain: '一*级项目名称'→一级项目名称, '项目完成H期'→项目完成日期 (form 2 prints it right), "
        "'二100百分比'→=100百分比, '甘财科\\n[2022]78号' joined. Kept as stored because the intended text is unknown: "
        "the 三级 name '为当地提供就业LJUI,冈位' (probably 为当地提供就业岗位). The split of '历史文化传承环保意识时限长远' "
        "into name '历史文化传承环保意识时限' and value '长远' is a judgement (cf. '…文化传承影响' = 长远 two rows up)."
    ),
}

FILE = "嘉峪关市文化和旅游局_2023.xlsx"
SHEET = "项目支出绩效目标表"
GOAL1 = "进一步提高博物馆纪念馆运行效率和免费开放服务水平"

IND1 = [
    # 一级 (text, rows spanned), 二级, 三级, 值
    (("产出指标", 3), "数量指标", "免费开放天数", "=300天"),
    (None, "质量指标", "博物馆绩效考核指标完成率", "=100百分比"),
    (None, "时效指标", "各项工作完成及时率%", "=99百分比"),
    (("成本指标", 3), "经济成本指标", "资金使用效率", "=100百分比"),
    (None, "社会成本指标", "对当地文物保护、文化传承影响", "长远"),
    (None, "生态环境成本指标", "提升博物馆绿化水平", "提升"),
    (("效益指标", 3), "经济效益指标", "为当地提供就业LJUI,冈位", "增加岗位"),
    (None, "社会效益指标", "免费开放接待观众人数", "=30000人次"),
    (None, "生态效益指标", "历史文化传承环保意识时限", "长远"),
    (("满意度指标", 1), "服务对象满意度", "服务对象满意度%", "=99百分比"),
]


def _header(ws, r, first, second, typ, cls, use, start, end):
    put(ws, f"A{r}", "省级部门预算项目支出绩效目标表", f"A{r}:F{r}", border=False)
    put(ws, f"A{r + 1}", "(2023年度)", f"A{r + 1}:F{r + 1}", border=False)
    r += 2
    put(ws, f"A{r}", "一级项目名称")
    put(ws, f"B{r}", first, f"B{r}:C{r}")
    put(ws, f"D{r}", "二级项目名称")
    put(ws, f"E{r}", second, f"E{r}:F{r}")
    r += 1
    for col, v in zip("ABCDEF", ("项目类型", typ, "项目分类", cls, "资金用途", use)):
        put(ws, f"{col}{r}", v)
    r += 1
    put(ws, f"A{r}", "主管部门")
    put(ws, f"B{r}", "嘉峪关市文化和旅游局")
    put(ws, f"C{r}", "项目开始日期")
    put(ws, f"D{r}", start, fmt="yyyy-mm-dd")
    put(ws, f"E{r}", "项目完成日期")
    put(ws, f"F{r}", end, fmt="yyyy-mm-dd")
    return r + 1


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEF", (16, 18, 16, 22, 16, 18)):
        ws.column_dimensions[col].width = width
    r = _header(ws, 1, "文化事业发展专项资金", "博物馆纪念馆市级免费开放补助资金", "新增项目", "专项工作经费", "业务类项目",
                dt.datetime(2023, 1, 1), dt.datetime(2023, 12, 31))
    for col, v in zip("ABCDEF", ("项目总投资", "20万元", "中央补助安排", "0", "省级财政安排", "0")):
        put(ws, f"{col}{r}", v)
    r += 1
    for col, v in zip("ABCDEF", ("其他资金", "20万元", "预算申报数", "20万元", "资金性质", "一般公共预算")):
        put(ws, f"{col}{r}", v)
    r += 1
    for label, text in (("基本情况", "保障博物馆正常运转"), ("项目立项必要性", "保障各项业务正常运行"),
                        ("保证项目实施的制度措施", "博物馆绩效考核")):
        put(ws, f"A{r}", label, wrap=True)
        put(ws, f"B{r}", text, f"B{r}:F{r}")
        r += 1
    put(ws, f"A{r}", "项目实施计划", f"A{r}:A{r + 1}")
    put(ws, f"B{r}", "组织实施单位")
    put(ws, f"C{r}", "甘肃省文物局")
    put(ws, f"D{r}", "监督管理单位")
    put(ws, f"E{r}", "嘉峪关文旅局", f"E{r}:F{r}")
    put(ws, f"B{r + 1}", "项目实施单位")
    put(ws, f"C{r + 1}", "嘉峪关城市博物馆", f"C{r + 1}:F{r + 1}")
    r += 2
    for label, text in (("政策依据", "甘财科[2022]78号"), ("其他依据", None), ("需要说明的其他问题", None),
                        ("年度绩效目标", GOAL1)):
        put(ws, f"A{r}", label, wrap=True)
        put(ws, f"B{r}", text, f"B{r}:F{r}")
        r += 1
    put(ws, f"A{r}", "一级指标")
    put(ws, f"B{r}", "二级指标")
    put(ws, f"C{r}", "三级指标", f"C{r}:E{r}")
    put(ws, f"F{r}", "指标目标值")
    r += 1
    for l1, l2, name, value in IND1:
        if l1:
            put(ws, f"A{r}", l1[0], f"A{r}:A{r + l1[1] - 1}" if l1[1] > 1 else None)
        put(ws, f"B{r}", l2)
        put(ws, f"C{r}", name, f"C{r}:E{r}")
        put(ws, f"F{r}", value)
        r += 1
    r += 1
    r = _header(ws, r, "公共文化服务体系建设专项资金", "博物馆提升改造项目", "新增项目", "其他项目", "业务类项目",
                dt.datetime(2023, 1, 1), dt.datetime(2023, 12, 31))
    put(ws, f"A{r}", "项目总投资")
    put(ws, f"B{r}", "174.78万元")
    put(ws, f"C{r}", "中央补")  # the stored copy ends here (truncated mid-label)


def _ind(l1, l2, name, raw, op=None, value=None, unit=None):
    return {"level1": l1, "level2": l2, "name": name, "raw": raw, "operator": op, "value": value,
            "unit": unit, "kind": "quantitative" if value is not None else "qualitative"}


KEY = [
    {
        "sheet": SHEET,
        "name": "博物馆纪念馆市级免费开放补助资金",
        "fields": {
            "name": "博物馆纪念馆市级免费开放补助资金",
            "category": "专项工作经费",
            "supervisor": "嘉峪关市文化和旅游局",
            "implementer": "嘉峪关城市博物馆",
            "start": "2023-01-01",
            "end": "2023-12-31",
            "total": "200000",
            "other": "200000",
            "annual": "200000",
            "goal_year": GOAL1,
        },
        "indicators": [
            _ind("产出指标", "数量指标", "免费开放天数", "=300天", "=", "300", "天"),
            _ind("产出指标", "质量指标", "博物馆绩效考核指标完成率", "=100百分比", "=", "100", "%"),
            _ind("产出指标", "时效指标", "各项工作完成及时率%", "=99百分比", "=", "99", "%"),
            _ind("成本指标", "经济成本指标", "资金使用效率", "=100百分比", "=", "100", "%"),
            _ind("成本指标", "社会成本指标", "对当地文物保护、文化传承影响", "长远"),
            _ind("成本指标", "生态环境成本指标", "提升博物馆绿化水平", "提升"),
            _ind("效益指标", "经济效益指标", "为当地提供就业LJUI,冈位", "增加岗位"),
            _ind("效益指标", "社会效益指标", "免费开放接待观众人数", "=30000人次", "=", "30000", "人次"),
            _ind("效益指标", "生态效益指标", "历史文化传承环保意识时限", "长远"),
            _ind("满意度指标", "服务对象满意度指标", "服务对象满意度%", "=99百分比", "=", "99", "%"),
        ],
        "defects": [],
    },
    {
        "sheet": SHEET,
        "name": "博物馆提升改造项目",
        "fields": {
            "name": "博物馆提升改造项目",
            "category": "其他项目",
            "supervisor": "嘉峪关市文化和旅游局",
            "start": "2023-01-01",
            "end": "2023-12-31",
            "total": "1747800",
        },
        "indicators": [],
        "defects": [],
    },
]
