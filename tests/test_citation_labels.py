"""Citations name the document by its title and place first, the file name second: in the Sources
panel, the API's "Sources:" trailer and the CLI alike."""

from __future__ import annotations

import re

from rich.console import Console

from kb import Answer, Citation
from kbcli import render as cli
from ui.render import answer_markdown, sources_html
from web.citations import citation_line
from web.openai_api import sources_trailer

FILE = "/srv/docs/seeds/001_d087a9b4bca2ef81.txt"


def _citation(n: int = 1, title: str = "好莱坞将Sora拒之门外", page: int | None = None, section: str | None = None,
              name: str = "001_d087a9b4bca2ef81.txt", ocr: bool = False) -> Citation:
    return Citation(n=n, doc_id="d087a9b4bca2ef81", file=FILE, title=title, page=page, section=section,
                    text="2023年7月13日，美国演员工会代表16万演艺人员罢工。", score=0.91, name=name, ocr=ocr,
                    highlights=["2023年7月13日，美国演员工会代表16万演艺人员罢工。"])


def test_one_line_puts_title_and_place_before_the_file() -> None:
    assert citation_line(_citation(page=3), "en") == "好莱坞将Sora拒之门外, p. 3 (001_d087a9b4bca2ef81.txt)"
    assert citation_line(_citation(page=3), "zh") == "好莱坞将Sora拒之门外，第 3 页（001_d087a9b4bca2ef81.txt）"
    assert citation_line(_citation(section="Results"), "en") == "好莱坞将Sora拒之门外, § Results (001_d087a9b4bca2ef81.txt)"
    assert citation_line(_citation(page=2, ocr=True), "en").startswith("好莱坞将Sora拒之门外, p. 2, read by OCR (")
    # A document whose title is its file name says it once; one without a title is named by its file.
    assert citation_line(_citation(title="notes.md", name="notes.md"), "en") == "notes.md"
    assert citation_line(_citation(title="", name="notes.md", page=1), "en") == "notes.md, p. 1"
    # A first heading that only repeats the title names no place.
    assert citation_line(_citation(section="好莱坞将Sora拒之门外"), "en") == "好莱坞将Sora拒之门外 (001_d087a9b4bca2ef81.txt)"


def test_the_api_trailer_lists_title_place_then_file() -> None:
    answer = Answer(text="… [1] … [2]", citations=[_citation(1, page=3), _citation(2, title="Deloitte outlook",
                                                                                   name="000_dd79d8dfbe91c922.txt")],
                    language="en", refused=False)
    trailer = sources_trailer(answer)
    assert trailer == ("\n\nSources:\n[1] 好莱坞将Sora拒之门外, p. 3 (001_d087a9b4bca2ef81.txt)\n"
                       "[2] Deloitte outlook (000_dd79d8dfbe91c922.txt)")
    assert "/srv/docs" not in trailer


def test_the_sources_panel_shows_the_title_before_the_file() -> None:
    answer = Answer(text="16万 [1]", citations=[_citation(page=None, section="罢工")], language="zh", refused=False)
    panel = sources_html([{"question": "罢工有多少人？", "answer": answer}], "zh")
    head = re.search(r'<div class="kb-src-head">(.*?)</div>', panel).group(1)  # type: ignore[union-attr]
    meta = re.search(r'<div class="kb-src-meta">(.*?)</div>', panel).group(1)  # type: ignore[union-attr]
    assert "好莱坞将Sora拒之门外，§ 罢工" in head and "001_d087" not in head
    assert meta == "001_d087a9b4bca2ef81.txt"  # the passage model's probability is not shown to a reader
    assert 'title="好莱坞将Sora拒之门外，§ 罢工"' in answer_markdown(answer, 0, "zh")


def test_the_cli_prints_title_and_place_then_the_file() -> None:
    console = Console(width=200, record=True, color_system=None)
    cli.answer(console, Answer(text="16万 [1]", citations=[_citation(page=4)], language="zh", refused=False))
    line = next(x for x in console.export_text().splitlines() if x.startswith("[1]"))
    assert line.index("好莱坞将Sora拒之门外, p. 4") < line.index("(001_d087a9b4bca2ef81.txt)")
    assert "0.91" not in line and "relevance" not in line


def test_a_passage_wrapped_in_its_file_is_shown_as_a_paragraph_with_its_sentence_marked() -> None:
    from dataclasses import replace

    sentence = "Major technical changes to the\nproject are managed by the PDEP process."
    cited = replace(_citation(section="Summary"), text="pandas is community-run. " + sentence + "\n\nNext paragraph.",
                    highlights=[sentence])
    panel = sources_html([{"question": "PDEP?", "answer": Answer("x [1]", [cited], "en", False)}], "en")
    assert "<mark>Major technical changes to the project are managed by the PDEP process.</mark>" in panel
    assert "Next paragraph." in panel and "the<br>project" not in panel


def test_a_web_address_in_an_answer_is_a_link_without_escapes() -> None:
    answer = Answer("described in PDEP-1 at https://pandas.pydata.org/pdeps/0001-purpose_and.html . [1]",
                    [_citation(section="Summary")], "en", False)
    body = answer_markdown(answer, 0, "en")
    assert '<a href="https://pandas.pydata.org/pdeps/0001-purpose_and.html" target="_blank"' in body
    assert "pandas\\." not in body and "PDEP\\-1 at" in body


def test_a_refusal_s_nearest_passages_are_shown_unnumbered_under_a_plain_label() -> None:
    near = _citation(section="罢工")
    refused = Answer("知识库中没有找到相关内容。", [], "zh", True, related=[near])
    panel = sources_html([{"question": "罢工花了多少钱？", "answer": refused}], "zh")
    assert "检索到的最相近段落（都不能回答这个问题）：" in panel and 'class="kb-n"' not in panel and "[1]" not in panel
    assert 'id="kb-rel-0-1"' in panel and 'id="kb-src-0-1"' not in panel and "<mark" in panel
    assert "kb-sources-empty" in sources_html([{"question": "?", "answer": Answer("x", [], "zh", True)}], "zh")
    assert "列在“出处”中" in answer_markdown(refused, 0, "zh")
    assert "列在“出处”中" not in answer_markdown(Answer("知识库中没有找到相关内容。", [], "zh", True), 0, "zh")


def test_a_refusal_s_nearest_passages_keep_server_paths_from_other_machines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from starlette.requests import Request

    from kb import Settings
    from web.cited import public_citations

    def request(host: str) -> Request:
        return Request({"type": "http", "method": "POST", "path": "/api/ask", "root_path": "", "query_string": b"",
                        "headers": [(b"host", b"kb.example:8000")], "scheme": "http", "server": ("kb.example", 8000),
                        "client": (host, 5000)})

    refused = Answer("知识库中没有找到相关内容。", [], "zh", True, related=[_citation(section="罢工")])
    settings = Settings(data_dir=tmp_path)
    away = public_citations(refused, "default", request("10.1.2.3"), settings, related=True)
    assert away[0]["file"] == "001_d087a9b4bca2ef81.txt" and away[0]["view_url"].startswith("http://kb.example:8000/")
    assert public_citations(refused, "default", request("127.0.0.1"), settings, related=True)[0]["file"] == FILE
    assert public_citations(refused, "default", request("10.1.2.3"), settings) == []  # no citations
