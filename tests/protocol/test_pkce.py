"""RFC 7636, with Google's wording of each failure (reference §1.1, §1.3.4)."""

from __future__ import annotations

import pytest

from accord.protocol import pkce
from accord.protocol.errors import InvalidGrant, InvalidRequest

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 Appendix B
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_rfc7636_appendix_b_s256_example() -> None:
    assert pkce.s256(VERIFIER) == CHALLENGE


@pytest.mark.parametrize(
    ("challenge", "method", "verifier", "error", "message"),
    [
        (CHALLENGE, "S256", VERIFIER, None, None),
        (VERIFIER, "plain", VERIFIER, None, None),
        (CHALLENGE, "S256", None, InvalidGrant, "Missing code verifier."),
        (CHALLENGE, "S256", VERIFIER[:-1] + "x", InvalidGrant, "Invalid code verifier."),
        (CHALLENGE, "S256", "short", InvalidGrant, "Invalid code verifier."),
        (VERIFIER, "plain", CHALLENGE, InvalidGrant, "Invalid code verifier."),
        (None, None, VERIFIER, InvalidRequest, "code_verifier or verifier is not needed."),
        (None, None, None, None, None),
    ],
    ids=["s256-ok", "plain-ok", "missing", "wrong", "malformed", "plain-wrong",
         "verifier-without-challenge", "no-pkce"],
)
def test_rfc7636_4_6_verification(
    challenge: str | None, method: str | None, verifier: str | None,
    error: type[Exception] | None, message: str | None,
) -> None:
    if error is None:
        pkce.verify(challenge, method, verifier)
        return
    with pytest.raises(error) as raised:
        pkce.verify(challenge, method, verifier)
    assert raised.value.description == message


def test_rfc7636_4_3_method_defaults_to_plain() -> None:
    assert pkce.validate_challenge(VERIFIER, None) == (VERIFIER, "plain")


@pytest.mark.parametrize(
    ("challenge", "method"),
    [(CHALLENGE, "s256"), (CHALLENGE, "S512"), ("too-short", "S256"), (None, "S256"),
     (CHALLENGE + "!", "S256")],
)
def test_rfc7636_4_2_bad_challenges_are_invalid_request(challenge: str | None, method: str) -> None:
    with pytest.raises(InvalidRequest):
        pkce.validate_challenge(challenge, method)
