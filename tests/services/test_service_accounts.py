"""Service accounts (issue 10): accounts, keys, IAM policies and domain-wide delegation,
through the use cases, on every backend."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from accord.services import (
    Conflict,
    Delegations,
    Forbidden,
    NotFound,
    ServiceAccounts,
    ServiceError,
    purge_deleted_service_accounts,
)
from accord.storage.schema import organizations
from accord.storage.service_accounts import SqlServiceAccounts
from tests.services.conftest import NOW, OPERATOR, Svc, new_project_id
from tests.services.test_orgs import new_org

ISSUER = "https://accord.example"
TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator"


def accounts(svc: Svc) -> ServiceAccounts:
    return ServiceAccounts(svc.engine, svc.clock)


def new_account(svc: Svc, project_id: str | None = None) -> tuple[str, str]:
    """(project id, email)"""
    project_id = project_id or new_project_id()
    if project_id not in {p.project_id for p in svc.projects.list(OPERATOR)}:
        svc.projects.create(OPERATOR, project_id, "App")
    account = "sa-" + uuid.uuid4().hex[:8]
    return project_id, accounts(svc).create(OPERATOR, project_id, account, "Builder").email


def certificate(
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, days: int = 365, start: int = NOW
) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "uploaded")])
    begin = datetime.fromtimestamp(start, UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(begin).not_valid_after(begin + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_create_gives_google_identifiers_and_iam_json(svc: Svc) -> None:
    project_id = new_project_id()
    svc.projects.create(OPERATOR, project_id, "App")
    view = accounts(svc).create(OPERATOR, project_id, "ci-runner", "CI runner", "Builds")
    assert view.email == f"ci-runner@{project_id}.iam.gserviceaccount.com"
    assert len(view.unique_id) == 21 and view.unique_id.isdigit()
    assert view.unique_id.startswith("1")
    body = view.as_json()
    assert list(body) == ["name", "projectId", "uniqueId", "email", "displayName", "etag",
                          "description", "oauth2ClientId"]
    assert body["name"] == f"projects/{project_id}/serviceAccounts/{view.email}"
    assert body["oauth2ClientId"] == body["uniqueId"] == view.unique_id
    base64.b64decode(body["etag"], validate=True)
    bare = accounts(svc).create(OPERATOR, project_id, "bare-account").as_json()
    assert "displayName" not in bare and "description" not in bare and "disabled" not in bare


@pytest.mark.parametrize("bad", ["short", "a" * 31, "1starts-digit", "ends-hyphen-",
                                 "Upper-case", "under_score", "has space"])
def test_account_id_rules(svc: Svc, bad: str) -> None:
    project_id = new_project_id()
    svc.projects.create(OPERATOR, project_id, "App")
    with pytest.raises(ServiceError) as refused:
        accounts(svc).create(OPERATOR, project_id, bad)
    assert refused.value.field == "account_id" and "6 to 30 characters" in str(refused.value)


def test_account_id_is_unique_among_live_accounts(svc: Svc) -> None:
    project_id, email = new_account(svc)
    account = email.split("@")[0]
    with pytest.raises(Conflict, match=f"already exists within project projects/{project_id}"):
        accounts(svc).create(OPERATOR, project_id, account)
    other = new_project_id()
    svc.projects.create(OPERATOR, other, "Other")
    accounts(svc).create(OPERATOR, other, account)  # another project: another email


def test_list_describe_by_email_or_unique_id(svc: Svc) -> None:
    project_id, email = new_account(svc)
    _, second = new_account(svc, project_id)
    sa = accounts(svc)
    assert [v.email for v in sa.list(OPERATOR, project_id)] == [email, second]
    view = sa.get(OPERATOR, email.upper())
    assert sa.get(OPERATOR, view.unique_id) == view
    for missing in ("nobody@x.iam.gserviceaccount.com", "123456789012345678901", "junk"):
        with pytest.raises(NotFound, match="not found"):
            sa.get(OPERATOR, missing)


def test_roles_viewers_read_editors_change_strangers_see_nothing(svc: Svc) -> None:
    owner = svc.new_user()
    project_id = new_project_id()
    svc.projects.create(owner, project_id, "App")
    sa = accounts(svc)
    email = sa.create(owner, project_id, "owned-account").email
    viewer, editor, stranger = svc.new_user(), svc.new_user(), svc.new_user()
    svc.projects.add_member(owner, project_id, svc.email(viewer), "viewer")
    svc.projects.add_member(owner, project_id, svc.email(editor), "editor")
    assert sa.get(viewer, email).email == email and sa.list_keys(viewer, email) == []
    with pytest.raises(Forbidden):
        sa.disable(viewer, email)
    with pytest.raises(Forbidden):
        sa.create_key(viewer, email, ISSUER)
    sa.disable(editor, email)
    sa.create_key(editor, email, ISSUER)
    with pytest.raises(Forbidden):  # IAM policies: owners
        sa.add_iam_policy_binding(editor, email, "user:a@example.com", TOKEN_CREATOR)
    with pytest.raises(NotFound):
        sa.get(stranger, email)
    with pytest.raises(NotFound):
        sa.create(stranger, project_id, "stranger-account")


def test_disable_enable_and_what_the_core_sees(svc: Svc) -> None:
    _, email = new_account(svc)
    sa, store = accounts(svc), SqlServiceAccounts(svc.engine, b"s" * 32)
    assert sa.disable(OPERATOR, email).as_json()["disabled"] is True
    found = store.service_account(email)
    assert found is not None and found.disabled
    assert "disabled" not in sa.enable(OPERATOR, email).as_json()
    assert not store.service_account(email).disabled  # type: ignore[union-attr]


def test_delete_undelete_within_30_days(svc: Svc) -> None:
    project_id, email = new_account(svc)
    sa, store = accounts(svc), SqlServiceAccounts(svc.engine, b"s" * 32)
    unique_id = sa.get(OPERATOR, email).unique_id
    sa.delete(OPERATOR, email)
    assert sa.list(OPERATOR, project_id) == []
    assert store.service_account(email).deleted  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        sa.get(OPERATOR, email)
    with pytest.raises(NotFound):
        sa.disable(OPERATOR, email)
    svc.clock.advance(29 * 24 * 3600)
    assert sa.undelete(OPERATOR, email).unique_id == unique_id
    assert sa.get(OPERATOR, email).unique_id == unique_id
    sa.delete(OPERATOR, unique_id)
    svc.clock.advance(30 * 24 * 3600 + 1)
    with pytest.raises(NotFound, match="more than 30 days ago"):
        sa.undelete(OPERATOR, unique_id)


def test_undelete_is_refused_once_the_email_is_taken(svc: Svc) -> None:
    project_id, email = new_account(svc)
    sa = accounts(svc)
    old = sa.get(OPERATOR, email).unique_id
    sa.delete(OPERATOR, email)
    new = sa.create(OPERATOR, project_id, email.split("@")[0])
    assert new.email == email and new.unique_id != old
    with pytest.raises(Conflict, match="has taken its email"):
        sa.undelete(OPERATOR, old)
    assert sa.get(OPERATOR, email).unique_id == new.unique_id


def test_purge_removes_accounts_deleted_30_days_ago(svc: Svc) -> None:
    _, kept = new_account(svc)
    _, gone = new_account(svc)
    sa = accounts(svc)
    gone_id = sa.get(OPERATOR, gone).unique_id
    sa.create_key(OPERATOR, gone, ISSUER)
    sa.delete(OPERATOR, gone)
    sa.delete(OPERATOR, kept)
    svc.clock.advance(30 * 24 * 3600 + 1)
    assert purge_deleted_service_accounts(svc.engine, svc.clock.now()) >= 2
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    assert store.service_account(gone_id) is None and store.service_account(kept) is None


def test_a_created_key_file_signs_what_the_published_key_verifies(svc: Svc) -> None:
    project_id, email = new_account(svc)
    sa = accounts(svc)
    new = sa.create_key(OPERATOR, email, ISSUER)
    key_file = json.loads(new.key_file_json)
    assert list(key_file) == [
        "type", "project_id", "private_key_id", "private_key", "client_email", "client_id",
        "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url",
        "universe_domain"]
    unique_id = sa.get(OPERATOR, email).unique_id
    assert key_file["type"] == "service_account" and key_file["project_id"] == project_id
    assert key_file["client_email"] == email and key_file["client_id"] == unique_id
    assert key_file["private_key_id"] == new.key.key_id and len(new.key.key_id) == 40
    assert key_file["private_key"].startswith("-----BEGIN PRIVATE KEY-----\n")
    assert key_file["token_uri"] == ISSUER + "/token"
    assert key_file["auth_uri"] == ISSUER + "/o/oauth2/auth"
    assert key_file["auth_provider_x509_cert_url"] == ISSUER + "/oauth2/v1/certs"
    assert key_file["client_x509_cert_url"] == (
        ISSUER + "/robot/v1/metadata/x509/" + email.replace("@", "%40"))
    assert key_file["universe_domain"] == "googleapis.com"
    body = new.as_json()
    assert body["privateKeyType"] == "TYPE_GOOGLE_CREDENTIALS_FILE"
    assert json.loads(base64.b64decode(body["privateKeyData"])) == key_file
    assert body["keyAlgorithm"] == "KEY_ALG_RSA_2048" and body["keyType"] == "USER_MANAGED"
    assert body["keyOrigin"] == "GOOGLE_PROVIDED"
    assert body["validBeforeTime"] == "9999-12-31T23:59:59Z"
    assert body["name"] == f"projects/{project_id}/serviceAccounts/{email}/keys/{new.key.key_id}"
    # The private half is not kept; the public half is published to the core.
    listed = sa.list_keys(OPERATOR, email)
    assert listed == [new.key] and "privateKeyData" not in listed[0].as_json()
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    account = store.service_account(email)
    assert account is not None
    (published,) = store.public_keys(account.pk, svc.clock.now())
    token = jwt.encode({"iss": email}, key_file["private_key"], algorithm="RS256")
    assert jwt.decode(token, published.public_key, algorithms=["RS256"])["iss"] == email


def test_at_most_ten_user_managed_keys(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    keys = [sa.create_key(OPERATOR, email, ISSUER).key.key_id for _ in range(9)]
    sa.upload_key(OPERATOR, email, certificate(rsa.generate_private_key(65537, 2048)))
    with pytest.raises(ServiceError, match="Precondition check failed"):
        sa.create_key(OPERATOR, email, ISSUER)
    sa.disable_key(OPERATOR, email, keys[0])  # disabled keys count
    with pytest.raises(ServiceError, match="10 user-managed keys"):
        sa.upload_key(OPERATOR, email, certificate(rsa.generate_private_key(65537, 2048)))
    sa.delete_key(OPERATOR, email, keys[0])
    sa.create_key(OPERATOR, email, ISSUER)


def test_disable_enable_delete_keys(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    pk = store.service_account(email).pk  # type: ignore[union-attr]
    key_id = sa.create_key(OPERATOR, email, ISSUER).key.key_id
    assert sa.disable_key(OPERATOR, email, key_id).as_json()["disabled"] is True
    assert store.public_keys(pk, svc.clock.now()) == []
    assert not sa.enable_key(OPERATOR, email, key_id).disabled
    assert [k.key_id for k in store.public_keys(pk, svc.clock.now())] == [key_id]
    sa.delete_key(OPERATOR, email, key_id)
    assert store.public_keys(pk, svc.clock.now()) == [] and sa.list_keys(OPERATOR, email) == []
    with pytest.raises(NotFound, match=f"Key {key_id}"):
        sa.delete_key(OPERATOR, email, key_id)


def test_system_managed_keys_are_listed_not_managed(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    system, _ = store.signing_key(store.service_account(email).pk, NOW)  # type: ignore[union-attr]
    user = sa.create_key(OPERATOR, email, ISSUER).key.key_id
    assert [k.key_id for k in sa.list_keys(OPERATOR, email)] == [system, user]
    assert [k.key_id for k in sa.list_keys(OPERATOR, email, ["USER_MANAGED"])] == [user]
    assert [k.key_id for k in sa.list_keys(OPERATOR, email, ["SYSTEM_MANAGED"])] == [system]
    with pytest.raises(ServiceError, match="unknown key type"):
        sa.list_keys(OPERATOR, email, ["BOTH"])
    with pytest.raises(ServiceError, match="system-managed"):
        sa.delete_key(OPERATOR, email, system)


def test_upload_a_certificate(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    private = rsa.generate_private_key(65537, 2048)
    pem = certificate(private, days=90, start=NOW - 3600)
    view = sa.upload_key(OPERATOR, email, pem)
    body = view.as_json()
    assert body["keyOrigin"] == "USER_PROVIDED" and body["keyType"] == "USER_MANAGED"
    assert body["validAfterTime"] == "2027-01-15T07:00:00Z"
    assert view.valid_before == NOW - 3600 + 90 * 86400
    with pytest.raises(Conflict, match="already"):
        sa.upload_key(OPERATOR, email, pem)
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    pk = store.service_account(email).pk  # type: ignore[union-attr]
    (published,) = store.public_keys(pk, svc.clock.now())
    token = jwt.encode({"iss": email}, private, algorithm="RS256")
    assert jwt.decode(token, published.public_key, algorithms=["RS256"])["iss"] == email


@pytest.mark.parametrize("case, message", [
    ("garbage", "not a PEM-encoded X.509 certificate"),
    ("broken", "cannot be read"),
    ("expired", "has expired"),
    ("ec", "not an RSA key"),
    ("small", "1024 bits"),
    ("huge", "too large"),
])
def test_upload_refuses_bad_certificates(svc: Svc, case: str, message: str) -> None:
    _, email = new_account(svc)
    rsa_key = rsa.generate_private_key(65537, 2048)
    pem = {
        "garbage": lambda: "hello",
        "broken": lambda: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "expired": lambda: certificate(rsa_key, days=1, start=NOW - 3 * 86400),
        "ec": lambda: certificate(ec.generate_private_key(ec.SECP256R1())),
        "small": lambda: certificate(rsa.generate_private_key(65537, 1024)),  # noqa: S505
        "huge": lambda: certificate(rsa_key) + "x" * 20000,
    }[case]()
    with pytest.raises(ServiceError, match=message) as refused:
        accounts(svc).upload_key(OPERATOR, email, pem)
    assert refused.value.field == "certificate"


def test_iam_policy_bindings(svc: Svc) -> None:
    _, email = new_account(svc)
    _, caller = new_account(svc)
    sa = accounts(svc)
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    pk = store.service_account(email).pk  # type: ignore[union-attr]
    empty = sa.get_iam_policy(OPERATOR, email).as_json()
    assert list(empty) == ["version", "etag"] and empty["version"] == 1
    sa.add_iam_policy_binding(OPERATOR, email, "user:Ann@Example.com", TOKEN_CREATOR)
    policy = sa.add_iam_policy_binding(OPERATOR, email, f"serviceAccount:{caller}", TOKEN_CREATOR)
    again = sa.add_iam_policy_binding(OPERATOR, email, f"serviceAccount:{caller}", TOKEN_CREATOR)
    assert again == policy
    sa.add_iam_policy_binding(OPERATOR, email, "user:ann@example.com",
                              "roles/iam.serviceAccountUser")
    body = sa.get_iam_policy(OPERATOR, email).as_json()
    assert body["bindings"] == [
        {"role": "roles/iam.serviceAccountTokenCreator",
         "members": ["serviceAccount:" + caller, "user:ann@example.com"]},
        {"role": "roles/iam.serviceAccountUser", "members": ["user:ann@example.com"]},
    ]
    assert body["etag"] != empty["etag"] and body["etag"] != policy.as_json()["etag"]
    assert store.has_role(pk, "user:ann@example.com", TOKEN_CREATOR)
    assert store.has_role(pk, f"serviceAccount:{caller}", TOKEN_CREATOR)
    sa.remove_iam_policy_binding(OPERATOR, email, "user:ann@example.com", TOKEN_CREATOR)
    assert not store.has_role(pk, "user:ann@example.com", TOKEN_CREATOR)
    with pytest.raises(NotFound, match="Policy binding"):
        sa.remove_iam_policy_binding(OPERATOR, email, "user:ann@example.com", TOKEN_CREATOR)


@pytest.mark.parametrize("member, role, field", [
    ("ann@example.com", TOKEN_CREATOR, "member"),
    ("group:g@example.com", TOKEN_CREATOR, "member"),
    ("user:not-an-email", TOKEN_CREATOR, "member"),
    ("user:ann@example.com", "roles/nonsense", "role"),
    ("user:ann@example.com", "iam.serviceAccountTokenCreator", "role"),
])
def test_iam_policy_bindings_are_validated(svc: Svc, member: str, role: str, field: str) -> None:
    _, email = new_account(svc)
    with pytest.raises(ServiceError) as refused:
        accounts(svc).add_iam_policy_binding(OPERATOR, email, member, role)
    assert refused.value.field == field


def test_domain_wide_delegation(svc: Svc) -> None:
    org_id, _, admin = new_org(svc)
    _, email = new_account(svc)
    unique_id = accounts(svc).get(OPERATOR, email).unique_id
    dwd = Delegations(svc.engine, svc.clock)
    view = dwd.add(admin, org_id, unique_id, ["https://www.googleapis.com/auth/drive", "email"])
    assert view.scopes == ("https://www.googleapis.com/auth/drive",
                           "https://www.googleapis.com/auth/userinfo.email")
    assert view.as_json()["serviceAccount"] == email
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    with svc.engine.connect() as conn:
        org_pk = conn.execute(select(organizations.c.pk).where(
            organizations.c.org_id == org_id)).scalar_one()
    assert store.delegated_scopes(org_pk, unique_id) == frozenset(view.scopes)
    replaced = dwd.add(admin, org_id, unique_id, ["https://www.googleapis.com/auth/calendar"])
    assert replaced.scopes == ("https://www.googleapis.com/auth/calendar",)
    assert [d.client_id for d in dwd.list(admin, org_id)] == [unique_id]
    with pytest.raises(NotFound):  # not an admin of that organization
        dwd.list(svc.new_user(), org_id)
    dwd.remove(admin, org_id, unique_id)
    assert dwd.list(OPERATOR, org_id) == []
    assert store.delegated_scopes(org_pk, unique_id) == frozenset()
    with pytest.raises(NotFound, match="no domain-wide delegation"):
        dwd.remove(admin, org_id, unique_id)


@pytest.mark.parametrize("client, scopes, field", [
    ("12345", ["https://www.googleapis.com/auth/drive"], "client_id"),
    ("x" * 21, ["https://www.googleapis.com/auth/drive"], "client_id"),
    ("123456789012345678901", [], "scopes"),
    ("123456789012345678901", ["drive"], "scopes"),
    ("123456789012345678901", ["http://www.googleapis.com/auth/drive"], "scopes"),
])
def test_delegation_is_validated(svc: Svc, client: str, scopes: list[str], field: str) -> None:
    org_id, _, admin = new_org(svc)
    with pytest.raises(ServiceError) as refused:
        Delegations(svc.engine, svc.clock).add(admin, org_id, client, scopes)
    assert refused.value.field == field


def test_changes_are_audited(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    key_id = sa.create_key(OPERATOR, email, ISSUER).key.key_id
    sa.disable(OPERATOR, email)
    unique_id = sa.get(OPERATOR, email).unique_id
    events = [e["event"] for e in sa.db.recent_events(limit=500)
              if e["client_id"] == unique_id]
    assert {"service_account.created", "service_account.key_created",
            "service_account.disabled"} <= set(events)
    assert key_id


def test_an_undeleted_older_account_is_the_one_its_email_names(svc: Svc) -> None:
    """A deleted, B takes the email, B deleted, A undeleted: the email names A again."""
    project_id, email = new_account(svc)
    sa = accounts(svc)
    first = sa.get(OPERATOR, email).unique_id
    sa.delete(OPERATOR, email)
    svc.clock.advance(60)
    second = sa.create(OPERATOR, project_id, email.split("@")[0]).unique_id
    sa.delete(OPERATOR, second)
    assert sa.undelete(OPERATOR, first).unique_id == first
    assert sa.get(OPERATOR, email).unique_id == first
    found = SqlServiceAccounts(svc.engine, b"s" * 32).service_account(email)
    assert found is not None and found.unique_id == first and not found.deleted
    with pytest.raises(Conflict):
        sa.undelete(OPERATOR, second)


def test_purge_removes_system_managed_keys_no_longer_valid(svc: Svc) -> None:
    _, email = new_account(svc)
    sa = accounts(svc)
    store = SqlServiceAccounts(svc.engine, b"s" * 32)
    pk = store.service_account(email).pk  # type: ignore[union-attr]
    old, _ = store.signing_key(pk, svc.clock.now())
    user = sa.create_key(OPERATOR, email, ISSUER).key.key_id
    svc.clock.advance(17 * 24 * 3600)  # past the old key's 14 + 2 days
    new, _ = store.signing_key(pk, svc.clock.now())
    purge_deleted_service_accounts(svc.engine, svc.clock.now())
    assert [k.key_id for k in sa.list_keys(OPERATOR, email)] == [user, new]
    assert old != new
