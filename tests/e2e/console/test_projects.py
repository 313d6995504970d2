"""The console's projects over HTTP: creating, hiding, viewers, the services' messages, escaping,
deleting, owners, the consent screen.
"""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from accord.google import paths
from accord.services import ServiceError
from accord.services.rules import redirect_uris
from tests.conftest import Server
from tests.e2e.console.support import (
    XSS,
    Console,
    flash,
)


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
