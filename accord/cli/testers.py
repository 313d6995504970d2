"""``accord test-users ...``: who may authorize a project's apps in testing status."""

from __future__ import annotations

import argparse

from accord.cli.base import Context, Group, Handler, command, subcommands


def _change(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> str:
        change = c.projects.add_test_user if action == "add" else c.projects.remove_test_user
        for email in a.emails:
            change(c.actor, a.project_id, email)
        return f"{action.capitalize()}{'ed' if action == 'add' else 'd'} {', '.join(a.emails)}."
    return run


def _build(parser: argparse.ArgumentParser) -> None:
    users = subcommands(parser, "test-users_action")
    p = command(users, "list", lambda c, a: c.projects.test_users(c.actor, a.project_id),
                "list the test users (JSON)")
    p.add_argument("project_id")
    for action in ("add", "remove"):
        p = command(users, action, _change(action), f"{action} test users")
        p.add_argument("project_id")
        p.add_argument("emails", nargs="+")


GROUP = Group("test-users", "who may authorize a project's apps in testing status", _build)
