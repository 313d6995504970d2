"""Issue 11, "The first hour": the console over HTTP (Post/Redirect/Get, the secret
shown once, confirmations, every validation error at once, the consent screen's
link rule, the SERVICE_DISABLED link)."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from accord.google import paths
from accord.interaction.signin_page import SIGNIN
from tests.browser import Browser
from tests.conftest import PASSWORD, REDIRECT_URI, Server

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Con:
    """One account signed in to the console with requests."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.email, _ = server.new_user("First Hour")
        self.browser = Browser(server.url)
        self.browser.open(server.url + paths.CONSOLE)
        self.browser.sign_in(self.email, PASSWORD)
        self.http: requests.Session = self.browser.http

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.server.url + path, allow_redirects=False)

    def post(self, path: str, action: str, **fields: str) -> requests.Response:
        found = CSRF.search(self.get(paths.CONSOLE).text)
        assert found
        data = {"action": action, "csrf": html.unescape(found.group(1)), **fields}
        return self.http.post(self.server.url + path, data=data, allow_redirects=False)

    def new_project(self) -> str:
        project_id = "f-" + uuid.uuid4().hex[:12]
        answer = self.post(paths.CONSOLE, "create", project_id=project_id, name="First")
        assert answer.status_code == 303, answer.text
        return project_id

    def number(self, project_id: str) -> str:
        found = re.search(r"number (\d+)", self.get(f"/console/projects/{project_id}").text)
        assert found
        return found.group(1)


@pytest.fixture
def con(server: Server) -> Con:
    return Con(server)


def test_the_service_disabled_link_leads_to_the_projects_apis(con: Con) -> None:
    """The link of an API's SERVICE_DISABLED error redirects to the project's APIs."""
    project_id = con.new_project()
    number = con.number(project_id)
    path = f"/apis/api/calendar-json.googleapis.com/overview?project={number}"
    answer = con.get(path)
    assert answer.status_code in (302, 303)
    assert answer.headers["location"] == f"/console/projects/{project_id}#apis"
    assert con.get(f"/apis/api/x.googleapis.com/overview?project=1{number}").status_code == 404
    assert con.get("/apis/api/x.googleapis.com/overview").status_code == 404
    signed_out = requests.get(con.server.url + path, allow_redirects=False)
    assert signed_out.status_code == 302
    target = urlsplit(signed_out.headers["location"])
    assert target.path == SIGNIN and parse_qs(target.query)["continue"] == [path]



def create_client(con: Con, project_id: str) -> requests.Response:
    return con.post(
        f"/console/projects/{project_id}/clients/new", "create",
        type="web", name="web", redirect_uris=REDIRECT_URI, javascript_origins="",
    )


def test_a_new_client_is_post_redirect_get_and_its_secret_is_shown_once(
    con: Con, server: Server
) -> None:
    """Reloading "OAuth client created" makes no second client and shows no secret."""
    project_id = con.new_project()
    answer = create_client(con, project_id)
    assert answer.status_code == 303
    where = answer.headers["location"]
    assert "GOCSPX" not in where
    page = con.get(where)
    assert page.status_code == 200 and "OAuth client created" in page.text
    secret = re.search(r'id="client-secret">([^<]+)<', page.text)
    assert secret and secret.group(1).startswith("GOCSPX-")
    assert page.headers["cache-control"] == "no-store"
    again = con.get(where)
    assert again.status_code == 410 and secret.group(1) not in again.text
    assert 'id="secret-gone"' in again.text
    listing = con.get(f"/console/projects/{project_id}/clients").text
    assert listing.count(".apps.googleusercontent.com</") <= 1
    assert len(set(re.findall(r"[\w-]+\.apps\.googleusercontent\.com", listing))) == 1


def test_add_secret_is_post_redirect_get_and_the_secret_is_for_this_browser_only(
    con: Con, server: Server
) -> None:
    project_id = con.new_project()
    first = con.get(create_client(con, project_id).headers["location"])
    client_id = re.search(r'id="client-id">([^<]+)<', first.text)
    assert client_id
    added = con.post(f"/console/clients/{client_id.group(1)}", "add_secret")
    assert added.status_code == 303
    other = Con(server)  # another browser cannot take it, nor learn the client exists
    assert other.get(added.headers["location"]).status_code == 404
    page = con.get(added.headers["location"])
    assert page.status_code == 200 and "New client secret" in page.text
    assert con.get(added.headers["location"]).status_code == 410


def new_client(con: Con) -> str:
    page = con.get(create_client(con, con.new_project()).headers["location"])
    found = re.search(r'id="client-id">([^<]+)<', page.text)
    assert found
    return found.group(1)


def test_disabling_the_last_enabled_secret_asks_first(con: Con) -> None:
    client_id = new_client(con)
    path = f"/console/clients/{client_id}"
    secret_id = re.search(r'name="secret_id" value="(\d+)"', con.get(path).text)
    assert secret_id
    asked = con.post(path, "disable_secret", secret_id=secret_id.group(1))
    assert asked.status_code == 200 and "invalid_client" in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert ">enabled</span>" in con.get(path).text  # nothing changed yet
    done = con.post(path, "disable_secret", secret_id=secret_id.group(1), confirm="yes")
    assert done.status_code == 303 and "ok=secret_disabled" in done.headers["location"]
    assert ">enabled</span>" not in con.get(path).text


def test_deleting_a_client_asks_first_and_says_it_is_restorable(con: Con) -> None:
    client_id = new_client(con)
    path = f"/console/clients/{client_id}"
    asked = con.post(path, "delete")
    assert asked.status_code == 200 and "30 days" in asked.text
    assert 'id="client-status">active' in con.get(path).text
    done = con.post(path, "delete", confirm="yes")
    assert done.status_code == 303 and "ok=client_deleted" in done.headers["location"]


def save_screen(con: Con, project_id: str, **fields: str) -> requests.Response:
    values = {"app_name": "First", "support_email": con.email, "logo_url": "",
              "home_url": "", "privacy_url": "", "terms_url": "",
              "authorized_domains": "example.com", "user_type": "external",
              "publishing_status": "testing", **fields}
    return con.post(f"/console/projects/{project_id}/consent", "save", **values)


@pytest.mark.parametrize("field", ["privacy_url", "home_url", "terms_url"])
def test_the_consent_screen_refuses_links_off_the_authorized_domains(
    con: Con, field: str
) -> None:
    """Google's rule: each link's host is an authorized domain or a subdomain of one."""
    project_id = con.new_project()
    refused = save_screen(con, project_id, **{field: "https://other.org/privacy"})
    assert refused.status_code == 400
    assert re.search(rf'id="error-save-{field}">[^<]*other\.org[^<]*authorized domain', refused.text)
    ok = save_screen(con, project_id, **{field: "https://www.example.com/privacy"})
    assert ok.status_code == 303, ok.text
    # Taking the domain away while a link uses it is refused too.
    again = save_screen(con, project_id, **{field: "https://www.example.com/privacy"},
                        authorized_domains="example.org")
    assert again.status_code == 400
    # Not a suffix trick: notexample.com is not under example.com.
    assert save_screen(con, project_id, **{field: "https://notexample.com/"}).status_code == 400


def test_a_client_form_shows_every_error_and_names_each_wrong_line(con: Con) -> None:
    project_id = con.new_project()
    answer = con.post(
        f"/console/projects/{project_id}/clients/new", "create", type="web", name="",
        redirect_uris=f"{REDIRECT_URI}\n\nhttps://a.example.com/cb#x\nhttp://b.example.com/cb",
        javascript_origins="https://ok.example.com\nhttps://o.example.com/path",
    )
    assert answer.status_code == 400
    text = html.unescape(answer.text)
    assert re.search(r'id="error-create-name">the name must have', text)
    first = re.search(r'id="error-create-redirect_uris">([^<]+)<', text)
    second = re.search(r'id="error-create-redirect_uris-2">([^<]+)<', text)
    assert first and first.group(1).startswith("Line 3: https://a.example.com/cb#x: ")
    assert second and second.group(1).startswith("Line 4: http://b.example.com/cb: ")
    origin = re.search(r'id="error-create-javascript_origins">([^<]+)<', text)
    assert origin and origin.group(1).startswith("Line 2: https://o.example.com/path: ")
    assert "apps.googleusercontent.com" not in con.get(
        f"/console/projects/{project_id}/clients").text


def test_the_consent_screen_shows_every_error_and_names_each_wrong_domain(con: Con) -> None:
    project_id = con.new_project()
    answer = save_screen(con, project_id, app_name="", support_email="nope",
                         authorized_domains="example.com\nwww.example.org\ncom")
    assert answer.status_code == 400
    text = html.unescape(answer.text)
    for field in ("app_name", "support_email"):
        assert f'id="error-save-{field}"' in text
    first = re.search(r'id="error-save-authorized_domains">([^<]+)<', text)
    second = re.search(r'id="error-save-authorized_domains-2">([^<]+)<', text)
    assert first and first.group(1).startswith("Line 2: www.example.org: ")
    assert second and second.group(1).startswith("Line 3: com: ")


@pytest.fixture
def twin(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server process on the same database and key: another worker."""
    other = Server(server.env["ACCORD_DATABASE_URL"], tmp_path_factory.mktemp("twin"))
    other.env["ACCORD_SECRET_KEY"] = server.env["ACCORD_SECRET_KEY"]
    other.env["ACCORD_ISSUER"] = server.url
    other.start()
    yield other
    other.stop()


def test_the_new_secret_is_shown_by_another_worker_too(con: Con, twin: Server) -> None:
    """Post/Redirect/Get lands on any worker: the secret does not live in one process."""
    project_id = con.new_project()
    where = create_client(con, project_id).headers["location"]
    page = con.http.get(f"http://127.0.0.1:{twin.port}{where}", allow_redirects=False)
    assert page.status_code == 200 and re.search(r'id="client-secret">GOCSPX-', page.text)
    assert con.get(where).status_code == 410  # and then it is gone, there too
