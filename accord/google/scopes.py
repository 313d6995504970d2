"""The scopes Accord knows, with their consent-page wording (reference §1.1, §1.2).

Sign-in scopes (``openid``, ``email``, ``profile`` and their URL forms) are one
family: granted together, without a checkbox. Google echoes ``email`` and
``profile`` in their URL forms in the granted ``scope`` (reference §1.1, [3P]),
so the canonical name of each is the URL form.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTH = "https://www.googleapis.com/auth/"
ADMIN = AUTH + "accord.admin"
NON, SENSITIVE, RESTRICTED = "non-sensitive", "sensitive", "restricted"


@dataclass(frozen=True)
class Scope:
    name: str
    description: str
    api: str | None = None  # the demo API it opens, None for sign-in scopes
    signin: bool = False
    # Google's classes: non-sensitive, sensitive (verification needed) or restricted
    # (verification and a security assessment); shown in the console's scopes list.
    sensitivity: str = "sensitive"


_SCOPES = (
    Scope("openid", "Associate you with your personal info on Accord", None, True, NON),
    Scope(AUTH + "userinfo.email", "See your primary email address", None, True, NON),
    Scope(
        AUTH + "userinfo.profile",
        "See your personal info, including any personal info you've made publicly available",
        None,
        True,
        NON,
    ),
    Scope(
        AUTH + "drive",
        "See, edit, create, and delete all of your Drive files",
        "drive",
        sensitivity=RESTRICTED,
    ),
    Scope(
        AUTH + "drive.readonly",
        "See and download all your Drive files",
        "drive",
        sensitivity=RESTRICTED,
    ),
    Scope(
        AUTH + "drive.metadata",
        "View and manage metadata of files in your Drive",
        "drive",
        sensitivity=RESTRICTED,
    ),
    Scope(
        AUTH + "drive.metadata.readonly",
        "See information about your Drive files",
        "drive",
        sensitivity=RESTRICTED,
    ),
    Scope(
        AUTH + "drive.file",
        "See, edit, create, and delete only the specific Drive files you use with this app",
        "drive",
        sensitivity=NON,
    ),
    Scope(
        AUTH + "drive.appdata",
        "See, create, and delete its own configuration data in your Drive",
        "drive",
        sensitivity=NON,
    ),
    Scope(
        AUTH + "calendar",
        "See, edit, share, and permanently delete all the calendars you can access",
        "calendar",
    ),
    Scope(
        AUTH + "calendar.readonly",
        "See and download any calendar you can access using your Calendar",
        "calendar",
    ),
    Scope(AUTH + "calendar.events", "View and edit events on all your calendars", "calendar"),
    Scope(AUTH + "calendar.events.readonly", "View events on all your calendars", "calendar"),
    # Google Cloud's broad scopes: what the IAM Credentials API accepts (reference §1.19;
    # google-auth's impersonated credentials re-scope their source to ``iam``).
    Scope(
        AUTH + "cloud-platform",
        "See, edit, configure, and delete your Google Cloud data and see the email address for "
        "your Google Account.",
        None,
    ),
    Scope(AUTH + "iam", "Manage your service accounts' credentials", None),
    # Accord's own: the JSON admin API (the console's projects, clients and organizations).
    Scope(ADMIN, "Manage your Accord projects, OAuth clients and organizations", None),
)

REGISTRY: dict[str, Scope] = {s.name: s for s in _SCOPES}
ALIASES = {"email": AUTH + "userinfo.email", "profile": AUTH + "userinfo.profile"}


def canonical(name: str) -> str:
    return ALIASES.get(name, name)


def unknown(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if canonical(n) not in REGISTRY]


def is_signin(name: str) -> bool:
    scope = REGISTRY.get(canonical(name))
    return scope is not None and scope.signin


def describe(name: str) -> Scope:
    return REGISTRY[canonical(name)]


def normalize(names: tuple[str, ...] | list[str] | frozenset[str] | set[str]) -> tuple[str, ...]:
    """Canonical names, once each, in the stable order the token response uses."""
    return tuple(sorted({canonical(n) for n in names}))


_CLAIM_GROUPS = {
    "openid": "openid",
    AUTH + "userinfo.email": "email",
    AUTH + "userinfo.profile": "profile",
}


def claim_groups(names: tuple[str, ...]) -> frozenset[str]:
    """Which OIDC claim groups the scopes grant: openid, email, profile (OIDC Core §5.4)."""
    return frozenset(g for n in names if (g := _CLAIM_GROUPS.get(canonical(n))) is not None)


def service(name: str) -> str | None:
    """The API a scope opens (for restricted services), None for sign-in and admin scopes."""
    scope = REGISTRY.get(canonical(name))
    return scope.api if scope else None


def basic(name: str) -> bool:
    """Name, email and profile: the scopes whose refresh tokens do not expire in testing
    status (reference §1.2)."""
    return is_signin(name)
