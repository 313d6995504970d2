"""``accord keys rotate [--now]`` and ``accord keys list``: the ID-token signing keys, in
the key ring the server uses (the same certificate names)."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from accord.cli.base import Context, Group, command, subcommands
from accord.clock import SystemClock

if TYPE_CHECKING:
    from accord.protocol.keys import KeyTimes


def _when(at: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(at))


def _state(key: KeyTimes, now: int) -> str:
    if key.signs(now):
        return "signing"
    if not key.is_published(now):
        return "expired" if key.expires_at <= now else "scheduled"
    return "next" if key.activates_at > now else "retired"


def _list(c: Context, a: argparse.Namespace) -> None:
    now = SystemClock().now()
    print(f"{'kid':40}  {'state':9}  {'signs from':20}  {'until':20}  published until")
    for k in c.keys.all_keys():
        print(f"{k.kid:40}  {_state(k, now):9}  {_when(k.activates_at):20}  "
              f"{_when(k.retires_at):20}  {_when(k.expires_at)}")


def _rotate(c: Context, a: argparse.Namespace) -> None:
    from accord.protocol.keys import pending, signer
    from accord.settings import ConfigError

    if a.unpublish_after is not None and not a.now:
        raise ConfigError("--unpublish-after needs --now: only a key retired at once is "
                          "taken off the published key sets early")
    if a.unpublish_after is not None and a.unpublish_after < 0:
        raise ConfigError("--unpublish-after must be a number of seconds, 0 or more")
    now = SystemClock().now()
    ring = c.keys
    keys = ring.rotate(now, immediately=a.now, unpublish_after=a.unpublish_after)
    cur, nxt = signer(keys, now), pending(keys, now)
    assert cur is not None
    if a.now:
        # The bound of the servers' own settings: they read ACCORD_KEY_CACHE_SECONDS too.
        print(f"key {cur.kid} signs from now: every server signs with it within "
              f"{ring.policy.cache_seconds} s (ACCORD_KEY_CACHE_SECONDS) and publishes it "
              f"at once")
        print(f"warning: verifiers that cached the key set may reject new ID tokens for up "
              f"to {ring.policy.max_age} s (the certs max-age)")
    else:
        assert nxt is not None
        print(f"key {nxt.kid} signs from {_when(nxt.activates_at)}; until then key {cur.kid}")
    for k in keys:
        if k.is_published(now) and k.retires_at <= now:
            print(f"key {k.kid} no longer signs; published until {_when(k.expires_at)}")


def _build(parser: argparse.ArgumentParser) -> None:
    keys = subcommands(parser, "action")
    command(keys, "list", _list, "list signing keys and when each signs and is published")
    p = command(
        keys, "rotate", _rotate,
        "retire the signing key once its successor has been published long enough "
        "for verifiers' caches (the publish lead time); --now switches at once",
    )
    p.add_argument(
        "--now", action="store_true",
        help="sign with the successor immediately (after a key compromise); verifiers "
        "holding a cached key set reject new tokens until their cache expires",
    )
    p.add_argument(
        "--unpublish-after", type=int, metavar="SECONDS",
        help="with --now: take the retired key off the published key sets after SECONDS "
        "(at least ACCORD_KEY_CACHE_SECONDS) instead of the ID-token lifetime plus the "
        "certs max-age; tokens it signed stop verifying then, and the key sets' max-age "
        "is cut so that no verifier caches it longer",
    )


GROUP = Group("keys", "ID-token signing keys", _build)
