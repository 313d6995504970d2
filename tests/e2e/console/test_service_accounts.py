"""The console's service accounts over HTTP (issue 10): the list and the creation form
with Google's messages, an account's page (disable, enable, delete after a confirmation,
undelete), keys (the JSON key file downloaded once, uploads), role bindings, and an
organization's domain-wide delegation. Viewers see; editors and owners change."""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from accord.clock import SystemClock
from accord.services import Operator, Organizations
from tests.conftest import Server
from tests.e2e.console.support import Console, flash

KEY_FILE_FIELDS = [
    "type", "project_id", "private_key_id", "private_key", "client_email", "client_id",
    "auth_uri", "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url",
    "universe_domain",
]


def new_account(owner: Console, project_id: str, account_id: str = "") -> tuple[str, str]:
    """Create an account through the form: (its email, its unique ID)."""
    account_id = account_id or "sa-" + uuid.uuid4().hex[:10]
    created = owner.post(
        f"/console/projects/{project_id}/service-accounts/new", "create",
        account_id=account_id, display_name="Nightly <build>", description="CI",
    )
    assert created.status_code == 303, created.text
    assert flash(created) == "account_created"
    unique_id = created.headers["location"].split("?")[0].rsplit("/", 1)[1]
    return f"{account_id}@{project_id}.iam.gserviceaccount.com", unique_id


def new_key_file(owner: Console, unique_id: str) -> tuple[requests.Response, str]:
    """Create new key, then the key's page: (the page, its path)."""
    made = owner.post(f"/console/service-accounts/{unique_id}/keys", "create_key")
    assert made.status_code == 303, made.text
    path = made.headers["location"].split("?")[0]
    return owner.get(path), path


def certificate_pem(days: int = 365) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "uploaded")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1)).not_valid_after(now + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_console_service_account_lifecycle(owner: Console) -> None:
    """Create (a wrong ID refused next to its field, nothing made), list, disable,
    enable, delete after a confirmation page, undelete from the list."""
    project_id = owner.new_project()
    listing = f"/console/projects/{project_id}/service-accounts"
    assert 'id="no-service-accounts"' in owner.get(listing).text
    bad = owner.post(listing + "/new", "create", account_id="Ab", display_name="x")
    assert bad.status_code == 400
    assert re.search(r'id="error-create-account_id">[^<]+<', bad.text), bad.text
    assert 'value="Ab"' in bad.text  # the form keeps what was typed
    assert 'id="no-service-accounts"' in owner.get(listing).text

    email, unique_id = new_account(owner, project_id)
    assert len(unique_id) == 21 and unique_id.isdigit()
    page = owner.get(f"/console/service-accounts/{unique_id}").text
    assert html.escape(email) in page and "Nightly &lt;build&gt;" in page
    listed = owner.get(listing).text
    assert email in listed and unique_id in listed and "badge-active" in listed
    again = owner.post(listing + "/new", "create", account_id=email.split("@")[0])
    assert again.status_code == 409

    path = f"/console/service-accounts/{unique_id}"
    saved = owner.post(path, "update", display_name="Renamed", description="Nightly CI")
    assert saved.status_code == 303 and flash(saved) == "account_saved"
    assert ">Renamed<" in owner.get(path).text
    too_long = owner.post(path, "update", display_name="x" * 101, description="")
    assert too_long.status_code == 400
    assert re.search(r'id="error-update-display_name">[^<]+<', too_long.text), too_long.text
    assert flash(owner.post(path, "disable")) == "account_disabled"
    assert 'id="account-status">disabled<' in owner.get(path).text
    assert flash(owner.post(path, "enable")) == "account_enabled"
    confirm = owner.post(path, "delete")
    assert confirm.status_code == 200 and 'id="confirm-button"' in confirm.text
    assert 'id="account-status">active<' in owner.get(path).text  # nothing deleted yet
    deleted = owner.post(path, "delete", confirm="yes")
    assert deleted.status_code == 303 and flash(deleted) == "account_deleted"
    assert deleted.headers["location"].startswith(listing)
    listed = owner.get(listing).text
    assert "badge-deleted" in listed and "Undelete" in listed
    restored = owner.post(listing, "undelete", unique_id=unique_id)
    assert restored.status_code == 303 and flash(restored) == "account_undeleted"
    assert 'id="account-status">active<' in owner.get(path).text


def test_console_key_file_is_downloaded_once(server: Server, owner: Console) -> None:
    """Create new key: the key's page offers the JSON key file (reference §1.14, exact
    field order, Accord's URLs) once; the second download and a reload find nothing."""
    project_id = owner.new_project()
    email, unique_id = new_account(owner, project_id)
    page, path = new_key_file(owner, unique_id)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    key_id = re.search(r'id="key-id">([0-9a-f]{40})<', page.text)
    assert key_id, page.text
    assert "BEGIN PRIVATE KEY" not in page.text and "accord_new_key" in owner.http.cookies

    got = owner.post(path + "/download", "download")
    assert got.status_code == 200, got.text
    assert got.headers["cache-control"] == "no-store"
    name = f"{project_id}-{key_id.group(1)[:12]}.json"
    assert got.headers["content-disposition"] == f'attachment; filename="{name}"'
    key_file = json.loads(got.text)
    assert list(key_file) == KEY_FILE_FIELDS
    assert key_file["type"] == "service_account" and key_file["project_id"] == project_id
    assert key_file["private_key_id"] == key_id.group(1)
    assert key_file["client_email"] == email and key_file["client_id"] == unique_id
    assert key_file["token_uri"] == server.url + "/token"
    assert key_file["universe_domain"] == "googleapis.com"
    assert key_file["private_key"].startswith("-----BEGIN PRIVATE KEY-----\n")

    assert owner.post(path + "/download", "download").status_code == 410
    assert owner.get(path).status_code == 410
    keys = owner.get(f"/console/service-accounts/{unique_id}/keys").text
    assert key_id.group(1) in keys and "User-managed" in keys
    assert "BEGIN PRIVATE KEY" not in keys


def test_console_key_file_cookie_is_bound_to_its_browser(
    server: Server, owner: Console
) -> None:
    """Another signed-in browser given the cookie cannot open it (it is bound to the
    session), and someone who is no member of the project gets the 404 page."""
    project_id = owner.new_project()
    _email, unique_id = new_account(owner, project_id)
    _page, path = new_key_file(owner, unique_id)
    other = Console(server, "Other")
    owner.post(f"/console/projects/{project_id}", "add_member", email=other.email,
               role="owner")
    cookie = owner.http.cookies.get("accord_new_key", path=path)
    other.http.cookies.set("accord_new_key", cookie, path=path)
    assert other.get(path).status_code == 410
    stranger = Console(server, "Stranger")
    assert stranger.get(path).status_code == 404
    assert owner.post(path + "/download", "download").status_code == 200


def test_console_keys_upload_disable_enable_delete(owner: Console) -> None:
    """Upload a certificate (a wrong one refused next to the field), then disable,
    enable and delete keys."""
    project_id = owner.new_project()
    _email, unique_id = new_account(owner, project_id)
    keys = f"/console/service-accounts/{unique_id}/keys"
    bad = owner.post(keys, "upload_key", certificate="-----BEGIN CERTIFICATE-----\nnope")
    assert bad.status_code == 400
    assert re.search(r'id="error-upload_key-certificate">[^<]+<', bad.text), bad.text
    uploaded = owner.post(keys, "upload_key", certificate=certificate_pem())
    assert uploaded.status_code == 303 and flash(uploaded) == "key_uploaded"
    page = owner.get(keys).text
    assert "uploaded" in page
    key_id = re.findall(r'name="key_id" value="([0-9a-f]{40})"', page)[0]
    assert flash(owner.post(keys, "disable_key", key_id=key_id)) == "key_disabled"
    assert "badge-disabled" in owner.get(keys).text
    assert flash(owner.post(keys, "enable_key", key_id=key_id)) == "key_enabled"
    assert flash(owner.post(keys, "delete_key", key_id=key_id)) == "key_deleted"
    assert key_id not in owner.get(keys).text
    missing = owner.post(keys, "delete_key", key_id="0" * 40)
    assert missing.status_code == 404


def test_console_permissions_add_and_remove_bindings(server: Server, owner: Console) -> None:
    project_id = owner.new_project()
    _email, unique_id = new_account(owner, project_id)
    path = f"/console/service-accounts/{unique_id}/permissions"
    assert 'id="no-bindings"' in owner.get(path).text
    member, role = f"user:{owner.email}", "roles/iam.serviceAccountTokenCreator"
    added = owner.post(path, "add_binding", member=member, role=role)
    assert added.status_code == 303 and flash(added) == "binding_added"
    page = owner.get(path).text
    assert html.escape(member) in page and role in page
    bad = owner.post(path, "add_binding", member="bob", role=role)
    assert bad.status_code == 400
    assert re.search(r'id="error-add_binding-member">[^<]+<', bad.text), bad.text
    removed = owner.post(path, "remove_binding", member=member, role=role)
    assert removed.status_code == 303 and flash(removed) == "binding_removed"
    assert 'id="no-bindings"' in owner.get(path).text


def test_console_viewer_sees_service_accounts_but_changes_nothing(
    server: Server, owner: Console
) -> None:
    project_id = owner.new_project()
    email, unique_id = new_account(owner, project_id)
    viewer = Console(server, "Viv Viewer")
    owner.post(f"/console/projects/{project_id}", "add_member", email=viewer.email,
               role="viewer")
    listing = f"/console/projects/{project_id}/service-accounts"
    seen = viewer.get(listing).text
    assert email in seen and 'id="new-service-account"' not in seen
    account = f"/console/service-accounts/{unique_id}"
    for path in (account, account + "/keys", account + "/permissions"):
        page = viewer.get(path)
        assert page.status_code == 200 and 'name="action"' not in page.text.split("</nav>", 2)[-1]
    refused = viewer.post(listing + "/new", "create", account_id="sa-viewer-made")
    assert refused.status_code == 403
    assert viewer.post(account, "disable").status_code == 403
    assert viewer.post(account + "/keys", "create_key").status_code == 403
    assert 'id="account-status">active<' in owner.get(account).text
    stranger = Console(server, "Stranger")
    assert stranger.get(listing).status_code == 404
    assert stranger.get(account).status_code == 404


def test_console_forms_need_the_csrf_token(owner: Console) -> None:
    project_id = owner.new_project()
    _email, unique_id = new_account(owner, project_id)
    for token in (None, "forged"):
        answer = owner.post(f"/console/service-accounts/{unique_id}", "disable", csrf=token)
        assert answer.status_code == 403 and "This form has expired" in answer.text
    assert 'id="account-status">active<' in owner.get(
        f"/console/service-accounts/{unique_id}").text


@pytest.fixture
def org(server: Server) -> tuple[str, str, Console]:
    org_id = "org-" + uuid.uuid4().hex[:8]
    domain = f"{org_id}.com"
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Delegating Org", [domain])
    admin = Console(server, "Ada Admin", f"ada@{domain}")
    orgs.add_admin(Operator(), org_id, admin.email)
    return org_id, domain, admin


def test_console_domain_wide_delegation(server: Server, org: tuple[str, str, Console]) -> None:
    """An org admin authorizes a service account's client ID for scopes (one per line or
    comma-delimited), replaces them, and deletes the entry; others get the 404 page."""
    org_id, _domain, admin = org
    project_id = admin.new_project()
    _email, unique_id = new_account(admin, project_id)
    path = f"/console/orgs/{org_id}/delegation"
    assert 'id="delegation-link"' in admin.get(f"/console/orgs/{org_id}").text
    assert 'id="no-delegations"' in admin.get(path).text
    drive, calendar = ("https://www.googleapis.com/auth/drive.metadata.readonly",
                       "https://www.googleapis.com/auth/calendar.readonly")
    added = admin.post(path, "add", client_id=unique_id, scopes=f"{drive},\n{calendar}")
    assert added.status_code == 303 and flash(added) == "delegation_added"
    page = admin.get(path).text
    assert unique_id in page and drive in page and calendar in page
    admin.post(path, "add", client_id=unique_id, scopes=drive)
    page = admin.get(path).text
    assert drive in page and calendar not in page
    bad = admin.post(path, "add", client_id="not-a-number", scopes=drive)
    assert bad.status_code == 400
    assert re.search(r'id="error-add-client_id">[^<]+<', bad.text), bad.text
    removed = admin.post(path, "remove", client_id=unique_id)
    assert removed.status_code == 303 and flash(removed) == "delegation_removed"
    assert 'id="no-delegations"' in admin.get(path).text
    outsider = Console(server, "Outsider")
    assert outsider.get(path).status_code == 404
