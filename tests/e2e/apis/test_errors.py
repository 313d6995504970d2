"""The demo APIs' bearer tokens and refusals, on the wire: where the token rides (RFC 6750) and
Google's error envelopes (reference §1.22).
"""

from __future__ import annotations

import pytest
import requests
from googleapiclient.errors import HttpError

from accord.google.apis import APIS
from tests.conftest import CALENDAR_RO, PASSWORD, Server, World
from tests.e2e.apis.support import (
    DRIVE_SCOPES,
    SEE,
    credentials,
    expired_twin,
    http_error_body,
    project_number,
    service,
)


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
