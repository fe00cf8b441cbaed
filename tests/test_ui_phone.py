"""The chat UI on a phone (390×844, headless Chromium): title and library picker without broken words,
the question box and its whole placeholder on the first screen, every [n] leading to its source and
a way back to the answer, the Library readable as cards, nothing wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from benchmarks.serve_child import running_app
from kb import Settings

from .test_ui_browser import ARTIFACTS, browser  # noqa: F401 - the browser fixture

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser

# For each word of the title, how many lines its letters are drawn on (a word broken in two: 2).
WORD_LINES_JS = """(sel) => {
  const el = document.querySelector(sel);
  const text = el.firstChild;
  const out = [];
  const re = /\\S+/g;
  let m;
  while ((m = re.exec(text.textContent))) {
    const r = document.createRange();
    r.setStart(text, m.index); r.setEnd(text, m.index + m[0].length);
    const tops = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
    out.push([m[0], tops.size]);
  }
  return out;
}"""

# The placeholder's width as drawn in the box's font, and the room the box has for it.
PLACEHOLDER_JS = """() => {
  const box = document.querySelector('#kb-question textarea');
  const style = getComputedStyle(box);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [ctx.measureText(box.placeholder).width, room, box.placeholder];
}"""

IN_VIEW_JS = """(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 40; }"""


@pytest.fixture(scope="module")
def app_url(seeded_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("ui_phone") / "data", seed_from=seeded_settings.data_dir) as url:
        yield url


def _phone(browser, locale: str):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)
    page = context.new_page()
    return context, page


@pytest.mark.parametrize(("locale", "title"), [("en-US", "Document knowledge base"), ("zh-CN", "文档知识库")])
def test_the_first_screen_holds_title_picker_and_question_box(app_url: str, browser, locale: str,  # type: ignore[no-untyped-def]  # noqa: F811
                                                              title: str) -> None:
    context, page = _phone(browser, locale)
    page.goto(app_url)
    page.wait_for_function(f"(document.querySelector('#kb-header h2')?.innerText || '').includes('{title}')")
    page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone_first_screen_{locale}.png"))
    assert [w for w, lines in page.evaluate(WORD_LINES_JS, "#kb-header h2") if lines != 1] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    for sel in ("#kb-header h2", "#kb-library input", "#kb-lang", "#kb-question textarea", "#kb-send"):
        box = page.locator(sel).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (sel, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (sel, box)  # on the first screen
    drawn, room, placeholder = page.evaluate(PLACEHOLDER_JS)
    assert placeholder and drawn <= room, (placeholder, drawn, room)  # the whole placeholder shows
    # The empty chat's words, above its example questions, are inside the chat box, not scrolled away.
    words = page.locator("#kb-chat .placeholder-content p").first.bounding_box()
    chat = page.locator("#kb-chat").bounding_box()
    assert words and chat and chat["y"] <= words["y"] and words["y"] + words["height"] <= chat["y"] + chat["height"], (
        words, chat)
    context.close()


def test_each_source_is_reached_from_its_marker_and_left_for_the_answer(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context, page = _phone(browser, "zh-CN")
    page.goto(app_url)
    page.wait_for_selector("#kb-question textarea")
    page.fill("#kb-question textarea", "How many performers did the union strike of July 2023 represent?")
    page.locator("#kb-send").tap()
    page.wait_for_selector("#kb-src-0-1", state="attached", timeout=60_000)
    marker = page.locator("#kb-chat a.kb-cite").first
    source = page.locator("#kb-src-0-1")
    assert not source.evaluate(IN_VIEW_JS)  # below the chat, the box and the filter: off the first screen
    marker.tap()
    page.wait_for_function(f"({IN_VIEW_JS})(document.querySelector('#kb-src-0-1'))", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "phone_source.png"))
    back = source.locator(".kb-back")
    assert back.is_visible() and back.inner_text() == "↑ 回到回答"
    back.tap()
    page.wait_for_function("""() => { const a = document.querySelector('#kb-chat a.kb-cite');
        const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }""", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "phone_back_to_answer.png"))
    context.close()


def test_the_library_is_a_list_of_cards_as_wide_as_the_screen(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    context, page = _phone(browser, "en-US")
    page.goto(app_url)
    page.get_by_role("tab", name="Library").tap()
    page.wait_for_function("(document.querySelector('#kb-docs')?.innerText || '').includes('000_dd79d8dfbe91c922')")
    table = page.locator("#kb-docs table")
    assert table.evaluate("(t) => t.scrollWidth <= t.clientWidth + 1")  # nothing hidden to the right
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.locator("#kb-docs thead").is_visible()
    first = page.locator("#kb-docs tbody tr").first
    card = first.bounding_box()
    assert card is not None and card["width"] <= PHONE["width"] - 20
    assert re.search(r"\d+ Passages", first.inner_text()) and "生成式人工智能" in first.inner_text()  # numbers say what they count
    page.screenshot(path=str(ARTIFACTS / "phone_library.png"))
    context.close()
