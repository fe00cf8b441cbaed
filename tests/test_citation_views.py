"""Checking a citation in the original, in a real headless Chromium: the cited PDF page with the used
sentences highlighted where they are printed, a text document scrolled to the passage, the
original file, and requests for anything else refused."""

from __future__ import annotations

import html
import io
import random
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.layout_docs import make_report
from benchmarks.layout_writers import write_report_pdf
from benchmarks.scans import PAGE_PX, page_image, scanned_pdf
from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

from .test_pdf import FONT
from .test_ui_browser import ARTIFACTS, _ask, browser  # noqa: F401 - the browser fixture

pytestmark = pytest.mark.browser

PAGE_2 = ("研究团队在二〇二四年完成了三次实地调查，共访问了一百二十位电影从业者。"
          "调查发现，多数受访者认为生成式人工智能会改变剧本开发的流程，但不会取代导演。"
          "报告建议制片公司为编剧提供新工具的培训。")
SENTENCE = "调查发现，多数受访者认为生成式人工智能会改变剧本开发的流程，但不会取代导演。"
QUESTION = "受访者认为生成式人工智能会不会取代导演？"


SCAN_PAGE_2 = ["第二章 图书馆", "", "本市的公共图书馆共有四十二座，去年接待读者三百万人次。"]


def _two_page_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "电影行业调查报告\n\n第一页介绍了调查的背景：近年来，影视制作公司开始尝试各种新的数字工具。")
    pdf.add_page()
    pdf.multi_cell(0, 8, "\n" * 6 + PAGE_2)  # lower on the page, so a box at the top would be wrong
    pdf.output(str(path))


def _long_markdown(path: Path) -> None:
    filler = "\n\n".join(f"第{i}段：这一段记录了档案馆第{i}次整理工作的日期、参与人员和整理的卷宗数量。" for i in range(1, 60))
    path.write_text(f"# 档案馆工作记录\n\n{filler}\n\n## 防潮措施\n\n档案馆在地下库房安装了四台除湿机，"
                    "把相对湿度控制在百分之四十五以下。\n\n" + filler, encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    root = tmp_path_factory.mktemp("views")
    docs = root / "docs"
    docs.mkdir()
    _two_page_pdf(docs / "调查报告.pdf")
    _long_markdown(docs / "archive.md")
    scanned_pdf(docs / "scan.pdf", [["第一章 概况"], SCAN_PAGE_2])
    rng = random.Random(4)
    write_report_pdf(make_report("Ashgrove Foods", "en", rng), docs / "ashgrove_report.pdf", rng)
    kb = KnowledgeBase(Settings(data_dir=root / "data"))
    assert ingest_paths(kb, [docs]).count("added") == 4
    ids = {d.name: d.doc_id for d in kb.documents()}
    with running_app(root / "data") as url:
        yield url, ids


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _highlight_bbox(png: bytes) -> tuple[float, float, float, float] | None:
    """Bounding box (fractions) of the pixels tinted by the highlight, found by colour alone."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    tinted = (r > 200) & (g > 170) & (b < 200) & (r - b > 60)  # yellow fill over white, orange edge
    ys, xs = np.nonzero(tinted)
    if not len(xs):
        return None
    h, w = tinted.shape
    return xs.min() / w, ys.min() / h, (xs.max() + 1) / w, (ys.max() + 1) / h


def _sentence_bbox(pdf: Path, page: int, sentence: str) -> tuple[float, float, float, float]:
    """The sentence's place by the PDF's own character boxes (pdfium's search, independent of ours)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    p = doc[page - 1]
    width, height = p.get_size()
    tp = p.get_textpage()
    found = tp.search(sentence).get_next()
    assert found is not None, "the test's sentence is not in the PDF's text layer"
    start, count = found
    boxes = [tp.get_charbox(i) for i in range(start, start + count)]
    boxes = [b for b in boxes if b[2] > b[0]]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    top, bottom = max(b[3] for b in boxes), min(b[1] for b in boxes)
    doc.close()
    return left / width, 1 - top / height, right / width, 1 - bottom / height


def test_a_pdf_citation_shows_its_page_with_the_sentence_highlighted(library, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, ids = library
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1100})
    page.goto(url)
    page.wait_for_selector("#kb-question textarea")
    _ask(page, QUESTION, 0)
    shown = time.perf_counter()
    page.wait_for_function("() => { const i = document.querySelector('#kb-src-0-1 img.kb-page-img');"
                           " return i && i.complete && i.naturalWidth > 0; }", timeout=20_000)
    to_image_ms = (time.perf_counter() - shown) * 1000
    print(f"first page image shown {to_image_ms:.0f} ms after the source appeared")
    assert "第 2 页" in page.inner_text("#kb-src-0-1")
    open_pdf = page.get_attribute("#kb-src-0-1 a.kb-open-pdf", "href") or ""
    assert open_pdf.endswith(f"/kb/default/doc/{ids['调查报告.pdf']}/original#page=2"), open_pdf
    page.screenshot(path=str(ARTIFACTS / "citation_page_panel.png"), full_page=True)

    # The whole page, in the viewer the thumbnail opens: the highlight sits on the sentence.
    with page.context.expect_page() as opened:
        page.click("#kb-src-0-1 a.kb-page-link")
    viewer = opened.value
    viewer.wait_for_function("() => { const i = document.getElementById('kb-page-image');"
                             " return i && i.complete && i.naturalWidth > 0; }", timeout=20_000)
    assert "第 2 页，共 2 页" in viewer.inner_text("header")
    assert viewer.locator("#kb-not-found").count() == 0
    image_url = viewer.evaluate("document.getElementById('kb-page-image').src")
    status, headers, png = _get(image_url)
    assert status == 200 and headers["x-kb-highlight"] == "found"
    got = _highlight_bbox(png)
    want = _sentence_bbox(_pdf_path(library, tmp_path), 2, SENTENCE)
    assert got is not None, "no highlight drawn"
    assert all(abs(a - b) < 0.02 for a, b in zip(got, want, strict=True)), (got, want)
    viewer.screenshot(path=str(ARTIFACTS / "citation_page_viewer.png"), full_page=True)

    viewer.click("#kb-prev")  # page navigation: page 1 has no highlight
    viewer.wait_for_function("document.querySelector('header').innerText.includes('第 1 页')")
    status, headers, png = _get(viewer.evaluate("document.getElementById('kb-page-image').src"))
    assert headers["x-kb-highlight"] == "none" and _highlight_bbox(png) is None
    viewer.click("#kb-next")
    viewer.wait_for_function("document.querySelector('header').innerText.includes('第 2 页')")
    assert _get(viewer.evaluate("document.getElementById('kb-page-image').src"))[1]["x-kb-highlight"] == "found"


def _pdf_path(library, folder: Path) -> Path:  # type: ignore[no-untyped-def]
    """The PDF as the server hands it out (the open-at-page link's file)."""
    url, ids = library
    status, _, body = _get(f"{url}kb/default/doc/{ids['调查报告.pdf']}/original")
    assert status == 200 and body.startswith(b"%PDF")
    path = folder / "original.pdf"
    path.write_bytes(body)
    return path


def test_a_sentence_not_on_the_page_is_not_highlighted_and_said(library) -> None:  # type: ignore[no-untyped-def]
    url, ids = library
    doc = ids["调查报告.pdf"]
    status, headers, png = _get(f"{url}kb/default/doc/{doc}/page/1.png?hl=" + urllib.request.quote(SENTENCE))
    assert status == 200 and headers["x-kb-highlight"] == "not-found" and _highlight_bbox(png) is None
    status, _, body = _get(f"{url}kb/default/doc/{doc}/view?page=1&lang=en&hl=" + urllib.request.quote(SENTENCE))
    assert status == 200 and b'id="kb-not-found"' in body and b"could not be found on this page" in body


def test_a_quoted_pdf_table_row_is_highlighted_by_its_cells(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A table row is quoted with its context ("Ashgrove Foods … · Table 1: … · Region: West; 2021: …"),
    which is not printed on the row's line: the highlight is found by the row's cells, on that line."""
    url, ids = library
    doc = ids["ashgrove_report.pdf"]
    status, _, body = _get(f"{url}kb/default/doc/{doc}/view")  # the stored text, as the citations quote it
    page = re.sub(r'<span class="kb-section"[^>]*>[^<]*</span>', "\n", body.decode())  # headings: own lines
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    rows = [ln.strip() for ln in text.split("\n") if " · Region: " in ln]
    assert status == 200 and len(rows) == 4, rows
    status, _, body = _get(f"{url}kb/default/doc/{doc}/original")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(body)
    for row in (rows[0], rows[3]):
        status, headers, png = _get(f"{url}kb/default/doc/{doc}/page/1.png?hl=" + urllib.request.quote(row))
        assert status == 200 and headers["x-kb-highlight"] == "found", row
        cells = [c.split(": ")[-1] for c in row.rsplit(" · ", 1)[1].split("; ")]
        boxes = [_sentence_bbox(pdf, 1, c) for c in cells]  # each cell where pdfium's own search finds it
        want = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        got = _highlight_bbox(png)
        assert got is not None and all(abs(a - b) < 0.02 for a, b in zip(got, want, strict=True)), (got, want)
    mixed = rows[0].rsplit("; ", 1)[0] + "; " + rows[3].rsplit("; ", 1)[1]  # the last cell from another row
    status, headers, png = _get(f"{url}kb/default/doc/{doc}/page/1.png?hl=" + urllib.request.quote(mixed))
    assert headers["x-kb-highlight"] == "not-found" and _highlight_bbox(png) is None


def test_a_text_document_view_scrolls_to_and_highlights_the_passage(library, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, _ = library
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector("#kb-question textarea")
    _ask(page, "档案馆把相对湿度控制在多少以下？", 0)
    assert "百分之四十五" in page.inner_text("#kb-chat")
    with page.context.expect_page() as opened:
        page.click("#kb-src-0-1 a.kb-show-text")
    view = opened.value
    view.wait_for_selector("#kb-cited mark")
    view.wait_for_function("window.scrollY > 0")
    inside = view.evaluate("(() => { const r = document.querySelector('#kb-cited mark').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; })()")
    assert inside, "the highlighted sentence is not in view"
    assert "百分之四十五" in view.inner_text("#kb-cited mark")
    assert "第1段" in view.inner_text(".kb-text") and "第59段" in view.inner_text(".kb-text")  # the whole text
    # each section's heading once, before its first passage (headings are sections, not chunk text)
    assert view.locator(".kb-section").all_inner_texts() == ["档案馆工作记录", "防潮措施"]
    view.screenshot(path=str(ARTIFACTS / "citation_text_view.png"))


def test_only_files_the_library_holds_are_served(library) -> None:  # type: ignore[no-untyped-def]
    url, ids = library
    doc = ids["archive.md"]
    status, headers, body = _get(f"{url}kb/default/doc/{doc}/original?download=1")
    assert status == 200 and "attachment" in headers["content-disposition"] and "防潮措施".encode() in body
    crafted = ["kb/default/doc/../../../../etc/passwd/original", "kb/default/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd/original",
               "kb/default/doc/0123456789abcdef/original", f"kb/other-library/doc/{doc}/original",
               f"kb/..%2F..%2Fetc/doc/{doc}/original", f"kb/Bad%20Name/doc/{doc}/original", f"kb/default/doc/{doc}%2f..%2f..%2fetc%2fpasswd/original",
               "kb/default/doc/..%2F..%2F..%2Fetc%2Fpasswd/page/1.png", f"kb/default/doc/{doc}/page/1.png",
               f"kb/default/doc/{ids['调查报告.pdf']}/page/3.png"]
    for path in crafted:
        status, _, body = _get(url + path)
        assert status == 404 and b"root:" not in body, (path, status, body[:200])
    status, _, body = _get(f"{url}kb/default/doc/{doc}/original?path=/etc/passwd&file=/etc/passwd")
    assert status == 200 and b"root:" not in body and "防潮措施".encode() in body


def test_with_a_password_the_views_need_the_login(tmp_path: Path) -> None:
    import http.cookiejar
    import urllib.parse

    docs = tmp_path / "docs"
    docs.mkdir()
    _long_markdown(docs / "archive.md")
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
    ingest_paths(kb, [docs])
    doc = kb.documents()[0].doc_id
    with running_app(tmp_path / "data", extra_env={"KB_AUTH": "ana:s3cret-pass"}) as url:
        assert _get(f"{url}kb/default/doc/{doc}/original")[0] == 401
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = urllib.parse.urlencode({"username": "ana", "password": "s3cret-pass"}).encode()
        opener.open(f"{url}login", data=form, timeout=30)
        with opener.open(f"{url}kb/default/doc/{doc}/original", timeout=30) as resp:
            assert resp.status == 200 and "防潮措施".encode() in resp.read()



def test_the_library_tab_links_each_document_to_its_text_and_file(library, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url, ids = library
    page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.get_by_role("tab", name="Library").click()
    page.click("#kb-pick input")
    page.get_by_role("option", name="档案馆工作记录 (archive.md)").click()
    page.wait_for_selector("#kb-doc-download")
    href = page.get_attribute("#kb-doc-download", "href") or ""
    assert href == f"/kb/default/doc/{ids['archive.md']}/original?download=1"
    status, headers, body = _get(url.rstrip("/") + href)
    assert status == 200 and "attachment" in headers["content-disposition"] and "防潮措施".encode() in body
    text_href = page.get_attribute("#kb-doc-text", "href") or ""
    assert "防潮措施" in _get(url.rstrip("/") + text_href)[2].decode()


def test_a_scanned_page_is_highlighted_by_its_ocr_boxes(library) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    url, ids = library
    sentence = SCAN_PAGE_2[2]
    status, headers, png = _get(f"{url}kb/default/doc/{ids['scan.pdf']}/page/2.png?hl=" + urllib.request.quote(sentence))
    assert status == 200 and headers["x-kb-highlight"] == "found"
    got = _highlight_bbox(png)
    # Where the line was drawn: the dark pixels of that line alone on an otherwise blank page.
    ink = np.asarray(page_image(["\u3000", *SCAN_PAGE_2[1:]])) < 128  # the heading's line left blank
    ys, xs = np.nonzero(ink)
    want = (xs.min() / PAGE_PX[0], ys.min() / PAGE_PX[1], (xs.max() + 1) / PAGE_PX[0], (ys.max() + 1) / PAGE_PX[1])
    assert got is not None and all(abs(a - b) < 0.02 for a, b in zip(got, want, strict=True)), (got, want)
