"""Headers every response carries: no framing, no sniffing, no referrer leaks, and HSTS
when the issuer is https."""

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
    # Codes travel in redirect URLs: never let them leak through Referer to another site.
    # same-origin (not no-referrer) so that the pages' own form posts carry their Origin,
    # which web/page.py checks (with no-referrer, browsers send "Origin: null").
    (b"referrer-policy", b"same-origin"),
]
# RFC 6797: only over https (a browser ignores it on http, and localhost must stay usable).
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.headers = [*_HEADERS, HSTS] if hsts else _HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
