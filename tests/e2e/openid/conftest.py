"""The OpenID Connect tests' shared sign-in (tests/e2e/openid/support.py has the helpers)."""

from __future__ import annotations

import secrets

import pytest

from tests.conftest import Server
from tests.e2e.openid.support import (
    ADA,
    SIGN_IN,
    SignIn,
    sign_in,
)


@pytest.fixture(scope="module")
def ada(server: Server) -> SignIn:
    """A user with every profile claim, signed in with openid email profile and a nonce."""
    world = server.new_world()
    server.admin.update_user(world.email, "Ada Lovelace", ADA)
    return sign_in(server, world, SIGN_IN, nonce=secrets.token_urlsafe(16))
