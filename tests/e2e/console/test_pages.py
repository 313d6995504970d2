"""The console's pages over HTTP: signing in, CSRF, flash messages, security headers, the scopes
page, switching accounts.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from markupsafe import escape

from accord.google import paths
from accord.interaction.signin_page import SIGNIN
from tests.conftest import PASSWORD, Server
from tests.e2e.console.support import (
    Console,
)


def test_console_signed_out_goes_to_the_sign_in_page(server: Server) -> None:
    """Nobody signed in: the console sends the browser to the standalone sign-in page,
    which comes back to the page asked for (Google's ``continue``)."""
    answer = requests.get(server.url + "/console/projects/x?authuser=0", allow_redirects=False)
    assert answer.status_code == 302
    target = urlsplit(answer.headers["location"])
    assert target.path == SIGNIN
    assert parse_qs(target.query)["continue"] == ["/console/projects/x?authuser=0"]


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
