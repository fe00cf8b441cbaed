"""When a question is read with the previous one, on a reader whose answers are set in a table."""

from __future__ import annotations

from collections.abc import Sequence

from kb.answering.followup import Attempt, resolve
from kb.records import Answer, Citation, Turn
from kb.search.query import Query, QueryTerms, Term


def _query(text: str, words: Sequence[str] = ()) -> Query:
    terms = QueryTerms("en", list(words), terms=[Term(w, 1.0, frozenset({w})) for w in words])
    return Query(text, text.lower(), "en", terms, {}, None)  # type: ignore[arg-type]


class TableReader:
    """Answers a reading when its text is in ``answers`` (with that answer text), refuses it otherwise."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def reading(self, text: str, like: Query) -> Query:
        return _query(text)

    def attempt(self, query: Query) -> Attempt:
        self.asked.append(query.text)
        text = self.answers.get(query.text)
        cites = [Citation(1, "d", "f", "t", None, None, text, 1.0, [text])] if text else []
        return Attempt(query, [], Answer(text or "no", cites, "en", text is None))

    def rewrite(self, question: str, history: Sequence[Turn]) -> str | None:
        return None


def test_a_question_that_stands_alone_is_answered_alone() -> None:
    reader = TableReader({"Why do they feel so?": "Because of the strike."})
    chosen, follow = resolve(_query("Why do they feel so?"), [Turn("Who made the forecast?", "Deloitte [1]")], reader)
    assert not follow and chosen.searched == "Why do they feel so?" and reader.asked == ["Why do they feel so?"]


def test_a_combined_answer_that_says_nothing_of_the_new_question_is_not_taken() -> None:
    combined = "Which union went on strike? Why do creators feel lost?"
    reader = TableReader({combined: "SAG-AFTRA represents 160,000 performers."})
    question = _query("Why do creators feel lost?", ["creators", "lost"])
    chosen, follow = resolve(question, [Turn("Which union went on strike?", "SAG-AFTRA [1]")], reader)
    assert not follow and chosen.searched == "Why do creators feel lost?" and chosen.answer.refused


def test_a_combined_answer_that_repeats_the_previous_one_is_not_taken() -> None:
    combined = "What did Deloitte predict? Why do creators feel they don't fit in?"
    reader = TableReader({combined: "Studios will spend under 3% on creators' tools."})
    question = _query("Why do creators feel they don't fit in?", ["creators"])
    history = [Turn("What did Deloitte predict?", "Studios will spend under 3% on creators' tools. [1]")]
    chosen, follow = resolve(question, history, reader)
    assert not follow and chosen.answer.refused  # refused alone, and the combined reading only repeats


def test_a_question_refused_alone_is_read_with_the_previous_one() -> None:
    combined = "Which union went on strike? How many members?"
    reader = TableReader({combined: "It had 160,000 members."})
    chosen, follow = resolve(_query("How many members?", ["members"]), [Turn("Which union went on strike?",
                                                                             "SAG-AFTRA [1]")], reader)
    assert follow and chosen.searched == combined


def test_an_elliptical_question_is_read_with_the_previous_one_even_when_both_fail() -> None:
    reader = TableReader({})
    chosen, follow = resolve(_query("那英国呢？"), [Turn("德勤预测了什么？", "3% [1]")], reader)
    assert follow and chosen.searched.startswith("德勤预测了什么？")


class QuotingReader(TableReader):
    """Answers a reading with several quoted sentences, each a highlight of one citation."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        super().__init__({})
        self.quotes = answers

    def attempt(self, query: Query) -> Attempt:
        self.asked.append(query.text)
        quotes = self.quotes.get(query.text)
        if not quotes:
            return Attempt(query, [], Answer("no", [], "en", True))
        cites = [Citation(1, "d", "f", "t", None, None, " ".join(quotes), 1.0, quotes)]
        return Attempt(query, [], Answer(" ".join(quotes), cites, "en", False))


FIRST = "What did Deloitte predict?"
PREDICTION = "Studios in the US and the EU will spend under 3% of budgets on AI."


def _after_prediction(question: str, words: list[str], added: str) -> tuple[Attempt, bool, str]:
    """``question`` asked after the prediction, its combined reading quoting the prediction again
    and ``added``: the answer chosen, whether it was read as a follow-up, and the combined reading."""
    combined = f"{FIRST} {question}"
    reader = QuotingReader({combined: [PREDICTION, added]})
    chosen, follow = resolve(_query(question, words), [Turn(FIRST, f"{PREDICTION} [1]")], reader)
    return chosen, follow, combined


def test_a_combined_answer_whose_new_sentences_miss_the_question_is_not_taken() -> None:
    """The combined reading quotes the previous answer again (which happens to hold "EU") and one
    more sentence that says nothing of the new question: not an answer to it."""
    chosen, follow, _ = _after_prediction("When did Spain join the EU?", ["spain", "join", "eu"],
                                          "42% of executives named efficiency as the main benefit.")
    assert not follow and chosen.answer.refused


def test_a_combined_answer_adding_a_sentence_on_the_new_question_is_taken() -> None:
    chosen, follow, combined = _after_prediction("How much on marketing?", ["marketing"],
                                                 "About 7% goes to marketing and dubbing.")
    assert follow and chosen.searched == combined


def test_an_elliptical_combined_answer_must_add_a_sentence_on_its_own_words() -> None:
    """"And the unions?" after the prediction: the combined reading quoted the prediction again and
    one more sentence naming no union; the question is then answered (here refused) alone."""
    chosen, follow, _ = _after_prediction("And the unions?", ["unions"],
                                          "42% of executives named efficiency as the main benefit.")
    assert not follow and chosen.answer.refused


def test_an_elliptical_combined_answer_on_its_own_words_is_taken() -> None:
    chosen, follow, combined = _after_prediction("And the unions?", ["unions"],
                                                 "The unions expect a share of that spending.")
    assert follow and chosen.searched == combined
