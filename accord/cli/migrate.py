"""``accord migrate``: apply the database migrations."""

from __future__ import annotations

import argparse

from accord.cli.base import Context, Group, handle


def _migrate(c: Context, a: argparse.Namespace) -> str:
    from accord.cli.wiring import migrate

    migrate(c.settings)
    return "Migrations applied."


def _build(p: argparse.ArgumentParser) -> None:
    handle(p, _migrate)


GROUP = Group("migrate", "apply database migrations", _build)
