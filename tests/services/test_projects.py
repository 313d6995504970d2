"""Projects: IDs, organizations, members, APIs, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.services import Conflict, NotFound, ServiceError
from accord.storage.schema import clients, project_members
from tests.services.conftest import OPERATOR, Svc, new_domain, new_project_id


@pytest.mark.parametrize("bad", ["short", "Upper-case1", "1starts-digit", "ends-with-", "a" * 31])
def test_project_id_rule(svc: Svc, bad: str) -> None:
    with pytest.raises(ServiceError, match="project ID") as refused:
        svc.projects.create(OPERATOR, bad)
    assert refused.value.field == "project_id"


def test_project_ids_are_unique(svc: Svc) -> None:
    pid = new_project_id()
    view = svc.projects.create(OPERATOR, pid)
    assert view.name == pid and len(view.number) == 12
    with pytest.raises(Conflict, match="exists already"):
        svc.projects.create(OPERATOR, pid)


def test_projects_of_org_users_belong_to_the_org(svc: Svc) -> None:
    domain = new_domain()
    org_id = domain.split(".")[0]
    svc.orgs.create(OPERATOR, org_id, "Org", [domain])
    member = svc.new_user(domain=domain)
    assert svc.projects.create(member, new_project_id()).org_id == org_id
    assert svc.projects.create(svc.new_user(), new_project_id()).org_id is None
    with pytest.raises(NotFound, match=f"Organization {org_id} not found"):
        svc.projects.create(svc.new_user(), new_project_id(), org_id=org_id)


def test_members_and_the_last_owner(svc: Svc) -> None:
    owner, other = svc.new_user(), svc.new_user()
    pid = svc.projects.create(owner, new_project_id()).project_id
    svc.projects.add_member(owner, pid, svc.email(other), "editor")
    assert {m.role for m in svc.projects.members(owner, pid)} == {"owner", "editor"}
    with pytest.raises(ServiceError, match="last owner"):
        svc.projects.remove_member(owner, pid, svc.email(owner))
    with pytest.raises(ServiceError, match="at least one owner"):
        svc.projects.add_member(owner, pid, svc.email(owner), "viewer")
    svc.projects.add_member(owner, pid, svc.email(other), "owner")
    svc.projects.remove_member(other, pid, svc.email(owner))  # two owners: fine
    with pytest.raises(NotFound):
        svc.projects.get(owner, pid)
    with pytest.raises(NotFound, match="No account"):
        svc.projects.add_member(other, pid, "nobody@example.com", "viewer")
    with pytest.raises(ServiceError) as refused:
        svc.projects.add_member(other, pid, svc.email(owner), "admin")
    assert refused.value.field == "role"


def test_apis_enable_and_disable(svc: Svc) -> None:
    pid = svc.projects.create(OPERATOR, new_project_id()).project_id
    svc.projects.enable_apis(OPERATOR, pid, ["drive", "calendar", "drive"])
    svc.projects.disable_api(OPERATOR, pid, "calendar")
    assert {a.api: a.enabled for a in svc.projects.apis(OPERATOR, pid)} == {
        "drive": True, "calendar": False, "iamcredentials": False
    }
    with pytest.raises(ServiceError, match="unknown API"):
        svc.projects.enable_api(OPERATOR, pid, "gmail")


def test_delete_cascades(svc: Svc) -> None:
    owner = svc.new_user()
    pid = svc.projects.create(owner, new_project_id()).project_id
    new = svc.clients.create(owner, pid, "w", redirect_uris=["https://a.example.com/cb"])
    svc.projects.delete(owner, pid)
    with svc.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(
            clients.c.client_id == new.client_id)).scalar_one() == 0
        assert conn.execute(select(func.count()).where(
            project_members.c.user_pk == owner.user_pk)).scalar_one() == 0
    with pytest.raises(NotFound):
        svc.projects.get(OPERATOR, pid)


def test_rename_and_views(svc: Svc) -> None:
    pid = svc.projects.create(OPERATOR, new_project_id(), "Old").project_id
    view = svc.projects.rename(OPERATOR, pid, "  New  ")
    body = view.as_json()
    assert body["name"] == "New" and body["projectId"] == pid
    assert body["createTime"] == "2027-01-15T08:00:00Z"
