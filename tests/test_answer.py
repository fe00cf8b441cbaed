"""Answers over the seeds: the right numbers, the right documents, refusals, follow-ups."""

from __future__ import annotations

import pytest

from kb import KnowledgeBase, QuestionError, tuning
from kb.records import Turn


def test_chinese_question_answers_three_percent_from_deloitte(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？")
    assert not a.refused and a.language == "zh"
    assert "3%" in a.text
    assert a.citations[0].file.endswith("000_dd79d8dfbe91c922.txt")
    assert "[1]" in a.text


def test_english_question_gets_the_chinese_prediction(seeded_kb: KnowledgeBase) -> None:
    # The product's headline question: "spending" reaches 支出 ("to spend; to pay out") and "AI"
    # reaches 人工智能 ("artificial intelligence (AI)") through CC-CEDICT.
    a = seeded_kb.answer("What did Deloitte predict about generative AI spending by the big studios?")
    assert not a.refused and a.language == "en"
    assert "不到3%" in a.text and "德勤预测" in a.text
    assert any(c.file.endswith("000_dd79d8dfbe91c922.txt") for c in a.citations)


def test_the_headline_question_typed_in_a_hurry_gets_the_same_prediction(seeded_kb: KnowledgeBase) -> None:
    # "Delotite" is read as Deloitte (德勤 through the library's own term pair), "spedning" as spending.
    a = seeded_kb.answer("What did Delotite predict about generative AI spedning by the big studios?")
    assert not a.refused and "不到3%" in a.text and "德勤预测" in a.text


def test_english_question_cites_the_chinese_article(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("How many performers did the union strike of July 2023 represent?")
    assert not a.refused and a.language == "en"
    assert any(c.file.endswith("001_d087a9b4bca2ef81.txt") for c in a.citations)
    assert "16万" in a.text


def test_markers_match_citations_in_order_of_first_use(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("What does Ng say he can always expect when he speaks to a group like this?")
    import re

    used = [int(n) for n in re.findall(r"\[(\d+)\]", a.text)]
    assert used, a.text
    first_use = list(dict.fromkeys(used))
    assert first_use == list(range(1, len(first_use) + 1))
    assert [c.n for c in a.citations] == first_use
    for c in a.citations:
        assert c.highlights and all(h in c.text for h in c.highlights)


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("？？！！……", "no words"), ("问" * 2001, "at most")],
)
def test_bad_questions_raise_clear_errors(seeded_kb: KnowledgeBase, question: str, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        seeded_kb.answer(question)


def test_empty_knowledge_base_refuses_plainly(kb: KnowledgeBase) -> None:
    a = kb.answer("什么是生成式人工智能？")
    assert a.refused and a.text == "知识库中没有找到相关内容。" and a.citations == []


def test_follow_up_uses_history(seeded_kb: KnowledgeBase) -> None:
    first = "本·阿弗莱克认为电影行业里哪些岗位很难被AI替代？"
    a1 = seeded_kb.answer(first)
    a2 = seeded_kb.answer("那哪个领域会受到较大冲击呢？", history=[Turn(first, a1.text)])
    assert not a2.refused
    assert "视觉特效" in a2.text


def test_restricting_to_documents(seeded_kb: KnowledgeBase) -> None:
    only = seeded_kb.find_document("004_1fae406766ceb434.txt").doc_id
    question = "生成对抗网络由哪两个部分构成？"
    assert any(c.doc_id != only for c in seeded_kb.answer(question).citations)  # answered from another document
    a = seeded_kb.answer(question, doc_ids=[only])
    assert a.refused or (a.citations and all(c.doc_id == only for c in a.citations)), a.citations


@pytest.mark.xfail(strict=True, reason="known weakness (docs/quality.md, Still weak): no head count in the seeds, and the "
                   "fitted answer model gives 'no sentence offers the asked-for type' little weight")
def test_a_question_for_a_count_the_library_lacks_is_refused(seeded_kb: KnowledgeBase) -> None:
    assert seeded_kb.answer("Pika Labs有多少名员工？").refused


def test_a_count_is_answered_by_the_sentence_that_counts(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("2023年7月的罢工有多少演艺人员参加？")
    assert not a.refused and "16万" in a.text


def test_a_reply_that_refers_back_completes_the_answer(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("面对“AI会让好莱坞编剧和导演丢掉饭碗”的担忧，Pika Labs的CEO持什么看法？")
    assert "新的工作类型" in a.text  # "对此，Demi 认为……" follows the sentence stating the concern


def test_quoted_words_are_what_the_answer_must_contain(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("吴恩达在圣丹斯的论坛上为什么会觉得自己“格格不入”？")
    assert "格格不入" in a.text and "行业大奖" in a.text


def test_bilingual_document_is_cited_in_the_readers_language(seeded_kb: KnowledgeBase) -> None:
    # Document 004 alternates English and Chinese paragraphs; its English version of the point
    # ranks higher, but a Chinese reader gets the Chinese twin. The passage model now puts the
    # other article's passages first for this two-article question (docs/quality.md, Still weak),
    # so the first ten are read.
    hits = seeded_kb.search("吴恩达看好的AI视频工具当中，哪一款同时也被雷科技文章列为已开始收费的国内视频生成模型？", k=10)
    from_004 = [h for h in hits if h.meta.file.endswith("004_1fae406766ceb434.txt")]
    assert from_004 and all(h.meta.lang == "zh" for h in from_004)
    assert any("可灵" in h.text for h in from_004)
    assert any("收费" in h.text and h.meta.file.endswith("001_d087a9b4bca2ef81.txt") for h in hits)
    view = seeded_kb.view.get()
    row = view.row(from_004[0].chunk_id)
    assert row is not None and view.dense.twin(row, "en", tuning.TWIN_NEARBY, tuning.TWIN_FLOOR) is not None


def test_a_compound_the_text_writes_apart_still_counts(seeded_kb: KnowledgeBase) -> None:
    # "视频工具" is one word in the question; the passage says "AI工具" and "视频创作".
    a = seeded_kb.answer("吴恩达在圣丹斯看好哪些AI视频工具？")
    assert "可灵" in a.text or "Kling" in a.text


def test_a_refusal_shows_the_nearest_passages_where_the_topic_is_there(seeded_kb: KnowledgeBase) -> None:
    """The partnership is in the seeds, its price is not: refused, with the passages on the
    partnership to check, the sentence naming it marked. An unrelated question gets none, and no
    marked sentence offers a value of the kind asked for (another person's age for "How old is X?")."""
    price = seeded_kb.answer("How much did Lionsgate pay Runway for their partnership?")
    assert price.refused and price.citations == [] and 1 <= len(price.related) <= tuning.RELATED_ON_REFUSAL
    assert any("Runway" in c.highlights[0] for c in price.related)
    assert [c.n for c in price.related] == list(range(1, len(price.related) + 1)) and all(c.name for c in price.related)
    assert price.to_dict()["related"][0]["highlights"] == price.related[0].highlights
    assert seeded_kb.answer("What's a good recipe for mapo tofu?").related == []
    for question in ("Samir Mallal 今年多大年纪？", "How old is Samir Mallal?"):
        age = seeded_kb.answer(question)
        assert age.refused and not any("26" in c.text for c in age.related), question


def test_a_numbered_heading_in_the_text_is_not_the_answer(seeded_kb: KnowledgeBase) -> None:
    """"What is a variational autoencoder?" had quoted the heading line "(二)生成式人工智能在电影产业的兴起"
    before the passage's sentence defining 变分自编码器: a numbered heading written into the text now
    scores as a heading."""
    a = seeded_kb.answer("What is a variational autoencoder?")
    assert not a.refused and "变分自编码器" in a.text and "(二)" not in a.text, a.text
