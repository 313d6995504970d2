"""The ``accord`` command: serve, migrate, demo, users, projects, apis, consent-screen,
test-users, clients, orgs, keys."""

from __future__ import annotations

import argparse
import sys

from accord import clients_cli, keys_cli, orgs_cli, projects_cli
from accord.cli_support import services
from accord.services import Profile, ServiceError
from accord.settings import ConfigError, Settings
from accord.storage.engine import make_engine
from accord.storage.keys import KeyDecryptionError
from accord.storage.migrate import upgrade


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    upgrade(make_engine(settings.database_url))
    print("migrations applied")


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    upgrade(make_engine(settings.database_url))
    print(f"accord: serving {settings.issuer} on http://{args.host}:{args.port}", file=sys.stderr)
    uvicorn.run(
        "accord.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=not args.no_access_log,
        log_level=args.log_level,
        proxy_headers=False,
    )


def _profile(args: argparse.Namespace) -> Profile:
    return Profile(
        given_name=args.given_name,
        family_name=args.family_name,
        picture=args.picture,
        locale=args.locale,
        email_verified=args.email_verified,
    )


def cmd_users_create(settings: Settings, args: argparse.Namespace) -> None:
    # --as EMAIL: the account's own rights (creating accounts is the operator's), not ours.
    svc = services(settings, args.as_email)
    print(svc.users.create(svc.actor, args.email, args.password, args.name or "", _profile(args)))


def cmd_users_update(settings: Settings, args: argparse.Namespace) -> None:
    svc = services(settings, args.as_email)
    svc.users.update(svc.actor, args.email, args.name, _profile(args))
    print(f"updated {args.email}")


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


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    from accord.demo import run_demo

    run_demo(settings, args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description=__doc__)
    parser.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        help="act as this account, with only its project and organization roles "
        "(default: the local operator, who may do everything)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the server (applies migrations first)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8400)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--no-access-log", action="store_true")
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    p = sub.add_parser("demo", help="serve Accord with a demo user, client and the sample app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8400)
    p.add_argument("--sample-port", type=int, default=8080)
    p.add_argument("--sample", default="examples/flask_app/app.py",
                   help="the sample application to start beside Accord ('' for none)")
    p.set_defaults(func=cmd_demo)

    users = sub.add_parser("users", help="manage users").add_subparsers(
        dest="action", required=True
    )
    p = users.add_parser("create", help="create a user and print its sub")
    p.add_argument("email")
    p.add_argument("--password", required=True)
    _profile_options(p)
    p.set_defaults(func=cmd_users_create)
    p = users.add_parser("update", help="change a user's profile claims")
    p.add_argument("email")
    _profile_options(p)
    p.set_defaults(func=cmd_users_update)

    projects_cli.add_parsers(sub)
    clients_cli.add_parsers(sub)
    orgs_cli.add_parsers(sub)
    keys_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        args.func(settings, args)
    except (ConfigError, ServiceError, KeyDecryptionError) as exc:
        print(f"accord: error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
