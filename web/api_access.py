"""Who may use the APIs, and errors in the shape OpenAI clients understand.

Keys (``KB_API_KEYS``) are independent of the UI's password: a script or a chat client sends
``Authorization: Bearer KEY``. Without keys, only this machine (a loopback address) may call the
APIs, unless ``KB_API_OPEN`` says otherwise; the start-up line says which applies.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from kb import Settings

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
    """A FastAPI dependency checking the bearer key (or, without keys, that the caller is local)."""

    def __init__(self, settings: Settings) -> None:
        raw = settings.api_keys.get_secret_value() if settings.api_keys else ""
        self.keys = [k.strip().encode() for k in raw.split(",") if k.strip()]
        self.open = settings.api_open

    def describe(self) -> str:
        if self.keys:
            return f"{len(self.keys)} API key{'s' if len(self.keys) > 1 else ''} (Bearer)"
        if self.open:
            return "no API keys, open to every machine that reaches this port (KB_API_OPEN)"
        return "no API keys: only this machine may use the APIs (set KB_API_KEYS to let others in)"

    def __call__(self, request: Request) -> None:
        if not self.keys:
            if self.open or _loopback(request.client.host if request.client else None):
                return
            raise ApiError(401, "this server has no API keys, so only its own machine may use the API; "
                                "ask its owner to set KB_API_KEYS", code="no_api_keys")
        auth = request.headers.get("authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise ApiError(401, "missing API key: send the header 'Authorization: Bearer YOUR_KEY'",
                           code="invalid_api_key")
        if not any(hmac.compare_digest(given.strip().encode(), key) for key in self.keys):
            raise ApiError(401, "incorrect API key provided", code="invalid_api_key")
