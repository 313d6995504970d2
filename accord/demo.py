"""``accord demo``: Accord with a demo user, project and web client, plus the Flask sample.

Everything it creates is kept in the data directory and reused on the next run:
``demo.json`` holds the demo user's generated password (it is printed, never
stored elsewhere in clear) and ``client_secret.json`` the web client's
configuration (a client secret exists in clear only at creation, so the file is
the one copy). Then it starts ``accord serve`` and the sample application as
child processes, prints what to open, and stops both on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

from sqlalchemy import Engine, select, update

from accord.clock import SystemClock
from accord.google.identifiers import client_secret_json
from accord.passwords import hash_password
from accord.protocol.tokens import digest
from accord.services import Admin, Operator, Projects
from accord.settings import Settings, is_loopback
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from accord.storage.schema import client_secrets, clients, projects, users

DEMO_EMAIL = "demo@example.com"
DEMO_NAME = "Demo User"
PROJECT_ID = "accord-demo"
PROJECT_NAME = "Accord Demo App"
CLIENT_NAME = "Accord demo web client"
REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
SERVE = "accord serve"
SAMPLE = "the sample application"


class DemoError(RuntimeError):
    """The demo cannot run; the message says why."""


class _Stop(Exception):
    """Raised in the main thread by the SIGTERM handler."""


@dataclass(frozen=True)
class DemoData:
    email: str
    password: str
    client_id: str
    client_file: Path
    redirect_uri: str


# Data ------------------------------------------------------------------------------


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


def _ensure_user(engine: Engine, admin: Admin, data_dir: Path) -> str:
    """The demo user's password: the recorded one, or a new one for a new user."""
    state_file = data_dir / "demo.json"
    recorded = _read_json(state_file)
    with engine.connect() as conn:
        exists = conn.execute(select(users.c.pk).where(users.c.email == DEMO_EMAIL)).first()
    password = recorded.get("password")
    if exists and recorded.get("email") == DEMO_EMAIL and isinstance(password, str):
        return password
    password = secrets.token_urlsafe(12)
    if exists:
        # The user lives in a database this data directory did not record (a shared
        # ACCORD_DATABASE_URL): give it a new password so the demo can sign in.
        with engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.email == DEMO_EMAIL)
                .values(password_hash=hash_password(password))
            )
        print(f"accord demo: reset the password of {DEMO_EMAIL}", file=sys.stderr)
    else:
        admin.create_user(DEMO_EMAIL, password, DEMO_NAME)
    _write_private(state_file, json.dumps({"email": DEMO_EMAIL, "password": password}) + "\n")
    return password


def _ensure_project(engine: Engine, admin: Admin) -> None:
    with engine.connect() as conn:
        found = conn.execute(
            select(projects.c.pk).where(projects.c.project_id == PROJECT_ID)
        ).first()
    if not found:
        admin.create_project(PROJECT_ID, PROJECT_NAME)
    admin.enable_apis(PROJECT_ID, ["drive", "calendar"])  # idempotent
    # The demo user owns the project, so the developer console shows it (idempotent).
    Projects(engine, admin.clock).add_member(Operator(), PROJECT_ID, DEMO_EMAIL, "owner")


def _usable_client(engine: Engine, config: dict[str, object], redirect_uri: str) -> bool:
    """Whether a saved client_secret.json still names a demo client with this redirect URI."""
    web = config.get("web")
    if not isinstance(web, dict):
        return False
    client_id, secret = web.get("client_id"), web.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(secret, str):
        return False
    with engine.connect() as conn:
        row = conn.execute(
            select(client_secrets.c.secret_hash, clients.c.redirect_uris, projects.c.project_id)
            .join(projects, projects.c.pk == clients.c.project_pk)
            .join(client_secrets, client_secrets.c.client_pk == clients.c.pk)
            .where(
                clients.c.client_id == client_id,
                client_secrets.c.disabled_at.is_(None),
                client_secrets.c.secret_hash == digest(secret),
                clients.c.deleted_at.is_(None),
                clients.c.disabled_at.is_(None),
            )
        ).first()
    return (
        row is not None
        and row.project_id == PROJECT_ID
        and secrets.compare_digest(row.secret_hash, digest(secret))
        and redirect_uri in json.loads(row.redirect_uris)
    )


def _redirect_uri(sample_port: int) -> str:
    return f"http://localhost:{sample_port}/oauth2callback"


def _ensure_client(settings: Settings, engine: Engine, admin: Admin, sample_port: int) -> str:
    """Writes DATA_DIR/client_secret.json for a demo client and returns its client ID."""
    path = settings.data_dir / "client_secret.json"
    redirect_uri = _redirect_uri(sample_port)
    saved = _read_json(path)
    if _usable_client(engine, saved, redirect_uri):
        web = saved["web"]
        assert isinstance(web, dict)
        client_id, secret, uris = web["client_id"], web["client_secret"], web["redirect_uris"]
    else:
        new = admin.create_client(PROJECT_ID, CLIENT_NAME, [redirect_uri])
        client_id, secret, uris = new.client_id, new.client_secret, new.redirect_uris
    # Rewritten every time, so that the URLs follow the current issuer.
    config = client_secret_json(settings.issuer, client_id, PROJECT_ID, secret, list(uris))
    _write_private(path, json.dumps(config, indent=2) + "\n")
    return str(client_id)


def prepare(settings: Settings, sample_port: int) -> DemoData:
    """Applies migrations and creates (or finds) the demo user, project and client."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        admin = Admin(engine, SystemClock())
        password = _ensure_user(engine, admin, settings.data_dir)
        _ensure_project(engine, admin)
        client_id = _ensure_client(settings, engine, admin, sample_port)
    finally:
        engine.dispose()
    return DemoData(
        DEMO_EMAIL,
        password,
        client_id,
        settings.data_dir / "client_secret.json",
        _redirect_uri(sample_port),
    )


# Processes -------------------------------------------------------------------------


def _issuer_for(settings: Settings, port: int) -> Settings:
    """When ACCORD_ISSUER is not set, the issuer follows --port."""
    if not is_loopback(urlsplit(settings.issuer).hostname or ""):
        # A demo user whose password is printed belongs on this machine only (STYLE §3.14).
        raise DemoError(f"accord demo runs on a loopback issuer only, not {settings.issuer}")
    issuer_port = urlsplit(settings.issuer).port
    if issuer_port == port:
        return settings
    if "ACCORD_ISSUER" not in os.environ:
        return replace(settings, issuer=f"http://127.0.0.1:{port}")
    print(
        f"accord demo: warning: ACCORD_ISSUER is {settings.issuer} but Accord listens on port "
        f"{port}; the URLs Accord gives out only work if that address reaches it",
        file=sys.stderr,
    )
    return settings


def _sample_path(sample: str) -> Path | None:
    if not sample:
        return None
    path = Path(sample)
    for candidate in (path,) if path.is_absolute() else (Path.cwd() / path, REPO_ROOT / path):
        if candidate.is_file():
            return candidate.resolve()
    print(f"accord demo: warning: no sample application at {sample}", file=sys.stderr)
    return None


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def _wait_ready(name: str, url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoError(f"{name} exited with status {process.returncode} while starting")
        try:
            with urlopen(url, timeout=2) as response:  # noqa: S310 (a local http URL)
                if response.status == 200:
                    return
        except (URLError, OSError):
            pass
        time.sleep(0.1)
    raise DemoError(f"{name} did not answer at {url} within {START_TIMEOUT:.0f} s")


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # The children's output goes to standard error: standard output is the banner.
    return subprocess.Popen(argv, env=env, stdout=sys.stderr)  # noqa: S603


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _banner(settings: Settings, data: DemoData, sample_url: str | None) -> str:
    lines = ["", "Accord demo is running.", ""]
    if sample_url:
        lines.append(f"  Open the sample app:  {sample_url}")
    lines += [
        f"  Sign in as:          {data.email}",
        f"  Password:            {data.password}",
        f"  Accord issuer:       {settings.issuer}",
        f"  Developer console:   {settings.issuer}/console",
        f"  Your account:        {settings.issuer}/account",
        f"  Client ID:           {data.client_id}",
        f"  Redirect URI:        {data.redirect_uri}",
        f"  client_secret.json:  {data.client_file}",
        "",
        "Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def _watch(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """Returns when a child stops: quietly if it was asked to (Ctrl-C in a terminal
    reaches the children too), else with an error."""
    while all(process.poll() is None for process in children.values()):
        time.sleep(0.2)
    for name, process in children.items():
        status = process.returncode
        if status is not None and status not in (0, -signal.SIGINT, -signal.SIGTERM):
            raise DemoError(f"{name} exited with status {status}")
    print("accord demo: a child process stopped; stopping the demo", file=sys.stderr)


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def run_demo(settings: Settings, args: argparse.Namespace) -> None:
    try:
        _run(settings, args)
    except DemoError as exc:
        print(f"accord demo: error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def _run(settings: Settings, args: argparse.Namespace) -> None:
    settings = _issuer_for(settings, args.port)
    sample = _sample_path(args.sample)
    data = prepare(settings, args.sample_port)
    if not is_loopback(args.host):
        print(
            f"accord demo: warning: listening on {args.host}: other machines can reach the "
            f"demo user {DEMO_EMAIL}, whose password is printed below",
            file=sys.stderr,
        )
    any_address = args.host in ("0.0.0.0", "::", "")  # noqa: S104
    local_host = "127.0.0.1" if any_address else args.host
    if _port_taken(local_host, args.port):
        raise DemoError(f"port {args.port} is in use already (try --port)")
    if sample and _port_taken("localhost", args.sample_port):
        raise DemoError(f"port {args.sample_port} is in use already (try --sample-port)")
    env = {
        **os.environ,
        "ACCORD_ISSUER": settings.issuer,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "PYTHONUNBUFFERED": "1",
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        children[SERVE] = _start(
            [sys.executable, "-m", "accord.cli", "serve",
             "--host", args.host, "--port", str(args.port)],
            env,
        )
        sample_url = f"http://localhost:{args.sample_port}" if sample else None
        if sample:
            sample_env = {
                **env,
                "CLIENT_SECRETS_FILE": str(data.client_file),
                "SAMPLE_PORT": str(args.sample_port),
            }
            children[SAMPLE] = _start([sys.executable, str(sample)], sample_env)
        netloc = f"[{local_host}]" if ":" in local_host else local_host
        _wait_ready(SERVE, f"http://{netloc}:{args.port}/healthz", children[SERVE])
        if sample_url:
            _wait_ready(SAMPLE, sample_url + "/", children[SAMPLE])
        print(_banner(settings, data, sample_url), flush=True)
        _watch(children)
    except (KeyboardInterrupt, _Stop):
        print("accord demo: stopping", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this short
        _stop(list(children.values()))
        signal.signal(signal.SIGTERM, previous)
