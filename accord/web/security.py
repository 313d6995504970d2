"""Headers every response carries: no framing, no sniffing, no referrer leaks."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# img-src allows https: for the logos apps set on their consent screens.
_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
        b"form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    # Codes travel in redirect URLs; never let them leak through Referer.
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + _HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)
