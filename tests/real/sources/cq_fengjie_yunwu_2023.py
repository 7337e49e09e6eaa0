"""奉节县云雾土家族乡 2023年项目支出绩效目标审批表, Chongqing."""

from tests.real.kit import percent, put

SOURCE = {
    "publisher": "奉节县云雾土家族乡人民政府（奉节县人民政府网站发布）",
    "province": "重庆",
    "year": 2023,
    "url": "http://cqfj.gov.cn/index/xz_168/ywtjzx/zwxx_61303/gsgg_107031/202402/t20240201_12892054.html",
    "title": "2023年云雾土家族乡加工园配套设施建设项目支出绩效目标审批表",
    "truncated": True,
    "notes": (
        "Stored page is cut at the start of the 产出指标 block ('产出指标 (40-50)分 数量指...'): the header, "
        "money block and the three 成本指标 rows are transcribed; the cut row and all later rows are left "
        "out. Chongqing county 审批表 (2023): header lines '预算单位: ...' and '金额单位:万元'; labels 项目分类 "
        "(value '资产资源类--房屋类'), 建设周期 '2023年4月-2024年2月' (crosses into 2024, not flagged), "
        "业务主管部门, 实施单位, 项目负责人, 联系电话, 项目审批, 项目总体概况, '年度主要目标     和成果' "
        "(run of spaces inside the label). Money block titled '项目资金 预算执行 10分' with 项目总预算 / "
        "当年年度预算 / 其中:财政资金 / 其中:其它资金 (其它 not 其他) / 年度预算执行率 100% / 分值 10分, "
        "plus 财政资金预算分类 and 财政资金科目代码 21305 on the right. Indicator block '年度绩效目标(90分)' "
        "with columns 一级指标 | 二级指标 | 三级指标 | 指标值 | 分值 | 指标解释; 成本指标 is a 一级 listed "
        "FIRST and carries a score range in its label '成本指标(0-20)分' (likewise '产出指标 (40-50)分'). "
        "Empty 社会成本指标 / 生态环境成本指标 rows are template rows. 项目负责人 name and phone replaced by "
        "'（略）'. Mapping: 项目分类 -> category, 业务主管部门 -> supervisor, 项目总体概况 -> goal_total, "
        "年度主要目标和成果 -> goal_year, 当年年度预算 -> annual, its 其中:财政资金 -> appropriation."
    ),
}

FILE = "奉节县云雾土家族乡_2023_加工园配套设施建设项目.xlsx"

S = "绩效目标审批表"

NAME = "2023年云雾土家族乡加工园配套设施建设项目"
OVERVIEW = ("新建中药材晾晒房一座,占地300平方米,包含场坪整治及硬化,硬化室外晒坝420平方米,室内场坪1800平方米,"
            "C25混凝土,厚15cm;新建厕所1个,长4.5米,宽3米,占地13.5平方米,配套三格式化粪池4.5立方米。"
            "经济效益:项目建成后能够带动当地20名群众务工增收5000元/年;社会效益:促进当地中药材产业发展,"
            "带动受益总人口200人,其他脱贫人口和监测对象41人;群众满意度:群众满意度达到95%以上。")
YEAR_GOAL = ("新建中药材晾晒房一座,占地300平方米,包含场坪整治及硬化,硬化室外晒坝420平方米,室内场坪1800平方米,"
             "C25混凝土,厚15cm;新建厕所1个,长4.5米,宽3米,占地13.5平方米,配套三格式化粪池4.5立方米。")


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEFG", (14, 16, 14, 18, 14, 8, 16)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", NAME + "支出绩效目标审批表", "A1:G1", border=False)
    put(ws, "A2", "(   2023年度)", "A2:G2", border=False)
    put(ws, "A3", "预算单位: 奉节县云雾土家族乡人民政府", "A3:D3", border=False)
    put(ws, "E3", "金额单位:万元", "E3:G3", border=False)
    put(ws, "A4", "项目名称"); put(ws, "B4", NAME, "B4:D4"); put(ws, "E4", "项目分类")
    put(ws, "F4", "资产资源类--房屋类", "F4:G4")
    put(ws, "A5", "建设周期"); put(ws, "B5", "2023年4月-2024年2月", "B5:D5"); put(ws, "E5", "业务主管部门")
    put(ws, "F5", "县民宗委", "F5:G5")
    put(ws, "A6", "实施单位"); put(ws, "B6", "云雾土家族乡"); put(ws, "C6", "项目负责人"); put(ws, "D6", "（略）")
    put(ws, "E6", "联系电话"); put(ws, "F6", "（略）", "F6:G6")
    put(ws, "A7", "项目审批")
    put(ws, "B7", "奉节县民族宗教事务委员会《关于下达2023年度少数民族发展资金项目计划的通知》(奉节民宗委发〔2022〕3号)",
        "B7:G7")
    put(ws, "A8", "项目总体概况"); put(ws, "B8", OVERVIEW, "B8:G8")
    ws.row_dimensions[8].height = 75
    put(ws, "A9", "年度主要目标     和成果", wrap=True); put(ws, "B9", YEAR_GOAL, "B9:G9")
    ws.row_dimensions[9].height = 45
    put(ws, "A10", "项目资金\n预算执行\n10分", "A10:A14", wrap=True)
    put(ws, "B10", "项目总预算"); put(ws, "C10", 65); put(ws, "D10", "财政资金预算分类", "D10:D11")
    put(ws, "E10", "一般公共预算", "E10:G11")
    put(ws, "B11", "当年年度预算"); put(ws, "C11", 65)
    put(ws, "B12", "其中:财政资金"); put(ws, "C12", 65); put(ws, "D12", "财政资金科目代码", "D12:D13")
    put(ws, "E12", "21305", "E12:G13")
    put(ws, "B13", "其中:其它资金"); put(ws, "C13", 0)
    put(ws, "B14", "年度预算执行率"); percent(ws, "C14", 1.0); put(ws, "D14", "分值"); put(ws, "E14", "10分", "E14:G14")
    put(ws, "A15", "年度绩效目标(90分)", "A15:A18", wrap=True)
    for c, h in zip("BCDEFG", ("一级指标", "二级指标", "三级指标", "指标值", "分值", "指标解释")):
        put(ws, f"{c}15", h)
    put(ws, "B16", "成本指标(0-20)分", "B16:B18", wrap=True)
    put(ws, "C16", "经济成本指标"); put(ws, "D16", "项目建设成本"); put(ws, "E16", "≤65万元"); put(ws, "F16", 10)
    put(ws, "G16", None)
    put(ws, "C17", "社会成本指标")
    put(ws, "C18", "生态环境成本指标")
    for r in (17, 18):
        for c in "DEFG":
            put(ws, f"{c}{r}", None)


KEY = [
    {
        "sheet": S,
        "name": NAME,
        "fields": {
            "name": NAME,
            "category": "资产资源类--房屋类",
            "supervisor": "县民宗委",
            "implementer": "云雾土家族乡",
            "start": "2023-04-01",
            "end": "2024-02-29",
            "total": "650000",
            "annual": "650000",
            "appropriation": "650000",
            "annual_other": "0",
            "goal_total": OVERVIEW,
            "goal_year": YEAR_GOAL,
        },
        "indicators": [
            {"level1": "成本指标", "level2": "经济成本指标", "name": "项目建设成本", "raw": "≤65万元", "operator": "≤",
             "value": "65", "unit": "万元", "kind": "quantitative"},
        ],
        "defects": [],
    },
]
