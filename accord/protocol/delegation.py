"""Domain-wide delegation (reference §1.16): a service account's assertion names a user in
``sub``, and an organization that owns the user's domain has authorized the account's
unique id (its OAuth client id) for every scope asked. The token then acts as that user,
without a consent page, and the organization's audit log says so."""

from __future__ import annotations

from accord.google import wording
from accord.protocol.context import Context
from accord.protocol.errors import DelegationDenied, InvalidGrant, InvalidRequest
from accord.protocol.messages import AuditEvent, Principal, PrincipalKind, ServiceAccount

MAX_SUB = 320  # an email address's longest (RFC 5321 §4.5.3.1 with the @)


def well_formed(sub: object) -> bool:
    """An email address or a numeric user id, nothing else (no spaces, no controls)."""
    if not isinstance(sub, str) or not 0 < len(sub) <= MAX_SUB:
        return False
    if not sub.isprintable() or any(c.isspace() for c in sub):
        return False
    if sub.isdigit():
        return True
    local, at, domain = sub.rpartition("@")
    return bool(at and local and "." in domain.strip(".") and "@" not in domain)


def acting_as(
    ctx: Context, account: ServiceAccount, sub: object, scopes: tuple[str, ...], now: int
) -> Principal:
    """The user ``account`` may act as for ``scopes``, or Google's refusal: a malformed
    ``sub`` is ``invalid_request``; a user unknown, disabled or in no organization
    ``invalid_grant``; an organization that did not authorize the account for each scope
    ``unauthorized_client`` (401)."""
    if not well_formed(sub):
        raise InvalidRequest(wording.DELEGATION_SUB)
    assert isinstance(sub, str)
    found = ctx.store.user_by_login(sub)  # disabled accounts are not found
    user = found[0] if found is not None else None
    if user is None or user.org_pk is None:
        raise InvalidGrant(wording.DELEGATION_USER, detail="no such user in an organization")
    allowed = ctx.accounts().delegated_scopes(user.org_pk, account.unique_id)
    missing = sorted(set(scopes) - set(ctx.scopes.normalize(tuple(allowed))))
    event = AuditEvent(
        event="token.delegated",
        at=now,
        user_pk=user.pk,
        email=user.email,
        org_pk=user.org_pk,
        project_pk=account.project_pk,
        client_id=account.unique_id,
        outcome="denied" if missing else "issued",
        detail=(("service_account", account.email), ("scope", " ".join(scopes)))
        + ((("not_authorized", " ".join(missing)),) if missing else ()),
    )
    if missing:
        ctx.store.record(event)
        raise DelegationDenied(wording.DELEGATION_DENIED, detail=f"not authorized: {missing}")
    ctx.store.record(event)
    return Principal(
        kind=PrincipalKind.USER,
        pk=user.pk,
        sub=user.sub,
        email=user.email,
        email_verified=user.email_verified,
        org_pk=user.org_pk,
    )
