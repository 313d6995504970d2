"""What a grant type says about itself: its name, its parameters, how its caller proves
who it is (RFC 6749 §4, §5.1; RFC 7521 §4.2; RFC 8693 §2.1), and the function that
exchanges its request for tokens."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto

from accord.protocol.context import Context
from accord.protocol.messages import Client, TokenResponse


class CallerAuth(Enum):
    """How the token endpoint authenticates the caller of a grant."""

    CLIENT_SECRET = auto()  # client_secret_basic or client_secret_post (RFC 6749 §2.3.1)
    ASSERTION = auto()  # a signed JWT is the credential (RFC 7523 §2.1)
    SUBJECT_TOKEN = auto()  # the token to exchange is the credential (RFC 8693 §2.1)
    NONE = auto()  # a public client, identified by client_id alone (RFC 6749 §2.1)


Exchange = Callable[[Context, Client, Mapping[str, str]], TokenResponse]


@dataclass(frozen=True)
class Grant:
    grant_type: str
    parameters: tuple[str, ...]  # required, then optional, as the RFC lists them
    caller: CallerAuth
    exchange: Exchange
