"""``accord serve``: the server, after applying the database migrations."""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

from accord.cli.base import Context, Group, handle
from accord.config import ConfigError, ServerSettings


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
    from accord.cli.wiring import migrate
    from accord.server.supervisor import supervise
    from accord.server.worker import serve

    issuer, warning = issuer_for_port(c.settings.issuer, "ACCORD_ISSUER" in os.environ, a.port)
    if warning:
        print(warning, file=sys.stderr)
    if a.workers < 1:
        raise ConfigError("--workers must be at least 1.")
    # The workers read their settings from the environment: the flags go there.
    os.environ["ACCORD_ISSUER"] = issuer
    for flag, name in SERVER_FLAGS.items():
        value = getattr(a, flag)
        if value is not None:
            os.environ[name] = str(value)
    if a.no_access_log:
        os.environ["ACCORD_ACCESS_LOG"] = "0"
    limits = ServerSettings.from_env()  # a bad value is refused before anything starts
    migrate(c.settings)
    print(f"accord: serving {issuer} on http://{a.host}:{a.port} with {a.workers} "
          f"worker{'s' if a.workers > 1 else ''}", file=sys.stderr)
    print(f"accord: {announce(limits)}", file=sys.stderr, flush=True)
    if a.workers == 1:
        status = serve(a.host, a.port, a.log_level, reuse_port=False)
    else:
        status = supervise(a.host, a.port, a.workers, a.log_level, limits.shutdown_grace)
    if status:
        sys.exit(status)


def announce(s: ServerSettings) -> str:
    return (
        f"request heads up to {s.max_header_bytes} bytes and {s.max_headers} fields, "
        f"within {s.header_timeout:g} s; bodies within {s.body_timeout:g} s; idle "
        f"connections closed after {s.keep_alive_timeout:g} s; on SIGTERM, requests in "
        f"flight get {s.shutdown_grace:g} s"
    )


# accord serve's flags for the server process, and the settings they set (accord/settings.py).
SERVER_FLAGS = {
    "shutdown_grace": "ACCORD_SHUTDOWN_GRACE",
    "header_timeout": "ACCORD_HEADER_TIMEOUT",
    "body_timeout": "ACCORD_BODY_TIMEOUT",
    "keep_alive_timeout": "ACCORD_KEEP_ALIVE_TIMEOUT",
    "max_header_bytes": "ACCORD_MAX_HEADER_BYTES",
    "max_headers": "ACCORD_MAX_HEADERS",
}


def _build(p: argparse.ArgumentParser) -> None:
    d = ServerSettings()
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--port", type=int, default=8400,
                   help="the port to listen on (default: %(default)s); when ACCORD_ISSUER is "
                   "not set, the issuer follows it")
    p.add_argument("--workers", type=int, default=1,
                   help="the number of server processes (default: %(default)s); with more "
                   "than one, each listens on its own SO_REUSEPORT socket, the kernel spreads "
                   "connections over them and a worker that dies is replaced")
    p.add_argument("--shutdown-grace", type=float, metavar="SECONDS",
                   help="on SIGTERM or SIGINT, how long requests in flight have to finish "
                   f"before the server exits (ACCORD_SHUTDOWN_GRACE, default {d.shutdown_grace:g})")
    p.add_argument("--header-timeout", type=float, metavar="SECONDS",
                   help="time to receive a request's line and headers, from their first "
                   "byte (from the connection, for its first request); slower clients get "
                   f"408 (ACCORD_HEADER_TIMEOUT, default {d.header_timeout:g})")
    p.add_argument("--body-timeout", type=float, metavar="SECONDS",
                   help="time to receive a request's body once its headers are in (408) "
                   f"(ACCORD_BODY_TIMEOUT, default {d.body_timeout:g})")
    p.add_argument("--keep-alive-timeout", type=float, metavar="SECONDS",
                   help="an idle kept-alive connection is closed after this; behind a load "
                   "balancer make it longer than the balancer's idle timeout "
                   f"(ACCORD_KEEP_ALIVE_TIMEOUT, default {d.keep_alive_timeout:g})")
    p.add_argument("--max-header-bytes", type=int, metavar="BYTES",
                   help="largest request line and headers together; larger gets 431 "
                   f"(ACCORD_MAX_HEADER_BYTES, default {d.max_header_bytes})")
    p.add_argument("--max-headers", type=int, metavar="N",
                   help="most header fields in a request; more gets 431 "
                   f"(ACCORD_MAX_HEADERS, default {d.max_headers})")
    p.add_argument("--no-access-log", action="store_true",
                   help="do not log every request (sets ACCORD_ACCESS_LOG=0 for the application, "
                   "which writes the request log)")
    p.add_argument("--log-level", default="info",
                   choices=("critical", "error", "warning", "info", "debug", "trace"),
                   help="the server's log level (default: %(default)s)")
    handle(p, _serve)


GROUP = Group("serve", "run the server (applies migrations first)", _build)
