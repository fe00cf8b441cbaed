"""Documents with known structure and facts, for ``bench_layout.py`` and the layout tests.

Each builder writes a file and returns a ``Doc``: its sections (heading, sentences), the page
furniture it prints, the numbers it holds and the table cells one can ask about. Everything is
drawn from a seeded random generator, so two runs build the same files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
YEARS = ("2021", "2022", "2023")
REGIONS = {"en": ("North", "South", "East", "West"), "zh": ("华北", "华南", "华东", "西部")}
EN_FIRST = ("Ashgrove", "Larkspur", "Orchard", "Bramble", "Copperleaf", "Duneview", "Elmstead", "Fernhill",
            "Glenmoor", "Hollybrook", "Ironbridge", "Juniper")
EN_SECOND = ("Foods", "Textiles", "Logistics", "Ceramics", "Dairy", "Printing")
ZH_FIRST = ("青松", "远航", "金禾", "银河", "长风", "华岳", "东篱", "南山", "北辰", "西岭", "瑞丰", "鼎盛")
ZH_SECOND = ("食品", "纺织", "物流", "陶瓷", "乳业", "印刷")
ZH_SURNAMES = "司马 欧阳 诸葛 上官 王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙".split()
ZH_GIVEN = "晏 平 安 宁 远 志 明 德 文 武 清 和 泰 嘉 兴 立 成 信 义 礼".split()
ZH_PLACES = ("河内温县", "琅琊阳都", "陇西成纪", "吴郡富春", "会稽山阴", "颍川长社", "南阳宛县", "汝南平舆")
ZH_OFFICES = ("尚书令", "太常卿", "光禄大夫", "侍中", "御史中丞", "司隶校尉", "大司农", "太子少傅")


@dataclass
class TableQuestion:
    question: str
    lang: str
    doc: str  # file name
    row: str  # the row's label
    value: str  # the asked cell


@dataclass
class Doc:
    file: str
    kind: str  # the benchmark row it counts in, e.g. "pdf zh book"
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)  # running header/footer texts
    numbers: list[str] = field(default_factory=list)
    questions: list[TableQuestion] = field(default_factory=list)


def _values(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < n:
        value = f"{rng.uniform(10, 99):.1f}"
        if not value.endswith(".0"):  # a spreadsheet shows 78.0 as 78
            seen.add(value)
    return sorted(sorted(seen), key=lambda _: rng.random())  # sorted first: a set's order changes per process


def company_names(lang: str, count: int, rng: random.Random) -> list[str]:
    first, second = (EN_FIRST, EN_SECOND) if lang == "en" else (ZH_FIRST, ZH_SECOND)
    names = [f"{a} {b}" if lang == "en" else a + b for a in first for b in second]
    rng.shuffle(names)
    return names[:count]


@dataclass
class Report:
    """A company's annual report: overview, a revenue table, outlook."""

    company: str
    lang: str
    table: dict[str, dict[str, str]]  # region -> year -> value
    sections: list[tuple[str, list[str]]]
    caption: str
    title: str


def make_report(company: str, lang: str, rng: random.Random) -> Report:
    vals = iter(_values(rng, 12))
    table = {r: {y: next(vals) for y in YEARS} for r in REGIONS[lang]}
    founded, staff, plants = rng.randint(1950, 1999), rng.randint(200, 9000), rng.randint(2, 30)
    if lang == "en":
        title = f"{company} Annual Report 2023"
        overview = [f"{company} was founded in {founded} by two brothers in a small rented workshop.",
                    f"Today the company employs {staff} people in {plants} plants across the country.",
                    f"The chief executive, Dr. Helen Marsh, joined the company in {founded + 20} as head of sales.",
                    "Most of its customers are regional retailers, e.g. grocery chains and independent shops."]
        outlook = [f"For 2024 the board expects revenue to grow by {rng.randint(2, 9)}.5 per cent.",
                   "New plants in the U.S. market are planned, but no site has been chosen yet.",
                   "The board will propose a dividend at the general meeting in May."]
        heads = ["1. Company overview", "2. Revenue by region", "3. Outlook"]
        caption = "Table 1: Revenue by region (million euros)"
        revenue = ["Revenue rose in every region except one, as the table below shows."]
    else:
        title = f"{company}2023年年度报告"
        overview = [f"{company}成立于{founded}年，最初是一家只有十几名员工的小作坊。",
                    f"目前公司共有员工{staff}人，在全国设有{plants}家工厂。",
                    f"现任总经理王海燕于{founded + 20}年加入公司，曾任销售总监。",
                    "公司的主要客户是各地的连锁超市和独立零售商。"]
        outlook = [f"董事会预计2024年营业收入将增长{rng.randint(2, 9)}.5%。",
                   "公司计划在海外市场新建工厂，但选址尚未确定。",
                   "董事会将在五月的股东大会上提出分红方案。"]
        heads = ["一、公司概况", "二、分地区营业收入", "三、未来展望"]
        caption = "表1 分地区营业收入（百万元）"
        revenue = ["除一个地区外，各地区营业收入均有增长，详见下表。"]
    sections = [(heads[0], overview), (heads[1], revenue), (heads[2], outlook)]
    return Report(company, lang, table, sections, caption, title)


def report_questions(rep: Report, file: str, rng: random.Random, n: int) -> list[TableQuestion]:
    cells = [(r, y) for r in rep.table for y in YEARS]
    rng.shuffle(cells)
    out = []
    for region, year in cells[:n]:
        if rep.lang == "en":
            q = f"What was the revenue of {rep.company} in the {region} region in {year}?"
        else:
            q = f"{rep.company}{year}年{region}地区的营业收入是多少？"
        out.append(TableQuestion(q, rep.lang, file, region, rep.table[region][year]))
    return out


def header_row(lang: str) -> list[str]:
    return (["Region"] if lang == "en" else ["地区"]) + [y if lang == "en" else f"{y}年" for y in YEARS]


def report_doc(rep: Report, file: str, kind: str, rng: random.Random, questions: int) -> Doc:
    numbers = [v for row in rep.table.values() for v in row.values()]
    return Doc(file, kind, [(rep.title, [])] + rep.sections, [], numbers,
               report_questions(rep, file, rng, questions))
