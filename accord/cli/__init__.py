"""The accord command line: one module per command group, each following the convention of
:mod:`accord.cli.base`. A group's parser is built only when that group is on the command
line, and its handler imports what it needs when it runs: ``accord --help`` loads no
database, web or crypto library."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from accord.cli import (
    apis,
    clients,
    consent_screen,
    demo,
    keys,
    migrate,
    orgs,
    projects,
    serve,
    service_accounts,
    testers,
    users,
)
from accord.cli.base import Context, Group, emit

if TYPE_CHECKING:
    from accord.settings import Settings

    _Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _Subcommands = argparse._SubParsersAction

GROUPS: tuple[Group, ...] = tuple(m.GROUP for m in (
    serve, migrate, demo, users, projects, apis, consent_screen, testers, clients, orgs, keys,
    service_accounts,
))


class _Groups(_Subcommands):
    """The top-level commands; a group's parser is filled in once argparse picks it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: dict[str, tuple[argparse.ArgumentParser, Callable[..., None]]] = {}

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        assert isinstance(values, list)
        if values and values[0] in self.pending:
            chosen, build = self.pending.pop(values[0])
            build(chosen)
        super().__call__(parser, namespace, values, option_string)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord",
        description=f"The accord command: {', '.join(g.name for g in GROUPS)}.",
    )
    parser.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        help="act as this account, with only its project and organization roles "
        "(default: the local operator, who may do everything)",
    )
    sub = parser.add_subparsers(dest="command", required=True, action=_Groups)
    assert isinstance(sub, _Groups)
    for g in GROUPS:
        sub.pending[g.name] = (sub.add_parser(g.name, help=g.help, description=g.help), g.build)
    return parser


def dispatch(settings: Settings, args: argparse.Namespace) -> None:
    """Run the parsed command and print what it returns."""
    emit(args.run(Context(settings, getattr(args, "as_email", None)), args))


def run(settings: Settings, *argv: str) -> None:
    """``accord ARGV...`` with these settings, refusals raised (for tests)."""
    dispatch(settings, build_parser().parse_args(list(argv)))


def _refusal(exc: Exception) -> bool:
    """Whether `exc` is a refusal to report in one line: bad settings, a use case saying
    no, signing keys sealed under another secret key."""
    from accord.services import ServiceError
    from accord.settings import ConfigError
    from accord.storage.engine import DatabaseURLError
    from accord.storage.keys import KeyDecryptionError

    return isinstance(exc, ConfigError | ServiceError | KeyDecryptionError | DatabaseURLError)


def _quiet_on_broken_pipe() -> None:
    """The reader went away (``accord projects list | head -1``): stop quietly, as Unix
    tools do, without a traceback, also at exit when Python flushes standard output."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


def sentence(message: str) -> str:
    """One style for every message: a capital letter first, a full stop last."""
    message = message.strip()
    if not message:
        return message
    first = message.split(" ", 1)[0].rstrip(".,:;")
    if first.isalpha() and first.islower():  # a word, not an email, ID or URL
        message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?" else message + "."


def main(argv: list[str] | None = None) -> None:
    try:
        args = build_parser().parse_args(argv)
        from accord.settings import Settings

        # A command may adapt the environment its settings come from (the demo's data).
        environment = getattr(args, "environment", None)
        try:
            dispatch(Settings.from_env(environment and environment(args, os.environ)), args)
        except Exception as exc:
            if not _refusal(exc):
                raise
            print(f"accord: error: {sentence(str(exc))}", file=sys.stderr)
            sys.exit(2)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_on_broken_pipe()
