"""How soon a citation can be checked in the original, against a real `kb serve`.

    PYTHONPATH=. .venv/bin/python benchmarks/page_views.py [--pages 300] [--questions 10]

1. A 300-page PDF (Chinese and English text, one numbered fact per page) is ingested; for each of
   N questions about facts on random pages, headless Chromium asks in the chat and measures, in
   the page, the time from the source being inserted in the Sources panel to its page image's
   load event (rendered on demand, highlights located, never cached: each question cites another
   page). Then the image request alone (HTTP) for N other pages nobody asked for.
2. The seeds (text files): for the first citation of each dev question, the time to fetch the
   document view (whole text, passage marked) over HTTP.
Prints medians and p95; absolute times hold only for the machine that measured them.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.scans import FONT
from benchmarks.serve_child import running_app
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings
from web.views import page_image_url, view_url

REPO = Path(__file__).resolve().parents[1]
CITIES = ["Lisbon", "Tallinn", "Kraków", "Porto", "Ghent", "Bergen", "Turku", "Graz", "Aarhus", "Brno"]


def _fact(page: int) -> tuple[str, str, str]:
    """(text on the page, question, expected answer) for page ``page``."""
    city = CITIES[page % len(CITIES)]
    if page % 2:
        return (f"第{page}号仓库位于{city}，存放了{page * 37}箱档案资料，由第{page % 7 + 1}小组负责管理。",
                f"第{page}号仓库存放了多少箱档案资料？", f"{page * 37}")
    return (f"Warehouse {page} in {city} holds {page * 37} boxes of records and is run by team {page % 7 + 1}.",
            f"How many boxes of records does warehouse {page} hold?", f"{page * 37}")


def _big_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=11)
    for page in range(1, pages + 1):
        pdf.add_page()
        filler = "本页其余内容为例行记录，说明库房的温度、湿度和巡查时间。 " * 4
        pdf.multi_cell(0, 7, f"{filler}\n\n{_fact(page)[0]}\n\n{filler}")
    pdf.output(str(path))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# In the page: when the source element of turn N is inserted, and when its page image has loaded.
WATCH_JS = """
(turn) => { window.__kbImage = new Promise((resolve) => {
  let shown = null;
  const check = () => {
    const src = document.getElementById('kb-src-' + turn + '-1');
    if (!src) return;
    if (shown === null) shown = performance.now();
    const img = src.querySelector('img.kb-page-img');
    if (!img) return;
    obs.disconnect();
    const done = () => resolve(performance.now() - shown);
    if (img.complete && img.naturalWidth > 0) done(); else img.addEventListener('load', done, {once: true});
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, {subtree: true, childList: true});
}); }
"""


def _pdf_rounds(url: str, pages: list[int]) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(url)
        page.wait_for_selector("#kb-question textarea")
        for turn, number in enumerate(pages):
            page.evaluate(WATCH_JS, turn)
            page.fill("#kb-question textarea", _fact(number)[1])
            page.keyboard.press("Enter")
            times.append(float(page.evaluate("window.__kbImage")))
            cited = page.inner_text(f"#kb-src-{turn}-1")
            print(f"  page {number}: {times[-1]:.0f} ms ({'cited right' if f'p. {number} ' in cited else 'other page'})",
                  flush=True)
        browser.close()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--questions", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        _big_pdf(root / "docs" / "warehouses.pdf", args.pages)
        kb = KnowledgeBase(Settings(data_dir=root / "data"))
        started = time.perf_counter()
        ingest_paths(kb, [root / "docs", REPO / "seeds"])
        print(f"ingested a {args.pages}-page PDF and the seeds in {time.perf_counter() - started:.0f} s", flush=True)
        questions = [json.loads(line) for line in (REPO / "tests/data/eval/dev.jsonl").read_text().splitlines()]
        seed_views = []
        for q in questions:
            answer = kb.answer(q["question"])
            if answer.citations:
                c = answer.citations[0]
                seed_views.append(view_url("default", c.doc_id, c.highlights, chunk=c.chunk_id))
        with running_app(root / "data") as url:
            asked = rng.sample(range(1, args.pages + 1), args.questions)
            pdf_ms = _pdf_rounds(url, asked)
            cold_ms = []  # the image request alone, for pages nobody asked for yet (render + locate)
            doc = next(d.doc_id for d in kb.documents() if d.file.endswith("warehouses.pdf"))
            for number in rng.sample(range(1, args.pages + 1), args.questions):
                if number in asked:
                    continue
                path = page_image_url("default", doc, number, [_fact(number)[0]], crop=True)
                t0 = time.perf_counter()
                with urllib.request.urlopen(url.rstrip("/") + path, timeout=30) as resp:
                    resp.read()
                cold_ms.append((time.perf_counter() - t0) * 1000)
            text_ms = []
            for path in seed_views:
                t0 = time.perf_counter()
                with urllib.request.urlopen(url.rstrip("/") + path, timeout=30) as resp:
                    resp.read()
                text_ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        "pdf_pages": args.pages, "questions": len(pdf_ms),
        "source_shown_to_page_image_ms": {"median": round(statistics.median(pdf_ms), 1),
                                          "p95": round(_pct(pdf_ms, 0.95), 1), "max": round(max(pdf_ms), 1)},
        "cold_page_image_request_ms": {"n": len(cold_ms), "median": round(statistics.median(cold_ms), 1),
                                       "p95": round(_pct(cold_ms, 0.95), 1)},
        "seed_text_views": len(text_ms),
        "seed_text_view_ms": {"median": round(statistics.median(text_ms), 1), "p95": round(_pct(text_ms, 0.95), 1)},
    }, indent=1))


if __name__ == "__main__":
    main()
