"""Who may authorize an app and for how long (reference §1.1, §1.2, §1.3.3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accord.protocol import policy
from accord.protocol.errors import OAuthError
from accord.protocol.policy import TESTING_REFRESH_LIFETIME, OrgControls
from tests.protocol.fakes import ALICE, WEB

INTERNAL = replace(WEB, user_type="internal", org_pk=5)
TESTING = replace(WEB, testing=True)
NOT_VERIFIED = ("Demo App has not completed the Google verification process. The app is "
                "currently being tested, and can only be accessed by developer-approved "
                "testers. If you think you should have access, contact the developer.")


@pytest.mark.parametrize(
    ("client", "user_org", "test_user", "expected"),
    [
        (WEB, None, False, None),
        (INTERNAL, 5, False, None),
        (INTERNAL, 6, False, ("org_internal", "Demo App can only be used within its "
                                              "organization.")),
        (INTERNAL, None, False, ("org_internal", "Demo App can only be used within its "
                                                 "organization.")),
        (TESTING, None, True, None),
        (TESTING, None, False, ("access_denied", NOT_VERIFIED)),
        (replace(INTERNAL, testing=True), 5, False, None),
    ],
    ids=["external", "internal-member", "internal-outsider", "internal-no-org",
         "testing-test-user", "testing-stranger", "internal-ignores-testing"],
)
def test_google_1_1_audience(
    client: object, user_org: int | None, test_user: bool, expected: tuple[str, str] | None
) -> None:
    """Reference §1.1: internal apps serve their organization only; in testing status only
    test users (reference §1.2)."""
    user = replace(ALICE, org_pk=user_org)
    try:
        policy.check_audience(client, user, lambda: test_user)  # type: ignore[arg-type]
    except OAuthError as exc:
        assert (exc.code, exc.description) == expected
    else:
        assert expected is None


BLOCKED = "Your administrator has blocked access to this app."
RESTRICTED = "Your administrator has restricted access to some of the requested services."


@pytest.mark.parametrize(
    ("user_org", "controls", "scopes", "expected"),
    [
        (None, OrgControls("blocked", frozenset()), ("s1",), None),
        (5, OrgControls("blocked", frozenset()), ("s1",), None),  # the app's own organization
        (6, OrgControls("blocked", frozenset()), ("s1",), BLOCKED),
        (6, OrgControls("limited", frozenset({"drive"})), ("s1",), None),
        (6, OrgControls("limited", frozenset({"drive"})), ("drive.file",), RESTRICTED),
        (6, OrgControls("trusted", frozenset({"drive"})), ("drive.file",), None),
    ],
    ids=["no-org", "own-org", "blocked", "limited-other-service", "limited-restricted",
         "trusted"],
)
def test_google_1_3_3_admin_policy_enforced(
    user_org: int | None, controls: OrgControls, scopes: tuple[str, ...], expected: str | None
) -> None:
    """Reference §1.3.3: admin_policy_enforced for a blocked app, or a restricted service
    asked by an app that is not trusted."""
    client = replace(WEB, org_pk=5)
    service = {"drive.file": "drive"}.get
    try:
        policy.check_controls(client, user_org, scopes, service, lambda _org: controls)
    except OAuthError as exc:
        assert (exc.code, exc.description) == ("admin_policy_enforced", expected)
    else:
        assert expected is None


@pytest.mark.parametrize(
    ("client", "scopes", "chosen", "expected"),
    [
        (WEB, ("s1",), None, None),
        (WEB, ("s1",), 3600, 3600),
        (TESTING, ("s1",), None, TESTING_REFRESH_LIFETIME),
        (TESTING, ("s1",), 3600, 3600),
        (TESTING, ("openid", "email"), None, None),
        (replace(TESTING, user_type="internal"), ("s1",), None, None),
    ],
    ids=["until-revoked", "time-based", "testing", "testing-shorter-choice",
         "testing-sign-in-only", "internal-testing"],
)
def test_google_1_2_refresh_lifetime(
    client: object, scopes: tuple[str, ...], chosen: int | None, expected: int | None
) -> None:
    """Reference §1.2: in testing status refresh tokens expire after 7 days unless every
    scope is a sign-in scope; time-based access caps it too."""
    basic = {"openid", "email", "profile"}.__contains__
    assert policy.refresh_lifetime(client, scopes, basic, chosen) == expected  # type: ignore[arg-type]
