"""Signing-key rotation policy (reference §1.9): publish before signing, keep after retiring."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accord.protocol.keys import (
    DAY,
    HOUR,
    KeyTimes,
    NewKey,
    Plan,
    PolicyError,
    Retime,
    RotationPolicy,
    applied,
    current,
    pending,
    plan,
    published,
    rotation,
    signer,
)

P = RotationPolicy()
SIGN, AHEAD, KEEP = P.sign_for, P.publish_ahead, P.keep_after
T = 1_800_000_000


def key(kid: str, created: int, activates: int, retires: int | None = None) -> KeyTimes:
    retires = activates + SIGN if retires is None else retires
    return KeyTimes(kid, created, activates, retires, retires + KEEP)


def test_defaults_follow_the_reference() -> None:
    assert (P.sign_for, P.publish_ahead) == (14 * DAY, DAY)
    assert (P.token_lifetime, P.max_age) == (HOUR, 6 * HOUR)  # §1.10 exp = iat + 3600; §1.9
    assert P.keep_after == P.token_lifetime + P.max_age


@pytest.mark.parametrize(
    ("d", "changes", "error"),
    [
        ("defaults", {}, None),
        ("publish lead shorter than verifier cache", {"publish_ahead": 6 * HOUR}, "publish_ahead"),
        ("publish lead covers cache", {"publish_ahead": 6 * HOUR + 60}, None),
        ("kept shorter than an ID token lives", {"keep_after": HOUR}, "keep_after"),
        ("kept exactly long enough", {"keep_after": HOUR + 60}, None),
        ("signs shorter than published ahead", {"sign_for": 12 * HOUR}, "sign_for"),
        ("zero lifetime", {"token_lifetime": 0}, "positive"),
        ("negative cache", {"cache_seconds": -1}, "cache_seconds"),
    ],
)
def test_policy_validation(d: str, changes: dict[str, int], error: str | None) -> None:
    if error is None:
        RotationPolicy(**changes)
    else:
        with pytest.raises(PolicyError, match=error):
            RotationPolicy(**changes)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, RotationPolicy()),
        (
            {"ACCORD_KEY_SIGN_SECONDS": str(7 * DAY), "ACCORD_CERTS_MAX_AGE": "3600",
             "ACCORD_KEY_PUBLISH_AHEAD_SECONDS": str(2 * HOUR)},
            RotationPolicy(sign_for=7 * DAY, max_age=HOUR, publish_ahead=2 * HOUR,
                           keep_after=2 * HOUR),
        ),
    ],
)
def test_policy_from_env(env: dict[str, str], expected: RotationPolicy) -> None:
    assert RotationPolicy.from_env(env) == expected


def test_policy_from_env_rejects_non_numbers() -> None:
    with pytest.raises(PolicyError, match="whole seconds"):
        RotationPolicy.from_env({"ACCORD_KEY_SIGN_SECONDS": "14d"})


A = key("a", T, T)  # signs T .. T+SIGN
B = key("b", T + SIGN - AHEAD, T + SIGN)  # A's successor, published a day ahead


@dataclass(frozen=True)
class Case:
    d: str
    keys: list[KeyTimes]
    now: int
    expected: Plan


PLAN_CASES = [
    Case("no keys: the first one signs at once", [], T, Plan(new=NewKey(T, T + SIGN, T + SIGN + KEEP))),
    Case("mid-term: nothing to do", [A], T + DAY, Plan()),
    Case("just before the publish window", [A], T + SIGN - AHEAD - 1, Plan()),
    Case(
        "publish window opens: successor published, signs when A retires",
        [A], T + SIGN - AHEAD, Plan(new=NewKey(T + SIGN, T + 2 * SIGN, T + 2 * SIGN + KEEP)),
    ),
    Case("successor already published", [A, B], T + SIGN - HOUR, Plan()),
    Case("successor signing, A still published", [A, B], T + SIGN + HOUR, Plan()),
    Case(
        "late run inside the window: A stretched until a fresh successor may sign",
        [A], T + SIGN - HOUR,
        Plan(
            new=NewKey(T + SIGN - HOUR + AHEAD, T + 2 * SIGN - HOUR + AHEAD,
                       T + 2 * SIGN - HOUR + AHEAD + KEEP),
            retime=(Retime("a", T, T + SIGN - HOUR + AHEAD, T + SIGN - HOUR + AHEAD + KEEP),),
        ),
    ),
    Case(
        "late run after A retired but while published: A stretched",
        [A], T + SIGN + HOUR,
        Plan(
            new=NewKey(T + SIGN + HOUR + AHEAD, T + 2 * SIGN + HOUR + AHEAD,
                       T + 2 * SIGN + HOUR + AHEAD + KEEP),
            retime=(Retime("a", T, T + SIGN + HOUR + AHEAD, T + SIGN + HOUR + AHEAD + KEEP),),
        ),
    ),
    Case(
        "gap between A's retirement and the successor: A stretched to meet it",
        [key("a", T, T, T + DAY), B], T + DAY,
        Plan(retime=(Retime("a", T, T + SIGN, T + SIGN + KEEP),)),
    ),
    Case(
        "everything expired: a new key signs at once",
        [A], T + SIGN + KEEP, Plan(new=NewKey(T + SIGN + KEEP, T + 2 * SIGN + KEEP,
                                              T + 2 * SIGN + 2 * KEEP)),
    ),
    Case(
        "only a next key: it signs at once",
        [B], T + DAY, Plan(retime=(Retime("b", T + DAY, T + DAY + SIGN, T + DAY + SIGN + KEEP),)),
    ),
]


@pytest.mark.parametrize("case", PLAN_CASES, ids=lambda c: c.d)
def test_plan(case: Case) -> None:
    change = plan(case.keys, case.now, P)
    assert change == case.expected
    after = applied(case.keys, change, case.now, "new")
    assert signer(after, case.now) is not None
    assert plan(after, case.now, P) == Plan()  # settled


ROTATE_CASES = [
    Case(
        "no next key: a new one, signing after the publish lead",
        [A], T + DAY,
        Plan(new=NewKey(T + 2 * DAY, T + 2 * DAY + SIGN, T + 2 * DAY + SIGN + KEEP),
             retime=(Retime("a", T, T + 2 * DAY, T + 2 * DAY + KEEP),)),
    ),
    Case(
        "next key published long enough: it signs now",
        [A, key("b", T + SIGN - 3 * DAY, T + SIGN)], T + SIGN - HOUR,
        Plan(retime=(Retime("b", T + SIGN - HOUR, T + 2 * SIGN - HOUR, T + 2 * SIGN - HOUR + KEEP),
                     Retime("a", T, T + SIGN - HOUR, T + SIGN - HOUR + KEEP))),
    ),
    Case(
        "next key published moments ago: it signs a publish lead after it appeared",
        [A, key("b", T + DAY, T + SIGN)], T + DAY + HOUR,
        Plan(retime=(Retime("b", T + 2 * DAY, T + 2 * DAY + SIGN, T + 2 * DAY + SIGN + KEEP),
                     Retime("a", T, T + 2 * DAY, T + 2 * DAY + KEEP))),
    ),
    Case(
        "next key already due sooner than a rotation could make it: nothing",
        [A, B], T + SIGN - AHEAD,
        Plan(),
    ),
]


@pytest.mark.parametrize("case", ROTATE_CASES, ids=lambda c: c.d)
def test_rotation_waits_for_the_publish_lead(case: Case) -> None:
    change = rotation(case.keys, case.now, P, immediately=False)
    assert change == case.expected
    after = applied(case.keys, change, case.now, "new")
    nxt = pending(after, case.now)
    if nxt is not None:
        assert nxt.activates_at - min(nxt.created_at, case.now) >= AHEAD


@pytest.mark.parametrize(
    ("keys", "expected_signer"), [([A], "new"), ([A, B], "b")], ids=["new key", "next key"]
)
def test_immediate_rotation_signs_now_and_keeps_the_old_key_published(
    keys: list[KeyTimes], expected_signer: str
) -> None:
    now = T + DAY
    after = applied(keys, rotation(keys, now, P, immediately=True), now, "new")
    cur = signer(after, now)
    assert cur is not None and cur.kid == expected_signer
    old = next(k for k in after if k.kid == "a")
    assert old.retires_at == now and old.expires_at == now + KEEP
    assert [k.kid for k in published(after, now + KEEP - 1)].count("a") == 1
    assert "a" not in [k.kid for k in published(after, now + KEEP)]


def test_rotation_needs_a_settled_ring() -> None:
    with pytest.raises(PolicyError):
        rotation([], T, P, immediately=True)


def test_a_key_created_by_a_process_whose_clock_runs_ahead_counts() -> None:
    ahead = key("b", T + SIGN - AHEAD + 5, T + SIGN)
    now = T + SIGN - AHEAD
    assert pending([A, ahead], now) == ahead
    assert plan([A, ahead], now, P) == Plan()
    assert current([key("x", T + 5, T + 5)], T) is None


def simulate(gaps: list[int], policy: RotationPolicy = P) -> None:
    """Run plan() at the given times and check what verifiers rely on, at every step:
    a key signs only after being published ``publish_ahead`` (unless nothing at all was
    published), and a key stays published while any token it signed lives."""
    keys: list[KeyTimes] = []
    first_seen: dict[str, int] = {}
    fresh_starts: set[str] = set()  # signed at once: no key set existed to be cached
    signed: list[tuple[str, int]] = []
    now = T
    for serial, gap in enumerate(gaps):
        now += gap
        was_published = {k.kid for k in published(keys, now)}
        change = plan(keys, now, policy)
        keys = applied(keys, change, now, f"k{serial}")
        visible = published(keys, now)
        for k in visible:
            first_seen.setdefault(k.kid, now)
            if not was_published and k.signs(now):
                fresh_starts.add(k.kid)
        cur = signer(keys, now)
        assert cur is not None
        assert len(visible) <= 3
        if cur.kid not in fresh_starts:
            assert now - first_seen[cur.kid] >= policy.publish_ahead, (cur, now)
        signed.append((cur.kid, now))
        for kid, at in signed:
            if at + policy.token_lifetime >= now:
                assert kid in {k.kid for k in visible}, (kid, at, now)


@pytest.mark.parametrize(
    ("d", "gaps"),
    [
        ("hourly for 60 days", [HOUR] * (60 * 24)),
        ("every minute around a rotation", [0, 13 * DAY] + [60] * (2 * 24 * 60)),
        ("a checker running only every 20 hours", [20 * HOUR] * 80),
        ("down 13.9 days, then hourly", [0, int(13.9 * DAY)] + [HOUR] * 72),
        ("down two weeks, then hourly", [0, 14 * DAY + HOUR] + [HOUR] * 72),
        ("down a month: a fresh start", [0, 30 * DAY] + [HOUR] * 72),
    ],
)
def test_simulated_schedules_keep_verifiers_working(d: str, gaps: list[int]) -> None:
    simulate(gaps)


def test_simulated_schedule_with_short_keys() -> None:
    short = RotationPolicy(sign_for=2 * HOUR, publish_ahead=HOUR, max_age=60,
                           keep_after=HOUR + 60, cache_seconds=0)
    simulate([60] * (24 * 60), short)
