"""宁国市文旅局“毛竹山、官山遗址工程和上坦桥工程”项目及绩效目标情况（2021）, 安徽 — narrative + form head."""

from __future__ import annotations

from tests.real.kit import put

SOURCE = {
    "publisher": "宁国市文化和旅游局（宁国市文旅局）",
    "province": "安徽",
    "year": 2021,
    "url": "https://siseiken.net/OpennessContent/download/2098061.html",
    "title": "宁国市文旅局“毛竹山、官山遗址工程和上坦桥工程”项目及绩效目标情况 — 项目绩效目标表",
    "truncated": True,
    "notes": (
        "Stored copy of a 政府信息公开 page (索引号 113417025970934056/202101-00051, 2021-01-05). The page prints the "
        "narrative first — (1)项目概述 (2)立项依据 (3)起止时间 (two sub-projects with their own periods: 2020年11月——"
        "2021年7月止, 2020年9月——2021年1月止) (4)项目内容 (5)年度预算安排:200万 (6)绩效目标和指标:(见该项目绩效"
        "目标表) — then the form titled '毛竹山、官山遗址工程和上坦桥工程项目绩效目标表' with '填报单位:宁国市文化和旅游局' "
        "and '单位:万元' on one line above it. Only the form head is stored: 项目名称, 实施单位 (宁国市文旅局), "
        "项目资金 | 年度资金总额: 200 | 其中:财政拨款 200 | 其他资金 (blank). TRUNCATED there (no goals, no indicators); "
        "the narrative is put above the form on the same sheet (as printed on the page), (4)项目内容 (building areas) "
        "omitted; (1)-(3), (5), (6) kept verbatim."
    ),
}

FILE = "宁国市文化和旅游局_2021.xlsx"
SHEET = "项目及绩效目标情况"
NAME = "毛竹山、官山遗址工程和上坦桥工程项目"


def build(wb):
    ws = wb.active
    ws.title = SHEET
    for col, width in zip("ABCD", (14, 18, 30, 16)):
        ws.column_dimensions[col].width = width
    lines = [
        "(1)项目概述:毛竹山、官山遗址项目主要是毛竹山、官山遗址保护性设施改造,以及周边防排水工程建设等。"
        "上坦桥工程项目主要是上坦桥本体保护维修一期工程,实施五个拱券维修及北端上下雁翅维修等。",
        "(2)立项依据:文物保函〔2014〕3054号《国家文物局关于毛竹山、官山遗址保护性设施改造及放排水工程立项的批复》",
        "(3)起止时间:毛竹山、官山遗址保护性设施及防排水工程:2020年11月——2021年7月止。上坦桥本体保护维修一期工程:"
        "2020年9月——2021年1月止。",
        "(5)年度预算安排:200万",
        "(6)绩效目标和指标:(见该项目绩效目标表)",
    ]
    for i, text in enumerate(lines, start=1):
        put(ws, f"A{i}", text, f"A{i}:D{i}", border=False, wrap=True)
    r = len(lines) + 2
    put(ws, f"A{r}", "毛竹山、官山遗址工程和上坦桥工程项目绩效目标表", f"A{r}:D{r}", border=False)
    put(ws, f"A{r + 1}", "填报单位:宁国市文化和旅游局", f"A{r + 1}:C{r + 1}", border=False)
    put(ws, f"D{r + 1}", "单位:万元", border=False)
    r += 2
    put(ws, f"A{r}", "项目名称")
    put(ws, f"B{r}", NAME, f"B{r}:D{r}")
    put(ws, f"A{r + 1}", "实施单位")
    put(ws, f"B{r + 1}", "宁国市文旅局", f"B{r + 1}:D{r + 1}")
    put(ws, f"A{r + 2}", "项目资金", f"A{r + 2}:A{r + 4}")
    put(ws, f"B{r + 2}", "年度资金总额:", f"B{r + 2}:C{r + 2}")
    put(ws, f"D{r + 2}", 200)
    put(ws, f"B{r + 3}", "其中:财政拨款", f"B{r + 3}:C{r + 3}")
    put(ws, f"D{r + 3}", 200)
    put(ws, f"B{r + 4}", "其他资金", f"B{r + 4}:C{r + 4}")
    put(ws, f"D{r + 4}", None)


KEY = [
    {
        "sheet": SHEET,
        "name": NAME,
        "fields": {"name": NAME, "implementer": "宁国市文旅局", "annual": "2000000", "appropriation": "2000000"},
        "indicators": [],
        "defects": [],
    }
]
