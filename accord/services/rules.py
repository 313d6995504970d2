"""Field checks shared by the use cases; each failure names its form field."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from accord.google.redirect_rules import (
    RuleViolation,
    check_javascript_origin,
    check_redirect_uri,
)
from accord.services.errors import ServiceError
from accord.settings import is_loopback

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
ORG_ID = re.compile(r"^[a-z][a-z0-9-]{0,62}[a-z0-9]$")
_DOMAIN = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+")
MAX_URIS = 100  # redirect URIs, and JavaScript origins, per client
MAX_URL = 2048
MIN_PASSWORD = 8


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList(accept_unknown=False)


def email(value: str, field: str = "email") -> str:
    value = value.strip().lower()
    if len(value) > 320 or not EMAIL.match(value):
        raise ServiceError(f"not an email address: {value!r}", field=field)
    return value


def password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ServiceError(
            f"the password must have at least {MIN_PASSWORD} characters", field="password"
        )
    if len(value) > 1024:
        raise ServiceError("the password must have at most 1024 characters", field="password")
    return value


def text(value: str, field: str, most: int = 200, least: int = 1) -> str:
    value = value.strip()
    if not least <= len(value) <= most:
        raise ServiceError(f"the {field.replace('_', ' ')} must have {least} to {most} "
                           "characters", field=field)
    return value


def project_id(value: str) -> str:
    if not PROJECT_ID.match(value):
        raise ServiceError(
            "a project ID has 6 to 30 lowercase letters, digits or hyphens, "
            "starts with a letter and does not end with a hyphen",
            field="project_id",
        )
    return value


def org_id(value: str) -> str:
    if not ORG_ID.match(value):
        raise ServiceError(
            "an organization ID has 2 to 64 lowercase letters, digits or hyphens, "
            "starts with a letter and does not end with a hyphen",
            field="org_id",
        )
    return value


def domain(value: str, field: str = "domains") -> str:
    """A registrable domain (one label under a public suffix), lower-cased: example.com,
    myapp.appspot.com; not com, appspot.com or www.example.com."""
    value = value.strip().lower().rstrip(".")
    if len(value) > 253 or not _DOMAIN.fullmatch(value) or _psl().privatesuffix(value) != value:
        raise ServiceError(
            f"not a registrable domain (like example.com): {value!r}", field=field
        )
    return value


def org_domain(value: str, field: str = "domains") -> str:
    """A domain an organization may own: under a public suffix without being one
    (example.com, eu.example.com; not com, appspot.com or localhost), lower-cased."""
    value = value.strip().lower().rstrip(".")
    if len(value) > 253 or not _DOMAIN.fullmatch(value) or _psl().privatesuffix(value) is None:
        raise ServiceError(f"not a domain under a public suffix: {value!r}", field=field)
    return value


def url(value: str, field: str) -> str:
    """An https URL (http only on localhost), or "" for none (consent-screen links)."""
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    bad = (
        len(value) > MAX_URL
        or any(not 0x21 <= ord(ch) <= 0x7E for ch in value)
        or not parts.hostname
        or parts.scheme not in ("http", "https")
        or (parts.scheme == "http" and not is_loopback(parts.hostname))
        or "@" in parts.netloc
    )
    if bad:
        raise ServiceError(
            f"must be an https URL of at most {MAX_URL} characters: {value[:100]!r}", field=field
        )
    return value


class Invalid(ServiceError):
    """Several refused fields or lines at once: ``problems`` holds (field, message)
    pairs, in form order; the exception's own message and field are the first's."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__(problems[0][1], problems[0][0])
        self.problems = tuple(problems)


def problems_of(exc: ServiceError) -> list[tuple[str | None, str]]:
    return list(exc.problems) if isinstance(exc, Invalid) else [(exc.field, str(exc))]


def check_all(*checks: Callable[[], object]) -> None:
    """Run every check; raise one :class:`Invalid` with all their refusals."""
    found: list[tuple[str | None, str]] = []
    for check in checks:
        try:
            check()
        except ServiceError as exc:
            found += problems_of(exc)
    if found:
        raise Invalid(found)


def _lines(
    values: Iterable[str], field: str, what: str, check: Callable[[str], None]
) -> list[str]:
    """Each entry checked, deduplicated; a refusal names the entry's line (1-based, as
    given: a form's blank lines count) and value, with the rule."""
    entries = [(n, v.strip()) for n, v in enumerate(values, 1) if v.strip()]
    found: list[tuple[str | None, str]] = []
    for n, value in entries:
        try:
            check(value)
        except (RuleViolation, ServiceError) as exc:
            found.append((field, f"Line {n}: {value[:200]}: {exc}"))
    out = list(dict.fromkeys(v for _, v in entries))
    if len(out) > MAX_URIS:
        found.append((field, f"a client can have at most {MAX_URIS} {what}"))
    if found:
        raise Invalid(found)
    return out


def redirect_uris(values: Iterable[str], client_type: str) -> list[str]:
    """Deduplicated, each checked against Google's rules (reference §1.11)."""
    return _lines(values, "redirect_uris", "redirect URIs",
                  lambda uri: check_redirect_uri(uri, client_type=client_type))


def javascript_origins(values: Iterable[str]) -> list[str]:
    return _lines(values, "javascript_origins", "JavaScript origins", check_javascript_origin)


def choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise ServiceError(f"the {field.replace('_', ' ')} must be one of "
                           f"{', '.join(allowed)}, not {value!r}", field=field)
    return value


_LINKS = {"home_url": "app home page", "privacy_url": "privacy policy link",
          "terms_url": "terms of service link"}


def authorized_link(value: str, domains: Iterable[str], field: str) -> None:
    """Google's rule for the consent screen's links: the host is an authorized domain or
    a subdomain of one. Loopback links (local development) are exempt; so is every link
    while the screen has no authorized domains yet (screens set up before the rule)."""
    domains = list(domains)
    host = (urlsplit(value).hostname or "").lower() if value else ""
    if not host or not domains or is_loopback(host):
        return
    if not any(host == d or host.endswith("." + d) for d in domains):
        raise ServiceError(
            f"the {_LINKS.get(field, field)} must be on an authorized domain: {host} is "
            f"not {' or '.join(domains)} nor a subdomain of it; add its domain to the "
            "authorized domains", field=field,
        )
