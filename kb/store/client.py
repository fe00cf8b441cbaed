"""Connections to Chroma: the embedded store in the data folder, or a server (``KB_CHROMA_URL``),
and the list of libraries either holds."""

from __future__ import annotations

from typing import Any

from ..errors import StoreError
from ..settings import Settings

REGISTRY_SUFFIX = "__docs"  # a library's document registry is the collection "<name>__docs"


def connect(settings: Settings) -> Any:
    """The Chroma client the settings point at: a server's, or the embedded store's (created)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    if settings.chroma_url:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir),
                                     settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


def library_names(settings: Settings) -> list[str]:
    """The libraries stored where the settings point (each is a collection plus its registry)."""
    if not settings.chroma_url and not (settings.chroma_dir / "chroma.sqlite3").exists():
        return []
    try:
        names = {c.name for c in connect(settings).list_collections()}
    except Exception as exc:  # noqa: BLE001 - chromadb raises its own hierarchy plus Rust errors
        raise StoreError(f"cannot list the libraries in {settings.chroma_url or settings.chroma_dir}: {exc}") from exc
    base, out = settings.collection, []
    for name in names:
        if name.endswith(REGISTRY_SUFFIX) or name + REGISTRY_SUFFIX not in names:
            continue  # a registry, or something that is not one of our libraries
        if name == base:
            out.append("default")
        elif name.startswith(base + "."):
            out.append(name[len(base) + 1:])
    return sorted(out)


def _http_client(settings: Settings) -> Any:
    """A client for a Chroma server, after a bounded reachability check (never a hang)."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlparse

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = (settings.chroma_url or "").rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise StoreError(f"KB_CHROMA_URL must look like http://host:port, not '{url}'")
    headers = {}
    if settings.chroma_token is not None:
        headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
    try:
        req = urllib.request.Request(url + "/api/v2/heartbeat", headers=headers)
        with urllib.request.urlopen(req, timeout=settings.chroma_timeout):
            pass
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the Chroma server at {url} ({reason}); is it running?") from exc
    return chromadb.HttpClient(
        host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
        ssl=parsed.scheme == "https", headers=headers, tenant=settings.chroma_tenant,
        database=settings.chroma_database, settings=ChromaSettings(anonymized_telemetry=False),
    )
