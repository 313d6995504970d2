"""Helpers of the signing-key tests (reference §1.9): the key-encryption key, a fixed time and the
rotation policy, counting keys, the published kids, threads released together.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select

from accord.protocol.keys import RotationPolicy
from accord.storage.keys import SqlKeyRing
from accord.storage.schema import signing_keys

KEK = bytes(range(32))
T = 1_800_000_000
P = RotationPolicy()


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(signing_keys)).scalar_one())


def kids(ring: SqlKeyRing, now: int) -> list[str]:
    return [k.kid for k in ring.published(now)]


def in_threads(n: int, work: object) -> list[object]:
    """Run ``work(i)`` in n threads released together; return results in order."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    return results
