"""Term pairs the library itself states: "变分自编码器 (VAE)", "generative adversarial network (生成对抗网络)".

CC-CEDICT misses most technical terms and names. Documents that introduce a term often give its
translation or abbreviation in brackets right after it; those pairs, collected from the library's
own text when its view is built, translate a question's words the way its documents do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..text import ZH_STOPWORDS, jieba_tokenizer, normalize

_QUOTE = r"[“”\"「」『』‘’']?"
_ZH_THEN_EN = re.compile(rf"([\u4e00-\u9fff]{{2,16}}){_QUOTE}\s*[（(]\s*{_QUOTE}([a-z][a-z0-9 .'\-]{{1,48}}?){_QUOTE}"
                         r"\s*[,，;；)）]")
_EN_THEN_ZH = re.compile(rf"\b([a-z][a-z0-9'\-]*(?: [a-z][a-z0-9'\-]*){{0,4}}){_QUOTE}\s*[（(]\s*{_QUOTE}"
                         rf"([\u4e00-\u9fff]{{2,12}}){_QUOTE}\s*[,，;；)）]")
_MAX_ZH_WORDS = 3
_EN_SKIP = frozenset("the a an and or of in on for with by from to is are was were this that see e.g i.e".split())


@dataclass
class Glossary:
    en2zh: dict[str, set[str]] = field(default_factory=dict)  # English term (lower case, spaces) -> Chinese terms
    zh2en: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Iterable[str]) -> Glossary:
        g = cls()
        for text in texts:
            if "(" not in text and "（" not in text:
                continue
            norm = normalize(text)
            for m in _ZH_THEN_EN.finditer(norm):
                g._add(m.group(2), _term_tail(m.group(1)))
            for m in _EN_THEN_ZH.finditer(norm):
                g._add(m.group(1), m.group(2))
        return g

    def _add(self, english: str, chinese: str) -> None:
        english = " ".join(w for w in english.split() if w)
        if len(chinese) < 2 or len(english) < 2 or english in _EN_SKIP or english.isdigit():
            return
        self.en2zh.setdefault(english, set()).add(chinese)
        self.zh2en.setdefault(chinese, set()).add(english)

    def english_terms(self, words: list[str]) -> dict[str, set[str]]:
        """The glossary's English terms a question's words spell (single words and runs of up to 5)."""
        found = {}
        for size in range(1, 6):
            for i in range(len(words) - size + 1):
                term = " ".join(words[i : i + size])
                if term in self.en2zh:
                    found[term] = self.en2zh[term]
        return found


def _term_tail(run: str) -> str:
    """The term at the end of a Chinese run ("其中最具代表性的是生成对抗网络" -> "生成对抗网络")."""
    tokens = jieba_tokenizer().lcut(run)
    kept: list[str] = []
    for tok in reversed(tokens):
        if tok in ZH_STOPWORDS or len(kept) >= _MAX_ZH_WORDS:
            break
        kept.insert(0, tok)
    return "".join(kept)
