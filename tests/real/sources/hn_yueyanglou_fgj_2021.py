"""岳阳楼区发改局 2021 项目支出预算绩效目标申报表 (项目前期、项目概算及项目入库建设), Hunan."""

from tests.real.kit import put

SOURCE = {
    "publisher": "岳阳楼区发展和改革局（岳阳楼区人民政府网站发布）",
    "province": "湖南",
    "year": 2021,
    "url": "http://www.yylq.gov.cn/21487/21535/21748/21750/21907/content_1827850.html",
    "title": "项目支出预算绩效目标申报表（项目前期、项目概算及项目入库建设）",
    "truncated": True,
    "notes": (
        "Stored page is cut right after the money tables, at '单位已有的(或拟订的)保障项目实施的制度': the "
        "goal and indicator part of the form is NOT in the copy, so this project has no indicators (do not "
        "read its absence as I02). Hunan 2021 county/district template: left column '项目基本情况' / "
        "'项目资金情况' spanning rows; 项目属性 and 项目类型 are tick boxes where the ticked box prints as the "
        "letter 'R' (Wingdings check mark lost in HTML): '新增项目□ ... 延续项目R', '3.其他专项类 R'. "
        "项目起止时间 '2021.1-2021.12'. Two money tables in 万元: 项目资金申请(万元) with columns 项 目 | "
        "上年度安排资金 | 本年度申请资金 and rows 合 计 / 区级资金 / 市级资金 / 省级资金 / 中央资金 / 自有资金 "
        "(blank, not 0), then 支出明细预算(万元) with 测算依据及说明 and four expense lines that add up "
        "(10+9+88+23=130, 40+55+160+45=300). Header line '填报单位(盖章): ... 单位负责人:'. Names and phone "
        "numbers of 项目负责人 / 绩效管理联络员 replaced by '（略）'. Mapping: 本年度申请资金 合计 -> annual, "
        "区级资金 -> appropriation; 项目属性/项目类型 tick boxes not mapped to category/nature."
    ),
}

FILE = "岳阳楼区发改局_2021_项目前期项目概算及项目入库建设.xlsx"

S = "项目支出预算绩效目标申报表"
NAME = "项目前期、项目概算及项目入库建设"
OVERVIEW = ("负责拟订并组织实施全区国民经济和社会发展战略中、长期规划和年度计划;综合管理全区建设项目;贯彻执行国家和省、"
            "市价格方针、政策以及相关法律、法规;协调推进经济发展环境的优化;组织实施国民经济动员和装备动员相关工作等。"
            "进一步加强区本级政府投资项目审批及概算管理,提高政府投资效益和项目管理水平。")


def build(wb):
    ws = wb.active
    ws.title = S
    for col, w in zip("ABCDEFG", (8, 14, 26, 14, 14, 12, 12)):
        ws.column_dimensions[col].width = w
    put(ws, "A1", "项目支出预算绩效目标申报表", "A1:G1", border=False)
    put(ws, "A2", "填报单位(盖章):", "A2:D2", border=False)
    put(ws, "E2", "单位负责人:", "E2:G2", border=False)
    put(ws, "A3", "项目基本情况", "A3:A10", wrap=True)
    put(ws, "B3", "项目名称"); put(ws, "C3", NAME, "C3:G3")
    put(ws, "B4", "项目属性"); put(ws, "C4", "新增项目□                       延续项目R", "C4:G4")
    put(ws, "B5", "主管部门"); put(ws, "C5", "楼区政府", "C5:D5"); put(ws, "E5", "项目起止时间")
    put(ws, "F5", "2021.1-2021.12", "F5:G5")
    put(ws, "B6", "项目负责人"); put(ws, "C6", "（略）", "C6:D6"); put(ws, "E6", "联系电话"); put(ws, "F6", "（略）", "F6:G6")
    put(ws, "B7", "绩效管理\n联络员", wrap=True); put(ws, "C7", "（略）", "C7:D7"); put(ws, "E7", "联系电话")
    put(ws, "F7", "（略）", "F7:G7")
    put(ws, "B8", "项目类型")
    put(ws, "C8", "1.基本建设类 □    其中:新建  □    扩建  □    改建  □\n"
                  "2.行政事业类 □    其中: 采购类□    修缮类□    奖励类□\n"
                  "3.其他专项类 R", "C8:G8", wrap=True)
    ws.row_dimensions[8].height = 45
    put(ws, "B9", "项目概况"); put(ws, "C9", OVERVIEW, "C9:G9")
    ws.row_dimensions[9].height = 60
    put(ws, "B10", "项目立项依据"); put(ws, "C10", "《岳阳楼区人民政府投资项目概算管理办法》岳楼政办发[2017]8号", "C10:G10")
    put(ws, "A11", "项目资金情况", "A11:A23", wrap=True)
    put(ws, "B11", "项目资金申请(万元)", "B11:B17", wrap=True)
    put(ws, "C11", "项 目"); put(ws, "D11", "上年度安排资金"); put(ws, "E11", "本年度申请资金", "E11:G11")
    rows = [("合 计", 130, 300), ("区级资金", 130, 300), ("市级资金", None, None), ("省级资金", None, None),
            ("中央资金", None, None), ("自有资金", None, None)]
    for i, (lab, prev, cur) in enumerate(rows):
        r = 12 + i
        put(ws, f"C{r}", lab); put(ws, f"D{r}", prev); put(ws, f"E{r}", cur, f"E{r}:G{r}")
    put(ws, "B18", "支出明细预算(万元)", "B18:B23", wrap=True)
    put(ws, "C18", "项 目"); put(ws, "D18", "上年度安排资金"); put(ws, "E18", "本年度申请资金")
    put(ws, "F18", "测算依据及说明", "F18:G18")
    items = [("合 计", 130, 300), ("1、办公及加班用餐费", 10, 40), ("2、打字复印及资料印刷费", 9, 55),
             ("3、编制咨询费", 88, 160), ("4、其他", 23, 45)]
    for i, (lab, prev, cur) in enumerate(items):
        r = 19 + i
        put(ws, f"C{r}", lab); put(ws, f"D{r}", prev); put(ws, f"E{r}", cur); put(ws, f"F{r}", None, f"F{r}:G{r}")


KEY = [
    {
        "sheet": S,
        "name": NAME,
        "fields": {
            "name": NAME,
            "supervisor": "楼区政府",
            "start": "2021-01-01",
            "end": "2021-12-31",
            "annual": "3000000",
        },
        "indicators": [],
        "defects": [],
    },
]
