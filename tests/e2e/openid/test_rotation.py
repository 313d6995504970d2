"""Key rotation while tokens are live (reference §1.9)."""

from __future__ import annotations

from tests.conftest import Server
from tests.e2e.openid.support import (
    SIGN_IN,
    SignIn,
    jwks,
    kid_of,
    sign_in,
    tokeninfo,
    verify,
)


# Key rotation while tokens are live (reference §1.9) ----------------------------------------------
def test_rotation_keeps_live_tokens_verifiable(server: Server, ada: SignIn) -> None:
    """Runs last in this module: it rotates the shared server's key and restarts it, since
    each process re-reads the keys only every ``cache_seconds`` (accord/storage/keys.py)."""
    old = ada.id_token
    server.cli("keys", "rotate", "--now")
    server.stop()
    server.start()
    world = server.new_world()
    new = sign_in(server, world, SIGN_IN).id_token
    assert kid_of(new) != kid_of(old)
    assert {kid_of(old), kid_of(new)} <= {k["kid"] for k in jwks(server)["keys"]}
    for version in ("v1", "v3"):
        assert verify(server, old, ada.world.client.client_id, version)["sub"] == ada.world.sub
        assert verify(server, new, world.client.client_id, version)["sub"] == world.sub
    assert tokeninfo(server, old).status_code == 200
