"""The project's own exceptions; the CLI and UI turn them into short messages."""


class KBError(Exception):
    """Base class: anything a user can act on. ``str(err)`` is the message shown."""


class IngestError(KBError):
    """A file could not be ingested (unreadable, undecodable, unsupported, empty...).

    ``code`` names the reason and ``params`` fill in its details, so a reader in another language
    gets the reason in theirs (the UI's tables); ``str(err)`` stays the English sentence.
    """

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = {key: str(value) for key, value in params.items()}


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
