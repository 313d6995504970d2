"""Identifiers shaped like Google's (reference §1.3.1, §1.10, §1.12, §1.23)."""

from __future__ import annotations

import secrets
import string

from accord.protocol.tokens import TokenFormat

# Observed prefixes: codes 4/0A..., access tokens ya29...., refresh tokens 1//0...
TOKEN_FORMAT = TokenFormat(code="4/0A", access="ya29.", refresh="1//0")

_LOWER = string.ascii_lowercase + string.digits
_SECRET = string.ascii_letters + string.digits + "-_"


def _digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def new_sub() -> str:
    """A stable numeric account ID; Google's are 21 digits starting with 1."""
    return "1" + _digits(20)


def new_project_number() -> str:
    return str(secrets.choice(range(1, 10))) + _digits(11)


def new_client_id(project_number: str) -> str:
    tail = "".join(secrets.choice(_LOWER) for _ in range(32))
    return f"{project_number}-{tail}.apps.googleusercontent.com"


def new_client_secret() -> str:
    return "GOCSPX-" + "".join(secrets.choice(_SECRET) for _ in range(28))


def client_secret_json(
    issuer: str,
    client_id: str,
    project_id: str,
    client_secret: str,
    redirect_uris: list[str],
) -> dict[str, object]:
    """The downloaded ``client_secret.json`` of a web client (reference §1.12), on Accord's URLs."""
    from accord.google import paths

    return {
        "web": {
            "client_id": client_id,
            "project_id": project_id,
            "auth_uri": issuer + paths.CLIENT_SECRET_AUTH_URI,
            "token_uri": issuer + paths.CLIENT_SECRET_TOKEN_URI,
            "auth_provider_x509_cert_url": issuer + paths.CERTS_V1,
            "client_secret": client_secret,
            "redirect_uris": redirect_uris,
        }
    }
