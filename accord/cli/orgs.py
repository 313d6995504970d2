"""``accord orgs ...``: organizations, their domains, admins, users and API controls."""

from __future__ import annotations

import argparse

from accord.cli.base import (
    Context,
    Group,
    Handler,
    Subparsers,
    command,
    confirm,
    group,
    subcommands,
)
from accord.cli.service_accounts import delegation_commands


def _pair(name: str, method: str, word: str) -> Handler:
    """Calls ``orgs.<method>(actor, org_id, <name>)`` and confirms."""
    def run(c: Context, a: argparse.Namespace) -> object:
        getattr(c.orgs, method)(c.actor, a.org_id, getattr(a, name))
        return f"{word} {getattr(a, name)} ({a.org_id})."
    return run


def _add(sub: Subparsers, name: str, run: Handler, help: str, *args: str) -> None:
    p = command(sub, name, run, help)
    p.add_argument("org_id")
    for arg in args:
        p.add_argument(arg)


def _domains_admins(orgs: Subparsers) -> None:
    domains = group(orgs, "domains", "an organization's domains")
    _add(domains, "add", _pair("domain", "add_domain", "Added domain"), "add a domain", "domain")
    _add(domains, "remove", _pair("domain", "remove_domain", "Removed domain"),
         "remove a domain", "domain")
    admins = group(orgs, "admins", "an organization's admins")
    _add(admins, "list", lambda c, a: c.orgs.admins(c.actor, a.org_id), "list admins (JSON)")
    _add(admins, "add", _pair("email", "add_admin", "Admin now:"), "make a user admin", "email")
    _add(admins, "remove", _pair("email", "remove_admin", "No longer admin:"),
         "remove an admin", "email")


def _users(orgs: Subparsers) -> None:
    users = group(orgs, "users", "an organization's users")
    _add(users, "list", lambda c, a: c.orgs.users(c.actor, a.org_id), "list users (JSON)")
    p = command(users, "create", lambda c, a: c.orgs.create_user(
        c.actor, a.org_id, a.email, a.password, a.name or ""),
        "create a user in one of the organization's domains (JSON)")
    p.add_argument("org_id")
    p.add_argument("email")
    p.add_argument("--password", required=True)
    p.add_argument("--name")
    for action in ("disable", "enable", "delete"):
        _add(users, action, _pair("email", f"{action}_user", f"{action.capitalize()}d user"),
             f"{action} a user", "email")


def _policy(orgs: Subparsers) -> None:
    from accord.services.org_policy import ACCESS

    access = group(orgs, "app-access", "API controls: trusted, limited or blocked apps")
    _add(access, "list", lambda c, a: c.orgs.app_access(c.actor, a.org_id),
         "list the apps' access (JSON)")
    p = command(access, "set", lambda c, a: confirm(
        f"The app {a.client_id} is {a.access} now.",
        lambda: c.orgs.set_app_access(c.actor, a.org_id, a.client_id, a.access),
    ), "set an app's access")
    p.add_argument("org_id")
    p.add_argument("client_id")
    p.add_argument("access", choices=ACCESS)
    _add(orgs, "restricted", lambda c, a: c.orgs.restricted_apis(c.actor, a.org_id),
         "list the restricted APIs (JSON)")
    _add(orgs, "restrict", _pair("api", "restrict_api", "Restricted"),
         "restrict an API to trusted apps", "api")
    _add(orgs, "unrestrict", _pair("api", "unrestrict_api", "Unrestricted"),
         "lift an API's restriction", "api")
    p = command(orgs, "audit", lambda c, a: c.orgs.audit(c.actor, a.org_id, a.limit, a.before),
                "the audit log, newest first (JSON)")
    p.add_argument("org_id")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--before", type=int, help="the id of the last event of the previous page")


def _build(parser: argparse.ArgumentParser) -> None:
    orgs = subcommands(parser, "orgs_action")
    p = command(orgs, "create", lambda c, a: c.orgs.create(
        c.actor, a.org_id, a.name, a.domain), "create an organization (JSON)")
    p.add_argument("org_id")
    p.add_argument("--name", required=True)
    p.add_argument("--domain", action="append", required=True, help="repeat for each")
    command(orgs, "list", lambda c, a: c.orgs.list(c.actor), "list organizations (JSON)")
    _add(orgs, "show", lambda c, a: c.orgs.get(c.actor, a.org_id), "show one (JSON)")
    _domains_admins(orgs)
    _users(orgs)
    _policy(orgs)
    delegation_commands(orgs)


GROUP = Group("orgs", "manage organizations", _build)
