"""Sentence ends, rejoined words and numbers, and headings as chunk boundaries, on small inputs."""

from ingest.chunking import chunk_document
from ingest.clean import clean_markup
from kb.text import hard_split, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[b:e] for b, e in split_sentences(text)]


def test_abbreviations_and_decimals_do_not_end_sentences() -> None:
    text = ("The chief agronomist, Dr. Maria Kovacs, introduced drip irrigation. Yields rose 3.5 per cent, "
            "e.g. for wheat, i.e. the main crop. Mr. and Mrs. Lee, Ms. Varga and Prof. Brooks met in the U.S. "
            "office. See Fig. 2 and No. 5 of the appendix. He said no. Then he left.")
    assert _sentences(text) == [
        "The chief agronomist, Dr. Maria Kovacs, introduced drip irrigation.",
        "Yields rose 3.5 per cent, e.g. for wheat, i.e. the main crop.",
        "Mr. and Mrs. Lee, Ms. Varga and Prof. Brooks met in the U.S. office.",
        "See Fig. 2 and No. 5 of the appendix.",
        "He said no.",
        "Then he left.",
    ]


def test_sentence_offsets_stay_exact() -> None:
    text = "  Apples, pears etc. are fruit.  Prices fell 2.5%.\n价格为3.5元。好的。"
    for b, e in split_sentences(text, 10):
        assert text[b - 10 : e - 10].strip() == text[b - 10 : e - 10]
    assert _sentences(text) == ["Apples, pears etc. are fruit.", "Prices fell 2.5%.", "价格为3.5元。", "好的。"]


def test_numbers_and_words_cut_by_a_line_end_are_whole_again() -> None:
    text = "赵远泰，河内温县人，生于1\n971年2月10日。他出生于199\n9年的夏天，\n共有员工12人。\n\nThe inter-\nnational market  grew  by 3.5 per cent."
    out = clean_markup(text)
    assert "生于1971年2月10日" in out and "199" + "9年" in out.replace("\n", "")
    assert "1999年" in out
    assert "The international market grew by 3.5 per cent." in out


def test_table_padding_and_list_numbers_are_left_alone() -> None:
    out = clean_markup("| a  |  b |\n\n1.\n2. second item")
    assert "| a | b |" in out and "1.\n2. second item" in out


def _chunks(text: str) -> list[tuple[str, str | None]]:
    _, chunks = chunk_document("d", [text], False, 320, 60)
    return [(c.text, c.section) for c in chunks]


def test_a_heading_is_the_section_not_the_text() -> None:
    text = "# Orchard Cooperative Annual Report 2024\n\nThe Green Valley farm joined in 2019.\n# Opening hours\nWe open at 9."
    assert _chunks(text) == [("The Green Valley farm joined in 2019.", "Orchard Cooperative Annual Report 2024"),
                             ("We open at 9.", "Opening hours")]


def test_a_chunk_never_spans_two_sections() -> None:
    body = "这是第一节的一句话，内容很长很长很长。" * 30
    text = f"# 第一节\n\n{body}\n\n最后一句。\n\n# 第二节\n\n第二节的开头。"
    chunks = _chunks(text)
    assert {s for _, s in chunks} == {"第一节", "第二节"}
    assert all(("第二节的开头" in t) == (s == "第二节") for t, s in chunks)
    assert not any(t.startswith("第一节") or "# " in t for t, _ in chunks)


def test_markdown_title_then_paragraphs_chunk_as_paragraphs_under_the_title() -> None:
    paras = [f"Sentence number {i} of the first paragraph is here." for i in range(12)]
    text = "# Super Bowl 50\n\n" + " ".join(paras[:6]) + "\n\n" + " ".join(paras[6:])
    chunks = _chunks(text)
    assert all(s == "Super Bowl 50" for _, s in chunks)
    assert chunks[0][0].startswith("Sentence number 0")
    assert "".join(t for t, _ in chunks).count("Sentence number 11") == 1


# One sentence of 489 characters, from the English abstract in seeds/003 (longer than a 320-character chunk).
_LONG_ENGLISH = (
    "From a “higher perspective”, we must align with the new era and new journey to implement a comprehensive "
    "education pattern; by “going deeper”, we should adapt to new situations and tasks to build an ideological "
    "and political curriculum system; “moving forward”, we need to keep pace with new developments and "
    "achievements to ensure teaching outcomes are truly absorbed; “working together”, we must adhere to the "
    "“six requirements” to strengthen the ideological and political teaching team."
)


def test_an_over_long_sentence_is_cut_at_a_space_never_inside_a_word() -> None:
    pieces = list(hard_split(_LONG_ENGLISH, 0, len(_LONG_ENGLISH), 320))
    assert len(pieces) == 2
    (b1, e1), (b2, e2) = pieces
    assert b1 == 0 and e2 == len(_LONG_ENGLISH) and e1 - b1 <= 320
    assert _LONG_ENGLISH[e1:b2].isspace()  # the cut is the space between two words
    assert _LONG_ENGLISH[b1:e1].split() + _LONG_ENGLISH[b2:e2].split() == _LONG_ENGLISH.split()


def test_an_over_long_chinese_sentence_is_cut_after_a_comma() -> None:
    text = "，".join(f"第{i}个分句讲的是生成式人工智能在电影产业中的应用" for i in range(30)) + "。"
    pieces = list(hard_split(text, 0, len(text), 320))
    assert len(pieces) >= 3
    assert all(text[b:e].endswith("，") for b, e in pieces[:-1])
    assert "".join(text[b:e] for b, e in pieces) == text


def test_no_chunk_of_a_long_english_sentence_opens_inside_a_word() -> None:
    chunks = _chunks(f"# Abstract\n\nThe study has six aims. {_LONG_ENGLISH} It ends here.")
    assert len(chunks) >= 2
    for t, _ in chunks:
        first = t.split()[0]
        assert first in _LONG_ENGLISH.split() + ["The", "It"], t[:40]
        assert not t.startswith("s to ensure")
