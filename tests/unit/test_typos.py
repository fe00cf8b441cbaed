"""A mistyped English question word is read as the word the library (or the dictionary, through a
translation the library holds) knows one edit away; a real word is never "corrected"
(``kb.search.query._corrected``)."""

from __future__ import annotations

from kb.store.lexical import LexicalIndex

from .conftest import chunk, make_query


def _alternatives(question: str, word: str, lexical: LexicalIndex) -> frozenset[str]:
    return next(t.alternatives for t in make_query(question, lexical).terms.terms if t.text == word)


def test_a_swapped_or_missing_letter_reaches_the_library_word(lexical: LexicalIndex) -> None:
    assert "strike" in _alternatives("How long did the strkie last?", "strkie", lexical)
    assert "performers" in _alternatives("How many perfomers did it represent?", "perfomers", lexical)
    q = make_query("How long did the strkie last?", lexical)
    assert q.terms.coverage("The strike of July 2023 represented 160,000 performers.") > \
        make_query("How long did the qwzxv last?", lexical).terms.coverage("The strike of July 2023.")


def test_a_mistyped_word_reaches_the_chinese_passage_through_its_translation(lexical: LexicalIndex) -> None:
    # "predict" is not in the library; its translation 预测 is (德勤预测…).
    assert "预测" in _alternatives("What did Deloitte preditc?", "preditc", lexical)


def test_real_words_and_names_stay_as_asked(lexical: LexicalIndex) -> None:
    brazil = make_query("What is the population of Brazil?", lexical)
    assert not brazil.terms.corrections
    assert "strike" not in _alternatives("Why a stride?", "stride", lexical)  # the dictionary knows it
    # "chose" is one letter from "chase" and unknown to the dictionary, but everyday English
    chase = LexicalIndex.build([chunk(0, "c", "en", "The dog gave chase across the field.")])
    assert _alternatives("Why chose a field?", "chose", chase) == {"chose"}
    assert _alternatives("Who is Gegeen Khan?", "gegeen", lexical) == {"gegeen"}
    # Rarer real words are one letter from a library word ("never", "always") and stay as asked.
    words = LexicalIndex.build([chunk(0, "c", "en", "Prices have never been so low, and always ripen.")])
    for question in ("Are newer prices lower?", "Who was John Elway?", "Have prices risen?"):
        assert not make_query(question, words).terms.corrections, question


def test_words_in_quotation_marks_and_replies_are_read_as_written(lexical: LexicalIndex) -> None:
    from kb.search.query import analyse

    assert not make_query('Where does the word "strkie" appear?', lexical).terms.corrections
    assert not analyse("The strkie lasted 118 days.", lexical, correct=False).corrections


def test_the_encoders_read_the_question_as_meant(lexical: LexicalIndex) -> None:
    from kb.search.query import corrected

    q = make_query("How long did the Strkie last, strkie?", lexical)
    assert q.terms.corrections == {"strkie": "strike"}
    assert corrected(q.text, q.terms.corrections) == "How long did the Strike last, strike?"


def test_the_correction_keeps_the_case_and_finds_words_beside_chinese() -> None:
    from kb.search.query import corrected

    fixes = {"delotite": "deloitte"}
    assert corrected("Delotite预测了什么？DELOTITE, delotite", fixes) == "Deloitte预测了什么？DELOITTE, deloitte"
    assert corrected("Delotites and xdelotite stay", fixes) == "Delotites and xdelotite stay"


def test_the_asked_for_kind_is_read_from_the_question_as_meant() -> None:
    from kb.search.answer_type import expected_type
    from kb.search.query import analyse, corrected
    from kb.text import normalize

    shares = LexicalIndex.build([chunk(0, "c", "en", "The percentage of budgets spent on it is small.")])
    typed = "What percnetage of budgets?"
    meant = corrected(typed, analyse(typed, shares).corrections)
    assert meant == "What percentage of budgets?"
    assert expected_type(normalize(meant)) == "percent" != expected_type(normalize(typed))


def test_the_library_is_searched_for_the_word_meant_with_its_weight(lexical: LexicalIndex) -> None:
    from kb.search.query import analyse

    typed, meant = analyse("How long did the strkie last?", lexical), analyse("How long did the strike last?", lexical)
    assert "strike" in typed.words and "strkie" not in typed.words  # BM25 reads the own-language words
    assert "strike" not in typed.translated
    assert [t.weight for t in typed.terms] == [t.weight for t in meant.terms]
