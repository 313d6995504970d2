"""The ServiceAccounts contract (accord.protocol.ports), on every backend."""

from __future__ import annotations

import secrets
import threading
import uuid
from dataclasses import dataclass

import jwt
import pytest
from sqlalchemy import Engine, insert, select, update

from accord.clock import SystemClock
from accord.protocol.messages import Principal, PrincipalKind
from accord.services import Admin
from accord.storage.schema import (
    authorizations,
    org_delegations,
    organizations,
    projects,
    service_account_bindings,
    service_account_keys,
    service_accounts,
)
from accord.storage.sealing import KeyDecryptionError, new_rsa_key, public_pem, self_signed
from accord.storage.service_accounts import (
    SYSTEM_KEY_GRACE,
    SYSTEM_KEY_ROTATION,
    SqlServiceAccounts,
)

NOW = 1_800_000_000
SEAL = b"k" * 32


@dataclass
class Made:
    pk: int
    email: str
    unique_id: str
    project_pk: int
    project_id: str


def make_account(engine: Engine, project_id: str | None = None, **values: object) -> Made:
    if project_id is None:
        project_id = "p-" + uuid.uuid4().hex[:10]
        Admin(engine, SystemClock()).create_project(project_id)
    account_id = "sa-" + uuid.uuid4().hex[:8]
    email = f"{account_id}@{project_id}.iam.gserviceaccount.com"
    unique_id = "1" + "".join(secrets.choice("0123456789") for _ in range(20))
    with engine.begin() as conn:
        project_pk = conn.execute(
            select(projects.c.pk).where(projects.c.project_id == project_id)
        ).scalar_one()
        row = {"project_pk": project_pk, "account_id": account_id, "email": email,
               "unique_id": unique_id, "created_at": NOW - 100, **values}
        pk = conn.execute(
            insert(service_accounts).values(row).returning(service_accounts.c.pk)
        ).scalar_one()
    return Made(pk, str(row["email"]), unique_id, project_pk, project_id)


def add_key(engine: Engine, sa_pk: int, **values: object) -> str:
    private = new_rsa_key()
    key_id = secrets.token_hex(20)
    with engine.begin() as conn:
        conn.execute(insert(service_account_keys).values({
            "service_account_pk": sa_pk, "key_id": key_id, "key_type": "USER_MANAGED",
            "origin": "GOOGLE_PROVIDED", "public_key": public_pem(private),
            "certificate": self_signed(private, "x", key_id, NOW - 10, NOW + 10**6),
            "valid_after": NOW - 10, "valid_before": NOW + 10**6, "created_at": NOW - 10,
            **values,
        }))
    return key_id


@pytest.fixture
def accounts(engine: Engine) -> SqlServiceAccounts:
    return SqlServiceAccounts(engine, SEAL)


def test_an_account_is_found_by_email_or_unique_id(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    made = make_account(engine, display_name="Builder")
    by_email = accounts.service_account(made.email.upper())
    by_id = accounts.service_account(made.unique_id)
    assert by_email == by_id and by_email is not None
    assert (by_email.pk, by_email.email, by_email.project_id) == (
        made.pk, made.email, made.project_id)
    assert by_email.display_name == "Builder" and not by_email.disabled
    assert len(by_email.project_number) >= 6 and by_email.project_number.isdigit()
    principal = by_email.principal()
    assert principal.kind is PrincipalKind.SERVICE_ACCOUNT and principal.sub == made.unique_id
    assert accounts.service_account("nobody@x.iam.gserviceaccount.com") is None
    assert accounts.service_account("100000000000000000001") is None
    assert accounts.service_account("not-an-id") is None


def test_deleted_and_disabled_accounts_are_returned_marked(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    gone = make_account(engine, deleted_at=NOW - 5)
    off = make_account(engine, disabled_at=NOW - 5)
    found = accounts.service_account(gone.email)
    assert found is not None and found.deleted and found.principal().disabled
    found = accounts.service_account(off.unique_id)
    assert found is not None and found.disabled and not found.deleted


def test_the_newest_account_of_an_email_wins(engine: Engine, accounts: SqlServiceAccounts) -> None:
    """A deleted account's email may be taken again: the live, newer row is the account."""
    old = make_account(engine, deleted_at=NOW - 50)
    with engine.begin() as conn:
        account_id = conn.execute(
            select(service_accounts.c.account_id).where(service_accounts.c.pk == old.pk)
        ).scalar_one()
        new_pk = conn.execute(insert(service_accounts).values(
            project_pk=old.project_pk, account_id=account_id, email=old.email,
            unique_id="1" + uuid.uuid4().int.__str__()[:20].rjust(20, "0"), created_at=NOW,
        ).returning(service_accounts.c.pk)).scalar_one()
    found = accounts.service_account(old.email)
    assert found is not None and found.pk == new_pk and not found.deleted
    assert accounts.service_account(old.unique_id).pk == old.pk  # type: ignore[union-attr]


def test_public_keys_are_the_enabled_valid_keys(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    made = make_account(engine)
    good = add_key(engine, made.pk)
    add_key(engine, made.pk, disabled_at=NOW - 1)
    add_key(engine, made.pk, valid_before=NOW - 1)
    add_key(engine, made.pk, valid_after=NOW + 60)
    other = make_account(engine)
    add_key(engine, other.pk)
    keys = accounts.public_keys(made.pk, NOW)
    assert [k.key_id for k in keys] == [good]
    assert keys[0].key_type == "USER_MANAGED" and "BEGIN PUBLIC KEY" in keys[0].public_key
    assert "BEGIN CERTIFICATE" in keys[0].certificate and not keys[0].disabled


def test_a_deleted_account_publishes_no_keys(engine: Engine, accounts: SqlServiceAccounts) -> None:
    made = make_account(engine)
    add_key(engine, made.pk)
    with engine.begin() as conn:
        conn.execute(update(service_accounts).where(service_accounts.c.pk == made.pk)
                     .values(deleted_at=NOW))
    assert accounts.public_keys(made.pk, NOW) == []


def test_signing_key_is_made_once_sealed_and_published(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    made = make_account(engine)
    kid, pem = accounts.signing_key(made.pk, NOW)
    assert len(kid) == 40 and "BEGIN PRIVATE KEY" in pem
    assert accounts.signing_key(made.pk, NOW + 60) == (kid, pem)
    # Another process (same sealing key) reads the same key.
    assert SqlServiceAccounts(engine, SEAL).signing_key(made.pk, NOW + 60) == (kid, pem)
    with engine.connect() as conn:
        row = conn.execute(
            select(service_account_keys).where(service_account_keys.c.key_id == kid)
        ).one()
    assert row.key_type == "SYSTEM_MANAGED" and row.origin == "GOOGLE_PROVIDED"
    assert "PRIVATE KEY" not in row.private_key  # sealed at rest
    published = accounts.public_keys(made.pk, NOW)
    assert [(k.key_id, k.key_type) for k in published] == [(kid, "SYSTEM_MANAGED")]
    token = jwt.encode({"iss": made.email}, pem, algorithm="RS256", headers={"kid": kid})
    assert jwt.decode(token, published[0].public_key, algorithms=["RS256"]) == {
        "iss": made.email}


def test_signing_key_under_another_sealing_key_is_refused(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    made = make_account(engine)
    accounts.signing_key(made.pk, NOW)
    with pytest.raises(KeyDecryptionError, match="ACCORD_SECRET_KEY"):
        SqlServiceAccounts(engine, b"o" * 32).signing_key(made.pk, NOW)


def test_signing_key_rotates_by_age_and_the_old_one_stays_published(
    engine: Engine, accounts: SqlServiceAccounts
) -> None:
    made = make_account(engine)
    first, _ = accounts.signing_key(made.pk, NOW)
    later = NOW + SYSTEM_KEY_ROTATION + 1
    second, _ = accounts.signing_key(made.pk, later)
    assert second != first
    assert {k.key_id for k in accounts.public_keys(made.pk, later)} == {first, second}
    gone = NOW + SYSTEM_KEY_ROTATION + SYSTEM_KEY_GRACE + 1
    assert {k.key_id for k in accounts.public_keys(made.pk, gone)} == {second}


def test_a_disabled_system_key_is_replaced(engine: Engine, accounts: SqlServiceAccounts) -> None:
    made = make_account(engine)
    first, _ = accounts.signing_key(made.pk, NOW)
    with engine.begin() as conn:
        conn.execute(update(service_account_keys)
                     .where(service_account_keys.c.key_id == first).values(disabled_at=NOW))
    second, _ = accounts.signing_key(made.pk, NOW + 1)
    assert second != first


def test_racing_first_uses_make_one_key(engine: Engine) -> None:
    made = make_account(engine)
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def race() -> None:
        mine = SqlServiceAccounts(engine, SEAL)  # one per "process"
        barrier.wait()
        try:
            results.append(mine.signing_key(made.pk, NOW)[0])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=race) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(results) == 6 and len(set(results)) == 1
    with engine.connect() as conn:
        count = conn.execute(select(service_account_keys.c.pk).where(
            service_account_keys.c.service_account_pk == made.pk)).all()
    assert len(count) == 1


def test_delegated_scopes(engine: Engine, accounts: SqlServiceAccounts) -> None:
    org_id = "org-" + uuid.uuid4().hex[:8]
    with engine.begin() as conn:
        org_pk = conn.execute(insert(organizations).values(
            org_id=org_id, name="Org", created_at=NOW).returning(organizations.c.pk)
        ).scalar_one()
        conn.execute(insert(org_delegations).values(
            org_pk=org_pk, client_id="123456789012345678901", created_at=NOW, updated_at=NOW,
            scopes="https://www.googleapis.com/auth/drive openid",
        ))
    assert accounts.delegated_scopes(org_pk, "123456789012345678901") == frozenset(
        {"https://www.googleapis.com/auth/drive", "openid"})
    assert accounts.delegated_scopes(org_pk, "123456789012345678902") == frozenset()
    assert accounts.delegated_scopes(org_pk + 1000, "123456789012345678901") == frozenset()


def test_has_role(engine: Engine, accounts: SqlServiceAccounts) -> None:
    made = make_account(engine)
    role = "roles/iam.serviceAccountTokenCreator"
    with engine.begin() as conn:
        conn.execute(insert(service_account_bindings).values(
            service_account_pk=made.pk, role=role, member="user:ann@example.com",
            created_at=NOW))
    assert accounts.has_role(made.pk, "user:ann@example.com", role)
    assert accounts.has_role(made.pk, "user:Ann@Example.com", role)
    assert not accounts.has_role(made.pk, "serviceAccount:ann@example.com", role)
    assert not accounts.has_role(made.pk, "user:ann@example.com", "roles/iam.serviceAccountUser")
    assert not accounts.has_role(make_account(engine).pk, "user:ann@example.com", role)


def test_account_authorizations(
    engine: Engine, accounts: SqlServiceAccounts, ids: tuple[int, int, int]
) -> None:
    made = make_account(engine)
    found = accounts.service_account(made.email)
    assert found is not None
    own = accounts.create_account_authorization(
        found.principal(), made.pk, made.project_pk, ("a", "b"), NOW, NOW + 3599)
    user = Principal(PrincipalKind.USER, ids[0], "sub")
    delegated = accounts.create_account_authorization(
        user, made.pk, made.project_pk, ("a",), NOW, NOW + 3599)
    with engine.connect() as conn:
        rows = {r.pk: r for r in conn.execute(
            select(authorizations).where(authorizations.c.pk.in_([own, delegated]))).all()}
    a, d = rows[own], rows[delegated]
    assert (a.principal_kind, a.user_pk, a.client_pk, a.service_account_pk) == (
        "service_account", None, None, made.pk)
    assert (a.project_pk, a.scopes, a.access_type, a.refresh_hash, a.access_expires_at) == (
        made.project_pk, "a b", "online", None, NOW + 3599)
    assert (d.principal_kind, d.user_pk, d.client_pk, d.service_account_pk) == (
        "user", ids[0], None, made.pk)
