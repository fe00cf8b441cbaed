"""``KB_API_KEYS``: who may call the APIs, and which libraries each key may see.

Syntax: keys separated by commas; a key may be followed by ``:`` and the libraries it is limited
to, joined by ``+``::

    KB_API_KEYS="team-key, research-key:research, audit-key:research+finance"

``team-key`` sees every library; ``research-key`` only ``research``. For a limited key the other
libraries do not exist: ``/v1/models`` lists only its own, and asking another answers 404 as for
an unknown one. A key may hold neither ``,`` nor ``:``. Parsed once, when the server starts; a
mistake is reported without repeating the key (it is a secret).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from kb.errors import KBError
from kb.settings import LIBRARY_PATTERN


@dataclass(frozen=True)
class ApiKey:
    secret: bytes
    libraries: frozenset[str] | None = None  # None: every library

    def matches(self, given: str) -> bool:
        return hmac.compare_digest(given.strip().encode(), self.secret)

    def sees(self, library: str) -> bool:
        return self.libraries is None or library in self.libraries


def parse_api_keys(raw: str) -> list[ApiKey]:
    """The keys of ``KB_API_KEYS``; ``KBError`` naming the key by position when one is malformed."""
    keys = []
    for position, part in enumerate((p.strip() for p in raw.split(",")), start=1):
        if not part:
            continue
        secret, colon, listed = part.partition(":")
        secret = secret.strip()
        if not secret:
            raise KBError(f"KB_API_KEYS: key {position} is empty before its ':'; write KEY:library+library")
        if not colon:
            keys.append(ApiKey(secret.encode()))
            continue
        names = [n.strip() for n in listed.split("+")]
        if not all(re.match(LIBRARY_PATTERN, n) for n in names):
            raise KBError(f"KB_API_KEYS: the libraries after key {position}'s ':' are not library names "
                          "(lower-case letters, digits, - and _, joined by +, e.g. KEY:research+finance)")
        keys.append(ApiKey(secret.encode(), frozenset(names)))
    return keys
