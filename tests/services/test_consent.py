"""The consent screen and test users (reference §1.2)."""

from __future__ import annotations

import pytest

from accord.services import ServiceError
from tests.services.conftest import OPERATOR, Svc, new_domain, new_project_id


def project(svc: Svc) -> str:
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "Project Name")
    return pid


def test_defaults_show_the_project_name(svc: Svc) -> None:
    screen = svc.projects.consent_screen(OPERATOR, project(svc))
    assert screen.app_name == "Project Name"
    assert (screen.user_type, screen.publishing_status) == ("external", "production")


def test_update_sets_and_reads_back(svc: Svc) -> None:
    pid = project(svc)
    screen = svc.projects.update_consent_screen(
        OPERATOR, pid, app_name="My App", support_email="Help@Example.com",
        logo_url="https://example.com/logo.png", home_url="https://example.com",
        privacy_url="http://localhost:8080/privacy", terms_url="",
        authorized_domains=["Example.com", "example.com", "myapp.appspot.com"],
        publishing_status="testing",
    )
    assert screen.support_email == "help@example.com"
    assert screen.authorized_domains == ("example.com", "myapp.appspot.com")
    assert screen.as_json()["publishingStatus"] == "testing"
    assert svc.projects.consent_screen(OPERATOR, pid) == screen


@pytest.mark.parametrize(("fields", "field"), [
    ({"app_name": ""}, "app_name"),
    ({"app_name": "x" * 121}, "app_name"),
    ({"support_email": "not-an-email"}, "support_email"),
    ({"logo_url": "http://example.com/logo.png"}, "logo_url"),
    ({"home_url": "ftp://example.com"}, "home_url"),
    ({"privacy_url": "https://example.com/" + "a" * 2048}, "privacy_url"),
    ({"terms_url": "javascript:alert(1)"}, "terms_url"),
    ({"authorized_domains": ["www.example.com"]}, "authorized_domains"),
    ({"authorized_domains": ["com"]}, "authorized_domains"),
    ({"authorized_domains": ["appspot.com"]}, "authorized_domains"),
    ({"user_type": "public"}, "user_type"),
    ({"user_type": "internal"}, "user_type"),  # not a project of an organization
    ({"publishing_status": "draft"}, "publishing_status"),
])
def test_invalid_fields_are_refused_by_name(svc: Svc, fields: dict[str, object],
                                            field: str) -> None:
    pid = project(svc)
    with pytest.raises(ServiceError) as refused:
        svc.projects.update_consent_screen(OPERATOR, pid, **fields)
    assert refused.value.field == field
    assert svc.projects.consent_screen(OPERATOR, pid).app_name == "Project Name"


def test_unknown_fields_are_refused(svc: Svc) -> None:
    with pytest.raises(ServiceError, match="unknown"):
        svc.projects.update_consent_screen(OPERATOR, project(svc), colour="red")


def test_internal_needs_an_organization(svc: Svc) -> None:
    domain = new_domain()
    svc.orgs.create(OPERATOR, domain.split(".")[0], "Org", [domain])
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "Internal App", org_id=domain.split(".")[0])
    assert svc.projects.update_consent_screen(OPERATOR, pid, user_type="internal").user_type == (
        "internal"
    )


def test_test_users_are_lower_cased_and_capped_at_100(svc: Svc) -> None:
    pid = project(svc)
    for i in range(100):
        svc.projects.add_test_user(OPERATOR, pid, f"Tester{i}@Example.com")
    users = svc.projects.test_users(OPERATOR, pid)
    assert len(users) == 100 and "tester7@example.com" in users
    svc.projects.add_test_user(OPERATOR, pid, "tester7@example.com")  # already there: fine
    with pytest.raises(ServiceError, match="at most 100 test users") as refused:
        svc.projects.add_test_user(OPERATOR, pid, "one-more@example.com")
    assert refused.value.field == "email"
    svc.projects.remove_test_user(OPERATOR, pid, "TESTER7@example.com")
    svc.projects.add_test_user(OPERATOR, pid, "one-more@example.com")


def test_test_users_must_be_emails(svc: Svc) -> None:
    with pytest.raises(ServiceError, match="not an email"):
        svc.projects.add_test_user(OPERATOR, project(svc), "nobody")
