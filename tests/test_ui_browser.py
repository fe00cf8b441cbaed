"""The chat UI in a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

from .conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
HOSTILE = (
    "# 紫色独角兽计划\n\n紫色独角兽计划的代号写法是 <script>window.__pwned = 1; alert('xss')</script> 这样。\n\n"
    "另一种写法是 <img src=x onerror=\"window.__pwned = 2; alert('img')\"> 以及 [链接](javascript:alert(3))。\n"
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(seeded_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("ui_browser") / "data"
    import shutil

    shutil.copytree(seeded_settings.data_dir, data)
    hostile = data.parent / "hostile" / "独角兽.md"
    hostile.parent.mkdir()
    hostile.write_text(HOSTILE, encoding="utf-8")
    assert ingest_paths(KnowledgeBase(Settings(data_dir=data)), [hostile]).count("added") == 1
    reef = data.parent / "research" / "reef.md"
    reef.parent.mkdir()
    reef.write_text("# 北礁观测站\n\n北礁观测站建于1987年，每天记录三次潮位。\n", encoding="utf-8")
    assert ingest_paths(KnowledgeBase(Settings(data_dir=data, library="research")), [reef]).count("added") == 1
    with running_app(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def _ask(page, question: str, turn: int) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.fill("#kb-question textarea", question)
    page.keyboard.press("Enter")
    try:
        page.wait_for_selector(f"#kb-src-{turn}-1", timeout=60_000)
    except PlaywrightTimeout:  # say what the page showed instead (CI saw this once, never reproduced)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"timeout-turn{turn}.png"), full_page=True)
        pytest.fail(f"no source {turn}-1 within 60 s; chat shows: {page.inner_text('#kb-chat')[-600:]!r}")


def test_ask_in_both_languages_follow_citation_and_switch_language(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1100})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#kb-question textarea")
    page.wait_for_function("(document.querySelector('#kb-header')?.innerText || '').includes('Document knowledge base')")
    # Example questions on the empty chat, in both languages.
    page.wait_for_function("(document.querySelector('#kb-chat')?.innerText || '').includes('德勤预测')")
    assert "How many performers" in page.inner_text("#kb-chat")

    _ask(page, "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？", 0)
    _ask(page, "How many performers did the union strike of July 2023 represent?", 1)
    chat = page.inner_text("#kb-chat")
    assert "3%" in chat and "16万" in chat
    assert page.locator("#kb-chat a.kb-cite").count() >= 2
    sources = page.inner_text("#kb-sources")
    assert "好莱坞将Sora拒之门外" in sources and "relevance" not in sources
    assert page.locator("#kb-sources mark").count() >= 2  # the sentences the answers used

    page.locator("#kb-chat a.kb-cite").last.click()
    page.wait_for_selector("#kb-src-1-1.kb-selected", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "chat_zh_en.png"), full_page=True)

    page.get_by_label("中文").check()
    page.wait_for_function("(document.querySelector('#kb-header')?.innerText || '').includes('文档知识库')")
    page.get_by_role("tab", name="问答").wait_for(timeout=10_000)  # labels update together, not at once
    page.wait_for_function("document.body.innerText.includes('出处')", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "chat_zh_labels.png"), full_page=True)
    assert dialogs == []


def test_chinese_browser_gets_chinese_labels(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="zh-CN")
    page.goto(app_url)
    page.wait_for_function("(document.querySelector('#kb-header')?.innerText || '').includes('文档知识库')")
    page.get_by_role("tab", name="文档库").wait_for(timeout=10_000)


def test_document_html_renders_inert(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#kb-question textarea")
    _ask(page, "紫色独角兽计划的代号写法是什么？<b>粗体</b>", 0)
    page.wait_for_timeout(500)
    text = page.inner_text("#kb-chat") + page.inner_text("#kb-sources")
    assert "<script>" in text and "<b>粗体</b>" in text
    assert "onerror" in page.inner_text("#kb-sources")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#kb-chat script, #kb-sources script, #kb-sources img, #kb-chat img[src='x']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
    assert dialogs == []


def test_fake_llm_answer_streams_in_the_browser_and_falls_back(seeded_settings: Settings, browser,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    from .fake_llm import fake_llm_server

    with fake_llm_server() as (llm_url, _), running_app(tmp_path / "data", seed_from=seeded_settings.data_dir,
                                                       extra_env={"KB_LLM_BASE_URL": llm_url,
                                                                  "KB_LLM_MODEL": "fake-slow"}) as url:
        page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1100})
        page.goto(url)
        page.wait_for_selector("#kb-question textarea")
        page.fill("#kb-question textarea", "How many performers did the union strike of July 2023 represent?")
        page.keyboard.press("Enter")
        # The model's words appear while it writes (the fake sends a few characters every 0.15 s)...
        page.wait_for_function("(document.querySelector('#kb-chat')?.innerText || '').includes('Writing the answer')",
                               timeout=30_000)
        draft = page.inner_text("#kb-chat")
        page.wait_for_selector("#kb-src-0-1", timeout=60_000)
        final = page.inner_text("#kb-chat")
        assert "Writing the answer" not in final and "Written by the language model" in final
        assert len(final) > len(draft) and page.locator("#kb-chat a.kb-cite").count() >= 2
        page.screenshot(path=str(ARTIFACTS / "llm_answer.png"), full_page=True)
        # ...and a failing model gives the answer taken from the documents, with a notice.
        page.fill("#kb-question textarea", "2023年7月的罢工有多少演艺人员参加？ fake:error500")
        page.keyboard.press("Enter")
        page.wait_for_selector("#kb-src-1-1", timeout=60_000)
        chat = page.inner_text("#kb-chat")
        assert "语言模型未能作答" in chat and "返回了 HTTP 500" in chat and "16万" in chat
        page.screenshot(path=str(ARTIFACTS / "llm_fallback.png"), full_page=True)


def test_the_library_picker_switches_documents(app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    page.wait_for_selector("#kb-question textarea")
    page.click("#kb-library input")
    page.get_by_role("option", name="research").click()
    page.wait_for_function("!(document.querySelector('#kb-chat')?.innerText || '').includes('德勤预测')")
    _ask(page, "北礁观测站建于哪一年？", 0)
    assert "1987" in page.inner_text("#kb-chat")
    assert "reef.md" in page.inner_text("#kb-sources")
    page.get_by_role("tab", name="Library").click()
    page.wait_for_function("(document.querySelector('#kb-docs')?.innerText || '').includes('reef.md')")
    assert "000_dd79d8dfbe91c922.txt" not in page.inner_text("#kb-docs")
    page.screenshot(path=str(ARTIFACTS / "library_picker.png"), full_page=True)
    page.get_by_role("tab", name="Ask").click()
    page.click("#kb-library input")
    page.get_by_role("option", name="default").click()
    page.wait_for_selector("#kb-src-0-1", state="detached")  # another library: a new conversation
    page.fill("#kb-question textarea", "北礁观测站建于哪一年？")
    page.keyboard.press("Enter")  # the seeds know nothing of the reef: refused, nothing cited
    page.wait_for_function("(document.querySelector('#kb-chat')?.innerText || '').includes('Nothing in the documents')")
    assert "1987" not in page.inner_text("#kb-chat") and "reef.md" not in page.inner_text("#kb-sources")
