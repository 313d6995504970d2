"""The demo Calendar API (v3) through googleapiclient."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from googleapiclient.errors import HttpError

from tests.conftest import Server, World
from tests.e2e.apis.support import (
    credentials,
    http_error_body,
    service,
)


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
