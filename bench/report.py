"""The printed tables and the JSON written to bench/results/."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.wrk import WrkResult

TOKENINFO = "tokeninfo (GET)"
REFRESH = "token: refresh_token"


@dataclass
class Row:
    scenario: str
    result: WrkResult
    cpu: dict[str, float]  # CPUs' worth used by server, postgres, wrk and everything else
    ceiling: float = 0.0
    failures: int = 0  # answers that were not what the scenario expects (beyond wrk's count)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.result.rps / self.ceiling if self.ceiling else 0.0

    @property
    def bad(self) -> int:
        return self.result.non_2xx + self.failures

    def as_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "scenario": self.scenario, "requests": r.requests, "seconds": r.seconds,
            "rps": r.rps, "latency_ms": r.latency_ms, "ratio_to_ceiling": round(self.ratio, 3),
            "non_2xx": r.non_2xx, "failures": self.failures, "socket_errors": r.socket_errors,
            "cpu": self.cpu, "script": r.script, "notes": self.notes,
        }


def table(backend: str, rows: list[Row]) -> str:
    lines = [
        f"### {backend}",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ratio to ceiling | non-2xx "
        "| CPUs: server / pg / wrk / other | notes |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        r, c = row.result, row.cpu
        errors = sum(r.socket_errors.values())
        notes = row.notes + ([f"socket errors {r.socket_errors}"] if errors else [])
        cpu = f"{c['server']:.2f} / {c['postgres']:.2f} / {c['wrk']:.2f} / {c['other']:.2f}"
        lines.append(
            f"| {row.scenario} | {r.rps:,.0f} | {r.p50:.2f} | {r.p99:.2f} | {row.ratio:.2f} "
            f"| {row.bad} | {cpu} | {'; '.join(notes)} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    """The issue's targets, for context (they are not assertions)."""
    by_name = {row.scenario: row for row in rows}
    info, refresh = by_name[TOKENINFO], by_name[REFRESH]
    slow = [row.scenario for row in rows if row.result.p99 >= 10.0]
    return [
        f"tokeninfo >= 0.5 x ceiling: {'met' if info.ratio >= 0.5 else 'NOT met'} "
        f"({info.ratio:.2f})",
        f"refresh >= 4,000 req/s: {'met' if refresh.result.rps >= 4000 else 'NOT met'} "
        f"({refresh.result.rps:,.0f})",
        f"p99 < 10 ms: {'met' if not slow else 'NOT met: ' + ', '.join(slow)}",
    ]


def codes_line(codes: dict[str, Any]) -> str:
    return (
        f"codes: {codes['generated']:,} made by {codes['runs']} authorize run(s) in "
        f"{codes['authorize_seconds']:.1f} s ({codes['codes_per_second']:,.0f} codes/s); "
        f"pool {codes['pool']:,} for a target of {codes['target']:,} "
        f"(pre-measure: {codes['premeasure_rps']:,.0f} exchanges/s, "
        f"{'valid' if codes['premeasure_valid'] else 'ran out, refresh rate used instead'})"
    )


def busy_warning(rows: list[Row], cpus: int) -> str | None:
    worst = max(rows, key=lambda row: row.cpu["other"])
    if worst.cpu["other"] < 0.1 * cpus:
        return None
    return (
        f"WARNING: other processes used up to {worst.cpu['other']:.2f} of {cpus} CPUs during "
        f"'{worst.scenario}'; these figures understate Accord"
    )
