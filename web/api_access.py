"""Who may use the APIs, and errors in the shape OpenAI clients understand.

Keys (``KB_API_KEYS``) are independent of the UI's password: a script or a chat client sends
``Authorization: Bearer KEY``. Without keys, only this machine (a loopback address) may call the
APIs, unless ``KB_API_OPEN`` says otherwise; the start-up line says which applies.
"""

from __future__ import annotations

import ipaddress
from pathlib import PurePath
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from kb import Settings

from .keys import ApiKey, parse_api_keys

_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "permission_error",
          404: "invalid_request_error", 413: "invalid_request_error", 422: "invalid_request_error",
          500: "server_error"}


class ApiError(HTTPException):
    """An error answered as ``{"error": {"message", "type", "code", "param"}}`` with its status."""

    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None) -> None:
        super().__init__(status_code=status, detail=message)
        self.code = code
        self.param = param


def error_response(status: int, message: str, code: str | None = None, param: str | None = None) -> JSONResponse:
    body = {"error": {"message": message, "type": _TYPES.get(status, "invalid_request_error"), "param": param,
                      "code": code}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class ApiKeys:
    """A FastAPI dependency checking the bearer key (or, without keys, that the caller is local).

    The key that let a request in is kept on it (``request.state.api_key``): the routes ask
    ``visible`` which libraries that caller may see."""

    def __init__(self, settings: Settings) -> None:
        raw = settings.api_keys.get_secret_value() if settings.api_keys else ""
        self.keys = parse_api_keys(raw)
        self.open = settings.api_open

    def describe(self) -> str:
        if self.keys:
            limited = sum(1 for k in self.keys if k.libraries is not None)
            return (f"{len(self.keys)} API key{'s' if len(self.keys) > 1 else ''} (Bearer)"
                    + (f", {limited} limited to some libraries" if limited else ""))
        if self.open:
            return "no API keys, open to every machine that reaches this port (KB_API_OPEN)"
        return "no API keys: only this machine may use the APIs (set KB_API_KEYS to let others in)"

    def __call__(self, request: Request) -> None:
        request.state.api_key = None
        if not self.keys:
            if self.open or _loopback(request.client.host if request.client else None):
                return
            raise ApiError(401, "this server has no API keys, so only its own machine may use the API; "
                                "ask its owner to set KB_API_KEYS", code="no_api_keys")
        given = _bearer(request)
        if given is None:
            raise ApiError(401, "missing API key: send the header 'Authorization: Bearer YOUR_KEY'",
                           code="invalid_api_key")
        key = self.match(given)
        if key is None:
            raise ApiError(401, "incorrect API key provided", code="invalid_api_key")
        request.state.api_key = key

    def match(self, given: str) -> ApiKey | None:
        found = None
        for key in self.keys:  # every key compared: the time taken does not tell which one matched
            if key.matches(given) and found is None:
                found = key
        return found

    def allows(self, request: Request, library: str) -> bool:
        """Whether the request's bearer key (if any) may read ``library``: the citation routes' check."""
        given = _bearer(request)
        key = self.match(given) if given is not None else None
        return key is not None and key.sees(library)


def visible(request: Request, names: list[str]) -> list[str]:
    """The libraries the caller's key may see, of ``names`` (all of them for an unlimited key)."""
    key: ApiKey | None = getattr(request.state, "api_key", None)
    return names if key is None else [n for n in names if key.sees(n)]


def _bearer(request: Request) -> str | None:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" and given.strip() else None


def sees_full_paths(client_host: str | None, settings: Settings) -> bool:
    """Where the documents lie on the server's disk is for this machine (or everyone, with
    ``KB_API_FULL_PATHS``); another machine's caller gets the document's name."""
    return settings.api_full_paths or _loopback(client_host)


def client_host(request: Request) -> str | None:
    return request.client.host if request.client else None


def without_paths(item: dict[str, Any]) -> dict[str, Any]:
    """A citation, search hit, document or file outcome (``to_dict()``) with its paths replaced by
    the document's name (the file name where no name is known)."""
    name = str(item.get("name") or PurePath(str(item.get("file") or item.get("path") or "")).name)
    return {**item, **{key: name for key in ("file", "source", "path") if item.get(key)}}
