"""The developer console over HTTP, against the real server (issue 3, "The web console").

Every page is server-rendered and every POST carries the session's CSRF token. The
console calls only ``accord.services``: its refusals are the services' messages, shown
next to the form field, with the services' status. A project or client that the
signed-in account may not see answers exactly like one that does not exist.
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from markupsafe import escape

from accord.clock import SystemClock
from accord.google import paths
from accord.interaction.signin_page import SIGNIN
from accord.services import Operator, Organizations, ServiceError
from accord.services.rules import redirect_uris
from tests.browser import Browser
from tests.conftest import PASSWORD, REDIRECT_URI, Server

XSS = "<script>alert(1)</script>"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def sign_in(browser: Browser, server: Server, email: str) -> None:
    """Open the console signed out: it sends the browser to the sign-in page, which
    comes back to the console once the password is right."""
    browser.open(server.url + paths.CONSOLE)
    assert urlsplit(str(browser.page.url)).path == SIGNIN, browser.page.url
    browser.sign_in(email, PASSWORD)
    assert str(browser.page.url) == server.url + paths.CONSOLE, browser.page.url


class Console:
    """One person signed in to the console with requests (no JavaScript, like a phone
    browser with scripts off)."""

    def __init__(self, server: Server, name: str = "Console User", email: str = "") -> None:
        self.server = server
        if email:
            self.email, self.sub = email, server.admin.create_user(email, PASSWORD, name)
        else:
            self.email, self.sub = server.new_user(name)
        self.browser = Browser(server.url)
        sign_in(self.browser, server, self.email)
        self.http: requests.Session = self.browser.http

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.server.url + path, allow_redirects=False)

    def csrf(self) -> str:
        found = CSRF.search(self.get(paths.CONSOLE).text)
        assert found, "no CSRF token on the console's front page"
        return html.unescape(found.group(1))

    def post(
        self, path: str, action: str, csrf: str | None = "", **fields: str
    ) -> requests.Response:
        """Submit a console form; ``csrf=""`` takes the session's token, None sends none."""
        data = {"action": action, **fields}
        if csrf is not None:
            data["csrf"] = csrf or self.csrf()
        return self.http.post(self.server.url + path, data=data, allow_redirects=False)

    def new_project(self, name: str = "Console App") -> str:
        project_id = "c-" + uuid.uuid4().hex[:12]
        answer = self.post(paths.CONSOLE, "create", project_id=project_id, name=name)
        assert answer.status_code == 303, answer.text
        return project_id

    def new_client(self, project_id: str, uris: str = REDIRECT_URI) -> tuple[str, str]:
        """Create a web client through the form: (client ID, the secret shown once)."""
        answer = self.post(
            f"/console/projects/{project_id}/clients/new", "create",
            type="web", name="web", redirect_uris=uris, javascript_origins="",
        )
        assert answer.status_code == 200, answer.text
        client_id = re.search(r'id="client-id">([^<]+)<', answer.text)
        secret = re.search(r'id="client-secret">([^<]+)<', answer.text)
        assert client_id and secret
        return html.unescape(client_id.group(1)), html.unescape(secret.group(1))


@pytest.fixture
def owner(server: Server) -> Console:
    return Console(server, "Olive Owner")


def flash(answer: requests.Response) -> str:
    return parse_qs(urlsplit(answer.headers["location"]).query).get("ok", [""])[0]


def test_console_signed_out_goes_to_the_sign_in_page(server: Server) -> None:
    """Nobody signed in: the console sends the browser to the standalone sign-in page,
    which comes back to the page asked for (Google's ``continue``)."""
    answer = requests.get(server.url + "/console/projects/x?authuser=0", allow_redirects=False)
    assert answer.status_code == 302
    target = urlsplit(answer.headers["location"])
    assert target.path == SIGNIN
    assert parse_qs(target.query)["continue"] == ["/console/projects/x?authuser=0"]


def test_console_creates_a_project_and_lists_it(owner: Console) -> None:
    """Post/Redirect/Get: creating a project redirects to it with a confirmation."""
    project_id = "c-" + uuid.uuid4().hex[:12]
    answer = owner.post(paths.CONSOLE, "create", project_id=project_id, name="Inventory")
    assert answer.status_code == 303
    assert urlsplit(answer.headers["location"]).path == f"/console/projects/{project_id}"
    assert flash(answer) == "project_created"
    page = owner.http.get(owner.server.url + answer.headers["location"])
    assert "Project created." in page.text and "Inventory" in page.text
    assert project_id in owner.get(paths.CONSOLE).text


def test_console_flash_messages_come_from_a_fixed_table(owner: Console) -> None:
    """``?ok=`` names a message; a crafted link cannot put its own words on the page."""
    page = owner.get("/console?ok=Your+account+is+locked")
    assert page.status_code == 200
    assert "Your account is locked" not in page.text
    assert 'id="flash"' not in page.text


def test_console_post_without_csrf_is_refused_and_changes_nothing(owner: Console) -> None:
    """A form without the session's CSRF token (or with another one) is refused with a
    4xx and nothing changes."""
    project_id = owner.new_project("Before")
    path = f"/console/projects/{project_id}"
    for token in (None, "forged-token"):
        answer = owner.post(path, "rename", csrf=token, name="After")
        assert 400 <= answer.status_code < 500
        assert "This form has expired" in answer.text
    assert ">Before<" in owner.get(path).text
    assert "After" not in owner.get(path).text


def test_console_hides_other_peoples_projects_and_clients(server: Server, owner: Console) -> None:
    """A non-member gets the same 404 page for a real project or client as for one that
    does not exist, on GET and on POST, and nothing changes."""
    project_id = owner.new_project("Secret Plans")
    client_id, _secret = owner.new_client(project_id)
    stranger = Console(server, "Stranger")
    for real, fake in (
        (f"/console/projects/{project_id}", "/console/projects/c-000000000000"),
        (f"/console/projects/{project_id}/consent", "/console/projects/c-000000000000/consent"),
        (f"/console/projects/{project_id}/clients", "/console/projects/c-000000000000/clients"),
        (f"/console/clients/{client_id}", "/console/clients/0-nothing.apps.googleusercontent.com"),
    ):
        seen, missing = stranger.get(real), stranger.get(fake)
        assert seen.status_code == missing.status_code == 404
        assert seen.text == missing.text
        assert "Secret Plans" not in seen.text and project_id not in seen.text
    answer = stranger.post(f"/console/projects/{project_id}", "rename", name="Mine now")
    assert answer.status_code == 404
    assert "Secret Plans" in owner.get(f"/console/projects/{project_id}").text
    download = stranger.post(f"/console/clients/{client_id}/download", "download")
    assert download.status_code == 404 and client_id not in download.text


def test_console_viewer_reads_but_cannot_change(server: Server, owner: Console) -> None:
    """A viewer sees the project without its forms; a change they post anyway is refused
    with 403 and the services' message."""
    project_id = owner.new_project("Shared")
    viewer = Console(server, "Vera Viewer")
    path = f"/console/projects/{project_id}"
    added = owner.post(path, "add_member", email=viewer.email, role="viewer")
    assert added.status_code == 303 and flash(added) == "member_added"

    page = viewer.get(path)
    assert page.status_code == 200 and "Shared" in page.text
    assert 'id="rename"' not in page.text and 'id="delete-project"' not in page.text
    answer = viewer.post(path, "rename", name="Taken over")
    assert answer.status_code == 403
    assert "does not have permission" in answer.text
    assert "Taken over" not in owner.get(path).text


def test_console_shows_the_services_message_next_to_the_field(owner: Console) -> None:
    """A redirect URI with a fragment is refused with the services' own message (reference
    §1.11: "Fragment: not allowed"), next to the redirect URIs field, input kept."""
    bad = "https://app.example.com/callback#section"
    with pytest.raises(ServiceError) as refused:
        redirect_uris([bad], "web")
    project_id = owner.new_project()
    answer = owner.post(
        f"/console/projects/{project_id}/clients/new", "create",
        type="web", name="web", redirect_uris=bad, javascript_origins="",
    )
    assert answer.status_code == 400
    error = re.search(r'id="error-create-redirect_uris">([^<]*)<', answer.text)
    assert error and html.unescape(error.group(1)) == str(refused.value)
    assert 'aria-invalid="true"' in answer.text
    assert escape(bad) in answer.text  # what was typed is still there
    assert "apps.googleusercontent.com" not in owner.get(
        f"/console/projects/{project_id}/clients"
    ).text


def test_console_escapes_the_app_name(owner: Console) -> None:
    """A name that is markup is shown as text on the console and consent-screen pages."""
    project_id = owner.new_project(XSS)
    path = f"/console/projects/{project_id}"
    saved = owner.post(
        path + "/consent", "save", app_name=XSS, support_email=owner.email,
        logo_url="", home_url="", privacy_url="", terms_url="", authorized_domains="",
        user_type="external", publishing_status="testing",
    )
    assert saved.status_code == 303, saved.text
    for page in (paths.CONSOLE, path, path + "/consent", path + "/clients"):
        text = owner.get(page).text
        assert XSS not in text
        assert escape(XSS) in text


def test_console_client_secret_download(owner: Console) -> None:
    """The secret is shown once; Download JSON posts it back and gets Google's
    client_secret.json (reference §1.12) as an attachment; a wrong secret is left out."""
    project_id = owner.new_project()
    client_id, secret = owner.new_client(project_id)
    assert secret not in owner.get(f"/console/clients/{client_id}").text

    answer = owner.post(f"/console/clients/{client_id}/download", "download", secret=secret)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.headers["cache-control"] == "no-store"
    web = answer.json()["web"]
    assert web["client_id"] == client_id and web["client_secret"] == secret
    assert web["token_uri"] == owner.server.url + "/token"
    assert web["redirect_uris"] == [REDIRECT_URI]

    other = owner.post(f"/console/clients/{client_id}/download", "download", secret="GOCSPX-x")
    assert "client_secret" not in other.json()["web"]


def test_console_secret_rotation_limit_shows_the_services_message(owner: Console) -> None:
    """Two enabled secrets at most: a third is refused with the services' message."""
    project_id = owner.new_project()
    client_id, _ = owner.new_client(project_id)
    path = f"/console/clients/{client_id}"
    second = owner.post(path, "add_secret")
    assert second.status_code == 200 and 'id="client-secret"' in second.text
    third = owner.post(path, "add_secret")
    assert third.status_code == 400
    assert re.search(r'id="error-add_secret">[^<]+<', third.text)
    assert third.text.count("badge-active") >= 2


def test_console_client_lifecycle_delete_and_restore(owner: Console) -> None:
    """A deleted client stays in the list, marked deleted, with Restore."""
    project_id = owner.new_project()
    client_id, _ = owner.new_client(project_id)
    deleted = owner.post(f"/console/clients/{client_id}", "delete")
    assert deleted.status_code == 303 and flash(deleted) == "client_deleted"
    listing = owner.get(f"/console/projects/{project_id}/clients").text
    assert client_id in listing and "badge-deleted" in listing and "Restore" in listing
    restored = owner.post(
        f"/console/projects/{project_id}/clients", "restore", client_id=client_id
    )
    assert restored.status_code == 303 and flash(restored) == "client_restored"
    assert "badge-deleted" not in owner.get(f"/console/projects/{project_id}/clients").text


def test_console_pages_carry_the_security_headers(owner: Console) -> None:
    """No framing, a CSP without inline scripts, no caching of pages with tokens on them."""
    page = owner.get(paths.CONSOLE)
    assert page.headers["x-frame-options"] == "DENY"
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text


def test_console_scopes_page_lists_the_registry(owner: Console) -> None:
    """/console/scopes lists every known scope with its API and sensitivity."""
    from accord.google.scopes import REGISTRY

    text = owner.get("/console/scopes").text
    for scope in REGISTRY.values():
        assert escape(scope.name) in text
        assert escape(scope.description) in text
    assert "restricted" in text and "non-sensitive" in text


@pytest.fixture
def org(server: Server) -> tuple[str, str, Console]:
    """An organization made by the operator, with one admin signed in to the console:
    (org ID, its domain, the admin)."""
    org_id = "org-" + uuid.uuid4().hex[:8]
    domain = f"{org_id}.com"
    orgs = Organizations(server.admin.engine, SystemClock())
    orgs.create(Operator(), org_id, "Acme Test Org", [domain])
    admin = Console(server, "Ada Admin", f"ada@{domain}")
    orgs.add_admin(Operator(), org_id, admin.email)
    return org_id, domain, admin


def test_console_org_admin_manages_users_access_and_apis(
    server: Server, org: tuple[str, str, Console]
) -> None:
    """An org admin creates and disables users, trusts an app, restricts an API, and
    reads every change back in the audit log."""
    org_id, domain, admin = org
    path = f"/console/orgs/{org_id}"
    assert f'href="{path}"' in admin.get(paths.CONSOLE).text
    created = admin.post(
        path, "create_user", email=f"bob@{domain}", name="Bob", password=PASSWORD
    )
    assert created.status_code == 303 and flash(created) == "user_created"
    disabled = admin.post(path, "disable_user", email=f"bob@{domain}")
    assert disabled.status_code == 303 and flash(disabled) == "user_disabled"
    client = server.new_client(server.new_project(apis=()))
    trusted = admin.post(path, "set_access", client_id=client.client_id, access="trusted")
    assert trusted.status_code == 303 and flash(trusted) == "access_set"
    restricted = admin.post(path, "restrict", api="drive")
    assert restricted.status_code == 303 and flash(restricted) == "api_restricted"

    page = admin.get(path).text
    assert f"bob@{domain}" in page and "badge-disabled" in page
    assert client.client_id in page and "badge-trusted" in page
    audit = page[page.index('id="audit"'):]
    for event in ("user.created", "user.disabled", "policy.app_access"):
        assert event in audit


def test_console_org_refusals_are_the_services_messages(org: tuple[str, str, Console]) -> None:
    """A user outside the organization's domains is refused next to the email field;
    unknown actions and clients are refused on the page, not as a server error."""
    org_id, _domain, admin = org
    path = f"/console/orgs/{org_id}"
    outside = admin.post(path, "create_user", email="eve@elsewhere.com", password=PASSWORD)
    assert outside.status_code == 400
    assert re.search(r'id="error-create_user-email">[^<]*must be in a domain', outside.text)
    unknown = admin.post(path, "set_access", client_id="nope", access="trusted")
    assert unknown.status_code == 400 and 'id="error-set_access-client_id"' in unknown.text
    not_restricted = admin.post(path, "unrestrict", api="calendar")
    assert not_restricted.status_code == 404 and "is not restricted" in not_restricted.text


def test_console_org_page_is_hidden_from_non_admins(
    server: Server, owner: Console, org: tuple[str, str, Console]
) -> None:
    """Someone who is not an admin gets the same 404 as for an organization that does
    not exist."""
    org_id, _domain, _admin = org
    seen, missing = owner.get(f"/console/orgs/{org_id}"), owner.get("/console/orgs/org-none")
    assert seen.status_code == missing.status_code == 404
    assert seen.text == missing.text
    answer = owner.post(f"/console/orgs/{org_id}", "restrict", api="drive")
    assert answer.status_code == 404


def test_console_switches_between_signed_in_accounts(server: Server, owner: Console) -> None:
    """With two accounts signed in, ``?authuser=N`` picks one (as Google's console does);
    the newest sign-in is account 0, and forms keep the choice."""
    first_project = owner.new_project("First account's")
    second_email, _ = server.new_user("Second Account")
    owner.browser.open(f"{owner.server.url}{SIGNIN}?continue=/console")
    owner.browser.sign_in(second_email, PASSWORD)
    newest, earlier = owner.get("/console"), owner.get("/console?authuser=1")
    assert second_email in newest.text and first_project not in newest.text
    assert owner.email in earlier.text and first_project in earlier.text
    assert f'action="/console/projects/{first_project}?authuser=1"' in owner.get(
        f"/console/projects/{first_project}?authuser=1"
    ).text
    renamed = owner.http.post(
        f"{owner.server.url}/console/projects/{first_project}?authuser=1",
        data={"csrf": owner.csrf(), "action": "rename", "name": "Renamed"},
        allow_redirects=False,
    )
    assert renamed.status_code == 303
    assert renamed.headers["location"].endswith("ok=renamed&authuser=1")
    assert owner.get("/console?authuser=5").status_code == 302  # nobody there: sign in


def test_console_project_delete_needs_the_project_id_typed(owner: Console) -> None:
    """Deleting asks for the project ID typed out; once deleted the project is gone."""
    project_id = owner.new_project("Short-lived")
    path = f"/console/projects/{project_id}"
    wrong = owner.post(path, "delete", confirm="something-else")
    assert wrong.status_code == 400
    assert re.search(r'id="error-delete-confirm">Type the project ID', wrong.text)
    assert owner.get(path).status_code == 200
    deleted = owner.post(path, "delete", confirm=project_id)
    assert deleted.status_code == 303 and flash(deleted) == "project_deleted"
    assert urlsplit(deleted.headers["location"]).path == paths.CONSOLE
    assert owner.get(path).status_code == 404


def test_console_last_owner_cannot_be_removed(owner: Console) -> None:
    """The services keep one owner at least; the refusal is shown on the member's row."""
    project_id = owner.new_project()
    answer = owner.post(f"/console/projects/{project_id}", "remove_member", email=owner.email)
    assert 400 <= answer.status_code < 500
    row = answer.text[answer.text.index('id="members"'):]
    assert 'class="error"' in row.split("</ul>")[0]
    assert owner.email in owner.get(f"/console/projects/{project_id}").text


def test_console_consent_screen_refuses_a_script_link(owner: Console) -> None:
    """Links on the consent screen must be https: a ``javascript:`` logo URL is refused
    next to its field, with the services' message, and nothing is saved."""
    project_id = owner.new_project()
    path = f"/console/projects/{project_id}/consent"
    answer = owner.post(
        path, "save", app_name="Fine", support_email=owner.email,
        logo_url="javascript:alert(1)", home_url="", privacy_url="", terms_url="",
        authorized_domains="", user_type="external", publishing_status="production",
    )
    assert answer.status_code == 400
    assert 'id="error-save-logo_url"' in answer.text
    assert 'value="javascript:alert(1)"' in answer.text  # kept in the field, as text
    assert "Fine" not in owner.get(path).text
