"""Google's "OAuth 2.0 for Web Server Applications" Flask sample, pointed at Accord.

The structure, routes and behaviour follow the Python sample of Google's guide
(reference seed 001). Every change needed to run it against Accord instead of
Google is marked with an ``ACCORD:`` comment; everything else is what the
sample does against Google. In short:

* the client configuration comes from Accord (``accord clients create`` or
  ``accord demo`` writes a ``client_secret.json`` whose URLs are Accord's);
* the revocation and API discovery URLs are built on ``ACCORD_ISSUER``;
* the PKCE code verifier that ``google_auth_oauthlib`` generates is kept in the
  session between ``/authorize`` and ``/oauth2callback`` (the sample as
  published loses it, and a server that enforces PKCE refuses the code);
* the sample's own bugs are fixed (the calendar route's indentation, the
  index table's links, the Drive v2 ``files().list()`` call).

Run it with ``accord demo``, or by hand::

    CLIENT_SECRETS_FILE=client_secret.json ACCORD_ISSUER=http://127.0.0.1:8400 \\
        python examples/flask_app/app.py
"""

import os
import secrets
from pathlib import Path
from typing import Any

import flask
import google.auth.exceptions
import google_auth_oauthlib.flow
import googleapiclient.discovery
import requests
from flask.typing import ResponseReturnValue
from google.oauth2.credentials import Credentials
from markupsafe import escape

HERE = Path(__file__).resolve().parent

# The downloaded OAuth client: client_id, client_secret and the server's URLs.
# ACCORD: the path can be given in the environment (accord demo does that).
CLIENT_SECRETS_FILE = os.environ.get("CLIENT_SECRETS_FILE", str(HERE / "client_secret.json"))

# ACCORD: the base URL of the Accord server. Google serves revocation on
# oauth2.googleapis.com and discovery documents on www.googleapis.com; Accord
# serves both paths on its one origin.
ISSUER = os.environ.get("ACCORD_ISSUER", "http://127.0.0.1:8400").rstrip("/")
REVOKE_URL = ISSUER + "/revoke"
DISCOVERY_URL = ISSUER + "/discovery/v1/apis/{api}/{apiVersion}/rest"

# Read-only access to Drive file metadata and to calendars. The scope names are
# Google's, unchanged: Accord understands them.
SCOPES = [
    "https://www.googleapis.com/auth/drive.metadata.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
]
API_SERVICE_NAME = "drive"
API_VERSION = "v2"

# ACCORD: the port comes from the environment (default 8080, as in the guide).
PORT = int(os.environ.get("SAMPLE_PORT", "8080"))

app = flask.Flask(__name__)
# Flask signs its session cookie with this key. The guide hard-codes a
# placeholder; ACCORD: take it from the environment or make a random one.
app.secret_key = os.environ.get("FLASK_SECRET_KEY") or secrets.token_urlsafe(32)


def build_service(name: str, version: str, credentials: Credentials) -> Any:
    """A Google API client whose discovery document, and so whose requests, go to Accord."""
    # ACCORD: discoveryServiceUrl points at Accord's copy of the discovery
    # document, whose rootUrl is Accord; static_discovery=False makes the
    # library fetch it instead of using the copy bundled for Google's hosts.
    # cache_discovery=False only silences the library's file-cache warning.
    return googleapiclient.discovery.build(
        name,
        version,
        credentials=credentials,
        discoveryServiceUrl=DISCOVERY_URL,
        static_discovery=False,
        cache_discovery=False,
    )


def session_credentials() -> Credentials:
    """The credentials stored in the session by /oauth2callback."""
    return Credentials(**flask.session["credentials"])  # type: ignore[no-untyped-call]


def refresh_failed(exc: Exception) -> ResponseReturnValue:
    # ACCORD: the guide says a revoked token shows an invalid_grant error; the
    # published code lets the exception become a bare "500 Internal Server Error".
    # Show the error the token endpoint returned instead.
    message = escape(str(exc))
    return (
        f"<p>The stored credentials no longer work: <code>{message}</code></p>"
        '<p><a href="/authorize">Authorize again</a></p>' + print_index_table(),
        401,
    )


def authorization_failed(error: str, description: str | None) -> ResponseReturnValue:
    """The authorization server refused (or the user declined): say what happened."""
    detail = f" ({escape(description)})" if description else ""
    return (
        f"<p>Authorization was not granted: <code>{escape(error)}</code>{detail}.</p>"
        '<p><a href="/authorize">Try again</a></p>' + print_index_table(),
        403 if error == "access_denied" else 400,
    )


@app.route("/")
def index() -> ResponseReturnValue:
    return print_index_table()


@app.route("/drive")
def drive_api_request() -> ResponseReturnValue:
    if "credentials" not in flask.session:
        return flask.redirect("authorize")

    features = flask.session["features"]
    if not features["drive"]:
        # The user did not grant read-only access to Drive metadata.
        return "<p>Drive feature is not enabled.</p>"

    credentials = session_credentials()
    drive = build_service(API_SERVICE_NAME, API_VERSION, credentials)
    try:
        files = drive.files().list().execute()
    except google.auth.exceptions.RefreshError as exc:
        return refresh_failed(exc)

    # The library may have refreshed the access token: store it again. A real
    # application would keep credentials in a database, not in the session.
    flask.session["credentials"] = credentials_to_dict(credentials)
    return flask.jsonify(**files)


# ACCORD: in the guide this route's body is indented under the decorator (a
# syntax error) and only says that Calendar could be called. This one calls it.
@app.route("/calendar")
def calendar_api_request() -> ResponseReturnValue:
    if "credentials" not in flask.session:
        return flask.redirect("authorize")

    features = flask.session["features"]
    if not features["calendar"]:
        # The user did not grant read-only access to calendars.
        return "<p>Calendar feature is not enabled.</p>"

    credentials = session_credentials()
    calendar = build_service("calendar", "v3", credentials)
    try:
        events = calendar.events().list(calendarId="primary", maxResults=10).execute()
    except google.auth.exceptions.RefreshError as exc:
        return refresh_failed(exc)
    flask.session["credentials"] = credentials_to_dict(credentials)

    rows = "".join(
        f"<li>{escape(when(event))} &mdash; {escape(event.get('summary', '(no title)'))}</li>"
        for event in events.get("items", [])
    )
    return (
        "<p>User granted the Google Calendar read permission. "
        "Upcoming events on the primary calendar:</p>"
        + ("<ul>" + rows + "</ul>" if rows else "<p>No events.</p>")
        + print_index_table()
    )


def when(event: dict[str, Any]) -> str:
    start = event.get("start", {})
    return start.get("dateTime") or start.get("date") or ""


@app.route("/authorize")
def authorize() -> ResponseReturnValue:
    # The Flow object runs the steps of the authorization code grant.
    flow = google_auth_oauthlib.flow.Flow.from_client_secrets_file(
        CLIENT_SECRETS_FILE, scopes=SCOPES
    )

    # This must be one of the client's registered redirect URIs exactly, or the
    # server answers with redirect_uri_mismatch.
    flow.redirect_uri = flask.url_for("oauth2callback", _external=True)

    authorization_url, state = flow.authorization_url(
        # Ask for a refresh token, so the app can get new access tokens itself.
        access_type="offline",
        # Incremental authorization: the new grant includes earlier scopes.
        include_granted_scopes="true",
    )

    # Kept so the callback can check the server's response belongs to this request.
    flask.session["state"] = state
    # ACCORD: the Flow made a PKCE code verifier and sent its challenge (RFC 7636).
    # The callback builds a new Flow, so it needs this verifier for the token request.
    flask.session["code_verifier"] = flow.code_verifier

    return flask.redirect(authorization_url)


@app.route("/oauth2callback")
def oauth2callback() -> ResponseReturnValue:
    # ACCORD: the guide's code lets a refusal (Cancel on the consent page, nothing
    # ticked, prompt=none while signed out) raise AccessDeniedError, a bare
    # "500 Internal Server Error". The server redirects with ?error=...: show it.
    error = flask.request.args.get("error")
    if error is not None:
        return authorization_failed(error, flask.request.args.get("error_description"))
    if "state" not in flask.session:
        return authorization_failed("no_pending_request", "This browser started no authorization.")

    # Give the stored state to the new Flow so that it checks the response's state.
    state = flask.session["state"]

    flow = google_auth_oauthlib.flow.Flow.from_client_secrets_file(
        CLIENT_SECRETS_FILE,
        scopes=SCOPES,
        state=state,
        # ACCORD: the verifier that matches the challenge sent from /authorize.
        code_verifier=flask.session.get("code_verifier"),
    )
    flow.redirect_uri = flask.url_for("oauth2callback", _external=True)

    # Exchange the code in the redirect for tokens.
    authorization_response = flask.request.url
    flow.fetch_token(authorization_response=authorization_response)

    # Keep the credentials in the session (a real app would use a database).
    credentials = credentials_to_dict(flow.credentials)
    flask.session["credentials"] = credentials

    # Record which of the requested scopes the user actually granted.
    flask.session["features"] = check_granted_scopes(credentials)
    return flask.redirect("/")


@app.route("/revoke")
def revoke() -> ResponseReturnValue:
    if "credentials" not in flask.session:
        return (
            'You need to <a href="/authorize">authorize</a> before '
            "testing the code to revoke credentials."
        )

    credentials = session_credentials()

    # ACCORD: Accord's revocation endpoint instead of oauth2.googleapis.com.
    response = requests.post(
        REVOKE_URL,
        params={"token": credentials.token},
        headers={"content-type": "application/x-www-form-urlencoded"},
        timeout=30,
    )

    if response.status_code == 200:
        return "Credentials successfully revoked." + print_index_table()
    return "An error occurred." + print_index_table()


@app.route("/clear")
def clear_credentials() -> ResponseReturnValue:
    flask.session.pop("credentials", None)
    return "Credentials have been cleared.<br><br>" + print_index_table()


def credentials_to_dict(credentials: Credentials) -> dict[str, Any]:
    return {
        "token": credentials.token,
        "refresh_token": credentials.refresh_token,
        "token_uri": credentials.token_uri,
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret,
        "granted_scopes": credentials.granted_scopes,
    }


def check_granted_scopes(credentials: dict[str, Any]) -> dict[str, bool]:
    granted = credentials["granted_scopes"] or []
    return {
        "drive": "https://www.googleapis.com/auth/drive.metadata.readonly" in granted,
        "calendar": "https://www.googleapis.com/auth/calendar.readonly" in granted,
    }


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'

# ACCORD: the guide's table points at /test (a route it does not have) and
# leaves out the Drive and Calendar pages; these are the five links it describes.
LINKS = [
    ("/drive", "Call Drive API",
     "Submit a Drive API request and see the JSON response. Goes through the "
     "authorization flow first if there are no stored credentials."),
    ("/calendar", "Call Calendar API",
     "List the next events of the primary calendar. Goes through the "
     "authorization flow first if there are no stored credentials."),
    ("/authorize", "Test the auth flow directly",
     "Go straight to the authorization flow. With stored credentials you may "
     "not be asked to authorize the application again."),
    ("/revoke", "Revoke current credentials",
     "Revoke the access token of this session. Afterwards the API pages show "
     "an <code>invalid_grant</code> error."),
    ("/clear", "Clear Flask session credentials",
     "Forget the credentials stored in this session. The API pages then start "
     "the authorization flow again."),
]


def print_index_table() -> str:
    rows = "".join(
        f'<tr><td><a href="{href}">{label}</a></td><td>{text}</td></tr>'
        for href, label, text in LINKS
    )
    # ACCORD: the sample's pages are bare fragments; this gives phones a readable width.
    return "<table>" + rows + "</table>" + VIEWPORT


if __name__ == "__main__":
    # oauthlib refuses plain http. ACCORD: Accord runs on http://127.0.0.1 and the
    # sample on http://localhost here; never set this in production.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

    # Accept a token response whose scopes differ from the request (the user may
    # grant only some scopes, and include_granted_scopes adds earlier ones).
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"  # noqa: S105 (not a password)

    # The host and port must match a redirect URI registered for the client.
    # ACCORD: no debug mode, so no reloader process (accord demo supervises this one).
    app.run("localhost", PORT)
