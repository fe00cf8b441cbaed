"""Each phrase list of ``kb.lexicon`` on what it must and must not match."""

from __future__ import annotations

import re

import pytest

from kb import lexicon
from kb.answering.boilerplate import furniture_kind, without_inline_credit, without_link_note
from kb.answering.followup import is_elliptical
from kb.answering.overview import overview_topic
from kb.answering.small_talk import is_small_talk
from kb.search.answer_type import counted_noun, expected_type, offers


def test_stopword_lists_hold_function_words_only_once() -> None:
    assert {"the", "of", "according", "which"} <= lexicon.EN_STOPWORDS
    assert {"的", "了", "呢", "什么"} <= lexicon.ZH_STOPWORDS
    assert not {"studio", "budget", "预算", "罢工"} & (lexicon.EN_STOPWORDS | lexicon.ZH_STOPWORDS)


@pytest.mark.parametrize(("question", "kind"), [
    ("2023年的罢工持续了多少天？", "duration"), ("How long did the strike last?", "duration"),
    ("What share of budgets goes to AI?", "percent"), ("占比是多少？", "percent"),
    ("How much does a premium subscription cost?", "money"), ("估值是多少？", "money"),
    ("When did Sora launch?", "date"), ("哪一年成立的？", "date"),
    ("How many performers went on strike?", "number"), ("有多少名员工？", "number"),
    ("Samir Mallal 今年多大年纪？", "age"), ("How old is the founder?", "age"),
    ("Why do creators worry?", None), ("哪几家公司推出了模型？", None),
])
def test_question_types(question: str, kind: str | None) -> None:
    assert expected_type(question.lower()) == kind


@pytest.mark.parametrize(("sentence", "kind", "offered"), [
    ("她今年才26岁。", "age", True), ("a 26-year-old founder", "age", True), ("取得了较高的播放量。", "number", False),
    ("罢工持续了118天。", "duration", True), ("约 14.5 亿美元的票房", "money", True), ("投入不到3%的预算", "percent", True),
    ("2024年底上线", "date", True), ("in July 2023", "date", True), ("the union represented many actors", "number", False),
])
def test_answer_types_offered(sentence: str, kind: str, offered: bool) -> None:
    assert offers(sentence.lower(), kind) is offered


def test_counted_noun() -> None:
    assert counted_noun("how many performers joined") == "performers"
    assert counted_noun("有多少名员工") == "员工"
    assert counted_noun("why did they strike") is None


@pytest.mark.parametrize(("text", "elliptical"), [
    ("那英国呢？", True), ("What about the unions?", True), ("and in Europe?", True),
    ("Why do some creators feel they don't fit in?", False), ("英国的预算是多少？", False),
])
def test_ellipsis(text: str, elliptical: bool) -> None:
    assert is_elliptical(text) is elliptical


@pytest.mark.parametrize(("text", "small"), [
    ("hi", True), ("Hello there!", True), ("你好", True), ("谢谢！", True), ("thanks", True), ("what can you do?", True),
    ("你好，李焕英是谁导演的？", False), ("hello, what is a GAN?", False), ("How are studios using AI?", False),
])
def test_small_talk(text: str, small: bool) -> None:
    assert is_small_talk(text) is small


@pytest.mark.parametrize(("question", "topic"), [
    ("Summarise the BBC report", "bbc"), ("What is the Deloitte article about?", "deloitte"),
    ("总结一下 BBC 那篇文章", "bbc"), ("这篇文章主要讲了什么？", ""), ("summarize this", ""),
    ("What does the summary table show?", None), ("What is the summary of findings in section 3?", None),
    ("Which company summarises its results in a table?", None), ("德勤预测了什么？", None),
])
def test_overview_questions_are_about_a_whole_document(question: str, topic: str | None) -> None:
    assert overview_topic(question) == topic


@pytest.mark.parametrize(("sentence", "kind"), [
    ("By Chris Arkenberg\nUnited States", "byline"), ("Danny Ledger\nUnited States", "byline"),
    ("(责任编辑:章樊)", "byline"), ("在作出任何相关行动前, 您应咨询合格的专业顾问。", "disclaimer"),
    ("© 2025。Deloitte Development LLC版权所有保留一切权利。", "copyright"), ("请联系负责人微信：Milo-1101", "contact"),
    ("（图源：豆包AI生成）", "credit"), ("目录", "contents"), ("[关键词]电影全产业链;变革;战略转型", "metadata"),
    ("[文献标识码] A", "metadata"), ("Keywords: generative AI; film industry", "metadata"),
    ("关键词的选择决定了检索效果。", None), ("（关注公众号并设为🌟标，获取最新人工智能资讯和产品）", "promo"),
    ("想要掌握人工智能，但不知从何开始？告诉我们你的需求，学习AI让你抓住这波浪潮", "promo"),
    ("4. Chris Arkenberg, “Will generative AI challenge authenticity?,” Deloitte Insights, Dec. 8, 2023.", "reference"),
    ("Deloitte, The State of Generative AI in the Enterprise—Moving from potential to performance, June 2024.", "reference"),
    ("14. Ibid; Sweeting, “Hollywood’s AI Concerns Present New and Complex Challenges for Legal Eagles.”", "reference"),
    ("The figures are from Smith, op. cit., chapter 3.", "reference"),
    ("Ibidem Corp said its profit rose.", None),  # a word that starts like "ibid" is not a citation
    ("By contrast, the studios spend less.", None), ("The strike, which began in July, ended on November 9, 2023.", None), ("1. the policy, adopted in 2020, says so.", None),
    ("Contact the maintainers through the security advisory page.", None), ("德勤预测，到2025年大型制片公司将投入不到3%。", None),
    ("1) 介绍" + "." * 40, "contents"), ("3\n\n2) 定义" + "." * 40, "contents"), ("Introduction . . . . . . . . . . . 4", "contents"),
    ("附录 I:其他语言版本" + "…" * 8, "contents"), ("He paused... and then he left.", None), ("她说：“我想想……”", None),
    # An affiliation can be the answer ("Where does Zhang Lihua work?"): it stays quotable (docs/quality.md).
    ("(琼台师范学院,海南海口 571132)", None),
    ("(下转第 124 页)", "metadata"), ("(continued on page 9)", "metadata"), ("[本刊网址] <http://www.hbxb.net>", "metadata"),
    ("Received: 12 March 2024", "metadata"), ("Revised: 2024-05-02", "metadata"), ("He received: a medal and a letter.", None),
    ("Revised-edition books are cheaper.", None), ("Received-signal strength is measured in dBm.", None),
    ("（下转第 124 页的表格中可以看到，票房增长了）", None),
    # A firm's network notice and a bare pointer to its web site ("How many members?" had quoted it).
    ("Deloitte (“德勤”)泛指一家或多家德勤有限公司, 以及其全球成员所网络和它们的关联机构(统称为“德勤组织”)。", "disclaimer"),
    ("DTTL and each of its member firms are legally separate and independent entities.", "disclaimer"),
    ("德勤有限公司并不向客户提供服务。", "disclaimer"),
    ("任何德勤有限公司均不对任何方因使用本通讯而直接或间接导致的任何损失或损害承担责任。", "disclaimer"),
    ("请参阅[www.deloitte.com/cn/about](http://www.deloitte.com/cn/about)了解更多信息。", "promo"),
    ("Please see www.deloitte.com/about to learn more.", "promo"),
    ("公司不承担任何责任。", None), ("请访问官网了解更多。", None), ("The union has 160,000 members.", None),
])
def test_furniture(sentence: str, kind: str | None) -> None:
    assert furniture_kind(sentence) == kind


def test_an_inline_image_credit_is_cut_from_a_quote() -> None:
    assert without_inline_credit("（图源：豆包AI生成）对于缺乏资金的公司而言，短剧是救命稻草。") == "对于缺乏资金的公司而言，短剧是救命稻草。"


@pytest.mark.parametrize(("sentence", "kept"), [
    ("[欲了解更多相关动态信息和分析，请参阅德勤今年关于端侧生成式人工智能的预测报告]但若新一代前沿模型能够克服现有挑战，其能力有望快速提升。",
     "但若新一代前沿模型能够克服现有挑战，其能力有望快速提升。"),
    ("[Read more: Studio profit report] Studios cut budgets again.", "Studios cut budgets again."),
    ("【相关阅读：短剧出海】短剧在海外的收入翻了一番。", "短剧在海外的收入翻了一番。"),
    # Not a link note: a reference marker, an editor's word inside a quote, a note in the middle.
    ("[1] Deloitte, The State of Generative AI in the Enterprise.", "[1] Deloitte, The State of Generative AI in the Enterprise."),
    ("[The studio] declined to comment.", "[The studio] declined to comment."),
    ("预算减少了 [见图2] 三成。", "预算减少了 [见图2] 三成。"),
])
def test_a_leading_link_note_is_cut(sentence: str, kept: str) -> None:
    assert without_link_note(sentence) == kept


def test_every_pattern_compiles() -> None:
    for pattern in [lexicon.ANAPHORA, lexicon.CONTINUES, lexicon.ELLIPSIS, lexicon.SMALL_TALK, lexicon.OVERVIEW,
                    lexicon.OVERVIEW_FILLER, lexicon.OVERVIEW_WORDS, lexicon.DOCUMENT_WORDS, lexicon.SUMMARY_LABEL, lexicon.FIELD_LINE,
                    lexicon.COUNTED, lexicon.INLINE_CREDIT, lexicon.LEADING_LINK_NOTE, *lexicon.ANSWER_TYPES.values(),
                    *(p for _, p in lexicon.QUESTION_TYPES), *lexicon.BOILERPLATE.values()]:
        re.compile(pattern, re.I)
    assert re.match(lexicon.ANAPHORA, "He is also the oldest", re.I) and re.match(lexicon.ANAPHORA, "她今年才26岁")
    assert re.match(lexicon.CONTINUES, "对此，Demi 认为") and not re.match(lexicon.CONTINUES, "Demi 认为")


def test_a_passage_that_is_mostly_references_is_all_furniture() -> None:
    from kb.answering.boilerplate import furniture_positions
    from kb.text import sentences_of

    refs = ("21. Chris Arkenberg, “Will generative AI challenge authenticity in social media?,” Deloitte Insights, "
            "Dec. 8, 2023. 22. Lucas Shaw, “Alphabet, Meta offer millions to partner With Hollywood on AI,” "
            "Bloomberg, May 23, 2024. See also the appendix.")
    assert furniture_positions(refs) == list(range(len(sentences_of(refs))))  # "21." and "See also…" too
    assert furniture_positions("By Chris Arkenberg\nUnited States\n\nThe studios will spend less than 3% on "
                               "generative AI for content, Deloitte predicts, and about 7% on operations.") == [0]


@pytest.mark.parametrize(("line", "heading"), [
    ("(二)生成式人工智能在电影产业的兴起", True), ("一、技术发展背景下生成式人工智能在电影产业的兴起", True),
    ("第五章 监测预警与应急处置", True), ("第二节 关键信息基础设施的运行安全", True),
    ("(一)版权与法律问题", True),
    # sentences, not headings: punctuation, or too long to be a heading
    ("(二)生成式人工智能正在兴起。", False), ("一、二、三，大家一起来。", False),
    ("第五章说明了监测预警与应急处置的要求，并规定了各部门的职责和义务以及相应的法律责任", False),
    ("二十年来，电影产业发生了巨大变化", False),
])
def test_numbered_heading_lines(line: str, heading: bool) -> None:
    assert bool(re.match(lexicon.HEADING_LINE, line)) == heading
