"""Who may do what on a project (reference §1.2 roles): viewers read, editors change
clients, the consent screen, APIs and test users, owners also manage members and delete
the project; the operator does everything. A non-member gets exactly the NotFound a
missing project or client gives, so it learns nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from accord.clock import FrozenClock
from accord.services import Actor, Clients, Forbidden, Member, NotFound, Projects, Users
from tests.services.conftest import NOW, OPERATOR, PASSWORD, Svc, new_project_id

REDIRECT = "https://app.example.com/cb"


@dataclass(frozen=True)
class Team:
    emails: dict[str, str]  # role -> email (outsider: no membership)
    extra: str  # a viewer the owner may remove

    def actor(self, svc: Svc, role: str) -> Actor:
        return OPERATOR if role == "operator" else svc.member(self.emails[role])


@pytest.fixture(scope="session")
def team(services_engine: Engine) -> Team:
    users = Users(services_engine, FrozenClock(NOW))
    tag = uuid.uuid4().hex[:8]
    emails = {r: f"{r}-{tag}@example.com" for r in ("owner", "editor", "viewer", "outsider")}
    for email in [*emails.values(), f"extra-{tag}@example.com"]:
        users.create(OPERATOR, email, PASSWORD)
    return Team(emails, f"extra-{tag}@example.com")


@dataclass(frozen=True)
class World:
    project_id: str
    client_id: str
    enabled_secret: int
    disabled_secret: int


def build(svc: Svc, team: Team) -> World:
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "App")
    for role in ("owner", "editor", "viewer"):
        svc.projects.add_member(OPERATOR, pid, team.emails[role], role)
    svc.projects.add_member(OPERATOR, pid, team.extra, "viewer")
    svc.projects.add_test_user(OPERATOR, pid, "tester@example.com")
    new = svc.clients.create(OPERATOR, pid, "web", redirect_uris=[REDIRECT])
    first = svc.clients.secrets(OPERATOR, new.client_id)[0].secret_id
    second = svc.clients.add_secret(OPERATOR, new.client_id).secret_id
    svc.clients.disable_secret(OPERATOR, new.client_id, second)
    return World(pid, new.client_id, first, second)


Run = Callable[[Projects, Clients, Actor, World, Team], object]
OPS: dict[str, tuple[str, Run]] = {
    # project, read
    "projects.get": ("viewer", lambda p, c, a, w, t: p.get(a, w.project_id)),
    "projects.members": ("viewer", lambda p, c, a, w, t: p.members(a, w.project_id)),
    "projects.apis": ("viewer", lambda p, c, a, w, t: p.apis(a, w.project_id)),
    "projects.consent_screen": ("viewer", lambda p, c, a, w, t: p.consent_screen(a, w.project_id)),
    "projects.test_users": ("viewer", lambda p, c, a, w, t: p.test_users(a, w.project_id)),
    "clients.list": ("viewer", lambda p, c, a, w, t: c.list(a, w.project_id)),
    # project, change
    "projects.rename": ("editor", lambda p, c, a, w, t: p.rename(a, w.project_id, "New")),
    "projects.enable_api": ("editor", lambda p, c, a, w, t: p.enable_api(a, w.project_id, "drive")),
    "projects.disable_api": ("editor",
                             lambda p, c, a, w, t: p.disable_api(a, w.project_id, "drive")),
    "projects.update_consent_screen": ("editor", lambda p, c, a, w, t: p.update_consent_screen(
        a, w.project_id, app_name="Renamed")),
    "projects.add_test_user": ("editor",
                               lambda p, c, a, w, t: p.add_test_user(a, w.project_id, "n@x.org")),
    "projects.remove_test_user": ("editor", lambda p, c, a, w, t: p.remove_test_user(
        a, w.project_id, "tester@example.com")),
    "clients.create": ("editor", lambda p, c, a, w, t: c.create(
        a, w.project_id, "w2", redirect_uris=[REDIRECT])),
    # project, owner
    "projects.add_member": ("owner", lambda p, c, a, w, t: p.add_member(
        a, w.project_id, t.extra, "editor")),
    "projects.remove_member": ("owner",
                               lambda p, c, a, w, t: p.remove_member(a, w.project_id, t.extra)),
    "projects.delete": ("owner", lambda p, c, a, w, t: p.delete(a, w.project_id)),
    # client, read
    "clients.get": ("viewer", lambda p, c, a, w, t: c.get(a, w.client_id)),
    "clients.secrets": ("viewer", lambda p, c, a, w, t: c.secrets(a, w.client_id)),
    "clients.client_secret_json": ("viewer", lambda p, c, a, w, t: c.client_secret_json(
        a, w.client_id, "https://accord.example", None)),
    # client, change
    "clients.update": ("editor", lambda p, c, a, w, t: c.update(a, w.client_id, name="n")),
    "clients.disable": ("editor", lambda p, c, a, w, t: c.disable(a, w.client_id)),
    "clients.enable": ("editor", lambda p, c, a, w, t: c.enable(a, w.client_id)),
    "clients.delete": ("editor", lambda p, c, a, w, t: c.delete(a, w.client_id)),
    "clients.restore": ("editor", lambda p, c, a, w, t: c.restore(a, w.client_id)),
    "clients.add_secret": ("editor", lambda p, c, a, w, t: c.add_secret(a, w.client_id)),
    "clients.disable_secret": ("editor", lambda p, c, a, w, t: c.disable_secret(
        a, w.client_id, w.enabled_secret)),
    "clients.enable_secret": ("editor", lambda p, c, a, w, t: c.enable_secret(
        a, w.client_id, w.disabled_secret)),
    "clients.delete_secret": ("editor", lambda p, c, a, w, t: c.delete_secret(
        a, w.client_id, w.disabled_secret)),
}
RANK = {"viewer": 0, "editor": 1, "owner": 2, "operator": 3}


@pytest.mark.parametrize("role", ["operator", "owner", "editor", "viewer"])
@pytest.mark.parametrize("op", sorted(OPS))
def test_role_allows_or_forbids(svc: Svc, team: Team, op: str, role: str) -> None:
    """A member at or above the operation's role may do it; below it gets Forbidden (403)."""
    need, run = OPS[op]
    world = build(svc, team)
    actor = team.actor(svc, role)
    if RANK[role] >= RANK[need]:
        run(svc.projects, svc.clients, actor, world, team)
        return
    with pytest.raises(Forbidden) as refused:
        run(svc.projects, svc.clients, actor, world, team)
    assert refused.value.status == 403
    assert need in str(refused.value)


@pytest.mark.parametrize("op", sorted(OPS))
def test_non_member_learns_nothing(svc: Svc, team: Team, op: str) -> None:
    """A non-member's NotFound is word for word the one a missing resource gives."""
    _, run = OPS[op]
    world = build(svc, team)
    with pytest.raises(NotFound) as outsider:
        run(svc.projects, svc.clients, team.actor(svc, "outsider"), world, team)
    svc.projects.delete(OPERATOR, world.project_id)  # now the project and client are gone
    with pytest.raises(NotFound) as missing:
        run(svc.projects, svc.clients, OPERATOR, world, team)
    assert str(outsider.value) == str(missing.value)
    assert str(outsider.value).endswith(" not found")
    assert outsider.value.status == 404


def test_member_lists_only_their_projects(svc: Svc, team: Team) -> None:
    world = build(svc, team)
    viewer = team.actor(svc, "viewer")
    listed = {p.project_id: p.role for p in svc.projects.list(viewer)}
    assert listed[world.project_id] == "viewer"
    assert world.project_id not in {p.project_id for p in svc.projects.list(
        team.actor(svc, "outsider"))}
    assert world.project_id in {p.project_id for p in svc.projects.list(OPERATOR)}


def test_disabled_account_loses_access(svc: Svc) -> None:
    """A disabled account is no member any more: its projects are not found."""
    domain = f"d{uuid.uuid4().hex[:10]}.com"
    svc.orgs.create(OPERATOR, domain.split(".")[0], "Org", [domain])
    member = svc.new_user(domain=domain)
    project = svc.projects.create(member, new_project_id(), "Mine")
    svc.orgs.disable_user(OPERATOR, domain.split(".")[0], svc.email(member))
    with pytest.raises(NotFound):
        svc.projects.get(member, project.project_id)


def test_a_member_creating_a_project_becomes_its_owner(svc: Svc) -> None:
    member = svc.new_user()
    view = svc.projects.create(member, new_project_id(), "Mine")
    assert view.role == "owner"
    assert [(m.email, m.role) for m in svc.projects.members(member, view.project_id)] == [
        (svc.email(member), "owner")
    ]
    assert isinstance(member, Member)
