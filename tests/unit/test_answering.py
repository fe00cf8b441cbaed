"""Candidate sentences, their features, furniture, follow-up repeats, overview documents and small talk."""

from __future__ import annotations

from dataclasses import replace

from kb.answering.evidence import SENTENCE_FEATURES, answer_features, candidate_sentences
from kb.answering.followup import Attempt, repeats
from kb.answering.overview import pick_document
from kb.answering.small_talk import small_talk_reply
from kb.records import Answer, Citation
from kb.store.lexical import LexicalIndex

from .conftest import document, hit, make_query


def test_every_sentence_feature_is_computed(chunks, lexical: LexicalIndex) -> None:
    q = make_query("How many days did the strike last?", lexical)
    sents = candidate_sentences(q, [hit(chunks[2], sims={0: 0.5, 1: 0.7})])
    assert [s.text for s in sents] == ["The strike of July 2023 represented 160,000 performers.", "It lasted 118 days."]
    for s in sents:
        assert set(SENTENCE_FEATURES) <= set(s.features)
    first, second = sents
    assert second.features["typed"] == 1.0 and first.features["typed"] == 0.0  # "118 days" is a duration
    assert second.features["anaphora"] == 1.0
    # "It lasted 118 days." names its subject in the sentence before: read with it, it covers "strike".
    assert second.features["coverage_ctx"] > second.features["coverage"]
    assert second.features["use_gap"] == 0.0 and first.features["use_gap"] < 0
    assert second.features["use_lib_z"] == (0.7 - 0.2) / 0.1


def test_an_age_of_the_subject_is_typed_and_tied_to_it(chunks, lexical: LexicalIndex) -> None:
    q = make_query("How old is Samir Mallal?", lexical)
    sents = {s.text: s for s in candidate_sentences(q, [hit(chunks[3])])}
    assert sents["She is 26 years old."].features["typed_key"] == 1.0  # its subject is in the sentence before
    other = make_query("How old is Demi Guo?", lexical)
    sents = {s.text: s for s in candidate_sentences(other, [hit(chunks[3])])}
    assert sents["She is 26 years old."].features["typed_key"] == 0.0  # another person's age


def test_a_named_subject_the_quoted_passage_never_names_is_a_near_miss(chunks, lexical: LexicalIndex) -> None:
    from kb.answering.evidence import person_names, subject_missing

    q = make_query("How old is Samir Mallal?", lexical)
    assert person_names(q)[0] == [{1, 2}]  # "How" opens the question; "old" is not a name
    other, named = hit(chunks[2]), hit(chunks[3])  # the strike passage; the one naming Samir Mallal
    ranked = candidate_sentences(q, [other, named])
    best_elsewhere = next(s for s in ranked if s.hit_index == 0)
    f = answer_features(q, [other, named], [best_elsewhere, *ranked])
    assert f["name_missing"] == 1.0 and subject_missing(f, "off")  # whatever gate is fitted
    best_named = next(s for s in ranked if s.hit_index == 1)
    assert answer_features(q, [other, named], [best_named, *ranked])["name_missing"] == 0.0
    # Nobody the question names is in the library: the topic model decides, not this gate.
    absent = make_query("How old is Josh Norman?", lexical)
    assert answer_features(absent, [other], candidate_sentences(absent, [other]))["name_missing"] == 0.0
    # A question that asks for no value is left to the answer model.
    assert not subject_missing({**f, "wanted": 0.0}, "off")
    # One capitalised word is not a full name ("the Commission", "EU").
    assert person_names(make_query("How old is the Commission?", lexical))[0] == []


def test_furniture_is_never_a_candidate(chunks, lexical: LexicalIndex) -> None:
    q = make_query("生成对抗网络有哪些代表性的模型？", lexical)
    marked = replace(chunks[1], meta=replace(chunks[1].meta, furniture="0"))
    texts = [s.text for s in candidate_sentences(q, [hit(marked)])]
    assert texts and not any("Arkenberg" in t for t in texts)
    assert any("Arkenberg" in s.text for s in candidate_sentences(q, [hit(chunks[1])]))


def test_a_sentence_without_a_word_is_never_a_candidate(chunks, lexical: LexicalIndex) -> None:
    q = make_query("How should a legal team review a license?", lexical)
    rule = replace(chunks[1], text="Your legal team can help you review it.\n\n* * * * * *\n\n| 2019 | 35% |\n\n"
                                   "The end is near.")
    texts = [s.text for s in candidate_sentences(q, [hit(rule)])]
    assert texts == ["Your legal team can help you review it.", "The end is near."]


def test_answer_features_carry_the_library_wide_scale(chunks, lexical: LexicalIndex) -> None:
    q = make_query("德勤预测大型制片公司会投入多少预算？", lexical)
    hits = [hit(chunks[0], sims={0: 0.6})]
    ranked = candidate_sentences(q, hits)
    f = answer_features(q, hits, ranked)
    assert f["dense_lib_z"] == 3.0 and f["use_lib_z"] == 2.0 and f["best_use"] == 0.6


def _attempt(q, highlights: list[str]) -> Attempt:  # type: ignore[no-untyped-def]
    cites = [Citation(1, "a", "f", "t", None, None, "x", 1.0, highlights)]
    return Attempt(q, [], Answer("…", cites, "en", False))


def test_a_follow_up_that_quotes_the_previous_answer_again_repeats_it(lexical: LexicalIndex) -> None:
    q = make_query("Why do some creators feel they don't fit in?", lexical)
    previous = "德勤预测，到2025年，大型制片公司在生成式人工智能内容创作上只投入不到3%的制作预算。[1]"
    assert repeats(_attempt(q, ["德勤预测，到2025年，大型制片公司在生成式人工智能内容创作上只投入不到3%的制作预算。"]), previous)
    assert not repeats(_attempt(q, ["The strike of July 2023 represented 160,000 performers."]), previous)


def test_the_document_an_overview_asks_about(lexical: LexicalIndex) -> None:
    docs = [document("d1", "BBC专题报道：AI让普通人创造好莱坞级别作品", "002.txt"),
            document("d2", "好莱坞将Sora拒之门外", "001.txt")]
    assert pick_document(make_query("bbc", lexical).terms, [], docs, None) == "d1"
    assert pick_document(make_query("", lexical).terms, [], docs, None) is None  # which one? cannot tell
    assert pick_document(make_query("", lexical).terms, [], docs, ["d2"]) == "d2"  # the only one in scope


def test_small_talk_says_what_the_library_holds() -> None:
    docs = [document("d1", "BBC专题报道", "002.txt")]
    hello = small_talk_reply("你好", "zh", docs)
    assert "1 篇文档" in hello.text and "《BBC专题报道》" in hello.text and not hello.refused
    assert small_talk_reply("thanks!", "en", docs).text.startswith("You're welcome")
    assert "no documents yet" in small_talk_reply("hi", "en", []).text


def test_a_sentence_holding_nothing_of_the_question_is_not_quoted(chunks, lexical: LexicalIndex) -> None:
    """No question word and the second encoder finds it unrelated: the gate refuses, at a fitted floor."""
    from kb.answering.evidence import unrelated

    q = make_query("如何在家里种植番茄？", lexical)
    far = [hit(chunks[2], sims={0: 0.02, 1: 0.03})]  # the strike passage
    f = answer_features(q, far, candidate_sentences(q, far))
    assert f["best_coverage"] == 0.0 and f["evidence_use"] == 0.02
    assert unrelated(f, 0.10) and not unrelated(f, 0.0)  # 0: the gate is off
    near = [hit(chunks[2], sims={0: 0.30, 1: 0.25})]
    assert not unrelated(answer_features(q, near, candidate_sentences(q, near)), 0.10)
    # A passage with no second-encoder vectors has no say: never refused for it.
    bare = [hit(chunks[2])]
    assert answer_features(q, bare, candidate_sentences(q, bare))["evidence_use"] == 1.0
    # A sentence that holds a question word is left to the models, however far the encoder puts it.
    asked = make_query("How long did the strike last?", lexical)
    assert not unrelated(answer_features(asked, far, candidate_sentences(asked, far)), 0.10)


def test_one_generic_word_is_no_evidence_below_the_fitted_ceiling(chunks, lexical: LexicalIndex) -> None:
    """A sentence holding a share of the question's words up to the fitted ceiling, and no nearer than
    the floor by the second encoder, is as unrelated as one holding none; above the ceiling the
    models decide."""
    from kb.answering.evidence import unrelated

    q = make_query("How long did the strike last?", lexical)
    far = [hit(chunks[2], sims={0: 0.02, 1: 0.03})]
    f = answer_features(q, far, candidate_sentences(q, far))
    assert 0 < f["evidence_cov"] < 1
    assert not unrelated(f, 0.10, 0.0)  # the words it holds keep it, with no ceiling
    assert unrelated(f, 0.10, f["evidence_cov"]) and not unrelated(f, 0.0, 1.0)
    assert not unrelated(f, 0.10, f["evidence_cov"] - 0.01)


def test_a_pronoun_sentence_is_read_with_the_one_before_by_the_evidence_gate(chunks, lexical: LexicalIndex) -> None:
    """"It lasted 118 days." holds no word of "罢工有多少人？", but the sentence it points back to does."""
    from kb.answering.evidence import unrelated

    q = make_query("罢工有多少人？", lexical)
    hits = [hit(chunks[2], sims={0: 0.02, 1: 0.02})]
    sents = candidate_sentences(q, hits)
    pronoun = next(s for s in sents if s.text.startswith("It lasted"))
    f = answer_features(q, hits, [pronoun, *sents])
    assert f["best_coverage"] == 0.0 and f["evidence_cov"] > 0
    assert not unrelated(f, 0.20)
