"""A question as every stage reads it: the ``Query`` is made once per question and handed down.

It carries the text as typed and in matching form, its language, its weighted terms with their
translations into the other language, its mistyped English words read as meant, what kind of
answer it asks for, every encoder's vector of it (of the text as meant), and the one library view
every step of this question reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..common_words import is_english_word
from ..lexicon import TYPE_WORDS
from ..store.dense import LANGS, Scale
from ..store.lexical import LexicalIndex
from ..store.view import LibraryView
from ..text import CJK_RE, ZH_STOPWORDS, detect_lang, jieba_tokenizer, normalize, words
from .answer_type import counted_noun, expected_type
from .bilingual import MONTHS, base_forms, dictionary
from .glossary import Glossary

_WORD_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9.%'\-]*")
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)?%?")

_MAX_TRANSLATIONS = 3
# Words the asker put in quotation marks are the ones they want found as written.
_QUOTED_RE = re.compile(r"[“\"「『‘]([^”\"」』’]{2,40})[”\"」』’]")
_QUOTED_BOOST = 2.0


@dataclass
class Term:
    text: str
    weight: float
    alternatives: frozenset[str]
    parts: frozenset[str] = frozenset()  # a Chinese compound's words ("视频工具": 视频, 工具)
    own: frozenset[str] = frozenset()  # the alternatives in the question's own language


@dataclass
class QueryTerms:
    lang: str
    words: list[str]
    translated: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    unseen_share: float = 0.0  # weight of question terms that occur nowhere in the corpus
    corrections: dict[str, str] = field(default_factory=dict)  # a mistyped word -> the word meant

    def coverage(self, text: str, norm: str | None = None, translations: bool = True) -> float:
        """IDF-weighted share of the question's terms that a passage contains, in either language.

        Chinese terms match as substrings (segmentation differs between question and passage);
        English terms match as words, or by their base form. ``norm`` is ``normalize(text)`` when
        the caller has it already; ``translations=False`` counts only the question's own words.
        """
        total = sum(t.weight for t in self.terms)
        if not total:
            return 0.0
        norm = normalize(text) if norm is None else norm
        hit = self._covered(norm, translations)
        # A compound the passage never writes whole ("视频工具" vs "AI工具…视频创作") counts half
        # when all its words are there: segmentation, not meaning, split them.
        half = sum(0.5 * t.weight for i, t in enumerate(self.terms)
                   if i not in hit and t.parts and all(p in norm for p in t.parts))
        return (sum(self.terms[i].weight for i in hit) + half) / total

    def covered(self, text: str, norm: str | None = None) -> set[int]:
        """Indexes of the terms a passage contains."""
        return self._covered(normalize(text) if norm is None else norm)

    def _covered(self, norm: str, translations: bool = True) -> set[int]:
        return set(self.held(norm, translations))

    def held(self, norm: str, translations: bool = True) -> dict[int, list[str]]:
        """The terms a text (in matching form) contains, each with the forms it holds them in: the
        word itself, a base form, a translation ("人口" held as "people")."""
        # A word that ends a sentence keeps no full stop ("performers." is "performers").
        toks = {t.rstrip(".'-") for t in _WORD_TOKEN_RE.findall(norm)}
        toks |= {f for tok in toks for f in base_forms(tok)}
        out = {}
        for i, t in enumerate(self.terms):
            forms = t.alternatives if translations else t.own
            found = [a for a in forms if ((a in toks) if a.isascii() else (a in norm))]
            if found:
                out[i] = found
        return out

    def key_terms(self, n: int = 3) -> list[int]:
        """The ``n`` rarest question terms that are not the asked-for kind ("old"): the names and subjects."""
        subject = [i for i, t in enumerate(self.terms) if t.text not in TYPE_WORDS] or list(range(len(self.terms)))
        return sorted(subject, key=lambda i: -self.terms[i].weight)[:n]

    def key_coverage(self, text: str, n: int = 3, norm: str | None = None) -> float:
        """Share of the ``n`` rarest question terms a passage contains."""
        if not self.terms:
            return 0.0
        key = self.key_terms(n)
        hit = self.covered(text, norm)
        return sum(self.terms[i].weight for i in key if i in hit) / sum(self.terms[i].weight for i in key)


@dataclass
class Query:
    """One question, analysed once: every stage reads this and nothing recomputes it."""

    text: str  # as typed (full-width digits made ASCII, trimmed)
    norm: str  # the matching form (``normalize``)
    lang: str
    terms: QueryTerms
    vectors: dict[str, np.ndarray]  # encoder name -> unit vector of the question as meant (typos mended)
    view: LibraryView
    doc_ids: frozenset[str] | None = None
    wanted: str | None = None  # the kind of answer asked for: number, date, percent, money, duration...
    counted: int | None = None  # the term a "how many X" question counts
    numbers: frozenset[str] = frozenset()  # numbers the question itself names
    scales: dict[str, dict[str, Scale]] = field(default_factory=dict)  # encoder -> language -> library-wide scale


def make_query(text: str, view: LibraryView, embed: Callable[[str], dict[str, np.ndarray]],
               doc_ids: frozenset[str] | None = None) -> Query:
    """``embed`` gives every encoder's vector of a text: the question's, with its mistyped words
    read as meant (``QueryTerms.corrections``), so that the encoders find what the words do."""
    norm = normalize(text)
    terms = analyse(text, view.lexical, view.glossary)
    meant = corrected(text, terms.corrections)
    vectors = embed(meant)
    meant_norm = normalize(meant) if terms.corrections else norm
    wanted = expected_type(meant_norm)
    counted = _counted_term(meant_norm, terms) if wanted == "number" else None
    scales = {name: {lang: index.scale(vectors[name], lang) for lang in LANGS}
              for name, index in view.indexes() if name in vectors}
    return Query(text, norm, terms.lang, terms, vectors, view, doc_ids, wanted, counted,
                 frozenset(_NUM_RE.findall(norm)), scales)


def analyse(question: str, index: LexicalIndex, glossary: Glossary | None = None,
            correct: bool = True) -> QueryTerms:
    """The question's weighted terms with their translations. ``correct=False`` reads every word as
    written (a reply's claims, checked against its quotes, are not a reader's hurried typing)."""
    lang = detect_lang(question)
    qwords = words(question)
    q = QueryTerms(lang=lang, words=qwords)
    d = dictionary()
    seen: set[str] = set()
    stated = _glossary_translations(normalize(question), glossary) if glossary else {}
    # Terms are words, not the character bigrams BM25 also indexes: a bigram like "的文" is
    # noise for judging whether a sentence answers the question.
    segmented = {w for w in jieba_tokenizer().lcut(normalize(question)) if w not in ZH_STOPWORDS}
    term_words = [w for w in qwords if not CJK_RE.match(w) or w in segmented]
    quoted = [normalize(m.group(1)) for m in _QUOTED_RE.finditer(question)]
    for w in dict.fromkeys(term_words):
        if w in seen:
            continue
        seen.add(w)
        alts = ({w} | set(_translate(w, d, index)) | set(base_forms(w) if w.isascii() else [])
                | stated.get(w, set()))
        in_quotes = any((w in span.split()) if w.isascii() else (w in span) for span in quoted)
        fixed = _corrected(w, alts, d, index) if correct and not in_quotes else None
        if fixed is not None:  # read as the word meant, with its translations and the library's pairs
            q.corrections[w] = fixed
            alts |= {fixed, *base_forms(fixed), *_translate(fixed, d, index)}
            if glossary:
                alts |= _glossary_translations(fixed, glossary).get(fixed, set())
        q.translated.extend(a for a in alts if a not in (w, fixed))
        # A mistyped word weighs as the word meant: unseen, it would weigh as the rarest word there is.
        weight = index.weight(fixed or w) * (_QUOTED_BOOST if in_quotes else 1.0)
        own = {a for a in alts if a.isascii() == w.isascii()}
        q.terms.append(Term(w, weight, frozenset(alts), _compound_parts(w), frozenset(own)))
    # The library is searched for the words meant, as the question's own ("Delotite" as Deloitte).
    q.words = [q.corrections.get(w, w) for w in qwords]
    total = sum(t.weight for t in q.terms)
    if total:
        stems = _library_stems(index)
        q.unseen_share = sum(t.weight for t in q.terms
                             if not any(a in index.idf or a in stems for a in t.alternatives)) / total
    return q


def _library_stems(index: LexicalIndex) -> frozenset[str]:
    """Once per view: a question's "close" is a word a library that only says "closes" uses. Without
    it a small library counted most of an English question's words as never used, and refused."""
    if index.english_stems is None:
        index.english_stems = frozenset(f for w in index.idf if w.isascii() for f in base_forms(w)[1:])
    return index.english_stems


def _glossary_translations(norm: str, glossary: Glossary) -> dict[str, set[str]]:
    """Question word -> translations the library's own term pairs give (for every word of a term)."""
    out: dict[str, set[str]] = {}
    latin = _WORD_TOKEN_RE.findall(norm)
    for term, zh_terms in glossary.english_terms(latin).items():
        for w in term.split():
            out.setdefault(w, set()).update(zh_terms)
    for zh_term, en_terms in glossary.zh2en.items():
        if zh_term in norm:
            en_words = {e for t in en_terms for e in t.split()}
            for w in [zh_term, *jieba_tokenizer().lcut(zh_term)]:
                out.setdefault(w, set()).update(en_words)
    return out


def _counted_term(question: str, terms: QueryTerms) -> int | None:
    """Index of the query term a "how many X" question counts."""
    noun = counted_noun(question)
    if not noun:
        return None
    for i, term in enumerate(terms.terms):
        if term.text == noun or (not noun.isascii() and len(term.text) >= 2 and noun.startswith(term.text)):
            return i
    return None


def _compound_parts(word: str) -> frozenset[str]:
    if len(word) < 4 or not CJK_RE.match(word):
        return frozenset()
    return frozenset(p for p in jieba_tokenizer().cut_for_search(word) if len(p) >= 2 and p != word)


def corrected(text: str, corrections: dict[str, str]) -> str:
    """``text`` with each mistyped word replaced by the word meant, in the case it was typed in
    ("Delotite" -> "Deloitte"). A word is whole when no letter or digit touches it: ``\\b`` would
    not see the edge between a Latin word and a Chinese character ("Delotite预测"), both being word
    characters to Python."""
    for typed, meant in corrections.items():
        def in_case(m: re.Match[str], meant: str = meant) -> str:
            return _in_case_of(m.group(0), meant)

        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(typed)}(?![A-Za-z0-9])", in_case, text, flags=re.IGNORECASE)
    return text


def _in_case_of(typed: str, meant: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return meant.upper()
    return meant[:1].upper() + meant[1:] if typed[:1].isupper() else meant


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_MIN_TYPO_LEN = 5  # shorter words are too often another real word one letter away
_MAX_TYPO_LEN = 20  # past this a "word" is a code or an address, and its edits cost too much to list
# A letter changed or added has many more outcomes than two swapped or one dropped, and in a word
# of five or six letters one of them is too often some library word the asker did not mean.
_MIN_CHANGE_LEN = 7


def _corrected(word: str, alts: set[str], d, index: LexicalIndex) -> str | None:  # type: ignore[no-untyped-def]
    """The word a mistyped English question word was meant to be ("technolgoy", "Delotite"): one
    letter swapped, dropped, added or changed away, and a word of the library, or one the dictionary
    translates into a word of the library. Only a word neither the library, the dictionary nor
    English at large knows is read so: a real word the library lacks ("Brazil", "newer", "Elway")
    stays as asked. Library words come first, the most frequent of them; then dictionary words,
    swaps first (the commonest slip). Written by hand: no spelling library ships offline with a
    vocabulary that is the library's own."""
    if not (word.isascii() and word.isalpha() and _MIN_TYPO_LEN <= len(word) <= _MAX_TYPO_LEN):
        return None
    stems = _library_stems(index)
    if any(a in index.idf or a in stems for a in alts) or d.headword_translations(word) or is_english_word(word):
        return None
    edits = _edits(word, changes=len(word) >= _MIN_CHANGE_LEN)
    # Whole library words only: a stem ("alway" of "always") is no word anyone meant.
    in_library = [e for e in edits if e in index.idf]
    if in_library:
        return min(in_library, key=lambda e: (index.weight(e), e))
    # A real English word ("embracing", not "submiting" of "submit") translated into the library.
    return next((e for e in edits if len(e) >= _MIN_TYPO_LEN and is_english_word(e) and _translate(e, d, index)),
                None)


def _edits(word: str, changes: bool = True) -> list[str]:
    """Every string one edit from ``word``, swaps first (Norvig's corrector); letters changed or
    added only with ``changes``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    deletes = [a + b[1:] for a, b in splits if b]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS] if changes else []
    inserts = [a + c + b for a, b in splits for c in _LETTERS] if changes else []
    return [e for e in dict.fromkeys(swaps + deletes + replaces + inserts) if e != word]


def _translate(word: str, d, index: LexicalIndex) -> list[str]:  # type: ignore[no-untyped-def]
    """Translations of one word that occur in the corpus (others cannot match anything)."""
    if word.isdigit():
        return []
    if word.isascii():
        if word in MONTHS:
            return [f"{MONTHS[word]}月"] if f"{MONTHS[word]}月" in index.idf else []
        cands = [z for z in d.english_to_chinese(word) if len(z) >= 2 and z in index.idf]
        return cands[:_MAX_TRANSLATIONS]
    if len(word) < 2:
        return []
    found = list(d.chinese_to_english(word))
    if not found and len(word) >= 4:
        for part in jieba_tokenizer().cut_for_search(word):
            if len(part) >= 2 and part != word:
                found += d.chinese_to_english(part)
    return [e for e in dict.fromkeys(found) if e in index.idf][:_MAX_TRANSLATIONS]
