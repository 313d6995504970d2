"""The demo Google APIs (Drive v2/v3, Calendar v3) as Google's client libraries see them.

Every call goes to a real ``accord serve`` through googleapiclient built from
Accord's discovery documents, or through plain ``requests`` where the wire
matters (reference §1.22 error envelopes, RFC 6750 token placement).
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError, UnknownApiNameOrVersion

from accord.google import scopes
from accord.google.apis import APIS, discovery, fields
from accord.google.apis.errors import ApiError
from accord.google.identifiers import TOKEN_FORMAT
from accord.protocol.tokens import TokenMinter
from accord.settings import Settings
from tests.conftest import CALENDAR_RO, DRIVE_META, PASSWORD, Server, World
from tests.flows import authorize

DISCOVERY_URL = "/discovery/v1/apis/{api}/{apiVersion}/rest"
SEE = (
    "Expected OAuth 2 access token, login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
DRIVE_SCOPES = sorted(
    scopes.AUTH + s
    for s in (
        "drive",
        "drive.readonly",
        "drive.metadata",
        "drive.metadata.readonly",
        "drive.file",
        "drive.appdata",
    )
)


def service(server: Server, api: str, version: str, creds: Credentials) -> Any:
    return build(
        api,
        version,
        credentials=creds,
        discoveryServiceUrl=server.url + DISCOVERY_URL,
        static_discovery=False,
        cache_discovery=False,
    )


def credentials(server: Server, world: World, wanted: list[str] | None = None) -> Credentials:
    flow, _ = authorize(server, world, wanted or [DRIVE_META, CALENDAR_RO])
    creds: Credentials = flow.credentials
    return creds


def http_error_body(exc: HttpError) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(exc.content)
    return body


def expired_twin(server: Server, token: str) -> str:
    """The same grant's access token, sealed with the server's key but expired a minute ago."""
    minter = TokenMinter(Settings.from_env(server.env).subkey("access-token"), TOKEN_FORMAT)
    claims = minter.open_access(token)
    assert claims is not None
    return minter.seal_access(claims.authorization_pk, int(time.time()) - 60, claims.scopes)


def project_number(world: World) -> str:
    return world.client.client_id.split("-", 1)[0]  # client IDs start with the project number


# Discovery ---------------------------------------------------------------------------
@pytest.mark.parametrize(("api", "version"), [("drive", "v2"), ("drive", "v3"), ("calendar", "v3")])
def test_google_1_24_discovery_documents_point_back_at_accord(
    server: Server, api: str, version: str
) -> None:
    """§1.24: googleapiclient builds its client from the discovery document, so rootUrl must
    name Accord's issuer for the calls to come back to it."""
    response = requests.get(f"{server.url}/discovery/v1/apis/{api}/{version}/rest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    doc = response.json()
    assert doc["kind"] == "discovery#restDescription"
    assert (doc["discoveryVersion"], doc["id"], doc["name"], doc["version"]) == (
        "v1",
        f"{api}:{version}",
        api,
        version,
    )
    assert doc["protocol"] == "rest"
    assert doc["rootUrl"] == server.url + "/"
    assert doc["servicePath"] == f"{api}/{version}/"
    assert doc["baseUrl"] == f"{server.url}/{api}/{version}/"
    assert set(doc["auth"]["oauth2"]["scopes"]) <= set(scopes.REGISTRY)


def test_google_1_22_unknown_discovery_document_is_not_found(server: Server) -> None:
    """An API Accord does not serve answers 404 in Google's error envelope, which makes
    googleapiclient give up with UnknownApiNameOrVersion."""
    for path in ("/discovery/v1/apis/gmail/v1/rest", "/discovery/v1/apis/drive/v9/rest"):
        response = requests.get(server.url + path)
        assert response.status_code == 404
        assert response.json() == {
            "error": {
                "code": 404,
                "message": "Not Found",
                "errors": [{"message": "Not Found", "domain": "global", "reason": "notFound"}],
            }
        }
    with pytest.raises(UnknownApiNameOrVersion):
        build(
            "gmail",
            "v1",
            discoveryServiceUrl=server.url + DISCOVERY_URL,
            static_discovery=False,
            cache_discovery=False,
        )


def test_discovery_method_scopes_are_scopes_accord_can_grant() -> None:
    """The documents' scopes are what the guard enforces; each must be grantable."""
    found = list(discovery.methods())
    assert {(m.api.name, m.version, m.id) for m in found} >= {
        ("drive", "v3", "drive.files.list"),
        ("drive", "v3", "drive.files.get"),
        ("drive", "v2", "drive.files.list"),
        ("drive", "v2", "drive.files.get"),
        ("calendar", "v3", "calendar.events.list"),
    }
    for method in found:
        assert method.scopes and method.scopes <= set(scopes.REGISTRY)
        assert {scopes.describe(s).api for s in method.scopes} == {method.api.name}
        if method.api.name == "drive":
            assert sorted(method.scopes) == DRIVE_SCOPES


# Drive -------------------------------------------------------------------------------
def test_google_1_24_drive_v3_list_and_get(server: Server, world: World) -> None:
    """The quickstart shape: files().list(pageSize, fields) then files().get(fileId)."""
    drive = service(server, "drive", "v3", credentials(server, world))
    listing = drive.files().list().execute()
    assert listing["kind"] == "drive#fileList"
    assert listing["incompleteSearch"] is False
    assert "nextPageToken" not in listing
    assert 6 <= len(listing["files"]) <= 10
    for item in listing["files"]:
        assert list(item) == ["kind", "id", "name", "mimeType"]  # v3's default fields
        assert item["kind"] == "drive#file"
    first = listing["files"][0]
    assert drive.files().get(fileId=first["id"]).execute() == first

    full = drive.files().get(fileId=first["id"], fields="*").execute()
    assert full["owners"][0]["emailAddress"] == world.email and full["owners"][0]["me"] is True
    datetime.fromisoformat(full["modifiedTime"])
    picked = drive.files().list(fields="nextPageToken, files(id, name, modifiedTime)").execute()
    assert [sorted(f) for f in picked["files"]] == [["id", "modifiedTime", "name"]] * len(
        listing["files"]
    )
    assert list(picked) == ["files"]


def assert_invalid_value(server: Server, token: str | None, name: str, value: str) -> None:
    """Drive's 400 for a parameter value it cannot use."""
    response = requests.get(
        f"{server.url}/drive/v3/files",
        params={name: value},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400, (name, value)
    assert response.json() == {
        "error": {
            "code": 400,
            "message": "Invalid Value",
            "errors": [
                {
                    "message": "Invalid Value",
                    "domain": "global",
                    "reason": "invalid",
                    "location": name,
                    "locationType": "parameter",
                }
            ],
        }
    }


def test_google_drive_v3_pages_with_page_size_and_next_page_token(
    server: Server, world: World
) -> None:
    """pageSize bounds a page; nextPageToken (via googleapiclient's list_next) gets the rest."""
    creds = credentials(server, world)
    drive = service(server, "drive", "v3", creds)
    everything = drive.files().list(pageSize=1000).execute()["files"]
    request = drive.files().list(pageSize=4)
    pages = []
    while request is not None:
        response = request.execute()
        pages.append(response["files"])
        request = drive.files().list_next(request, response)
    assert [len(p) for p in pages[:-1]] == [4] * (len(pages) - 1)
    assert [f for p in pages for f in p] == everything

    token = creds.token
    for name, value in [("pageToken", "not-a-token"), ("pageToken", "YWNjb3JkLXBhZ2U6wrI")]:
        assert_invalid_value(server, token, name, value)
    for value in ("0", "-1", "abc", "+5", "\u0665", "9" * 20):
        assert_invalid_value(server, token, "pageSize", value)


def test_google_drive_v2_list_as_the_seed_flask_sample_calls_it(
    server: Server, world: World
) -> None:
    """The seed's Flask sample: build('drive', 'v2', credentials=...).files().list().execute()
    with only drive.metadata.readonly granted."""
    drive = service(server, "drive", "v2", credentials(server, world, [DRIVE_META]))
    files = drive.files().list().execute()
    assert files["kind"] == "drive#fileList"
    assert files["selfLink"] == f"{server.url}/drive/v2/files"
    assert 6 <= len(files["items"]) <= 10
    item = files["items"][0]
    assert item["kind"] == "drive#file"
    assert {"id", "title", "mimeType", "modifiedDate", "labels", "owners"} <= set(item)
    assert item["selfLink"] == f"{server.url}/drive/v2/files/{item['id']}"
    assert item["ownerNames"] and item["owners"][0]["emailAddress"] == world.email
    assert drive.files().get(fileId=item["id"]).execute() == item

    page = drive.files().list(maxResults=2).execute()
    assert page["items"] == files["items"][:2]
    assert page["nextLink"].startswith(f"{server.url}/drive/v2/files?maxResults=2&pageToken=")


def test_google_drive_unknown_file_id_is_not_found(server: Server, world: World) -> None:
    """Drive's 404 names the file and the fileId parameter."""
    drive = service(server, "drive", "v3", credentials(server, world))
    with pytest.raises(HttpError) as caught:
        drive.files().get(fileId="1NoSuchFile").execute()
    assert caught.value.status_code == 404
    assert http_error_body(caught.value) == {
        "error": {
            "code": 404,
            "message": "File not found: 1NoSuchFile.",
            "errors": [
                {
                    "message": "File not found: 1NoSuchFile.",
                    "domain": "global",
                    "reason": "notFound",
                    "location": "fileId",
                    "locationType": "parameter",
                }
            ],
        }
    }


def test_demo_data_is_per_user_and_stable(server: Server) -> None:
    """Each user has their own files and events, the same on every call; one user's file IDs
    are not found for another."""
    alice, bob = server.new_world(), server.new_world()
    alice_creds, bob_creds = credentials(server, alice), credentials(server, bob)
    alice_files = service(server, "drive", "v3", alice_creds).files().list().execute()["files"]
    bob_drive = service(server, "drive", "v3", bob_creds)
    bob_files = bob_drive.files().list().execute()["files"]
    assert {f["id"] for f in alice_files}.isdisjoint({f["id"] for f in bob_files})
    again = service(server, "drive", "v3", credentials(server, alice)).files().list().execute()
    assert again["files"] == alice_files
    with pytest.raises(HttpError) as caught:
        bob_drive.files().get(fileId=alice_files[0]["id"]).execute()
    assert caught.value.status_code == 404

    def events(creds: Credentials) -> list[str]:
        calendar = service(server, "calendar", "v3", creds)
        return [e["id"] for e in calendar.events().list(calendarId="primary").execute()["items"]]

    assert set(events(alice_creds)).isdisjoint(events(bob_creds))


# Calendar ----------------------------------------------------------------------------
def test_google_calendar_v3_events_list_on_primary(server: Server, world: World) -> None:
    """service.events().list(calendarId='primary'): upcoming events of the user's calendar."""
    calendar = service(server, "calendar", "v3", credentials(server, world))
    events = calendar.events().list(calendarId="primary").execute()
    assert events["kind"] == "calendar#events"
    assert events["summary"] == world.email
    assert events["timeZone"] == "UTC" and events["accessRole"] == "owner"
    items = events["items"]
    assert 4 <= len(items) <= 8
    now = time.time()
    starts = [datetime.fromisoformat(e["start"]["dateTime"]).timestamp() for e in items]
    assert starts == sorted(starts) and min(starts) > now
    for e in items:
        assert (e["kind"], e["status"]) == ("calendar#event", "confirmed")
        assert e["summary"] and e["organizer"] == {"email": world.email, "self": True}
        assert datetime.fromisoformat(e["end"]["dateTime"]).timestamp() > now

    by_email = calendar.events().list(calendarId=world.email).execute()
    assert by_email["items"] == items
    later = (
        calendar.events()
        .list(
            calendarId="primary",
            timeMin=items[2]["end"]["dateTime"],
            singleEvents=True,
            orderBy="startTime",
        )
        .execute()
    )
    cut = datetime.fromisoformat(items[2]["end"]["dateTime"])
    assert later["items"] == [
        e for e in items if datetime.fromisoformat(e["end"]["dateTime"]) > cut
    ]
    first_two = calendar.events().list(calendarId="primary", maxResults=2).execute()
    assert first_two["items"] == items[:2] and first_two["nextPageToken"]

    entries = calendar.calendarList().list().execute()
    assert entries["kind"] == "calendar#calendarList"
    assert [(c["id"], c["primary"]) for c in entries["items"]] == [(world.email, True)]


def test_google_calendar_refuses_unknown_calendars_and_unavailable_orderings(
    server: Server, world: World
) -> None:
    """Only the user's own calendar exists (404 Not Found otherwise); ordering by start time
    needs singleEvents=true, as on Google (400)."""
    calendar = service(server, "calendar", "v3", credentials(server, world))
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId="someone-else@example.com").execute()
    assert caught.value.status_code == 404
    assert http_error_body(caught.value)["error"]["errors"] == [
        {"message": "Not Found", "domain": "global", "reason": "notFound"}
    ]
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId="primary", orderBy="startTime").execute()
    assert caught.value.status_code == 400
    message = "The requested ordering is not available for the particular query."
    assert http_error_body(caught.value)["error"]["errors"] == [
        {"message": message, "domain": "global", "reason": "badRequest"}
    ]


# Where the token rides -----------------------------------------------------------------
def test_rfc6750_2_bearer_header_and_access_token_query_parameter(
    server: Server, world: World
) -> None:
    """RFC 6750 §2.1 and §2.3; the seed shows both: ``Authorization: Bearer`` and
    ``GET https://www.googleapis.com/drive/v2/files?access_token=...``."""
    token = credentials(server, world).token
    url = f"{server.url}/drive/v2/files"
    by_header = requests.get(url, headers={"Authorization": f"Bearer {token}"})
    by_query = requests.get(url, params={"access_token": token})
    assert by_header.status_code == by_query.status_code == 200
    assert by_header.headers["content-type"] == "application/json; charset=UTF-8"
    assert by_header.json() == by_query.json()
    assert by_header.json()["kind"] == "drive#fileList"


# Errors (reference §1.22) --------------------------------------------------------------
def assert_unauthenticated(response: requests.Response, server: Server, reason: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        f'Bearer realm="{server.url}/", error="invalid_token"'
    )
    assert response.json() == {
        "error": {
            "code": 401,
            "message": "Request had invalid authentication credentials. " + SEE,
            "errors": [
                {
                    "message": "Invalid Credentials",
                    "domain": "global",
                    "reason": "authError",
                    "location": "Authorization",
                    "locationType": "header",
                }
            ],
            "status": "UNAUTHENTICATED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": reason,
                    "domain": "googleapis.com",
                    "metadata": {
                        "service": "drive.googleapis.com",
                        "method": "google.apps.drive.v3.DriveFiles.List",
                    },
                }
            ],
        }
    }


def test_google_1_22_missing_token_gets_credentials_missing(server: Server) -> None:
    """§1.22: no credentials -> 401 "Request is missing required authentication credential",
    ErrorInfo reason CREDENTIALS_MISSING; the challenge has no error code (RFC 6750 §3.1)."""
    response = requests.get(f"{server.url}/calendar/v3/calendars/primary/events")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == f'Bearer realm="{server.url}/"'
    error = response.json()["error"]
    assert error["code"] == 401 and error["status"] == "UNAUTHENTICATED"
    assert error["message"] == "Request is missing required authentication credential. " + SEE
    assert error["errors"][0]["location"] == "Authorization"
    assert error["details"] == [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "CREDENTIALS_MISSING",
            "domain": "googleapis.com",
            "metadata": {
                "service": "calendar-json.googleapis.com",
                "method": "calendar.v3.Events.List",
            },
        }
    ]


def test_google_1_22_invalid_token_gets_unauthenticated(server: Server) -> None:
    """§1.22: a token Accord never issued -> 401 UNAUTHENTICATED, errors[] authError and
    ``WWW-Authenticate: Bearer realm=..., error="invalid_token"``."""
    for token in ("ya29.not-a-real-token", "garbage"):
        response = requests.get(
            f"{server.url}/drive/v3/files", headers={"Authorization": f"Bearer {token}"}
        )
        assert_unauthenticated(response, server, "ACCESS_TOKEN_TYPE_UNSUPPORTED")


def test_google_1_22_revoked_token_gets_unauthenticated(server: Server, world: World) -> None:
    """§1.5 then §1.22: once the grant is revoked, its live access token gets the 401 envelope."""
    token = credentials(server, world).token
    url = f"{server.url}/drive/v3/files"
    assert requests.get(url, params={"access_token": token}).status_code == 200
    assert requests.post(server.url + "/revoke", params={"token": token}).status_code == 200
    assert_unauthenticated(
        requests.get(url, params={"access_token": token}), server, "ACCESS_TOKEN_TYPE_UNSUPPORTED"
    )


def test_google_1_22_expired_token_gets_unauthenticated(server: Server, world: World) -> None:
    """§1.22: an expired access token -> the 401 envelope, ErrorInfo ACCESS_TOKEN_EXPIRED."""
    token = expired_twin(server, credentials(server, world).token)
    url = f"{server.url}/drive/v3/files"
    response = requests.get(url, headers={"Authorization": f"Bearer {token}"})
    assert_unauthenticated(response, server, "ACCESS_TOKEN_EXPIRED")


def test_google_1_24_client_library_refreshes_after_401(server: Server, world: World) -> None:
    """§1.24: google-auth answers a 401 by refreshing the token and retrying, so an expired
    token that the client still thinks valid costs the caller nothing."""
    creds = credentials(server, world)
    creds.token = expired_twin(server, creds.token)
    files = service(server, "drive", "v3", creds).files().list().execute()
    assert files["kind"] == "drive#fileList"
    assert (
        creds.token is not None
        and requests.get(
            f"{server.url}/drive/v3/files", params={"access_token": creds.token}
        ).status_code
        == 200
    )


def test_google_1_22_insufficient_scope_gets_permission_denied(
    server: Server, world: World
) -> None:
    """§1.22: a token with only Calendar scopes calling Drive -> 403 PERMISSION_DENIED
    "Request had insufficient authentication scopes.", errors[] insufficientPermissions,
    ErrorInfo ACCESS_TOKEN_SCOPE_INSUFFICIENT and the insufficient_scope challenge."""
    creds = credentials(server, world, [CALENDAR_RO])
    drive = service(server, "drive", "v3", creds)
    with pytest.raises(HttpError) as caught:
        drive.files().list().execute()
    assert caught.value.status_code == 403
    assert caught.value.reason == "Request had insufficient authentication scopes."
    assert http_error_body(caught.value) == {
        "error": {
            "code": 403,
            "message": "Request had insufficient authentication scopes.",
            "errors": [
                {
                    "message": "Insufficient Permission",
                    "domain": "global",
                    "reason": "insufficientPermissions",
                }
            ],
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "domain": "googleapis.com",
                    "metadata": {
                        "service": "drive.googleapis.com",
                        "method": "google.apps.drive.v3.DriveFiles.List",
                    },
                }
            ],
        }
    }
    response = requests.get(f"{server.url}/drive/v2/files", params={"access_token": creds.token})
    assert response.status_code == 403
    scope = " ".join(DRIVE_SCOPES)
    assert response.headers["www-authenticate"] == (
        f'Bearer realm="{server.url}/", error="insufficient_scope", scope="{scope}"'
    )
    calendar = service(server, "calendar", "v3", creds)
    assert calendar.events().list(calendarId="primary").execute()["items"]


def test_google_1_22_disabled_api_gets_service_disabled(server: Server) -> None:
    """§1.22: the client's project has not enabled Drive -> 403 PERMISSION_DENIED with
    errors[] accessNotConfigured and ErrorInfo SERVICE_DISABLED naming the project number;
    Calendar, which the project enabled, works with the same token."""
    email, sub = server.new_user()
    project = server.new_project(apis=("calendar",))
    world = World(email, PASSWORD, sub, server.new_client(project))
    creds = credentials(server, world)
    number = project_number(world)
    drive = service(server, "drive", "v3", creds)
    with pytest.raises(HttpError) as caught:
        drive.files().list().execute()
    assert caught.value.status_code == 403
    activation = f"{server.url}/apis/api/drive.googleapis.com/overview?project={number}"
    message = (
        f"Google Drive API has not been used in project {number} before or it is disabled. "
        f"Enable it by visiting {activation} then retry. If you enabled this API recently, "
        "wait a few minutes for the action to propagate to our systems and retry."
    )
    assert caught.value.reason == message
    assert http_error_body(caught.value) == {
        "error": {
            "code": 403,
            "message": message,
            "errors": [
                {
                    "message": message,
                    "domain": "usageLimits",
                    "reason": "accessNotConfigured",
                    "extendedHelp": server.url,
                }
            ],
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "SERVICE_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "service": "drive.googleapis.com",
                        "consumer": f"projects/{number}",
                        "serviceTitle": APIS["drive"].title,
                        "containerInfo": number,
                        "activationUrl": activation,
                    },
                },
                {
                    "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                    "locale": "en-US",
                    "message": message,
                },
                {
                    "@type": "type.googleapis.com/google.rpc.Help",
                    "links": [
                        {
                            "description": "Google developers console API activation",
                            "url": activation,
                        }
                    ],
                },
            ],
        }
    }
    calendar = service(server, "calendar", "v3", creds)
    assert calendar.events().list(calendarId="primary").execute()["kind"] == "calendar#events"


# Partial responses (no server needed) --------------------------------------------------
RESOURCE = {
    "kind": "k",
    "nextPageToken": "t",
    "files": [{"id": "1", "name": "a", "size": "3", "owners": [{"me": True, "emailAddress": "e"}]}],
}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("kind", {"kind": "k"}),
        (
            "nextPageToken, files(id, name)",
            {"nextPageToken": "t", "files": [{"id": "1", "name": "a"}]},
        ),
        ("files/id,files/owners/me", {"files": [{"id": "1", "owners": [{"me": True}]}]}),
        ("files(owners(emailAddress)),files", {"files": RESOURCE["files"]}),
        ("*", RESOURCE),
        ("files(*)", {"files": RESOURCE["files"]}),
        ("missing", {}),
    ],
)
def test_google_partial_response_fields(selector: str, expected: dict[str, Any]) -> None:
    """The ``fields`` global parameter keeps the selected fields in the resource's order."""
    assert fields.select(RESOURCE, fields.parse(selector)) == expected


@pytest.mark.parametrize(
    "selector", ["", "files(", "files)", "a,,b", "files(id", "a(" * 40 + "b" + ")" * 40]
)
def test_google_partial_response_rejects_bad_selectors(selector: str) -> None:
    with pytest.raises(ApiError) as caught:
        fields.parse(selector)
    assert caught.value.status == 400
    assert caught.value.body["error"]["errors"][0]["location"] == "fields"
