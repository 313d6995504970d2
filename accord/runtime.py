"""Process-wide state shared by the server process and the health endpoints.

``draining()`` turns true when the process has been asked to stop (SIGTERM): it then
finishes what is in flight, and ``/readyz`` answers 503 so that a load balancer stops
sending it work.
"""

from __future__ import annotations

import threading

_draining = threading.Event()


def start_draining() -> None:
    _draining.set()


def draining() -> bool:
    return _draining.is_set()
