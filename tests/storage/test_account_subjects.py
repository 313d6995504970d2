"""subject() and revoke_authorization() for tokens of service accounts (their own, and
domain-wide delegation), on every backend."""

from __future__ import annotations

from sqlalchemy import Engine, update

from accord.protocol.messages import Principal, PrincipalKind
from accord.storage.schema import service_accounts, users
from accord.storage.service_accounts import SqlServiceAccounts
from accord.storage.sql import SqlStore
from tests.storage.test_service_accounts import NOW, SEAL, make_account


def _own(engine: Engine, store: SqlStore) -> tuple[int, int, str, str]:
    made = make_account(engine)
    accounts = SqlServiceAccounts(engine, SEAL)
    account = accounts.service_account(made.email)
    assert account is not None
    pk = accounts.create_account_authorization(
        account.principal(), made.pk, made.project_pk, ("s1",), NOW, NOW + 3599
    )
    return pk, made.pk, made.unique_id, made.email


def test_an_accounts_own_token_has_the_account_as_principal_and_client(
    engine: Engine, store: SqlStore
) -> None:
    pk, sa_pk, unique_id, email = _own(engine, store)
    subject = store.subject(pk)
    assert subject is not None
    assert subject.client_id == unique_id and subject.service_account_pk == sa_pk
    assert subject.principal == Principal(
        PrincipalKind.SERVICE_ACCOUNT, sa_pk, unique_id, email, True, None
    )
    assert subject.project_number.isdigit()


def test_a_disabled_or_deleted_account_leaves_no_subject(engine: Engine, store: SqlStore) -> None:
    for column in ("disabled_at", "deleted_at"):
        pk, sa_pk, _, _ = _own(engine, store)
        with engine.begin() as conn:
            conn.execute(update(service_accounts).where(service_accounts.c.pk == sa_pk)
                         .values({column: NOW}))
        assert store.subject(pk) is None, column


def test_revoking_one_authorization_leaves_the_others(engine: Engine, store: SqlStore) -> None:
    first, _, _, _ = _own(engine, store)
    second, _, _, _ = _own(engine, store)
    store.revoke_authorization(first, NOW + 1)
    assert store.subject(first) is None and store.subject(second) is not None


def test_a_delegated_token_is_the_users_and_dies_with_user_or_account(
    engine: Engine, store: SqlStore, ids: tuple[int, int, int]
) -> None:
    user_pk = ids[0]
    user = store.user_by_pk(user_pk)
    assert user is not None
    made = make_account(engine)
    accounts = SqlServiceAccounts(engine, SEAL)
    principal = Principal(PrincipalKind.USER, user_pk, user.sub, user.email, True)
    pk = accounts.create_account_authorization(
        principal, made.pk, made.project_pk, ("s1",), NOW, NOW + 3599
    )
    subject = store.subject(pk)
    assert subject is not None
    assert (subject.principal.kind, subject.principal.pk, subject.principal.sub) == (
        PrincipalKind.USER, user_pk, user.sub)
    assert subject.client_id == made.unique_id and subject.service_account_pk == made.pk
    with engine.begin() as conn:
        conn.execute(update(service_accounts).where(service_accounts.c.pk == made.pk)
                     .values(disabled_at=NOW))
    assert store.subject(pk) is None
    with engine.begin() as conn:
        conn.execute(update(service_accounts).where(service_accounts.c.pk == made.pk)
                     .values(disabled_at=None))
        conn.execute(update(users).where(users.c.pk == user_pk).values(disabled_at=NOW))
    assert store.subject(pk) is None
