"""Sign-in outcomes counted from the audit events the password check records."""

from __future__ import annotations

from typing import Protocol

from accord.composition import Deps
from accord.ops.metrics import Metrics
from accord.protocol.messages import AuditEvent

_OUTCOMES = {"signin.success": "success", "signin.failure": "failure",
             "signin.throttled": "throttled"}


class _Audit(Protocol):
    def record(self, event: AuditEvent) -> None: ...


class CountedAudit:
    def __init__(self, inner: _Audit, meter: Metrics) -> None:
        self.inner = inner
        self.meter = meter

    def record(self, event: AuditEvent) -> None:
        self.inner.record(event)
        outcome = _OUTCOMES.get(event.event)
        if outcome is not None:
            self.meter.signins.labels(outcome).inc()


def count_signins(deps: Deps, meter: Metrics) -> None:
    """Count every password check of this application's pages (once per application)."""
    check = deps.signins
    if not isinstance(check.audit, CountedAudit):
        check.audit = CountedAudit(check.audit, meter)
