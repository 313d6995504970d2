"""The Authorization header, read once, and the bearer token of a resource request.

A request with two ``Authorization`` headers is refused rather than read by its first
(which one a proxy or a framework picks differs). RFC 6750 §2: a client "MUST NOT use
more than one method to transmit the token in each request": a token in the header and
another (or the same) in the query or the body is refused too. Both refusals are
``InvalidRequest``; each endpoint renders it in its own error shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.requests import HTTPConnection

from accord.protocol.errors import InvalidRequest

TWO_HEADERS = "The Authorization header was sent more than once."
TWO_METHODS = (
    "The access token was sent in more than one way: use the Authorization header only."
)


def authorization(request: HTTPConnection) -> str | None:
    """The one ``Authorization`` header, or None; two of them: InvalidRequest."""
    values = request.headers.getlist("authorization")
    if len(values) > 1:
        raise InvalidRequest(TWO_HEADERS)
    return values[0] if values else None


def bearer(request: HTTPConnection) -> str | None:
    """The token of an ``Authorization: Bearer`` header (RFC 6750 §2.1), or None."""
    header = authorization(request) or ""
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return None


def bearer_token(
    request: HTTPConnection, params: Mapping[str, str], names: Iterable[str] = ("access_token",)
) -> str | None:
    """The request's token: the header's, or a parameter's (RFC 6750 §2.2, §2.3), never
    both."""
    header = bearer(request)
    given = [params[name] for name in names if params.get(name)]
    if header is not None and given:
        raise InvalidRequest(TWO_METHODS)
    if len(given) > 1:
        raise InvalidRequest(TWO_METHODS)
    return header if header is not None else (given[0] if given else None)
