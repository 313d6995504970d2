"""An organization, for its admins: users, app access per client ID, restricted APIs and
the audit log (Google Workspace's Admin console, reference §1.2's "internal" apps)."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from accord.console.base import Console, Done, Form, console_page
from accord.google import paths
from accord.google.apis import APIS
from accord.protocol.params import small_number

PATH = paths.CONSOLE + "/orgs/{org_id}"
ACCESS = (("trusted", "Trusted"), ("limited", "Limited"), ("blocked", "Blocked"))
AUDIT_PAGE = 50


async def overview(con: Console, org_id: str) -> tuple[str, dict[str, Any]]:
    before = con.request.query_params.get("before", "")
    events = con.orgs.audit(
        con.actor, org_id, limit=AUDIT_PAGE, before=small_number(before, 18)
    )
    return "org.html", {
        "org": con.orgs.get(con.actor, org_id),
        "admins": con.orgs.admins(con.actor, org_id),
        "users": con.orgs.users(con.actor, org_id),
        "access": con.orgs.app_access(con.actor, org_id),
        "access_levels": ACCESS,
        "restricted": con.orgs.restricted_apis(con.actor, org_id),
        "apis": APIS,
        "events": events,
        "older": events[-1].id if len(events) == AUDIT_PAGE else None,
    }


async def create_user(con: Console, form: Form, org_id: str) -> Done:
    # argon2 hashing: off the event loop.
    await run_in_threadpool(
        con.orgs.create_user,
        con.actor,
        org_id,
        form.get("email"),
        form.raw("password"),
        form.get("name"),
    )
    return Done("user_created")


async def disable_user(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.disable_user(con.actor, org_id, form.get("email"))
    return Done("user_disabled")


async def enable_user(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.enable_user(con.actor, org_id, form.get("email"))
    return Done("user_enabled")


async def delete_user(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.delete_user(con.actor, org_id, form.get("email"))
    return Done("user_deleted")


async def set_access(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.set_app_access(con.actor, org_id, form.get("client_id"), form.get("access"))
    return Done("access_set")


async def restrict(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.restrict_api(con.actor, org_id, form.get("api"))
    return Done("api_restricted")


async def unrestrict(con: Console, form: Form, org_id: str) -> Done:
    con.orgs.unrestrict_api(con.actor, org_id, form.get("api"))
    return Done("api_unrestricted")


routes = [
    console_page(
        PATH,
        overview,
        {
            "create_user": create_user,
            "disable_user": disable_user,
            "enable_user": enable_user,
            "delete_user": delete_user,
            "set_access": set_access,
            "restrict": restrict,
            "unrestrict": unrestrict,
        },
    ),
]
