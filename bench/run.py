"""Benchmark Accord's token endpoint and tokeninfo against the bare ASGI stack (/healthz).

    .venv/bin/python bench/run.py [--backend sqlite|postgresql|both] [--duration S]

See bench/README.md for what each scenario measures and how to read the tables.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # run as a script from anywhere

import requests  # noqa: E402

from bench import assertions, report, wrk  # noqa: E402
from bench.cpu import Meter  # noqa: E402
from bench.prefill import prefill  # noqa: E402
from bench.report import Row  # noqa: E402
from bench.seed import SCOPES, SIGN_IN_SCOPES, Seed, one_code, seed  # noqa: E402
from bench.server import Server, database, serve, workspace  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
POOL_MARGIN = 1.3  # codes wanted per (expected exchanges/s x duration)
MAX_CODE_SECONDS = 300.0  # codes live 600 s: they must all still be valid when exchanged
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def expect(response: requests.Response, what: str) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{what}: expected 200, got {response.status_code}: {response.text}")
    return response.json()


def precheck(server: Server, s: Seed) -> None:
    """One request per scenario with requests, checking the status and the body."""
    url = server.url
    if expect(requests.get(url + "/healthz", timeout=10), "healthz") != {"status": "ok"}:
        raise RuntimeError("healthz: unexpected body")
    info = expect(requests.get(url + s.tokeninfo_path(), timeout=10), "tokeninfo")
    if info.get("aud") != s.client_id or set(info.get("scope", "").split()) != set(SCOPES):
        raise RuntimeError(f"tokeninfo: unexpected body {info}")
    answer = requests.post(url + "/token", data=s.refresh_body(), headers=FORM, timeout=10)
    fresh = expect(answer, "refresh")
    if not fresh.get("access_token", "").startswith("ya29.") or "refresh_token" in fresh:
        raise RuntimeError(f"refresh: unexpected body {fresh}")
    body = s.exchange_body() + "&code=" + one_code(s)
    got = expect(requests.post(url + "/token", data=body, headers=FORM, timeout=10), "exchange")
    if not got.get("access_token", "").startswith("ya29.") or got.get("expires_in") != 3599:
        raise RuntimeError(f"code exchange: unexpected body {got}")


def read_codes(prefix: Path, threads: int) -> list[str]:
    """Every complete code the collecting threads wrote (a line cut short is dropped)."""
    codes: list[str] = []
    for i in range(threads):
        path = Path(f"{prefix}.{i}")
        if path.exists():
            lines = path.read_text().split("\n")[:-1]  # after the last newline: incomplete
            codes += [line for line in lines if line.startswith("4%2F0A")]
    return codes


@dataclass
class Bench:
    """One backend's server, seed data and scratch directory."""

    server: Server
    seed: Seed
    workdir: Path
    meter: Meter
    args: argparse.Namespace

    def run(self, target: str, seconds: float, script: str | None = None,
            env: dict[str, str] | None = None) -> tuple[wrk.WrkResult, dict[str, float]]:
        start = self.meter.start()
        result = wrk.run(target, seconds, self.args.load, script, env)
        return result, self.meter.stop(start)

    def scenario(self, name: str, path: str, script: str | None = None,
                 env: dict[str, str] | None = None) -> Row:
        if self.args.warmup:
            self.run(self.server.url + path, self.args.warmup, script, env)
        return Row(name, *self.run(self.server.url + path, self.args.duration, script, env))

    def collect(self, name: str, seconds: float) -> tuple[Row, list[str]]:
        prefix = self.workdir / name
        env = {"BENCH_COOKIE": self.seed.cookie, "BENCH_CODES": str(prefix)}
        result, cpu = self.run(self.seed.authorize_url, seconds, "collect_codes.lua", env)
        row = Row("authorize (302 + code)", result, cpu, failures=result.script["without_code"])
        return row, read_codes(prefix, self.args.load.threads)

    def exchange(self, name: str, codes: list[str], seconds: float) -> Row:
        prefix, n = self.workdir / name, self.args.load.threads
        for i in range(n):  # thread i takes codes i, i+n, ...: no code is sent twice
            Path(f"{prefix}.{i}").write_text("".join(c + "\n" for c in codes[i::n]))
        env = {"BENCH_CODES": str(prefix), "BENCH_BODY": self.seed.exchange_body()}
        result, cpu = self.run(self.server.url + "/token", seconds, "exchange.lua", env)
        row = Row("token: authorization_code", result, cpu)
        row.notes.append(f"{result.script['codes_taken']:,} of {len(codes):,} codes taken")
        if result.script["codes_missing"]:
            row.notes.append(f"INVALID: {result.script['codes_missing']} requests found no code")
        return row

    def jwt_bearer(self, info: dict[str, str]) -> Row:
        """Each request one assertion signed in advance (bench/assertions.py): a 2-second
        pre-measure on a small pool sizes the pool of the measured run (twice its rate, as
        for codes: a short pre-measure on a busy machine comes out low)."""
        prefix, threads = self.workdir / "assertions", self.args.load.threads
        body = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"}
        pool = assertions.sign_pool(info, 2000)
        answer = requests.post(self.server.url + "/token", data={**body, "assertion": pool[0]},
                               timeout=10)
        if sorted(expect(answer, "jwt-bearer")) != ["access_token", "expires_in", "token_type"]:
            raise RuntimeError(f"jwt-bearer: unexpected body {answer.text}")
        assertions.write_pool(pool, prefix, threads)
        env = {"BENCH_ASSERTIONS": str(prefix)}
        pre, _ = self.run(self.server.url + "/token", 2.0, "assertions.lua", env)
        count = min(math.ceil(2 * pre.rps * self.args.duration * POOL_MARGIN), 200_000)
        assertions.write_pool(assertions.sign_pool(info, max(count, 1000)), prefix, threads)
        result, cpu = self.run(self.server.url + "/token", self.args.duration,
                               "assertions.lua", env)
        row = Row("token: jwt-bearer (RS256 assertion)", result, cpu)
        row.notes.append(f"{result.script['assertions_signed']:,} assertions signed, "
                         f"{result.script['assertions_repeated']:,} sent twice")
        return row

    def make_codes(self, refresh_rps: float) -> tuple[Row, list[str], dict[str, Any]]:
        """Codes from authorization requests of the signed-in, consented browser.

        The first run (``--duration``) is the table's 'authorize' row. Half of its codes go to
        a short exchange pre-measure (which also warms the exchange up); the pool is then
        topped up to POOL_MARGIN x the expected rate x duration, for at most
        MAX_CODE_SECONDS.
        """
        duration, started = self.args.duration, time.monotonic()
        row, codes = self.collect("collected-0", duration)
        half = len(codes) // 2
        pre = self.exchange("pre", codes[:half], min(2.0, duration)).result
        valid = pre.script["codes_missing"] == 0 and pre.non_2xx == 0
        # An exchange does strictly more than a refresh, so the refresh rate bounds it; a
        # pre-measure on a noisy machine can be low, so it is doubled within that bound.
        estimate = min(2 * pre.rps, refresh_rps) if valid else refresh_rps
        target = math.ceil(estimate * duration * POOL_MARGIN)
        pool, runs, generated = codes[half:], [row.result], len(codes)
        while len(pool) < target and (spent := time.monotonic() - started) < MAX_CODE_SECONDS:
            seconds = math.ceil((target - len(pool)) / max(runs[-1].rps, 1.0) * 1.1) + 1
            seconds = min(seconds, MAX_CODE_SECONDS - spent)
            more, got = self.collect(f"collected-{len(runs)}", seconds)
            runs.append(more.result)
            pool += got
            generated += len(got)
        authorize_seconds = sum(r.seconds for r in runs)
        stats = {
            "target": target, "generated": generated, "pool": len(pool), "runs": len(runs),
            "premeasure_rps": round(pre.rps, 1), "premeasure_valid": valid,
            "authorize_seconds": round(authorize_seconds, 2),
            "codes_per_second": round(generated / authorize_seconds, 1),
            "wall_seconds": round(time.monotonic() - started, 2),
            "answers_without_code": sum(r.script["without_code"] for r in runs),
            "non_2xx": sum(r.non_2xx for r in runs),
        }
        row.notes.append(f"{len(codes):,} codes")
        return row, pool, stats


def bench_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    with (
        workspace() as workdir,
        database(backend, workdir) as url,
        serve(url, workdir, args.workers) as server,
    ):
        s = seed(server.url, url)
        precheck(server, s)
        filled = {"authorizations": args.prefill, "seconds": 0.0}
        if args.prefill:
            print(f"pre-filling {args.prefill:,} authorizations ...", file=sys.stderr, flush=True)
            filled["seconds"] = round(prefill(url, args.prefill), 1)
        meter = Meter(server.process.pid, url.rsplit("/", 1)[1] if backend != "sqlite" else None)
        b = Bench(server, s, workdir, meter, args)
        oidc = seed(server.url, url, SIGN_IN_SCOPES)
        answer = requests.post(
            server.url + "/token", data=oidc.refresh_body(), headers=FORM, timeout=10
        )
        if "id_token" not in expect(answer, "refresh with an ID token"):
            raise RuntimeError("a sign-in refresh returned no id_token")
        expect(requests.get(server.url + "/oauth2/v3/certs", timeout=10), "JWKS")
        rows = [
            b.scenario("ceiling: GET /healthz", "/healthz"),
            b.scenario(report.TOKENINFO, s.tokeninfo_path()),
            b.scenario(report.REFRESH, "/token", "form_post.lua", {"BENCH_BODY": s.refresh_body()}),
        ]
        extra = [
            b.scenario(
                "token: refresh_token + RS256 ID token", "/token", "form_post.lua",
                {"BENCH_BODY": oidc.refresh_body()},
            ),
            b.scenario("JWKS: GET /oauth2/v3/certs", "/oauth2/v3/certs"),
            b.jwt_bearer(assertions.key_file(url, server.url)),
        ]
        auth_row, codes, code_stats = b.make_codes(rows[2].result.rps)
        seconds = float(args.duration)
        if len(codes) < code_stats["target"]:  # cap the run so that the pool lasts
            seconds = max(1.0, math.floor(args.duration * len(codes) / code_stats["target"]))
        rows += [auth_row, b.exchange("exchange", codes, seconds), *extra]
        if seconds != args.duration:
            rows[-1].notes.append(f"duration capped to {seconds:.0f} s by the code pool")
        for row in rows:
            row.ceiling = rows[0].result.rps
        trouble = server.trouble()
    return {"rows": rows, "codes": code_stats, "prefill": filled, "server_log_trouble": trouble}


def revision() -> dict[str, Any]:
    """The commit measured, and the server files that differ from it (read-only git)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=RESULTS.parent.parent, capture_output=True,
                              text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"),
            "modified": git("status", "--porcelain", "--", "accord").splitlines()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up (0: none)")
    parser.add_argument("--workers", type=int, default=2, help="accord serve --workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument("--connections", type=int, default=32, help="wrk -c")
    parser.add_argument("--prefill", type=int, default=0, metavar="N",
                        help="insert N authorizations before measuring (bench/prefill.py)")
    args = parser.parse_args(argv)
    args.load = wrk.Load(args.threads, args.connections)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    started = datetime.datetime.now(datetime.UTC)
    cpus = os.cpu_count() or 1
    out: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": {"cpus": cpus, "platform": platform.platform(),
                    "python": platform.python_version(), "loadavg": os.getloadavg()},
        "accord": revision(),
        "config": {"duration": args.duration, "warmup": args.warmup, "workers": args.workers,
                   "wrk_threads": args.threads, "connections": args.connections,
                   "prefill": args.prefill},
        "backends": {},
    }
    for backend in backends:
        print(f"benchmarking {backend} ...", file=sys.stderr, flush=True)
        result = bench_backend(backend, args)
        rows: list[Row] = result["rows"]
        label = backend + (f", {args.prefill:,} authorizations pre-filled" if args.prefill else "")
        lines = [report.table(label, rows), "", report.codes_line(result["codes"])]
        lines += [f"- {line}" for line in report.targets(rows)]
        warning = report.busy_warning(rows, cpus)
        lines += [warning] if warning else []
        trouble = result["server_log_trouble"]
        if trouble:
            lines += ["", "server log (errors):", *("    " + line for line in trouble)]
        print("\n".join(lines) + "\n", flush=True)
        out["backends"][backend] = {
            **result, "rows": [row.as_json() for row in rows], "targets": report.targets(rows),
        }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"results written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
