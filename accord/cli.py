"""The ``accord`` command: serve, migrate, demo, users, projects, apis, clients."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from accord import keys_cli
from accord.clock import SystemClock
from accord.google.identifiers import client_secret_json
from accord.services import Admin, Profile, ServiceError
from accord.settings import ConfigError, Settings
from accord.storage.engine import make_engine
from accord.storage.keys import KeyDecryptionError
from accord.storage.migrate import upgrade


def _admin(settings: Settings) -> Admin:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return Admin(engine, SystemClock())


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
    print(_admin(settings).create_user(args.email, args.password, args.name or "", _profile(args)))


def cmd_users_update(settings: Settings, args: argparse.Namespace) -> None:
    _admin(settings).update_user(args.email, args.name, _profile(args))
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


def cmd_projects_create(settings: Settings, args: argparse.Namespace) -> None:
    number = _admin(settings).create_project(args.project_id, args.name or "")
    print(f"created project {args.project_id} (number {number})")


def cmd_apis_enable(settings: Settings, args: argparse.Namespace) -> None:
    _admin(settings).enable_apis(args.project_id, args.apis)
    print(f"enabled {', '.join(args.apis)} for {args.project_id}")


def cmd_clients_create(settings: Settings, args: argparse.Namespace) -> None:
    new = _admin(settings).create_client(args.project_id, args.name, args.redirect_uri)
    config = client_secret_json(
        settings.issuer, new.client_id, new.project_id, new.client_secret, new.redirect_uris
    )
    text = json.dumps(config, indent=2) + "\n"
    if args.output:
        path = Path(args.output)
        path.write_text(text)
        path.chmod(0o600)
        print(f"wrote {path} for client {new.client_id}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    from accord.demo import run_demo

    run_demo(settings, args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description=__doc__)
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

    projects = sub.add_parser("projects").add_subparsers(dest="action", required=True)
    p = projects.add_parser("create", help="create a project")
    p.add_argument("project_id")
    p.add_argument("--name", help="app name shown on the consent screen")
    p.set_defaults(func=cmd_projects_create)

    apis = sub.add_parser("apis").add_subparsers(dest="action", required=True)
    p = apis.add_parser("enable", help="enable APIs (drive, calendar) for a project")
    p.add_argument("project_id")
    p.add_argument("apis", nargs="+")
    p.set_defaults(func=cmd_apis_enable)

    clients = sub.add_parser("clients").add_subparsers(dest="action", required=True)
    p = clients.add_parser("create", help="create a web client and write its client_secret.json")
    p.add_argument("project_id")
    p.add_argument("--name", required=True)
    p.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uri")
    p.add_argument("--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_clients_create)
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
