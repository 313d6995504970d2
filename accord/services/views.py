"""What the use cases return: frozen, JSON-friendly, ``as_json()`` in the camelCase of
Google's APIs with RFC 3339 times (``createTime``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def rfc3339(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ProjectView:
    project_id: str
    number: str
    name: str
    created_at: int
    org_id: str | None = None
    role: str = "owner"  # the caller's role (the operator counts as owner)

    def as_json(self) -> dict[str, Any]:
        return {"projectId": self.project_id, "projectNumber": self.number,
                "name": self.name, "createTime": rfc3339(self.created_at),
                "organization": self.org_id, "role": self.role}


@dataclass(frozen=True)
class MemberView:
    email: str
    name: str
    role: str
    created_at: int

    def as_json(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "role": self.role,
                "createTime": rfc3339(self.created_at)}


@dataclass(frozen=True)
class ApiView:
    api: str  # drive, calendar
    title: str
    service: str
    enabled: bool

    def as_json(self) -> dict[str, Any]:
        return {"name": self.api, "title": self.title, "service": self.service,
                "enabled": self.enabled}


@dataclass(frozen=True)
class ConsentScreen:
    app_name: str
    support_email: str = ""
    logo_url: str = ""
    home_url: str = ""
    privacy_url: str = ""
    terms_url: str = ""
    authorized_domains: tuple[str, ...] = ()
    user_type: str = "external"  # external or internal
    publishing_status: str = "production"  # testing or production

    def as_json(self) -> dict[str, Any]:
        return {"appName": self.app_name, "supportEmail": self.support_email,
                "logoUrl": self.logo_url, "homeUrl": self.home_url,
                "privacyUrl": self.privacy_url, "termsUrl": self.terms_url,
                "authorizedDomains": list(self.authorized_domains),
                "userType": self.user_type, "publishingStatus": self.publishing_status}


@dataclass(frozen=True)
class NewClient:
    """A created client; the secret is shown here and never again."""

    client_id: str
    client_secret: str
    project_id: str
    redirect_uris: list[str]
    type: str = "web"
    javascript_origins: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"clientId": self.client_id, "clientSecret": self.client_secret,
                "projectId": self.project_id, "type": self.type,
                "redirectUris": self.redirect_uris,
                "javascriptOrigins": self.javascript_origins}


@dataclass(frozen=True)
class ClientView:
    client_id: str
    project_id: str
    name: str
    type: str  # web or desktop
    redirect_uris: tuple[str, ...]
    javascript_origins: tuple[str, ...]
    created_at: int
    status: str  # active, disabled or deleted
    disabled_at: int | None = None
    deleted_at: int | None = None
    restorable_until: int | None = None  # deleted clients: restore() works until then

    def as_json(self) -> dict[str, Any]:
        return {"clientId": self.client_id, "projectId": self.project_id, "name": self.name,
                "type": self.type, "redirectUris": list(self.redirect_uris),
                "javascriptOrigins": list(self.javascript_origins),
                "createTime": rfc3339(self.created_at), "status": self.status,
                "disableTime": rfc3339(self.disabled_at),
                "deleteTime": rfc3339(self.deleted_at),
                "restorableUntil": rfc3339(self.restorable_until)}


@dataclass(frozen=True)
class NewSecret:
    secret_id: int
    secret: str  # shown here only
    hint: str

    def as_json(self) -> dict[str, Any]:
        return {"secretId": self.secret_id, "secret": self.secret, "hint": self.hint}


@dataclass(frozen=True)
class SecretView:
    secret_id: int
    hint: str  # the last 4 characters
    created_at: int
    enabled: bool
    disabled_at: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"secretId": self.secret_id, "hint": self.hint,
                "createTime": rfc3339(self.created_at), "enabled": self.enabled,
                "disableTime": rfc3339(self.disabled_at)}


@dataclass(frozen=True)
class OrgView:
    org_id: str
    name: str
    domains: tuple[str, ...]
    created_at: int

    def as_json(self) -> dict[str, Any]:
        return {"orgId": self.org_id, "name": self.name, "domains": list(self.domains),
                "createTime": rfc3339(self.created_at)}


@dataclass(frozen=True)
class UserView:
    email: str
    name: str
    sub: str
    created_at: int
    disabled_at: int | None = None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    def as_json(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "sub": self.sub,
                "createTime": rfc3339(self.created_at), "disabled": self.disabled,
                "disableTime": rfc3339(self.disabled_at)}


@dataclass(frozen=True)
class AppAccessView:
    client_id: str
    access: str  # trusted, limited or blocked
    updated_at: int
    app_name: str = ""  # the client's project's app name, when the client still exists

    def as_json(self) -> dict[str, Any]:
        return {"clientId": self.client_id, "access": self.access, "appName": self.app_name,
                "updateTime": rfc3339(self.updated_at)}


@dataclass(frozen=True)
class AuditView:
    id: int  # pass as `before` to read the next (older) page
    at: int
    event: str
    email: str = ""
    client_id: str = ""
    address: str = ""
    outcome: str = ""
    detail: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "time": rfc3339(self.at), "event": self.event,
                "email": self.email, "clientId": self.client_id, "address": self.address,
                "outcome": self.outcome, "detail": dict(self.detail)}
