"""Terminal rendering for the CLI: tables, answers with sources, all document text made inert."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from kb.records import Answer, DocumentInfo, IngestReport
from kb.text import inert, reflow
from web.citations import citation_file, citation_heading
from web.i18n import t

if TYPE_CHECKING:
    from kb.llm.generate import AnswerEvent

_STATUS_STYLE = {"added": "green", "updated": "cyan", "moved": "cyan", "unchanged": "dim", "duplicate": "yellow",
                 "removed": "yellow", "failed": "bold red", "skipped": "dim"}


def location(page: int | None, section: str | None, ocr: bool = False) -> str:
    where = f"p. {page}" if page is not None else f"§ {section}" if section else ""
    if ocr:
        return f"{where}, read by OCR" if where else "read by OCR"
    return where


def ingest_summary(console: Console, report: IngestReport) -> None:
    counts = report.to_dict()["summary"]
    table = Table(title="Ingest summary", show_edge=False)
    for status in counts:
        table.add_column(status, justify="right", style=_STATUS_STYLE[status])
    table.add_row(*[str(v) for v in counts.values()])
    console.print(table)
    console.print(f"{report.to_dict()['chunks_embedded']} chunks embedded in {report.seconds:.1f} s")
    if report.count("duplicate"):
        console.print("Duplicates are files whose content is already stored under another path; "
                      "run again with --keep-duplicates to store them too.")
    problems = [o for o in report.outcomes if o.status in ("failed", "skipped", "duplicate")]
    if problems:
        t = Table(title="Not ingested", show_lines=False, expand=True)
        t.add_column("file", overflow="fold")
        t.add_column("status")
        t.add_column("reason", overflow="fold")
        for o in problems:
            # Text, not markup: a reason or a file name may hold brackets ("[ocr]", "report [draft].pdf").
            t.add_row(Text(inert(o.path)), Text(o.status, style=_STATUS_STYLE[o.status]), Text(inert(o.reason or "")))
        console.print(t)
    if report.interrupted:
        console.print("[yellow]Interrupted:[/] the files listed above were handled; run the command again to finish.")


# Columns of `kb docs`, most needed first: on a narrow terminal or a pipe the last ones are dropped
# so that no id ever wraps (`kb remove` and `--doc` take it). Title and name may be shortened (…).
_DOC_COLUMNS = ("doc id", "title", "name", "chunks", "lang", "pages", "ingested at")
_SHORTENED = {"title": 30, "name": 16}  # narrowest width of the columns that may be cut short


def documents_table(console: Console, docs: list[DocumentInfo]) -> None:
    if not docs:
        console.print("The knowledge base is empty. Add files with [bold]kb ingest PATH[/].")
        return
    rows = [_document_row(d) for d in docs]
    widths = _column_widths(rows, console.width)
    t = Table(box=None, padding=(0, 2, 0, 0), pad_edge=False, header_style="bold underline")
    for col, width in widths.items():
        t.add_column(col, width=width, no_wrap=True, overflow="ellipsis",
                     justify="right" if col in ("pages", "chunks") else "left")
    for row in rows:
        t.add_row(*[Text(row[col]) for col in widths])
    console.print(t)
    dropped = [c for c in _DOC_COLUMNS if c not in widths]
    console.print(f"{len(docs)} documents, {sum(d.chunks for d in docs)} chunks"
                  + (f" (hidden for width: {', '.join(dropped)}; --json has all)" if dropped else ""))


def _document_row(d: DocumentInfo) -> dict[str, str]:
    unit = d.unit.removesuffix("s") if d.pages == 1 else d.unit
    extent = "" if d.pages is None else str(d.pages) if d.unit == "pages" else f"{d.pages} {unit}"
    return {"doc id": d.doc_id, "title": inert(d.title), "name": inert(d.name or d.file), "chunks": str(d.chunks),
            "lang": d.lang, "pages": extent, "ingested at": d.ingested_at[:16].replace("T", " ")}


def _column_widths(rows: list[dict[str, str]], width: int) -> dict[str, int]:
    """The columns that fit ``width`` (2 spaces between them), most needed first, and their widths.

    The id keeps its full width always; title and name start at their narrowest and take what is
    left, title first."""
    widest = {col: max(cell_len(col), *(cell_len(r[col]) for r in rows)) for col in _DOC_COLUMNS}
    narrowest = {col: min(widest[col], _SHORTENED.get(col, widest[col])) for col in _DOC_COLUMNS}
    shown: dict[str, int] = {}
    for col in _DOC_COLUMNS:
        if shown and sum(shown.values()) + 2 * len(shown) + narrowest[col] > width:
            break
        shown[col] = narrowest[col]
    spare = width - sum(shown.values()) - 2 * (len(shown) - 1)
    for col in ("title", "name"):
        if col in shown and spare > 0:
            grow = min(spare, widest[col] - shown[col])
            shown[col] += grow
            spare -= grow
    return shown


def streamed_answer(console: Console, events: Iterable[AnswerEvent], live: bool) -> Answer:
    """Show an LLM's text as it arrives (in a terminal), then hand back the checked answer."""
    from kb.llm.generate import Final  # loaded with the answer machinery, not for `kb --help`

    final: Answer | None = None
    shown = ""
    with Live(Text(""), console=console, transient=True, auto_refresh=False) as view:
        for event in events:
            if isinstance(event, Final):
                final = event.answer
            elif live and console.is_terminal:
                shown += event.text
                view.update(Text(inert(shown), style="dim"), refresh=True)
    assert final is not None
    return final


def answer(console: Console, ans: Answer) -> None:
    from kb.llm.citecheck import UNSUPPORTED_MARK

    if ans.searched:
        console.print(Text.assemble(("Searched for: ", "dim"), (inert(ans.searched), "dim italic")))
    if ans.notice:
        console.print(Text("⚠ " + inert(ans.notice), style="yellow"))
    style = "yellow" if ans.refused else "bold"
    console.print(Text(inert(ans.text), style=style))
    if ans.unsupported:
        console.print(Text(f"{UNSUPPORTED_MARK} marks a sentence that no passage supports: check it before "
                           "relying on it.", style="yellow"))
    if ans.mode == "llm" and not ans.refused:
        console.print(Text("Written by the language model from the passages below.", style="dim"))
    if ans.refused and ans.related:
        _related(console, ans)
    if not ans.citations:
        return
    console.print()
    console.print("[bold]Sources[/]")
    for c in ans.citations:
        file = citation_file(c)
        head = Text.assemble((f"[{c.n}] ", "bold cyan"), (inert(citation_heading(c, "en")), "bold"),
                             (f"  ({inert(file)})" if file else "", "dim"))
        console.print(head)
        console.print(_passage(c.text, c.highlights), soft_wrap=False)
        console.print()


RELATED_EXCERPT_CHARS = 160


def _related(console: Console, ans: Answer) -> None:
    """A refusal's nearest passages: where they are and the sentence of each nearest the question."""
    console.print()
    console.print(Text(t(ans.language, "related"), style="dim"))
    for c in ans.related:
        file = citation_file(c)
        console.print(Text.assemble(("  - ", "dim"), (inert(citation_heading(c, ans.language)), ""),
                                    (f"  ({inert(file)})" if file else "", "dim")))
        body = " ".join(reflow(inert(c.highlights[0] if c.highlights else c.text)).split())
        cut = body[:RELATED_EXCERPT_CHARS] + ("…" if len(body) > RELATED_EXCERPT_CHARS else "")
        console.print(Text("    " + cut, style="dim"), soft_wrap=False)


def _passage(text: str, highlights: list[str]) -> Text:
    body = reflow(inert(text)).replace("\n\n", "\n")
    highlights = [reflow(h) for h in highlights]
    out = Text("    ")
    pos = 0
    spans: list[tuple[int, int]] = []
    for h in highlights:
        i = body.find(inert(h))
        if i >= 0:
            spans.append((i, i + len(inert(h))))
    for b, e in sorted(spans):
        if b < pos:
            continue
        out.append(body[pos:b])
        out.append(body[b:e], style="bold yellow")
        pos = e
    out.append(body[pos:])
    return out


_METRICS = ("hit@{k}", "mrr@10", "keyword_recall", "citation_hit", "refusal_accuracy", "false_refusal_rate")
_SHORT = {"keyword_recall": "keywords", "citation_hit": "cited", "refusal_accuracy": "refusals",
          "false_refusal_rate": "false ref.", "mrr@10": "MRR@10"}
_SYSTEM = {"llama_index_stock": "llama-index", "bm25_jieba": "BM25"}


def eval_report(console: Console, results: dict[str, Any], k: int) -> None:
    """One table: a row per group (overall, per kind, per language), ours beside the baselines."""
    systems = {"ours": results, **results.get("baselines", {})}
    t = Table(title=f"kb eval ({results['questions']} questions, top-{k})")
    t.add_column("group")
    t.add_column("n", justify="right")
    for m in _METRICS:
        t.add_column(_SHORT.get(m, m.format(k=k)), justify="right")
    for group in ["overall", *results["by_group"]]:
        for name, res in systems.items():
            row = res if group == "overall" else res["by_group"][group]
            label = group.split("=")[-1] if name == "ours" else f"  {_SYSTEM.get(name, name)}"
            t.add_row(label, str(row["questions"]) if name == "ours" else "",
                      *[_fmt(row.get(m.format(k=k))) for m in _METRICS])
    console.print(t)
    lat = results.get("latency_ms") or {}
    console.print(f"kb.answer latency: p50 {lat.get('p50')} ms, p95 {lat.get('p95')} ms")
    if results.get("misses"):
        console.print(f"retrieval misses: {', '.join(results['misses'])}")
    if results.get("wrong_refusals"):
        console.print(f"wrong refusals / non-refusals: {', '.join(results['wrong_refusals'])}")


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def libraries_table(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No libraries yet. Add files with [bold]kb ingest PATH[/] "
                      "(or [bold]kb --library NAME ingest PATH[/] for a named one).")
        return
    t = Table(show_edge=False)
    for col in ("library", "documents", "passages", ""):
        t.add_column(col, justify="right" if col in ("documents", "passages") else "left")
    for r in rows:
        t.add_row(Text(r["library"]), str(r["documents"]), str(r["chunks"]), "← current" if r["current"] else "")
    console.print(t)


def hits(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No passage matches.")
    for i, r in enumerate(rows, start=1):
        where = location(r["page"], r["section"], r["ocr"])
        console.print(Text(f"[{i}] {r['score']:.3f}  {inert(r['title'] or '')}  {where}", style="bold"))
        console.print(Text(inert(r["text"])), soft_wrap=True)
