"""``accord serve``: the server, after applying the database migrations."""

from __future__ import annotations

import argparse
import sys

from accord.cli.base import Context, Group, handle


def _serve(c: Context, a: argparse.Namespace) -> None:
    import uvicorn

    from accord.cli.wiring import migrate

    migrate(c.settings)
    print(f"accord: serving {c.settings.issuer} on http://{a.host}:{a.port}", file=sys.stderr)
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
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8400)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--no-access-log", action="store_true")
    p.add_argument("--log-level", default="info")
    handle(p, _serve)


GROUP = Group("serve", "run the server (applies migrations first)", _build)
