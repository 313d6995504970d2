"""Service accounts for the IAM Credentials API and self-signed JWT tests, on the running
server's database: accounts, user-managed keys (with their key files), role bindings.

Rows are written with the service-account tables directly (as the storage contract tests
do) so that these tests depend only on the store (``SqlServiceAccounts``) the server reads;
one test drives the same set-up through the ``accord service-accounts`` CLI when it exists.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, insert, select, update

from accord.storage.engine import make_engine
from accord.storage.schema import (
    projects,
    service_account_bindings,
    service_account_keys,
    service_accounts,
)
from accord.storage.sealing import new_rsa_key, pkcs8_pem, public_pem, self_signed
from tests.conftest import Server

TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"
IAM_APIS = ("drive", "calendar", "iamcredentials")


@dataclass
class Account:
    pk: int
    email: str
    unique_id: str
    project_id: str
    key_id: str = ""
    key_file: Path | None = None

    @property
    def member(self) -> str:
        return "serviceAccount:" + self.email


class Accounts:
    """Makes service accounts, keys and bindings on ``server``'s database."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.engine: Engine = make_engine(server.env["ACCORD_DATABASE_URL"])

    def project(self, apis: tuple[str, ...] = IAM_APIS) -> str:
        return self.server.new_project("IAM App", apis)

    def account(self, project_id: str | None = None, key: bool = True) -> Account:
        project_id = project_id or self.project()
        account_id = "sa-" + uuid.uuid4().hex[:8]
        email = f"{account_id}@{project_id}.iam.gserviceaccount.com"
        unique_id = "1" + "".join(secrets.choice("0123456789") for _ in range(20))
        with self.engine.begin() as conn:
            project_pk = conn.execute(
                select(projects.c.pk).where(projects.c.project_id == project_id)
            ).scalar_one()
            pk = conn.execute(
                insert(service_accounts)
                .values(project_pk=project_pk, account_id=account_id, email=email,
                        unique_id=unique_id, display_name="IAM test", created_at=int(time.time()))
                .returning(service_accounts.c.pk)
            ).scalar_one()
        made = Account(pk, email, unique_id, project_id)
        if key:
            made.key_id, made.key_file = self.key(made)
        return made

    def key(self, account: Account) -> tuple[str, Path]:
        """A user-managed key: (its id, the key file of §1.14 with Accord's URLs)."""
        private = new_rsa_key()
        key_id = secrets.token_hex(20)
        now = int(time.time())
        with self.engine.begin() as conn:
            conn.execute(insert(service_account_keys).values(
                service_account_pk=account.pk, key_id=key_id, key_type="USER_MANAGED",
                origin="GOOGLE_PROVIDED", algorithm="KEY_ALG_RSA_2048",
                public_key=public_pem(private),
                certificate=self_signed(private, account.email, key_id, now - 60, now + 10**7),
                valid_after=now - 60, valid_before=now + 10**7, created_at=now - 60,
            ))
        issuer = self.server.url
        info = {
            "type": "service_account",
            "project_id": account.project_id,
            "private_key_id": key_id,
            "private_key": pkcs8_pem(private).decode(),
            "client_email": account.email,
            "client_id": account.unique_id,
            "auth_uri": issuer + "/o/oauth2/auth",
            "token_uri": issuer + "/token",
            "auth_provider_x509_cert_url": issuer + "/oauth2/v1/certs",
            "client_x509_cert_url": issuer + "/robot/v1/metadata/x509/" + quote(account.email),
            "universe_domain": "googleapis.com",
        }
        path = self.server.data_dir / f"key-{key_id[:8]}.json"
        path.write_text(json.dumps(info))
        return key_id, path

    def bind(self, target: Account, member: str, role: str = TOKEN_CREATOR) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(service_account_bindings).values(
                service_account_pk=target.pk, role=role, member=member,
                created_at=int(time.time()),
            ))

    def set_disabled(self, account: Account, disabled: bool = True) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(service_accounts).where(service_accounts.c.pk == account.pk)
                         .values(disabled_at=int(time.time()) if disabled else None))

    def disable_key(self, key_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(service_account_keys)
                         .where(service_account_keys.c.key_id == key_id)
                         .values(disabled_at=int(time.time())))

    def public_keys(self, account: Account, key_type: str = "SYSTEM_MANAGED") -> dict[str, str]:
        """kid -> PEM certificate of the account's keys of ``key_type``."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(service_account_keys.c.key_id, service_account_keys.c.certificate)
                .where(service_account_keys.c.service_account_pk == account.pk,
                       service_account_keys.c.key_type == key_type)
            ).all()
        return {r.key_id: r.certificate for r in rows}


@pytest.fixture(scope="module")
def accounts(server: Server) -> Accounts:
    return Accounts(server)
