"""Cleaning rules on small inputs: each rule is general, so each is checked on made-up text."""

from ingest.clean import (
    clean_markup,
    derive_title,
    join_broken_cjk_lines,
    metadata_from_front_matter,
    split_front_matter,
)


def test_front_matter_becomes_metadata() -> None:
    text = '---\ntitle: "标题 A"\ndate: "2025-02-10 16:44:38"\nsource: https://example.org/a\ntags:\n  - x\n---\n\n正文。'
    meta, body = split_front_matter(text)
    fields = metadata_from_front_matter(meta)
    assert fields == {"title": "标题 A", "date": "2025-02-10 16:44:38", "source_url": "https://example.org/a"}
    assert body.strip() == "正文。"


def test_broken_front_matter_is_kept_as_text() -> None:
    meta, body = split_front_matter("---\n: [unclosed\n---\nBody")
    assert meta == {} and "Body" in body


def test_markup_is_removed_but_words_kept() -> None:
    raw = (
        "成本压力巨大。<sup>1</sup>营收<sup>2</sup>增长。\n\n"
        "![封面](https://img.example.com/a.png)\n\n"
        "详见 [德勤报告](https://www2.deloitte.com/x?utm_source=wechat) 第三章。\n\n"
        "原文链接: http://mp.weixin.qq.com/s?__biz=MzA&mid=1#rd\n\n"
        "A **bold** claim and <span class='x'>a span</span>."
    )
    out = clean_markup(raw)
    assert "成本压力巨大。营收增长。" in out
    assert "png" not in out and "http" not in out and "原文链接" not in out
    assert "详见 德勤报告 第三章。" in out
    assert "A bold claim and a span." in out


def test_an_address_a_sentence_reads_through_stays_and_a_bare_one_goes() -> None:
    raw = (
        "Changes follow the process described in\nPDEP-1 at https://pandas.pydata.org/pdeps/0001.html?utm_source=x .\n\n"
        "It is hosted by the [pandas-dev\nGitHub organization](https://github.com/pandas-dev).\n\n"
        "NumFOCUS ([https://numfocus.org](https://numfocus.org)), which serves as its fiscal sponsor.\n\n"
        'It is straight from the ASF Bylaws at <a class="http" href="https://apache.org/b.html">'
        "https://apache.org/b.html</a>.\n\n"
        "https://example.org/alone\n\n"
        "《战国无双3》（）是光荣发行的游戏。\n"
    )
    out = clean_markup(raw)
    assert "PDEP-1 at https://pandas.pydata.org/pdeps/0001.html ." in out  # its tracking query gone
    assert "pandas-dev\nGitHub organization." in out and "](" not in out
    assert "NumFOCUS, which serves" in out and "()" not in out
    assert "the ASF Bylaws at https://apache.org/b.html." in out and "href" not in out
    assert "alone" not in out
    assert "《战国无双3》（）是光荣发行的游戏。" in out  # brackets the document itself left empty stay


def test_script_text_is_kept_literally() -> None:
    # Documents that quote HTML keep it as text; the UI escapes it when showing.
    out = clean_markup("示例：<script>alert(1)</script> 与 <img src=x onerror=alert(2)>。")
    assert "<script>alert(1)</script>" in out and "<img src=x onerror=alert(2)>" in out


def test_html_pictures_and_layout_tags_in_markdown_never_reach_a_quote() -> None:
    raw = ('| 年龄 | 性别 |\n|---|---|\n| <img src="/image/questionnaire/3.1-1.png" width="700"> | '
           '<img src="/image/q/3.1-2.png"> |\n\n<aside markdown="1" class="pquote">\n  <img '
           'src="https://avatars.githubusercontent.com/bcantrill?s=180" class="pquote-avatar" alt="avatar">\n'
           '  We have eliminated the CLA for Node.js.\n</aside>\n\n<dl><dt>BDFL</dt><dd>Benevolent dictator.</dd></dl>')
    out = clean_markup(raw)
    assert "<" not in out and "png" not in out and "avatar" not in out
    assert "| 年龄 | 性别 |" in out and "| |" not in out  # the row of pictures goes, their labels stay
    assert "We have eliminated the CLA for Node.js." in out and "BDFL\n" in out


def test_pdf_line_break_inside_chinese_sentence_is_joined() -> None:
    text = "在当今技术飞速发展的时代,生成式人工智能在电影产\n\n业的兴起已成为不可阻挡的趋势。"
    assert join_broken_cjk_lines(text) == "在当今技术飞速发展的时代,生成式人工智能在电影产业的兴起已成为不可阻挡的趋势。"


def test_headings_and_titles_are_not_joined() -> None:
    text = "(一)电影创作主体的战略转型\n\n对于电影创作主体而言,需要提升能力。\n\n# 小结\n\n与大多数公司一样。"
    assert join_broken_cjk_lines(text) == text


def test_title_fallbacks() -> None:
    assert derive_title({"title": "FM"}, "# H\nx", "f") == "FM"
    assert derive_title({}, "intro line\n\n# Heading One\n", "f") == "Heading One"
    assert derive_title({}, "\n\n  First line  \nsecond", "f") == "First line"
    assert derive_title({}, "", "fallback") == "fallback"


def test_single_emphasis_tables_and_symbol_bullets() -> None:
    out = clean_markup("_pandas_ governance, snake_case_name, *note*\n\n| a   |  b |\n|:---|---:|\n| 1 | 2 |\n\n\uf0a7 条目")
    assert out.startswith("pandas governance, snake_case_name, note")
    assert "---" not in out and "| a | b |" in out
    assert "• 条目" in out


def test_pdf_running_headers_are_dropped() -> None:
    from ingest.pdf import strip_running_lines

    bodies = ["甲方应当提交报告。", "乙方负责审核。", "丙方保存记录。", "丁方可以申诉。", "附录列出术语。"]
    pages = [f"OpenChain规范 2.0 版\nPage {i} of 5\n{body}\n2019 a" for i, body in enumerate(bodies, start=1)]
    assert strip_running_lines(pages) == bodies
