"""An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp, hosted APIs), streamed.

Every failure becomes an ``LLMError`` whose message names the endpoint and what went wrong,
never the API key or the server's reply body (a server may echo the key back in it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import LLMError
from ..settings import Settings


class ChatModel:
    """Streams chat completions; one client per knowledge base, no retries (the fallback is instant)."""

    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        if not settings.llm_base_url:
            raise LLMError("KB_LLM_BASE_URL is not set")
        self.url = settings.llm_base_url.rstrip("/")
        self.model = settings.llm_model
        self.timeout = settings.llm_timeout
        self.temperature = settings.llm_temperature
        self.max_tokens = settings.llm_max_tokens
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        self._secret = key
        self._client = OpenAI(
            base_url=self.url, api_key=key, max_retries=0, timeout=self.timeout,
        )

    def stream(self, messages: list[dict[str, str]], max_tokens: int | None = None) -> Iterator[str]:
        """Yield the reply's text as it arrives."""
        try:
            reply: Any = self._client.chat.completions.create(
                model=self.model, messages=messages, stream=True,  # type: ignore[arg-type]
                temperature=self.temperature, max_tokens=max_tokens or self.max_tokens,
            )
            for chunk in reply:
                choices = getattr(chunk, "choices", None) or []
                if not choices:
                    continue
                delta = getattr(choices[0], "delta", None)
                text = getattr(delta, "content", None)
                if text:
                    yield text
        except LLMError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of a remote model means: fall back
            raise self._describe(exc) from None

    def check(self) -> None:
        """Raise ``LLMError`` when the endpoint cannot be reached (a quick look at start-up)."""
        import openai

        try:
            self._client.with_options(timeout=min(self.timeout, 5.0)).models.list()
        except openai.NotFoundError:
            return  # some servers do not list models; they answered, which is what we ask
        except Exception as exc:  # noqa: BLE001 - reported as a warning, answers fall back anyway
            raise self._describe(exc) from None

    def complete(self, messages: list[dict[str, str]], max_tokens: int = 200) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens))

    def _describe(self, exc: Exception) -> LLMError:
        import openai

        kind = type(exc).__name__  # the transport's own errors surface raw while a stream is read
        url = _public(self.url)
        where = f"the language model at {url}"
        if isinstance(exc, openai.APITimeoutError) or "Timeout" in kind:
            en = f"{where} did not answer within {self.timeout:g} s"
            zh = f"{url} 上的语言模型在 {self.timeout:g} 秒内没有回应"
        elif isinstance(exc, openai.APIStatusError):
            code = exc.status_code
            hint_en, hint_zh = "", ""
            if code in (401, 403):
                hint_en, hint_zh = " (check KB_LLM_API_KEY)", "（请检查 KB_LLM_API_KEY）"
            elif code == 404:
                hint_en = f" (check KB_LLM_MODEL={self.model} and the URL, which usually ends in /v1)"
                hint_zh = f"（请检查 KB_LLM_MODEL={self.model} 和地址，地址通常以 /v1 结尾）"
            en = f"{where} answered with HTTP {code}{hint_en}"
            zh = f"{url} 上的语言模型返回了 HTTP {code}{hint_zh}"
        elif isinstance(exc, openai.APIConnectionError) or "Connect" in kind or "Protocol" in kind:
            en, zh = f"cannot reach {where}", f"无法连接 {url} 上的语言模型"
        else:
            en = f"{where} sent a reply that could not be read ({kind})"
            zh = f"{url} 上的语言模型的回复无法解析（{kind}）"
        if self._secret:
            en, zh = en.replace(self._secret, "***"), zh.replace(self._secret, "***")
        return LLMError(en, zh)


def _public(url: str) -> str:
    """The URL without credentials or query string, safe to show and log."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else url.split("?")[0]
