"""Greetings, thanks and small talk ("hi", "你好", "thanks", "谢谢", "what can you do?").

Such a message is not a question about the documents: searching for it quotes whatever passage
shares a word with it (a film called 《你好，李焕英》 for "你好"). It gets a short reply that says what
the library holds and how to ask. The forms are in ``kb.lexicon`` (``SMALL_TALK``).
"""

from __future__ import annotations

from collections.abc import Collection

from ..lexicon import (
    SMALL_TALK,
    SMALL_TALK_EMPTY,
    SMALL_TALK_EXAMPLE,
    SMALL_TALK_REPLY,
    SMALL_TALK_THANKED,
    THANKS,
    compiled,
)
from ..records import Answer, DocumentInfo
from ..text import normalize

_SMALL_TALK_RE = compiled(SMALL_TALK)
_SHOWN = 3  # titles named in the reply

def is_small_talk(text: str) -> bool:
    return bool(_SMALL_TALK_RE.match(normalize(text)))


def small_talk_reply(text: str, lang: str, documents: Collection[DocumentInfo]) -> Answer:
    """What the library holds and how to ask (or "you're welcome" to thanks)."""
    lang = lang if lang in SMALL_TALK_REPLY else "en"
    if any(t in normalize(text) for t in THANKS):
        return Answer(SMALL_TALK_THANKED[lang], [], lang, False, mode="small_talk")
    if not documents:
        return Answer(SMALL_TALK_EMPTY[lang], [], lang, False, mode="small_talk")
    titles = [d.title or d.name for d in sorted(documents, key=lambda d: d.ingested_at, reverse=True)][:_SHOWN]
    listed = ("（" + "、".join(f"《{t}》" for t in titles) + ("等" if len(documents) > _SHOWN else "") + "）"
              if lang == "zh" else " (" + "; ".join(titles) + ("; …" if len(documents) > _SHOWN else "") + ")")
    example = SMALL_TALK_EXAMPLE[lang].format(title=titles[0])
    return Answer(SMALL_TALK_REPLY[lang].format(n=len(documents), titles=listed, example=example), [], lang, False,
                  mode="small_talk")
