"""``accord projects ...``: projects and their members."""

from __future__ import annotations

import argparse

from accord.cli.base import Context, Group, Subparsers, command, confirm, group, subcommands


def _create(c: Context, a: argparse.Namespace) -> str:
    view = c.projects.create(c.actor, a.project_id, a.name or "", a.org)
    return f"created project {view.project_id} (number {view.number})"


def _members(sub: Subparsers) -> None:
    from accord.services import ROLES

    members = group(sub, "members", "a project's members and their roles")
    p = command(members, "list", lambda c, a: c.projects.members(c.actor, a.project_id),
                "list the members")
    p.add_argument("project_id")
    p = command(members, "add", lambda c, a: confirm(
        f"Made {a.email} {a.role} of {a.project_id}.",
        lambda: c.projects.add_member(c.actor, a.project_id, a.email, a.role),
    ), "add a member or change its role")
    p.add_argument("project_id")
    p.add_argument("email")
    p.add_argument("--role", choices=ROLES, default="editor")
    p = command(members, "remove", lambda c, a: confirm(
        f"Removed {a.email}.", lambda: c.projects.remove_member(c.actor, a.project_id, a.email)
    ), "remove a member")
    p.add_argument("project_id")
    p.add_argument("email")


def _build(parser: argparse.ArgumentParser) -> None:
    projects = subcommands(parser, "projects_action")
    p = command(projects, "create", _create, "create a project")
    p.add_argument("project_id")
    p.add_argument("--name", help="app name shown on the consent screen")
    p.add_argument("--org", help="the organization owning it")
    command(projects, "list", lambda c, a: c.projects.list(c.actor), "list projects (JSON)")
    p = command(projects, "show", lambda c, a: c.projects.get(c.actor, a.project_id),
                "show a project (JSON)")
    p.add_argument("project_id")
    p = command(projects, "rename", lambda c, a: c.projects.rename(
        c.actor, a.project_id, a.name), "rename a project")
    p.add_argument("project_id")
    p.add_argument("name")
    p = command(projects, "delete", lambda c, a: confirm(
        f"Deleted project {a.project_id}.", lambda: c.projects.delete(c.actor, a.project_id)
    ), "delete a project with its clients and tokens")
    p.add_argument("project_id")
    _members(projects)


GROUP = Group("projects", "manage projects", _build)
