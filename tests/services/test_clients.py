"""OAuth clients: types, redirect URI rules, secret rotation, delete and restore
(reference §1.1, §1.11, §1.12)."""

from __future__ import annotations

import hmac

import pytest
from sqlalchemy import func, select

from accord.protocol.tokens import digest
from accord.services import Conflict, NotFound, ServiceError, purge_deleted_clients
from accord.services.views import NewClient
from accord.storage.schema import clients
from accord.storage.sql import SqlStore
from tests.services.conftest import OPERATOR, Svc, new_project_id

REDIRECT = "https://app.example.com/cb"
DAY = 24 * 3600


def new_client(svc: Svc, **kwargs: object) -> NewClient:
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "App")
    args = {"redirect_uris": [REDIRECT], **kwargs}
    return svc.clients.create(OPERATOR, pid, "web", **args)  # type: ignore[arg-type]


def authenticates(svc: Svc, client_id: str, secret: str) -> bool:
    """What the token endpoint checks: the secret's digest among the enabled ones."""
    found = SqlStore(svc.engine).client(client_id)
    assert found is not None
    return any(hmac.compare_digest(digest(secret), h) for h in found.secret_hashes)


def test_web_client_keeps_its_uris_deduplicated(svc: Svc) -> None:
    new = new_client(svc, redirect_uris=[REDIRECT, REDIRECT, "http://localhost:8080/cb"],
                     javascript_origins=["https://app.example.com"])
    view = svc.clients.get(OPERATOR, new.client_id)
    assert view.redirect_uris == (REDIRECT, "http://localhost:8080/cb")
    assert view.javascript_origins == ("https://app.example.com",)
    assert view.type == "web" and view.status == "active"
    assert view.as_json()["redirectUris"] == [REDIRECT, "http://localhost:8080/cb"]
    assert authenticates(svc, new.client_id, new.client_secret)


@pytest.mark.parametrize(("uri", "field", "words"), [
    ("http://app.example.com/cb", "redirect_uris", "https"),
    ("https://app.example.com/#x", "redirect_uris", "fragment"),
    ("https://u:p@app.example.com/", "redirect_uris", "userinfo"),
    ("https://*.example.com/", "redirect_uris", "wildcard"),
    ("https://example.com/" + "a" * 2048, "redirect_uris", "2048"),
])
def test_redirect_uris_follow_googles_rules(svc: Svc, uri: str, field: str, words: str) -> None:
    """§1.11: each refusal names the rule and the field."""
    with pytest.raises(ServiceError) as refused:
        new_client(svc, redirect_uris=[uri])
    assert refused.value.field == field
    assert words in str(refused.value)


def test_origins_have_no_path(svc: Svc) -> None:
    with pytest.raises(ServiceError) as refused:
        new_client(svc, javascript_origins=["https://app.example.com/"])
    assert refused.value.field == "javascript_origins"


def test_at_most_100_redirect_uris(svc: Svc) -> None:
    uris = [f"https://app.example.com/cb{i}" for i in range(101)]
    with pytest.raises(ServiceError, match="at most 100"):
        new_client(svc, redirect_uris=uris)
    assert len(new_client(svc, redirect_uris=uris[:100]).redirect_uris) == 100


def test_desktop_client_accepts_loopback_only(svc: Svc) -> None:
    """An installed app registers nothing; it is stored like its client_secret.json."""
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "App")
    new = svc.clients.create(OPERATOR, pid, "cli", type="desktop")
    assert new.redirect_uris == ["http://localhost"]
    config = svc.clients.client_secret_json(OPERATOR, new.client_id, "https://a.example",
                                            new.client_secret)
    assert list(config) == ["installed"]
    installed = config["installed"]
    assert isinstance(installed, dict)
    assert installed["redirect_uris"] == ["http://localhost"]
    assert installed["client_secret"] == new.client_secret
    with pytest.raises(ServiceError) as refused:
        svc.clients.create(OPERATOR, pid, "cli", type="desktop", redirect_uris=[REDIRECT])
    assert refused.value.field == "redirect_uris"
    with pytest.raises(ServiceError):
        svc.clients.update(OPERATOR, new.client_id, javascript_origins=["https://a.example.com"])


def test_client_secret_json_names_the_secret_only_when_given(svc: Svc) -> None:
    new = new_client(svc, javascript_origins=["https://app.example.com"])
    without = svc.clients.client_secret_json(OPERATOR, new.client_id, "https://a.example", None)
    web = without["web"]
    assert isinstance(web, dict)
    assert "client_secret" not in web and web["javascript_origins"] == ["https://app.example.com"]
    wrong = svc.clients.client_secret_json(OPERATOR, new.client_id, "https://a", "GOCSPX-x")
    assert "client_secret" not in wrong["web"]  # type: ignore[operator]


def test_secret_rotation_two_at_most(svc: Svc) -> None:
    """Add a second secret, refuse a third, disable the old one: it stops authenticating."""
    new = new_client(svc)
    second = svc.clients.add_secret(OPERATOR, new.client_id)
    assert second.hint == second.secret[-4:]
    with pytest.raises(ServiceError, match="at most 2 enabled secrets"):
        svc.clients.add_secret(OPERATOR, new.client_id)
    assert authenticates(svc, new.client_id, new.client_secret)
    assert authenticates(svc, new.client_id, second.secret)
    first = svc.clients.secrets(OPERATOR, new.client_id)[0]
    assert first.hint == new.client_secret[-4:] and first.enabled
    svc.clients.disable_secret(OPERATOR, new.client_id, first.secret_id)
    assert not authenticates(svc, new.client_id, new.client_secret)
    assert authenticates(svc, new.client_id, second.secret)
    third = svc.clients.add_secret(OPERATOR, new.client_id)  # one enabled: room again
    with pytest.raises(ServiceError, match="at most 2"):
        svc.clients.enable_secret(OPERATOR, new.client_id, first.secret_id)
    with pytest.raises(ServiceError, match="disable the secret"):
        svc.clients.delete_secret(OPERATOR, new.client_id, third.secret_id)
    svc.clients.delete_secret(OPERATOR, new.client_id, first.secret_id)
    assert [s.secret_id for s in svc.clients.secrets(OPERATOR, new.client_id)] == [
        second.secret_id, third.secret_id
    ]
    with pytest.raises(NotFound):
        svc.clients.disable_secret(OPERATOR, new.client_id, first.secret_id)


def test_secret_ids_belong_to_their_client(svc: Svc) -> None:
    a, b = new_client(svc), new_client(svc)
    b_secret = svc.clients.secrets(OPERATOR, b.client_id)[0].secret_id
    with pytest.raises(NotFound):
        svc.clients.disable_secret(OPERATOR, a.client_id, b_secret)


def test_disable_and_enable(svc: Svc) -> None:
    new = new_client(svc)
    svc.clients.disable(OPERATOR, new.client_id)
    view = svc.clients.get(OPERATOR, new.client_id)
    assert view.status == "disabled" and view.disabled_at == svc.clock.now()
    svc.clients.enable(OPERATOR, new.client_id)
    assert svc.clients.get(OPERATOR, new.client_id).status == "active"


def test_restore_within_30_days(svc: Svc) -> None:
    new = new_client(svc)
    svc.clients.delete(OPERATOR, new.client_id)
    listed = svc.clients.list(OPERATOR, new.project_id)
    assert [(c.status, c.restorable_until) for c in listed] == [
        ("deleted", svc.clock.now() + 30 * DAY)
    ]
    assert listed[0].as_json()["restorableUntil"].endswith("Z")
    with pytest.raises(ServiceError, match="restore it first"):
        svc.clients.update(OPERATOR, new.client_id, name="x")
    svc.clock.advance(30 * DAY)
    svc.clients.restore(OPERATOR, new.client_id)
    assert svc.clients.get(OPERATOR, new.client_id).status == "active"


def test_no_restore_after_30_days(svc: Svc) -> None:
    """After the window the client is gone for every purpose, then purged."""
    new = new_client(svc)
    svc.clients.delete(OPERATOR, new.client_id)
    svc.clock.advance(30 * DAY + 1)
    with pytest.raises(NotFound, match="more than 30 days ago"):
        svc.clients.restore(OPERATOR, new.client_id)
    assert svc.clients.list(OPERATOR, new.project_id) == []
    with pytest.raises(NotFound):
        svc.clients.get(OPERATOR, new.client_id)
    assert purge_deleted_clients(svc.engine, svc.clock.now()) >= 1
    with svc.engine.connect() as conn:
        left = conn.execute(
            select(func.count()).where(clients.c.client_id == new.client_id)
        ).scalar_one()
    assert left == 0


def test_purge_keeps_recent_deletions(svc: Svc) -> None:
    new = new_client(svc)
    svc.clients.delete(OPERATOR, new.client_id)
    svc.clock.advance(29 * DAY)
    purge_deleted_clients(svc.engine, svc.clock.now())
    svc.clients.restore(OPERATOR, new.client_id)


def test_update_replaces_lists(svc: Svc) -> None:
    new = new_client(svc)
    view = svc.clients.update(OPERATOR, new.client_id, name="Renamed",
                              redirect_uris=["https://b.example.com/cb"])
    assert (view.name, view.redirect_uris) == ("Renamed", ("https://b.example.com/cb",))
    assert svc.clients.update(OPERATOR, new.client_id).name == "Renamed"


def test_unknown_type_and_empty_name_are_refused(svc: Svc) -> None:
    pid = new_project_id()
    svc.projects.create(OPERATOR, pid, "App")
    with pytest.raises(ServiceError) as refused:
        svc.clients.create(OPERATOR, pid, "x", type="ios")
    assert refused.value.field == "type"
    with pytest.raises(ServiceError) as refused:
        svc.clients.create(OPERATOR, pid, "  ")
    assert refused.value.field == "name"
    assert not issubclass(ServiceError, Conflict)
