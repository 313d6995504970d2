"""Organizations (reference §1.10): domains, admins, users, API controls, audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.services import Conflict, Forbidden, Member, NotFound, ServiceError
from accord.storage.schema import authorizations, users
from accord.storage.sql import SqlStore
from tests.services.conftest import OPERATOR, PASSWORD, Svc, new_domain, new_project_id


def new_org(svc: Svc) -> tuple[str, str, Member]:
    """(org_id, domain, an admin)."""
    domain = new_domain()
    org_id = domain.split(".")[0]
    svc.orgs.create(OPERATOR, org_id, "Org", [domain])
    admin = svc.new_user(domain=domain)
    svc.orgs.add_admin(OPERATOR, org_id, svc.email(admin))
    return org_id, domain, admin


def test_create_needs_the_operator_and_public_suffix_domains(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    view = svc.orgs.get(admin, org_id)
    assert view.domains == (domain,) and view.as_json()["orgId"] == org_id
    with pytest.raises(Forbidden):
        svc.orgs.create(admin, "other-org", "Other", [new_domain()])
    for bad in (["com"], ["appspot.com"], ["localhost"], ["a..b.com"], []):
        with pytest.raises(ServiceError) as refused:
            svc.orgs.create(OPERATOR, "bad-org", "Bad", bad)
        assert refused.value.field == "domains"
    with pytest.raises(Conflict, match="exists already"):
        svc.orgs.create(OPERATOR, org_id, "Again", [new_domain()])


def test_a_domain_belongs_to_one_organization(svc: Svc) -> None:
    org_id, domain, _ = new_org(svc)
    other, _, _ = new_org(svc)
    with pytest.raises(Conflict, match="another organization"):
        svc.orgs.create(OPERATOR, "x" + new_domain().split(".")[0], "X", [domain])
    with pytest.raises(Conflict):
        svc.orgs.add_domain(OPERATOR, other, domain)
    svc.orgs.add_domain(OPERATOR, org_id, domain)  # its own: no change
    extra = "eu." + new_domain()  # a subdomain may be an organization's own
    assert extra in svc.orgs.add_domain(OPERATOR, org_id, extra).domains
    assert extra not in svc.orgs.remove_domain(OPERATOR, org_id, extra).domains


def test_only_admins_see_the_org(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    user = svc.new_user(domain=domain)
    for actor in (user, svc.new_user()):
        with pytest.raises(NotFound, match=f"^Organization {org_id} not found$"):
            svc.orgs.users(actor, org_id)
    with pytest.raises(NotFound, match="^Organization no-such-org not found$"):
        svc.orgs.users(OPERATOR, "no-such-org")
    assert [o.org_id for o in svc.orgs.list(admin)] == [org_id]
    assert svc.orgs.list(user) == []
    with pytest.raises(Forbidden):
        svc.orgs.add_domain(admin, org_id, new_domain())


def test_admins_manage_users(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    view = svc.orgs.create_user(admin, org_id, f"Emp@{domain}", PASSWORD, "Emp")
    assert view.email == f"emp@{domain}" and not view.disabled
    with pytest.raises(ServiceError, match="domain") as refused:
        svc.orgs.create_user(admin, org_id, "emp@elsewhere.com", PASSWORD)
    assert refused.value.field == "email"
    with pytest.raises(ServiceError, match="at least 8"):
        svc.orgs.create_user(admin, org_id, f"short@{domain}", "short")
    with pytest.raises(Conflict):
        svc.orgs.create_user(admin, org_id, f"emp@{domain}", PASSWORD)
    with svc.engine.connect() as conn:
        assert conn.execute(select(users.c.domain).where(
            users.c.email == f"emp@{domain}")).scalar_one() == domain
    assert [u.email for u in svc.orgs.users(admin, org_id)] == sorted(
        [svc.email(admin), f"emp@{domain}"])


def test_disable_enable_and_delete_a_user(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    svc.orgs.create_user(admin, org_id, f"emp@{domain}", PASSWORD)
    svc.orgs.disable_user(admin, org_id, f"emp@{domain}")
    store = SqlStore(svc.engine)
    assert store.user_by_login(f"emp@{domain}") is None  # no sign-in
    svc.orgs.enable_user(admin, org_id, f"emp@{domain}")
    assert store.user_by_login(f"emp@{domain}") is not None
    with pytest.raises(ServiceError, match="your own account"):
        svc.orgs.disable_user(admin, org_id, svc.email(admin))
    with pytest.raises(NotFound, match="No user"):
        svc.orgs.disable_user(admin, org_id, "someone@example.com")
    svc.orgs.delete_user(admin, org_id, f"emp@{domain}")
    with svc.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(
            users.c.email == f"emp@{domain}")).scalar_one() == 0
    assert f"emp@{domain}" not in [u.email for u in svc.orgs.users(admin, org_id)]


def test_deleting_a_user_deletes_their_tokens(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    member = svc.new_user(domain=domain)
    pid = svc.projects.create(OPERATOR, new_project_id()).project_id
    new = svc.clients.create(OPERATOR, pid, "w", redirect_uris=["https://a.example.com/cb"])
    client = SqlStore(svc.engine).client(new.client_id)
    assert client is not None
    with svc.engine.begin() as conn:
        conn.execute(authorizations.insert().values(
            user_pk=member.user_pk, client_pk=client.pk, project_pk=client.project_pk,
            scopes="openid", access_type="offline", refresh_hash="f" * 64 + "",
            created_at=0, last_used_at=0,
        ))
    svc.orgs.delete_user(admin, org_id, svc.email(member))
    with svc.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(
            authorizations.c.user_pk == member.user_pk)).scalar_one() == 0


def test_admins_and_the_last_admin(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    with pytest.raises(ServiceError, match="at least one admin"):
        svc.orgs.remove_admin(admin, org_id, svc.email(admin))
    with pytest.raises(NotFound):
        svc.orgs.add_admin(admin, org_id, svc.email(svc.new_user()))  # not an org user
    second = svc.new_user(domain=domain)
    svc.orgs.add_admin(admin, org_id, svc.email(second))
    assert len(svc.orgs.admins(admin, org_id)) == 2
    svc.orgs.remove_admin(second, org_id, svc.email(admin))
    with pytest.raises(NotFound):
        svc.orgs.get(admin, org_id)


def test_app_access_needs_a_known_client_and_access(svc: Svc) -> None:
    org_id, _, admin = new_org(svc)
    pid = svc.projects.create(OPERATOR, new_project_id(), "Some App").project_id
    new = svc.clients.create(OPERATOR, pid, "w", redirect_uris=["https://a.example.com/cb"])
    svc.orgs.set_app_access(admin, org_id, new.client_id, "blocked")
    svc.orgs.set_app_access(admin, org_id, new.client_id, "trusted")
    [view] = svc.orgs.app_access(admin, org_id)
    assert (view.client_id, view.access, view.app_name) == (new.client_id, "trusted", "Some App")
    with pytest.raises(ServiceError) as refused:
        svc.orgs.set_app_access(admin, org_id, "123-nope.apps.example", "trusted")
    assert refused.value.field == "client_id"
    with pytest.raises(ServiceError) as refused:
        svc.orgs.set_app_access(admin, org_id, new.client_id, "allowed")
    assert refused.value.field == "access"


def test_restricted_apis(svc: Svc) -> None:
    org_id, _, admin = new_org(svc)
    svc.orgs.restrict_api(admin, org_id, "drive")
    svc.orgs.restrict_api(admin, org_id, "drive")
    assert svc.orgs.restricted_apis(admin, org_id) == ["drive"]
    with pytest.raises(ServiceError, match="unknown API"):
        svc.orgs.restrict_api(admin, org_id, "gmail")
    svc.orgs.unrestrict_api(admin, org_id, "drive")
    with pytest.raises(NotFound):
        svc.orgs.unrestrict_api(admin, org_id, "drive")


def test_audit_log_records_admin_actions_newest_first(svc: Svc) -> None:
    org_id, domain, admin = new_org(svc)
    svc.orgs.create_user(admin, org_id, f"emp@{domain}", PASSWORD)
    svc.orgs.disable_user(admin, org_id, f"emp@{domain}")
    svc.orgs.restrict_api(admin, org_id, "calendar")
    events = svc.orgs.audit(admin, org_id)
    assert [e.event for e in events[:3]] == [
        "policy.api_restricted", "user.disabled", "user.created"
    ]
    assert dict(events[1].detail)["actor"] == svc.email(admin)
    assert events[1].email == f"emp@{domain}"
    assert events[-1].event == "org.created"
    page = svc.orgs.audit(admin, org_id, limit=1, before=events[0].id)
    assert [e.id for e in page] == [events[1].id]
    with pytest.raises(ServiceError):
        svc.orgs.audit(admin, org_id, limit=1001)
    other, _, _ = new_org(svc)
    assert all(e.event != "user.disabled" for e in svc.orgs.audit(OPERATOR, other))
