"""The library's one in-memory view: built by one scan per change, the HNSW path above the limit, and
the one view a question reads whatever the library's size."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings

DELOITTE_Q = "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？"


def test_a_view_is_rebuilt_only_when_the_library_changes(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 甲\n\n蓝鲸计划的预算是四百二十万元。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Beta\n\nThe orca project starts in March 2027.\n", encoding="utf-8")
    ingest_paths(kb, [tmp_path / "a.md"])
    first = kb.view.get()
    assert kb.view.get() is first  # nothing changed: the same view, no new scan
    ingest_paths(kb, [tmp_path / "b.md"])
    second = kb.view.get()
    assert second is not first and second.fingerprint != first.fingerprint
    assert len(second.lexical) == len(first.lexical) + 1
    # every index is aligned with the view's chunks, row for row
    assert second.dense.exact and second.dense.present.all() and len(second.dense.row_of) == len(second.chunks)
    sentences = second.sentences["use"]
    assert sentences.exact is not None and {second.chunks[r].chunk_id for r in sentences.chunk_rows} == set(
        second.row_of)
    assert "March 2027" in kb.answer("When does the orca project start?").text


def test_above_the_exact_limit_chroma_hnsw_answers(seeded_settings: Settings) -> None:
    """KB_EXACT_LIMIT below the library's size: no vectors in memory, dense search goes to Chroma."""
    exact = KnowledgeBase(seeded_settings)
    approximate = KnowledgeBase(seeded_settings.model_copy(update={"exact_limit": 10}))
    assert exact.view.get().dense.exact and exact.view.get().sentences["use"].exact is not None
    view = approximate.view.get()
    assert not view.dense.exact and view.sentences["use"].exact is None and len(view.lexical) > 10
    a, b = exact.answer(DELOITTE_Q), approximate.answer(DELOITTE_Q)
    assert not b.refused and "3%" in b.text
    assert b.citations[0].doc_id == a.citations[0].doc_id
    hits = approximate.search("Which AI video tools did Andrew Ng like at Sundance?", k=5)
    assert len(hits) == 5 and all(h.dense is not None and h.sentences["use"] for h in hits)


def test_a_question_reads_one_view_whatever_the_size(seeded_settings: Settings) -> None:
    """Above the limit Chroma's index answers, but only chunks of the question's view are taken from it,
    with their text and metadata from the view; the bilingual twin swap works there too."""
    approximate = KnowledgeBase(seeded_settings.model_copy(update={"exact_limit": 10}))
    query = approximate.asker.query("What did Andrew Ng see at Sundance?")
    cands = approximate.asker.retriever.candidates(query)
    assert cands and all(query.view.chunks[c.row] is c.chunk for c in cands)
    english = approximate.answer("吴恩达在圣丹斯电影节上看到了什么？")
    assert not english.refused
