"""The convention every command group follows.

A group module defines ``GROUP = Group(name, help, build)``. ``build(parser)`` adds the
group's options, or its subcommands with :func:`command`, and runs only when that group is
the one on the command line; a handler imports the heavy modules it needs (the database,
the web framework, cryptography) when it runs, so ``accord --help`` loads none of them.

A handler takes the :class:`Context` and the parsed arguments and returns what to print:
a line for a confirmation, indented JSON for anything else, nothing for None (:func:`emit`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.cli.wiring import Services
    from accord.services import (
        Actor,
        Clients,
        Delegations,
        Organizations,
        Projects,
        ServiceAccounts,
        Users,
    )
    from accord.settings import Settings
    from accord.storage.keys import SqlKeyRing


class Context:
    """What a handler works with: the settings, and the use cases and key ring built on
    first use (acting as the local operator, or as ``--as EMAIL``)."""

    def __init__(self, settings: Settings, as_email: str | None = None) -> None:
        self.settings = settings
        self.as_email = as_email

    @cached_property
    def services(self) -> Services:
        from accord.cli.wiring import services

        return services(self.settings, self.as_email)

    @cached_property
    def keys(self) -> SqlKeyRing:
        from accord.cli.wiring import key_ring

        return key_ring(self.settings)

    @property
    def actor(self) -> Actor:
        return self.services.actor

    @property
    def projects(self) -> Projects:
        return self.services.projects

    @property
    def clients(self) -> Clients:
        return self.services.clients

    @property
    def orgs(self) -> Organizations:
        return self.services.orgs

    @property
    def users(self) -> Users:
        return self.services.users

    @property
    def service_accounts(self) -> ServiceAccounts:
        return self.services.service_accounts

    @property
    def delegation(self) -> Delegations:
        return self.services.delegation


Handler = Callable[[Context, argparse.Namespace], object]
Subparsers = Any  # argparse's private _SubParsersAction


@dataclass(frozen=True)
class Group:
    """A top-level command (``accord NAME ...``): its help line and how to build its parser."""

    name: str
    help: str
    build: Callable[[argparse.ArgumentParser], None]


def handle(parser: argparse.ArgumentParser, run: Handler) -> argparse.ArgumentParser:
    """Make `run` the handler of `parser`'s command."""
    parser.set_defaults(run=run)
    return parser


def subcommands(parser: argparse.ArgumentParser, dest: str) -> Subparsers:
    """The list of subcommands of a group; one of them is required."""
    return parser.add_subparsers(dest=dest, required=True)


def command(sub: Subparsers, name: str, run: Handler, help: str) -> argparse.ArgumentParser:
    """A subcommand that runs `run` and prints what it returns."""
    return handle(sub.add_parser(name, help=help, description=help), run)


def group(sub: Subparsers, name: str, help: str) -> Subparsers:
    """A nested group of subcommands (``accord clients secrets ...``)."""
    return subcommands(sub.add_parser(name, help=help), f"{name}_action")


def as_json(value: object) -> Any:
    if hasattr(value, "as_json"):
        return value.as_json()
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    return value


def emit(result: object) -> None:
    """A line for a confirmation, indented JSON for anything else; nothing for None."""
    if result is None:
        return
    if isinstance(result, str):
        print(result)
    else:
        print(json.dumps(as_json(result), indent=2))


def confirm(message: str, call: Callable[[], object]) -> str:
    """Run `call` (a change) and return the confirmation to print."""
    call()
    return message
