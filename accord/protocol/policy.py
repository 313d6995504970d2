"""Who may authorize an app, and for how long its refresh token lives (reference §1.1, §1.2,
§1.3.3).

Checked once an account is chosen, before consent, and again on every refresh:

1. *Internal* user type: only the owning organization's users (``org_internal``).
2. Publishing status *testing*: only the project's test users (``access_denied``, shown on
   a page), and refresh tokens for scopes beyond sign-in expire after 7 days.
3. The user's organization's API controls: a *blocked* app, or a scope of a *restricted*
   service asked by an app that is not *trusted* (``admin_policy_enforced``). Apps of the
   organization's own projects count as trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from accord.google import wording
from accord.protocol.errors import AdminPolicyEnforced, NotATestUser, OrgInternal
from accord.protocol.messages import Client, User

# Google reports 604799 (7 days less the second it took) in testing status (reference §1.2).
TESTING_REFRESH_LIFETIME = 7 * 24 * 3600 - 1


@dataclass(frozen=True)
class OrgControls:
    """An organization's API controls as they apply to one app."""

    access: str  # trusted, limited or blocked (unlisted apps are limited)
    restricted: frozenset[str]  # restricted services (APIs)


def check_audience(client: Client, user: User, is_test_user: Callable[[], bool]) -> None:
    if client.user_type == "internal" and (client.org_pk is None or user.org_pk != client.org_pk):
        raise OrgInternal(
            wording.org_internal(client.project_name),
            detail=f"user org {user.org_pk}, app org {client.org_pk}",
        )
    if client.testing and client.user_type != "internal" and not is_test_user():
        raise NotATestUser(wording.not_a_test_user(client.project_name))


def check_controls(
    client: Client,
    user_org_pk: int | None,
    scopes: Iterable[str],
    service: Callable[[str], str | None],
    controls: Callable[[int], OrgControls],
) -> None:
    """The user's organization decides which apps reach which services."""
    if user_org_pk is None or user_org_pk == client.org_pk:
        return
    found = controls(user_org_pk)
    if found.access == "blocked":
        raise AdminPolicyEnforced(
            wording.ADMIN_BLOCKED, detail=client.client_id
        )
    if found.access == "trusted":
        return
    hit = sorted({s for s in scopes if service(s) in found.restricted})
    if hit:
        raise AdminPolicyEnforced(
            wording.ADMIN_RESTRICTED,
            detail=f"{client.client_id}: {' '.join(hit)}",
        )


def refresh_lifetime(
    client: Client, scopes: Iterable[str], basic: Callable[[str], bool], chosen: int | None
) -> int | None:
    """Seconds the refresh token lives: the user's time-based choice, capped at 7 days in
    testing status unless every scope is a sign-in scope; None: until revoked."""
    lifetimes = [chosen] if chosen else []
    if client.testing and client.user_type != "internal" and not all(basic(s) for s in scopes):
        lifetimes.append(TESTING_REFRESH_LIFETIME)
    return min(lifetimes) if lifetimes else None
