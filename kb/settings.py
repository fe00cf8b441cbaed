"""One settings object for the whole app, read from ``KB_*`` variables and an optional ``.env``.

Built once at start-up (CLI, UI, tests) and passed in; nothing reads the environment at import
time, so tests can point every instance at its own temporary data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

LIBRARY_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]{0,38}[a-z0-9])?$"


class Settings(BaseSettings):
    """Every ``KB_*`` setting. The README's configuration table lists these fields."""

    model_config = SettingsConfigDict(env_prefix="KB_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Folder for the Chroma store and derived indexes.")
    collection: str = Field(
        "knowledge_base",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,60}[A-Za-z0-9]$",
        description="Chroma collection name (3-62 letters, digits, . _ -); the registry is `<name>__docs`.",
    )
    library: str = Field(
        "default", pattern=LIBRARY_PATTERN,
        description="The library (knowledge base) commands work on; each is its own Chroma collection "
        "(lower-case letters, digits, - and _, up to 40).")
    chunk_size: int = Field(
        320, ge=80, le=1500, description="Target chunk length in characters (a few sentences)."
    )
    chunk_overlap: int = Field(
        60, ge=0, le=500, description="Characters of trailing sentences repeated at the next chunk's start."
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved and offered as citations.")
    exact_limit: int = Field(5000, ge=0, description=(
        "Up to this many chunks, dense search is an exact scan of vectors held in memory (repeatable, "
        "under a millisecond); above it, Chroma's approximate HNSW index answers."))
    embed_batch_size: int = Field(32, ge=1, le=512, description="Chunks embedded per model call.")
    min_evidence: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Probability (0-1) that the documents answer, below which the answer is a refusal; "
        "empty: the thresholds fitted per language pair (kb/weights.json).",
    )
    ocr: bool = Field(True, description="Read scanned PDF pages and images (PNG, JPEG, TIFF, WebP) with OCR "
                      "(needs the `ocr` extra).")
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this (MB) are refused at ingest.")
    host: str = Field("127.0.0.1", description="Address the chat UI binds to.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the chat UI.")
    auth: SecretStr | None = Field(None, description="`user:password` to password-protect the UI.")
    api_keys: SecretStr | None = Field(
        None, description="Comma-separated keys for the OpenAI-compatible and REST APIs (`Authorization: Bearer KEY`); "
        "without keys only this machine may use them.")
    api_open: bool = Field(False, description="Let other machines use the APIs without keys (not recommended).")
    api_full_paths: bool = Field(
        False, description="Show API callers on other machines the server's file paths (`file`, `source` in "
        "citations, search hits and document lists); by default they get the document's name, and only "
        "callers on this machine see the full path.")
    debug: bool = Field(False, description="Show Python tracebacks instead of short error messages.")
    chroma_url: str | None = Field(
        None, description="Use a Chroma server (`http://host:port`) instead of the embedded store in KB_DATA_DIR."
    )
    chroma_token: SecretStr | None = Field(None, description="Bearer token for the Chroma server, if it needs one.")
    chroma_tenant: str = Field("default_tenant", description="Chroma tenant (server mode).")
    chroma_database: str = Field("default_database", description="Chroma database (server mode).")
    chroma_timeout: float = Field(10.0, gt=0, description="Seconds to wait for the Chroma server before failing.")
    embed_url: str | None = Field(
        None, description="OpenAI-compatible embeddings endpoint (base URL, e.g. `http://host:8000/v1`)."
    )
    embed_model: str = Field("multilingual-e5-small-q4", description="Model name sent to KB_EMBED_URL.")
    embed_api_key: SecretStr | None = Field(None, description="API key for KB_EMBED_URL (sent as a Bearer token).")
    embed_query_prefix: str = Field(
        "", description="Text put before questions for KB_EMBED_URL (`query: ` for E5 models served raw)."
    )
    embed_passage_prefix: str = Field(
        "", description="Text put before passages for KB_EMBED_URL (`passage: ` for E5 models served raw)."
    )
    embed_timeout: float = Field(30.0, gt=0, description="Seconds per request to KB_EMBED_URL (3 tries).")
    st_model: str | None = Field(
        None, description="A sentence-transformers model name or path to embed with (needs that package).")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible chat endpoint (e.g. `http://localhost:11434/v1` for Ollama); "
        "when set, an LLM writes the answer from the cited passages.")
    llm_model: str = Field("qwen2.5:7b-instruct", description="Model name sent to KB_LLM_BASE_URL.")
    llm_api_key: SecretStr | None = Field(None, description="API key for KB_LLM_BASE_URL (never logged).")
    llm_timeout: float = Field(
        60.0, gt=0, description="Seconds to wait for the LLM to connect and between streamed tokens; "
        "past it the extractive answer is shown.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature for the LLM.")
    llm_max_tokens: int = Field(600, ge=16, le=8192, description="Longest LLM answer, in tokens.")

    @property
    def library_collection(self) -> str:
        """The Chroma collection of ``library``: the default library keeps the plain collection name
        (libraries made before there were several stay where they are)."""
        return self.collection if self.library == "default" else f"{self.collection}.{self.library}"

    def for_library(self, name: str) -> Settings:
        """These settings, pointed at another library (the name checked as ``KB_LIBRARY`` is)."""
        return type(self).model_validate({**self.model_dump(), "library": name})

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def feedback_file(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"


def disable_telemetry() -> None:
    """Switch off every phone-home we know of before chromadb, gradio or HF libraries load.

    ``setdefault`` keeps a value the user set on purpose.
    """
    for key, value in {
        "ANONYMIZED_TELEMETRY": "False",
        "CHROMA_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "DO_NOT_TRACK": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }.items():
        os.environ.setdefault(key, value)
