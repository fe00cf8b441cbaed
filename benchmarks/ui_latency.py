"""Time from pressing Enter to the first streamed text and to the complete answer (sources shown),
in headless Chromium against a real `kb serve` over seeds/. Prints medians as JSON.

    PYTHONPATH=. .venv/bin/python benchmarks/ui_latency.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from benchmarks.serve_child import running_app  # run from the repo root with PYTHONPATH=.
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

QUESTIONS = [
    "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？",
    "How many performers did the union strike of July 2023 represent?",
    "生成对抗网络由哪两个部分构成？",
    "Which AI video tools is Andrew Ng optimistic about?",
]

# Resolves with [ms to first new text in the chat, ms to first answer marker, ms to sources shown].
MEASURE_JS = """
([turn, before]) => { window.__kbTiming = new Promise((resolve) => {
  const chat = document.querySelector('#kb-chat');
  let t0 = null, first = null, answer = null, done = null;
  const box = document.querySelector('#kb-question textarea');
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter' && t0 === null) t0 = performance.now(); },
                       {capture: true, once: true});
  const check = () => {
    if (t0 === null) return;
    const now = performance.now();
    const text = chat.innerText;
    if (first === null && text.length > before) first = now - t0;
    if (answer === null && chat.querySelectorAll('a.kb-cite').length > 0 &&
        document.querySelectorAll('#kb-chat a.kb-cite[href^="#kb-src-' + turn + '-"]').length > 0) answer = now - t0;
    if (done === null && document.getElementById('kb-src-' + turn + '-1')) done = now - t0;
    if (done !== null && answer !== null) { obs.disconnect(); resolve([first, answer, Math.max(done, answer)]); }
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}); }
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ingest_paths(KnowledgeBase(Settings(data_dir=data)), ["seeds"])
        firsts, answers, dones = [], [], []
        with running_app(data) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for _ in range(args.rounds):
                page = browser.new_page()
                page.goto(url)
                page.wait_for_selector("#kb-question textarea")
                page.wait_for_timeout(1000)
                for turn, q in enumerate(QUESTIONS):
                    page.fill("#kb-question textarea", q)
                    before = len(page.inner_text("#kb-chat"))
                    page.evaluate(MEASURE_JS, [turn, before])
                    page.keyboard.press("Enter")
                    first, answer, done = page.evaluate("() => window.__kbTiming")
                    firsts.append(first)
                    answers.append(answer)
                    dones.append(done)
                page.close()
            browser.close()
    med = statistics.median
    print(json.dumps({
        "questions": len(firsts),
        "enter_to_first_text_ms_median": round(med(firsts), 1),
        "enter_to_first_answer_text_ms_median": round(med([a for a in answers if a is not None]), 1),
        "enter_to_complete_answer_ms_median": round(med(dones), 1),
    }, indent=2))


if __name__ == "__main__":
    main()
