"""``accord apis ...``: the APIs a project enables."""

from __future__ import annotations

import argparse

from accord.cli.base import Context, Group, command, confirm, subcommands


def _disable(c: Context, a: argparse.Namespace) -> str:
    for api in a.apis:
        c.projects.disable_api(c.actor, a.project_id, api)
    return f"Disabled {', '.join(a.apis)} for {a.project_id}."


def _build(parser: argparse.ArgumentParser) -> None:
    apis = subcommands(parser, "apis_action")
    p = command(apis, "list", lambda c, a: c.projects.apis(c.actor, a.project_id),
                "list the APIs and whether they are enabled (JSON)")
    p.add_argument("project_id")
    p = command(apis, "enable", lambda c, a: confirm(
        f"Enabled {', '.join(a.apis)} for {a.project_id}",
        lambda: c.projects.enable_apis(c.actor, a.project_id, a.apis),
    ), "enable APIs (drive, calendar, iamcredentials) for a project")
    p.add_argument("project_id")
    p.add_argument("apis", nargs="+")
    p = command(apis, "disable", _disable, "disable APIs for a project")
    p.add_argument("project_id")
    p.add_argument("apis", nargs="+")


GROUP = Group("apis", "the APIs a project enables", _build)
