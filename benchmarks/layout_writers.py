"""Writers for ``layout_docs``: the same report as DOCX, PDF or XLSX, a long Chinese PDF of
articles with running headers, "第 N 页" footers and ruled tables, and a justified English PDF."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from benchmarks.layout_docs import (
    FONT,
    YEARS,
    ZH_GIVEN,
    ZH_OFFICES,
    ZH_PLACES,
    ZH_SURNAMES,
    Doc,
    Report,
    TableQuestion,
    header_row,
)


def _history(rep: Report, rng: random.Random) -> tuple[str, list[str]]:
    """Enough dated prose to fill a few pages."""
    sents = []
    for _ in range(40):
        year, n = rng.randint(1960, 2020), rng.randint(3, 90)
        if rep.lang == "en":
            sents.append(f"In {year} the company opened its {n}th depot and hired local staff for the new line of work.")
        else:
            sents.append(f"{year}年，公司开设了第{n}个仓库，并为新的生产线在当地招聘了员工，业务规模进一步扩大。")
    return ("4. History" if rep.lang == "en" else "四、发展历程"), sents


def write_docx(rep: Report, path: Path, rng: random.Random) -> list[tuple[str, list[str]]]:
    import docx

    document = docx.Document()
    if rng.random() < 0.5:
        document.core_properties.title = rep.title
    document.add_paragraph(rep.title, style="Title")
    sections = rep.sections + [_history(rep, rng)]
    for i, (head, sents) in enumerate(sections):
        document.add_heading(head, level=1)
        document.add_paragraph(" ".join(sents) if rep.lang == "en" else "".join(sents))
        if i == 1:
            document.add_paragraph(rep.caption)
            table = document.add_table(rows=5, cols=4)
            table.style = "Table Grid"
            rows = [header_row(rep.lang)] + [[r] + [rep.table[r][y] for y in YEARS] for r in rep.table]
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    cell.text = text
    document.save(str(path))
    return [(rep.title, [])] + sections


def write_xlsx(rep: Report, path: Path, titled: bool) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Revenue" if rep.lang == "en" else "营业收入"
    if titled:
        sheet.append([rep.caption.split(": ", 1)[1] if rep.lang == "en" else rep.caption.split(" ", 1)[1]])
        sheet.append([])
    sheet.append(header_row(rep.lang))
    for region, row in rep.table.items():
        sheet.append([region] + [float(row[y]) for y in YEARS])
    book.save(str(path))


class _PDF:
    """fpdf2 with the CJK font and a running header and footer."""

    def __init__(self, header: str, footer: str) -> None:
        from fpdf import FPDF

        outer = self

        class Page(FPDF):  # type: ignore[misc]
            def header(self) -> None:
                self.set_font("wqy", size=8)
                self.cell(0, 5, outer.header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

            def footer(self) -> None:
                self.set_y(-15)
                self.set_font("wqy", size=8)
                self.cell(0, 5, outer.footer.format(n=self.page_no()), align="C")

        self.header, self.footer = header, footer
        self.pdf: Any = Page()
        self.pdf.add_font("wqy", fname=str(FONT))
        self.pdf.set_font("wqy", size=11)
        self.pdf.add_page()

    def heading(self, text: str, size: float = 14) -> None:
        self.pdf.set_font("wqy", size=size)
        self.pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("wqy", size=11)

    def para(self, text: str) -> None:
        self.pdf.multi_cell(0, 6.5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(3)

    def table(self, rows: list[list[str]]) -> None:
        from fpdf import FontFace

        with self.pdf.table(col_widths=(30, 22, 22, 22), width=96, align="LEFT",
                            headings_style=FontFace(emphasis=None)) as t:
            for cells in rows:
                row = t.row()
                for c in cells:
                    row.cell(c)
        self.pdf.ln(4)


def write_report_pdf(rep: Report, path: Path, rng: random.Random) -> tuple[list[tuple[str, list[str]]], list[str]]:
    head = f"{rep.company} · Annual Report 2023" if rep.lang == "en" else f"{rep.company} · 2023年年度报告"
    foot = "Page {n}" if rep.lang == "en" else "- {n} -"
    pdf = _PDF(head, foot)
    pdf.pdf.set_title(rep.title)
    pdf.heading(rep.title, 18)
    sections = rep.sections + [_history(rep, rng)]
    for i, (title, sents) in enumerate(sections):
        pdf.heading(title, 14)
        joiner = " " if rep.lang == "en" else ""
        for k in range(0, len(sents), 3):
            pdf.para(joiner.join(sents[k : k + 3]))
        if i == 1:
            pdf.para(rep.caption)
            pdf.table([header_row(rep.lang)] + [[r] + [rep.table[r][y] for y in YEARS] for r in rep.table])
    pdf.pdf.output(str(path))
    return [(rep.title, [])] + sections, [head]


def _person(rng: random.Random) -> tuple[str, list[str], list[str]]:
    name = rng.choice(ZH_SURNAMES) + rng.choice(ZH_GIVEN) + rng.choice(ZH_GIVEN)
    y, m, d = rng.randint(1900, 1990), rng.randint(1, 12), rng.randint(1, 28)
    y2, y3 = y + rng.randint(20, 30), y + rng.randint(40, 60)
    place, office = rng.choice(ZH_PLACES), rng.choice(ZH_OFFICES)
    books = rng.randint(3, 40)
    sents = [f"{name}（），字{rng.choice(ZH_GIVEN)}{rng.choice(ZH_GIVEN)}，{place}人，生于{y}年{m}月{d}日，是当时著名的学者和政治家。",
             f"{name}早年就读于本地书院，勤奋好学，{y2}年起出任{office}，主持修订了多部典章制度。",
             f"他一生著述甚丰，共留下著作{books}部，其中以《{name[-1]}斋文集》最为后人称道，至今仍有多种刻本流传。",
             f"{y3}年，{name}因病辞官回乡，此后专心讲学，门下弟子先后有{rng.randint(100, 900)}人之多。",
             f"后人评价{name}为人清正，处事公允，在地方上享有很高的声望，其故居在{y3 + rng.randint(30, 60)}年被列为文物保护单位。"]
    return name, sents, [str(y), str(y2), str(y3), str(books)]


def write_zh_book(path: Path, rng: random.Random, articles: int) -> Doc:
    """Articles under size-15 headings, a ruled table in every sixth, header and footer on each page."""
    pdf = _PDF("中华百科全书 · 第二卷", "第 {n} 页")
    doc = Doc(path.name, "PDF zh book", furniture=["中华百科全书 · 第二卷"])
    tables = 0
    for k in range(articles):
        if k % 6 == 5:
            tables += 1
            city = rng.choice("临安 江宁 武陵 襄阳 庐陵 豫章 会稽 吴兴".split()) + "市"
            while any(city == s for s, _ in doc.sections):
                city = city[0] + rng.choice("安宁远德") + "市"
            drawn = sorted({f"{rng.uniform(10, 99):.1f}" for _ in range(40)})  # sorted: a set's order changes per process
            vals = iter(sorted(drawn, key=lambda _: rng.random()))
            districts = ["中心区", "东城区", "西城区", "新港区"]
            table = {dd: {y: next(vals) for y in YEARS} for dd in districts}
            caption = f"表{tables} {city}各区常住人口（万人）"
            sents = [f"{city}位于江南丘陵地带，是一座有着两千多年历史的古城，历史上曾是重要的商贸中心。",
                     f"近年来{city}人口稳步增长，各区常住人口见{caption.split(' ')[0]}。"]
            pdf.heading(city, 15)
            pdf.para("".join(sents))
            pdf.para(caption)
            pdf.table([["区域"] + [f"{y}年" for y in YEARS]] + [[dd] + [table[dd][y] for y in YEARS] for dd in districts])
            doc.sections.append((city, sents))
            doc.numbers += [v for row in table.values() for v in row.values()]
            for dd, y in rng.sample([(dd, y) for dd in districts for y in YEARS], 3):
                doc.questions.append(TableQuestion(f"{city}{dd}{y}年的常住人口是多少万人？", "zh", path.name, dd,
                                                   table[dd][y]))
            continue
        name, sents, numbers = _person(rng)
        pdf.heading(name, 15)
        pdf.para("".join(sents[:3]))
        pdf.para("".join(sents[3:]))
        doc.sections.append((name, sents))
        doc.numbers += numbers
    pdf.pdf.output(str(path))
    return doc


EN_PEOPLE = ("Dr. Maria Kovacs", "Prof. Alan Brooks", "Mr. Tomas Lindgren", "Mrs. Ada Okafor", "Ms. Lena Varga")


def _en_paragraphs(rng: random.Random) -> list[tuple[str, list[str]]]:
    topics = ["Irrigation", "Soil quality", "Harvest figures", "Cooperative members", "Exports"]
    out = []
    for topic in topics:
        who = rng.choice(EN_PEOPLE)
        sents = [f"The chief agronomist, {who}, introduced {topic.lower()} trials on the northern fields in {rng.randint(1980, 2015)}.",
                 f"Yields improved by {rng.randint(2, 9)}.{rng.randint(1, 9)} per cent, e.g. for wheat and barley, "
                 "according to measurements taken independently by the regional agricultural laboratory.",
                 f"See Fig. {rng.randint(2, 9)} and No. {rng.randint(10, 99)} of the appendix for the comprehensive "
                 "methodology, i.e. sampling, weighing and the statistical corrections applied.",
                 f"Exports to the U.S. market reached {rng.randint(100, 999)} tonnes, considerably more than "
                 "neighbouring cooperatives managed in the same extraordinarily difficult season.",
                 "Representatives of the international association acknowledged the contribution of the "
                 "participating households, whose administrative documentation was exemplary."]
        out.append((topic, sents))
    return out


def write_en_justified(path: Path, rng: random.Random) -> Doc:
    """Paragraphs set justified word by word, long words hyphenated at line ends."""
    pdf = _PDF("Green Valley Cooperative · Field Report", "Page {n}")
    doc = Doc(path.name, "PDF en justified", furniture=["Green Valley Cooperative · Field Report"])
    for topic, sents in _en_paragraphs(rng) * 2:
        pdf.heading(topic, 14)
        _justified(pdf.pdf, " ".join(sents))
        pdf.pdf.ln(4)
        if (topic, sents) not in doc.sections:
            doc.sections.append((topic, sents))
    pdf.pdf.output(str(path))
    return doc


def _justified(pdf: Any, text: str, width: float = 150.0) -> None:
    words, line = text.split(), []
    x0 = pdf.l_margin
    while words:
        word = words.pop(0)
        trial = line + [word]
        if pdf.get_string_width(" ".join(trial)) <= width:
            line = trial
            continue
        if len(word) >= 9:  # hyphenate: as much as fits, then "-"
            for cut in range(len(word) - 3, 3, -1):
                if pdf.get_string_width(" ".join(line + [word[:cut] + "-"])) <= width:
                    line, words = line + [word[:cut] + "-"], [word[cut:]] + words
                    break
            else:
                words.insert(0, word)
        else:
            words.insert(0, word)
        _set_line(pdf, line, x0, width)
        line = []
    _set_line(pdf, line, x0, None)


def _set_line(pdf: Any, line: list[str], x0: float, width: float | None) -> None:
    if pdf.get_y() > pdf.h - 30:
        pdf.add_page()
    y = pdf.get_y() + 4.5
    gap = pdf.get_string_width(" ")
    if width is not None and len(line) > 1:
        gap = (width - sum(pdf.get_string_width(w) for w in line)) / (len(line) - 1)
    x = x0
    for word in line:
        pdf.text(x, y, word)
        x += pdf.get_string_width(word) + gap
    pdf.set_y(pdf.get_y() + 6.5)
