"""The text view of a document (``web.viewer.text_view_html``): rebuilt from its chunks as
``kb.store.originals`` does, it shows each section heading once, before the section's first passage,
and the cited passage at its exact offsets (no model, no Chroma)."""

from __future__ import annotations

import html
import re

from ingest.chunking import chunk_document
from kb.records import DocumentInfo
from kb.store.originals import DocumentText, Passage
from web.viewer import text_view_html

SOURCE = ("# 档案馆工作记录\n\n## 整理工作\n\n"
          + "\n\n".join(f"第{i}段：这一段记录了档案馆第{i}次整理工作的日期、参与人员和整理的卷宗数量。" for i in range(1, 9))
          + "\n\n## 防潮措施\n\n档案馆在地下库房安装了四台除湿机，把相对湿度控制在百分之四十五以下。"
          "库房每天早晚各检查一次温湿度。\n\n## Opening hours\n\nWe open at 9 and close at 5.")


def _document() -> DocumentText:
    """The stored chunks laid back at their offsets, as ``Originals.text`` does."""
    _, chunks = chunk_document("d", [SOURCE], paged=False, size=120, overlap=30)
    end = max(c.start + len(c.text) for c in chunks)
    buffer = ["\n"] * end
    passages = []
    for i, c in enumerate(chunks):
        buffer[c.start : c.start + len(c.text)] = list(c.text)
        passages.append(Passage(f"d::{i}", c.start, c.start + len(c.text), None, c.section, False))
    info = DocumentInfo("d", "/x/a.md", "档案馆工作记录", "zh", None, len(chunks), "h", "2026-01-01")
    return DocumentText(info, "".join(buffer), passages)


def _headings(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<span class="kb-section"[^>]*>([^<]*)</span>', page)]


def _visible(page: str) -> str:
    """The text of the view without its markup and headings: what offsets were taken in."""
    body = page.split('<div class="kb-text">', 1)[1].split("</div>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="kb-section"[^>]*>[^<]*</span>', "", body)))


def test_each_section_heading_is_shown_once_before_its_first_passage() -> None:
    doc = _document()
    assert "防潮措施" not in doc.text  # headings are sections, not chunk text
    page = text_view_html(doc, None, [], None, "zh")
    assert _headings(page) == ["整理工作", "防潮措施", "Opening hours"]
    assert page.index("防潮措施</span>") < page.index("档案馆在地下库房") < page.index("Opening hours</span>")
    assert page.index("第8段") < page.index("防潮措施</span>")
    assert re.sub(r"\s+", "", _visible(page)) == re.sub(r"\s+", "", doc.text)


def test_the_cited_passage_keeps_its_offsets_and_its_heading_stays_outside_it() -> None:
    doc = _document()
    cited = next(p for p in doc.passages if p.section == "防潮措施")
    sentence = "库房每天早晚各检查一次温湿度。"
    page = text_view_html(doc, cited.chunk_id, [sentence], None, "zh")
    inside = page.split('<span id="kb-cited">', 1)[1].split("</span>", 1)[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", inside)) == doc.text[cited.start : cited.end]
    assert f"<mark>{sentence}</mark>" in inside
    assert page.index("防潮措施</span>") < page.index('<span id="kb-cited">')
    assert _headings(page) == ["整理工作", "防潮措施", "Opening hours"]
    # found by its first sentence when no chunk is named
    by_sentence = text_view_html(doc, None, [sentence], None, "zh")
    assert by_sentence.split('<span id="kb-cited">', 1)[1].split("</span>", 1)[0] == inside
