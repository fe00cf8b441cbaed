"""Questions as people type them: follow-ups that are (and are not) follow-ups, summaries,
traditional script and full-width digits."""

from __future__ import annotations

import pytest

from kb import KnowledgeBase
from kb.answering.followup import is_elliptical
from kb.records import Turn

DELOITTE = "000_dd79d8dfbe91c922.txt"
DELOITTE_Q = "德勤预测，到2025年大型制片公司会把多少比例的制作预算用于生成式AI内容创作？"


@pytest.mark.parametrize(
    ("question", "elliptical"),
    [
        ("那英国呢？", True),
        ("What about the unions?", True),
        ("And in 2024?", True),
        ("Why do some creators feel they don't fit in?", False),
        ("How many performers did it represent?", False),
        ("它的预算是多少？", False),
    ],
)
def test_ellipsis_is_told_from_a_pronoun(question: str, elliptical: bool) -> None:
    assert is_elliptical(question) is elliptical


def test_a_new_topic_after_deloitte_is_not_glued_to_it(seeded_kb: KnowledgeBase) -> None:
    first = seeded_kb.answer(DELOITTE_Q)
    assert not first.refused
    second = seeded_kb.answer("Why do some creators feel they don't fit in?", history=[Turn(DELOITTE_Q, first.text)])
    assert second.searched is None, second.searched  # answered (or refused) on its own
    assert second.refused or (second.citations and all(not c.file.endswith(DELOITTE) for c in second.citations)), \
        [c.file for c in second.citations]


def test_a_question_on_another_subject_is_not_answered_by_the_previous_answer_again(seeded_kb: KnowledgeBase) -> None:
    """Read with the Deloitte question, "which year did Spain join the EU?" quoted the prediction
    again (it names 欧盟) plus a sentence of the same report naming no country: what a combined
    reading adds must hold the new question's key words."""
    first_q = "德勤对大制片厂的生成式AI支出有什么预测？"
    first = seeded_kb.answer(first_q)
    assert not first.refused
    second = seeded_kb.answer("西班牙和葡萄牙于哪年加入欧盟？", history=[Turn(first_q, first.text)])
    assert second.searched is None and second.refused, (second.searched, second.text)


def test_an_elliptical_question_on_another_subject_does_not_repeat_the_previous_answer(seeded_kb: KnowledgeBase) -> None:
    """"And the unions?" after the Deloitte prediction had quoted the prediction again with one more
    sentence of the report naming no union; now it is answered alone, from the unions' passages."""
    first_q = "What did Deloitte predict about generative AI spending by the big studios?"
    first = seeded_kb.answer(first_q)
    assert "3%" in first.text
    second = seeded_kb.answer("And the unions?", history=[Turn(first_q, first.text)])
    assert second.searched is None and "3%" not in second.text, (second.searched, second.text)


def test_a_firms_network_notice_is_never_quoted(seeded_kb: KnowledgeBase) -> None:
    """"How many members?" had quoted Deloitte's legal notice ("…以及其全球成员所网络…")."""
    answer = seeded_kb.answer("How many members?")
    assert "泛指一家或多家" not in answer.text and "成员所" not in answer.text, answer.text


def test_english_follow_up_after_an_english_question(seeded_kb: KnowledgeBase) -> None:
    first = "Which union went on strike in July 2023?"
    a1 = seeded_kb.answer(first)
    a2 = seeded_kb.answer("How many performers did it represent?", history=[Turn(first, a1.text)])
    assert not a2.refused and "16万" in a2.text


def test_traditional_script_question_is_answered(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("德勤預測，到2025年大型製片公司會把多少比例的製作預算用於生成式AI內容創作？")
    assert not a.refused and a.language == "zh" and "3%" in a.text
    assert a.citations[0].file.endswith(DELOITTE)


def test_full_width_digits_are_read_as_digits(seeded_kb: KnowledgeBase) -> None:
    a = seeded_kb.answer("２０２３年７月的罢工代表了多少名演员？")
    assert not a.refused and "16万" in a.text, a.text


@pytest.mark.parametrize("question", ["总结一下德勤的这篇报告", "Summarise the Deloitte report"])
def test_summary_quotes_the_article_not_its_bibliography(seeded_kb: KnowledgeBase, question: str) -> None:
    a = seeded_kb.answer(question)
    assert not a.refused and a.citations, a.text
    assert a.citations[0].file.endswith(DELOITTE)
    for c in a.citations:
        for h in c.highlights:
            assert "http" not in h and "Retrieved" not in h and "et al." not in h, h


@pytest.mark.parametrize(("text", "lang"), [("hi", "en"), ("Hello!", "en"), ("你好", "zh"), ("谢谢！", "zh"),
                                            ("thanks", "en")])
def test_greetings_and_thanks_get_a_reply_not_a_search(seeded_kb: KnowledgeBase, text: str, lang: str) -> None:
    a = seeded_kb.answer(text)
    assert a.mode == "small_talk" and not a.refused and not a.citations and a.language == lang
    assert "李焕英" not in a.text  # a film's title holds "你好": a search would quote it


def test_a_greeting_says_what_the_library_holds(seeded_kb: KnowledgeBase) -> None:
    assert "5 篇文档" in seeded_kb.answer("你好").text and "5 documents" in seeded_kb.answer("hi").text


@pytest.mark.parametrize(("question", "doc"), [("总结一下 BBC 那篇文章", "002_fffc4b9c5afbf66f.txt"),
                                               ("What is the Deloitte article about?", DELOITTE)])
def test_an_overview_names_its_document_and_quotes_no_furniture(seeded_kb: KnowledgeBase, question: str,
                                                                doc: str) -> None:
    a = seeded_kb.answer(question)
    assert not a.refused and a.citations and all(c.file.endswith(doc) for c in a.citations), a.text
    assert "United States" not in a.text and "公众号" not in a.text and "By " not in a.text

