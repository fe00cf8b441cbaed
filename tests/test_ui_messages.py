"""Every message the UI shows is in the language the reader chose: upload results and why a file
failed, warnings, errors, limits, and the titles of the pop-ups. A rejected question stays in the box."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.serve_child import running_app
from kb import Settings
from kb.records import FileOutcome
from web.i18n import LABELS
from web.reasons import REASONS_ZH, reason_text

from .conftest import REPO
from .test_ui_browser import ARTIFACTS, browser  # noqa: F401 - the browser fixture

CJK_RE = re.compile(r"[\u3400-\u9fff]")
ENGLISH_RUN_RE = re.compile(r"(?<![\w-])[a-z]+(?:[ ,'’]+[a-z]+){3,}(?![\w-])")  # four or more English words in a row


def english_sentences(text: str) -> list[str]:
    """Pieces of ``text`` (split at line ends, brackets and Chinese punctuation) that are English prose."""
    pieces = re.split(r"[\n（）()：:。；;！？]", text)
    return [p.strip() for p in pieces if ENGLISH_RUN_RE.search(p) and not CJK_RE.search(p)]


def _codes_raised_in_ingest() -> set[str]:
    codes = set()
    for path in (REPO / "ingest").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("IngestError", "need_ocr"):
                if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    codes.add(str(node.args[1].value))
    return codes


def test_every_reason_ingest_gives_has_its_chinese_words() -> None:
    codes = _codes_raised_in_ingest()
    assert len(codes) > 30 and codes <= set(REASONS_ZH), sorted(codes - set(REASONS_ZH))
    for code, template in REASONS_ZH.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        shown = reason_text(FileOutcome("x", "failed", reason="english", reason_code=code,
                                        reason_params={f: "1" for f in fields}), "zh")
        assert CJK_RE.search(shown) and "{" not in shown and not english_sentences(shown), (code, shown)


def test_a_reason_without_its_code_still_reads_as_chinese() -> None:
    odd = FileOutcome("x", "failed", reason="the disk caught fire", reason_code="nobody-knows")
    assert reason_text(odd, "zh") == "无法读取（the disk caught fire）" and reason_text(odd, "en") == "the disk caught fire"


def test_every_label_has_both_languages() -> None:
    assert set(LABELS["zh"]) == set(LABELS["en"])
    assert not [k for k, v in LABELS["zh"].items() if english_sentences(v)]


@pytest.fixture(scope="module")
def app_url(seeded_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("ui_messages") / "data", seed_from=seeded_settings.data_dir) as url:
        yield url


def _messages(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every pop-up on screen: its title as drawn (the CSS ``::before`` that replaces Gradio's English
    word, which is hidden) and its text as read."""
    return page.evaluate("""() => [...document.querySelectorAll('.toast-body')].map((b) => {
        const title = b.querySelector('.toast-title');
        const drawn = title ? getComputedStyle(title, '::before').content.replace(/^"|"$/g, '') : '';
        const hidden = title && parseFloat(getComputedStyle(title).fontSize) === 0;
        return [drawn, hidden ? '' : title?.innerText || '', b.querySelector('.toast-text, [data-testid=toast-text]')
                ?.innerText || ''].join('\\n');
    })""")


def test_the_chinese_ui_speaks_chinese_in_every_message(app_url: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    page.wait_for_selector("#kb-question textarea")
    page.get_by_label("中文").check()
    page.wait_for_function("(document.querySelector('#kb-header')?.innerText || '').includes('文档知识库')")
    seen: list[str] = []

    # A question over the limit: refused in Chinese, with a Chinese title, and left in the box to shorten.
    long_question = "港口" * 1300
    page.fill("#kb-question textarea", long_question)
    page.keyboard.press("Enter")
    page.wait_for_selector(".toast-body", timeout=20_000)
    seen += _messages(page)
    assert any("出错了" in m and "2,600" in m and "2,000" in m for m in seen), seen
    assert page.input_value("#kb-question textarea") == long_question
    page.screenshot(path=str(ARTIFACTS / "zh_too_long.png"))
    page.locator(".toast-close").first.click()

    # A question with no words: the chat says why, in Chinese.
    page.fill("#kb-question textarea", "？？！！")
    page.keyboard.press("Enter")
    page.wait_for_function("(document.querySelector('#kb-chat')?.innerText || '').includes('无法检索这个问题')")
    seen.append(page.inner_text("#kb-chat").split("？？！！")[-1])

    # Files that cannot be read: each reason in Chinese, and a Chinese pop-up.
    (tmp_path / "binary.pdf").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.docx").write_bytes(b"PK not really a zip file" * 10)
    page.get_by_role("tab", name="文档库").click()
    page.get_by_role("button", name="删除……").click()  # nothing picked yet: a warning
    page.wait_for_selector(".toast-body", timeout=20_000)
    seen += _messages(page)
    assert any("注意" in m and "请先选择一个文档" in m for m in seen), seen
    page.set_input_files("#kb-upload input[type=file]", [str(tmp_path / n) for n in ("binary.pdf", "empty.txt",
                                                                                      "broken.docx")])
    page.wait_for_function("(document.querySelector('#kb-status')?.innerText || '').includes('失败 3')",
                           timeout=60_000)
    status = page.inner_text("#kb-status")
    seen += [status, *_messages(page)]
    assert "不是 PDF 文件" in status and "空文件" in status and "无法读取这个 Word 文件" in status, status
    page.screenshot(path=str(ARTIFACTS / "zh_upload_failures.png"))

    english = [s for m in seen for s in english_sentences(m)]
    assert not english, english
    assert not [m for m in seen if re.search(r"\b(Warning|Error|Info)\b", m)], seen
