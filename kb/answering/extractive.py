"""The default, LLM-free answer: the sentences that best answer the question, with citations.

Which sentence answers, and whether any does, are decided by fitted models (``kb.fitted``) over
the features of ``kb.evidence``; a sentence that needs its neighbour to make sense (after a
colon, a reply that refers back, a pronoun whose subject is in the sentence before) brings it
along. Numbers of markers follow first use.
"""

from __future__ import annotations

from ..fitted import AnswerLength, Weights
from ..lexicon import CONTINUES, LEAD_FOREIGN, REFUSAL, compiled
from ..records import Answer, Citation, Hit
from ..search.query import Query
from ..text import detect_lang, flat, sentences_of
from ..tuning import CHARS_PER_SENTENCE, NEIGHBOUR_EXTRA_CHARS, RELATED_ON_REFUSAL
from .boilerplate import without_inline_credit, without_link_note
from .boxes import fires_any
from .distant import distant
from .evidence import (
    ANAPHORA_RE,
    Sentence,
    answer_features,
    candidate_sentences,
    generic_match,
    subject_missing,
    unrelated,
)

_CONTINUES_RE = compiled(CONTINUES)


def compose(q: Query, hits: list[Hit], weights: Weights, memo: dict[str, list[Sentence]] | None = None) -> Answer:
    ranked, why = decided(q, hits, weights, memo)
    if not ranked:
        return refusal(q.lang, [], [])
    if why is not None:
        # The nearest passages are worth a look where the library holds the topic and lacks the fact;
        # not for "subject": their passages are about someone else, whose value is the near miss.
        return refusal(q.lang, hits if why == "fact" else [], ranked)
    return render(q.lang, quoted(ranked, hits, AnswerLength.of(weights)), hits)


def decided(q: Query, hits: list[Hit], weights: Weights, memo: dict[str, list[Sentence]] | None = None
            ) -> tuple[list[Sentence], str | None]:
    """The ranked sentences and why the question is refused (``refused_for``; None: answered). What
    ``compose`` decides before choosing what to quote, which the length fit reuses for every setting."""
    ranked = rank_sentences(q, hits, weights, memo)
    return ranked, (refused_for(q, hits, ranked, weights) if ranked else "no sentence")


def quoted(ranked: list[Sentence], hits: list[Hit], length: AnswerLength) -> list[Sentence]:
    """The sentences an answer quotes, in reading order: the best, then each further one whose
    probability reaches ``extra_ratio`` of the best's, up to ``max_sentences`` (all three fitted,
    ``evals.fitting.fit_answer_length``), with the neighbours they need.

    A further sentence from another document than the best's, or in another language, must reach
    ``other_ratio``: it rarely completes the answer, and when it does not, it reads as padding from
    elsewhere ("Do I need a CLA?" answered, then a Chinese law's article on infrastructure). Fitted
    on the benchmarks, it quotes a tenth fewer sentences for the same keywords (docs/quality.md).
    A further sentence holding none of the question's words must reach ``wordless_floor`` of the
    second encoder's similarity: else only its passage and its place in it had ranked it.
    """
    best = ranked[0]
    max_chars = CHARS_PER_SENTENCE * length.max_sentences
    best_doc = hits[best.hit_index].meta.doc_id
    chosen = [best]
    for s in ranked[1:]:
        if len(chosen) >= length.max_sentences or s.prob < length.extra_ratio * best.prob:
            break
        elsewhere = s.lang != best.lang or hits[s.hit_index].meta.doc_id != best_doc
        if elsewhere and s.prob < length.other_ratio * best.prob:
            continue
        if s.coverage == 0 and s.features.get("use", 0.0) < length.wordless_floor:
            continue
        if sum(len(c.text) for c in chosen) + len(s.text) > max_chars or s.text in {c.text for c in chosen}:
            continue
        chosen.append(s)
    chosen = _with_neighbours(chosen, hits, max_chars)
    # Read in document order within a passage, passages in order of first choice.
    first = {hi: i for i, hi in reversed(list(enumerate(c.hit_index for c in chosen)))}
    chosen.sort(key=lambda c: (first[c.hit_index], c.position))
    return chosen


def refusal(lang: str, hits: list[Hit], ranked: list[Sentence]) -> Answer:
    """"Not in the library", with the nearest passages of ``hits`` that have a sentence holding some of
    the question's words, best first (``Answer.related``), each with the sentence holding most of its
    key words (names and subjects) marked: a reader sees what the library says on the subject and can
    check it. Not the sentence the models liked best, and never one offering a value of the kind
    asked for: refused, it may be the near miss itself, another person's age for "How old is X?"."""
    def held(s: Sentence) -> tuple[float, float]:
        return s.features.get("key_cov", 0.0), s.coverage

    best: dict[int, Sentence] = {}
    for s in ranked:  # best first: the likelier of two that hold as much wins
        if s.coverage > 0 and not s.typed and (s.hit_index not in best or held(s) > held(best[s.hit_index])):
            best[s.hit_index] = s
    nearest = {i: s.text for i, s in best.items()}
    shown = [i for i in range(len(hits)) if i in nearest][:RELATED_ON_REFUSAL]
    related = [Citation.from_hit(n, hits[i], [nearest[i]]) for n, i in enumerate(shown, start=1)]
    return Answer(REFUSAL[lang], [], lang, True, related=related)


def rank_sentences(
    q: Query, hits: list[Hit], weights: Weights, memo: dict[str, list[Sentence]] | None = None
) -> list[Sentence]:
    sents = candidate_sentences(q, hits, memo)
    model = weights.pick(weights.sentence, q.lang)
    for s, p in zip(sents, model.probs([s.features for s in sents]), strict=True):
        s.prob = float(p)
    return sorted(sents, key=lambda s: (-s.prob, s.hit_index, s.position))


def refused_for(q: Query, hits: list[Hit], ranked: list[Sentence], weights: Weights) -> str | None:
    """None when the library holds the question's topic and the best sentence its fact, each by the
    threshold fitted for this language pair; else why not: "unrelated" (the evidence gates), "topic"
    (the library lacks the subject), "subject" (a value of someone the passage never names) or
    "fact" (the subject is there, the asked-for fact is not)."""
    return refusal_reason(answer_features(q, hits, ranked), q.lang, ranked[0].lang, weights)


def refusal_reason(features: dict[str, float], q_lang: str, a_lang: str, weights: Weights) -> str | None:
    """``refused_for`` on answer features already computed (a question in ``q_lang`` whose best
    sentence is in ``a_lang``): what measurements over collected features decide with."""
    if unrelated(features, weights.evidence_floor, weights.evidence_ceiling) \
            or fires_any(generic_match, features, weights.generic_gate_for(q_lang, a_lang)) \
            or fires_any(distant, features, weights.distant_gate_for(q_lang, a_lang)):
        return "unrelated"
    if weights.topic and weights.pick(weights.topic, q_lang).prob(features) < weights.topic_threshold(q_lang, a_lang):
        return "topic"
    if subject_missing(features, weights.subject_gate):
        return "subject"
    return None if weights.pick(weights.answer, q_lang).prob(features) >= weights.threshold(q_lang, a_lang) else "fact"


def _with_neighbours(chosen: list[Sentence], hits: list[Hit], max_chars: int) -> list[Sentence]:
    """Add the sentence that completes a chosen one, or the one it points back to.

    After a colon the list item says what the sentence announces; "对此，Demi 认为……" carries the
    answer to the concern stated just before it; "He is also the oldest quarterback…" names its
    subject in the sentence before. None of these shares words with the question, so scoring
    alone never picks them.
    """
    out = list(chosen)
    for s in chosen:
        sents = [without_link_note(t.strip()) for t in sentences_of(hits[s.hit_index].text)]
        extra: tuple[int, str] | None = None
        following = sents[s.position + 1:]
        announces = s.text.rstrip().endswith((":", "："))
        if following and len(following[0]) >= 6 and (announces or _CONTINUES_RE.match(following[0])):
            extra = (s.position + 1, following[0])
        elif ANAPHORA_RE.match(s.text) and s.position > 0:
            extra = (s.position - 1, sents[s.position - 1])
        added = extra is not None and extra[0] not in hits[s.hit_index].meta.furniture_positions \
            and (any(c.text == extra[1] for c in out)
                 or sum(len(c.text) for c in out) + len(extra[1]) <= max_chars + NEIGHBOUR_EXTRA_CHARS)
        if extra is not None and added and not any(c.text == extra[1] for c in out):
            out.append(Sentence(s.hit_index, extra[0], extra[1], detect_lang(extra[1]), 0.0, False))
        elif announces and not added and s is not chosen[0]:
            # "A significant subset of Hollywood is concerned that:" at a passage's end, its list
            # not shown, tells a reader nothing; the best sentence stays whatever it ends with.
            out.remove(s)
    return out


def render(q_lang: str, chosen: list[Sentence], hits: list[Hit]) -> Answer:
    """The answer text with one ``[n]`` after each run of sentences from the same passage."""
    numbers: dict[int, int] = {}
    highlights: dict[int, list[str]] = {}
    parts: list[str] = []
    previous_lang = q_lang
    for i, s in enumerate(chosen):
        n = numbers.setdefault(s.hit_index, len(numbers) + 1)
        highlights.setdefault(s.hit_index, []).append(s.text)
        text = without_inline_credit(flat(s.text))
        if s.lang != q_lang:
            quoted = "“" + text + "”" if q_lang == "zh" else f'"{text}"'
            # One lead-in for a run of quoted sentences in the other language.
            text = quoted if previous_lang == s.lang else LEAD_FOREIGN[(q_lang, s.lang)] + quoted
        previous_lang = s.lang
        last_of_run = i + 1 == len(chosen) or chosen[i + 1].hit_index != s.hit_index
        if last_of_run:
            text += f" [{n}]" if q_lang == "en" else f"[{n}]"
        parts.append(text)
    joiner = " " if q_lang == "en" else ""
    citations = [Citation.from_hit(n, hits[i], highlights[i]) for i, n in sorted(numbers.items(), key=lambda kv: kv[1])]
    return Answer(joiner.join(parts), citations, q_lang, False)
