"""The library's one in-memory view: built by one scan per change, and the HNSW path above the limit."""

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
    # texts, metadata and vectors come from one read, row for row
    assert second.dense is not None and second.dense.ids == second.lexical.ids
    assert "March 2027" in kb.answer("When does the orca project start?").text


def test_above_the_exact_limit_chroma_hnsw_answers(seeded_settings: Settings) -> None:
    """KB_EXACT_LIMIT below the library's size: no vectors in memory, dense search goes to Chroma."""
    exact = KnowledgeBase(seeded_settings)
    approximate = KnowledgeBase(seeded_settings.model_copy(update={"exact_limit": 10}))
    assert exact.view.get().dense is not None
    assert approximate.view.get().dense is None and len(approximate.view.get().lexical) > 10
    a, b = exact.answer(DELOITTE_Q), approximate.answer(DELOITTE_Q)
    assert not b.refused and "3%" in b.text
    assert b.citations[0].doc_id == a.citations[0].doc_id
    hits = approximate.search("Which AI video tools did Andrew Ng like at Sundance?", k=5)
    assert len(hits) == 5 and all(h.dense is not None for h in hits if h.meta.get("lang") == "en")
