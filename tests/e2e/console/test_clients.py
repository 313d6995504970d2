"""The console's OAuth clients over HTTP: the secret download, rotation, delete and restore."""

from __future__ import annotations

import re

from tests.conftest import REDIRECT_URI
from tests.e2e.console.support import (
    Console,
    flash,
)


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
    assert second.status_code == 303  # Post/Redirect/Get (issue 11)
    second = owner.get(second.headers["location"])
    assert second.status_code == 200 and 'id="client-secret"' in second.text
    third = owner.post(path, "add_secret")
    assert third.status_code == 400
    assert re.search(r'id="error-add_secret">[^<]+<', third.text)
    assert third.text.count("badge-active") >= 2


def test_console_client_lifecycle_delete_and_restore(owner: Console) -> None:
    """A deleted client stays in the list, marked deleted, with Restore."""
    project_id = owner.new_project()
    client_id, _ = owner.new_client(project_id)
    deleted = owner.post(f"/console/clients/{client_id}", "delete", confirm="yes")
    assert deleted.status_code == 303 and flash(deleted) == "client_deleted"
    listing = owner.get(f"/console/projects/{project_id}/clients").text
    assert client_id in listing and "badge-deleted" in listing and "Restore" in listing
    restored = owner.post(
        f"/console/projects/{project_id}/clients", "restore", client_id=client_id
    )
    assert restored.status_code == 303 and flash(restored) == "client_restored"
    assert "badge-deleted" not in owner.get(f"/console/projects/{project_id}/clients").text
