"""``/healthz`` (live), ``/readyz`` (ready) and ``/metrics`` (Prometheus, when enabled).

``/healthz`` answers 200 whenever the process answers: it never touches the database,
so a load balancer or supervisor does not restart a worker for an outage it cannot fix.
``/readyz`` answers 200 ``{"status": "ready"}`` when the database answers within the
statement timeout, its migrations are at the code's head and a signing key is loaded;
otherwise, and while the process drains (SIGTERM), 503 naming what is not ready:
``{"status": "not ready", "problems": {"database": "unreachable"}}``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from accord import runtime
from accord.composition import Deps, deps
from accord.ops.metrics import gauge, metrics
from accord.protocol.keys import signer
from accord.storage import readiness
from accord.web import render

log = logging.getLogger("accord")


async def healthz(request: Request) -> Response:
    return render.json_response({"status": "ok"})


def _problems(d: Deps) -> dict[str, str]:
    found = readiness.problems(d.db)
    if "database" not in found:
        try:
            d.keys.signing_key(d.clock.now())
        except Exception as error:
            log.warning("readiness: no signing key: %s", error)
            found["signing_key"] = "no signing key could be loaded"
    return found


async def readyz(request: Request) -> Response:
    d = deps(request)
    if runtime.draining():
        found = {"process": "shutting down"}
    else:
        bound = d.settings.ops.database_timeout + 1.0
        try:
            found = await asyncio.wait_for(asyncio.to_thread(_problems, d), bound)
        except TimeoutError:
            found = {"database": f"no answer within {bound:g} s"}
    if found:
        body = {"status": "not ready", "problems": found}
        return render.json_response(body, 503, {"Retry-After": "5"})
    return render.json_response({"status": "ready"})


def _key_age(d: Deps) -> Iterator[Any]:
    now = d.clock.now()
    try:
        key = signer(d.keys.all_keys(), now)
    except Exception as error:
        log.warning("metrics: signing keys unreadable: %s", error)
        return
    if key is not None:
        yield gauge("accord_signing_key_age_seconds",
                    "Seconds since the signing key in use began signing", now - key.activates_at)


async def metrics_endpoint(request: Request) -> Response:
    d = deps(request)
    expected = d.settings.ops.metrics_token
    if expected:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {expected}".encode()):
            return Response("Unauthorized\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                            "text/plain")
    body, content_type = await asyncio.to_thread(metrics().exposition, lambda: _key_age(d))
    return Response(body, 200, {"Cache-Control": "no-store"}, content_type)


def routes(with_metrics: bool) -> list[BaseRoute]:
    out: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if with_metrics:
        out.append(Route("/metrics", metrics_endpoint, methods=["GET"]))
    return out
