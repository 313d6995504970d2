"""The catch-all: every exception no handler took is answered here, and nothing re-raises.

Starlette's ServerErrorMiddleware answers a handler-less exception and then re-raises
it, and uvicorn, seeing an exception after the response started, closes the connection
without ``Connection: close``: a keep-alive client's next request, already on its way,
was left unanswered. Here the exception is logged once (with its traceback, through the
credential filter) and answered by accord.web.render.unexpected (503 with Retry-After
when the database is unavailable, else 500), and the connection stays usable.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.web import render

log = logging.getLogger("accord")


class Catch:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            if started:  # too late to answer: uvicorn closes the unfinished response
                log.error("failure after the response started", exc_info=exc)
                return
            response = render.unexpected(Request(scope, receive), exc)
            await response(scope, receive, send)
