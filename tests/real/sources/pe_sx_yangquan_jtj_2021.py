"""阳泉市公路服务中心 2021 市级预算部门项目支出绩效目标申报表, published by 阳泉市交通运输局, Shanxi."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "阳泉市交通运输局（实施单位 阳泉市公路服务中心）",
    "province": "山西",
    "year": 2021,
    "url": "http://jtysj.yq.gov.cn/yjsgk/202104/t20210422_1152890.html",
    "title": "山西省阳泉市市级预算部门(单位)项目支出绩效目标申报表（2021年）—“四好农村路”、“三个一号旅游路”工作经费",
    "truncated": True,
    "notes": (
        "Stored copy ('|'-joined HTML table, 2021-04-22, 预决算公开 column) is cut inside the 年度目标 cell of the "
        "总体目标 row: header, money, five narrative rows and the goals are transcribed, the 年度目标 text only up to "
        "the cut ('…建设里程巡查、质量'); no indicator row is present. Grid reconstructed on 8 columns. Title carries "
        "province and city ('山西省阳泉市市级预算部门(单位)项目支出绩效目标申报表'), year line '2021年' without 度. "
        "'主管部门及代码' holds a SECTION name without code ('经济建设科', a 科室 of the 交通运输局); '项目属性 "
        "延续性项目(阶段开展)'; '项目期限 3年' (a duration, no dates). Money row '项目预算资金(万元) | 中期预算资金总额 "
        "| (blank) | 年度预算资金总额 | 25' — 中期 total left blank although 项目实施计划 says '合计50万元'. Narrative "
        "rows 项目概况 / 立项依据 / 项目设立必要性 / '保证项目实施的制度、措施' / 项目实施计划 (texts say "
        "'三大板块旅游路' while the name says '三个一号旅游路'). Goals: a row '中期目标 | 年度目标' with NO side "
        "label, then '总体目标' on the next row beside the two texts (the label sits on the value row, not merged)."
    ),
}

FILE = "阳泉市交通运输局_2021_四好农村路工作经费.xlsx"

SHEET = "项目支出绩效目标申报表"
NAME = "“四好农村路”、“三个一号旅游路”工作经费"
BASIS = "山西省人民政府晋政办发[2018]96号文件、阳泉市人民政府阳政办发[2017]103号文件、阳泉市人民政府办公厅会议专题纪要[2018]54号"
OVERVIEW = ("“四好农村路”、“三大板块旅游路”项目开工前期项目勘察设计审批;进度督导检查、工程质量监督检查、"
            "工程安全运营检查;财务审计、工程竣工验收。")
PLAN = ("“四好农村路”、“三大板块旅游路”项目开工前期项目勘察设计审批需20万元;进度督导检查、工程质量监督检查、"
        "工程安全运营检查需20万元;财务审计、工程竣工验收需10万元,合计50万元。")
GOAL_MID = ("“四好农村路”、“三大板块旅游路”项目开工前期项目勘察设计审批;进度督导检查、工程质量监督检查、"
            "工程安全运营检查;专项资金财务跟踪检查、财务审计、工程竣工验收。")
GOAL_YEAR_CUT = "工程前期施工图设计批复 81个,建设里程巡查、质量"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCDEFGH", (18, 16, 10, 10, 16, 12, 12, 12)):
        ws.column_dimensions[col].width = width
    put(ws, "A1", "山西省阳泉市市级预算部门(单位)项目支出绩效目标申报表", "A1:H1", border=False)
    put(ws, "A2", "2021年", "A2:H2", border=False)
    put(ws, "A3", "项目名称")
    put(ws, "B3", NAME, "B3:H3")
    put(ws, "A4", "主管部门及代码")
    put(ws, "B4", "经济建设科", "B4:D4")
    put(ws, "E4", "实施单位")
    put(ws, "F4", "阳泉市公路服务中心", "F4:H4")
    put(ws, "A5", "项目属性")
    put(ws, "B5", "延续性项目(阶段开展)", "B5:D5")
    put(ws, "E5", "项目期限")
    put(ws, "F5", "3年", "F5:H5")
    put(ws, "A6", "项目预算资金(万元)", wrap=True)
    put(ws, "B6", "中期预算资金总额", wrap=True)
    put(ws, "C6", None, "C6:D6")
    put(ws, "E6", "年度预算资金总额", wrap=True)
    put(ws, "F6", 25, "F6:H6")
    r = 7
    for label, text in (("项目概况", OVERVIEW), ("立项依据", BASIS), ("项目设立必要性", OVERVIEW),
                        ("保证项目实施的制度、措施", BASIS), ("项目实施计划", PLAN)):
        put(ws, f"A{r}", label, wrap=True)
        put(ws, f"B{r}", text, f"B{r}:H{r}", wrap=True)
        r += 1
    put(ws, f"A{r}", None)
    put(ws, f"B{r}", "中期目标", f"B{r}:E{r}")
    put(ws, f"F{r}", "年度目标", f"F{r}:H{r}")
    r += 1
    put(ws, f"A{r}", "总体目标")
    put(ws, f"B{r}", GOAL_MID, f"B{r}:E{r}", wrap=True)
    put(ws, f"F{r}", GOAL_YEAR_CUT, f"F{r}:H{r}", wrap=True)


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "经济建设科",
            "implementer": "阳泉市公路服务中心",
            "annual": "250000",
            "goal_total": GOAL_MID,
            "goal_year": GOAL_YEAR_CUT,
        },
        "indicators": [],
        "defects": [
            {"code": "S01", "cell": "C6", "why": "中期预算资金总额 left blank"},
        ],
    }
]
