"""Ingestion end to end with the real model and a real embedded Chroma in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, Settings
from kb.text import detect_lang

from .conftest import SEEDS

EXPECTED_TITLES = {
    "000_dd79d8dfbe91c922.txt": "生成式人工智能用于内容创作，大型制片公司犹豫不决，社交媒体积极推进",  # first heading
    "001_d087a9b4bca2ef81.txt": "好莱坞将Sora拒之门外！视频生成模型还得靠短剧打打样？",  # front matter
    "003_c3fa23c84cad2f17.txt": "生成式人工智能驱动电影产业链变革与战略转型研究",  # first line
    "004_1fae406766ceb434.txt": "好莱坞为什么担心AI?我在圣丹斯电影节看到的行业冲突与共赢可能",
}


def _chunks(kb: KnowledgeBase, name: str | None = None) -> list[tuple[str, str, dict]]:
    """Chunks of the document whose file has this name (all chunks without one)."""
    return [(c.chunk_id, c.text, c.meta.to_store()) for c in kb.store.scan() if name is None or Path(c.meta.file).name == name]


def test_seeds_are_ingested_with_titles_languages_and_bounds(seeded_kb: KnowledgeBase) -> None:
    docs = {d.name: d for d in seeded_kb.documents()}
    assert len(docs) == 5
    for name, title in EXPECTED_TITLES.items():
        assert docs[name].title == title
    assert docs["002_fffc4b9c5afbf66f.txt"].title.startswith("BBC专题报道")
    rows = _chunks(seeded_kb)
    assert len(rows) == sum(d.chunks for d in docs.values())
    bound = seeded_kb.settings.chunk_size
    for _, text, meta in rows:
        assert 0 < len(text) <= bound, (meta["doc_id"], len(text))
        assert meta["lang"] == detect_lang(text), text[:80]
        assert meta["end"] > meta["start"]
    # The bilingual document gets chunks of each language, never mixed ones.
    langs_004 = {m["lang"] for _, _, m in rows if Path(m["file"]).name.startswith("004")}
    assert langs_004 == {"zh", "en"}


def test_offsets_point_into_cleaned_text(seeded_kb: KnowledgeBase) -> None:
    rows = sorted(_chunks(seeded_kb, "003_c3fa23c84cad2f17.txt"), key=lambda r: r[2]["ordinal"])
    assert [m["ordinal"] for _, _, m in rows] == list(range(len(rows)))
    assert all(rows[i][2]["start"] <= rows[i + 1][2]["start"] for i in range(len(rows) - 1))
    joined = "".join(t for t, in [(r[1],) for r in rows])
    assert "电影产业的兴起已成为不可阻挡的趋势" in joined  # the PDF line break was joined
    assert "<sup>" not in "".join(t for _, t, _ in _chunks(seeded_kb))


def test_reingest_unchanged_embeds_nothing(seeded_settings: Settings) -> None:
    kb = KnowledgeBase(seeded_settings)
    before = kb.store.count()
    report = ingest_paths(kb, [SEEDS])
    assert report.count("unchanged") == 5
    assert report.to_dict()["chunks_embedded"] == 0
    assert kb.store.count() == before


def test_change_replaces_only_that_document_and_remove_deletes(kb: KnowledgeBase, seeds_copy: Path) -> None:
    ingest_paths(kb, [seeds_copy])
    before = {cid: text for cid, text, _ in _chunks(kb)}
    target = seeds_copy / "002_fffc4b9c5afbf66f.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\n新增的段落：测试专用的独特句子出现在这里。\n", encoding="utf-8")
    report = ingest_paths(kb, [seeds_copy])
    assert (report.count("updated"), report.count("unchanged")) == (1, 2)
    after = {cid: text for cid, text, _ in _chunks(kb)}
    changed = {cid for cid in set(before) | set(after) if before.get(cid) != after.get(cid)}
    target_id = kb.find_document(str(target)).doc_id
    assert changed and all(cid.startswith(target_id + "::") for cid in changed)
    assert any("测试专用的独特句子" in t for t in after.values())

    doc = kb.remove("002_fffc4b9c5afbf66f.txt")
    assert doc.doc_id == target_id and doc.doc_id not in {d.doc_id for d in kb.documents()}
    assert not _chunks(kb, "002_fffc4b9c5afbf66f.txt")
    assert kb.store.count() == sum(d.chunks for d in kb.documents())


def test_an_edited_document_keeps_no_mark_of_its_old_text(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Chroma's upsert merges metadata: a chunk rewritten without a byline or a section must lose the
    old marks, or the new text's sentence at that position is never quoted and cites a stale section;
    a document whose front matter lost its date must not keep showing it."""
    doc = tmp_path / "docs" / "budgets.md"
    doc.parent.mkdir()
    doc.write_text("---\ndate: 2024-06-01\nsource: https://example.org/budgets\n---\n# Studio budgets\n\n"
                   "By Chris Arkenberg\n\nThe studios will spend less than 3 % of their budgets on generative AI in "
                   "2025.\n", encoding="utf-8")
    ingest_paths(kb, [doc.parent])
    (_, _, first), = _chunks(kb, "budgets.md")
    assert first.get("furniture") and first.get("section") == "Studio budgets"  # what the edit must clear
    assert kb.find_document(str(doc)).date == "2024-06-01"
    doc.write_text("The studios will spend less than 3 % of their budgets on generative AI in 2025. "
                   "Social platforms move faster.\n", encoding="utf-8")
    assert ingest_paths(kb, [doc.parent]).count("updated") == 1
    (_, text, meta), = _chunks(kb, "budgets.md")
    assert "Social platforms" in text
    assert "furniture" not in meta and meta.get("section") != "Studio budgets"
    info = kb.find_document(str(doc))
    assert (info.date, info.source_url) == (None, None)


def test_prune_removes_documents_whose_files_are_gone(kb: KnowledgeBase, seeds_copy: Path) -> None:
    ingest_paths(kb, [seeds_copy])
    (seeds_copy / "001_d087a9b4bca2ef81.txt").unlink()
    report = ingest_paths(kb, [seeds_copy], prune=True)
    assert report.count("removed") == 1
    assert len(kb.documents()) == 2
    assert not _chunks(kb, "001_d087a9b4bca2ef81.txt")


def test_single_file_and_folder_give_the_same_id(kb: KnowledgeBase, seeds_copy: Path) -> None:
    ingest_paths(kb, [seeds_copy / "001_d087a9b4bca2ef81.txt"])
    report = ingest_paths(kb, [seeds_copy])
    assert (report.count("unchanged"), report.count("added")) == (1, 2)


def test_bad_files_fail_with_reasons_and_others_are_stored(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEEDS / "001_d087a9b4bca2ef81.txt", folder / "good.txt")
    (folder / "empty.md").write_bytes(b"")
    (folder / "fake.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "slides.key").write_bytes(b"PK\x03\x04")
    report = ingest_paths(kb, [folder, tmp_path / "missing.txt"])
    reasons = {Path(o.path).name: (o.status, o.reason or "") for o in report.outcomes}
    assert reasons["good.txt"][0] == "added"
    assert reasons["empty.md"] == ("failed", "empty file (0 bytes)")
    assert reasons["fake.pdf"][0] == "failed" and "PDF" in reasons["fake.pdf"][1]
    assert reasons["binary.txt"][0] == "failed" and "binary" in reasons["binary.txt"][1]
    assert reasons["notes.docx"][0] == "failed" and "damaged" in reasons["notes.docx"][1]
    assert reasons["slides.key"][0] == "skipped" and "DOCX" in reasons["slides.key"][1]
    assert reasons["missing.txt"] == ("failed", "no such file or folder")
    assert [d.name for d in kb.documents()] == ["good.txt"]


@pytest.mark.parametrize("name", ["空格 与 中文 名.md", "a b.txt"])
def test_paths_with_spaces_and_chinese(kb: KnowledgeBase, tmp_path: Path, name: str) -> None:
    f = tmp_path / "文件夹 一" / name
    f.parent.mkdir()
    f.write_text("# 标题\n\n这是正文内容，用于测试。", encoding="utf-8")
    report = ingest_paths(kb, [f.parent])
    assert report.count("added") == 1
    assert kb.documents()[0].name == name and kb.documents()[0].file == str(f)


def test_a_folder_holding_the_data_folder_is_ingested_without_it(kb: KnowledgeBase, tmp_path: Path) -> None:
    """`kb ingest .` in a project whose ./data is the library: the store is not a document to report."""
    (tmp_path / "notes.md").write_text("# 笔记\n\n蓝鲸计划的预算是四百二十万元。\n", encoding="utf-8")
    ingest_paths(kb, [tmp_path / "notes.md"])
    kb.settings.feedback_file.write_text('{"liked": true}\n', encoding="utf-8")
    report = ingest_paths(kb, [tmp_path])
    data = str(kb.settings.data_dir.resolve())
    assert [o.status for o in report.outcomes] == ["unchanged"], report.to_dict()
    assert not any(o.path.startswith(data) for o in report.outcomes)
