"""The `accord` command line, on the database a running server uses (issue: administration)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import requests
from cryptography import x509
from cryptography.x509.oid import NameOID

from accord import cli
from accord.clock import SystemClock
from accord.composition import build, key_ring
from accord.settings import Settings
from accord.storage.engine import make_engine
from tests.browser import Browser
from tests.conftest import PASSWORD, REDIRECT_URI, ROOT, Client, Server, World
from tests.flows import authorize


def test_cli_builds_a_working_world_while_the_server_runs(server: Server) -> None:
    email = f"cli-{uuid.uuid4().hex[:8]}@example.com"
    created = server.cli("users", "create", email, "--password", PASSWORD, "--name", "Cli User")
    # issue 11: `users create` prints the account it made (JSON), no longer a bare number.
    sub = json.loads(created.stdout)["sub"]
    assert re.fullmatch(r"1\d{20}", sub)
    project = "cli-" + uuid.uuid4().hex[:8]
    assert "created project" in server.cli("projects", "create", project, "--name", "Cli App").stdout
    server.cli("apis", "enable", project, "drive", "calendar")
    out = server.cli("clients", "create", project, "--name", "web",
                     "--redirect-uri", REDIRECT_URI, "--redirect-uri", REDIRECT_URI + "/b").stdout
    config = json.loads(out)
    web = config["web"]
    assert list(config) == ["web"]
    assert list(web) == ["client_id", "project_id", "auth_uri", "token_uri",
                         "auth_provider_x509_cert_url", "client_secret", "redirect_uris"]
    assert re.fullmatch(r"\d{12}-[a-z0-9]{32}\.apps\.googleusercontent\.com", web["client_id"])
    assert re.fullmatch(r"GOCSPX-[A-Za-z0-9_-]{28}", web["client_secret"])
    assert web["project_id"] == project
    assert web["auth_uri"] == server.url + "/o/oauth2/auth"
    assert web["token_uri"] == server.url + "/token"
    assert web["redirect_uris"] == [REDIRECT_URI, REDIRECT_URI + "/b"]

    world = World(email, PASSWORD, sub.strip(), Client(web["client_id"], web["client_secret"],
                                                       project, config, server.data_dir))
    flow, _ = authorize(server, world, ["https://www.googleapis.com/auth/drive.metadata.readonly"])
    info = requests.get(server.url + "/tokeninfo",
                        params={"access_token": flow.credentials.token}).json()
    assert info["sub"] == sub.strip()
    # The consent page names the app by the project's name.
    browser = Browser(server.url)
    browser.open(flow.authorization_url(prompt="consent")[0])
    browser.sign_in(email, PASSWORD)
    assert "Cli App" in browser.page.text


def test_cli_output_file_is_private(server: Server) -> None:
    project = server.new_project()
    path = server.data_dir / f"{uuid.uuid4().hex}.json"
    server.cli("clients", "create", project, "--name", "w", "--redirect-uri", REDIRECT_URI,
               "--output", str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text())["web"]["client_secret"].startswith("GOCSPX-")


def test_cli_refusals_are_clear(server: Server) -> None:
    email, _ = server.new_user()
    project = server.new_project()
    cases = [
        (["users", "create", email, "--password", PASSWORD], "exists already"),
        (["users", "create", "not-an-email", "--password", PASSWORD], "Not an email"),
        (["users", "create", "x@example.com", "--password", "short"], "at least 8"),
        (["projects", "create", project], "exists already"),
        (["projects", "create", "Bad_ID"], "project ID"),
        (["apis", "enable", project, "gmail"], "Unknown API"),
        (["apis", "enable", "no-such-project", "drive"], "Project no-such-project not found"),
        (["clients", "create", project, "--name", "w", "--redirect-uri", "http://evil.com/cb"],
         "https"),
        (["clients", "create", project, "--name", "w", "--redirect-uri", "https://a.com/#f"],
         "fragment"),
        (["clients", "create", project, "--name", "w", "--redirect-uri", "https://u:p@a.com/"],
         "userinfo"),
    ]
    for args, message in cases:
        result = server.cli(*args, check=False)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)


def cli_json(server: Server, *args: str) -> object:
    return json.loads(server.cli(*args).stdout)


def test_cli_manages_projects_clients_and_secrets(server: Server) -> None:
    """projects, consent-screen, test-users, clients and secrets subcommands; JSON out."""
    email, _ = server.new_user()
    project = server.new_project()
    server.cli("projects", "rename", project, "Renamed App")
    server.cli("projects", "members", "add", project, email, "--role", "viewer")
    assert cli_json(server, "projects", "members", "list", project) == [
        {"email": email, "name": "Test User", "role": "viewer", "createTime": ANY_TIME}
    ]
    screen = cli_json(server, "consent-screen", "set", project, "--support-email", email,
                      "--authorized-domain", "example.com", "--publishing-status", "testing")
    assert screen["authorizedDomains"] == ["example.com"]  # type: ignore[index]
    server.cli("test-users", "add", project, "Tester@Example.com")
    assert cli_json(server, "test-users", "list", project) == ["tester@example.com"]
    desktop = cli_json(server, "clients", "create", project, "--name", "cli", "--type", "desktop")
    assert desktop["installed"]["redirect_uris"] == ["http://localhost"]  # type: ignore[index]
    client_id = desktop["installed"]["client_id"]  # type: ignore[index]
    added = cli_json(server, "clients", "secrets", "add", client_id)
    assert added["secret"].startswith("GOCSPX-")  # type: ignore[index]
    refused = server.cli("clients", "secrets", "add", client_id, check=False)
    assert refused.returncode == 2 and "at most 2 enabled secrets" in refused.stderr
    first = cli_json(server, "clients", "secrets", "list", client_id)[0]  # type: ignore[index]
    server.cli("clients", "secrets", "disable", client_id, str(first["secretId"]))
    server.cli("clients", "secrets", "delete", client_id, str(first["secretId"]))
    server.cli("clients", "delete", client_id)
    [listed] = cli_json(server, "clients", "list", project)  # type: ignore[misc]
    assert listed["status"] == "deleted" and listed["restorableUntil"]
    server.cli("clients", "restore", client_id)
    server.cli("clients", "disable", client_id)
    assert cli_json(server, "clients", "show", client_id)["status"] == "disabled"  # type: ignore[index]
    gone = server.cli("clients", "show", "123-none.apps.googleusercontent.com", check=False)
    assert "Client 123-none.apps.googleusercontent.com not found" in gone.stderr


def test_cli_manages_organizations(server: Server) -> None:
    """orgs create, users, admins, app-access, restrict and audit."""
    tag = uuid.uuid4().hex[:8]
    org, domain = f"org-{tag}", f"org-{tag}.com"
    made = cli_json(server, "orgs", "create", org, "--name", "Org", "--domain", domain)
    assert made["domains"] == [domain]  # type: ignore[index]
    user = cli_json(server, "orgs", "users", "create", org, f"boss@{domain}",
                    "--password", PASSWORD)
    assert user["email"] == f"boss@{domain}"  # type: ignore[index]
    server.cli("orgs", "admins", "add", org, f"boss@{domain}")
    server.cli("orgs", "users", "disable", org, f"boss@{domain}")
    project = server.new_project()
    client = server.new_client(project)
    server.cli("orgs", "app-access", "set", org, client.client_id, "blocked")
    server.cli("orgs", "restrict", org, "drive")
    events = cli_json(server, "orgs", "audit", org, "--limit", "3")
    assert [e["event"] for e in events] == [  # type: ignore[union-attr]
        "policy.api_restricted", "policy.app_access", "user.disabled"
    ]
    taken = server.cli("orgs", "create", f"x{org}", "--name", "X", "--domain", domain,
                       check=False)
    assert taken.returncode == 2 and "belongs to another organization" in taken.stderr
    assert server.cli("orgs", "users", "delete", org, f"boss@{domain}").returncode == 0


class _AnyTime(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]{8}Z", other))

    __hash__ = str.__hash__


ANY_TIME = _AnyTime()


def test_cli_as_a_member_sees_only_its_projects(server: Server) -> None:
    """``accord --as EMAIL`` acts with that account's roles, as the console and the admin API
    do: a non-member's answer is word for word the one for a project that does not exist,
    and a viewer may look but not change (issue 3, member authorization)."""
    owner, _ = server.new_user()
    stranger, _ = server.new_user()
    viewer, _ = server.new_user()
    project = "as-" + uuid.uuid4().hex[:8]
    server.cli("--as", owner, "projects", "create", project, "--name", "Owned")
    server.cli("--as", owner, "projects", "members", "add", project, viewer, "--role", "viewer")

    listed = json.loads(server.cli("--as", stranger, "projects", "list").stdout or "[]")
    assert project not in json.dumps(listed)
    hidden = server.cli("--as", stranger, "projects", "show", project, check=False)
    missing = server.cli("--as", stranger, "projects", "show", "as-nonexistent", check=False)
    assert hidden.returncode == missing.returncode == 2
    assert hidden.stderr.replace(project, "X") == missing.stderr.replace("as-nonexistent", "X")
    denied = server.cli("--as", stranger, "clients", "create", project, "--name", "w",
                        "--redirect-uri", REDIRECT_URI, check=False)
    assert denied.returncode == 2 and "not found" in denied.stderr

    assert project in server.cli("--as", viewer, "projects", "show", project).stdout
    refused = server.cli("--as", viewer, "projects", "rename", project, "Mine", check=False)
    assert refused.returncode == 2 and "accord: error:" in refused.stderr
    assert "Owned" in server.cli("projects", "show", project).stdout  # nothing changed


def test_cli_as_a_member_cannot_create_or_edit_other_accounts(server: Server) -> None:
    """``--as EMAIL`` holds for ``users`` too: creating accounts is the operator's, and an
    account may edit only itself (it was ignored, so any --as acted as the operator)."""
    member, _ = server.new_user()
    other, _ = server.new_user()
    fresh = f"as-{uuid.uuid4().hex[:8]}@example.com"
    created = server.cli("--as", member, "users", "create", fresh, "--password", "password-1",
                         check=False)
    assert created.returncode == 2 and "operator" in created.stderr
    edited = server.cli("--as", member, "users", "update", other, "--name", "Renamed",
                        check=False)
    assert edited.returncode == 2 and "No such user" in edited.stderr
    assert server.cli("--as", member, "users", "update", member, "--name", "Me").returncode == 0
    # An account cannot vouch for its own address (the ID token's email_verified).
    vouched = server.cli("--as", member, "users", "update", member, "--email-verified",
                         check=False)
    assert vouched.returncode == 2 and "operator" in vouched.stderr


# The command itself --------------------------------------------------------------------

HELP_LOADS = """
import runpy, sys
sys.argv = ["accord", "--help"]
try:
    runpy.run_module("accord.cli", run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""
HEAVY = {"sqlalchemy", "alembic", "starlette", "uvicorn", "jinja2", "psycopg", "cryptography",
         "argon2", "jwt"}


def test_cli_help_loads_no_database_web_or_crypto_library() -> None:
    """``accord --help`` answers at once: each command imports its libraries when it runs
    (issue 9: the help took over a second, importing Alembic and SQLAlchemy)."""
    result = subprocess.run([sys.executable, "-c", HELP_LOADS], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, check=True)
    usage, _, loaded = result.stdout.rpartition("\n\n")
    assert "usage: accord" in usage and "keys" in usage
    assert "``" not in usage  # the description is plain text
    assert HEAVY.isdisjoint(loaded.split()), HEAVY & set(loaded.split())


def _common_name(pem: str) -> str:
    name = x509.load_pem_x509_certificate(pem.encode()).subject
    return str(name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def test_cli_rotated_key_is_named_like_the_servers(tmp_path: Path) -> None:
    """``accord keys rotate`` builds the key ring as the server does: the new key's
    certificate names the issuer's host, not "accord"."""
    settings = Settings("http://localhost:8400", f"sqlite:///{tmp_path / 'accord.db'}",
                        tmp_path, b"k" * 40)
    cli.run(settings, "migrate")
    now = SystemClock().now()
    served = build(settings).keys
    first = served.signing_key(now).kid
    cli.run(settings, "keys", "rotate")
    ring = key_ring(settings, make_engine(settings.database_url))
    published = ring.published(SystemClock().now())
    certificates = {key.kid: key.certificate_pem for key in published}
    [rotated] = set(certificates) - {first}
    assert _common_name(certificates[rotated]) == _common_name(certificates[first])
    assert _common_name(certificates[rotated]) == "localhost"
