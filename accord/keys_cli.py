"""``accord keys rotate [--now]`` and ``accord keys list``: the ID-token signing keys."""

from __future__ import annotations

import argparse
import time
from typing import Any

from accord.clock import SystemClock
from accord.protocol.keys import KeyTimes, pending, signer
from accord.settings import Settings
from accord.storage.engine import make_engine
from accord.storage.keys import SqlKeyRing
from accord.storage.migrate import upgrade


def key_ring(settings: Settings) -> SqlKeyRing:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return SqlKeyRing(engine, settings.subkey("signing-keys"), settings.key_policy)


def _when(at: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(at))


def _state(key: KeyTimes, now: int) -> str:
    if key.signs(now):
        return "signing"
    if not key.is_published(now):
        return "expired" if key.expires_at <= now else "scheduled"
    return "next" if key.activates_at > now else "retired"


def cmd_keys_list(settings: Settings, args: argparse.Namespace) -> None:
    now = SystemClock().now()
    print(f"{'kid':40}  {'state':9}  {'signs from':20}  {'until':20}  published until")
    for k in key_ring(settings).all_keys():
        print(f"{k.kid:40}  {_state(k, now):9}  {_when(k.activates_at):20}  "
              f"{_when(k.retires_at):20}  {_when(k.expires_at)}")


def cmd_keys_rotate(settings: Settings, args: argparse.Namespace) -> None:
    now = SystemClock().now()
    ring = key_ring(settings)
    keys = ring.rotate(now, immediately=args.now)
    cur, nxt = signer(keys, now), pending(keys, now)
    assert cur is not None
    if args.now:
        print(f"key {cur.kid} signs from now")
        print(f"warning: verifiers that cached the key set may reject new ID tokens for up "
              f"to {ring.policy.max_age} s (the certs max-age)")
    else:
        assert nxt is not None
        print(f"key {nxt.kid} signs from {_when(nxt.activates_at)}; until then key {cur.kid}")
    for k in keys:
        if k.is_published(now) and k.retires_at <= now:
            print(f"key {k.kid} no longer signs; published until {_when(k.expires_at)}")


def add_parser(sub: Any) -> None:
    """Register ``accord keys ...`` on the ``accord`` command's subparsers."""
    keys = sub.add_parser("keys", help="ID-token signing keys").add_subparsers(
        dest="action", required=True
    )
    p = keys.add_parser("list", help="list signing keys and when each signs and is published")
    p.set_defaults(func=cmd_keys_list)
    p = keys.add_parser(
        "rotate",
        help="retire the signing key once its successor has been published long enough "
        "for verifiers' caches (the publish lead time); --now switches at once",
    )
    p.add_argument(
        "--now", action="store_true",
        help="sign with the successor immediately (after a key compromise); verifiers "
        "holding a cached key set reject new tokens until their cache expires",
    )
    p.set_defaults(func=cmd_keys_rotate)
