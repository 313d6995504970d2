"""Which page an authorization request needs (reference §1.1 prompt/login_hint; OIDC §3.1.2.6)."""

from __future__ import annotations

import pytest

from accord.protocol.errors import ConsentRequired, InteractionRequired, LoginRequired
from accord.protocol.messages import AccessType, AuthorizationRequest, Prompt, User
from accord.protocol.prompts import (
    Progress,
    Step,
    granted_for_code,
    needs_consent,
    pick_account,
    refuse_silently,
)

ALICE = User(1, "101", "alice@example.com", "Alice")
BOB = User(2, "102", "bob@example.com", "Bob")


def request(**kw: object) -> AuthorizationRequest:
    base: dict[str, object] = {"client_id": "c", "redirect_uri": "https://a/cb", "scopes": ("s1",)}
    return AuthorizationRequest(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "signed_in", "progress", "expected"),
    [
        ({}, [], Progress(), Step.LOGIN),
        ({}, [ALICE], Progress(), ALICE),
        ({}, [ALICE, BOB], Progress(), Step.SELECT_ACCOUNT),
        ({"login_hint": "BOB@example.com"}, [ALICE, BOB], Progress(), BOB),
        ({"login_hint": "102"}, [ALICE, BOB], Progress(), BOB),
        ({"login_hint": "carol@example.com"}, [ALICE], Progress(), Step.LOGIN),
        ({"prompt": (Prompt.SELECT_ACCOUNT,)}, [ALICE], Progress(), Step.SELECT_ACCOUNT),
        ({"prompt": (Prompt.SELECT_ACCOUNT,)}, [], Progress(), Step.LOGIN),
        ({"prompt": (Prompt.SELECT_ACCOUNT,)}, [ALICE, BOB], Progress(2), BOB),
        ({}, [ALICE, BOB], Progress(1), ALICE),
        ({}, [ALICE], Progress(2), ALICE),  # the chosen account signed out meanwhile
    ],
    ids=["nobody", "one", "two", "hint-email", "hint-sub", "hint-unknown", "select",
         "select-nobody", "select-chosen", "chosen", "chosen-gone"],
)
def test_pick_account(
    kw: dict[str, object], signed_in: list[User], progress: Progress, expected: object
) -> None:
    assert pick_account(request(**kw), signed_in, progress) == expected


@pytest.mark.parametrize(
    ("kw", "granted", "live", "expected"),
    [
        ({}, frozenset(), False, True),
        ({}, frozenset({"s1"}), False, False),
        ({"prompt": (Prompt.CONSENT,)}, frozenset({"s1"}), False, True),
        ({"access_type": AccessType.OFFLINE}, frozenset({"s1"}), False, True),
        ({"access_type": AccessType.OFFLINE}, frozenset({"s1"}), True, False),
        ({"scopes": ("s1", "s2")}, frozenset({"s1"}), True, True),
    ],
    ids=["first", "granted", "prompt-consent", "offline-no-refresh", "offline-has-refresh",
         "new-scope"],
)
def test_needs_consent(kw: dict[str, object], granted: frozenset[str], live: bool, expected: bool) -> None:
    assert needs_consent(request(**kw), granted, live) is expected


@pytest.mark.parametrize(
    ("step", "error"),
    [(Step.LOGIN, LoginRequired), (Step.SELECT_ACCOUNT, InteractionRequired),
     (Step.CONSENT, ConsentRequired)],
)
def test_oidc_3_1_2_6_prompt_none_names_the_missing_page(step: Step, error: type[Exception]) -> None:
    with pytest.raises(error):
        refuse_silently(request(prompt=(Prompt.NONE,)), step)
    refuse_silently(request(), step)  # without prompt=none the page is shown
    refuse_silently(request(prompt=(Prompt.NONE,)), Step.ISSUE)


def test_code_scopes_incremental_and_granular() -> None:
    req = request(scopes=("a", "b"))
    assert granted_for_code(req, frozenset({"a"}), frozenset({"a", "z"})) == ("a",)
    inc = request(scopes=("a", "b"), include_granted_scopes=True)
    assert granted_for_code(inc, frozenset({"a"}), frozenset({"a", "z"})) == ("a", "z")


@pytest.mark.parametrize(
    ("max_age", "auth_time", "started_at", "again"),
    [
        (None, 0, None, False),  # no max_age: whatever the sign-in's age
        (0, 990, None, True),  # max_age=0: before this request, so again
        (0, 1000, 1000, False),  # ... signed in since the interaction began
        (0, 999, 1000, True),
        (10, 990, None, False),  # exactly max_age seconds old: still good
        (10, 989, None, True),
        (10, 0, None, True),  # no sign-in time known
        (10, 989, 995, True),  # stale, and not signed in during the interaction
        (10, 996, 995, False),
    ],
)
def test_oidc_3_1_2_1_max_age(
    max_age: int | None, auth_time: int, started_at: int | None, again: bool
) -> None:
    from accord.protocol.prompts import sign_in_again

    progress = Progress(1, started_at)
    assert sign_in_again(request(max_age=max_age), auth_time, 1000, progress) is again
