"""Setting up consent screens, organizations and API controls for the policy tests,
through the same services the console, the admin API and the CLI call."""

from __future__ import annotations

import uuid

import google.auth.transport.requests
from google.oauth2.credentials import Credentials

from accord.services import Clients, Operator, Organizations, Projects
from tests.browser import Browser
from tests.conftest import PASSWORD, Client, Server, World

OP = Operator()


def projects(server: Server) -> Projects:
    return Projects(server.admin.engine, server.admin.clock)


def clients(server: Server) -> Clients:
    return Clients(server.admin.engine, server.admin.clock)


def orgs(server: Server) -> Organizations:
    return Organizations(server.admin.engine, server.admin.clock)


def new_org(server: Server) -> tuple[str, str]:
    """An organization owning a fresh domain: (org_id, domain)."""
    org_id = "org-" + uuid.uuid4().hex[:10]
    domain = f"{org_id}.com"  # a registrable domain, as Workspace domains are
    orgs(server).create(OP, org_id, "Example Corp", [domain])
    return org_id, domain


def org_user(server: Server, org_id: str, domain: str) -> str:
    email = f"u-{uuid.uuid4().hex[:8]}@{domain}"
    orgs(server).create_user(OP, org_id, email, PASSWORD, "Org User")
    return email


def world_for(server: Server, email: str, client: Client) -> World:
    return World(email, PASSWORD, "", client)


def signed_in_browser(server: Server, email: str, url: str) -> Browser:
    browser = Browser(server.url)
    browser.open(url)
    if browser.left_to is None and "/signin?" in browser.page.url:
        browser.sign_in(email, PASSWORD)
    return browser


def credentials(world: World, refresh_token: str) -> Credentials:
    return Credentials(
        token=None,
        refresh_token=refresh_token,
        token_uri=world.client.config["web"]["token_uri"],
        client_id=world.client.client_id,
        client_secret=world.client.client_secret,
    )


def refresh(creds: Credentials) -> None:
    creds.refresh(google.auth.transport.requests.Request())
