"""Calendar events.list and calendarList.list on the user's one (primary) calendar.

Times are in UTC; the calendar's ``timeZone`` says so. ``timeMin`` keeps the
events that end after it and ``timeMax`` those that start before it.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from accord.google.apis import samples
from accord.google.apis.calls import Body, Call
from accord.google.apis.errors import bad_request, not_found
from accord.google.apis.paging import page, page_size, parse_rfc3339, rfc3339
from accord.google.apis.samples import SampleEvent

ZONE = "UTC"
DEFAULT_REMINDERS = [{"method": "popup", "minutes": 10}]
_PRIMARY = "primary"


def _etag(*parts: object) -> str:
    digits = int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8])
    return f'"{digits % 10**16:016d}"'


def _person(call: Call) -> Body:
    return {"email": call.subject.principal.email, "self": True}


def event(e: SampleEvent, call: Call) -> Body:
    host = urlsplit(call.issuer).hostname
    body: Body = {
        "kind": "calendar#event",
        "etag": _etag(e.id, e.updated),
        "id": e.id,
        "status": "confirmed",
        "created": rfc3339(e.created),
        "updated": rfc3339(e.updated),
        "summary": e.summary,
    }
    if e.location:
        body["location"] = e.location
    body |= {
        "creator": _person(call),
        "organizer": _person(call),
        "start": {"dateTime": rfc3339(e.start, millis=False), "timeZone": ZONE},
        "end": {"dateTime": rfc3339(e.end, millis=False), "timeZone": ZONE},
        "iCalUID": f"{e.id}@{host}",
        "sequence": 0,
        "reminders": {"useDefault": True},
        "eventType": "default",
    }
    return body


def _window(call: Call, items: list[SampleEvent]) -> list[SampleEvent]:
    raw_min, raw_max = call.query.get("timeMin"), call.query.get("timeMax")
    if raw_min is not None:
        low = parse_rfc3339(raw_min, "timeMin")
        items = [e for e in items if e.end > low]
    if raw_max is not None:
        high = parse_rfc3339(raw_max, "timeMax")
        items = [e for e in items if e.start < high]
    return items


def events_list(call: Call) -> Body:
    calendar_id = call.path["calendarId"]
    if calendar_id != _PRIMARY and calendar_id.lower() != call.subject.principal.email.lower():
        raise not_found()
    order = call.query.get("orderBy")
    if order == "startTime" and call.query.get("singleEvents", "").lower() != "true":
        # Calendar refuses to order recurring series by start time.
        raise bad_request("The requested ordering is not available for the particular query.")
    if order not in (None, "startTime", "updated"):
        raise bad_request("Invalid value for orderBy")
    everything = samples.events(call.subject.principal.sub, call.now)
    items = _window(call, everything)
    if order == "updated":
        items = sorted(items, key=lambda e: (e.updated, e.id))
    size = page_size(call.query, "maxResults", 250, 2500)
    shown, next_token = page(items, call.query, size)
    body: Body = {
        "kind": "calendar#events",
        "etag": _etag(call.subject.principal.sub, [e.id for e in everything]),
        "summary": call.subject.principal.email,
        "description": "",
        "updated": rfc3339(max((e.updated for e in everything), default=call.now)),
        "timeZone": ZONE,
        "accessRole": "owner",
        "defaultReminders": DEFAULT_REMINDERS,
    }
    if next_token:
        body["nextPageToken"] = next_token
    body["items"] = [event(e, call) for e in shown]
    return body


def calendar_list(call: Call) -> Body:
    email = call.subject.principal.email
    entry = {
        "kind": "calendar#calendarListEntry",
        "etag": _etag(email),
        "id": email,
        "summary": email,
        "timeZone": ZONE,
        "colorId": "14",
        "backgroundColor": "#9fe1e7",
        "foregroundColor": "#000000",
        "selected": True,
        "accessRole": "owner",
        "defaultReminders": DEFAULT_REMINDERS,
        "primary": True,
    }
    shown, next_token = page([entry], call.query, page_size(call.query, "maxResults", 100, 250))
    body: Body = {"kind": "calendar#calendarList", "etag": _etag(email, "list")}
    if next_token:
        body["nextPageToken"] = next_token
    body["items"] = shown
    return body
