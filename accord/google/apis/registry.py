"""Which function answers each method of the discovery documents, and under which RPC name.

The RPC names go into ``ErrorInfo.metadata.method`` of auth errors (reference
§1.22); Google's own names for Drive and Calendar are not documented, so these
follow the pattern of the Gmail example there [U].
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from accord.google.apis import calendar, discovery, drive, fields
from accord.google.apis.calls import Body, Call, Handler
from accord.google.apis.discovery import Method


@dataclass(frozen=True)
class Endpoint:
    method: Method
    rpc: str
    handler: Handler
    default_fields: str | None = None  # the partial response when the call names no ``fields``


_HANDLERS: dict[tuple[str, str], tuple[str, Handler, str | None]] = {
    ("v3", "drive.files.list"): (
        "google.apps.drive.v3.DriveFiles.List",
        drive.v3_list,
        drive.V3_LIST_DEFAULT,
    ),
    ("v3", "drive.files.get"): (
        "google.apps.drive.v3.DriveFiles.Get",
        drive.v3_get,
        drive.V3_FILE_DEFAULT,
    ),
    ("v2", "drive.files.list"): ("google.apps.drive.v2.DriveFiles.List", drive.v2_list, None),
    ("v2", "drive.files.get"): ("google.apps.drive.v2.DriveFiles.Get", drive.v2_get, None),
    ("v3", "calendar.events.list"): ("calendar.v3.Events.List", calendar.events_list, None),
    ("v3", "calendar.calendarList.list"): (
        "calendar.v3.CalendarList.List",
        calendar.calendar_list,
        None,
    ),
}


@cache
def endpoints() -> tuple[Endpoint, ...]:
    out = []
    for method in discovery.methods():
        rpc, handler, default = _HANDLERS[(method.version, method.id)]
        out.append(Endpoint(method, rpc, handler, default))
    return tuple(out)


def respond(endpoint: Endpoint, call: Call) -> Body:
    """Run the method and cut its answer down to the selected fields."""
    selector = call.query.get("fields") or endpoint.default_fields
    tree = fields.parse(selector) if selector else None
    body = endpoint.handler(call)
    return body if tree is None else fields.select(body, tree)
