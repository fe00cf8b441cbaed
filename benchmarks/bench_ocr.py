"""OCR speed and accuracy on generated pages, and the ingest time of a 20-page scan.

    .venv/bin/python benchmarks/bench_ocr.py [--pages 20] [--rounds 3]

Prints seconds per page (median) for Chinese and English pages, character accuracy against the
text drawn (1 - edit distance / length, spaces ignored), clean and degraded like a cheap scan, and the ingest time of a 20-page scanned
PDF next to the same 20 pages as a PDF with a text layer (the baseline, same run, same machine):
their ratio is what OCR adds. Absolute times hold only for the machine that measured them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scans import FONT, degraded, page_image, scanned_pdf  # noqa: E402

ZH = [
    ["第三章 公共交通", "", "全市公交线路共有三百二十条，日均客运量约为四百五十万人次。",
     "地铁十二号线计划于二〇二七年底通车，全长四十一公里，设车站二十九座。", "",
     "为缓解早高峰拥堵，交通局将在六个主要路口试行潮汐车道。",
     "试点期间，市民可以通过热线电话反映意见，交通局每月公布一次评估结果。"],
    ["第四章 环境与绿化", "", "去年新增城市绿地一千二百公顷，人均公园绿地面积达到十五平方米。",
     "河道治理工程覆盖了十四条支流，水质达标率由百分之七十提高到百分之九十二。", "",
     "垃圾分类在全部街道推行，厨余垃圾日处理能力为三千吨。"],
]
EN = [
    ["Chapter 3: Public transport", "", "The city runs 320 bus lines that carry about 4.5 million passengers a day.",
     "Metro line 12 is due to open at the end of 2027; it is 41 km long with 29 stations.", "",
     "To ease the morning peak, the transport office will test reversible lanes at six junctions.",
     "During the trial, residents can call a hotline, and results are published every month."],
    ["Chapter 4: Parks and water", "", "Last year 1,200 hectares of green space were added to the city.",
     "River works covered 14 tributaries; water meeting the standard rose from 70% to 92%.", "",
     "Waste sorting now runs in every district, with 3,000 tonnes of food waste treated each day."],
]


def char_accuracy(truth: str, read: str) -> float:
    """1 - Levenshtein distance / len(truth), whitespace removed from both (OCR spacing is not text)."""
    a, b = "".join(truth.split()), "".join(read.split())
    if not a:
        return 1.0 if not b else 0.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return max(0.0, 1 - prev[-1] / len(a))


def _per_page(pages: list[list[str]], rounds: int, noisy: bool = False) -> tuple[float, float]:
    from ingest.ocr import read_image

    times, accuracy = [], []
    for i, lines in enumerate(pages):
        image = degraded(page_image(lines), seed=i) if noisy else page_image(lines)
        for _ in range(rounds):
            started = time.perf_counter()
            text = read_image(image)
            times.append(time.perf_counter() - started)
        accuracy.append(char_accuracy("".join(lines), text))
    return statistics.median(times), statistics.mean(accuracy)


def _text_pdf(path: Path, pages: list[list[str]]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("wqy", fname=str(FONT))
    pdf.set_font("wqy", size=12)
    for lines in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, "\n".join(lines))
    pdf.output(str(path))


def _ingest_seconds(path: Path, data: Path) -> float:
    from ingest.pipeline import ingest_paths
    from kb import KnowledgeBase, Settings

    kb = KnowledgeBase(Settings(data_dir=data))
    kb.warm_up()
    started = time.perf_counter()
    report = ingest_paths(kb, [path])
    assert report.count("added") == 1, report.to_dict()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20, help="pages of the scanned PDF to ingest")
    parser.add_argument("--rounds", type=int, default=3, help="reads of each page for the per-page median")
    args = parser.parse_args()
    from ingest.ocr import read_image

    read_image(page_image(["warm-up"]))  # the engine loads once per process (not counted)
    zh_s, zh_acc = _per_page(ZH, args.rounds)
    en_s, en_acc = _per_page(EN, args.rounds)
    print(f"OCR per page (median of {args.rounds} reads x {len(ZH)} pages): Chinese {zh_s:.2f} s, English {en_s:.2f} s")
    print(f"character accuracy: Chinese {zh_acc:.3f}, English {en_acc:.3f} ({len(ZH)} pages each)")
    zh_s, zh_acc = _per_page(ZH, args.rounds, noisy=True)
    en_s, en_acc = _per_page(EN, args.rounds, noisy=True)
    print(f"degraded scans (1 degree tilt, blur, noise, JPEG 60): Chinese {zh_s:.2f} s/page, accuracy {zh_acc:.3f}; "
          f"English {en_s:.2f} s/page, accuracy {en_acc:.3f}")
    pages = [(ZH + EN)[i % 4] for i in range(args.pages)]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scanned_pdf(work / "scan.pdf", pages)
        _text_pdf(work / "text.pdf", pages)
        text_s = _ingest_seconds(work / "text.pdf", work / "data-text")
        scan_s = _ingest_seconds(work / "scan.pdf", work / "data-scan")
    print(f"ingest of a {args.pages}-page PDF: with a text layer {text_s:.1f} s, scanned (OCR) {scan_s:.1f} s, "
          f"ratio {scan_s / text_s:.1f}; {scan_s / args.pages:.2f} s per scanned page")


if __name__ == "__main__":
    main()
