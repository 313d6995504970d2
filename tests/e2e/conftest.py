"""Fixtures shared by the end-to-end tests: the bad-input tests' module-scoped worlds
(tests/e2e/bad_input.py has their helpers) and the Chromium tests' contexts and labels."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import BrowserContext

from tests.browser import Browser
from tests.conftest import CALENDAR_RO, DRIVE_META, REDIRECT_URI, Server
from tests.e2e.bad_input import OTHER_URI, Signed
from tests.flows import authorize


@pytest.fixture(scope="module")
def signed(server: Server) -> Signed:
    world = server.new_world()
    client = server.new_client(world.client.project_id, (REDIRECT_URI, OTHER_URI))
    other = server.new_client(world.client.project_id)
    s = Signed(server, world, client, other, Browser(server.url))
    s.code(scope=f"{DRIVE_META} {CALENDAR_RO}")  # sign in and grant both scopes once
    return s


@pytest.fixture(scope="module")
def creds(server: Server) -> tuple[str, str]:
    """An access token and a refresh token from a full flow through google_auth_oauthlib."""
    flow, _ = authorize(server, server.new_world(), [DRIVE_META])
    return str(flow.credentials.token), str(flow.credentials.refresh_token)


@pytest.fixture
def new_context(chromium: Chromium) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (no cookies), closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        made.append(chromium.new_context(**options))
        return made[-1]

    yield make
    for context in made:
        context.close()


@pytest.fixture
def label(request: pytest.FixtureRequest) -> str:
    """The database backend, added to screenshot names."""
    return str(request.node.callspec.params.get("database_url", ""))
