"""A project's service accounts: the list (deleted ones too, with Undelete for 30 days)
and the creation form, with Google's messages for a wrong account ID."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from accord.console.base import Console, Done, Form, console_page
from accord.console.projects import PATH as PROJECT
from accord.services import ServiceError

LIST = PROJECT + "/service-accounts"
ACCOUNT = "/console/service-accounts/{unique_id}"


async def listing(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    return "service_accounts.html", {
        "project": con.projects.get(con.actor, project_id),
        "accounts": con.service_accounts.list(con.actor, project_id, show_deleted=True),
    }


async def undelete(con: Console, form: Form, project_id: str) -> Done:
    unique_id = form.get("unique_id")
    if not unique_id.isdigit():
        raise ServiceError("Choose a service account.", "unique_id")
    con.service_accounts.undelete(con.actor, unique_id)
    return Done("account_undeleted")


async def new(con: Console, project_id: str) -> tuple[str, dict[str, Any]]:
    return "service_account_new.html", {"project": con.projects.get(con.actor, project_id)}


async def create(con: Console, form: Form, project_id: str) -> Response:
    account = con.service_accounts.create(
        con.actor, project_id, form.get("account_id"),
        display_name=form.get("display_name"), description=form.get("description"),
    )
    return con.done(Done("account_created", ACCOUNT.format(unique_id=account.unique_id)))


routes = [
    console_page(LIST, listing, {"undelete": undelete}),
    console_page(LIST + "/new", new, {"create": create}),
]
