"""The OAuth consent screen and test users (reference §1.2).

Links are https (http only on localhost), and the home page, privacy policy and terms
links are on an authorized domain (or a subdomain of one); authorized domains are
registrable domains;
*internal* is only for a project of an organization; in *testing* status only the test
users (at most 100) may authorize the project's apps.
"""

from __future__ import annotations

import json
import re
from typing import Any

from accord.services import rules
from accord.services.actors import Actor, project_ref
from accord.services.base import Service
from accord.services.errors import NotFound, ServiceError
from accord.services.views import ConsentScreen

MAX_TEST_USERS = 100
MAX_DOMAINS = 100
USER_TYPES = ("external", "internal")
PUBLISHING_STATUSES = ("testing", "production")
_URLS = ("logo_url", "home_url", "privacy_url", "terms_url")
_FIELDS = ("app_name", "support_email", *_URLS, "authorized_domains", "user_type",
           "publishing_status")


def _screen(row: Any) -> ConsentScreen:
    return ConsentScreen(
        app_name=row.app_name or row.name, support_email=row.support_email,
        logo_url=row.logo_url, home_url=row.home_url, privacy_url=row.privacy_url,
        terms_url=row.terms_url, authorized_domains=tuple(json.loads(row.authorized_domains)),
        user_type=row.user_type, publishing_status=row.publishing_status,
    )


def _domains(value: object) -> str:
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ServiceError("authorized domains must be a list", field="authorized_domains")
    found: list[tuple[str | None, str]] = []
    out: list[str] = []
    for n, item in enumerate(items, 1):
        if str(item).strip():
            try:
                out.append(rules.domain(str(item), "authorized_domains"))
            except ServiceError as exc:
                found.append(("authorized_domains", f"Line {n}: {str(item).strip()[:200]}: {exc}"))
    out = list(dict.fromkeys(out))
    if len(out) > MAX_DOMAINS:
        found.append(("authorized_domains", f"at most {MAX_DOMAINS} authorized domains"))
    if found:
        raise rules.Invalid(found)
    return json.dumps(out)


def _value(key: str, value: object) -> str:
    if key == "authorized_domains":
        return _domains(value)
    if not isinstance(value, str):
        raise ServiceError(f"the {key.replace('_', ' ')} must be text", field=key)
    if key == "app_name":
        return rules.text(value, key, most=120)
    if key == "support_email":
        return rules.email(value, key) if value.strip() else ""
    if key in _URLS:
        return rules.url(value, key)
    if key == "user_type":
        return rules.choice(value, USER_TYPES, key)
    return rules.choice(value, PUBLISHING_STATUSES, key)


def _validate(fields: dict[str, Any], has_org: bool) -> dict[str, Any]:
    """Every field checked; one :class:`rules.Invalid` lists all the refusals."""
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        raise ServiceError(f"unknown consent screen field(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}

    def check(key: str) -> None:
        values[key] = _value(key, fields[key])

    def audience() -> None:
        if fields.get("user_type") == "internal" and not has_org:
            raise ServiceError("only a project of an organization can be internal",
                               field="user_type")

    rules.check_all(*[lambda key=key: check(key) for key in fields], audience)
    return values


def _check_links(stored: ConsentScreen, values: dict[str, Any]) -> None:
    """The links as they will be, against the authorized domains as they will be."""
    domains = (json.loads(values["authorized_domains"]) if "authorized_domains" in values
               else list(stored.authorized_domains))
    rules.check_all(*[
        lambda key=key: rules.authorized_link(values.get(key, getattr(stored, key)), domains,
                                              key)
        for key in ("home_url", "privacy_url", "terms_url")
    ])


class ConsentMixin(Service):
    def consent_screen(self, actor: Actor, project_id: str) -> ConsentScreen:
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            return _screen(tx.project_row(ref.pk))

    def update_consent_screen(self, actor: Actor, project_id: str, **fields: Any) -> ConsentScreen:
        """Change the fields given (editors); all are validated, every refusal reported."""
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            values = _validate(fields, ref.org_pk is not None)
            _check_links(_screen(tx.project_row(ref.pk)), values)
            if values:
                tx.update_project(ref.pk, values)
                self._audit(tx, actor, "consent_screen.updated", org_pk=ref.org_pk,
                            project_pk=ref.pk, fields=",".join(sorted(values)))
            return _screen(tx.project_row(ref.pk))

    def test_users(self, actor: Actor, project_id: str) -> list[str]:
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            return tx.test_user_emails(ref.pk)

    def add_test_user(self, actor: Actor, project_id: str, email: str) -> None:
        email = rules.email(email)
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            emails = set(tx.test_user_emails(ref.pk))
            if email in emails:
                return
            if len(emails) >= MAX_TEST_USERS:
                raise ServiceError(
                    f"a project can have at most {MAX_TEST_USERS} test users; remove one first",
                    field="email",
                )
            tx.insert_test_user(ref.pk, email, self.clock.now())
            self._audit(tx, actor, "test_user.added", org_pk=ref.org_pk, project_pk=ref.pk,
                        email=email)

    def remove_test_user(self, actor: Actor, project_id: str, email: str) -> None:
        email = rules.email(email)
        with self.db.begin() as tx:
            ref = project_ref(tx, actor, project_id, "editor")
            if not tx.delete_test_user(ref.pk, email):
                raise NotFound(f"{email} is not a test user of {project_id}", field="email")
            self._audit(tx, actor, "test_user.removed", org_pk=ref.org_pk,
                        project_pk=ref.pk, email=email)

    def test_user_count(self, actor: Actor, project_id: str) -> int:
        with self.db.connect() as tx:
            ref = project_ref(tx, actor, project_id, "viewer")
            return tx.test_user_count(ref.pk)
