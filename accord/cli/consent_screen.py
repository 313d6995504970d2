"""``accord consent-screen ...``: a project's OAuth consent screen."""

from __future__ import annotations

import argparse

from accord.cli.base import Context, Group, command, subcommands

_SCREEN = ("app_name", "support_email", "logo_url", "home_url", "privacy_url", "terms_url",
           "user_type", "publishing_status")


def _set(c: Context, a: argparse.Namespace) -> object:
    fields: dict[str, object] = {k: getattr(a, k) for k in _SCREEN if getattr(a, k) is not None}
    if a.authorized_domain is not None:
        fields["authorized_domains"] = [d for d in a.authorized_domain if d]
    return c.projects.update_consent_screen(c.actor, a.project_id, **fields)


def _build(parser: argparse.ArgumentParser) -> None:
    screen = subcommands(parser, "consent-screen_action")
    p = command(screen, "show", lambda c, a: c.projects.consent_screen(c.actor, a.project_id),
                "show the consent screen (JSON)")
    p.add_argument("project_id")
    p = command(screen, "set", _set, "change consent-screen fields (others stay)")
    p.add_argument("project_id")
    for field in _SCREEN:
        p.add_argument("--" + field.replace("_", "-"))
    p.add_argument("--authorized-domain", action="append",
                   help="repeat for each; --authorized-domain '' clears the list")


GROUP = Group("consent-screen", "a project's OAuth consent screen", _build)
