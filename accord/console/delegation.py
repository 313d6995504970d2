"""An organization's domain-wide delegation (reference §1.16), for its admins: which
service accounts (by client ID, their unique ID) may act as its users, for which scopes."""

from __future__ import annotations

import re
from typing import Any

from accord.console.base import Console, Done, Form, console_page
from accord.console.orgs import PATH as ORG


def scopes_of(form: Form) -> list[str]:
    """The scopes field: one per line or comma-delimited, as Google's Admin console takes."""
    return [s for s in re.split(r"[\s,]+", form.raw("scopes")) if s]


async def delegation(con: Console, org_id: str) -> tuple[str, dict[str, Any]]:
    return "delegation.html", {
        "org": con.orgs.get(con.actor, org_id),
        "delegations": con.delegation.list(con.actor, org_id),
    }


async def add(con: Console, form: Form, org_id: str) -> Done:
    con.delegation.add(con.actor, org_id, form.get("client_id"), scopes_of(form))
    return Done("delegation_added")


async def remove(con: Console, form: Form, org_id: str) -> Done:
    con.delegation.remove(con.actor, org_id, form.get("client_id"))
    return Done("delegation_removed")


routes = [console_page(ORG + "/delegation", delegation, {"add": add, "remove": remove})]
