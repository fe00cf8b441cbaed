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
    """The configured language model failed (down, slow, HTTP error, unreadable stream).

    Carries the message in Chinese too: it is shown to the user beside a Chinese answer.
    """

    def __init__(self, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        self.message_zh = message_zh or message

    def in_language(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else str(self)
