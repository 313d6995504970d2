"""What the administrative subcommands share: the use cases with the operator as actor,
and printing results (views as JSON, confirmations as a line)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from accord.clock import SystemClock
from accord.services import (
    Actor,
    Clients,
    Member,
    NotFound,
    Operator,
    Organizations,
    Projects,
    Users,
)
from accord.settings import Settings
from accord.storage.engine import make_engine
from accord.storage.migrate import upgrade
from accord.storage.schema import users

OPERATOR = Operator()


@dataclass(frozen=True)
class Services:
    settings: Settings
    projects: Projects
    clients: Clients
    orgs: Organizations
    users: Users
    actor: Actor = OPERATOR


def services(settings: Settings, as_email: str | None = None) -> Services:
    """The use cases, acting as the local operator, or (``--as EMAIL``) as that account with
    only its memberships, as the console and the admin API would."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = SystemClock()
    actor: Actor = OPERATOR
    if as_email:
        with engine.connect() as conn:
            pk = conn.execute(
                select(users.c.pk).where(users.c.email == as_email.strip().lower())
            ).scalar()
        if pk is None:
            raise NotFound(f"User {as_email} not found")
        actor = Member(int(pk))
    return Services(settings, Projects(engine, clock), Clients(engine, clock),
                    Organizations(engine, clock), Users(engine, clock), actor)


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


Run = Callable[[Services, argparse.Namespace], object]
Subparsers = Any  # argparse's private _SubParsersAction


def command(sub: Subparsers, name: str, run: Run, help: str) -> argparse.ArgumentParser:
    """A subcommand that runs `run` with the services and prints what it returns."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)

    def call(settings: Settings, args: argparse.Namespace) -> None:
        emit(run(services(settings, getattr(args, "as_email", None)), args))

    parser.set_defaults(func=call)
    return parser


def group(sub: Subparsers, name: str, help: str) -> Subparsers:
    return sub.add_parser(name, help=help).add_subparsers(dest=f"{name}_action", required=True)
