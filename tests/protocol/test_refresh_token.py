"""Refreshing an access token (RFC 6749 §6; reference §1.3.2, §1.3.3)."""

from __future__ import annotations

import pytest

from accord.protocol import grants
from accord.protocol.context import Context
from accord.protocol.errors import OAuthError
from accord.protocol.grants.refresh_token import IDLE_EXPIRY, TOUCH_EVERY
from accord.protocol.policy import OrgControls
from accord.protocol.tokens import digest
from tests.protocol.fakes import NOW, SECRET, WEB, code_grant, context, store_of, with_state

REFRESH = "1//0refresh"
EXPIRED_OR_REVOKED = "Token has been expired or revoked."


def granted(scopes: tuple[str, ...] = ("openid", "s1", "s2"), **kw: object) -> Context:
    ctx = context()
    store = store_of(ctx)
    authorization = store.create_authorization(code_grant(scopes=scopes), NOW - 60)
    store.authorizations[authorization.pk] = with_state(authorization, **kw)
    store.refresh[digest(REFRESH)] = authorization.pk
    return ctx


def refresh(ctx: Context, **params: str) -> dict[str, object]:
    base = {"grant_type": "refresh_token", "client_id": WEB.client_id,
            "client_secret": SECRET, "refresh_token": REFRESH}
    return grants.token(ctx, {**base, **params}, None).as_json()


def test_rfc6749_6_refresh_returns_a_new_access_token_and_a_fresh_id_token() -> None:
    """RFC 6749 §6; Google does not rotate refresh tokens and returns a fresh ID token for
    a sign-in grant (reference §1.3.2)."""
    body = refresh(granted())
    assert list(body) == ["access_token", "expires_in", "scope", "token_type", "id_token"]
    assert body["scope"] == "openid s1 s2"


def test_rfc6749_6_a_narrower_scope_may_be_asked_for() -> None:
    """RFC 6749 §6: "MUST NOT include any scope not originally granted"; narrower is fine."""
    assert refresh(granted(), scope="s1")["scope"] == "s1"


def test_google_time_limited_refresh_token_reports_its_remaining_life() -> None:
    """Reference §1.2: refresh_token_expires_in in testing status or time-based access."""
    body = refresh(granted(refresh_expires_at=NOW + 100))
    assert body["refresh_token_expires_in"] == 100


@pytest.mark.parametrize(
    ("state", "params", "code", "description"),
    [
        ({}, {"refresh_token": "1//0unknown"}, "invalid_grant", EXPIRED_OR_REVOKED),
        ({"revoked": True}, {}, "invalid_grant", EXPIRED_OR_REVOKED),
        ({"user_disabled": True}, {}, "invalid_grant", EXPIRED_OR_REVOKED),
        ({"refresh_expires_at": NOW}, {}, "invalid_grant", EXPIRED_OR_REVOKED),
        ({"last_used_at": NOW - IDLE_EXPIRY}, {}, "invalid_grant", EXPIRED_OR_REVOKED),
        ({"client_pk": 2}, {}, "unauthorized_client", "Unauthorized"),
        ({}, {"scope": "s1 profile"}, "invalid_scope",
         "Some requested scopes were invalid. {invalid=[profile]}"),
    ],
    ids=["unknown", "revoked", "user-disabled", "time-limit-over", "six-months-unused",
         "another-clients", "wider-scope"],
)
def test_google_1_3_3_refusals(
    state: dict[str, object], params: dict[str, str], code: str, description: str
) -> None:
    """Reference §1.3.3: every reason a refresh token stops working gives one answer;
    RFC 6749 §6 for scope, §5.2 for another client's token."""
    with pytest.raises(OAuthError) as caught:
        refresh(granted(**state), **params)
    assert (caught.value.code, caught.value.description) == (code, description)


def test_google_1_3_3_a_blocked_app_is_refused_on_refresh() -> None:
    """Reference §1.3.3: admin_policy_enforced when the organization blocks the app."""
    ctx = granted(user_org_pk=5)
    store_of(ctx).controls[5] = OrgControls("blocked", frozenset())
    with pytest.raises(OAuthError) as caught:
        refresh(ctx)
    assert (caught.value.code, caught.value.description) == (
        "admin_policy_enforced", "Your administrator has blocked access to this app.")


@pytest.mark.parametrize(("age", "touched"), [(TOUCH_EVERY - 1, False), (TOUCH_EVERY, True)])
def test_last_use_is_kept_to_the_hour(age: int, touched: bool) -> None:
    """A refresh writes its last-use time only once an hour has passed."""
    ctx = granted(last_used_at=NOW - age)
    refresh(ctx)
    (authorization,) = store_of(ctx).authorizations.values()
    assert (authorization.last_used_at == NOW) is touched
