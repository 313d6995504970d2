"""One service account: its details, disable and enable, delete (after a confirmation
page) and undelete."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from accord.console.base import Console, Done, Form, console_page
from accord.console.service_accounts import ACCOUNT, LIST


def account_page(con: Console, unique_id: str) -> dict[str, Any]:
    """The account (deleted ones too, for Undelete) and its project (with the caller's
    role): every account page's context."""
    account = con.service_accounts.get(con.actor, unique_id, deleted_ok=True)
    return {"account": account, "project": con.projects.get(con.actor, account.project_id)}


async def detail(con: Console, unique_id: str) -> tuple[str, dict[str, Any]]:
    return "service_account.html", account_page(con, unique_id)


async def update(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.update(con.actor, unique_id, display_name=form.get("display_name"),
                                description=form.get("description"))
    return Done("account_saved")


async def disable(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.disable(con.actor, unique_id)
    return Done("account_disabled")


async def enable(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.enable(con.actor, unique_id)
    return Done("account_enabled")


async def delete(con: Console, form: Form, unique_id: str) -> Done | Response:
    page = account_page(con, unique_id)
    if form.get("confirm") != "yes":
        return con.render(
            "confirm.html", **page, subtitle=page["account"].email, action="delete",
            title="Delete this service account?",
            text="Programs using it can no longer get tokens, and its tokens stop working at "
            "once. You can undelete it for 30 days; after that it is deleted for good, and "
            "a new account with the same email would be another account.",
            label="Delete service account", fields=[],
        )
    con.service_accounts.delete(con.actor, unique_id)
    return Done("account_deleted", LIST.format(project_id=page["project"].project_id))


async def undelete(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.undelete(con.actor, unique_id)
    return Done("account_undeleted")


routes = [
    console_page(
        ACCOUNT, detail,
        {"update": update, "disable": disable, "enable": enable, "delete": delete,
         "undelete": undelete},
    ),
]
