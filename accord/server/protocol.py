"""uvicorn's httptools protocol with limits on slow and large clients, and a drain.

uvicorn bounds neither the size of a request's head (httptools has no limit) nor the time a
client may take to send it: a client sending a header line every few seconds, or nothing
at all, kept its connection for ever. This protocol adds, per connection:

* a head deadline: the request line and headers must arrive within ``header_timeout`` of
  the head's first byte (of the accept, for a connection's first request); a connection
  that sent nothing is closed, one that sent part of a head gets 408;
* a body deadline: the body must arrive within ``body_timeout`` of the end of the head
  (408); the application bounds its size (accord/web/forms.py);
* a head size (``max_header_bytes``, request line included: 431, or 414 for the URL
  alone) and a number of header fields (``max_headers``: 431), counted while the head
  is still arriving, so that nothing larger is ever buffered;
* the drain: while ``accord.runtime.draining()``, every response says ``Connection:
  close`` and the connection is closed after it; ``shutdown()`` closes a connection at once
  when no request is on it.

Idle kept-alive connections are closed by uvicorn after ``timeout_keep_alive``.
"""

from __future__ import annotations

import enum
from asyncio import TimerHandle, Transport
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from accord import runtime
from accord.settings import ServerSettings

REFUSAL_LINGER = 2.0  # seconds a refused client's remaining bytes are read and dropped


class Phase(enum.Enum):
    WAITING = "waiting"  # no byte of the next request yet
    HEAD = "head"  # part of a request line or headers
    BODY = "body"  # head complete, body still arriving


class Refused(Exception):
    """Raised in a parser callback to refuse the request with `status`."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    limits = ServerSettings()  # replaced by a subclass with the configured limits (for_limits)

    @classmethod
    def for_limits(cls, limits: ServerSettings) -> type[GuardedHttpToolsProtocol]:
        return type("GuardedHttpToolsProtocol", (cls,), {"limits": limits})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase = Phase.WAITING
        self.deadline: TimerHandle | None = None
        self.head_bytes = 0  # bytes received since the head began
        self.head_size = 0  # what the parser reported: URL and header fields
        self.header_count = 0
        self.refusal: Refused | None = None
        self.timeout_keep_alive = self.limits.keep_alive_timeout  # type: ignore[assignment]

    # Timers ------------------------------------------------------------------------
    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _expired(self) -> None:
        self.deadline = None
        if self.transport.is_closing():
            return
        answered = self.cycle is not None and self.cycle.response_complete
        if self.phase is Phase.WAITING or (self.phase is Phase.BODY and answered):
            # Connected and sent nothing, or still sending the body of a request already
            # answered (refused early): nothing to say.
            self.transport.close()
            return
        self._refuse(408, "Request Timeout")

    # The connection ----------------------------------------------------------------
    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout)  # the first request, counted from the accept

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self.refusal is not None:
            return  # refused: the answer is on its way, the connection closing
        if self.phase is Phase.WAITING:
            self.phase = Phase.HEAD
            self.head_bytes = 0
        if self.phase is Phase.HEAD:
            self.head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            refused = exc.__context__ if isinstance(exc.__context__, Refused) else None
            if refused is None:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            else:
                self._refuse(refused.status, refused.text)
            return
        # Deadlines only for what is still arriving: a request that came whole in one read
        # (most of them) costs no timer. The head's runs from its first read (or from the
        # accept, for a connection's first request), the body's from the end of the head.
        if self.phase is Phase.HEAD:
            if self.head_bytes > self.limits.max_header_bytes:
                self._refuse(431, "Request Header Fields Too Large")
            elif self.deadline is None:
                self._arm(self.limits.header_timeout)
        elif self.phase is Phase.BODY and self.deadline is None:
            self._arm(self.limits.body_timeout)

    def _refuse(self, status: int, text: str) -> None:
        """Answer `status` (unless a response is being written) and close the connection."""
        self.refusal = Refused(status, text)
        self._disarm()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:
                self.transport.close()  # in the middle of a response: nothing else to say
                return
            cycle.disconnected = True  # the application's answer, if any, goes nowhere
            cycle.message_event.set()
        body = text.encode("ascii")
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        # A lingering close: what the client is still sending is read and dropped for a
        # moment, as closing with unread bytes would reset the connection, answer and all.
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(REFUSAL_LINGER, self.transport.close)
        else:
            self.transport.close()

    # Parser callbacks --------------------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.head_size = 0
        self.header_count = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self.head_size += len(url)
        if len(self.url) > self.limits.max_header_bytes:
            raise Refused(414, "URI Too Long")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_count += 1
        self.head_size += len(name) + len(value) + 4
        if self.header_count > self.limits.max_headers:
            raise Refused(431, "Request Header Fields Too Large")
        if self.head_size > self.limits.max_header_bytes:
            raise Refused(431, "Request Header Fields Too Large")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self.phase = Phase.BODY
        self._disarm()
        super().on_headers_complete()
        if runtime.draining() and self.cycle is not None:
            self.cycle.keep_alive = False  # answered with Connection: close, then closed

    def on_message_complete(self) -> None:
        self.phase = Phase.WAITING
        self._disarm()  # until the response is sent: then uvicorn's keep-alive timeout
        super().on_message_complete()

    # The drain ---------------------------------------------------------------------
    def shutdown(self) -> None:
        """Called when the drain starts: close the connection if no request is on it; else
        the request in flight is answered with Connection: close. A request whose head is
        still arriving may finish arriving (within its deadline and the grace period)."""
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self.phase is Phase.WAITING:
            self.transport.close()
        elif self.cycle is not None and not self.cycle.response_complete:
            self.cycle.keep_alive = False

    def busy(self) -> bool:
        """A request is on the connection (arriving, or being answered)."""
        return self.phase is not Phase.WAITING or not (
            self.cycle is None or self.cycle.response_complete
        )

    def abort(self) -> None:
        self._disarm()
        self.transport.abort()
