"""One decision per authorization step (reference §1.1, §1.2; OIDC Core §3.1.2.6)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from accord.protocol.decide import Issue, Refuse, ShowPage, decide
from accord.protocol.errors import (
    AdminPolicyEnforced,
    ConsentRequired,
    InteractionRequired,
    LoginRequired,
    NotATestUser,
    OAuthError,
    OrgInternal,
)
from accord.protocol.messages import AccessType, Prompt, User
from accord.protocol.policy import TESTING_REFRESH_LIFETIME, OrgControls
from accord.protocol.prompts import Progress, Step
from tests.protocol.flow_fakes import ALICE, BOB, CLIENT, NOW, FakeStore, context, request

GRANTED = {(ALICE.pk, CLIENT.project_pk): frozenset({"email"})}
NONE = (Prompt.NONE,)


@dataclass(frozen=True)
class Case:
    d: str
    kw: dict[str, object] = field(default_factory=dict)
    signed_in: tuple[User, ...] = (ALICE,)
    grants: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    live_refresh: bool = False
    approved: frozenset[str] | None = None
    expected: object = None  # a Step, (Step, user), an error class, or an Issue check


PAGES = [
    Case("nobody signed in: sign in", signed_in=(), expected=Step.LOGIN),
    Case("two accounts: choose one", signed_in=(ALICE, BOB), expected=Step.SELECT_ACCOUNT),
    Case("scopes not granted yet: consent", expected=(Step.CONSENT, ALICE)),
    Case("prompt=consent asks again", {"prompt": (Prompt.CONSENT,)}, grants=GRANTED,
         expected=(Step.CONSENT, ALICE)),
    Case("offline without a live refresh token: consent",
         {"access_type": AccessType.OFFLINE}, grants=GRANTED, expected=(Step.CONSENT, ALICE)),
    Case("prompt=none, nobody signed in", {"prompt": NONE}, signed_in=(),
         expected=LoginRequired),
    Case("prompt=none, two accounts", {"prompt": NONE}, signed_in=(ALICE, BOB),
         expected=InteractionRequired),
    Case("prompt=none, consent needed", {"prompt": NONE}, expected=ConsentRequired),
]


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.d)
def test_the_page_needed_or_the_silent_refusal(case: Case) -> None:
    store = FakeStore(grants=dict(case.grants))
    outcome = decide(
        context(store), CLIENT, request(**case.kw), case.signed_in, Progress(), {}, case.approved
    )
    if isinstance(case.expected, type):
        assert isinstance(outcome, Refuse) and type(outcome.error) is case.expected
    elif isinstance(case.expected, tuple):
        assert outcome == ShowPage(*case.expected)
    else:
        assert outcome == ShowPage(case.expected)  # type: ignore[arg-type]
    assert not store.codes and not store.events


@pytest.mark.parametrize(
    ("d", "kw", "live", "approved", "scopes", "refresh"),
    [
        ("granted before: no page, no refresh token", {}, False, None, ("email",), False),
        ("offline with a live refresh token: none more", {"access_type": AccessType.OFFLINE},
         True, None, ("email",), False),
        ("consent shown, offline: a refresh token", {"access_type": AccessType.OFFLINE},
         False, frozenset({"email"}), ("email",), True),
        ("include_granted_scopes carries the earlier grant",
         {"scopes": ("drive.file",), "include_granted_scopes": True}, False,
         frozenset({"drive.file"}), ("drive.file", "email"), False),
        ("only the approved scopes", {"scopes": ("email", "drive.file")}, False,
         frozenset({"email"}), ("email",), False),
    ],
)
def test_the_code_grant(
    d: str, kw: dict[str, object], live: bool, approved: frozenset[str] | None,
    scopes: tuple[str, ...], refresh: bool,
) -> None:
    store = FakeStore(grants=dict(GRANTED))
    if live:
        store.live_refresh.add((ALICE.pk, CLIENT.pk))
    outcome = decide(context(store), CLIENT, request(nonce="n", **kw), (ALICE,), Progress(),
                     {ALICE.pk: NOW - 60}, approved)
    assert isinstance(outcome, Issue)
    grant = outcome.grant
    assert (grant.scopes, grant.issue_refresh_token) == (scopes, refresh)
    assert (grant.user_pk, grant.client_pk, grant.project_pk) == (1, 10, 20)
    assert (grant.auth_time, grant.expires_at, grant.nonce) == (NOW - 60, NOW + 600, "n")


def test_consent_is_stored_and_audited() -> None:
    store = FakeStore()
    decide(context(store), CLIENT, request(scopes=("email", "drive.file")), (ALICE,),
           Progress(), {}, frozenset({"drive.file"}))
    assert store.grants == {(1, 20): frozenset({"drive.file"})}
    [event] = store.events
    assert (event.event, event.outcome, event.detail) == (
        "consent.granted", "granted", (("scopes", "drive.file"),)
    )


def test_auth_time_defaults_to_now_when_the_browser_has_none() -> None:
    outcome = decide(context(FakeStore(grants=dict(GRANTED))), CLIENT, request(), (ALICE,),
                     Progress(), {})
    assert isinstance(outcome, Issue) and outcome.grant.auth_time == NOW


@pytest.mark.parametrize(
    ("d", "duration", "testing", "lifetime"),
    [
        ("until revoked", None, False, None),
        ("the chosen time-based access", 3600, False, 3600),
        ("testing status caps it at 7 days", None, True, TESTING_REFRESH_LIFETIME),
    ],
)
def test_refresh_lifetime(d: str, duration: int | None, testing: bool, lifetime: int | None) -> None:
    client = replace(CLIENT, testing=testing)
    store = FakeStore(test_users={ALICE.email})
    outcome = decide(context(store), client, request(access_type=AccessType.OFFLINE,
                     scopes=("drive.file",)), (ALICE,), Progress(), {},
                     frozenset({"drive.file"}), duration)
    assert isinstance(outcome, Issue) and outcome.grant.refresh_lifetime == lifetime


@pytest.mark.parametrize(
    ("d", "client", "user", "store", "error"),
    [
        ("testing: only test users", replace(CLIENT, testing=True), ALICE, FakeStore(),
         NotATestUser),
        ("internal: only the organization's users", replace(CLIENT, user_type="internal",
         org_pk=3), BOB, FakeStore(), OrgInternal),
        ("the user's organization blocks the app", CLIENT, BOB,
         FakeStore(controls={7: OrgControls("blocked", frozenset())}), AdminPolicyEnforced),
        ("a restricted service", CLIENT, BOB,
         FakeStore(controls={7: OrgControls("limited", frozenset({"drive"}))}),
         AdminPolicyEnforced),
    ],
)
def test_policy_refusals_are_raised_and_audited(
    d: str, client: object, user: User, store: FakeStore, error: type[OAuthError]
) -> None:
    with pytest.raises(error):
        decide(context(store), client, request(scopes=("drive.file",)),  # type: ignore[arg-type]
               (user,), Progress(), {})
    [event] = store.events
    assert (event.event, event.user_pk, event.outcome) == ("policy.denied", user.pk, error.code)
