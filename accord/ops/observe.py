"""The outermost middleware: a request id, one log line and the metrics of each request.

The id is the caller's ``X-Request-Id`` when it is a short token of safe characters,
else a new random one; it is sent back in ``X-Request-Id`` and carried by every log line
written while the request runs. The line names the route template, never the path or
the query (which may carry a credential), and the OAuth error code of the answer.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.google import paths
from accord.ops import logs
from accord.ops.metrics import Metrics
from accord.protocol.grants import GRANTS

_LINES = logging.getLogger(logs.REQUEST_LOGGER)
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_TOKEN_PATHS = frozenset(paths.TOKEN)
_BODY_LIMIT = 64 * 1024


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if _SANE_ID.fullmatch(text):
                return text
            break
    return os.urandom(8).hex()


class Observe:
    def __init__(self, app: ASGIApp, access_log: bool, metrics: Metrics | None) -> None:
        self.app = app
        self.access_log = access_log
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        token = logs.request_id.set(rid)
        began = time.perf_counter()
        status = 0
        body: list[bytes] = []
        capture = self.metrics is not None and scope["path"] in _TOKEN_PATHS

        async def receive_body() -> Message:
            message = await receive()
            if message["type"] == "http.request" and sum(map(len, body)) < _BODY_LIMIT:
                body.append(message.get("body", b""))
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive_body if capture else receive, send_with_id)
        finally:
            seconds = time.perf_counter() - began
            self._record(scope, rid, status, seconds, b"".join(body) if capture else None)
            logs.request_id.reset(token)

    def _record(
        self, scope: Scope, rid: str, status: int, seconds: float, body: bytes | None
    ) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = scope["method"]
        state: dict[str, Any] = scope.get("state", {})
        error = state.get("error_code")
        if self.metrics is not None:
            self.metrics.observe_request(route, method, status, seconds)
            if error and status < 500:
                self.metrics.oauth_errors.labels(str(error)).inc()
            if body is not None and status == 200:
                self.metrics.tokens.labels(_grant_type(body)).inc()
        if self.access_log and _LINES.isEnabledFor(logging.INFO):
            fields = {"request_id": rid, "method": method, "route": route, "status": status,
                      "duration_ms": round(seconds * 1000, 2)}
            if error:
                fields["error"] = str(error)
            text = f"{method} {route} {status} {fields['duration_ms']}ms"
            logs.request_line(fields, text + (f" error={error}" if error else ""))


def _grant_type(body: bytes) -> str:
    try:
        values = parse_qs(body.decode("utf-8", "replace"), max_num_fields=50)
    except ValueError:
        return "other"
    grant = (values.get("grant_type") or [""])[0]
    return grant if grant in GRANTS else "other"
