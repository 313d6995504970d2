"""Run wrk and read its report: requests/s, the latency distribution, errors, script lines."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

WRK = "/usr/bin/wrk"
LUA = Path(__file__).resolve().parent / "lua"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_LATENCY = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.M)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.M)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_SCRIPT = re.compile(r"^bench (\w+)=(\d+)$", re.M)  # lines our Lua scripts print in done()


class WrkError(RuntimeError):
    pass


@dataclass(frozen=True)
class Load:
    threads: int = 2
    connections: int = 32


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    latency_ms: dict[str, float]  # "50", "75", "90", "99" -> milliseconds
    non_2xx: int  # wrk counts statuses above 399 here ("Non-2xx or 3xx" is its wording)
    socket_errors: dict[str, int]
    script: dict[str, int] = field(default_factory=dict)
    output: str = ""

    @property
    def p50(self) -> float:
        return self.latency_ms["50"]

    @property
    def p99(self) -> float:
        return self.latency_ms["99"]


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    rps = _RPS.search(output)
    total = _TOTAL.search(output)
    latencies = {m.group(1): _ms(m.group(2), m.group(3)) for m in _LATENCY.finditer(output)}
    if rps is None or total is None or "99" not in latencies:
        raise WrkError(f"unexpected wrk output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    socket = _SOCKET.search(output)
    names = ("connect", "read", "write", "timeout")
    return WrkResult(
        requests=int(total.group(1)),
        seconds=_ms(total.group(2), total.group(3)) / 1000.0,
        rps=float(rps.group(1)),
        latency_ms=latencies,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(zip(names, map(int, socket.groups()), strict=True))
        if socket
        else dict.fromkeys(names, 0),
        script={m.group(1): int(m.group(2)) for m in _SCRIPT.finditer(output)},
        output=output,
    )


def run(
    url: str,
    seconds: float,
    load: Load,
    script: str | None = None,
    env: dict[str, str] | None = None,
    headers: tuple[str, ...] = (),
) -> WrkResult:
    """One bounded wrk run (``-t -c -d --latency``), optionally with a Lua script from bench/lua."""
    command = [WRK, "-t", str(load.threads), "-c", str(load.connections)]
    command += ["-d", f"{max(1, round(seconds))}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(LUA / script)]
    command.append(url)
    done = subprocess.run(
        command,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    if done.returncode != 0:
        raise WrkError(f"wrk failed ({done.returncode}): {done.stderr}{done.stdout}")
    return parse(done.stdout)
