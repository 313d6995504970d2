"""What a grant type says about itself: its name, its parameters, how its caller proves
who it is (RFC 6749 §4, §5.1; RFC 7521 §4.2; RFC 8693 §2.1), and the function that
exchanges its request for tokens.

A grant is generic in its caller: an OAuth ``Client`` for the grants a client secret
authenticates, a verified ``Assertion`` (a service account, ``accord.protocol.assertions``)
for the JWT-bearer grant. The authenticator of its ``CallerAuth`` produces that caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Generic, Protocol, TypeVar

from accord.protocol.context import Context


class CallerAuth(Enum):
    """How the token endpoint authenticates the caller of a grant."""

    CLIENT_SECRET = auto()  # client_secret_basic or client_secret_post (RFC 6749 §2.3.1)
    ASSERTION = auto()  # a signed JWT is the credential (RFC 7523 §2.1)
    SUBJECT_TOKEN = auto()  # the token to exchange is the credential (RFC 8693 §2.1)
    NONE = auto()  # a public client, identified by client_id alone (RFC 6749 §2.1)


class Reply(Protocol):
    """A successful token response (RFC 6749 §5.1, or Google's ``{"id_token"}``)."""

    def as_json(self) -> dict[str, object]: ...


CallerT = TypeVar("CallerT")


@dataclass(frozen=True)
class Grant(Generic[CallerT]):
    grant_type: str
    parameters: tuple[str, ...]  # required, then optional, as the RFC lists them
    caller: CallerAuth
    exchange: Callable[[Context, CallerT, Mapping[str, str]], Reply]
