"""The data a run needs, made the real way: Admin for the user, project and client; the
browser flow through google_auth_oauthlib for the tokens and the signed-in session."""

from __future__ import annotations

import os
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import requests
from google_auth_oauthlib.flow import Flow

from accord.clock import SystemClock
from accord.google.identifiers import client_secret_json
from accord.services import Admin
from accord.storage.engine import make_engine
from tests.browser import Browser

os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")  # Accord runs on http://127.0.0.1
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")  # email/profile come back as URLs

REDIRECT_URI = "http://localhost:8080/oauth2callback"
SCOPES = [
    "https://www.googleapis.com/auth/drive.metadata.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
]
# One PKCE verifier for every benchmark code: the S256 check still runs on each exchange.
VERIFIER = "bench-" + "v" * 60


@dataclass(frozen=True)
class Seed:
    client_id: str
    client_secret: str
    refresh_token: str
    access_token: str
    cookie: str  # "accord_session=..." of the signed-in browser that consented
    authorize_url: str  # answered at once with a fresh code for that browser

    def refresh_body(self) -> str:
        return urlencode(
            {
                "grant_type": "refresh_token",
                "refresh_token": self.refresh_token,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        )

    def exchange_body(self) -> str:
        """The code exchange's form without the code (the Lua script appends it)."""
        return urlencode(
            {
                "grant_type": "authorization_code",
                "redirect_uri": REDIRECT_URI,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "code_verifier": VERIFIER,
            }
        )

    def tokeninfo_path(self) -> str:
        return "/tokeninfo?" + urlencode({"access_token": self.access_token})


SIGN_IN_SCOPES = ["openid", "email", "profile"]


def seed(issuer: str, database_url: str, scopes: list[str] = SCOPES) -> Seed:
    """``scopes`` with a sign-in scope make every refresh and exchange also sign an ID token."""
    engine = make_engine(database_url)
    try:
        admin = Admin(engine, SystemClock())
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        password = secrets.token_urlsafe(12)
        admin.create_user(email, password, "Bench User")
        project_id = "bench-" + uuid.uuid4().hex[:8]
        admin.create_project(project_id, "Bench App")
        admin.enable_apis(project_id, ["drive", "calendar"])
        new = admin.create_client(project_id, "web", [REDIRECT_URI])
    finally:
        engine.dispose()
    config = client_secret_json(
        issuer, new.client_id, project_id, new.client_secret, new.redirect_uris
    )

    # First visit: sign in and consent, exactly like tests/flows.py, then exchange the code.
    flow = Flow.from_client_config(config, scopes=scopes, code_verifier=VERIFIER)
    flow.redirect_uri = REDIRECT_URI
    url, _state = flow.authorization_url(access_type="offline")
    browser = Browser(issuer)
    browser.open(url)
    browser.sign_in(email, password)
    browser.allow()
    if browser.left_to is None:
        raise RuntimeError(f"the first authorization did not come back: {browser.page}")
    flow.fetch_token(authorization_response=browser.left_to)
    credentials = flow.credentials
    if not credentials.refresh_token or not credentials.token:
        raise RuntimeError("the first code exchange gave no refresh token")

    # Later visits need no page: the same URL now redirects straight back with a code.
    again, _state = flow.authorization_url(access_type="offline", state="bench")
    session = browser.http.cookies.get("accord_session")
    if not session:
        raise RuntimeError("the browser holds no accord_session cookie")
    return Seed(
        client_id=new.client_id,
        client_secret=new.client_secret,
        refresh_token=credentials.refresh_token,
        access_token=credentials.token,
        cookie=f"accord_session={session}",
        authorize_url=again,
    )


def one_code(seed: Seed) -> str:
    """A fresh code from the authorization endpoint, form-encoded as the Lua scripts keep it."""
    answer = requests.get(
        seed.authorize_url, headers={"Cookie": seed.cookie}, allow_redirects=False, timeout=10
    )
    location = answer.headers.get("location", "")
    if answer.status_code != 302 or not location.startswith(REDIRECT_URI):
        raise RuntimeError(f"authorize answered {answer.status_code} {location!r}: {answer.text}")
    codes = parse_qs(urlsplit(location).query).get("code")
    if not codes:
        raise RuntimeError(f"authorize redirected without a code: {location}")
    return quote(codes[0], safe="")
