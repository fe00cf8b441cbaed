"""Query terms, the library's own glossary, and passage features."""

from __future__ import annotations

from kb.search.candidates import PASSAGE_FEATURES, Candidate, Listing, Spread, passage_features
from kb.search.glossary import Glossary
from kb.store.dense import Scale
from kb.store.lexical import LexicalIndex

from .conftest import chunk, make_query


def test_terms_are_translated_into_the_library_s_words(chunks, lexical: LexicalIndex) -> None:
    q = make_query("How many performers did the strike represent?", lexical)
    assert {t.text for t in q.terms.terms} >= {"performers", "strike"}
    assert q.terms.coverage(chunks[2].text) == 1.0
    zh = make_query("罢工有多少人？", lexical)
    assert any("strike" in t.alternatives for t in zh.terms.terms)  # through CC-CEDICT, kept: in the corpus


def test_the_glossary_pairs_terms_the_documents_state() -> None:
    g = Glossary.build(["其中最具有代表性的是生成对抗网络(GAN)和变分自编码器(VAE)。",
                        "Generative adversarial networks (生成对抗网络) learn by competing.",
                        "Deloitte (“德勤”)泛指一家或多家德勤有限公司", "狮门影业（Lion Gate）正是这一趋势的先行者之一"])
    assert g.en2zh["deloitte"] == {"德勤"} and g.en2zh["lion gate"] == {"狮门影业"}
    assert g.en2zh["vae"] == {"变分自编码器"} and g.en2zh["gan"] == {"生成对抗网络"}
    assert g.en2zh["generative adversarial networks"] == {"生成对抗网络"}
    assert g.english_terms("how do generative adversarial networks work".split()) == {
        "generative adversarial networks": {"生成对抗网络"}}


def test_a_question_uses_the_glossary(chunks, lexical: LexicalIndex) -> None:
    g = Glossary.build([chunks[1].text])
    q = make_query("What is a VAE?", lexical, g)
    vae = next(t for t in q.terms.terms if t.text == "vae")
    assert "变分自编码器" in vae.alternatives
    assert q.terms.coverage(chunks[1].text) > 0


def test_passage_features_are_scale_free(chunks, lexical: LexicalIndex) -> None:
    q = make_query("How many performers did the strike represent?", lexical)
    c = Candidate(chunks[2], 2, lexical.norms[2], dense={"main": Listing(0.85, 0), "use": Listing(0.6, 1)})
    spreads = {"main": {"en": Spread(0.85, 0.8, 0.05, Scale(0.7, 0.05))},
               "use": {"en": Spread(0.7, 0.5, 0.1, Scale(0.2, 0.1))}}
    f = passage_features(c, q, spreads)
    assert set(PASSAGE_FEATURES) <= set(f)
    assert f["dense_gap"] == 0.0 and round(f["dense_lib_z"], 6) == 3.0 and round(f["use_gap"], 6) == -0.1
    assert f["cross"] == 0.0 and f["coverage"] == 1.0


def test_an_abbreviation_the_dictionary_spells_out_is_a_translation() -> None:
    from kb.search.bilingual import acronyms, dictionary

    assert acronyms("artificial intelligence (AI)") == ["ai"]
    assert acronyms("Shanghai University of Finance and Economics (SUFE)") == ["sufe"]
    assert acronyms("san'ao decoction (TCM)") == []  # a label, not the gloss's initials
    assert acronyms("AAA battery (PRC)") == []
    assert "人工智能" in dictionary().english_to_chinese("AI")
    assert "ai" in dictionary().chinese_to_english("人工智能")


def test_each_sense_of_a_gloss_translates() -> None:
    from kb.search.bilingual import dictionary

    # 支出 is glossed "to spend; to pay out": "spending" reaches it through the first sense.
    assert "支出" in dictionary().english_to_chinese("spending")
    # The other way only whole glosses count ("expenditure"), not each sense's words.
    assert "spend" not in dictionary().chinese_to_english("支出")
    assert "expenditure" in dictionary().chinese_to_english("支出")


def test_a_word_the_library_uses_in_another_form_is_not_unseen() -> None:
    from kb.search.query import analyse

    notes = LexicalIndex.build([chunk(0, "d", "en", "The museum opens at 9:30 and closes at 17:00.")])
    assert analyse("When does the museum close?", notes).unseen_share == 0.0  # "close": the library says "closes"
    assert analyse("When does the museum burn?", notes).unseen_share > 0.5
