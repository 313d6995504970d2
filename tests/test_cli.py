"""The `accord` command line, on the database a running server uses (issue: administration)."""

from __future__ import annotations

import json
import re
import uuid

import requests

from tests.browser import Browser
from tests.conftest import PASSWORD, REDIRECT_URI, Client, Server, World
from tests.flows import authorize


def test_cli_builds_a_working_world_while_the_server_runs(server: Server) -> None:
    email = f"cli-{uuid.uuid4().hex[:8]}@example.com"
    sub = server.cli("users", "create", email, "--password", PASSWORD, "--name", "Cli User").stdout
    assert re.fullmatch(r"1\d{20}\n", sub)
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
        (["users", "create", "not-an-email", "--password", PASSWORD], "not an email"),
        (["users", "create", "x@example.com", "--password", "short"], "at least 8"),
        (["projects", "create", project], "exists already"),
        (["projects", "create", "Bad_ID"], "project ID"),
        (["apis", "enable", project, "gmail"], "unknown API"),
        (["apis", "enable", "no-such-project", "drive"], "no such project"),
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
