"""The server's listening socket, taken before anything slow loads (the library, the embedding
model, Gradio): a busy port is then said in a second, not after twenty. Imports only ``socket``."""

from __future__ import annotations

import errno
import socket


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (uvicorn listens on it); ``OSError`` if that is impossible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def why_not(exc: OSError, host: str, port: int) -> str:
    """One short sentence for a failed ``bind``, with what to do instead."""
    if exc.errno == errno.EADDRINUSE:
        free = next((p for p in range(port + 1, min(port + 50, 65536)) if _free(host, p)), None)
        return f"port {port} is in use on {host}; " + (f"try --port {free}" if free else "choose another with --port")
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights; use one above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; use --host 127.0.0.1 or 0.0.0.0"
    return f"cannot listen on {host}:{port} ({exc.strerror or exc})"


def _free(host: str, port: int) -> bool:
    try:
        bind(host, port).close()
    except OSError:
        return False
    return True
