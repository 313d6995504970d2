"""Who may act as a service account: its IAM policy's role bindings (member + role)."""

from __future__ import annotations

from typing import Any

from accord.console.base import Console, Done, Form, console_page
from accord.console.service_account import account_page
from accord.console.service_accounts import ACCOUNT
from accord.google.iam import ROLES


async def permissions(con: Console, unique_id: str) -> tuple[str, dict[str, Any]]:
    page = account_page(con, unique_id)
    accounts, deleted = con.service_accounts, page["account"].deleted_at is not None
    bindings = () if deleted else accounts.get_iam_policy(con.actor, unique_id).bindings
    return "service_account_permissions.html", {**page, "bindings": bindings, "roles": ROLES}


async def add_binding(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.add_iam_policy_binding(
        con.actor, unique_id, form.get("member"), form.get("role")
    )
    return Done("binding_added")


async def remove_binding(con: Console, form: Form, unique_id: str) -> Done:
    con.service_accounts.remove_iam_policy_binding(
        con.actor, unique_id, form.get("member"), form.get("role")
    )
    return Done("binding_removed")


routes = [
    console_page(
        ACCOUNT + "/permissions", permissions,
        {"add_binding": add_binding, "remove_binding": remove_binding},
    ),
]
