"""The store contract, continued: what the protocol reads (clients, users, authorizations,
projects, policies) and the audit trail, on every backend."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from accord.clock import SystemClock
from accord.protocol.messages import AccessType, AuditEvent, ClientStatus, CodeGrant
from accord.protocol.tokens import digest
from accord.services import Clients, Operator, Organizations, Projects, Users
from accord.storage.audit import AuditLog
from accord.storage.database import Database
from accord.storage.sql import SqlStore

NOW = 1_800_000_000
OPERATOR = Operator()


@dataclass(frozen=True)
class World:
    email: str
    user_pk: int
    project_id: str
    project_pk: int
    client_id: str
    client_pk: int
    secret: str


@pytest.fixture
def world(engine: Engine, store: SqlStore) -> World:
    clock = SystemClock()
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    Users(engine, clock).create(OPERATOR, email, "password1", "Ada")
    project = "p-" + uuid.uuid4().hex[:10]
    Projects(engine, clock).create(OPERATOR, project)
    new = Clients(engine, clock).create(OPERATOR, project, "web", "web",
                                        ["https://app.example.com/cb"])
    found = store.user_by_login(email)
    client = store.client(new.client_id)
    assert found is not None and client is not None
    store.add_grant(found[0].pk, client.project_pk, frozenset({"openid", "email"}), NOW)
    return World(email, found[0].pk, project, client.project_pk, new.client_id, client.pk,
                 new.client_secret)


def grant(world: World) -> CodeGrant:
    return CodeGrant(
        client_pk=world.client_pk, user_pk=world.user_pk, project_pk=world.project_pk,
        redirect_uri="https://app.example.com/cb", scopes=("openid", "email"),
        access_type=AccessType.ONLINE, issue_refresh_token=False, code_challenge=None,
        code_challenge_method=None, nonce=None, auth_time=NOW, expires_at=NOW + 600,
    )


def test_a_client_is_found_with_its_secret_digests_and_status(
    engine: Engine, store: SqlStore, world: World
) -> None:
    client = store.client(world.client_id)
    assert client is not None
    assert client.secret_hashes == (digest(world.secret),)
    assert client.redirect_uris == ("https://app.example.com/cb",)
    assert (client.project_id, client.project_name) == (world.project_id, world.project_id)
    assert (client.kind, client.status, client.testing) == ("web", ClientStatus.ACTIVE, False)
    Projects(engine, SystemClock()).update_consent_screen(
        OPERATOR, world.project_id, publishing_status="testing", app_name="The App"
    )
    client = store.client(world.client_id)
    assert client is not None and client.testing and client.project_name == "The App"
    clients = Clients(engine, SystemClock())
    clients.disable(OPERATOR, world.client_id)
    assert store.client(world.client_id).status == ClientStatus.DISABLED  # type: ignore[union-attr]
    clients.delete(OPERATOR, world.client_id)
    assert store.client(world.client_id).status == ClientStatus.DELETED  # type: ignore[union-attr]
    assert clients.get(OPERATOR, world.client_id).status == "deleted"
    assert store.client("no-such-client") is None


def test_users_are_found_by_pk_and_by_login(store: SqlStore, world: World) -> None:
    user = store.user_by_pk(world.user_pk)
    assert user is not None and (user.email, user.name) == (world.email, "Ada")
    assert user.org_pk is None and user.hd == ""
    by_email = store.user_by_login(" " + world.email.upper())
    by_sub = store.user_by_login(user.sub)
    assert by_email is not None and by_sub is not None
    assert by_email[0] == by_sub[0] == user and by_email[1].startswith("$argon2")
    assert store.users_by_pk([world.user_pk, -1, world.user_pk]) == [user, user]
    assert store.user_by_pk(-1) is None and store.user_by_login("nobody@example.com") is None


def test_an_organization_user_carries_hd_until_disabled(
    engine: Engine, store: SqlStore
) -> None:
    domain = f"{uuid.uuid4().hex[:8]}.example.org"
    orgs = Organizations(engine, SystemClock())
    org_id = "o-" + uuid.uuid4().hex[:8]
    orgs.create(OPERATOR, org_id, "Org", [domain])
    orgs.create_user(OPERATOR, org_id, f"bo@{domain}", "password1")
    found = store.user_by_login(f"bo@{domain}")
    assert found is not None and found[0].hd == domain and found[0].org_pk is not None
    orgs.disable_user(OPERATOR, org_id, f"bo@{domain}")
    assert store.user_by_login(f"bo@{domain}") is None
    assert store.user_by_pk(found[0].pk) is None


def test_an_authorization_without_a_code_has_a_subject_until_revoked(
    store: SqlStore, world: World
) -> None:
    authorization = store.create_authorization(grant(world), NOW)
    assert not authorization.has_refresh_token and not authorization.revoked
    subject = store.subject(authorization.pk)
    assert subject is not None
    assert (subject.client_id, subject.principal.pk, subject.principal.email) == (
        world.client_id, world.user_pk, world.email
    )
    assert subject.access_type == AccessType.ONLINE and subject.principal.email_verified
    store.touch(authorization.pk, NOW + 5)
    store.revoke_grant(world.user_pk, world.project_pk, NOW + 6)
    assert store.subject(authorization.pk) is None


def test_a_refresh_token_is_found_by_its_hash(store: SqlStore, world: World) -> None:
    code_hash = digest(uuid.uuid4().hex)
    store.save_code(code_hash, grant(world), NOW)
    code = store.find_code(code_hash)
    assert code is not None
    refresh_hash = digest("rt-" + code_hash)
    store.redeem_code(code, refresh_hash, NOW)
    store.touch(store.by_refresh_hash(refresh_hash).pk, NOW + 60)  # type: ignore[union-attr]
    found = store.by_refresh_hash(refresh_hash)
    assert found is not None and found.has_refresh_token and not found.revoked
    assert (found.client_id, found.principal.pk, found.scopes) == (
        world.client_id, world.user_pk, ("openid", "email")
    )
    assert (found.created_at, found.last_used_at) == (NOW, NOW + 60)
    assert not found.principal.disabled and found.principal.org_pk is None
    assert store.by_refresh_hash(digest("unknown")) is None


def test_project_reads(engine: Engine, store: SqlStore, world: World) -> None:
    projects = Projects(engine, SystemClock())
    assert store.enabled_apis(world.project_pk) == frozenset()
    projects.enable_apis(OPERATOR, world.project_id, ["drive", "calendar"])
    assert store.enabled_apis(world.project_pk) == {"drive", "calendar"}
    assert not store.is_test_user(world.project_pk, "tester@example.com")
    projects.add_test_user(OPERATOR, world.project_id, "tester@example.com")
    assert store.is_test_user(world.project_pk, "Tester@Example.com")
    projects.update_consent_screen(OPERATOR, world.project_id,
                                   home_url="https://app.example.com/",
                                   support_email="help@example.com")
    screen = store.consent_screen(world.project_pk)
    assert screen["home_url"] == "https://app.example.com/"
    assert screen["support_email"] == "help@example.com"
    assert set(screen) == {"logo_url", "home_url", "privacy_url", "terms_url", "support_email"}
    assert store.consent_screen(-1) == {}


def test_organization_controls(engine: Engine, store: SqlStore, world: World) -> None:
    orgs = Organizations(engine, SystemClock())
    org_id = "o-" + uuid.uuid4().hex[:8]
    orgs.create(OPERATOR, org_id, "Org", [f"{uuid.uuid4().hex[:8]}.example.org"])
    org_pk = _org_pk(engine, org_id)
    controls = store.org_controls(org_pk, world.client_id)
    assert (controls.access, controls.restricted) == ("limited", frozenset())
    orgs.set_app_access(OPERATOR, org_id, world.client_id, "trusted")
    orgs.restrict_api(OPERATOR, org_id, "drive")
    controls = store.org_controls(org_pk, world.client_id)
    assert (controls.access, controls.restricted) == ("trusted", {"drive"})


def _org_pk(engine: Engine, org_id: str) -> int:
    with Database(engine).connect() as rows:
        pk = rows.org_pk_of(org_id)
    assert pk is not None
    return pk


def test_audit_events_are_recorded_and_read_newest_first(
    engine: Engine, store: SqlStore, world: World
) -> None:
    marker = uuid.uuid4().hex
    store.record(AuditEvent(event="signin", at=NOW, user_pk=world.user_pk, email=world.email,
                            outcome="ok", detail=(("marker", marker),)))
    log = AuditLog(engine)
    log.record(AuditEvent(event="consent", at=NOW + 1, user_pk=world.user_pk, outcome="ok"))
    events = log.recent(user_pk=world.user_pk, limit=2)
    assert [e["event"] for e in events] == ["consent", "signin"]
    assert events[1]["detail"] == {"marker": marker} and events[1]["email"] == world.email
    older = log.recent(user_pk=world.user_pk, before_pk=events[0]["pk"])
    assert older[0]["pk"] == events[1]["pk"]
