"""``accord serve``: the server, after applying the database migrations."""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

from accord.cli.base import Context, Group, handle


def issuer_for_port(issuer: str, explicit: bool, port: int) -> tuple[str, str | None]:
    """The issuer to serve on `port`, and a warning to print, if any. An issuer not set
    (the default http://127.0.0.1:8400) follows --port; an explicit plain-http one that
    names another port is kept, with a warning (an https issuer is a proxy's address)."""
    parts = urlsplit(issuer)
    named = parts.port or (443 if parts.scheme == "https" else 80)
    if named == port or parts.scheme == "https":
        return issuer, None
    if not explicit:
        return f"{parts.scheme}://{parts.hostname}:{port}{parts.path}", None
    return issuer, (
        f"accord: warning: ACCORD_ISSUER is {issuer} (port {named}) but Accord listens on "
        f"port {port}; discovery and every URL Accord gives out name {issuer}."
    )


def _serve(c: Context, a: argparse.Namespace) -> None:
    import uvicorn

    from accord.cli.wiring import migrate

    issuer, warning = issuer_for_port(c.settings.issuer, "ACCORD_ISSUER" in os.environ, a.port)
    if warning:
        print(warning, file=sys.stderr)
    os.environ["ACCORD_ISSUER"] = issuer  # the app reads its settings in uvicorn's process
    migrate(c.settings)
    print(f"accord: serving {issuer} on http://{a.host}:{a.port}", file=sys.stderr)
    uvicorn.run(
        "accord.asgi:app",
        host=a.host,
        port=a.port,
        workers=a.workers,
        access_log=not a.no_access_log,
        log_level=a.log_level,
        proxy_headers=False,
    )


def _build(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8400,
                   help="the port to listen on (default: %(default)s); when ACCORD_ISSUER is "
                   "not set, the issuer follows it")
    p.add_argument("--workers", type=int, default=1,
                   help="the number of server processes (default: %(default)s)")
    p.add_argument("--no-access-log", action="store_true",
                   help="do not log every request")
    p.add_argument("--log-level", default="info",
                   choices=("critical", "error", "warning", "info", "debug", "trace"),
                   help="uvicorn's log level (default: %(default)s)")
    handle(p, _serve)


GROUP = Group("serve", "run the server (applies migrations first)", _build)
