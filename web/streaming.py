"""How an answer is cut for streaming, the same in the chat UI and the OpenAI-compatible API."""

from __future__ import annotations

import re

# Up to and including a citation marker ("…[2]"), a sentence end followed by a space or the end
# ("…。", "… so." but not "3.5"), or the end of the text.
_PIECE_RE = re.compile(r".+?(?:\[\d+\]|[。！？.!?](?=\s|$)|$)", re.S)


def stream_pieces(text: str) -> list[str]:
    """``text`` in the pieces it is sent in, in order; joined, they give ``text`` back ([] for "")."""
    return [piece for piece in _PIECE_RE.findall(text) if piece]
