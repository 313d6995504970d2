"""``accord users ...``: accounts and their profile claims, as gcloud lists and describes
things: ``list``, ``describe EMAIL``, ``create``, ``update``, ``set-password``,
``disable``, ``enable``, ``delete``. A password comes from standard input or a prompt
unless it is given on the command line (where other users can see it)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from accord.cli.base import Context, Group, Handler, command, subcommands

if TYPE_CHECKING:
    from accord.services import Profile

ASK = ""  # --password without a value: standard input, or a prompt on a terminal


def read_password(value: str | None) -> str:
    """The password given, or read from standard input (``-``, or not a terminal), or asked
    for twice on a terminal."""
    if value not in (None, ASK, "-"):
        return value
    if value == "-" or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    from getpass import getpass

    password = getpass("Password: ")
    if getpass("Password again: ") != password:
        from accord.services import ServiceError

        raise ServiceError("The two passwords differ.")
    return password


def _profile(a: argparse.Namespace) -> Profile:
    from accord.services import Profile

    return Profile(
        given_name=a.given_name,
        family_name=a.family_name,
        picture=a.picture,
        locale=a.locale,
        email_verified=a.email_verified,
    )


def _create(c: Context, a: argparse.Namespace) -> object:
    # --as EMAIL: the account's own rights (creating accounts is the operator's), not ours.
    return c.users.create_view(c.actor, a.email, read_password(a.password), a.name or "",
                               _profile(a))


def _update(c: Context, a: argparse.Namespace) -> str:
    profile = _profile(a)
    if a.password is not None:
        c.users.set_password(c.actor, a.email, read_password(a.password))
        if a.name is None and not profile.changes():
            return f"Set a new password for {a.email}."
    c.users.update(c.actor, a.email, a.name, profile)
    return f"Updated {a.email}."


def _set_password(c: Context, a: argparse.Namespace) -> str:
    c.users.set_password(c.actor, a.email, read_password(a.password))
    return f"Set a new password for {a.email}."


def _change(action: str) -> Handler:
    def run(c: Context, a: argparse.Namespace) -> str:
        getattr(c.users, action)(c.actor, a.email)
        return f"{action.capitalize()}d user {a.email}."
    return run


def password_option(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument(
        "--password", nargs="?", const=ASK, metavar="PASSWORD",
        help=f"{help}; '-' or no value reads it from standard input, or asks for it on a "
        "terminal (a password on the command line is visible to other users)",
    )


def _profile_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="the full name (default for new users: the email's local part)")
    p.add_argument("--given-name", help="the given_name claim")
    p.add_argument("--family-name", help="the family_name claim")
    p.add_argument("--picture", help="URL of the profile picture")
    p.add_argument("--locale", help="BCP 47 tag, e.g. en or fr-CA")
    p.add_argument(
        "--email-verified", action=argparse.BooleanOptionalAction, default=None,
        help="whether the email counts as verified (new users: yes)",
    )


def _build(parser: argparse.ArgumentParser) -> None:
    users = subcommands(parser, "action")
    command(users, "list", lambda c, a: c.users.list_all(c.actor), "list every user (JSON)")
    p = command(users, "describe", lambda c, a: c.users.get(c.actor, a.email),
                "show one user (JSON)")
    p.add_argument("email")
    p = command(users, "create", _create, "create a user and print it (JSON)")
    p.add_argument("email")
    password_option(p, "the new user's password (default: read as for no value)")
    _profile_options(p)
    p = command(users, "update", _update, "change a user's profile claims or password")
    p.add_argument("email")
    password_option(p, "a new password")
    _profile_options(p)
    p = command(users, "set-password", _set_password, "give a user a new password")
    p.add_argument("email")
    password_option(p, "the new password (default: read as for no value)")
    for action in ("disable", "enable", "delete"):
        p = command(users, action, _change(action), f"{action} a user")
        p.add_argument("email")


GROUP = Group("users", "manage users", _build)
