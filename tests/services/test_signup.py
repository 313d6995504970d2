"""Self-service sign-up: one unverified account outside the organizations' domains."""

from __future__ import annotations

import uuid

import pytest

from accord.services import Member, ServiceError
from accord.services.signup import SignUp
from accord.storage.sql import SqlStore
from tests.services.conftest import OPERATOR, PASSWORD, Svc


def sign_up(svc: Svc, org_domains: frozenset[str] = frozenset()) -> SignUp:
    return SignUp(svc.users, lambda domain: 1 if domain in org_domains else None)


def test_sign_up_makes_an_unverified_account(svc: Svc) -> None:
    email = f"s-{uuid.uuid4().hex[:10]}@example.com"
    sub = sign_up(svc).sign_up(email, PASSWORD, "New Person")
    view = svc.users.get(OPERATOR, email)
    assert (view.sub, view.name) == (sub, "New Person")
    found = SqlStore(svc.engine).user_by_login(email)
    assert found is not None and not found[0].email_verified


@pytest.mark.parametrize(
    ("d", "email", "password"),
    [
        ("an organization's domain", "x@corp.example", PASSWORD),
        ("not an email", "nobody", PASSWORD),
        ("a short password", "y@example.com", "short"),
        ("a password over the rule's 1024 characters", "z@example.com", "p" * 1025),
    ],
)
def test_sign_up_refusals(svc: Svc, d: str, email: str, password: str) -> None:
    with pytest.raises(ServiceError):
        sign_up(svc, frozenset({"corp.example"})).sign_up(email, password, "X")


def test_a_taken_email_is_refused(svc: Svc) -> None:
    member: Member = svc.new_user()
    with pytest.raises(ServiceError):
        sign_up(svc).sign_up(svc.email(member), PASSWORD, "X")
