"""Where the machine's CPU went during a run: the server, wrk, our PostgreSQL backends, and
everything else. On a shared machine "other" says how far a figure can be trusted."""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_HZ = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def _busy_seconds() -> float:
    # /proc/stat "cpu": user nice system idle iowait irq softirq steal ...
    fields = [int(v) for v in (_PROC / "stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / _HZ


def _process_seconds(pid: int) -> float:
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
    return (int(fields[11]) + int(fields[12])) / _HZ  # utime, stime


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in (_PROC / str(current) / "task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
    return pids


def _postgres_backends(database: str) -> list[int]:
    """PostgreSQL backend processes serving ``database`` (their title names it)."""
    found = []
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "cmdline").read_bytes()
                title = raw.replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres:") and f" {database} " in title:
                found.append(int(entry.name))
    return found


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Snapshot:
    at: float
    busy: float
    wrk: float
    server: dict[int, float]
    postgres: dict[int, float]


class Meter:
    def __init__(self, server_pid: int, database: str | None) -> None:
        self.server_pid = server_pid
        self.database = database

    def _snapshot(self) -> Snapshot:
        pg = _postgres_backends(self.database) if self.database else []
        return Snapshot(
            at=time.monotonic(),
            busy=_busy_seconds(),
            wrk=_children_seconds(),
            server=_seconds(_tree(self.server_pid)),
            postgres=_seconds(pg),
        )

    def start(self) -> Snapshot:
        return self._snapshot()

    def stop(self, start: Snapshot) -> dict[str, float]:
        """CPUs' worth (CPU seconds per second) used by each party since ``start``."""
        end = self._snapshot()
        elapsed = max(end.at - start.at, 1e-9)
        server = _delta(start.server, end.server)
        postgres = _delta(start.postgres, end.postgres)
        wrk = end.wrk - start.wrk
        other = max(end.busy - start.busy - server - postgres - wrk, 0.0)
        return {
            name: round(value / elapsed, 2)
            for name, value in (
                ("server", server), ("postgres", postgres), ("wrk", wrk), ("other", other),
            )
        }


def _seconds(pids: Iterable[int]) -> dict[int, float]:
    return {pid: _process_seconds(pid) for pid in pids}


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())
