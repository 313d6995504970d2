"""One issuer of tokens for every grant and response type (RFC 6749 §5.1; OIDC Core
§3.1.3.3, §3.2.2.5, §3.3.2.5)."""

from __future__ import annotations

import jwt
import pytest

from accord.protocol.id_token import at_hash
from accord.protocol.issue import IdTokenWhen, Issuance, issue
from tests.protocol.fakes import ALICE, NOW, WEB, code_grant, context, store_of


def issuance(**kw: object) -> Issuance:
    base: dict[str, object] = {"client": WEB, "user_pk": ALICE.pk,
                               "scopes": ("openid", "email"), "now": NOW}
    return Issuance(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scopes", "when", "oidc", "has_id_token"),
    [
        (("openid",), IdTokenWhen.SIGN_IN, True, True),
        (("s1",), IdTokenWhen.SIGN_IN, True, False),
        (("s1",), IdTokenWhen.ASKED, True, True),
        (("openid",), IdTokenWhen.NEVER, True, False),
        (("openid",), IdTokenWhen.SIGN_IN, False, False),
    ],
    ids=["sign-in-scope", "no-sign-in-scope", "asked", "never", "no-key-ring"],
)
def test_oidc_3_1_3_3_when_an_id_token_is_issued(
    scopes: tuple[str, ...], when: IdTokenWhen, oidc: bool, has_id_token: bool
) -> None:
    """Reference §1.3.1: the token endpoint returns an ID token whenever a sign-in scope was
    granted; the authorization endpoint when response_type asks for one."""
    got = issue(context(oidc=oidc), issuance(scopes=scopes, id_token=when))
    assert (got.id_token is not None) is has_id_token


def test_an_access_token_is_sealed_only_for_a_token_family() -> None:
    ctx = context()
    assert issue(ctx, issuance()).access_token is None
    family = store_of(ctx).create_authorization(code_grant(), NOW)
    sealed = issue(ctx, issuance(authorization_pk=family.pk)).access_token
    assert sealed is not None
    claims = ctx.minter.open_access(sealed)
    assert claims is not None
    assert (claims.authorization_pk, claims.expires_at) == (family.pk, NOW + 3599)


def test_oidc_3_3_2_11_c_hash_binds_the_code() -> None:
    """OIDC Core §3.3.2.11: c_hash is the left half of the code's SHA-256."""
    got = issue(context(), issuance(id_token=IdTokenWhen.ASKED, code="4/0Acode"))
    claims = jwt.decode(got.id_token or "", options={"verify_signature": False})
    assert claims["c_hash"] == at_hash("4/0Acode") and "at_hash" not in claims


def test_a_token_response_needs_an_access_token() -> None:
    with pytest.raises(ValueError, match="needs an access token"):
        issue(context(), issuance()).token_response()
