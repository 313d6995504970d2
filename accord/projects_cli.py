"""``accord projects|apis|consent-screen|test-users ...``: projects, as the operator."""

from __future__ import annotations

import argparse

from accord.cli_support import (
    Run,
    Services,
    Subparsers,
    command,
    confirm,
    group,
)
from accord.services import ROLES


def _create(s: Services, a: argparse.Namespace) -> str:
    view = s.projects.create(s.actor, a.project_id, a.name or "", a.org)
    return f"created project {view.project_id} (number {view.number})"


def _members(sub: Subparsers) -> None:
    members = group(sub, "members", "a project's members and their roles")
    p = command(members, "list", lambda s, a: s.projects.members(s.actor, a.project_id),
                "list the members")
    p.add_argument("project_id")
    p = command(members, "add", lambda s, a: confirm(
        f"{a.email} is {a.role} of {a.project_id}",
        lambda: s.projects.add_member(s.actor, a.project_id, a.email, a.role),
    ), "add a member or change its role")
    p.add_argument("project_id")
    p.add_argument("email")
    p.add_argument("--role", choices=ROLES, default="editor")
    p = command(members, "remove", lambda s, a: confirm(
        f"removed {a.email}", lambda: s.projects.remove_member(s.actor, a.project_id, a.email)
    ), "remove a member")
    p.add_argument("project_id")
    p.add_argument("email")


def _projects(sub: Subparsers) -> None:
    projects = group(sub, "projects", "manage projects")
    p = command(projects, "create", _create, "create a project")
    p.add_argument("project_id")
    p.add_argument("--name", help="app name shown on the consent screen")
    p.add_argument("--org", help="the organization owning it")
    command(projects, "list", lambda s, a: s.projects.list(s.actor), "list projects (JSON)")
    p = command(projects, "show", lambda s, a: s.projects.get(s.actor, a.project_id),
                "show a project (JSON)")
    p.add_argument("project_id")
    p = command(projects, "rename", lambda s, a: s.projects.rename(
        s.actor, a.project_id, a.name), "rename a project")
    p.add_argument("project_id")
    p.add_argument("name")
    p = command(projects, "delete", lambda s, a: confirm(
        f"deleted project {a.project_id}", lambda: s.projects.delete(s.actor, a.project_id)
    ), "delete a project with its clients and tokens")
    p.add_argument("project_id")
    _members(projects)


def _apis(sub: Subparsers) -> None:
    apis = group(sub, "apis", "the APIs a project enables")
    p = command(apis, "list", lambda s, a: s.projects.apis(s.actor, a.project_id),
                "list the APIs and whether they are enabled (JSON)")
    p.add_argument("project_id")
    p = command(apis, "enable", lambda s, a: confirm(
        f"enabled {', '.join(a.apis)} for {a.project_id}",
        lambda: s.projects.enable_apis(s.actor, a.project_id, a.apis),
    ), "enable APIs (drive, calendar) for a project")
    p.add_argument("project_id")
    p.add_argument("apis", nargs="+")

    def disable(s: Services, a: argparse.Namespace) -> str:
        for api in a.apis:
            s.projects.disable_api(s.actor, a.project_id, api)
        return f"disabled {', '.join(a.apis)} for {a.project_id}"

    p = command(apis, "disable", disable, "disable APIs for a project")
    p.add_argument("project_id")
    p.add_argument("apis", nargs="+")


_SCREEN = ("app_name", "support_email", "logo_url", "home_url", "privacy_url", "terms_url",
           "user_type", "publishing_status")


def _set_screen(s: Services, a: argparse.Namespace) -> object:
    fields: dict[str, object] = {k: getattr(a, k) for k in _SCREEN if getattr(a, k) is not None}
    if a.authorized_domain is not None:
        fields["authorized_domains"] = [d for d in a.authorized_domain if d]
    return s.projects.update_consent_screen(s.actor, a.project_id, **fields)


def _consent(sub: Subparsers) -> None:
    screen = group(sub, "consent-screen", "a project's OAuth consent screen")
    p = command(screen, "show", lambda s, a: s.projects.consent_screen(s.actor, a.project_id),
                "show the consent screen (JSON)")
    p.add_argument("project_id")
    p = command(screen, "set", _set_screen, "change consent-screen fields (others stay)")
    p.add_argument("project_id")
    for field in _SCREEN:
        p.add_argument("--" + field.replace("_", "-"))
    p.add_argument("--authorized-domain", action="append",
                   help="repeat for each; --authorized-domain '' clears the list")
    users = group(sub, "test-users", "who may authorize a project's apps in testing status")
    p = command(users, "list", lambda s, a: s.projects.test_users(s.actor, a.project_id),
                "list the test users (JSON)")
    p.add_argument("project_id")
    for action in ("add", "remove"):
        p = command(users, action, _test_users(action), f"{action} test users")
        p.add_argument("project_id")
        p.add_argument("emails", nargs="+")


def _test_users(action: str) -> Run:
    def run(s: Services, a: argparse.Namespace) -> str:
        change = s.projects.add_test_user if action == "add" else s.projects.remove_test_user
        for email in a.emails:
            change(s.actor, a.project_id, email)
        return f"{action}{'ed' if action == 'add' else 'd'} {', '.join(a.emails)}"
    return run


def add_parsers(sub: Subparsers) -> None:
    _projects(sub)
    _apis(sub)
    _consent(sub)
