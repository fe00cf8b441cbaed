"""Documents keep their identity: same-named folders, one file by many paths, duplicates, moves,
uploads of stored files, libraries written by the earlier id scheme, and commands on no library."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.pipeline import ingest_paths
from ingest.uploads import ingest_uploads
from kb import KnowledgeBase, Settings
from kb.store.identity import text_hash
from kbcli.main import app

from .conftest import SEEDS

runner = CliRunner()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_same_named_folders_keep_both_documents(kb: KnowledgeBase, tmp_path: Path) -> None:
    a = _write(tmp_path / "projA" / "docs" / "report.txt", "# 报告\n\n甲项目的预算是三百万元，由北京团队负责。")
    b = _write(tmp_path / "projB" / "docs" / "report.txt", "# 报告\n\n乙项目的预算是八百万元，由上海团队负责。")
    assert ingest_paths(kb, [a.parent]).count("added") == 1
    second = ingest_paths(kb, [b.parent])
    assert second.count("added") == 1 and second.count("updated") == 0  # not an overwrite
    docs = {d.name: d for d in kb.documents()}
    assert set(docs) == {"projA/docs/report.txt", "projB/docs/report.txt"}
    assert docs["projA/docs/report.txt"].file == str(a) and docs["projB/docs/report.txt"].file == str(b)
    ans = kb.answer("乙项目的预算是多少？")
    assert "八百万元" in ans.text and ans.citations[0].file == str(b)
    ans = kb.answer("甲项目的预算是多少？")
    assert "三百万元" in ans.text and ans.citations[0].file == str(a)


def test_one_file_through_three_paths_is_one_document(kb: KnowledgeBase, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    f = _write(tmp_path / "w" / "a" / "docs" / "report.txt", "# 报告\n\n这是唯一的一份报告，讲的是冰川的融化。")
    monkeypatch.chdir(tmp_path / "w")
    first = ingest_paths(kb, [Path("a/docs/report.txt")])  # relative
    again = ingest_paths(kb, [f])  # absolute
    parent = ingest_paths(kb, [tmp_path / "w" / "a"])  # through a parent folder
    assert (first.count("added"), again.count("unchanged"), parent.count("unchanged")) == (1, 1, 1)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "w" / "a", target_is_directory=True)
    assert ingest_paths(kb, [link / "docs" / "report.txt"]).count("unchanged") == 1  # through a link
    assert len(kb.documents()) == 1
    assert kb.store.count() == kb.documents()[0].chunks


def test_a_copy_under_another_name_is_a_duplicate(kb: KnowledgeBase, tmp_path: Path) -> None:
    src = tmp_path / "in" / "001.txt"
    src.parent.mkdir()
    shutil.copy(SEEDS / "001_d087a9b4bca2ef81.txt", src)
    ingest_paths(kb, [src])
    chunks = kb.store.count()
    copy = tmp_path / "elsewhere" / "renamed copy.txt"
    copy.parent.mkdir()
    shutil.copy(src, copy)
    report = ingest_paths(kb, [copy])
    (outcome,) = report.outcomes
    assert outcome.status == "duplicate" and outcome.duplicate_of == "001.txt" and "same content" in outcome.reason
    assert report.to_dict()["summary"]["duplicate"] == 1 and report.to_dict()["chunks_embedded"] == 0
    assert len(kb.documents()) == 1 and kb.store.count() == chunks
    # The CLI says so, in the summary and in --json.
    res = runner.invoke(app, ["ingest", "--json", str(copy)], env={"KB_DATA_DIR": str(kb.settings.data_dir)})
    assert json.loads(res.stdout)["files"][0]["duplicate_of"] == "001.txt"
    # Asked to keep both, it stores the copy, re-using every vector.
    kept = ingest_paths(kb, [copy], keep_duplicates=True)
    assert kept.count("added") == 1 and kept.to_dict()["chunks_embedded"] == 0
    assert len(kb.documents()) == 2


def test_upload_of_an_ingested_file_says_it_is_already_there(kb: KnowledgeBase, tmp_path: Path) -> None:
    src = tmp_path / "cli" / "lichen.md"
    _write(src, "# 考察\n\n青藏高原的冰川考察队发现了一种新的地衣。")
    ingest_paths(kb, [src])
    browser_copy = tmp_path / "browser" / "lichen (1).md"
    browser_copy.parent.mkdir()
    shutil.copy(src, browser_copy)
    report = ingest_uploads(kb, [("lichen (1).md", browser_copy)])
    (outcome,) = report.outcomes
    assert outcome.status == "duplicate" and outcome.duplicate_of == "lichen.md"
    assert len(kb.documents()) == 1
    assert not any(p.is_file() for p in kb.settings.uploads_dir.rglob("*"))  # no stray copy kept
    # Two different uploads that share a name are two documents.
    other = _write(tmp_path / "browser2" / "lichen.md", "# 另一份\n\n雪线附近拍到了一只雕鸮。")
    assert ingest_uploads(kb, [("lichen.md", other)]).count("added") == 1
    third = _write(tmp_path / "browser3" / "lichen.md", "# 第三份\n\n湖边发现了黑颈鹤的巢。")
    assert ingest_uploads(kb, [("lichen.md", third)]).count("added") == 1
    assert len(kb.documents()) == 3


def test_moving_a_folder_with_prune_embeds_nothing(kb: KnowledgeBase, seeds_copy: Path, tmp_path: Path) -> None:
    first = ingest_paths(kb, [seeds_copy])
    assert first.to_dict()["chunks_embedded"] == sum(o.chunks for o in first.outcomes)
    before = sorted(c.text for c in kb.store.scan())
    moved = tmp_path / "archive" / "seeds-2025"
    moved.parent.mkdir()
    shutil.move(str(seeds_copy), str(moved))
    report = ingest_paths(kb, [moved, seeds_copy.parent], prune=True)
    assert report.count("moved") == 3 and report.to_dict()["chunks_embedded"] == 0, report.to_dict()
    assert {d.file for d in kb.documents()} == {str(p) for p in moved.iterdir()}
    assert sorted(c.text for c in kb.store.scan()) == before
    assert "16万" in kb.answer("How many performers did the union strike of July 2023 represent?").text


def _old_format_library(settings: Settings, files: list[Path]) -> None:
    """A library as version 1 wrote it: ids "<folder>/<name>", no id scheme, no text hashes."""
    from ingest.chunking import chunk_document
    from ingest.clean import clean_markup

    kb = KnowledgeBase(settings)
    store = kb.store
    for f in files:
        doc_id = f"{f.parent.name}/{f.name}"
        _, chunks = chunk_document(doc_id, [clean_markup(f.read_text(encoding="utf-8"))], False, 320, 60)
        vectors = kb.embedder.get_text_embedding_batch([c.text for c in chunks])
        store.chunks.upsert(
            ids=[c.chunk_id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
            metadatas=[{"doc_id": doc_id, "ordinal": c.ordinal, "lang": c.lang, "start": c.start, "end": c.end,
                        "file": str(f), "title": f.stem, "content_hash": "v1"} for c in chunks])
        store.registry.upsert(ids=[doc_id], embeddings=[[1.0]], documents=[f.stem], metadatas=[{
            "doc_id": doc_id, "file": str(f), "title": f.stem, "lang": "zh", "chunks": len(chunks),
            "content_hash": "v1", "ingested_at": "2026-01-01T00:00:00+00:00"}])
    store.registry.upsert(ids=["__generation__"], embeddings=[[1.0]], documents=[""], metadatas=[{"token": "old"}])


def test_a_library_from_the_earlier_id_scheme_is_migrated_once(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    files = [folder / "001_d087a9b4bca2ef81.txt", folder / "004_1fae406766ceb434.txt"]
    for f in files:
        shutil.copy(SEEDS / f.name, f)
    settings = Settings(data_dir=tmp_path / "data", debug=True)
    _old_format_library(settings, files)
    kb = KnowledgeBase(settings)
    assert kb.migrated == 2
    docs = kb.documents()
    assert {d.name for d in docs} == {f.name for f in files}
    assert all("/" not in d.doc_id for d in docs)
    stored = kb.store.scan()
    assert len(stored) == sum(d.chunks for d in docs) and all(c.meta.doc_id in {d.doc_id for d in docs}
                                                              for c in stored)
    assert all(c.meta.text_hash == text_hash(c.text) for c in stored)  # no traditional script here
    assert "16万" in kb.answer("How many performers did the union strike of July 2023 represent?").text
    # Once: opening again migrates nothing, and ingesting the same files embeds nothing.
    assert KnowledgeBase(settings).migrated == 0
    report = ingest_paths(KnowledgeBase(settings), [folder])
    assert report.count("updated") == 2 and report.to_dict()["chunks_embedded"] == 0
    res = runner.invoke(app, ["docs", "--json"], env={"KB_DATA_DIR": str(settings.data_dir)})
    assert len(json.loads(res.stdout)) == 2


def test_a_migration_interrupted_halfway_is_finished_by_the_next_open(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    f = folder / "001_d087a9b4bca2ef81.txt"
    shutil.copy(SEEDS / f.name, f)
    settings = Settings(data_dir=tmp_path / "data", debug=True)
    _old_format_library(settings, [f])
    from kb.embed.encoders import Encoders
    from kb.store.chroma import ChunkStore
    from kb.store.migrate import migrate

    store = ChunkStore(settings, Encoders.build(settings).vector_sets())
    old_chunks = store.count()

    class Stop(Exception):
        pass

    original = store.delete_document

    def crash(doc_id: str) -> int:  # the new copy and registry entry are written; the old ones stay
        raise Stop

    store.delete_document = crash  # type: ignore[method-assign]
    with pytest.raises(Stop):
        migrate(store, shared=False)
    store.delete_document = original  # type: ignore[method-assign]
    kb2 = KnowledgeBase(settings)
    assert kb2.migrated == 1
    assert len(kb2.documents()) == 1 and kb2.store.count() == old_chunks


@pytest.mark.parametrize("command", [["ask", "什么是生成式人工智能？"], ["eval", "QUESTIONS"]])
def test_ask_and_eval_on_no_library_say_so_and_create_nothing(tmp_path: Path, command: list[str]) -> None:
    data = tmp_path / "nothing-here"
    questions = Path(__file__).parent / "data" / "eval" / "dev.jsonl"
    args = [str(questions) if a == "QUESTIONS" else a for a in command]
    res = runner.invoke(app, args, env={"KB_DATA_DIR": str(data)})
    assert res.exit_code == 1, res.output
    assert "kb ingest" in res.output and "Traceback" not in res.output
    assert not data.exists()


def test_ask_on_an_emptied_library_says_it_is_empty(kb: KnowledgeBase, seeds_copy: Path) -> None:
    ingest_paths(kb, [seeds_copy / "001_d087a9b4bca2ef81.txt"])
    kb.remove("001_d087a9b4bca2ef81.txt")
    res = runner.invoke(app, ["ask", "罢工持续了多久？"], env={"KB_DATA_DIR": str(kb.settings.data_dir)})
    assert res.exit_code == 1 and "empty" in res.output and "kb ingest" in res.output
    assert os.path.isdir(kb.settings.data_dir)
