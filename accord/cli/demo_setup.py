"""What ``accord demo`` needs in the database, made with the use cases like any other
command: the demo user, its project (Drive and Calendar enabled) and a web client.

Everything is kept in the data directory and reused on the next run: ``demo.json`` holds
the demo user's generated password (it is printed, never stored elsewhere in clear) and
``client_secret.json`` the web client's configuration (a client secret exists in clear only
at creation, so the file is the one copy).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from accord.cli.wiring import Services, services
from accord.google.identifiers import client_secret_json
from accord.passwords import hash_password
from accord.services import NotFound, Operator, ServiceError
from accord.settings import Settings

DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Demo User"
PROJECT_ID = "accord-demo"
PROJECT_NAME = "Accord Demo App"
CLIENT_NAME = "Accord demo web client"
OPERATOR = Operator()  # the demo acts as the local operator, whatever --as says


@dataclass(frozen=True)
class DemoData:
    email: str
    password: str
    client_id: str
    client_file: Path
    redirect_uri: str


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    path.chmod(0o600)


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _user_exists(s: Services) -> bool:
    try:
        s.users.get(OPERATOR, DEMO_EMAIL)
    except NotFound:
        return False
    return True


def _ensure_user(s: Services, data_dir: Path) -> str:
    """The demo user's password: the recorded one, or a new one for a new user."""
    state_file = data_dir / "demo.json"
    recorded = _read_json(state_file)
    exists = _user_exists(s)
    password = recorded.get("password")
    if exists and recorded.get("email") == DEMO_EMAIL and isinstance(password, str):
        return password
    password = secrets.token_urlsafe(12)
    if exists:
        # The user lives in a database this data directory did not record (a shared
        # ACCORD_DATABASE_URL): give it a new password so the demo can sign in.
        s.accounts.reset_password(DEMO_EMAIL, hash_password(password))
        print(f"accord demo: Reset the password of {DEMO_EMAIL}.", file=sys.stderr)
    else:
        s.admin.create_user(DEMO_EMAIL, password, DEMO_NAME)
    _write_private(state_file, json.dumps({"email": DEMO_EMAIL, "password": password}) + "\n")
    return password


def _ensure_project(s: Services) -> None:
    try:
        s.projects.get(OPERATOR, PROJECT_ID)
    except NotFound:
        s.admin.create_project(PROJECT_ID, PROJECT_NAME)
    s.admin.enable_apis(PROJECT_ID, ["drive", "calendar"])  # idempotent
    # The demo user owns the project, so the developer console shows it (idempotent).
    s.projects.add_member(OPERATOR, PROJECT_ID, DEMO_EMAIL, "owner")


def _usable_client(
    s: Services, config: dict[str, object], redirect_uri: str, issuer: str
) -> bool:
    """Whether a saved client_secret.json still names a live demo client with this redirect
    URI and one of its enabled secrets."""
    web = config.get("web")
    if not isinstance(web, dict):
        return False
    client_id, secret = web.get("client_id"), web.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(secret, str):
        return False
    try:
        client = s.clients.get(OPERATOR, client_id)
        # client_secret.json carries the secret only when it is one of the enabled ones.
        known = s.clients.client_secret_json(OPERATOR, client_id, issuer, secret)
    except ServiceError:
        return False
    body = next(iter(known.values()))
    return (
        client.status == "active"
        and client.project_id == PROJECT_ID
        and redirect_uri in client.redirect_uris
        and isinstance(body, dict)
        and "client_secret" in body
    )


def redirect_uri(sample_port: int) -> str:
    return f"http://localhost:{sample_port}/oauth2callback"


def _ensure_client(s: Services, settings: Settings, sample_port: int) -> str:
    """Writes DATA_DIR/client_secret.json for a demo client and returns its client ID."""
    path = settings.data_dir / "client_secret.json"
    uri = redirect_uri(sample_port)
    saved = _read_json(path)
    if _usable_client(s, saved, uri, settings.issuer):
        web = saved["web"]
        assert isinstance(web, dict)
        client_id, secret, uris = web["client_id"], web["client_secret"], web["redirect_uris"]
    else:
        new = s.admin.create_client(PROJECT_ID, CLIENT_NAME, [uri])
        client_id, secret, uris = new.client_id, new.client_secret, new.redirect_uris
    # Rewritten every time, so that the URLs follow the current issuer.
    config = client_secret_json(settings.issuer, client_id, PROJECT_ID, secret, list(uris))
    _write_private(path, json.dumps(config, indent=2) + "\n")
    return str(client_id)


def prepare(settings: Settings, sample_port: int) -> DemoData:
    """Applies migrations and creates (or finds) the demo user, project and client."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    s = services(settings)
    try:
        password = _ensure_user(s, settings.data_dir)
        _ensure_project(s)
        client_id = _ensure_client(s, settings, sample_port)
    finally:
        s.close()
    return DemoData(
        DEMO_EMAIL,
        password,
        client_id,
        settings.data_dir / "client_secret.json",
        redirect_uri(sample_port),
    )
