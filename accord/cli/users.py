"""``accord users create|update``: accounts and their profile claims."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from accord.cli.base import Context, Group, command, subcommands

if TYPE_CHECKING:
    from accord.services import Profile


def _profile(a: argparse.Namespace) -> Profile:
    from accord.services import Profile

    return Profile(
        given_name=a.given_name,
        family_name=a.family_name,
        picture=a.picture,
        locale=a.locale,
        email_verified=a.email_verified,
    )


def _create(c: Context, a: argparse.Namespace) -> str:
    # --as EMAIL: the account's own rights (creating accounts is the operator's), not ours.
    return c.users.create(c.actor, a.email, a.password, a.name or "", _profile(a))


def _update(c: Context, a: argparse.Namespace) -> str:
    c.users.update(c.actor, a.email, a.name, _profile(a))
    return f"updated {a.email}"


def _profile_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name")
    p.add_argument("--given-name")
    p.add_argument("--family-name")
    p.add_argument("--picture", help="URL of the profile picture")
    p.add_argument("--locale", help="BCP 47 tag, e.g. en or fr-CA")
    p.add_argument(
        "--email-verified", action=argparse.BooleanOptionalAction, default=None,
        help="whether the email counts as verified (new users: yes)",
    )


def _build(parser: argparse.ArgumentParser) -> None:
    users = subcommands(parser, "action")
    p = command(users, "create", _create, "create a user and print its sub")
    p.add_argument("email")
    p.add_argument("--password", required=True)
    _profile_options(p)
    p = command(users, "update", _update, "change a user's profile claims")
    p.add_argument("email")
    _profile_options(p)


GROUP = Group("users", "manage users", _build)
