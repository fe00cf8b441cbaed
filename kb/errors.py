"""The project's own exceptions; the CLI and UI turn them into short messages."""


class KBError(Exception):
    """Base class: anything a user can act on. ``str(err)`` is the message shown."""


class IngestError(KBError):
    """A file could not be ingested (unreadable, undecodable, unsupported, empty...)."""


class NotFoundError(KBError):
    """A document id or path that the knowledge base does not hold."""


class StoreError(KBError):
    """The vector store could not be opened or written."""


class QuestionError(KBError):
    """A question that cannot be answered as asked (empty, too long, no words)."""


class LLMError(KBError):
    """The configured language model failed (down, slow, HTTP error, unreadable stream)."""
