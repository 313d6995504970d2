"""The demo Drive API (v2, v3) through googleapiclient: listing, paging, files, per-user data."""

from __future__ import annotations

from datetime import datetime

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from tests.conftest import DRIVE_META, Server, World
from tests.e2e.apis.support import (
    assert_invalid_value,
    credentials,
    http_error_body,
    service,
)


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
