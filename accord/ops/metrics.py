"""Prometheus metrics through prometheus_client, when ``ACCORD_METRICS=1``.

With several worker processes each one writes its samples to files in a shared
directory (prometheus_client's multiprocess mode) and ``/metrics``, whichever worker
answers it, sums them all. The directory is ``PROMETHEUS_MULTIPROC_DIR`` when set (set
it, and empty it before each start, when running several workers under your own
supervisor); a worker of ``accord serve --workers N`` without it uses a directory named
after its parent process, shared by its siblings. A single process keeps its samples in
memory. prometheus_client reads the variable when it is first imported, so it is
imported here only, after the directory is settled.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.storage import guard as db_guard

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DB_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1.0, 5.0)


def _shared_dir() -> str | None:
    explicit = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if explicit:
        return explicit
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None:
        return None
    started = _start_time(parent.pid)
    return str(Path(tempfile.gettempdir()) / f"accord-metrics-{parent.pid}-{started}")


def _start_time(pid: int) -> str:
    """The process's start time (Linux), so that a reused pid gets a new directory."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


@dataclass
class Metrics:
    requests: Any
    latency: Any
    tokens: Any
    oauth_errors: Any
    signins: Any
    db_errors: Any
    db_latency: Any
    multiprocess: bool
    registry: Any = None  # single-process mode: where the metrics live

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def observe_db(self, name: str, seconds: float) -> None:
        if name == "query":
            self.db_latency.observe(seconds)
        elif name.startswith("error:"):
            self.db_errors.labels(name[6:]).inc()

    def exposition(self, extra: Callable[[], Iterator[Any]] | None) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        else:
            registry = CollectorRegistry()
            registry.register(_Forward(self.registry))
        if extra is not None:
            registry.register(_Extra(extra))
        return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward:
    def __init__(self, registry: Any) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self.registry.collect()


class _Extra:
    """Gauges computed when scraped (the signing key's age), in the scraping process."""

    def __init__(self, source: Callable[[], Iterator[Any]]) -> None:
        self.source = source

    def collect(self) -> Iterator[Any]:
        yield from self.source()


_lock = threading.Lock()
_metrics: Metrics | None = None


def metrics() -> Metrics:
    """The process's metrics, made on first use (one set per process)."""
    global _metrics
    with _lock:
        if _metrics is None:
            _metrics = _make()
            db_guard.observers.append(_metrics.observe_db)
        return _metrics


def _make() -> Metrics:
    shared = _shared_dir()
    if shared:
        os.makedirs(shared, exist_ok=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = shared
    from prometheus_client import CollectorRegistry, Counter, Histogram, values

    if shared and values.ValueClass is values.MutexValue:  # imported before the directory
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
    registry = None if shared else CollectorRegistry()
    kw: dict[str, Any] = {"registry": registry}
    return Metrics(
        requests=Counter("accord_http_requests", "HTTP requests answered, by route template "
                         "and status", ["route", "method", "status"], **kw),
        latency=Histogram("accord_http_request_duration_seconds", "Time to answer a request",
                          ["route", "method"], buckets=_BUCKETS, **kw),
        tokens=Counter("accord_tokens_issued", "Token responses of the token endpoint, by "
                       "grant type", ["grant_type"], **kw),
        oauth_errors=Counter("accord_oauth_errors", "OAuth error answers, by error code",
                             ["error"], **kw),
        signins=Counter("accord_signin_attempts", "Password checks by outcome: success, "
                        "failure (wrong password or unknown account) or throttled",
                        ["outcome"], **kw),
        db_errors=Counter("accord_database_errors", "Database failures: connection (lost or "
                          "refused), timeout, storage (read-only, full, locked), "
                          "breaker_open", ["kind"], **kw),
        db_latency=Histogram("accord_database_statement_duration_seconds",
                             "Time of one database statement", buckets=_DB_BUCKETS, **kw),
        multiprocess=bool(shared),
        registry=registry,
    )


def gauge(name: str, documentation: str, value: float) -> Any:
    from prometheus_client.core import GaugeMetricFamily

    return GaugeMetricFamily(name, documentation, value=value)
